#pragma once

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace ondevice::sandbox {

class AuthorizationServer;
class FhirApi;
class ResourceStore;
struct SandboxStats;

// What the admin API may change outside the data: faults and quirks. The
// setters return an error message, or empty on success.
struct AdminControls {
    std::function<QJsonObject()> faults;
    std::function<QString(const QString&)> setFaults;
    std::function<QJsonObject()> quirks;
    std::function<QString(const QString&)> setQuirks;
};

// The test and demo controls under {admin_base}: counters, live grants (only
// SHA-256 of refresh tokens), revoke-all, and data changes. The caller
// (SandboxServer) only lets loopback peers reach it.
class AdminApi {
public:
    AdminApi(ResourceStore& store, AuthorizationServer& auth, const FhirApi& fhir, const SandboxStats& stats,
        AdminControls controls);

    // `path` is what follows the admin base ("/stats", ...).
    QHttpServerResponse handle(const QHttpServerRequest& request, const QString& path);

private:
    QHttpServerResponse stats() const;
    QHttpServerResponse addResources(const QString& patient, const QByteArray& body);
    QHttpServerResponse coveredResources(const QString& patient, const QString& scopeText) const;
    // GET shows, PUT sets (a text body, or JSON {"<key>": "..."}).
    QHttpServerResponse setting(const QHttpServerRequest& request, const char* key,
        const std::function<QJsonObject()>& get, const std::function<QString(const QString&)>& set);

    ResourceStore& m_store;
    AuthorizationServer& m_auth;
    const FhirApi& m_fhir;
    const SandboxStats& m_stats;
    AdminControls m_controls;
};

} // namespace ondevice::sandbox
