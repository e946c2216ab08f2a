#pragma once

#include "FhirClient.h"
#include "SyncReport.h"
#include "store/StoreError.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QQueue>
#include <QSet>

#include <functional>

namespace ondevice::fhir {

class ResourceStore;

// Fetches what the granted scopes allow into the store, incrementally.
//
// - Incremental: each type's next run asks `_lastUpdated=ge<T>`, where T is
//   the server's Date of the previous run's first response minus 5 minutes
//   (never the local clock); the versioned upsert absorbs the overlap. After a
//   complete sync type by type at a server that offers $everything too, the
//   next incremental sync is one $everything?_since= chain from the earliest
//   of those bounds (a few changes fit one page).
// - Resumable: each page is written in one transaction together with the
//   checkpoint (the next link), so a crash at any point leaves a consistent
//   store and the next run resumes where the last committed page ended.
// - Pipelined on one thread: a page is written a slice at a time, giving the
//   event loop back in between, and its next page is asked for as it arrives,
//   so the next page downloads and parses (on a worker) while this one waits
//   for its turn and is written. Answers are still handled one at a time, in the order they
//   arrive, and engines writing the same file from one thread take turns
//   (WriteTurn).
// - Independent requests in flight: per-type searches, several types at a time
//   (SyncPlan::parallelTypes), the largest first and the first ones beside the
//   CapabilityStatement's request. A chain of next links is one page at a time,
//   so where a server offers both, Patient/$everything only brings what the
//   searches cannot (`_type=`: types searched by patient outside the plan, the
//   shared resources the records name, types stored before that cannot be
//   searched), beside them; it is the whole sync only where the server offers
//   no per-type search. Every type stored before is searched again.
// - One failing type does not fail the others; a 403 means "not shared".
// - Liberal where a server's slip costs nothing, and each workaround is remembered for the connection (in
//   the store's encrypted state) and said in SyncReport::notes: a 400 for `_lastUpdated` (or `_since`)
//   gives a full search instead; a server that ignores it is noticed (older records in the answer); a 400
//   for an Observation or DocumentReference search without `category` gives one search per category (and
//   such a type is not reconciled on a full re-sync: a category outside the list must not delete records);
//   a Date header that is missing or more than 15 minutes off the local clock is not used as the bound,
//   the newest meta.lastUpdated seen is (with an hour of overlap); searchset "outcome" entries are notes.
// - A full re-sync reconciles deletions: what the server no longer returns
//   is removed locally, only after that type's search completed.
class SyncEngine : public QObject {
    Q_OBJECT

public:
    SyncEngine(FhirClient& client, ResourceStore& store, QObject* parent = nullptr);
    ~SyncEngine() override;

    void start(const SyncPlan& plan);
    void cancel();
    bool isRunning() const { return m_running; }
    const SyncReport& report() const { return m_report; }

Q_SIGNALS:
    void progressed(const QString& type, const ondevice::fhir::TypeProgress& progress, qint64 totalFetched,
        double resourcesPerSecond);
    void finished(const ondevice::fhir::SyncReport& report);

private:
    struct TypeRun;
    struct Split;
    struct Offered;
    static Offered readStatement(const QByteArray& json);
    void chooseStrategy();
    void planPerType(const Offered& offered);
    void startEverything();
    void startChain();
    void chainRefused(std::shared_ptr<TypeRun> run, const FhirFailure& failure);
    // A split type's part was refused, its rest held records of the categories beside it, or its count showed
    // records missing: one search of the whole type instead, remembered.
    void abandonSplit(const QString& type, const QString& why);
    // The server's count of every record of the split type, beside its parts (once per server: kSplitVerified).
    void countSplitType(const QString& type);
    // Every part and the count are in: the split held every record (remembered), or one search of the type.
    void settleSplit(const QString& type);
    void reportSplit();
    // A run that names Medications (MedicationRequest's search) or brings them ($everything) is through; true when
    // it was the last such: the Medications named and not stored yet are fetched then, once.
    bool medicationSourceDone(TypeRun& run);
    void finishEverything(std::shared_ptr<TypeRun> run);
    void startNextTypes();
    void startType(const QString& type);
    void startSearch(std::shared_ptr<TypeRun> run);
    bool retryRefused(std::shared_ptr<TypeRun> run, const FhirFailure& failure);
    void note(const QString& text);
    double resourcesPerSecond() const;
    static QString positionNotSaved();
    // The server refuses or ignores _lastUpdated / _since: remembered for the connection, full searches.
    void boundUnusable(const char* how);
    void fetchPage(std::shared_ptr<TypeRun> run, const QUrl& url);
    void arrived(std::shared_ptr<TypeRun> run, const FhirResult<BundlePage>& page);
    // `nextAsked`: its next page was asked for as it arrived.
    void handlePage(std::shared_ptr<TypeRun> run, const FhirResult<BundlePage>& page, bool nextAsked);
    void writeSlice();
    void pageWritten();
    void pageStored(std::shared_ptr<TypeRun> run, const BundlePage& page);
    void failWrite(const StoreFailure& failure);
    void whenWritten(const std::function<void()>& step);
    void runSteps();
    void releaseTurn();
    void afterPage();
    void finishType(std::shared_ptr<TypeRun> run, TypeProgress::State state, const QString& error = {});
    void fetchMedications(std::shared_ptr<TypeRun> run);
    void abortAll(const FhirFailure& failure);
    void maybeFinish();
    QString sinceFor(const QString& checkpoint);
    void noteServerDate(const QDateTime& date);
    bool writeState(const QString& name, const QByteArray& value);
    std::optional<QByteArray> readState(const QString& name);

    FhirClient& m_client;
    ResourceStore& m_store;
    SyncPlan m_plan;
    SyncReport m_report;
    QStringList m_pending;
    int m_active = 0; // runs started and not finished (the CapabilityStatement's request counts as one)
    int m_lastPagesArrived = 0; // of those, the ones whose last page is being written
    int searchesInFlight() const { return m_active - m_lastPagesArrived; }
    bool m_running = false;
    bool m_boundUnusable = false; // see boundUnusable()
    int m_pageSize = 0; // the _count asked: the plan's, else as large as this server gives
    QElapsedTimer m_clock;
    QSet<QString> m_referencedMedications;
    int m_medicationSources = 1; // runs that may still name or bring Medications
    QStringList m_chainTypes; // per-type plan: what one $everything?_type= chain brings beside it
    QStringList m_started; // the types whose search has started
    std::shared_ptr<Split> m_split; // Observation, searched in chains side by side
    bool m_offersBoth = false; // the CapabilityStatement offers per-type searches and $everything
    QDateTime m_earliestBound; // the earliest incremental bound this run wrote
    bool m_deciding = false; // the CapabilityStatement is on its way: the first searches run, no more start

    // The page being written (its transaction is open), and what waits for it.
    struct Writing {
        std::shared_ptr<TypeRun> run;
        BundlePage page;
        qsizetype written = 0;
    };
    std::optional<Writing> m_writing;
    QQueue<std::function<void()>> m_steps;
    bool m_waitingForTurn = false; // for the file's WriteTurn
    bool m_holdsTurn = false;
};

} // namespace ondevice::fhir
