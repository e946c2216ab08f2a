#pragma once

#include "AccessTokenProvider.h"
#include "AuthError.h"
#include "ConnectionRegistry.h"
#include "DeviceKey.h"
#include "Dpop.h"
#include "IdTokenVerifier.h"
#include "RefreshLock.h"
#include "SecretStore.h"
#include "TokenClient.h"
#include "TokenResponse.h"
#include "core/Clock.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QNetworkAccessManager;

namespace ondevice::auth {

class SecretStore;
class TokenClient;

// What a Session (and the ConnectionManager) needs from the outside.
struct AuthServices {
    QNetworkAccessManager* network = nullptr;
    SecretStore* secrets = nullptr;
    ConnectionRegistry* registry = nullptr;
    Clock clock = systemClock();
    QString lockDirectory; // per-connection QLockFiles live here
};

// One connection's live access: the access token (in memory only) and the
// silent refresh.
//
// The refresh follows one rule, across processes (the GUI and any number of
// ondevice-cli): under the connection's RefreshLock, read the refresh token from
// the keychain, refresh, write the new one and read it back, then unlock. No
// process keeps a refresh token across unlocks, so an old token is never sent
// after another process rotated it. One refresh is in flight per Session;
// requests for an access token wait for it.
// The connection's device key from its keychain value, when it is the key the connection is bound to
// (its thumbprint); an InvalidGrant failure otherwise, as a bound refresh token is useless without it.
AuthResult<std::unique_ptr<SoftwareDeviceKey>> boundDeviceKey(
    const Connection& connection, QByteArrayView keychainValue);

class Session : public QObject, public AccessTokenProvider {
    Q_OBJECT

public:
    Session(Connection connection, AuthServices services, QObject* parent = nullptr);
    ~Session() override;

    const Connection& connection() const { return m_connection; }
    ConnectionState state() const { return m_connection.state; }
    QDateTime accessExpiry() const { return m_accessExpiry; }
    bool hasAccessToken() const { return !m_accessToken.isEmpty(); }

    // The tokens of a fresh code exchange: no refresh needed yet.
    void adoptAccessToken(const QByteArray& accessToken, const QDateTime& expiry);

    // Exactly one refresh-token request (or joins the one in flight).
    QFuture<AuthResult<Done>> refresh();

    // Refresh ahead of expiry, and retry with back-off while offline. The GUI
    // turns this on; ondevice-cli does not.
    void setAutomaticRefresh(bool on);

    // A DPoP-bound connection's key, made at connect: the Session of a fresh code exchange has it already; a
    // later Session reads it from the keychain at its first refresh.
    void adoptDeviceKey(std::shared_ptr<DeviceKey> key);

    // Changes this connection's record, here and in the registry (e.g. the name it is shown by).
    void update(const std::function<void(Connection&)>& change) { record(change); }

    void accessToken(QObject* context, std::function<void(const AccessToken&)> done) override;
    // Bound: `Authorization: DPoP <token>` and a proof for the request; otherwise Bearer.
    Expected<RequestHeaders, AccessError> requestHeaders(
        const QByteArray& method, const QUrl& url, const QByteArray& token) override;
    bool serverAnswered(
        const QUrl& url, int status, const QByteArray& dpopNonce, const QByteArray& wwwAuthenticate) override;
    void invalidate(const QByteArray& rejected) override;

Q_SIGNALS:
    void stateChanged(ondevice::auth::ConnectionState state);
    void refreshed(const QDateTime& at, bool rotated);
    void refreshFailed(const ondevice::auth::AuthFailure& failure);
    // For the protocol timeline: a step ("refresh", "rotation") and its outcome, never a secret.
    void protocolEvent(const QString& step, const QString& outcome);

private:
    void locked();
    void readRefreshToken();
    // Connections whose device key signs (DPoP, a registered client): the key from the keychain (once per
    // Session), checked against the thumbprint the connection was bound to, before the request that needs it.
    void withDeviceKey(const std::function<void()>& next);
    void refreshTokenMissing(const Failure<SecretError>& notFound);
    AuthFailure keychainFailure(const Failure<SecretError>& failure) const;
    void sendRefresh(const QByteArray& refreshToken);
    // The JWT-bearer route: a new access token for the registered client, no refresh token involved.
    void sendJwtBearer();
    // What this connection's token requests sign with: DPoP proofs when bound, client assertions when it is a
    // client registered for this computer (private_key_jwt).
    RequestSigners signers();
    void checkIdToken(const TokenResponse& tokens, const std::function<void()>& accepted);
    void rejectRefreshed(const TokenResponse& tokens, const AuthFailure& why);
    void storeRotated(const QByteArray& newRefreshToken, const std::function<void()>& stored);
    void succeed(
        const QByteArray& accessToken, qint64 expiresIn, const std::optional<QStringList>& scope, bool rotated);
    void fail(const AuthFailure& failure);
    void finishRefresh(const AuthResult<Done>& result);
    void record(const std::function<void(Connection&)>& change);
    void scheduleNext();

    Connection m_connection;
    std::shared_ptr<DeviceKey> m_deviceKey; // bound connections only
    DpopNonces m_nonces; // the servers' DPoP nonces: token endpoint and FHIR origin
    AuthServices m_services;
    TokenClient* m_tokens = nullptr;

    QByteArray m_accessToken;
    QDateTime m_accessExpiry;

    struct InFlight;
    std::shared_ptr<InFlight> m_inFlight;
    RefreshLock m_lock;

    struct Waiter {
        QPointer<QObject> context;
        std::function<void(const AccessToken&)> done;
    };
    QList<Waiter> m_waiters;

    std::optional<JsonWebKeySet> m_keys; // the provider's signing keys, fetched once per Session
    bool m_automatic = false;
    QTimer m_nextRefresh;
    int m_failuresInARow = 0;
};

} // namespace ondevice::auth
