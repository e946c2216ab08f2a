#pragma once

#include "AdminApi.h"
#include "AuthorizationServer.h"
#include "FhirApi.h"
#include "ResourceStore.h"
#include "SandboxOptions.h"
#include "SandboxStats.h"
#include "SigningKey.h"

#include <QHttpServer>
#include <QString>

namespace ondevice::sandbox {

// The composition root of ondevice-sandbox: data, key, the three APIs and one
// HTTP server whose single synchronous dispatcher routes every request. (A
// handler never returns a QFuture: Qt HttpServer 6.4 would then use the
// socket after a client that hung up has freed it.)
class SandboxServer {
public:
    explicit SandboxServer(SandboxOptions options);

    // Generates the data and the key, then listens. Empty on success, else why not.
    QString start();
    quint16 port() const { return m_port; }
    QString origin() const;
    QString fhirBase() const { return origin() + QStringLiteral("/fhir"); }
    // {"fhir_base":...,"admin_base":...,"issuer":...,"pid":N}
    QString announcement() const;

private:
    QHttpServerResponse dispatch(const QHttpServerRequest& request);

    SandboxOptions m_options;
    SandboxStats m_stats;
    ResourceStore m_store;
    SigningKey m_key;
    AuthorizationServer m_auth;
    FhirApi m_fhir;
    AdminApi m_admin;
    QHttpServer m_http;
    quint16 m_port = 0;
};

} // namespace ondevice::sandbox
