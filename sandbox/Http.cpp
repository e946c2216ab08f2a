#include "Http.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace ondevice::sandbox {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

QString FormData::decode(QByteArrayView encoded)
{
    QByteArray out;
    out.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '+') {
            out.append(' ');
        } else if (c == '%' && i + 2 < encoded.size() && hexValue(encoded[i + 1]) >= 0
            && hexValue(encoded[i + 2]) >= 0) {
            out.append(static_cast<char>(hexValue(encoded[i + 1]) * 16 + hexValue(encoded[i + 2])));
            i += 2;
        } else {
            // A stray % is kept literally, as browsers do.
            out.append(c);
        }
    }
    return QString::fromUtf8(out);
}

QByteArray FormData::encode(const QString& value)
{
    return QUrl::toPercentEncoding(value);
}

FormData FormData::parse(const QByteArray& encoded)
{
    FormData data;
    for (const QByteArray& pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QByteArrayView name = eq < 0 ? QByteArrayView(pair) : QByteArrayView(pair).first(eq);
        const QByteArrayView value = eq < 0 ? QByteArrayView() : QByteArrayView(pair).sliced(eq + 1);
        data.m_items.append({ decode(name), decode(value) });
    }
    return data;
}

bool FormData::has(const QString& name) const
{
    return count(name) > 0;
}

QString FormData::value(const QString& name) const
{
    for (const auto& item : m_items) {
        if (item.first == name)
            return item.second;
    }
    return {};
}

int FormData::count(const QString& name) const
{
    int n = 0;
    for (const auto& item : m_items)
        n += item.first == name ? 1 : 0;
    return n;
}

QString FormData::firstRepeated(const QStringList& names) const
{
    for (const QString& name : names) {
        if (count(name) > 1)
            return name;
    }
    return {};
}

QByteArray Http::header(const QHttpServerRequest& request, QByteArrayView name)
{
    for (const auto& header : request.headers()) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second.trimmed();
    }
    return {};
}

QByteArray Http::rawQuery(const QHttpServerRequest& request)
{
    return request.url().query(QUrl::FullyEncoded).toUtf8();
}

QString Http::bearerToken(const QHttpServerRequest& request)
{
    const QByteArray value = header(request, "authorization");
    // The scheme is case-insensitive (RFC 7235 §2.1); the token is not.
    if (value.size() > 7 && value.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(value.sliced(7).trimmed());
    return {};
}

bool Http::isFormBody(const QHttpServerRequest& request)
{
    const QByteArray type = header(request, "content-type");
    const QByteArray mime = type.split(';').constFirst().trimmed().toLower();
    return mime == "application/x-www-form-urlencoded";
}

QHttpServerResponse Http::json(const QJsonObject& object, QHttpServerResponse::StatusCode status)
{
    return jsonBytes(QJsonDocument(object).toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse Http::jsonBytes(
    const QByteArray& body, QHttpServerResponse::StatusCode status, const QByteArray& mimeType)
{
    return QHttpServerResponse(mimeType, body, status);
}

void Http::addNoStore(QHttpServerResponse& response)
{
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    response.setHeader(QByteArrayLiteral("Pragma"), QByteArrayLiteral("no-cache"));
}

QHttpServerResponse Http::oauthError(const QString& error, const QString& description)
{
    const bool clientError = error == QLatin1String("invalid_client");
    QJsonObject body { { QStringLiteral("error"), error } };
    if (!description.isEmpty())
        body.insert(QStringLiteral("error_description"), description);
    QHttpServerResponse response = json(body,
        clientError ? QHttpServerResponse::StatusCode::Unauthorized : QHttpServerResponse::StatusCode::BadRequest);
    if (clientError)
        response.setHeader(
            QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"ondevice-sandbox\""));
    addNoStore(response);
    return response;
}

QHttpServerResponse Http::html(const QString& title, const QString& bodyHtml, QHttpServerResponse::StatusCode status,
    const QStringList& formTargets)
{
    // One small inline stylesheet (the CSP allows inline styles and nothing
    // else): readable type, high contrast, large targets, visible focus. The
    // empty icon stops browsers asking for /favicon.ico, which the policy
    // would block and report (Firefox does, on every page).
    static const QString css = QStringLiteral(
        "body{margin:0;padding:1.25rem 1rem;background:#f3f5f8;color:#1f2328;font:17px/1.5 "
        "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif}"
        "main{max-width:40rem;margin:0 auto;background:#fff;border:1px solid "
        "#d0d7de;border-radius:12px;padding:1.25rem 2rem 1.5rem;box-shadow:0 1px 3px rgba(31,35,40,.08)}"
        "h1{font-size:1.45rem;line-height:1.25;margin:0 0 .75rem}"
        ".lead{margin:0 0 1rem}"
        "fieldset{border:1px solid #d0d7de;border-radius:8px;margin:0 0 .9rem;padding:.4rem 1rem .6rem}"
        "legend{font-weight:600;padding:0 .35rem}"
        ".choice{display:flex;gap:.65rem;align-items:flex-start;padding:.3rem 0;line-height:1.35;cursor:pointer}"
        ".choice input{flex:none;width:1.15rem;height:1.15rem;margin:.2rem 0 0;accent-color:#0969da}"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));column-gap:1rem}"
        ".row{display:flex;flex-wrap:wrap;column-gap:1.75rem}"
        "small,.hint{color:#57606a}.hint{margin:.25rem 0 .4rem;font-size:.92rem}"
        "code{margin-left:.35rem;font:.8rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#57606a}"
        ".actions{display:flex;gap:.75rem;margin-top:1.25rem}"
        "button{font:inherit;font-weight:600;padding:.6rem 1.5rem;border-radius:8px;border:1px solid "
        "#d0d7de;background:#f6f8fa;color:#1f2328;cursor:pointer}"
        "button.primary{background:#0969da;border-color:#0969da;color:#fff}"
        "button:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}");
    const QString page = QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1</title><link rel=\"icon\" "
        "href=\"data:,\">"
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\"><style>%3</style></head>\n<body>\n<main>\n<h1>%1</h1>\n%2\n</main>\n</body></html>\n")
                             .arg(title.toHtmlEscaped(), bodyHtml, css);
    QHttpServerResponse response(QByteArrayLiteral("text/html; charset=utf-8"), page.toUtf8(), status);
    // The consent page must not be framed by another site (clickjacking, OAuth Security BCP §4.16).
    response.setHeader(QByteArrayLiteral("X-Frame-Options"), QByteArrayLiteral("DENY"));
    QString formAction = QStringLiteral("'self'");
    for (const QString& target : formTargets)
        formAction += QLatin1Char(' ') + target;
    response.setHeader(QByteArrayLiteral("Content-Security-Policy"),
        QStringLiteral("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action %1; frame-ancestors "
                       "'none'; base-uri 'none'")
            .arg(formAction)
            .toUtf8());
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return response;
}

QHttpServerResponse Http::redirect(const QString& location)
{
    QHttpServerResponse response(QByteArrayLiteral("text/plain"), QByteArray(), QHttpServerResponse::StatusCode::Found);
    response.setHeader(QByteArrayLiteral("Location"), location.toUtf8());
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return response;
}

QHttpServerResponse Http::operationOutcome(
    QHttpServerResponse::StatusCode status, const QString& code, const QString& diagnostics)
{
    const QJsonObject outcome {
        { QStringLiteral("resourceType"), QStringLiteral("OperationOutcome") },
        { QStringLiteral("issue"),
            QJsonArray { QJsonObject {
                { QStringLiteral("severity"), QStringLiteral("error") },
                { QStringLiteral("code"), code },
                { QStringLiteral("diagnostics"), diagnostics },
            } } },
    };
    return jsonBytes(
        QJsonDocument(outcome).toJson(QJsonDocument::Compact), status, QByteArrayLiteral("application/fhir+json"));
}

} // namespace ondevice::sandbox
