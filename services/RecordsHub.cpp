#include "RecordsHub.h"
#include "core/Continuations.h"

#include "Workspace.h"

#include "ConnectionRecords.h"

#include "fhir/HumanName.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

#if defined(Q_OS_UNIX)
#include <cerrno>
#include <csignal>
#endif

namespace ondevice::services {

using namespace ondevice::auth;

Q_LOGGING_CATEGORY(lcRecords, "ondevice.services.records")

namespace {

// The FhirClient asks for tokens by connection id, not through a Session
// pointer: the Workspace replaces a connection's Session on sign-out and
// reconnect, and a running sync must never hold a dangling one.
class SessionTokens : public AccessTokenProvider {
public:
    SessionTokens(Workspace& workspace, QString id)
        : m_workspace(workspace)
        , m_id(std::move(id))
    {
    }

    void accessToken(QObject* context, std::function<void(const AccessToken&)> done) override
    {
        if (Session* session = m_workspace.session(m_id)) {
            session->accessToken(context, std::move(done));
            return;
        }
        done(Failure<AccessError> {
            AccessError::NeedsReconnect, RecordsHub::tr("This connection is gone."), QStringLiteral("no session") });
    }

    Expected<RequestHeaders, AccessError> requestHeaders(
        const QByteArray& method, const QUrl& url, const QByteArray& token) override
    {
        if (Session* session = m_workspace.session(m_id))
            return session->requestHeaders(method, url, token);
        return AccessTokenProvider::requestHeaders(method, url, token);
    }

    bool serverAnswered(const QUrl& url, int status, const QByteArray& dpopNonce, const QByteArray& challenge) override
    {
        Session* session = m_workspace.session(m_id);
        return session && session->serverAnswered(url, status, dpopNonce, challenge);
    }

    void invalidate(const QByteArray& rejected) override
    {
        if (Session* session = m_workspace.session(m_id))
            session->invalidate(rejected);
    }

private:
    Workspace& m_workspace;
    QString m_id;
};

} // namespace

struct RecordsHub::Slot {
    quint64 serial = 0;
    RecordSource source;
    bool opened = false;
    bool syncedThisRun = false;
    bool offline = false;
    std::unique_ptr<SessionTokens> tokens; // made before records, so that it outlives their client
    std::unique_ptr<ConnectionRecords> records; // GUI thread: the sync engine writes through its store
    qint64 fetched = 0;
    QMap<QString, qint64> totals;

    bool running() const { return records && records->isSyncing(); }
};

WorkerStores::WorkerStores(QString databasePath)
    : m_databasePath(std::move(databasePath))
{
}

fhir::ResourceStore* WorkerStores::store(const RecordSource& source, QString* error)
{
    auto it = m_stores.find(source.connectionId);
    if (it != m_stores.end())
        return it->second.get();
    auto opened = fhir::ResourceStore::open(m_databasePath, source.connectionId, source.dataKey);
    if (!opened) {
        if (error)
            *error = opened.failure().message;
        return nullptr;
    }
    auto* store = opened.value().get();
    m_stores.emplace(source.connectionId, std::move(opened).value());
    return store;
}

void WorkerStores::close(const QString& connectionId)
{
    m_stores.erase(connectionId);
}

void WorkerStores::closeAll()
{
    m_stores.clear();
}

RecordsHub::RecordsHub(Workspace& workspace, QString databasePath, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_databasePath(std::move(databasePath))
    , m_network(new QNetworkAccessManager(this))
    , m_stores(std::make_shared<WorkerStores>(m_databasePath))
{
    qRegisterMetaType<SyncAction>();
    // One worker thread that never expires: the stores it opened stay valid
    // for the next task, and reads are serialised behind each other.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    m_changed.setSingleShot(true);
    m_changed.setInterval(1000);
    connect(&m_changed, &QTimer::timeout, this, &RecordsHub::recordsChanged);
    m_schedule.setInterval(static_cast<int>(syncIntervalHours() * 3600 * 1000));
    connect(&m_schedule, &QTimer::timeout, this, [this] { syncNow(); });
    m_schedule.start();

    connect(&m_workspace, &Workspace::connectionsChanged, this, &RecordsHub::updateConnections);
    connect(&m_workspace, &Workspace::connectionChanged, this, [this](const QString& id) {
        const auto c = m_workspace.connection(id);
        auto it = m_slots.find(id);
        if (!c || it == m_slots.end())
            return;
        // Renamed (the server named its brand): every view's Source column follows.
        if (it->second->source.host != c->displayName()) {
            it->second->source.host = c->displayName();
            Q_EMIT sourcesChanged();
        }
        // Sign out or a lost grant: the records stay, the sync stops.
        if (c->state == ConnectionState::SignedOut || c->state == ConnectionState::NeedsReconnect) {
            if (it->second->records)
                it->second->records->cancelSync();
            return;
        }
        maybeSyncAtStart(id);
    });
    connect(&m_workspace, &Workspace::connectionForgotten, this, &RecordsHub::forgetRecords);
    // The names follow the records, whichever view is on screen.
    connect(this, &RecordsHub::sourcesChanged, this, &RecordsHub::readPatientNames);
    connect(this, &RecordsHub::recordsChanged, this, &RecordsHub::readPatientNames);
    updateConnections();
}

RecordsHub::~RecordsHub()
{
    m_slots.clear(); // each connection's sync stops, then its store closes
    // The worker's stores close on the thread that opened them.
    (void)QtConcurrent::run(&m_pool, [stores = m_stores] { stores->closeAll(); });
    m_pool.waitForDone();
    // A temporary session's records go with it (the keys were only ever in memory).
    if (m_sessionDatabase) {
        for (const char* suffix : { "", "-wal", "-shm" })
            QFile::remove(m_databasePath + QLatin1String(suffix));
    }
}

QList<RecordSource> RecordsHub::sources() const
{
    QList<RecordSource> list;
    for (const QString& id : m_workspace.connectionIds()) {
        auto it = m_slots.find(id);
        if (it != m_slots.end() && it->second->opened)
            list << it->second->source;
    }
    return list;
}

namespace {

// A session file is named after the process that made it. One whose process is gone was left by a run that
// crashed, unreadable without that run's in-memory keys: it is removed. A running process's file is never
// touched (another profile's window may share this runtime directory).
void removeStaleSessionFiles(const QString& dir)
{
#if defined(Q_OS_UNIX)
    static const QRegularExpression name(QStringLiteral("^ondevice-session-(\\d+)-[0-9a-f]+\\.sqlite(-wal|-shm)?$"));
    for (const QString& file : QDir(dir).entryList({ QStringLiteral("ondevice-session-*") }, QDir::Files)) {
        const QRegularExpressionMatch match = name.match(file);
        const qint64 pid = match.hasMatch() ? match.captured(1).toLongLong() : 0;
        if (pid > 0 && pid != QCoreApplication::applicationPid() && ::kill(static_cast<pid_t>(pid), 0) != 0
            && errno == ESRCH)
            QFile::remove(dir + QLatin1Char('/') + file);
    }
#else
    Q_UNUSED(dir); // the temporary directory is the system's to clean there
#endif
}

} // namespace

void RecordsHub::useSessionDatabase()
{
    // Whatever was open belongs to records.sqlite: closed once the tasks already queued on the worker have run,
    // and nothing opens it again this run.
    m_slots.clear(); // each connection's sync stops, then its store closes
    (void)QtConcurrent::run(&m_pool, [stores = std::move(m_stores)] { stores->closeAll(); });
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    removeStaleSessionFiles(dir);
    m_databasePath = QStringLiteral("%1/ondevice-session-%2-%3.sqlite")
                         .arg(dir)
                         .arg(QCoreApplication::applicationPid())
                         .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    m_sessionDatabase = true;
    m_stores = std::make_shared<WorkerStores>(m_databasePath);
    qCInfo(lcRecords) << "session-only: records kept in a temporary file until the app closes";
    Q_EMIT sourcesChanged();
}

void RecordsHub::updateConnections()
{
    const QStringList ids = m_workspace.connectionIds();
    // Session-only mode (no usable keychain) keeps this run's records in a temporary file of their own.
    if (m_workspace.isSessionOnly() && !m_sessionDatabase)
        useSessionDatabase();
    bool removed = false;
    for (auto it = m_slots.begin(); it != m_slots.end();) {
        if (!ids.contains(it->first)) {
            const QString id = it->first;
            it = m_slots.erase(it);
            (void)QtConcurrent::run(&m_pool, [stores = m_stores, id] { stores->close(id); });
            removed = true;
        } else {
            ++it;
        }
    }
    if (removed) {
        Q_EMIT sourcesChanged();
        Q_EMIT syncStateChanged();
    }
    for (const QString& id : ids)
        if (m_slots.find(id) == m_slots.end())
            openStore(id);
}

void RecordsHub::openStore(const QString& id)
{
    const auto c = m_workspace.connection(id);
    if (!c)
        return;
    auto slot = std::make_unique<Slot>();
    slot->serial = ++m_serial;
    slot->source.connectionId = id;
    slot->source.host = c->displayName();
    const quint64 serial = slot->serial;
    m_slots.emplace(id, std::move(slot));
    ConnectionRecords::open(
        m_workspace.secrets(), m_databasePath, *c, this, [this, id, serial](ConnectionRecords::Opened opened) {
            auto it = m_slots.find(id);
            if (it == m_slots.end() || it->second->serial != serial)
                return; // forgotten or replaced meanwhile (a store opened meanwhile closes here)
            Slot& s = *it->second;
            if (!opened) {
                Q_EMIT storeFailed(id,
                    opened.code() == ConnectionRecords::OpenError::Keychain
                        ? tr("The key to the records of %1 could not be read from %2: %3")
                              .arg(s.source.host, SecretStore::platformStoreName(), opened.failure().message)
                        : tr("The records of %1 could not be opened: %2").arg(s.source.host, opened.failure().message));
                return;
            }
            s.records = std::move(opened).value();
            s.source.dataKey = s.records->dataKey();
            s.opened = true;
            connect(s.records.get(), &ConnectionRecords::progressed, this,
                [this, id](const QString& type, const fhir::TypeProgress& progress, qint64 totalFetched) {
                    auto found = m_slots.find(id);
                    if (found == m_slots.end())
                        return;
                    found->second->fetched = totalFetched;
                    if (progress.total)
                        found->second->totals.insert(type, *progress.total);
                    Q_EMIT syncStateChanged();
                    scheduleRecordsChanged();
                });
            connect(s.records.get(), &ConnectionRecords::syncFinished, this,
                [this, id](const fhir::SyncReport& report) { finishSync(id, report); });
            Q_EMIT sourcesChanged();
            maybeSyncAtStart(id);
        });
}

void RecordsHub::maybeSyncAtStart(const QString& id)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end())
        return;
    Slot& s = *it->second;
    Session* session = m_workspace.session(id);
    const auto c = m_workspace.connection(id);
    // After the silent refresh: a Session with a token is one that refreshed
    // (or has just connected). Once per run; later runs come from the schedule.
    if (!s.opened || s.syncedThisRun || s.running() || !session || !c || !session->hasAccessToken()
        || c->state != ConnectionState::Connected)
        return;
    startSync(id);
}

void RecordsHub::syncNow(const QString& id)
{
    const QStringList ids = id.isEmpty() ? m_workspace.connectionIds() : QStringList { id };
    for (const QString& one : ids) {
        auto it = m_slots.find(one);
        const auto c = m_workspace.connection(one);
        if (it == m_slots.end() || !c || !it->second->opened || it->second->running())
            continue;
        if (c->state == ConnectionState::SignedOut || c->state == ConnectionState::NeedsReconnect) {
            // Only an explicit request says so; the schedule stays quiet.
            if (!id.isEmpty())
                Q_EMIT syncFailed(one,
                    c->state == ConnectionState::SignedOut
                        ? tr("%1: signed out, so the records are not updated. Reconnect to sync again.")
                              .arg(it->second->source.host)
                        : tr("%1 ended this app's access. Reconnect to sync again.").arg(it->second->source.host),
                    SyncAction::Reconnect);
            continue;
        }
        startSync(one);
    }
}

void RecordsHub::startSync(const QString& id)
{
    Slot& s = *m_slots.at(id);
    const auto c = m_workspace.connection(id);
    s.syncedThisRun = true;
    s.fetched = 0;
    s.totals.clear();
    if (!s.tokens)
        s.tokens = std::make_unique<SessionTokens>(m_workspace, id);
    m_workspace.setSyncing(id, true);
    qCInfo(lcRecords) << "sync started for" << id;
    s.records->sync(*m_network, *s.tokens, c->fhirBase, syncPlan(*c));
    Q_EMIT syncStateChanged();
}

void RecordsHub::finishSync(const QString& id, const fhir::SyncReport& report)
{
    auto it = m_slots.find(id);
    if (it == m_slots.end())
        return;
    Slot& s = *it->second;
    m_workspace.setSyncing(id, false);
    for (const QString& note : report.notes)
        m_workspace.noteSync(id, QStringLiteral("note: ") + note);
    const QString host = s.source.host;
    bool anyDone = false;
    QString firstError;
    for (const fhir::TypeProgress& p : report.types) {
        anyDone = anyDone || p.state == fhir::TypeProgress::State::Done;
        if (p.state == fhir::TypeProgress::State::Failed && firstError.isEmpty())
            firstError = p.error;
    }
    s.offline = !report.cancelled && !anyDone && !firstError.isEmpty();
    m_changed.stop();
    Q_EMIT recordsChanged();
    Q_EMIT syncStateChanged();
    if (report.cancelled)
        return;
    if (report.aborted) {
        const bool reconnect = report.abortCode
            && (*report.abortCode == fhir::FhirError::NeedsReconnect
                || *report.abortCode == fhir::FhirError::Unauthorized);
        if (reconnect && m_workspace.connection(id) && m_workspace.connection(id)->state == ConnectionState::SignedOut)
            return; // signed out on purpose: nothing to tell
        Q_EMIT syncFailed(
            id, tr("%1: %2").arg(host, report.abortReason), reconnect ? SyncAction::Reconnect : SyncAction::Retry);
        return;
    }
    if (s.offline) {
        Q_EMIT syncFailed(
            id, tr("%1 could not be reached: showing the records from the last sync.").arg(host), SyncAction::Retry);
        return;
    }
    if (!firstError.isEmpty()) {
        Q_EMIT syncFailed(id, tr("%1: some records could not be updated: %2").arg(host, firstError), SyncAction::Retry);
        return;
    }
    Q_EMIT syncSucceeded(id, report.resources);
}

void RecordsHub::cancelSync()
{
    for (auto& [id, slot] : m_slots)
        if (slot->records)
            slot->records->cancelSync();
}

bool RecordsHub::isSyncing() const
{
    for (const auto& [id, slot] : m_slots)
        if (slot->running())
            return true;
    return false;
}

qint64 RecordsHub::syncFetched() const
{
    qint64 sum = 0;
    for (const auto& [id, slot] : m_slots)
        if (slot->running())
            sum += slot->fetched;
    return sum;
}

qint64 RecordsHub::syncExpected() const
{
    qint64 sum = 0;
    for (const auto& [id, slot] : m_slots)
        if (slot->running())
            for (qint64 t : slot->totals)
                sum += t;
    return sum;
}

bool RecordsHub::isOffline() const
{
    for (const auto& [id, slot] : m_slots) {
        const auto c = m_workspace.connection(id);
        if (slot->offline || (c && c->state == ConnectionState::Offline))
            return true;
    }
    return false;
}

double RecordsHub::syncIntervalHours() const
{
    const double hours = QSettings().value(QStringLiteral("sync/intervalHours"), 6.0).toDouble();
    return std::max(hours, 0.05); // three minutes at the least
}

void RecordsHub::forgetRecords(const QString& id)
{
    auto it = m_slots.find(id);
    if (it != m_slots.end())
        m_slots.erase(it); // its sync stops, then its store closes
    // The GUI thread's store is closed (above); the worker closes its own and
    // deletes the rows, off the GUI thread.
    const QString path = m_databasePath;
    QtConcurrent::run(&m_pool, [stores = m_stores, id, path] {
        stores->close(id);
        return services::forgetRecords(path, id);
    }).then(compat::continuationContext(), compat::ifAlive(this, [this, id](const fhir::StoreResult<Done>& forgotten) {
        if (!forgotten)
            Q_EMIT storeFailed(id, forgotten.failure().message);
        Q_EMIT sourcesChanged();
        Q_EMIT recordsChanged();
        Q_EMIT syncStateChanged();
    }));
}

void RecordsHub::readPatientNames()
{
    // One read at a time; records that arrive meanwhile ask for one more.
    if (std::exchange(m_readingNames, true)) {
        m_readNamesAgain = true;
        return;
    }
    QHash<QString, QString> patients; // connection id -> the patient's id at that provider
    for (const RecordSource& s : sources()) {
        if (const auto c = m_workspace.connection(s.connectionId))
            patients.insert(s.connectionId, c->patientId);
    }
    onWorker([patients](WorkerStores& stores, const QList<RecordSource>& sources) {
        QHash<QString, QString> names;
        for (const RecordSource& s : sources) {
            fhir::ResourceStore* store = patients.contains(s.connectionId) ? stores.store(s) : nullptr;
            if (!store)
                continue;
            const auto row = store->get(QStringLiteral("Patient"), patients.value(s.connectionId));
            if (!row || !row.value())
                continue;
            const QJsonObject patient = QJsonDocument::fromJson(row.value()->json).object();
            const QString name = fhir::humanName(patient.value(QLatin1String("name")));
            if (!name.isEmpty())
                names.insert(s.connectionId, name);
        }
        return names;
    }).then(compat::continuationContext(), compat::ifAlive(this, [this](const QHash<QString, QString>& names) {
        m_readingNames = false;
        if (names != m_patientNames) {
            m_patientNames = names;
            Q_EMIT patientNamesChanged();
        }
        if (std::exchange(m_readNamesAgain, false))
            readPatientNames();
    }));
}

void RecordsHub::scheduleRecordsChanged()
{
    if (!m_changed.isActive())
        m_changed.start();
}

} // namespace ondevice::services
