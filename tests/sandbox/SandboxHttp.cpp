#include "SandboxHttp.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

namespace ondevice::testing {

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QJsonArray HttpReply::jsonArray() const
{
    return QJsonDocument::fromJson(body).array();
}

QString HttpReply::locationParam(const QString& name) const
{
    return QUrlQuery(location()).queryItemValue(name, QUrl::FullyDecoded);
}

SandboxHttp::SandboxHttp(const SandboxProcess& sandbox)
    : m_fhirBase(sandbox.fhirBase().toString())
{
}

QUrl SandboxHttp::origin() const
{
    QUrl url(m_fhirBase);
    url.setPath(QString());
    return url;
}

QUrl SandboxHttp::authUrl(const QString& endpoint) const
{
    return QUrl(origin().toString() + QStringLiteral("/auth/") + endpoint);
}

HttpReply SandboxHttp::run(QNetworkReply* reply)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit); // a hung server fails the test instead of hanging it
    if (!reply->isFinished())
        loop.exec();
    HttpReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto& header : reply->rawHeaderPairs())
        out.headers.insert(header.first.toLower(), header.second);
    if (reply->error() != QNetworkReply::NoError && out.status == 0)
        out.networkError = reply->errorString();
    reply->deleteLater();
    return out;
}

namespace {

QNetworkRequest makeRequest(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto& header : headers)
        request.setRawHeader(header.first, header.second);
    return request;
}

} // namespace

HttpReply SandboxHttp::get(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers)
{
    return run(m_manager.get(makeRequest(url, headers)));
}

HttpReply SandboxHttp::getBearer(const QUrl& url, const QString& accessToken)
{
    return get(url, { { "Authorization", "Bearer " + accessToken.toLatin1() } });
}

HttpReply SandboxHttp::post(const QUrl& url, const QByteArray& body, const QByteArray& contentType,
    const QList<QPair<QByteArray, QByteArray>>& headers)
{
    QNetworkRequest request = makeRequest(url, headers);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    return run(m_manager.post(request, body));
}

HttpReply SandboxHttp::postForm(
    const QUrl& url, const Params& params, const QList<QPair<QByteArray, QByteArray>>& headers)
{
    return post(url, formEncode(params), "application/x-www-form-urlencoded", headers);
}

HttpReply SandboxHttp::deleteResource(const QUrl& url)
{
    return run(m_manager.deleteResource(makeRequest(url, {})));
}

QByteArray SandboxHttp::formEncode(const Params& params)
{
    QByteArray body;
    for (const auto& param : params) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(param.first) + '=' + QUrl::toPercentEncoding(param.second);
    }
    return body;
}

HttpReply SandboxHttp::put(const QUrl& url, const QByteArray& body, const QByteArray& contentType)
{
    QNetworkRequest request = makeRequest(url, {});
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    return run(m_manager.put(request, body));
}

QList<QJsonObject> SandboxHttp::searchAll(const QUrl& first, const QString& accessToken, int* total, QString* error)
{
    QList<QJsonObject> resources;
    QUrl next = first;
    for (int pages = 0; next.isValid() && pages < 10000; ++pages) {
        const HttpReply reply = getBearer(next, accessToken);
        if (reply.status != 200) {
            if (error)
                *error = QStringLiteral("HTTP %1 for %2: %3")
                             .arg(reply.status)
                             .arg(next.toString(), QString::fromUtf8(reply.body.left(300)));
            return {};
        }
        const QJsonObject bundle = reply.json();
        if (total)
            *total = bundle.value(QStringLiteral("total")).toInt(-1);
        for (const QJsonValue& entry : bundle.value(QStringLiteral("entry")).toArray())
            resources.append(entry.toObject().value(QStringLiteral("resource")).toObject());
        next = QUrl();
        for (const QJsonValue& link : bundle.value(QStringLiteral("link")).toArray()) {
            if (link.toObject().value(QStringLiteral("relation")).toString() == QLatin1String("next"))
                next = QUrl(link.toObject().value(QStringLiteral("url")).toString());
        }
    }
    return resources;
}

int RawExchange::status() const
{
    return bytes.startsWith("HTTP/1.") ? bytes.mid(9, 3).toInt() : 0;
}

QByteArray RawExchange::head() const
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    return end < 0 ? bytes : bytes.first(end);
}

QByteArray RawExchange::body() const
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : bytes.sliced(end + 4);
}

qint64 RawExchange::contentLength() const
{
    for (const QByteArray& line : head().split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            return line.mid(15).trimmed().toLongLong();
    }
    return -1;
}

RawExchange SandboxHttp::rawGet(const QUrl& url, const QString& accessToken, int timeoutMs)
{
    RawExchange out;
    QElapsedTimer timer;
    timer.start();
    QTcpSocket socket;
    socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
    if (!socket.waitForConnected(timeoutMs))
        return out;
    QByteArray request = "GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority)
        + " HTTP/1.1\r\nHost: " + url.host().toLatin1() + ':' + QByteArray::number(url.port()) + "\r\n";
    if (!accessToken.isEmpty())
        request += "Authorization: Bearer " + accessToken.toLatin1() + "\r\n";
    request += "Accept: application/fhir+json\r\nConnection: close\r\n\r\n";
    socket.write(request);
    while (timer.elapsed() < timeoutMs) {
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0) {
            out.closedByServer = true;
            break;
        }
        socket.waitForReadyRead(100);
        out.bytes += socket.readAll();
    }
    out.elapsedMs = timer.elapsed();
    return out;
}

QString SandboxHttp::newVerifier()
{
    QByteArray bytes(48, Qt::Uninitialized);
    for (char& b : bytes)
        b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString SandboxHttp::challengeFor(const QString& verifier)
{
    return QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Params SandboxHttp::authorizeParams(const QString& scope, const QString& challenge, const QString& state) const
{
    return {
        { QStringLiteral("response_type"), QStringLiteral("code") },
        { QStringLiteral("client_id"), QStringLiteral("ondevice-demo") },
        { QStringLiteral("redirect_uri"), redirectUri() },
        { QStringLiteral("scope"), scope },
        { QStringLiteral("state"), state },
        { QStringLiteral("aud"), m_fhirBase },
        { QStringLiteral("code_challenge"), challenge },
        { QStringLiteral("code_challenge_method"), QStringLiteral("S256") },
    };
}

HttpReply SandboxHttp::authorize(const Params& params)
{
    QUrl url = authUrl(QStringLiteral("authorize"));
    url.setQuery(QString::fromLatin1(formEncode(params)));
    return get(url);
}

QJsonObject SandboxHttp::login(const QString& scope, const QList<QPair<QByteArray, QByteArray>>& tokenHeaders)
{
    const QString verifier = newVerifier();
    const HttpReply redirect = authorize(authorizeParams(scope, challengeFor(verifier)));
    const QString code = redirect.locationParam(QStringLiteral("code"));
    if (redirect.status != 302 || code.isEmpty())
        return {};
    const HttpReply token = postForm(authUrl(QStringLiteral("token")),
        { { QStringLiteral("grant_type"), QStringLiteral("authorization_code") }, { QStringLiteral("code"), code },
            { QStringLiteral("redirect_uri"), redirectUri() },
            { QStringLiteral("client_id"), QStringLiteral("ondevice-demo") },
            { QStringLiteral("code_verifier"), verifier } },
        tokenHeaders);
    return token.status == 200 ? token.json() : QJsonObject();
}

HttpReply SandboxHttp::refresh(const QString& refreshToken, const QString& scope, const QString& clientId)
{
    Params params { { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), refreshToken } };
    if (!clientId.isEmpty())
        params.append({ QStringLiteral("client_id"), clientId });
    if (!scope.isEmpty())
        params.append({ QStringLiteral("scope"), scope });
    return postForm(authUrl(QStringLiteral("token")), params);
}

HttpReply SandboxHttp::introspect(const QString& token, const QString& bearer)
{
    return postForm(authUrl(QStringLiteral("introspect")), { { QStringLiteral("token"), token } },
        { { "Authorization", "Bearer " + bearer.toLatin1() } });
}

} // namespace ondevice::testing
