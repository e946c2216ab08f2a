#include "Workspace.h"

#include "BrandSources.h"
#include "ProviderName.h"
#include "core/Continuations.h"

#include "auth/SmartDiscovery.h"

#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QPromise>

namespace ondevice::services {

using namespace ondevice::auth;

Workspace::Workspace(WorkspaceOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
    , m_secrets(std::make_unique<SecretStore>(m_options.keychainService))
    , m_registry(std::make_unique<ConnectionRegistry>(m_options.registryPath))
{
    Q_ASSERT_X(m_options.openBrowser, "Workspace", "WorkspaceOptions::openBrowser is required");
    m_services.network = m_network;
    m_services.secrets = m_secrets.get();
    m_services.registry = m_registry.get();
    m_services.lockDirectory = m_options.lockDirectory;
    m_brandSources = new BrandSources(*m_network, brandDirectory(), this);
}

QString Workspace::brandDirectory() const
{
    return QFileInfo(m_options.registryPath).absolutePath() + QStringLiteral("/brands");
}

Workspace::~Workspace()
{
    // Sessions and managers point into the store and registry: they go first.
    dropAll();
}

void Workspace::dropAll()
{
    for (Session* session : std::as_const(m_sessions))
        delete session;
    m_sessions.clear();
    delete m_manager;
    m_manager = nullptr;
    delete m_insecureManager;
    m_insecureManager = nullptr;
}

void Workspace::start()
{
    const auto loaded = m_registry->load();
    if (!loaded) {
        // The file is left untouched; the window says why it shows nothing.
        m_registryError = loaded.failure().message;
        Q_EMIT connectionsChanged();
        return;
    }
    m_registryError.clear();
    const bool keychainWorks = !keychainProblem().has_value();
    for (const Connection& c : loaded.value()) {
        addSession(c);
        record(c.id, tr("loaded"),
            c.lastRefresh.isValid()
                ? tr("from the connections file; last refresh %1 (%2)")
                      .arg(QLocale().toString(c.lastRefresh.toLocalTime(), QLocale::ShortFormat), c.lastRefreshResult)
                : tr("from the connections file"));
    }
    Q_EMIT connectionsChanged();
    if (!keychainWorks)
        return;
    for (const QString& id : std::as_const(m_order)) {
        Session* s = m_sessions.value(id);
        const Connection& c = s->connection();
        // Silent: only where a refresh token is expected to be. A grant the
        // provider ended stays ended until the user reconnects.
        if (c.staysConnected() && (c.state == ConnectionState::Connected || c.state == ConnectionState::Offline))
            s->refresh();
    }
}

void Workspace::continueSessionOnly()
{
    if (isSessionOnly())
        return;
    dropAll();
    m_order.clear();
    m_timelines.clear();
    m_syncing.clear();
    m_secrets = std::make_unique<SecretStore>(m_options.keychainService, SecretStore::Mode::SessionOnly);
    m_registry = std::make_unique<ConnectionRegistry>(QString());
    m_services.secrets = m_secrets.get();
    m_services.registry = m_registry.get();
    m_registryError.clear();
    Q_EMIT connectionsChanged();
    Q_EMIT sessionOnlyChanged(true);
}

bool Workspace::isSessionOnly() const
{
    return m_secrets->mode() == SecretStore::Mode::SessionOnly;
}

std::optional<Failure<SecretError>> Workspace::keychainProblem() const
{
    if (isSessionOnly())
        return std::nullopt;
    return SecretStore::knownUnavailable();
}

std::optional<Connection> Workspace::connection(const QString& id) const
{
    if (Session* s = m_sessions.value(id))
        return s->connection();
    return std::nullopt;
}

Session* Workspace::session(const QString& id) const
{
    return m_sessions.value(id);
}

std::optional<Connection> Workspace::stored(const QString& id) const
{
    const auto found = m_registry->find(id);
    return found ? found.value() : std::nullopt;
}

void Workspace::addSession(const Connection& connection)
{
    auto* session = new Session(connection, m_services, this);
    const QString id = connection.id;
    connect(session, &Session::stateChanged, this, [this, id] { Q_EMIT connectionChanged(id); });
    connect(session, &Session::refreshed, this, [this, id] { Q_EMIT connectionChanged(id); });
    connect(session, &Session::refreshFailed, this, [this, id](const AuthFailure& failure) {
        Q_EMIT connectionChanged(id);
        Q_EMIT refreshFailed(id, failure);
    });
    connect(session, &Session::protocolEvent, this,
        [this, id](const QString& step, const QString& outcome) { record(id, step, outcome); });
    session->setAutomaticRefresh(true);
    m_sessions.insert(id, session);
    if (!m_order.contains(id))
        m_order << id;
}

void Workspace::replaceSession(const Connection& connection)
{
    if (Session* old = m_sessions.take(connection.id))
        old->deleteLater(); // may be inside one of its own signals
    addSession(connection);
}

void Workspace::removeSession(const QString& id)
{
    if (Session* old = m_sessions.take(id))
        old->deleteLater();
    m_order.removeAll(id);
    m_timelines.remove(id);
    m_syncing.remove(id);
}

ConnectionManager* Workspace::manager(bool allowInsecureHttp)
{
    ConnectionManager*& slot = allowInsecureHttp ? m_insecureManager : m_manager;
    if (!slot) {
        slot = new ConnectionManager(m_services, m_options.openBrowser, DiscoveryOptions { allowInsecureHttp }, this);
        connect(slot, &ConnectionManager::protocolEvent, this,
            [this](const QString& step, const QString& outcome) { record(m_managerTarget, step, outcome); });
    }
    return slot;
}

void Workspace::record(const QString& id, const QString& step, const QString& outcome)
{
    auto& events = m_timelines[id];
    events << TimelineEvent { QDateTime::currentDateTime(), step, outcome };
    // A long-running GUI refreshes every hour for months: keep the recent past.
    constexpr qsizetype kKeep = 500;
    if (events.size() > kKeep)
        events.remove(0, events.size() - kKeep);
    Q_EMIT timelineChanged(id);
}

QFuture<AuthResult<SmartConfiguration>> Workspace::discover(const QUrl& fhirBase, DiscoveryOptions options)
{
    auto* discovery = new SmartDiscovery(*m_network, options, this);
    m_timelines.remove(QString()); // a new attempt starts its own timeline
    return discovery->discover(fhirBase).then(compat::continuationContext(),
        compat::passThrough(this, [this, discovery](const AuthResult<SmartConfiguration>& found) {
            discovery->deleteLater();
            record(QString(), tr("discovery"),
                found ? tr("ok: %1").arg(found.value().fhirBase.host()) : tr("failed: %1").arg(found.failure().detail));
        }));
}

QFuture<AuthResult<ConnectOutcome>> Workspace::connectProvider(const ConnectRequest& request, DiscoveryOptions options)
{
    m_managerTarget.clear();
    if (request.reconnectId)
        m_timelines.remove(QString());
    return manager(options.allowInsecureHttp)
        ->connectProvider(request)
        .then(
            compat::continuationContext(), compat::passThrough(this, [this](const AuthResult<ConnectOutcome>& outcome) {
                if (!outcome)
                    return;
                const Connection& c = outcome.value().connection;
                // The attempt's timeline becomes the start of the connection's.
                QList<TimelineEvent> events = m_timelines.take(QString());
                const QList<TimelineEvent> before
                    = outcome.value().isNew ? QList<TimelineEvent>() : m_timelines.value(c.id);
                m_timelines.insert(c.id, before + events);
                const bool added = !m_order.contains(c.id);
                replaceSession(c);
                m_sessions.value(c.id)->adoptAccessToken(outcome.value().accessToken, outcome.value().accessExpiry);
                m_sessions.value(c.id)->adoptDeviceKey(outcome.value().deviceKey);
                // The directory the server names as its own is one the patient now uses (and it wins for its brands).
                if (const QUrl own = outcome.value().configuration.brandBundle; own.isValid() && !isSessionOnly())
                    if (m_brandSources->add(own, BrandSources::NamedByServer))
                        m_brandSources->refresh();
                // Not picked by brand: named as the server names itself, when it does.
                if (c.brand.isEmpty()) {
                    const QString id = c.id;
                    nameProvider(*m_network, outcome.value().configuration)
                        .then(
                            compat::continuationContext(), compat::ifAlive(this, [this, id](const ProviderName& name) {
                                if (Session* session = m_sessions.value(id)) {
                                    bool changed = false;
                                    session->update([&](Connection& stored) { changed = name.applyTo(stored); });
                                    if (changed)
                                        Q_EMIT connectionChanged(id);
                                }
                            }));
                }
                Q_EMIT timelineChanged(c.id);
                if (added)
                    Q_EMIT connectionsChanged();
                else
                    Q_EMIT connectionChanged(c.id);
            }));
}

void Workspace::cancelConnect()
{
    if (m_manager)
        m_manager->cancel();
    if (m_insecureManager)
        m_insecureManager->cancel();
}

QFuture<AuthResult<Done>> Workspace::refreshNow(const QString& id)
{
    if (Session* s = m_sessions.value(id))
        return s->refresh();
    QPromise<AuthResult<Done>> none;
    none.start();
    none.addResult(
        AuthFailure { AuthError::Registry, tr("There is no such connection."), QStringLiteral("unknown id") });
    none.finish();
    return none.future();
}

QFuture<AuthResult<SignOutOutcome>> Workspace::signOut(const QString& id)
{
    m_managerTarget = id;
    return manager(false)->signOut(id).then(
        compat::continuationContext(), compat::passThrough(this, [this, id](const AuthResult<SignOutOutcome>&) {
            // Signed out or not, show what the connections file now says.
            if (const auto c = stored(id)) {
                replaceSession(*c);
                Q_EMIT connectionChanged(id);
            }
        }));
}

QFuture<AuthResult<SignOutOutcome>> Workspace::forget(const QString& id)
{
    m_managerTarget = id;
    return manager(false)->forget(id).then(
        compat::continuationContext(), compat::passThrough(this, [this, id](const AuthResult<SignOutOutcome>&) {
            if (!stored(id)) {
                removeSession(id);
                Q_EMIT connectionForgotten(id);
                Q_EMIT connectionsChanged();
            }
        }));
}

void Workspace::setSyncing(const QString& id, bool syncing)
{
    const bool was = m_syncing.contains(id);
    if (syncing)
        m_syncing.insert(id);
    else
        m_syncing.remove(id);
    if (was != syncing)
        Q_EMIT connectionChanged(id);
}

} // namespace ondevice::services
