#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <cstdint>
#include <optional>
#include <random>

namespace ondevice::sandbox {

// What --faults and PUT {admin_base}/faults set (grammar in docs/sandbox.md).
struct FaultSpec {
    int latencyMs = 0; // proxy: added before each answer
    int jitterMs = 0; // proxy: the latency varies uniformly by up to this much either way (never below 0)
    qint64 bandwidthBitsPerSecond = 0; // proxy: every answer's bytes cross one shared link this fast (0: no limit)
    double drop = 0; // proxy: close the connection mid-body
    double truncate = 0; // proxy: cut the body and its Content-Length
    double error500 = 0; // server
    double error503 = 0; // server, with Retry-After
    double rate429 = 0; // server, with Retry-After
    double malformed = 0; // server: a 200 whose body is not JSON
    int retryAfterSeconds = 1;
    double tokenDown = 0; // the token endpoint answers 503
    double earlyExpiry = 0; // an access token dies when issued, whatever expires_in says
    bool onFhir = true;
    bool onDiscovery = false;
    bool onAuth = false;

    static std::optional<FaultSpec> parse(const QString& text, QString* error = nullptr);
    QString toString() const; // canonical: every non-default item, in grammar order ("none" when empty)
    bool needsProxy() const
    {
        return latencyMs > 0 || jitterMs > 0 || bandwidthBitsPerSecond > 0 || drop > 0 || truncate > 0;
    }
};

// Which part of the server a request reaches, for deciding what may be faulted.
enum class FaultTarget { Fhir, Discovery, Auth, Never };

// Draws faults from a PRNG seeded with --seed, reset whenever the spec is
// set, so the same requests in the same order meet the same faults. Every
// draw is a fixed number of PRNG steps per request whatever the outcome.
class FaultInjector {
public:
    explicit FaultInjector(std::uint64_t seed);

    void setSpec(const FaultSpec& spec); // and restarts the PRNG
    const FaultSpec& spec() const { return m_spec; }
    bool proxyRunning() const { return m_proxyRunning; }
    void setProxyRunning(bool running) { m_proxyRunning = running; }

    enum class ServerFault { None, Error500, Error503, Rate429, Malformed };
    enum class ProxyFault { None, Drop, Truncate };

    bool applies(FaultTarget target) const;
    ServerFault drawServer(FaultTarget target);
    ProxyFault drawProxy(FaultTarget target);
    // The latency of one answer: the spec's, varied by the jitter (one PRNG step whenever jitter is set).
    int drawLatency(FaultTarget target);
    bool drawTokenDown();
    bool drawEarlyExpiry();

    // {"spec":…,"proxy":bool,"injected":{"error500":N,…}}
    QJsonObject state() const;

private:
    double unit();
    void count(const char* name) { ++m_injected[QString::fromLatin1(name)]; }

    std::uint64_t m_seed;
    std::mt19937_64 m_rng;
    FaultSpec m_spec;
    bool m_proxyRunning = false;
    QMap<QString, int> m_injected;
};

} // namespace ondevice::sandbox
