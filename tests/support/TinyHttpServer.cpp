#include "TinyHttpServer.h"

#include <QCoreApplication>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <memory>
#include <type_traits>

namespace ondevice::testing {

namespace {

QByteArray readBio(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

template <typename T, void (*Free)(T*)> using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

// A P-256 key and a self-signed certificate for IP 127.0.0.1, valid for a day, as PEM (empty on failure).
std::pair<QByteArray, QByteArray> makeLoopbackCertificate()
{
    const Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
    const Owned<X509, X509_free> cert(X509_new());
    const Owned<BIO, BIO_free_all> keyBio(BIO_new(BIO_s_mem()));
    const Owned<BIO, BIO_free_all> certBio(BIO_new(BIO_s_mem()));
    if (!key || !cert || !keyBio || !certBio)
        return {};
    // Each certificate has a name of its own: a client finds the issuer of a certificate by name, so two
    // test servers both called "127.0.0.1" would make the second fail verification.
    static std::atomic<long> serial { 0 };
    const long number = ++serial;
    const QByteArray name = "OnDevice test server " + QByteArray::number(QCoreApplication::applicationPid()) + "-"
        + QByteArray::number(number);
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), number);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
        reinterpret_cast<const unsigned char*>(name.constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    X509_set_pubkey(cert.get(), key.get());
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    const Owned<X509_EXTENSION, X509_EXTENSION_free> san(
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1"));
    if (!san || !X509_add_ext(cert.get(), san.get(), -1) || !X509_sign(cert.get(), key.get(), EVP_sha256()))
        return {};
    if (!PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
        || !PEM_write_bio_X509(certBio.get(), cert.get()))
        return {};
    return { readBio(keyBio.get()), readBio(certBio.get()) };
}

} // namespace

QByteArray TinyHttpServer::Request::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

TinyHttpServer::TinyHttpServer(QObject* parent)
    : QObject(parent)
{
    m_handler = [](const Request&) { return Response { 404, "text/plain", "not found", {} }; };
}

bool TinyHttpServer::listen()
{
    if (!m_server)
        m_server = std::make_unique<QTcpServer>();
    // Emitted for a plain connection at once and for a TLS one after its handshake.
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool TinyHttpServer::listenTls()
{
    const auto [keyPem, certPem] = makeLoopbackCertificate();
    m_certificate = QSslCertificate(certPem, QSsl::Pem);
    const QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
    if (m_certificate.isNull() || key.isNull())
        return false;
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(m_certificate);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    server->setSslConfiguration(config);
    m_server = std::move(server);
    return listen();
}

void TinyHttpServer::trustInThisProcess() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.addCaCertificate(m_certificate);
    QSslConfiguration::setDefaultConfiguration(config);
}

QUrl TinyHttpServer::url(const QString& path) const
{
    const bool tls = !m_certificate.isNull();
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_server ? m_server->serverPort() : 0)
                    .arg(path));
}

void TinyHttpServer::serve(QTcpSocket* socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        socket->setProperty("buffer", buffer);
        return;
    }
    Request request;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    request.method = first.value(0);
    request.target = first.value(1);
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        request.headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
        if (line.left(colon).trimmed().compare("Content-Length", Qt::CaseInsensitive) == 0)
            length = line.mid(colon + 1).trimmed().toLongLong();
    }
    request.body = buffer.mid(headEnd + 4);
    if (request.body.size() < length) {
        socket->setProperty("buffer", buffer);
        return;
    }
    socket->setProperty("buffer", QByteArray());
    m_requests.append(request);
    const Response response = m_handler(request);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " X\r\n";
    if (!response.contentType.isEmpty()) // empty: no Content-Type header at all
        out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto& [key, value] : response.headers)
        out += key + ": " + value + "\r\n";
    out += "Connection: close\r\n\r\n" + response.body;
    socket->write(out);
    socket->disconnectFromHost();
}

QList<std::pair<QString, QString>> TinyHttpServer::formFields(const QByteArray& body)
{
    QList<std::pair<QString, QString>> fields;
    for (QByteArray pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        pair.replace('+', ' ');
        const qsizetype eq = pair.indexOf('=');
        fields.append({ QString::fromUtf8(QByteArray::fromPercentEncoding(pair.left(eq))),
            QString::fromUtf8(QByteArray::fromPercentEncoding(eq < 0 ? QByteArray() : pair.mid(eq + 1))) });
    }
    return fields;
}

QString TinyHttpServer::formField(const QByteArray& body, const QString& name)
{
    for (const auto& [key, value] : formFields(body))
        if (key == name)
            return value;
    return {};
}

} // namespace ondevice::testing
