#pragma once

// Plain HTTP to a running ondevice-sandbox for the protocol tests: a blocking
// QNetworkAccessManager that never follows redirects, plus the few OAuth
// steps every test repeats. Deliberately independent of auth/ and fhir/.

#include "SandboxProcess.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

namespace ondevice::testing {

using Params = QList<QPair<QString, QString>>;

struct HttpReply {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QString networkError;

    QJsonObject json() const;
    QJsonArray jsonArray() const;
    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QUrl location() const { return QUrl(QString::fromUtf8(header("location"))); }
    // Query items of the Location header, fully decoded.
    QString locationParam(const QString& name) const;
};

// What a raw TCP client saw: everything until the server closed (or time ran out).
struct RawExchange {
    QByteArray bytes;
    bool closedByServer = false;
    qint64 elapsedMs = 0;
    int status() const;
    QByteArray head() const; // up to the blank line
    QByteArray body() const; // after the blank line
    qint64 contentLength() const; // -1 when absent
};

class SandboxHttp {
public:
    explicit SandboxHttp(const SandboxProcess& sandbox);

    QUrl origin() const;
    QUrl authUrl(const QString& endpoint) const; // "token" -> {origin}/auth/token
    QString fhirBase() const { return m_fhirBase; }

    HttpReply get(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers = {});
    HttpReply getBearer(const QUrl& url, const QString& accessToken);
    HttpReply post(const QUrl& url, const QByteArray& body, const QByteArray& contentType,
        const QList<QPair<QByteArray, QByteArray>>& headers = {});
    HttpReply postForm(const QUrl& url, const Params& params, const QList<QPair<QByteArray, QByteArray>>& headers = {});
    HttpReply deleteResource(const QUrl& url);
    HttpReply put(const QUrl& url, const QByteArray& body, const QByteArray& contentType = "text/plain");
    // Every resource of a search, following `next` links; empty and *error set on a bad page.
    QList<QJsonObject> searchAll(
        const QUrl& first, const QString& accessToken, int* total = nullptr, QString* error = nullptr);
    // A GET written by hand on a fresh socket, read until the server closes it.
    static RawExchange rawGet(const QUrl& url, const QString& accessToken = {}, int timeoutMs = 10000);

    static QByteArray formEncode(const Params& params);
    static QString newVerifier();
    static QString challengeFor(const QString& verifier);

    // A complete, valid authorize request for the demo client.
    Params authorizeParams(
        const QString& scope, const QString& challenge, const QString& state = QStringLiteral("state-123")) const;
    HttpReply authorize(const Params& params);
    // Authorize (the sandbox must run with --auto-approve) and exchange the
    // code: the token response, or an empty object on failure. `tokenHeaders`
    // go with the code exchange (a DPoP proof made by the caller).
    QJsonObject login(
        const QString& scope = defaultScope(), const QList<QPair<QByteArray, QByteArray>>& tokenHeaders = {});
    HttpReply refresh(const QString& refreshToken, const QString& scope = {},
        const QString& clientId = QStringLiteral("ondevice-demo"));
    HttpReply introspect(const QString& token, const QString& bearer);

    static QString defaultScope()
    {
        return QStringLiteral("openid fhirUser launch/patient offline_access patient/*.rs");
    }
    static QString redirectUri() { return QStringLiteral("http://127.0.0.1:49152/callback"); }

private:
    HttpReply run(class QNetworkReply* reply);

    QNetworkAccessManager m_manager;
    QString m_fhirBase;
};

} // namespace ondevice::testing
