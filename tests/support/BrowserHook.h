#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <functional>

namespace ondevice::testing {

// Stands in for the system browser at the URL-handler hook: it loads the
// authorize URL like a browser would and follows the redirects back to the
// app's loopback callback (the sandbox's --auto-approve answers at once).
// Tests may rewrite the callback URL on its way (a wrong state, an error).
class BrowserHook : public QObject {
    Q_OBJECT

public:
    explicit BrowserHook(QObject* parent = nullptr);

    // The function to hand to SmartLaunch / ConnectionManager as UrlOpener.
    std::function<void(const QUrl&)> opener();

    // Applied to every redirect target before it is followed.
    void setRewrite(std::function<QUrl(const QUrl&)> rewrite) { m_rewrite = std::move(rewrite); }

    QList<QUrl> opened() const { return m_opened; }
    int calls() const { return static_cast<int>(m_opened.size()); }
    int lastStatus() const { return m_lastStatus; }
    QByteArray lastPage() const { return m_lastPage; }
    bool finished() const { return m_finished; }

public Q_SLOTS:
    // Also usable as QDesktopServices::setUrlHandler(scheme, hook, "open").
    void open(const QUrl& url);

Q_SIGNALS:
    void pageLoaded(int status);

private:
    void load(const QUrl& url, int hopsLeft);

    QNetworkAccessManager m_network;
    std::function<QUrl(const QUrl&)> m_rewrite;
    QList<QUrl> m_opened;
    int m_lastStatus = 0;
    QByteArray m_lastPage;
    bool m_finished = false;
};

} // namespace ondevice::testing
