#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QTcpServer>
#include <QUrl>

#include <functional>
#include <memory>

namespace ondevice::testing {

// A small real HTTP/1.1 server on 127.0.0.1 for protocol edge cases the
// sandbox does not produce (odd encodings, hostile answers). It records every
// request and answers through a handler the test sets. listenTls() serves
// HTTPS instead, with a certificate for 127.0.0.1 made on the spot; a client
// trusts it through trustInThisProcess().
class TinyHttpServer : public QObject {
    Q_OBJECT

public:
    struct Request {
        QByteArray method;
        QByteArray target; // path and query as sent
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QByteArray header(const QByteArray& name) const;
    };
    struct Response {
        int status = 200;
        QByteArray contentType = "application/json";
        QByteArray body;
        QList<std::pair<QByteArray, QByteArray>> headers;
    };
    using Handler = std::function<Response(const Request&)>;

    explicit TinyHttpServer(QObject* parent = nullptr);
    bool listen(); // 127.0.0.1, a free port
    bool listenTls(); // the same over TLS: url() is then https
    QUrl url(const QString& path = {}) const;
    // Adds this server's self-signed certificate to the default TLS configuration of this process, so that
    // QNetworkAccessManager accepts it (and nothing else changes: any other certificate is still checked).
    void trustInThisProcess() const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    const QList<Request>& requests() const { return m_requests; }

    // Decodes an application/x-www-form-urlencoded body the way a strict server does.
    static QList<std::pair<QString, QString>> formFields(const QByteArray& body);
    static QString formField(const QByteArray& body, const QString& name);

private:
    void serve(QTcpSocket* socket);

    std::unique_ptr<QTcpServer> m_server;
    QSslCertificate m_certificate;
    Handler m_handler;
    QList<Request> m_requests;
};

} // namespace ondevice::testing
