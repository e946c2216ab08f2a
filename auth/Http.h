#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QFuture>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::auth {

// One HTTP exchange, fully read, with what callers need to judge it.
struct HttpResult {
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString; // Qt's text; may carry the URL, so only for debug logs
    int status = 0; // 0 when no HTTP response arrived
    QByteArray body;
    QByteArray contentType;
    QByteArray dpopNonce; // the DPoP-Nonce header (RFC 9449 section 8), empty when absent
    QByteArray etag; // ETag and Last-Modified, for a conditional request next time
    QByteArray lastModified;
    bool tooLarge = false;
    // Why the request was never sent, when the reason is here rather than on the network (a DPoP proof the
    // device key could not sign); empty otherwise. Not for people: a detail for logs.
    QString notSent;

    bool reachedServer() const { return status > 0; }
};

struct HttpOptions {
    int timeoutMs = 30000;
    qint64 maxBodyBytes = 1 << 20; // 1 MiB: discovery, JWKS and token answers are small
};

// Every auth request goes through here: no redirect to another origin (a
// bearer token or a refresh token must never follow one), a transfer timeout,
// and a body size limit. The future finishes on the manager's thread.
QNetworkRequest authRequest(const QUrl& url, const QByteArray& accept);
QFuture<HttpResult> get(QNetworkAccessManager& network, QNetworkRequest request, HttpOptions options = {});
QFuture<HttpResult> postForm(
    QNetworkAccessManager& network, QNetworkRequest request, const QByteArray& formBody, HttpOptions options = {});
QFuture<HttpResult> postJson(
    QNetworkAccessManager& network, QNetworkRequest request, const QByteArray& jsonBody, HttpOptions options = {});
QFuture<HttpResult> deleteResource(QNetworkAccessManager& network, QNetworkRequest request, HttpOptions options = {});

// application/x-www-form-urlencoded (WHATWG / RFC 6749 Appendix B): every byte
// outside ALPHA / DIGIT / "-" / "." / "_" / "~" is percent-encoded, so a "+"
// in a token reaches the server as a "+".
QByteArray formEncode(const QList<std::pair<QString, QString>>& fields);

bool isLoopbackHost(const QString& host);

} // namespace ondevice::auth
