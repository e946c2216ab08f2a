#pragma once

#include <QByteArray>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace ondevice::sandbox {

// Parameters of a query string or an application/x-www-form-urlencoded body,
// decoded the way HTML forms encode them: `+` is a space and every %XX is
// decoded (QUrlQuery leaves `+` alone, which turns a `+` in a token into a
// mismatch). Order and duplicates are kept, because OAuth forbids repeats.
class FormData {
public:
    static FormData parse(const QByteArray& encoded);

    bool has(const QString& name) const;
    QString value(const QString& name) const; // the first value, or empty
    int count(const QString& name) const;
    // The first name that occurs more than once among `names`, or empty.
    QString firstRepeated(const QStringList& names) const;
    const QList<QPair<QString, QString>>& items() const { return m_items; }

    static QString decode(QByteArrayView encoded);
    static QByteArray encode(const QString& value);

private:
    QList<QPair<QString, QString>> m_items;
};

// Small helpers shared by every endpoint: header lookup and responses whose
// JSON is serialised before the handler returns (Qt HttpServer 6.4 rules).
class Http {
public:
    static QByteArray header(const QHttpServerRequest& request, QByteArrayView name);
    // The raw query string, still percent-encoded.
    static QByteArray rawQuery(const QHttpServerRequest& request);
    // The bearer token of the Authorization header, or empty.
    static QString bearerToken(const QHttpServerRequest& request);
    static bool isFormBody(const QHttpServerRequest& request);

    static QHttpServerResponse json(
        const QJsonObject& object, QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok);
    static QHttpServerResponse jsonBytes(const QByteArray& body,
        QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok,
        const QByteArray& mimeType = QByteArrayLiteral("application/json"));
    // RFC 6749 §5.2: JSON body, 400 (401 with WWW-Authenticate for invalid_client), never cached.
    static QHttpServerResponse oauthError(const QString& error, const QString& description);
    // Token, introspection and error responses must not be cached (RFC 6749 §5.1).
    static void addNoStore(QHttpServerResponse& response);
    // A page for a person. Its policy lets nothing load and no form post anywhere but this server; a form
    // whose answer redirects elsewhere names that origin in `formTargets` (browsers apply form-action to
    // every redirect that follows the POST, CSP Level 3 §6.4.1).
    static QHttpServerResponse html(const QString& title, const QString& bodyHtml,
        QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok,
        const QStringList& formTargets = {});
    static QHttpServerResponse redirect(const QString& location);
    static QHttpServerResponse operationOutcome(
        QHttpServerResponse::StatusCode status, const QString& code, const QString& diagnostics);
};

} // namespace ondevice::sandbox
