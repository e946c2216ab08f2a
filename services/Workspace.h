#pragma once

#include "auth/ConnectionManager.h"
#include "auth/ConnectionRegistry.h"
#include "auth/SecretStore.h"
#include "auth/Session.h"
#include "auth/SmartConfiguration.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace ondevice::auth {
class SmartDiscovery;
}

namespace ondevice::services {

class BrandSources;

// One step of the protocol timeline shown in the Access panel. It holds what
// the auth layer reported, which never includes a token, code or verifier.
struct TimelineEvent {
    QDateTime at;
    QString step;
    QString outcome;
};

struct WorkspaceOptions {
    QString keychainService; // from app/ (AppSetup.h)
    QString registryPath; // auth::ConnectionRegistry::defaultPath() in the app
    QString lockDirectory; // per-connection refresh locks, shared with ondevice-cli
    // Opens the system browser (required): the window passes ui::systemBrowser(); services/ has no Qt GUI.
    auth::UrlOpener openBrowser;
};

// The auth side of the GUI: the keychain, the connections file, connecting
// and ending connections, and one Session per connection refreshing silently.
// Windows only read it and ask it to act; it knows nothing about widgets.
class Workspace : public QObject {
    Q_OBJECT

public:
    explicit Workspace(WorkspaceOptions options, QObject* parent = nullptr);
    ~Workspace() override;

    // Loads the connections and refreshes each one silently: no browser, no
    // prompt. A keychain that cannot work is reported, not retried.
    void start();

    // The keychain is missing, locked or refusing; the user chose to go on
    // without it: from now on nothing is persisted (secrets in memory, the
    // connection list in memory). Connections loaded from disk are dropped
    // from view (their files and keychain items are left alone).
    void continueSessionOnly();
    bool isSessionOnly() const;
    // Why the keychain cannot work right now, when that is known without
    // trying (no session bus, an earlier timeout). Nothing in session-only mode.
    std::optional<Failure<auth::SecretError>> keychainProblem() const;
    QString registryError() const { return m_registryError; }
    // The keychain (or, in session-only mode, memory): the records layer reads
    // each connection's data key here.
    auth::SecretStore& secrets() const { return *m_secrets; }

    QStringList connectionIds() const { return m_order; }
    std::optional<auth::Connection> connection(const QString& id) const;
    auth::Session* session(const QString& id) const;
    bool isSyncing(const QString& id) const { return m_syncing.contains(id); }
    QList<TimelineEvent> timeline(const QString& id) const { return m_timelines.value(id); }
    // Events of the connection attempt in progress (not yet tied to a connection).
    QList<TimelineEvent> pendingTimeline() const { return m_timelines.value(QString()); }

    // The provider directories the patient added, cached in "brands" beside the connections file. A server
    // the patient connects to that names its own directory (user_access_brand_bundle) adds it here.
    BrandSources& brandSources() const { return *m_brandSources; }
    QString brandDirectory() const;
    // For public documents beside the auth flows (directory logos): the same manager, no token ever attached.
    QNetworkAccessManager& network() const { return *m_network; }

    // Discovery only, to show the user what the server offers before the
    // browser opens. connectProvider discovers again (it must act on what it
    // checked itself).
    QFuture<auth::AuthResult<auth::SmartConfiguration>> discover(const QUrl& fhirBase, auth::DiscoveryOptions options);
    QFuture<auth::AuthResult<auth::ConnectOutcome>> connectProvider(
        const auth::ConnectRequest& request, auth::DiscoveryOptions options);
    void cancelConnect();

    QFuture<auth::AuthResult<Done>> refreshNow(const QString& id);
    QFuture<auth::AuthResult<auth::SignOutOutcome>> signOut(const QString& id);
    // The records of the connection are the records layer's to delete: it
    // listens to connectionForgotten.
    QFuture<auth::AuthResult<auth::SignOutOutcome>> forget(const QString& id);

public Q_SLOTS:
    // Driven by the sync engine: shows "Syncing" on the connection's chip.
    void setSyncing(const QString& id, bool syncing);
    // Driven by the sync engine too: what the server did differently and how it was worked around.
    void noteSync(const QString& id, const QString& note) { record(id, QStringLiteral("sync"), note); }

Q_SIGNALS:
    void connectionsChanged(); // added, removed, or the whole list replaced
    void connectionChanged(const QString& id); // state, expiry, last refresh
    void timelineChanged(const QString& id);
    void refreshFailed(const QString& id, const ondevice::auth::AuthFailure& failure);
    void connectionForgotten(const QString& id);
    void sessionOnlyChanged(bool sessionOnly);

private:
    void addSession(const auth::Connection& connection);
    void replaceSession(const auth::Connection& connection);
    void removeSession(const QString& id);
    std::optional<auth::Connection> stored(const QString& id) const;
    auth::ConnectionManager* manager(bool allowInsecureHttp);
    void record(const QString& id, const QString& step, const QString& outcome);
    void dropAll();

    WorkspaceOptions m_options;
    QNetworkAccessManager* m_network = nullptr;
    std::unique_ptr<auth::SecretStore> m_secrets;
    std::unique_ptr<auth::ConnectionRegistry> m_registry;
    BrandSources* m_brandSources = nullptr;
    auth::AuthServices m_services;
    auth::ConnectionManager* m_manager = nullptr;
    auth::ConnectionManager* m_insecureManager = nullptr; // the developer setting "allow http"
    QString m_managerTarget; // whose timeline ConnectionManager's events belong to ("": a connect)
    QStringList m_order;
    QHash<QString, auth::Session*> m_sessions;
    QHash<QString, QList<TimelineEvent>> m_timelines;
    QSet<QString> m_syncing;
    QString m_registryError;
};

} // namespace ondevice::services
