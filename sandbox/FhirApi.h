#pragma once

#include "ResourceStore.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QList>
#include <QString>

namespace ondevice::sandbox {

class AuthorizationServer;
struct SandboxStats;

// The FHIR R4 core: metadata, Patient read/search and patient-compartment
// search for the clinical types, behind a bearer token whose scopes and
// patient are enforced on every request. Search results are snapshotted when
// they span several pages, so `next` links are stable while data changes.
class FhirApi {
public:
    FhirApi(ResourceStore& store, const AuthorizationServer& auth, SandboxStats& stats);

    void setBase(const QString& fhirBase) { m_fhirBase = fhirBase; }
    // `path` is what follows the FHIR base ("/metadata", "/Observation", ...).
    QHttpServerResponse handle(const QHttpServerRequest& request, const QString& path);

private:
    struct Snapshot {
        QString type;
        QString patient;
        QList<ResourcePtr> entries;
    };

    QHttpServerResponse capabilityStatement() const;
    QHttpServerResponse search(const QHttpServerRequest& request, const QString& type, const QString& patient);
    QHttpServerResponse page(const QString& type, const QString& snapshotId, qsizetype offset, int count, const QString& patient) const;
    QString keepSnapshot(Snapshot snapshot);

    ResourceStore& m_store;
    const AuthorizationServer& m_auth;
    SandboxStats& m_stats;
    QString m_fhirBase;
    QHash<QString, Snapshot> m_snapshots;
    QList<QString> m_snapshotOrder; // oldest first, for eviction
};

} // namespace ondevice::sandbox
