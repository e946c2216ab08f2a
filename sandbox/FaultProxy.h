#pragma once

#include "Faults.h"
#include "SandboxStats.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

namespace ondevice::sandbox {

// A small HTTP/1.1 proxy in front of the sandbox's HTTP server, for the
// faults a Qt HttpServer 6.4 handler cannot make safely (DESIGN.md: a
// handler must answer synchronously): latency with its jitter, a bandwidth
// that every answer shares, a connection dropped in the middle of the body,
// a body cut short with a matching Content-Length.
// One request per client connection (it answers with Connection: close), so
// each request is one fault draw.
class FaultProxy {
public:
    // The one link all answers cross when a bandwidth is set: their bytes take turns on it, while their
    // latencies run side by side (as requests in flight on a real connection do).
    class Link {
    public:
        // In how many ms an answer of `bytes`, ready to send after `latencyMs`, has arrived.
        int delay(int latencyMs, qint64 bytes, qint64 bitsPerSecond);

    private:
        QElapsedTimer m_clock;
        qint64 m_freeAtMs = 0;
    };

    using Classifier = std::function<FaultTarget(const QString& path)>;

    // Counts the FHIR requests in flight in `stats`.
    FaultProxy(FaultInjector& faults, Classifier classify, SandboxStats& stats);
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
    SandboxStats& m_stats;
    QTcpServer m_server;
    QObject m_connections; // parent of every live connection
    QHostAddress m_upstreamHost;
    quint16 m_upstreamPort = 0;
    Link m_link;
};

} // namespace ondevice::sandbox
