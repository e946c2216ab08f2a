#include "Http.h"

#include "core/ReplyReader.h"

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
    readLimited(reply, options.maxBodyBytes, reply, [promise](QNetworkReply* finished, ReplyBody body) {
        finished->deleteLater();
        HttpResult result;
        result.tooLarge = body.tooLarge;
        result.error = body.tooLarge ? QNetworkReply::OperationCanceledError : finished->error();
        result.errorString = finished->errorString();
        result.status = finished->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = std::move(body.bytes);
        result.contentType = finished->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        result.dpopNonce = finished->rawHeader("DPoP-Nonce");
        result.etag = finished->rawHeader("ETag");
        result.lastModified = finished->rawHeader("Last-Modified");
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

QFuture<HttpResult> postJson(
    QNetworkAccessManager& network, QNetworkRequest request, const QByteArray& jsonBody, HttpOptions options)
{
    request.setTransferTimeout(options.timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return collect(network.post(request, jsonBody), options);
}

QFuture<HttpResult> deleteResource(QNetworkAccessManager& network, QNetworkRequest request, HttpOptions options)
{
    request.setTransferTimeout(options.timeoutMs);
    return collect(network.deleteResource(request), options);
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
