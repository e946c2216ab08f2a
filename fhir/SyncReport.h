#pragma once

#include "FhirError.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// What a sync is asked to do and what it came to: plain data, so that the layers above can plan a sync and
// show its outcome without the engine (fhir/SyncEngine.h) or the store.

namespace ondevice::fhir {

// The resource types a patient's records are made of, in fetch order.
// Patient is read; MedicationRequest brings the Medications it references.
QStringList syncedResourceTypes();

// Whether the granted scopes let the app search `type` (SMART v1 `.read`,
// `.*`, or v2 with `s`; `*` as the type).
bool scopesAllowSearch(const QStringList& grantedScopes, const QString& type);

struct SyncPlan {
    enum class Strategy {
        Automatic, // Patient/$everything when the CapabilityStatement offers it, else per-type searches
        PerType,
        Everything,
    };
    Strategy strategy = Strategy::Automatic;
    QString patientId;
    QStringList grantedScopes;
    bool full = false; // re-fetch everything and remove what the server no longer has
    int pageSize = 0; // _count; 0: as large as the server gives (1000 asked; a refusal gives 100, remembered)
    int parallelTypes = 4;
};

struct TypeProgress {
    enum class State {
        Pending,
        Running,
        Done,
        NotShared, // outside the granted scopes (403, or never asked)
        NotOffered, // the server does not have this resource type (404 on its search)
        Failed,
        Cancelled,
    };
    State state = State::Pending;
    qint64 fetched = 0; // resources received this run
    std::optional<qint64> total; // the server's total, when it gives one
    int pages = 0;
    int removed = 0; // deletions reconciled by a full re-sync
    bool resumed = false; // started from a checkpoint left by an interrupted run
    QString error; // user-facing, when Failed
};

struct SyncReport {
    QMap<QString, TypeProgress> types;
    qint64 resources = 0;
    qint64 bytes = 0;
    qint64 elapsedMs = 0;
    bool cancelled = false;
    bool aborted = false; // the grant or keychain failed: nothing more could be fetched
    QString abortReason;
    std::optional<FhirError> abortCode;
    QDateTime serverDate; // Date of this run's first response
    bool usedEverything = false; // fetched through Patient/$everything
    // What the server did differently from the specs' reading and how the sync worked around it (a refused
    // _lastUpdated, a category it requires, warnings it sent with results, a Date header not to trust), for
    // the protocol timeline. Never holds record content.
    QStringList notes;

    bool complete() const;
    double resourcesPerSecond() const
    {
        return elapsedMs > 0 ? static_cast<double>(resources) * 1000.0 / static_cast<double>(elapsedMs) : 0;
    }
};

} // namespace ondevice::fhir
