#pragma once

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QString>

namespace ondevice::sandbox {

class AuthorizationServer;
class ResourceStore;
struct SandboxStats;

// The test and demo controls under {admin_base}: counters, live grants (only
// SHA-256 of refresh tokens), revoke-all, and data changes. The caller
// (SandboxServer) only lets loopback peers reach it.
class AdminApi {
public:
    AdminApi(ResourceStore& store, AuthorizationServer& auth, const SandboxStats& stats);

    // `path` is what follows the admin base ("/stats", ...).
    QHttpServerResponse handle(const QHttpServerRequest& request, const QString& path);

private:
    QHttpServerResponse stats() const;
    QHttpServerResponse addResources(const QString& patient, const QByteArray& body);

    ResourceStore& m_store;
    AuthorizationServer& m_auth;
    const SandboxStats& m_stats;
};

} // namespace ondevice::sandbox
