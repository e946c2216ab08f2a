#pragma once

#include "AdminApi.h"
#include "AuthorizationServer.h"
#include "DpopVerifier.h"
#include "FaultProxy.h"
#include "Faults.h"
#include "FhirApi.h"
#include "Quirks.h"
#include "ResourceStore.h"
#include "SandboxOptions.h"
#include "SandboxStats.h"
#include "SigningKey.h"

#include <QHttpServer>
#include <QString>

#include <memory>

namespace ondevice::sandbox {

// The composition root of ondevice-sandbox: data, key, the three APIs and one
// HTTP server whose single synchronous dispatcher routes every request. (A
// handler never returns a QFuture: Qt HttpServer 6.4 would then use the
// socket after a client that hung up has freed it.) With proxy faults, a
// FaultProxy owns the announced port and the HTTP server sits on another
// loopback port behind it.
class SandboxServer {
public:
    explicit SandboxServer(SandboxOptions options);

    // Generates (and loads) the data and the key, then listens. Empty on success, else why not.
    QString start();
    // The exit code for a failed start(): 2 for bad input (--load), 1 otherwise.
    int failureExitCode() const { return m_failureExitCode; }
    quint16 port() const { return m_port; }
    QString origin() const;
    // "/fhir", or "/v/r4/sim/<base64url json>/fhir" under the launch-base quirk.
    QString fhirPath() const;
    QString fhirBase() const { return origin() + fhirPath(); }
    // {"fhir_base":...,"admin_base":...,"issuer":...,"pid":N}
    QString announcement() const;

private:
    QHttpServerResponse dispatch(const QHttpServerRequest& request);
    // Routes to the endpoint, without faults.
    QHttpServerResponse route(const QHttpServerRequest& request, const QString& path);
    QHttpServerResponse injectServerFault(FaultInjector::ServerFault fault, const QHttpServerRequest& request);
    FaultTarget classify(const QString& path) const;
    void applyBase();
    quint16 listenHttp(const QHostAddress& address, quint16 port); // 0 when it cannot
    QString setFaults(const QString& spec); // empty on success
    QString setQuirks(const QString& list); // empty on success
    QJsonObject quirksState() const;

    SandboxOptions m_options;
    SandboxStats m_stats;
    ResourceStore m_store;
    SigningKey m_key;
    Quirks m_quirks;
    FaultInjector m_faults;
    DpopVerifier m_dpop; // one for the token endpoint and the FHIR API: they share an origin, so one nonce
    AuthorizationServer m_auth;
    FhirApi m_fhir;
    AdminApi m_admin;
    QHttpServer m_http;
    std::unique_ptr<FaultProxy> m_proxy;
    quint16 m_port = 0; // the announced port (the proxy's when there is one)
    quint16 m_httpPort = 0; // the HTTP server's own port
    int m_failureExitCode = 1;
};

} // namespace ondevice::sandbox
