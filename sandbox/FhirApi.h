#pragma once

#include "DpopVerifier.h"
#include "ResourceStore.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ondevice::sandbox {

class AuthorizationServer;
class FormData;
class ScopeSet;
struct AccessContext;
struct Quirks;
struct SandboxStats;

// The FHIR R4 core: metadata, Patient read/search and patient-compartment
// search for the clinical types, behind a bearer token whose scopes and
// patient are enforced on every request. Search results are snapshotted when
// they span several pages, so `next` links are stable while data changes.
class FhirApi {
public:
    FhirApi(ResourceStore& store, const AuthorizationServer& auth, SandboxStats& stats, const Quirks& quirks,
        DpopVerifier& dpop);

    void setBase(const QString& fhirBase) { m_fhirBase = fhirBase; }
    // `path` is what follows the FHIR base ("/metadata", "/Observation", ...).
    QHttpServerResponse handle(const QHttpServerRequest& request, const QString& path);

    // What Patient/$everything returns for `types` (already cut to allowedTypes()), changed at or after
    // `since`: the patient's records of each type, and for the shared types (Medication, and with quirk
    // everything-extra-types Organization and Practitioner) those the patient's records name. The admin API
    // answers "what does a grant cover" with the same list.
    QList<ResourcePtr> everythingFor(
        const QString& patient, const QStringList& types, std::optional<qint64> since) const;
    // The types a patient's $everything brings when no _type narrows it: the Patient, the compartment types,
    // and with quirk everything-extra-types the billing records and the Organization and Practitioner they name.
    QStringList everythingTypes() const;
    // `types` less those the scopes may not search (shared types: read).
    QStringList allowedTypes(QStringList types, const ScopeSet& scopes) const;

private:
    struct Snapshot {
        QString kind; // the resource type, or "$everything"
        QString path; // after the base, for the page links: "Observation", "Patient/{id}/$everything"
        QString patient;
        QStringList types; // what a token must be allowed to search to read a page
        QList<ResourcePtr> entries;
    };

    QHttpServerResponse capabilityStatement() const;
    QHttpServerResponse unauthorized(const QString& description, bool invalidToken) const;
    QHttpServerResponse read(
        const QHttpServerRequest& request, const QString& type, const QString& id, const AccessContext& context) const;
    QHttpServerResponse search(const QHttpServerRequest& request, const QString& type, const AccessContext& context);
    // Medication?_id=a,b,c: the shared resources named, that this token may read.
    QHttpServerResponse byIds(const QString& type, const QStringList& ids, const AccessContext& context) const;
    QHttpServerResponse everything(const QHttpServerRequest& request, const QString& id, const AccessContext& context);
    QHttpServerResponse continuePaging(
        const FormData& params, const QString& kind, int count, const AccessContext& context) const;
    QHttpServerResponse page(const QString& kind, const QString& snapshotId, qsizetype offset, int count,
        const AccessContext& context) const;
    QString keepSnapshot(Snapshot snapshot);
    // A 401 for a DPoP failure: WWW-Authenticate DPoP with the error, and the nonce to use.
    QHttpServerResponse dpopUnauthorized(const DpopVerifier::Failure& failure);
    // Searched by patient here: the compartment types, and with quirk everything-extra-types the billing records.
    bool searchableByPatient(const QString& type) const;
    bool serves(const QString& type) const;
    static std::optional<int> parseCount(const FormData& params, QString* error);
    static void sortEntries(QList<ResourcePtr>& entries, const QString& sort);

    ResourceStore& m_store;
    const AuthorizationServer& m_auth;
    SandboxStats& m_stats;
    const Quirks& m_quirks;
    DpopVerifier& m_dpop;
    QString m_fhirBase;
    QHash<QString, Snapshot> m_snapshots;
    QList<QString> m_snapshotOrder; // oldest first, for eviction
};

} // namespace ondevice::sandbox
