#pragma once

#include "AuthError.h"
#include "ClientRegistration.h"
#include "ConnectionRegistry.h"
#include "DeviceKey.h"
#include "Dpop.h"
#include "Session.h"
#include "SmartConfiguration.h"
#include "SmartLaunch.h"

#include <QFuture>
#include <QObject>
#include <QPointer>

#include <optional>

namespace ondevice::auth {

class ClientRegistrar;
class SmartDiscovery;
class TokenClient;

struct ConnectRequest {
    QUrl fhirBase;
    QString clientId;
    quint16 redirectPort = 0; // as registered with this server; 0 = any loopback port
    QString scope; // empty: what the server supports (v2, or v1 when only v1 is listed)
    // Set when the user reconnects an existing connection: a different patient
    // or fhirUser is refused and shown before anything is replaced.
    std::optional<QString> reconnectId;
    // What discovery found at fhirBase, when the caller already ran it and showed it to the user (the Connect
    // dialog): used as is instead of being fetched a second time. Otherwise connectProvider() discovers.
    std::optional<SmartConfiguration> configuration;
    // The brand the patient picked in a provider directory: the connection is shown by its name and logo.
    QString brandName;
    QUrl brandLogo;
};

struct ConnectOutcome {
    Connection connection;
    bool isNew = true;
    QByteArray accessToken; // memory only; hand it to the Session
    QDateTime accessExpiry;
    // The connection's device key when it signs for it (DPoP, a registered client; null otherwise): hand it
    // to the Session too.
    std::shared_ptr<DeviceKey> deviceKey;
    SmartConfiguration
        configuration; // what discovery found (its brand bundle names the provider when no brand was picked)
};

struct SignOutOutcome {
    bool revokedAtServer = false;
    QUrl managementEndpoint; // where to end access by hand when there is no revocation endpoint
    bool providerUnreachable = false; // Forget went on while the revocation could not reach the provider
};

// Connecting, signing out and forgetting: everything that creates or ends a
// connection's keychain items and its registry entry. Refresh is the Session's.
class ConnectionManager : public QObject {
    Q_OBJECT

public:
    ConnectionManager(
        AuthServices services, UrlOpener openBrowser, DiscoveryOptions discovery = {}, QObject* parent = nullptr);
    ~ConnectionManager() override;

    // Discovery, the browser leg, the code exchange, the id_token checks, then
    // the keychain items (each read back) and the registry entry. A failure at
    // any step stores nothing, and revokes a refresh token already issued.
    QFuture<AuthResult<ConnectOutcome>> connectProvider(const ConnectRequest& request);
    void cancel();

    // Revokes the refresh token at the server (RFC 7009) when it can, then
    // deletes the refresh-token item. The data key and records stay.
    QFuture<AuthResult<SignOutOutcome>> signOut(const QString& connectionId);
    // Sign out, then delete the data-key item and the registry entry. The
    // caller deletes the connection's records (fhir/ owns them).
    QFuture<AuthResult<SignOutOutcome>> forget(const QString& connectionId);

    SmartLaunch& launch() { return *m_launch; }

Q_SIGNALS:
    void discovered(const ondevice::auth::SmartConfiguration& configuration);
    void authorizationUrlReady(const QUrl& url);
    void protocolEvent(const QString& step, const QString& outcome);

private:
    using SignOutAnswer = std::function<void(AuthResult<SignOutOutcome>)>;
    // Runs work under the connection's RefreshLock; its answer unlocks.
    QFuture<AuthResult<SignOutOutcome>> underRefreshLock(
        const QString& connectionId, const std::function<void(const Connection&, SignOutAnswer)>& work);
    void signOutLocked(const Connection& c, const SignOutAnswer& answer);
    // The last step of forget: the connection leaves connections.json.
    void forgetConnection(
        const Connection& c, const SignOutAnswer& answer, const AuthResult<SignOutOutcome>& signedOut);

    struct Attempt;
    void authorize(std::shared_ptr<Attempt> attempt, const SmartConfiguration& config);
    // A reconnect of a registered connection keeps its key and registration when both are still there;
    // `reused` says whether they were.
    void reuseRegistration(std::shared_ptr<Attempt> attempt, const std::function<void(bool reused)>& next);
    // RFC 7591: registers this installation's client, with `bearer` on the JWT-bearer route.
    void registerClient(std::shared_ptr<Attempt> attempt, const QByteArray& bearer, const std::function<void()>& next);
    void launch(std::shared_ptr<Attempt> attempt);
    // The JWT-bearer route after sign-in: register with the first access token, then the first JWT-bearer grant.
    void registerWithAccessToken(std::shared_ptr<Attempt> attempt);
    // Writes a keychain item and reads it back; abandons the attempt with `what` when either fails.
    void storeSecret(std::shared_ptr<Attempt> attempt, const QString& item, const QByteArray& value,
        const QString& what, const std::function<void()>& next);
    // Deletes keychain items in turn (an item already gone is fine); `done` gets the first failure, if any.
    void removeSecrets(const QList<std::pair<QString, QString>>& itemsAndMessages,
        const std::function<void(std::optional<AuthFailure>)>& done);
    // Deletes a registered connection's registration (RFC 7592) with the token in its keychain item.
    void deleteRegistration(const Connection& c, const std::function<void(const AuthResult<Done>&)>& done);
    void afterExchange(std::shared_ptr<Attempt> attempt, TokenResponse tokens);
    void checkIdentity(std::shared_ptr<Attempt> attempt);
    static AuthFailure noPatient();
    void storeSecrets(std::shared_ptr<Attempt> attempt);
    void storeRegistry(std::shared_ptr<Attempt> attempt);
    void abandon(std::shared_ptr<Attempt> attempt, const AuthFailure& failure);
    std::optional<Connection> find(const QString& id) const;

    AuthServices m_services;
    DiscoveryOptions m_discoveryOptions;
    SmartDiscovery* m_discovery = nullptr;
    SmartLaunch* m_launch = nullptr;
    TokenClient* m_tokens = nullptr;
    ClientRegistrar* m_registrar = nullptr;
    std::shared_ptr<Attempt> m_attempt;
};

} // namespace ondevice::auth
