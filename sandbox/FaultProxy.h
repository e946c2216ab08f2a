#pragma once

#include "Faults.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

namespace ondevice::sandbox {

// A small HTTP/1.1 proxy in front of the sandbox's HTTP server, for the
// faults a Qt HttpServer 6.4 handler cannot make safely (DESIGN.md: a
// handler must answer synchronously): latency, a connection dropped in the
// middle of the body, a body cut short with a matching Content-Length.
// One request per client connection (it answers with Connection: close), so
// each request is one fault draw.
class FaultProxy {
public:
    using Classifier = std::function<FaultTarget(const QString& path)>;

    FaultProxy(FaultInjector& faults, Classifier classify);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    // Listens on bind:port and forwards to upstream (the real server). False when it cannot listen.
    bool listen(const QHostAddress& bind, quint16 port, const QHostAddress& upstreamHost, quint16 upstreamPort);
    quint16 port() const { return m_server.serverPort(); }

private:
    void accept();

    FaultInjector& m_faults;
    Classifier m_classify;
    QTcpServer m_server;
    QObject m_connections; // parent of every live connection
    QHostAddress m_upstreamHost;
    quint16 m_upstreamPort = 0;
};

} // namespace ondevice::sandbox
