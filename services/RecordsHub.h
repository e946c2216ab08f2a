#pragma once

#include "auth/ConnectionRegistry.h"
#include "fhir/SyncReport.h"
#include "fhir/store/ResourceStore.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <map>
#include <memory>

class QNetworkAccessManager;

namespace ondevice::services {

class Workspace;

// One connection whose records can be read: what a worker thread needs to
// open its own store for it.
struct RecordSource {
    QString connectionId;
    QString host; // shown as the source of each row
    QByteArray dataKey;
};

// The ResourceStore objects of the records worker thread, one per connection.
// ResourceStore is bound to the thread that opened it, so these are only ever
// touched by tasks running on RecordsHub's single worker thread.
class WorkerStores {
public:
    explicit WorkerStores(QString databasePath);
    // Opens on first use; nullptr (and `error` set) when it cannot be opened.
    fhir::ResourceStore* store(const RecordSource& source, QString* error = nullptr);
    void close(const QString& connectionId);
    void closeAll();
    QString databasePath() const { return m_databasePath; }

private:
    QString m_databasePath;
    std::map<QString, std::unique_ptr<fhir::ResourceStore>> m_stores;
};

// What the sync tells the window: offline, or an action the user can take.
enum class SyncAction { None, Retry, Reconnect };

// The records side of the GUI: for each connection the store (opened with the
// data key from the keychain), the sync engine over the connection's Session,
// the sync schedule (at start-up after the silent refresh, then every few
// hours), and a worker thread on which views read and decrypt pages.
// Forgetting a connection deletes its rows; signing out only stops its sync.
class RecordsHub : public QObject {
    Q_OBJECT

public:
    RecordsHub(Workspace& workspace, QString databasePath, QObject* parent = nullptr);
    ~RecordsHub() override;

    // records.sqlite; in session-only mode (no usable keychain) a temporary file in the per-user runtime
    // directory (RAM-backed on Linux), encrypted under keys held only in memory, deleted when this hub goes.
    QString databasePath() const { return m_databasePath; }
    // Connections whose store is open, in the Workspace's order.
    QList<RecordSource> sources() const;

    // Runs work(WorkerStores&, sources) on the records worker thread. Reading
    // and decrypting pages never happens on the GUI thread. Continue as
    // everywhere in the product (core/Continuations.h):
    // `.then(compat::continuationContext(), compat::ifAlive(view, ...))`, so a
    // view that is gone when the page arrives is simply skipped.
    template <typename Work> auto onWorker(Work work)
    {
        return QtConcurrent::run(
            &m_pool, [stores = m_stores, list = sources(), work]() { return work(*stores, list); });
    }

    // Sync one connection now, or all of them (empty id).
    void syncNow(const QString& id = {});
    void cancelSync();
    bool isSyncing() const;
    // Resources received in the running syncs, and the servers' totals when known (0: unknown).
    qint64 syncFetched() const;
    qint64 syncExpected() const;
    // The last sync of some connection could not reach its server.
    bool isOffline() const;
    // Each connection's patient as their own Patient record names them, by connection id; a connection whose
    // Patient record has not arrived yet has none. Read again whenever records arrive (patientNamesChanged).
    QHash<QString, QString> patientNames() const { return m_patientNames; }
    // Hours between automatic syncs (QSettings "sync/intervalHours", default 6).
    double syncIntervalHours() const;

Q_SIGNALS:
    void sourcesChanged(); // a store opened or went away: views read again
    void recordsChanged(); // records arrived or were removed (throttled during a sync)
    void syncStateChanged(); // started, progressed, finished, offline changed
    void syncFailed(const QString& id, const QString& message, ondevice::services::SyncAction action);
    void syncSucceeded(const QString& id, qint64 resources);
    void storeFailed(const QString& id, const QString& message);
    void patientNamesChanged();

private:
    struct Slot;
    void updateConnections();
    void useSessionDatabase();
    void openStore(const QString& id);
    void maybeSyncAtStart(const QString& id);
    void startSync(const QString& id);
    void finishSync(const QString& id, const fhir::SyncReport& report);
    void forgetRecords(const QString& id);
    void scheduleRecordsChanged();
    void readPatientNames();

    Workspace& m_workspace;
    QString m_databasePath;
    bool m_sessionDatabase = false;
    QNetworkAccessManager* m_network = nullptr;
    QThreadPool m_pool;
    std::shared_ptr<WorkerStores> m_stores;
    std::map<QString, std::unique_ptr<Slot>> m_slots;
    QTimer m_schedule;
    QTimer m_changed; // coalesces recordsChanged while pages arrive
    quint64 m_serial = 0;
    QHash<QString, QString> m_patientNames;
    bool m_readingNames = false;
    bool m_readNamesAgain = false;
};

} // namespace ondevice::services

Q_DECLARE_METATYPE(ondevice::services::SyncAction)
