#include "Http.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QPromise>

#include <memory>

namespace ondevice::auth {

QNetworkRequest authRequest(const QUrl& url, const QByteArray& accept)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setRawHeader("Accept", accept);
    // Tokens and health data must not land in a shared HTTP cache.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    return request;
}

namespace {

QFuture<HttpResult> collect(QNetworkReply* reply, const HttpOptions& options)
{
    auto promise = std::make_shared<QPromise<HttpResult>>();
    promise->start();
    auto body = std::make_shared<QByteArray>();
    auto tooLarge = std::make_shared<bool>(false);
    const qint64 limit = options.maxBodyBytes;

    QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply, body, tooLarge, limit] {
        if (*tooLarge)
            return;
        body->append(reply->readAll());
        if (body->size() > limit) {
            *tooLarge = true;
            body->clear();
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, promise, body, tooLarge] {
        reply->deleteLater();
        HttpResult result;
        if (!*tooLarge)
            body->append(reply->readAll());
        result.tooLarge = *tooLarge;
        result.error = *tooLarge ? QNetworkReply::OperationCanceledError : reply->error();
        result.errorString = reply->errorString();
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = std::move(*body);
        result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        promise->addResult(std::move(result));
        promise->finish();
    });
    return promise->future();
}

} // namespace

QFuture<HttpResult> get(QNetworkAccessManager& network, QNetworkRequest request, HttpOptions options)
{
    request.setTransferTimeout(options.timeoutMs);
    return collect(network.get(request), options);
}

QFuture<HttpResult> postForm(
    QNetworkAccessManager& network, QNetworkRequest request, const QByteArray& formBody, HttpOptions options)
{
    request.setTransferTimeout(options.timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    return collect(network.post(request, formBody), options);
}

QByteArray formEncode(const QList<std::pair<QString, QString>>& fields)
{
    QByteArray out;
    for (const auto& [name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += name.toUtf8().toPercentEncoding() + '=' + value.toUtf8().toPercentEncoding();
    }
    return out;
}

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace ondevice::auth
