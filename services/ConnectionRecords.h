#pragma once

#include "auth/ConnectionRegistry.h"
#include "auth/SecretStore.h"
#include "core/Expected.h"
#include "fhir/SyncReport.h"
#include "fhir/store/StoreError.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace ondevice::auth {
class AccessTokenProvider;
}

namespace ondevice::fhir {
class FhirClient;
class ResourceStore;
class SyncEngine;
} // namespace ondevice::fhir

namespace ondevice::services {

// <AppLocalDataLocation>/records.sqlite: the records of every connection, shared by the window and ondevice-cli.
QString defaultRecordsPath();

// What a sync of `connection` asks for. The window and ondevice-cli plan the same sync; only the CLI's
// --full, --page-size and --through change it.
struct SyncOptions {
    bool full = false; // fetch everything again and remove what the provider no longer has
    int pageSize = 0; // 0: the engine's default
    fhir::SyncPlan::Strategy strategy = fhir::SyncPlan::Strategy::Automatic;
};
fhir::SyncPlan syncPlan(const auth::Connection& connection, const SyncOptions& options = {});

// Deletes a forgotten connection's records (its key has left the keychain, so they could not be read anyway).
fhir::StoreResult<Done> forgetRecords(const QString& databasePath, const QString& connectionId);

// One connection's records on this device: the store, opened with the connection's data key from the keychain,
// and the sync that fills it. Lives on the thread that opened it (ResourceStore is bound to its thread). The
// window (RecordsHub) and ondevice-cli both hold a connection's records through this.
class ConnectionRecords : public QObject {
    Q_OBJECT

public:
    enum class OpenError {
        Keychain, // the data key could not be read; the message is the keychain's
        Store, // the database could not be opened with it; the message is the store's
    };
    using Opened = Expected<std::unique_ptr<ConnectionRecords>, OpenError>;

    // Reads the data key, waits for the database's write turn (opening may write: a new connection's row,
    // after any page another sync in this process has open) and opens. `done` runs on `context`'s thread,
    // and not at all when `context` is gone by then.
    static void open(auth::SecretStore& secrets, const QString& databasePath, const auth::Connection& connection,
        QObject* context, const std::function<void(Opened)>& done);

    // Stops a running sync and closes the store, in that order.
    ~ConnectionRecords() override;

    QString connectionId() const { return m_connectionId; }
    // The key the store was opened with: a worker thread opens its own store with it (services/RecordsHub.h).
    QByteArray dataKey() const { return m_dataKey; }
    fhir::ResourceStore& store() { return *m_store; }

    // Starts a sync of `plan` from `fhirBase`, asking `tokens` for access tokens. The client and the engine are
    // made by the first sync and kept for the object's life: deleting them while a page is parsed would orphan
    // its continuation. `network` and `tokens` must outlive this object.
    void sync(QNetworkAccessManager& network, auth::AccessTokenProvider& tokens, const QUrl& fhirBase,
        const fhir::SyncPlan& plan);
    bool isSyncing() const;
    void cancelSync();

    // How many records of `type` the store holds (0 when it cannot say).
    qint64 storedCount(const QString& type) const;
    // Writes every record as one FHIR Bundle (type collection) to `path`; the number of resources written.
    fhir::StoreResult<qint64> exportBundle(const QString& path);

Q_SIGNALS:
    void progressed(const QString& type, const ondevice::fhir::TypeProgress& progress, qint64 totalFetched);
    void syncFinished(const ondevice::fhir::SyncReport& report);

private:
    ConnectionRecords(QString connectionId, QByteArray dataKey, std::unique_ptr<fhir::ResourceStore> store);

    QString m_connectionId;
    QByteArray m_dataKey;
    std::unique_ptr<fhir::ResourceStore> m_store;
    fhir::FhirClient* m_client = nullptr;
    fhir::SyncEngine* m_engine = nullptr;
};

} // namespace ondevice::services
