#include "Session.h"
#include "core/Continuations.h"

#include "Http.h"
#include "Logging.h"
#include "SecretStore.h"
#include "TokenClient.h"

#include <QCoreApplication>
#include <QPromise>
#include <QRandomGenerator>

#include <algorithm>

namespace ondevice::auth {

namespace {

// Refresh this long before the access token expires (or at half its life
// when it is shorter), so a request never meets an expired token.
qint64 refreshLeadSeconds(qint64 lifetime)
{
    return std::min<qint64>(std::max<qint64>(60, lifetime / 10), lifetime / 2);
}

} // namespace

struct Session::InFlight {
    QPromise<AuthResult<Done>> promise;
};

Session::Session(Connection connection, AuthServices services, QObject* parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_services(std::move(services))
    , m_tokens(new TokenClient(*m_services.network, this))
    , m_lock(m_services.lockDirectory, m_connection.id)
{
    m_nextRefresh.setSingleShot(true);
    connect(&m_nextRefresh, &QTimer::timeout, this, [this] { refresh(); });
}

Session::~Session()
{
    // A lock we hold is released by ~QLockFile; a refresh in flight is abandoned.
    if (m_inFlight) {
        m_inFlight->promise.addResult(
            AuthFailure { AuthError::Cancelled, tr("Stopped."), QStringLiteral("session destroyed") });
        m_inFlight->promise.finish();
    }
}

void Session::adoptAccessToken(const QByteArray& accessToken, const QDateTime& expiry)
{
    m_accessToken = accessToken;
    m_accessExpiry = expiry;
    scheduleNext();
}

void Session::setAutomaticRefresh(bool on)
{
    m_automatic = on;
    if (on)
        scheduleNext();
    else
        m_nextRefresh.stop();
}

void Session::accessToken(QObject* context, std::function<void(const AccessToken&)> done)
{
    const QDateTime now = m_services.clock();
    // A token within a few seconds of expiry is as good as expired.
    if (!m_accessToken.isEmpty() && (!m_accessExpiry.isValid() || now.secsTo(m_accessExpiry) > 5)) {
        done(AccessToken(m_accessToken));
        return;
    }
    m_waiters.append({ QPointer<QObject>(context), std::move(done) });
    refresh();
}

void Session::invalidate(const QByteArray& rejected)
{
    // Only the token the server refused: a newer one may already be here.
    if (!rejected.isEmpty() && rejected == m_accessToken) {
        m_accessToken.clear();
        Q_EMIT protocolEvent(QStringLiteral("access token rejected"), QStringLiteral("401; will refresh once"));
    }
}

QFuture<AuthResult<Done>> Session::refresh()
{
    if (m_inFlight)
        return m_inFlight->promise.future();
    m_inFlight = std::make_shared<InFlight>();
    m_inFlight->promise.start();
    QFuture<AuthResult<Done>> future = m_inFlight->promise.future();
    m_nextRefresh.stop();

    // The JWT-bearer route has no refresh token: its registration is the grant.
    if (m_connection.state == ConnectionState::SignedOut || !m_connection.staysConnected()) {
        fail(AuthFailure { AuthError::InvalidGrant,
            m_connection.staysConnected() ? tr("You signed out of this provider. Reconnect to continue.")
                                          : tr("This provider did not allow staying signed in. Reconnect to "
                                               "continue; your records stay on this device."),
            QStringLiteral("no refresh token for this connection") });
        return future;
    }
    m_lock.acquire([this](const std::optional<AuthFailure>& failure) {
        if (failure)
            fail(*failure);
        else
            locked();
    });
    return future;
}

void Session::locked()
{
    // Signed out or forgotten (by this process or another) while this refresh
    // waited for the lock: the refresh token is gone or going, and must not
    // come back.
    const auto saved = m_services.registry->find(m_connection.id);
    if (saved) { // a registry that cannot be read says nothing either way: go on
        if (!saved.value() || saved.value()->state == ConnectionState::SignedOut) {
            if (std::exchange(m_connection.state, ConnectionState::SignedOut) != ConnectionState::SignedOut)
                Q_EMIT stateChanged(ConnectionState::SignedOut);
            fail(AuthFailure { AuthError::InvalidGrant, tr("You signed out of this provider. Reconnect to continue."),
                QStringLiteral("signed out while the refresh waited for its lock") });
            return;
        }
    }
    if (m_connection.usesJwtBearer())
        withDeviceKey([this] { sendJwtBearer(); });
    else
        readRefreshToken();
}

void Session::readRefreshToken()
{
    m_services.secrets->read(m_connection.refreshTokenKey())
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const SecretValue& value) {
            if (!value && value.code() == SecretError::NotFound) {
                refreshTokenMissing(value.failure());
                return;
            }
            if (!value) {
                fail(keychainFailure(value.failure()));
                return;
            }
            withDeviceKey([this, refreshToken = value.value()] { sendRefresh(refreshToken); });
        }));
}

void Session::withDeviceKey(const std::function<void()>& next)
{
    if (!m_connection.needsDeviceKey() || m_deviceKey) {
        next();
        return;
    }
    m_services.secrets->read(m_connection.deviceKeyKey())
        .then(compat::continuationContext(), compat::ifAlive(this, [this, next](const SecretValue& value) {
            if (!value) {
                // Without the key a bound refresh token is useless: only a reconnect makes a new pair.
                fail(value.code() == SecretError::NotFound ? AuthFailure { AuthError::InvalidGrant,
                         tr("This computer's key for %1 is no longer in %2. Reconnect to continue; your records "
                            "stay on this device.")
                             .arg(m_connection.serverName, SecretStore::platformStoreName()),
                         QStringLiteral("device-key item absent") }
                                                           : keychainFailure(value.failure()));
                return;
            }
            auto key = boundDeviceKey(m_connection, value.value());
            if (!key) {
                fail(key.failure());
                return;
            }
            m_deviceKey = std::move(key).value();
            next();
        }));
}

RequestSigners Session::signers()
{
    return RequestSigners { m_connection.isDpopBound() ? DpopSigner { m_deviceKey.get(), &m_nonces } : DpopSigner {},
        m_connection.usesPrivateKeyJwt() ? ClientSigner { m_deviceKey.get(), m_connection.tokenEndpoint }
                                         : ClientSigner {} };
}

AuthResult<std::unique_ptr<SoftwareDeviceKey>> boundDeviceKey(
    const Connection& connection, QByteArrayView keychainValue)
{
    auto key = SoftwareDeviceKey::fromKeychainValue(keychainValue);
    if (!key)
        return AuthFailure { AuthError::InvalidGrant, key.failure().message, key.failure().detail };
    if (key.value()->thumbprint() != connection.keyThumbprint)
        return AuthFailure { AuthError::InvalidGrant,
            Session::tr("This computer's key for %1 is not the one the sign-in is bound to. Reconnect to "
                        "continue; your records stay on this device.")
                .arg(connection.serverName),
            QStringLiteral("device-key thumbprint differs from the connection's") };
    return std::move(key).value();
}

void Session::adoptDeviceKey(std::shared_ptr<DeviceKey> key)
{
    m_deviceKey = std::move(key);
}

Expected<RequestHeaders, AccessError> Session::requestHeaders(
    const QByteArray& method, const QUrl& url, const QByteArray& token)
{
    if (!m_connection.isDpopBound())
        return AccessTokenProvider::requestHeaders(method, url, token);
    // A bound token is never sent as Bearer: without the key, nothing is sent.
    if (!m_deviceKey)
        return Failure<AccessError> { AccessError::Failed, tr("This connection's key is not loaded."),
            QStringLiteral("DPoP-bound request before the device key was read") };
    auto proof
        = makeDpopProof(*m_deviceKey, { method, url, token, m_nonces.nonceFor(url) }, QDateTime::currentDateTimeUtc());
    if (!proof)
        return Failure<AccessError> { AccessError::Failed, proof.failure().message, proof.failure().detail };
    return RequestHeaders { { QByteArrayLiteral("Authorization"), QByteArrayLiteral("DPoP ") + token },
        { QByteArrayLiteral("DPoP"), proof.value() } };
}

bool Session::serverAnswered(
    const QUrl& url, int status, const QByteArray& dpopNonce, const QByteArray& wwwAuthenticate)
{
    if (!m_connection.isDpopBound())
        return false;
    const bool newNonce = m_nonces.remember(url, dpopNonce);
    return status == 401 && newNonce && asksForDpopNonce(wwwAuthenticate);
}

AuthFailure Session::keychainFailure(const Failure<SecretError>& failure) const
{
    return { AuthError::Keychain,
        tr("The sign-in for %1 could not be read from %2: %3")
            .arg(m_connection.serverName, SecretStore::platformStoreName(), failure.message),
        failure.detail };
}

void Session::refreshTokenMissing(const Failure<SecretError>& notFound)
{
    // "Not found" never makes anything new. It means one of three things: the app ended this grant itself
    // (an identity change) and deleted the token; the item is simply gone; or the keyring is locked, which on
    // Linux reads the same. The first two need a reconnect (exit 2), only the last is a keychain problem
    // (exit 3): the connection's other item, the data key, tells them apart.
    if (m_connection.state == ConnectionState::NeedsReconnect) {
        fail(AuthFailure { AuthError::InvalidGrant,
            tr("This connection's sign-in was ended. Reconnect to continue; your records stay on this device."),
            QStringLiteral("no refresh token; the connection already needed a reconnect") });
        return;
    }
    m_services.secrets->read(m_connection.dataKeyKey())
        .then(compat::continuationContext(), compat::ifAlive(this, [this, notFound](const SecretValue& dataKey) {
            if (!dataKey) {
                fail(keychainFailure(notFound));
                return;
            }
            fail(AuthFailure { AuthError::InvalidGrant,
                tr("The sign-in for %1 is no longer in %2. Reconnect to continue; your records stay on this device.")
                    .arg(m_connection.serverName, SecretStore::platformStoreName()),
                QStringLiteral("refresh-token item absent while the data key is readable") });
        }));
}

void Session::sendJwtBearer()
{
    Q_EMIT protocolEvent(QStringLiteral("JWT-bearer grant"), QStringLiteral("sent"));
    m_tokens
        ->jwtBearer(
            m_connection.tokenEndpoint, m_connection.clientId, m_connection.subject, *m_deviceKey, signers().dpop)
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const AuthResult<TokenResponse>& result) {
            if (!result) {
                fail(result.failure());
                return;
            }
            const TokenResponse& tokens = result.value();
            if (const auto mismatch = tokens.typeMismatch(m_connection.isDpopBound())) {
                fail(*mismatch);
                return;
            }
            // Nothing to keep but the access token: the registration is the grant.
            checkIdToken(tokens,
                [=, this] { succeed(tokens.accessToken, tokens.expiresIn.value_or(3600), tokens.scope, false); });
        }));
}

void Session::sendRefresh(const QByteArray& refreshToken)
{
    Q_EMIT protocolEvent(QStringLiteral("refresh"), QStringLiteral("sent"));
    const bool bound = m_connection.isDpopBound();
    m_tokens->refresh(m_connection.tokenEndpoint, m_connection.clientId, refreshToken, {}, signers())
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, bound](const AuthResult<TokenResponse>& result) {
                if (!result) {
                    fail(result.failure());
                    return;
                }
                const TokenResponse& tokens = result.value();
                for (const QString& warning : tokens.warnings)
                    Q_EMIT protocolEvent(QStringLiteral("refresh"), QStringLiteral("warning: ") + warning);
                // No expires_in: an hour, and a 401 before then refreshes anyway.
                const qint64 expiresIn = tokens.expiresIn.value_or(3600);
                // A token of another type than the request asked for is never used (a DPoP token sent as
                // Bearer would be refused, a Bearer token on a bound connection would be unbound); a rotated
                // refresh token is still kept, so that the grant survives the server's slip.
                if (const auto mismatch = tokens.typeMismatch(bound)) {
                    if (tokens.refreshToken.isEmpty())
                        fail(*mismatch);
                    else
                        storeRotated(tokens.refreshToken, [this, failure = *mismatch] { fail(failure); });
                    return;
                }
                // No refresh_token in the answer (Oracle Health, no-rotate): the
                // one in the keychain stays valid and stays where it is.
                if (tokens.refreshToken.isEmpty()) {
                    checkIdToken(tokens, [=, this] { succeed(tokens.accessToken, expiresIn, tokens.scope, false); });
                    return;
                }
                // A rotated token is kept first, whatever comes next: the server
                // has already retired the old one.
                storeRotated(tokens.refreshToken, [=, this] {
                    checkIdToken(tokens, [=, this] { succeed(tokens.accessToken, expiresIn, tokens.scope, true); });
                });
            }));
}

void Session::checkIdToken(const TokenResponse& tokens, const std::function<void()>& accepted)
{
    // Identity first. A response that names another patient, or an id_token whose iss, sub or fhirUser
    // differ from this connection's, ends the grant: the records here must never mix two people.
    if (!tokens.patient.isEmpty() && !m_connection.patientId.isEmpty() && tokens.patient != m_connection.patientId) {
        rejectRefreshed(tokens,
            AuthFailure { AuthError::PatientChanged,
                tr("The provider now answers for another patient than this connection's. Reconnect to continue."),
                QStringLiteral("refresh response names another patient") });
        return;
    }
    if (tokens.idToken.isEmpty()) { // optional in a refresh response
        accepted();
        return;
    }
    const auto identity = IdTokenVerifier::compareIdentity(
        tokens.idToken, m_connection.issuer.toString(), m_connection.subject, m_connection.fhirUser);
    if (identity.verdict == IdTokenVerifier::Identity::Changed) {
        rejectRefreshed(tokens,
            AuthFailure { AuthError::PatientChanged,
                tr("The provider's identity token names someone else than this connection's patient. Reconnect to "
                   "continue."),
                QStringLiteral("refresh id_token: ") + identity.detail });
        return;
    }
    // The same person. Any other defect only means this id_token is ignored: the new tokens came from the
    // token endpoint over TLS (OpenID Connect Core 3.1.3.7), and the grant is not thrown away over it.
    const auto ignore = [this, accepted](const QString& why) {
        qCInfo(lcAuth) << "refresh id_token ignored:" << why;
        Q_EMIT protocolEvent(QStringLiteral("id_token"),
            QStringLiteral("warning: the refreshed identity token was ignored (%1); the new tokens are kept").arg(why));
        accepted();
    };
    if (identity.verdict == IdTokenVerifier::Identity::Unreadable) {
        ignore(identity.detail);
        return;
    }
    const auto verify = [this, tokens, accepted, ignore] {
        const IdTokenVerifier verifier(m_connection.issuer.toString(), m_connection.clientId, m_services.clock);
        const auto claims = verifier.verify(tokens.idToken, *m_keys, m_connection.subject);
        if (!claims) {
            ignore(QStringLiteral("%1: %2").arg(errorName(claims.code()), claims.failure().detail));
            return;
        }
        Q_EMIT protocolEvent(QStringLiteral("id_token"), QStringLiteral("refreshed identity token verified"));
        accepted();
    };
    if (m_keys) {
        verify();
        return;
    }
    if (!m_connection.jwksUri.isValid()) {
        ignore(QStringLiteral("the provider publishes no signing keys"));
        return;
    }
    get(*m_services.network, authRequest(m_connection.jwksUri, "application/json"))
        .then(compat::continuationContext(), compat::ifAlive(this, [this, verify, ignore](const HttpResult& result) {
            if (result.status != 200) {
                ignore(QStringLiteral("signing keys unavailable: %1")
                           .arg(tokenEndpointFailure(result, QStringLiteral("jwks")).detail));
                return;
            }
            auto keys = JsonWebKeySet::parse(result.body);
            if (!keys) {
                ignore(keys.failure().detail);
                return;
            }
            m_keys = std::move(keys).value();
            verify();
        }));
}

void Session::rejectRefreshed(const TokenResponse& tokens, const AuthFailure& why)
{
    // An identity that no longer matches is not kept: the grant is revoked
    // where possible and its refresh token deleted; records stay.
    const QByteArray grantToken = tokens.refreshToken;
    if (!grantToken.isEmpty() && m_connection.revocationEndpoint.isValid())
        m_tokens->revoke(m_connection.revocationEndpoint, m_connection.clientId, grantToken, signers());
    m_services.secrets->remove(m_connection.refreshTokenKey());
    m_accessToken.clear();
    Q_EMIT protocolEvent(QStringLiteral("id_token"),
        QStringLiteral("identity changed: the grant was ended and its refresh token deleted"));
    fail(AuthFailure { AuthError::InvalidGrant, why.message, why.detail });
}

void Session::storeRotated(const QByteArray& newRefreshToken, const std::function<void()>& stored)
{
    // The new refresh token is in the keychain, read back and compared, before
    // the new access token is used: otherwise a crash here would leave only
    // the rotated-out token, and presenting it again can end the grant.
    const QString key = m_connection.refreshTokenKey();
    m_services.secrets->write(key, newRefreshToken)
        .then(compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretStatus& written) {
            if (!written) {
                fail(AuthFailure { AuthError::Keychain,
                    tr("The renewed sign-in could not be saved in %1 (%2). You will need to reconnect.")
                        .arg(SecretStore::platformStoreName(), written.failure().message),
                    written.failure().detail });
                return;
            }
            m_services.secrets->read(key).then(
                compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretValue& readBack) {
                    if (!readBack || readBack.value() != newRefreshToken) {
                        fail(AuthFailure { AuthError::Keychain,
                            tr("%1 did not keep the renewed sign-in. You will need to reconnect.")
                                .arg(SecretStore::platformStoreName()),
                            QStringLiteral("read-back after rotation did not match") });
                        return;
                    }
                    Q_EMIT protocolEvent(
                        QStringLiteral("rotation"), QStringLiteral("new refresh token stored and read back"));
                    stored();
                }));
        }));
}

void Session::succeed(
    const QByteArray& accessToken, qint64 expiresIn, const std::optional<QStringList>& scope, bool rotated)
{
    const QDateTime now = m_services.clock();
    m_accessToken = accessToken;
    m_accessExpiry = now.addSecs(expiresIn);
    m_failuresInARow = 0;
    record([&](Connection& c) {
        c.state = ConnectionState::Connected;
        c.accessExpiry = m_accessExpiry;
        c.lastRefresh = now;
        c.lastRefreshResult = rotated ? QStringLiteral("ok, rotated") : QStringLiteral("ok");
        if (scope)
            c.grantedScopes = *scope;
    });
    Q_EMIT protocolEvent(m_connection.usesJwtBearer() ? QStringLiteral("JWT-bearer grant") : QStringLiteral("refresh"),
        m_connection.usesJwtBearer() ? QStringLiteral("ok; a new access token, no refresh token on this route")
            : rotated                ? QStringLiteral("ok; refresh token rotated and stored")
                                     : QStringLiteral("ok; refresh token unchanged"));
    Q_EMIT refreshed(now, rotated);
    finishRefresh(Done {});
}

void Session::fail(const AuthFailure& failure)
{
    qCInfo(lcAuth) << "refresh failed:" << failure.detail;
    ConnectionState next = m_connection.state;
    QString result;
    switch (failure.code) {
    case AuthError::InvalidGrant:
        next = m_connection.state == ConnectionState::SignedOut ? ConnectionState::SignedOut
                                                                : ConnectionState::NeedsReconnect;
        result = QStringLiteral("invalid_grant");
        // The grant is gone: nothing is deleted, the records stay readable.
        m_accessToken.clear();
        break;
    case AuthError::Network:
    case AuthError::Server:
    case AuthError::TimedOut:
        next = ConnectionState::Offline;
        result = QStringLiteral("offline");
        ++m_failuresInARow;
        break;
    case AuthError::Keychain:
        result = QStringLiteral("keychain");
        break;
    default:
        result = QStringLiteral("error");
        break;
    }
    record([&](Connection& c) {
        c.state = next;
        c.lastRefresh = m_services.clock();
        c.lastRefreshResult = result;
    });
    Q_EMIT protocolEvent(QStringLiteral("refresh"), QStringLiteral("failed: ") + result);
    Q_EMIT refreshFailed(failure);
    finishRefresh(failure);
}

void Session::finishRefresh(const AuthResult<Done>& result)
{
    m_lock.release();
    auto inFlight = std::exchange(m_inFlight, nullptr);
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter& waiter : waiters) {
        if (!waiter.context)
            continue;
        if (result)
            waiter.done(AccessToken(m_accessToken));
        else
            waiter.done(AccessToken(
                Failure<AccessError> { result.code() == AuthError::InvalidGrant ? AccessError::NeedsReconnect
                        : result.code() == AuthError::Keychain                  ? AccessError::KeychainUnavailable
                        : (result.code() == AuthError::Network || result.code() == AuthError::Server
                              || result.code() == AuthError::TimedOut)
                        ? AccessError::Offline
                        : AccessError::Failed,
                    result.failure().message, result.failure().detail }));
    }
    scheduleNext();
    if (inFlight) {
        inFlight->promise.addResult(result);
        inFlight->promise.finish();
    }
}

void Session::record(const std::function<void(Connection&)>& change)
{
    const ConnectionState before = m_connection.state;
    change(m_connection);
    const QString id = m_connection.id;
    const auto saved = m_services.registry->update([&](QList<Connection>& list) {
        for (Connection& c : list)
            if (c.id == id)
                change(c);
    });
    if (!saved)
        qCWarning(lcAuth) << "could not record the refresh outcome:" << saved.failure().detail;
    if (before != m_connection.state)
        Q_EMIT stateChanged(m_connection.state);
}

void Session::scheduleNext()
{
    if (!m_automatic || m_inFlight)
        return;
    if (m_connection.state == ConnectionState::NeedsReconnect || m_connection.state == ConnectionState::SignedOut
        || !m_connection.staysConnected())
        return;
    const QDateTime now = m_services.clock();
    qint64 waitMs = 0;
    if (m_connection.state == ConnectionState::Offline && m_failuresInARow > 0) {
        // Exponential back-off with jitter: 5 s, 10 s, 20 s ... at most 15 minutes.
        const qint64 base = std::min<qint64>(5000LL << std::min(m_failuresInARow - 1, 8), qint64 { 15 } * 60 * 1000);
        waitMs = base / 2 + QRandomGenerator::global()->bounded(base / 2 + 1);
    } else if (!m_accessToken.isEmpty() && m_accessExpiry.isValid()) {
        const qint64 lifetime = std::max<qint64>(1, now.secsTo(m_accessExpiry));
        waitMs = std::max<qint64>(0, (lifetime - refreshLeadSeconds(lifetime)) * 1000);
    } else {
        return; // nothing to keep fresh yet; the first request will refresh
    }
    m_nextRefresh.start(static_cast<int>(std::min<qint64>(waitMs, std::numeric_limits<int>::max())));
}

} // namespace ondevice::auth
