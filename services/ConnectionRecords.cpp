#include "ConnectionRecords.h"
#include "core/Continuations.h"

#include "fhir/BundleExport.h"
#include "fhir/FhirClient.h"
#include "fhir/SyncEngine.h"
#include "fhir/store/ResourceStore.h"
#include "fhir/store/WriteTurn.h"

#include <QPointer>
#include <QStandardPaths>

namespace ondevice::services {

QString defaultRecordsPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/records.sqlite");
}

fhir::SyncPlan syncPlan(const auth::Connection& connection, const SyncOptions& options)
{
    fhir::SyncPlan plan;
    plan.patientId = connection.patientId;
    plan.grantedScopes = connection.grantedScopes;
    plan.full = options.full;
    plan.strategy = options.strategy;
    if (options.pageSize > 0)
        plan.pageSize = options.pageSize;
    return plan;
}

fhir::StoreResult<Done> forgetRecords(const QString& databasePath, const QString& connectionId)
{
    return fhir::ResourceStore::forget(databasePath, connectionId);
}

void ConnectionRecords::open(auth::SecretStore& secrets, const QString& databasePath,
    const auth::Connection& connection, QObject* context, const std::function<void(Opened)>& done)
{
    const QString id = connection.id;
    secrets.read(connection.dataKeyKey())
        .then(compat::continuationContext(),
            compat::ifAlive(context, [context, databasePath, id, done](const auth::SecretValue& key) {
                if (!key) {
                    done(Failure<OpenError> { OpenError::Keychain, key.failure().message, key.failure().detail });
                    return;
                }
                fhir::WriteTurn::whenFree(databasePath, context, [databasePath, id, done, dataKey = key.value()] {
                    auto store = fhir::ResourceStore::open(databasePath, id, dataKey);
                    if (!store) {
                        done(Failure<OpenError> { OpenError::Store, store.failure().message, store.failure().detail });
                        return;
                    }
                    done(std::unique_ptr<ConnectionRecords>(
                        new ConnectionRecords(id, dataKey, std::move(store).value())));
                });
            }));
}

ConnectionRecords::ConnectionRecords(
    QString connectionId, QByteArray dataKey, std::unique_ptr<fhir::ResourceStore> store)
    : m_connectionId(std::move(connectionId))
    , m_dataKey(std::move(dataKey))
    , m_store(std::move(store))
{
}

ConnectionRecords::~ConnectionRecords()
{
    // The client first, while the engine is alive: cancelling finishes every request at once and their
    // continuations run now, not after the engine is gone. Then both go, before the store they write to.
    if (m_engine)
        m_engine->disconnect(this);
    if (m_client)
        m_client->cancelAll();
    delete m_engine;
    delete m_client;
}

void ConnectionRecords::sync(
    QNetworkAccessManager& network, auth::AccessTokenProvider& tokens, const QUrl& fhirBase, const fhir::SyncPlan& plan)
{
    if (!m_engine) {
        m_client = new fhir::FhirClient(network, tokens, fhirBase, {}, this);
        m_engine = new fhir::SyncEngine(*m_client, *m_store, this);
        connect(m_engine, &fhir::SyncEngine::progressed, this,
            [this](const QString& type, const fhir::TypeProgress& progress, qint64 totalFetched, double) {
                Q_EMIT progressed(type, progress, totalFetched);
            });
        connect(m_engine, &fhir::SyncEngine::finished, this, &ConnectionRecords::syncFinished);
    }
    m_engine->start(plan);
}

bool ConnectionRecords::isSyncing() const
{
    return m_engine && m_engine->isRunning();
}

void ConnectionRecords::cancelSync()
{
    if (isSyncing())
        m_engine->cancel();
}

qint64 ConnectionRecords::storedCount(const QString& type) const
{
    const auto counted = m_store->count(type);
    return counted ? counted.value() : 0;
}

fhir::StoreResult<qint64> ConnectionRecords::exportBundle(const QString& path)
{
    return fhir::exportBundle(*m_store, path);
}

} // namespace ondevice::services
