#include "BrowserHook.h"

#include <QNetworkReply>

namespace ondevice::testing {

BrowserHook::BrowserHook(QObject* parent)
    : QObject(parent)
{
}

std::function<void(const QUrl&)> BrowserHook::opener()
{
    return [this](const QUrl& url) { open(url); };
}

void BrowserHook::open(const QUrl& url)
{
    m_opened << url;
    m_finished = false;
    load(url, 5);
}

void BrowserHook::load(const QUrl& url, int hopsLeft)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(60000);
    QNetworkReply* reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, hopsLeft] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray location = reply->rawHeader("Location");
        if (status >= 300 && status < 400 && !location.isEmpty() && hopsLeft > 0) {
            QUrl next = url.resolved(QUrl::fromEncoded(location));
            if (m_rewrite)
                next = m_rewrite(next);
            load(next, hopsLeft - 1);
            return;
        }
        m_lastStatus = status;
        m_lastPage = reply->readAll();
        m_finished = true;
        Q_EMIT pageLoaded(status);
    });
}

} // namespace ondevice::testing
