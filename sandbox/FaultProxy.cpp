#include "FaultProxy.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

namespace ondevice::sandbox {

Q_LOGGING_CATEGORY(lcProxy, "ondevice.sandbox.proxy")

namespace {

constexpr qsizetype kMaxHead = 64 * 1024;
constexpr int kUpstreamTimeoutMs = 30000;

// The head (up to and including the blank line) and the Content-Length it
// declares (-1 when it has none); nullopt until the head is complete.
struct Head {
    qsizetype size = 0;
    qint64 contentLength = -1;
    QList<QByteArray> lines; // without the first line and the blank line
    QByteArray firstLine;
};

std::optional<Head> parseHead(const QByteArray& buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    Head head;
    head.size = end + 4;
    QList<QByteArray> lines = buffer.first(end).split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    head.firstLine = lines.takeFirst();
    for (const QByteArray& line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
            head.contentLength = line.sliced(colon + 1).trimmed().toLongLong();
        head.lines.append(line);
    }
    return head;
}

// The head again, without Connection/Keep-Alive (and Content-Length when
// replaced), ending in Connection: close.
QByteArray rebuildHead(const Head& head, qint64 newContentLength = -1)
{
    QByteArray out = head.firstLine + "\r\n";
    for (const QByteArray& line : head.lines) {
        const QByteArray name = line.left(line.indexOf(':')).trimmed().toLower();
        if (name == "connection" || name == "keep-alive" || (newContentLength >= 0 && name == "content-length"))
            continue;
        out += line + "\r\n";
    }
    if (newContentLength >= 0)
        out += "Content-Length: " + QByteArray::number(newContentLength) + "\r\n";
    out += "Connection: close\r\n\r\n";
    return out;
}

// One client connection: read a request, forward it upstream, answer once, close.
class Connection : public QObject {
public:
    Connection(QTcpSocket* client, FaultInjector& faults, FaultProxy::Link& link,
        const FaultProxy::Classifier& classify, SandboxStats& stats, const QHostAddress& upstreamHost,
        quint16 upstreamPort, QObject* parent)
        : QObject(parent)
        , m_client(client)
        , m_faults(faults)
        , m_link(link)
        , m_classify(classify)
        , m_stats(stats)
        , m_upstreamHost(upstreamHost)
        , m_upstreamPort(upstreamPort)
    {
        client->setParent(this);
        client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        QObject::connect(client, &QTcpSocket::readyRead, this, [this] { readRequest(); });
        QObject::connect(client, &QTcpSocket::disconnected, this, [this] { deleteLater(); });
        m_timeout.setSingleShot(true);
        QObject::connect(&m_timeout, &QTimer::timeout, this, [this] { m_client->abort(); });
        m_timeout.start(kUpstreamTimeoutMs);
        if (client->bytesAvailable() > 0)
            readRequest();
    }

    ~Connection() override { answered(); }

private:
    // A FHIR request is in flight from the moment it is forwarded until its answer is written (or it is gone).
    void answered()
    {
        if (std::exchange(m_inFlight, false))
            --m_stats.fhirInFlight;
    }

    void readRequest()
    {
        if (m_forwarded)
            return; // one request per connection; anything after it is ignored
        m_request += m_client->readAll();
        const std::optional<Head> head = parseHead(m_request);
        if (!head) {
            if (m_request.size() > kMaxHead)
                m_client->abort();
            return;
        }
        const qint64 bodyLength = std::max<qint64>(0, head->contentLength);
        if (m_request.size() < head->size + bodyLength)
            return;
        m_forwarded = true;
        const QList<QByteArray> requestLine = head->firstLine.split(' ');
        const QString target = QString::fromLatin1(requestLine.value(1));
        const QString path = target.left(target.indexOf(QLatin1Char('?')));
        // The admin API answers loopback peers only; behind the proxy the
        // server sees the proxy's loopback address, so the proxy checks.
        if (path.startsWith(QLatin1String("/admin")) && !m_client->peerAddress().isLoopback()) {
            const QByteArray body = "{\"error\":\"the admin API answers loopback peers only\"}";
            m_client->write("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            m_client->disconnectFromHost();
            return;
        }
        const FaultTarget kind = m_classify(path);
        if (kind == FaultTarget::Fhir) {
            m_inFlight = true;
            m_stats.fhirMostInFlight = std::max(m_stats.fhirMostInFlight, ++m_stats.fhirInFlight);
        }
        m_fault = m_faults.drawProxy(kind);
        m_latencyMs = m_faults.drawLatency(kind);
        m_limited = m_faults.applies(kind);

        m_upstream = new QTcpSocket(this);
        const QByteArray forward = rebuildHead(*head) + m_request.sliced(head->size, bodyLength);
        QObject::connect(m_upstream, &QTcpSocket::connected, this, [this, forward] { m_upstream->write(forward); });
        QObject::connect(m_upstream, &QTcpSocket::readyRead, this, [this] { readResponse(false); });
        QObject::connect(m_upstream, &QTcpSocket::disconnected, this, [this] { readResponse(true); });
        QObject::connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError && !m_answered)
                m_client->abort();
        });
        m_upstream->connectToHost(m_upstreamHost, m_upstreamPort);
    }

    void readResponse(bool closed)
    {
        if (m_answered)
            return;
        m_response += m_upstream->readAll();
        const std::optional<Head> head = parseHead(m_response);
        if (!head) {
            if (closed)
                m_client->abort();
            return;
        }
        const int status = head->firstLine.split(' ').value(1).toInt();
        const bool noBody = status == 204 || status == 304 || (status >= 100 && status < 200);
        qint64 bodyLength = noBody ? 0 : head->contentLength;
        if (bodyLength < 0) {
            if (!closed)
                return; // no Content-Length: the body ends with the connection
            bodyLength = m_response.size() - head->size;
        }
        if (m_response.size() < head->size + bodyLength)
            return;
        m_answered = true;
        const QByteArray body = m_response.sliced(head->size, bodyLength);
        m_upstream->disconnectFromHost();
        const qint64 bandwidth = m_limited ? m_faults.spec().bandwidthBitsPerSecond : 0;
        const int delay = m_link.delay(m_latencyMs, head->size + body.size(), bandwidth);
        QTimer::singleShot(delay, this, [this, head = *head, body] { answer(head, body); });
    }

    void answer(const Head& head, const QByteArray& body)
    {
        switch (m_fault) {
        case FaultInjector::ProxyFault::None:
            m_client->write(rebuildHead(head) + body);
            break;
        case FaultInjector::ProxyFault::Drop:
            // The declared length stays; the connection ends halfway through the body.
            m_client->write(rebuildHead(head) + body.first(body.size() / 2));
            qCInfo(lcProxy) << "fault: dropped the connection after" << body.size() / 2 << "of" << body.size()
                            << "body bytes";
            break;
        case FaultInjector::ProxyFault::Truncate:
            // A complete-looking answer whose body is cut (Content-Length matches the cut).
            m_client->write(rebuildHead(head, body.size() / 2) + body.first(body.size() / 2));
            qCInfo(lcProxy) << "fault: truncated the body to" << body.size() / 2 << "of" << body.size() << "bytes";
            break;
        }
        answered();
        m_client->disconnectFromHost();
    }

    QTcpSocket* m_client;
    QTcpSocket* m_upstream = nullptr;
    FaultInjector& m_faults;
    FaultProxy::Link& m_link;
    const FaultProxy::Classifier& m_classify;
    SandboxStats& m_stats;
    bool m_inFlight = false;
    QHostAddress m_upstreamHost;
    quint16 m_upstreamPort;
    QByteArray m_request;
    QByteArray m_response;
    QTimer m_timeout;
    bool m_forwarded = false;
    bool m_answered = false;
    FaultInjector::ProxyFault m_fault = FaultInjector::ProxyFault::None;
    int m_latencyMs = 0;
    bool m_limited = false; // the bandwidth applies to this request
};

} // namespace

int FaultProxy::Link::delay(int latencyMs, qint64 bytes, qint64 bitsPerSecond)
{
    if (bitsPerSecond <= 0)
        return latencyMs;
    if (!m_clock.isValid())
        m_clock.start();
    const qint64 now = m_clock.elapsed();
    const qint64 start = std::max(now + latencyMs, m_freeAtMs);
    m_freeAtMs = start + (bytes * 8 * 1000 + bitsPerSecond - 1) / bitsPerSecond;
    return static_cast<int>(m_freeAtMs - now);
}

FaultProxy::FaultProxy(FaultInjector& faults, Classifier classify, SandboxStats& stats)
    : m_faults(faults)
    , m_classify(std::move(classify))
    , m_stats(stats)
{
    QObject::connect(&m_server, &QTcpServer::newConnection, &m_connections, [this] { accept(); });
}

FaultProxy::~FaultProxy()
{
    m_server.close();
}

bool FaultProxy::listen(const QHostAddress& bind, quint16 port, const QHostAddress& upstreamHost, quint16 upstreamPort)
{
    m_upstreamHost = upstreamHost;
    m_upstreamPort = upstreamPort;
    return m_server.listen(bind, port);
}

void FaultProxy::accept()
{
    while (QTcpSocket* client = m_server.nextPendingConnection())
        new Connection(client, m_faults, m_link, m_classify, m_stats, m_upstreamHost, m_upstreamPort, &m_connections);
}

} // namespace ondevice::sandbox
