#include "ConnectionManager.h"
#include "core/Continuations.h"

#include "Http.h"
#include "IdTokenVerifier.h"
#include "Logging.h"
#include "RefreshLock.h"
#include "SecretStore.h"
#include "SmartDiscovery.h"
#include "TokenClient.h"

#include <QNetworkAccessManager>
#include <QPromise>
#include <QRandomGenerator>
#include <utility>

namespace ondevice::auth {

struct ConnectionManager::Attempt {
    ConnectRequest request;
    QPromise<AuthResult<ConnectOutcome>> promise;
    bool done = false;
    SmartConfiguration configuration;
    TokenResponse tokens;
    Connection connection;
    bool isNew = true;
    bool wroteDataKey = false;
    // DPoP: a key made for this connection when the server offers DPoP, and the nonces of its token endpoint.
    std::shared_ptr<SoftwareDeviceKey> deviceKey;
    DpopNonces nonces;
    bool bound = false; // the server answered the proof with DPoP tokens
};

ConnectionManager::ConnectionManager(
    AuthServices services, UrlOpener openBrowser, DiscoveryOptions discovery, QObject* parent)
    : QObject(parent)
    , m_services(std::move(services))
    , m_discoveryOptions(discovery)
    , m_discovery(new SmartDiscovery(*m_services.network, discovery, this))
    , m_launch(new SmartLaunch(*m_services.network, std::move(openBrowser), this))
    , m_tokens(new TokenClient(*m_services.network, this))
{
    connect(m_launch, &SmartLaunch::authorizationUrlReady, this, &ConnectionManager::authorizationUrlReady);
    connect(m_launch, &SmartLaunch::callbackRejected, this,
        [this](const QString& reason) { Q_EMIT protocolEvent(QStringLiteral("callback rejected"), reason); });
}

ConnectionManager::~ConnectionManager() = default;

std::optional<Connection> ConnectionManager::find(const QString& id) const
{
    const auto found = m_services.registry->find(id);
    return found ? found.value() : std::nullopt;
}

void ConnectionManager::cancel()
{
    m_launch->cancel();
    if (m_attempt && !m_attempt->done)
        abandon(m_attempt,
            AuthFailure { AuthError::Cancelled, tr("The connection was cancelled."), QStringLiteral("cancelled") });
}

QFuture<AuthResult<ConnectOutcome>> ConnectionManager::connectProvider(const ConnectRequest& request)
{
    if (m_attempt && !m_attempt->done)
        abandon(m_attempt,
            AuthFailure {
                AuthError::Cancelled, tr("A new connection replaced this one."), QStringLiteral("restarted") });
    auto attempt = std::make_shared<Attempt>();
    m_attempt = attempt;
    attempt->request = request;
    attempt->promise.start();
    QFuture<AuthResult<ConnectOutcome>> future = attempt->promise.future();

    // No browser for a sign-in that could not be kept.
    if (const auto keychain = SecretStore::knownUnavailable()) {
        abandon(attempt, AuthFailure { AuthError::Keychain, keychain->message, keychain->detail });
        return future;
    }
    if (request.configuration
        && request.configuration->fhirBase == request.fhirBase.adjusted(QUrl::StripTrailingSlash)) {
        authorize(attempt, *request.configuration);
        return future;
    }
    m_discovery->discover(request.fhirBase)
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, attempt](const AuthResult<SmartConfiguration>& found) {
                if (attempt->done)
                    return;
                if (!found) {
                    Q_EMIT protocolEvent(
                        QStringLiteral("discovery"), QStringLiteral("failed: ") + found.failure().detail);
                    abandon(attempt, found.failure());
                    return;
                }
                const SmartConfiguration& config = found.value();
                Q_EMIT protocolEvent(QStringLiteral("discovery"),
                    QStringLiteral("ok: PKCE S256, offline access %1, revocation %2, DPoP %3")
                        .arg(config.offersOfflineAccess() ? QStringLiteral("offered") : QStringLiteral("not offered"),
                            config.revocationEndpoint.isValid() ? QStringLiteral("supported")
                                                                : QStringLiteral("not supported"),
                            config.offersDpop() ? config.dpopAlgorithms.join(QStringLiteral(", "))
                                    + (config.dpopAlgorithmsSource.isValid() ? QStringLiteral(" (from ")
                                                + config.dpopAlgorithmsSource.toDisplayString() + QLatin1Char(')')
                                                                             : QString())
                                                : QStringLiteral("not offered")));
                authorize(attempt, config);
            }));
    return future;
}

void ConnectionManager::authorize(std::shared_ptr<Attempt> attempt, const SmartConfiguration& config)
{
    attempt->configuration = config;
    Q_EMIT discovered(config);
    Q_EMIT protocolEvent(QStringLiteral("authorize"), QStringLiteral("browser opened"));
    // RFC 9449: a server that accepts DPoP proofs gets a key made on this computer for this connection (P-384,
    // or P-256 for a server that signs only ES256); the code exchange carries its proof.
    LaunchRequest launch { config, attempt->request.clientId, attempt->request.redirectPort, attempt->request.scope };
    if (config.offersDpop()) {
        auto key = SoftwareDeviceKey::generate(deviceKeyCurve(config.dpopAlgorithms));
        if (key) {
            attempt->deviceKey = std::move(key).value();
            launch.dpopKey = attempt->deviceKey.get();
            launch.dpopNonces = &attempt->nonces;
        } else {
            Q_EMIT protocolEvent(
                QStringLiteral("DPoP"), QStringLiteral("no key could be made: ") + key.failure().detail);
        }
    }
    m_launch->start(launch).then(compat::continuationContext(),
        compat::ifAlive(this, [this, attempt](const AuthResult<TokenResponse>& exchanged) {
            if (attempt->done)
                return;
            if (!exchanged) {
                Q_EMIT protocolEvent(
                    QStringLiteral("code exchange"), QStringLiteral("failed: ") + exchanged.failure().detail);
                abandon(attempt, exchanged.failure());
                return;
            }
            Q_EMIT protocolEvent(QStringLiteral("code exchange"),
                exchanged.value().refreshToken.isEmpty() ? QStringLiteral("ok; no refresh token issued")
                                                         : QStringLiteral("ok; refresh token issued"));
            // Bound only when the server says so; a Bearer answer to a proof leaves the connection unbound.
            attempt->bound = attempt->deviceKey && exchanged.value().tokenType == TokenResponse::Type::DPoP;
            if (attempt->deviceKey)
                Q_EMIT protocolEvent(QStringLiteral("DPoP"),
                    attempt->bound ? QStringLiteral("tokens bound to this computer's key (%1, thumbprint %2)")
                                         .arg(attempt->deviceKey->algorithm(), attempt->deviceKey->thumbprint())
                                   : QStringLiteral("offered, but the server issued Bearer tokens: not bound"));
            for (const QString& warning : exchanged.value().warnings)
                Q_EMIT protocolEvent(QStringLiteral("code exchange"), QStringLiteral("warning: ") + warning);
            afterExchange(attempt, exchanged.value());
        }));
}

void ConnectionManager::afterExchange(std::shared_ptr<Attempt> attempt, TokenResponse tokens)
{
    attempt->tokens = std::move(tokens);
    // Without `patient`, only a verified id_token's fhirUser can say whose records these are (checkIdentity).
    if (attempt->tokens.patient.isEmpty() && attempt->tokens.idToken.isEmpty()) {
        abandon(attempt, noPatient());
        return;
    }
    if (attempt->tokens.idToken.isEmpty()) {
        checkIdentity(attempt);
        return;
    }
    const SmartConfiguration& config = attempt->configuration;
    if (!config.jwksUri.isValid() || config.issuer.isEmpty()) {
        abandon(attempt,
            AuthFailure { AuthError::IdToken,
                tr("The provider sent an identity token that cannot be checked (it publishes no signing keys), so "
                   "nothing was stored."),
                QStringLiteral("id_token without jwks_uri or issuer") });
        return;
    }
    get(*m_services.network, authRequest(config.jwksUri, "application/json"))
        .then(compat::continuationContext(), compat::ifAlive(this, [this, attempt](const HttpResult& result) {
            if (attempt->done)
                return;
            if (result.status != 200) {
                abandon(attempt,
                    AuthFailure { AuthError::IdToken,
                        tr("The provider's signing keys could not be fetched, so its identity token cannot be checked. "
                           "Nothing was stored."),
                        QStringLiteral("jwks_uri answered HTTP %1").arg(result.status) });
                return;
            }
            const auto keys = JsonWebKeySet::parse(result.body);
            if (!keys) {
                abandon(attempt, AuthFailure { AuthError::IdToken, keys.failure().message, keys.failure().detail });
                return;
            }
            const IdTokenVerifier verifier(attempt->configuration.issuer, attempt->request.clientId, m_services.clock);
            const auto claims = verifier.verify(attempt->tokens.idToken, keys.value());
            if (!claims) {
                Q_EMIT protocolEvent(
                    QStringLiteral("id_token"), QStringLiteral("rejected: ") + claims.failure().detail);
                abandon(attempt,
                    AuthFailure { AuthError::IdToken,
                        tr("The provider's identity token failed a check (%1), so nothing was stored and the access it "
                           "granted was revoked where possible.")
                            .arg(claims.failure().message),
                        claims.failure().detail });
                return;
            }
            attempt->connection.fhirUser = claims.value().fhirUser;
            attempt->connection.subject = claims.value().subject;
            Q_EMIT protocolEvent(QStringLiteral("id_token"), QStringLiteral("verified"));
            checkIdentity(attempt);
        }));
}

AuthFailure ConnectionManager::noPatient()
{
    return { AuthError::InvalidResponse,
        tr("The provider did not say whose records this sign-in is for, so nothing was stored."),
        QStringLiteral("neither the token response nor a verified id_token names a patient") };
}

void ConnectionManager::checkIdentity(std::shared_ptr<Attempt> attempt)
{
    const SmartConfiguration& config = attempt->configuration;
    Connection& c = attempt->connection;
    c.issuer = config.issuer.isEmpty() ? config.fhirBase : QUrl(config.issuer);
    c.fhirBase = config.fhirBase;
    c.patientId = attempt->tokens.patient;
    if (c.patientId.isEmpty()) {
        // Some servers name the patient only in the id_token's fhirUser ("Patient/123", relative or absolute).
        const QString resource = IdTokenVerifier::fhirUserResource(c.fhirUser);
        if (!resource.startsWith(QLatin1String("Patient/"))) {
            abandon(attempt, noPatient());
            return;
        }
        c.patientId = resource.mid(8);
        Q_EMIT protocolEvent(
            QStringLiteral("patient"), QStringLiteral("not in the token response; taken from the id_token's fhirUser"));
    }
    c.id = Connection::makeId(c.issuer, c.patientId);

    const auto existing = find(c.id);
    if (attempt->request.reconnectId) {
        const auto previous = find(*attempt->request.reconnectId);
        const bool otherPatient = *attempt->request.reconnectId != c.id;
        const bool otherUser
            = previous && !previous->fhirUser.isEmpty() && !c.fhirUser.isEmpty() && previous->fhirUser != c.fhirUser;
        if (otherPatient || otherUser) {
            abandon(attempt,
                AuthFailure { AuthError::PatientChanged,
                    tr("This sign-in is for %1, not for %2 as before. Nothing was replaced. To add it as another "
                       "connection, use Connect a provider.")
                        .arg(otherPatient ? tr("patient %1").arg(c.patientId) : tr("user %1").arg(c.fhirUser),
                            otherPatient ? tr("patient %1").arg(previous ? previous->patientId : QString())
                                         : tr("user %1").arg(previous->fhirUser)),
                    QStringLiteral("reconnect returned another %1").arg(otherPatient ? "patient" : "fhirUser") });
            return;
        }
    }
    attempt->isNew = !existing.has_value();
    storeSecrets(attempt);
}

void ConnectionManager::storeSecrets(std::shared_ptr<Attempt> attempt)
{
    SecretStore& secrets = *m_services.secrets;
    const Connection& c = attempt->connection;
    const QByteArray refreshToken = attempt->tokens.refreshToken;

    // Step 1b: a bound connection's device key, written then read back; an unbound one keeps none (a reconnect
    // that was bound before and is not now leaves no stale key).
    auto storeDeviceKey = [this, attempt, &secrets](const std::function<void()>& next) {
        const QString item = attempt->connection.deviceKeyKey();
        if (!attempt->bound) {
            secrets.remove(item).then(
                compat::continuationContext(), compat::ifAlive(this, [next](const SecretStatus&) { next(); }));
            return;
        }
        const QByteArray value = attempt->deviceKey->keychainValue();
        secrets.write(item, value)
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this, attempt, item, value, next, &secrets](const SecretStatus& w) {
                    if (!w) {
                        abandon(attempt,
                            AuthFailure { AuthError::Keychain,
                                tr("This computer's key for the connection could not be saved in %1: %2")
                                    .arg(SecretStore::platformStoreName(), w.failure().message),
                                w.failure().detail });
                        return;
                    }
                    secrets.read(item).then(compat::continuationContext(),
                        compat::ifAlive(this, [this, attempt, value, next](const SecretValue& back) {
                            if (!back || back.value() != value) {
                                abandon(attempt,
                                    AuthFailure { AuthError::Keychain,
                                        tr("%1 did not keep this computer's key for the connection.")
                                            .arg(SecretStore::platformStoreName()),
                                        QStringLiteral("device key read-back did not match") });
                                return;
                            }
                            next();
                        }));
                }));
    };

    // Step 2: the refresh token, written then read back.
    auto storeRefreshToken = [this, attempt, refreshToken, &secrets] {
        const QString key = attempt->connection.refreshTokenKey();
        if (refreshToken.isEmpty()) {
            // No refresh token this time: an older one must not outlive its grant here.
            secrets.remove(key).then(compat::continuationContext(),
                compat::ifAlive(this, [this, attempt](const SecretStatus&) { storeRegistry(attempt); }));
            return;
        }
        secrets.write(key, refreshToken)
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this, attempt, key, refreshToken, &secrets](const SecretStatus& w) {
                    if (!w) {
                        abandon(attempt,
                            AuthFailure { AuthError::Keychain,
                                tr("The sign-in could not be saved in %1: %2")
                                    .arg(SecretStore::platformStoreName(), w.failure().message),
                                w.failure().detail });
                        return;
                    }
                    secrets.read(key).then(compat::continuationContext(),
                        compat::ifAlive(this, [this, attempt, refreshToken](const SecretValue& back) {
                            if (!back || back.value() != refreshToken) {
                                abandon(attempt,
                                    AuthFailure { AuthError::Keychain,
                                        tr("%1 did not keep the sign-in.").arg(SecretStore::platformStoreName()),
                                        QStringLiteral("refresh token read-back did not match") });
                                return;
                            }
                            storeRegistry(attempt);
                        }));
                }));
    };

    // Step 1: the data key. Written once for a new connection; for a known one
    // it must already be there ("not found" means locked or lost, never
    // "make a new key": the records are encrypted under the old one).
    if (!attempt->isNew) {
        secrets.read(c.dataKeyKey())
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this, attempt, storeDeviceKey, storeRefreshToken](const SecretValue& key) {
                    if (!key) {
                        abandon(attempt,
                            AuthFailure { AuthError::Keychain,
                                tr("The key to this connection's records could not be read from %1: %2")
                                    .arg(SecretStore::platformStoreName(), key.failure().message),
                                key.failure().detail });
                        return;
                    }
                    storeDeviceKey(storeRefreshToken);
                }));
        return;
    }
    QByteArray dataKey(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(dataKey.begin(), dataKey.end());
    secrets.write(c.dataKeyKey(), dataKey)
        .then(compat::continuationContext(),
            compat::ifAlive(
                this, [this, attempt, dataKey, storeDeviceKey, storeRefreshToken, &secrets](const SecretStatus& w) {
                    if (!w) {
                        abandon(attempt,
                            AuthFailure { AuthError::Keychain,
                                tr("OnDevice Health could not save a key in %1: %2")
                                    .arg(SecretStore::platformStoreName(), w.failure().message),
                                w.failure().detail });
                        return;
                    }
                    attempt->wroteDataKey = true;
                    secrets.read(attempt->connection.dataKeyKey())
                        .then(compat::continuationContext(),
                            compat::ifAlive(this,
                                [this, attempt, dataKey, storeDeviceKey, storeRefreshToken](const SecretValue& back) {
                                    if (!back || back.value() != dataKey) {
                                        abandon(attempt,
                                            AuthFailure { AuthError::Keychain,
                                                tr("%1 did not keep the key to your records.")
                                                    .arg(SecretStore::platformStoreName()),
                                                QStringLiteral("data key read-back did not match") });
                                        return;
                                    }
                                    storeDeviceKey(storeRefreshToken);
                                }));
                }));
}

void ConnectionManager::storeRegistry(std::shared_ptr<Attempt> attempt)
{
    const auto finishWith = [this, attempt](const QDateTime& grantEnd) {
        if (attempt->done)
            return;
        const SmartConfiguration& config = attempt->configuration;
        const TokenResponse& tokens = attempt->tokens;
        const QDateTime now = m_services.clock();
        Connection& c = attempt->connection;
        c.serverName = config.fhirBase.host();
        c.clientId = attempt->request.clientId;
        c.redirectPort = attempt->request.redirectPort;
        c.grantedScopes
            = tokens.scope.value_or((attempt->request.scope.isEmpty() ? config.defaultScope() : attempt->request.scope)
                                        .split(QLatin1Char(' '), Qt::SkipEmptyParts));
        c.state = ConnectionState::Connected;
        c.refreshTokenIssued = !tokens.refreshToken.isEmpty();
        c.accessExpiry = now.addSecs(tokens.expiresIn.value_or(3600));
        c.grantEnd = grantEnd;
        c.lastRefresh = QDateTime();
        c.lastRefreshResult = QStringLiteral("connected");
        c.tokenEndpoint = config.tokenEndpoint;
        c.revocationEndpoint = config.revocationEndpoint;
        c.introspectionEndpoint = config.introspectionEndpoint;
        c.managementEndpoint = config.managementEndpoint;
        c.jwksUri = config.jwksUri;
        c.binding = attempt->bound ? QStringLiteral("dpop") : QString();
        c.keyThumbprint = attempt->bound ? attempt->deviceKey->thumbprint() : QString();
        c.keyAlgorithm = attempt->bound ? attempt->deviceKey->algorithm() : QString();
        const auto saved = m_services.registry->update([&c](QList<Connection>& list) {
            list.removeIf([&c](const Connection& other) { return other.id == c.id; });
            list.append(c);
        });
        if (!saved) {
            abandon(attempt, AuthFailure { AuthError::Registry, saved.failure().message, saved.failure().detail });
            return;
        }
        attempt->done = true;
        // Only a refresh token lets the app keep the records up to date by itself.
        m_launch->finishBrowser(true,
            c.refreshTokenIssued
                ? tr("OnDevice Health is now connected to %1 and can keep your records up to date.").arg(c.serverName)
                : tr("OnDevice Health is now connected to %1. The provider did not let it stay signed in: you will "
                     "sign in again when this access ends.")
                      .arg(c.serverName));
        Q_EMIT protocolEvent(QStringLiteral("stored"),
            c.refreshTokenIssued ? QStringLiteral("refresh token, data key%1 in %2")
                                       .arg(attempt->bound ? QStringLiteral(" and device key") : QString(),
                                           SecretStore::platformStoreName())
                                 : QStringLiteral("no refresh token: sign in again when access ends"));
        attempt->promise.addResult(ConnectOutcome { c, attempt->isNew, tokens.accessToken, c.accessExpiry,
            attempt->bound ? std::shared_ptr<DeviceKey>(attempt->deviceKey) : nullptr });
        attempt->promise.finish();
    };

    // When the grant ends, if the server says: introspect the refresh token.
    const SmartConfiguration& config = attempt->configuration;
    if (!config.introspectionEndpoint.isValid() || attempt->tokens.refreshToken.isEmpty()) {
        finishWith({});
        return;
    }
    m_tokens
        ->introspect(config.introspectionEndpoint, attempt->request.clientId, attempt->tokens.refreshToken,
            attempt->tokens.accessToken)
        .then(
            compat::continuationContext(), compat::ifAlive(this, [finishWith](const AuthResult<Introspection>& answer) {
                finishWith(answer && answer.value().active ? answer.value().expiresAt : QDateTime());
            }));
}

void ConnectionManager::abandon(std::shared_ptr<Attempt> attempt, const AuthFailure& failure)
{
    if (attempt->done)
        return;
    attempt->done = true;
    qCInfo(lcAuth) << "connect abandoned:" << failure.detail;
    m_launch->finishBrowser(false, failure.message);
    // Nothing half-stored: a data key made for this attempt goes, and a
    // refresh token already issued is revoked where the server allows.
    if (attempt->wroteDataKey)
        m_services.secrets->remove(attempt->connection.dataKeyKey());
    if (attempt->bound && !attempt->connection.id.isEmpty())
        m_services.secrets->remove(attempt->connection.deviceKeyKey());
    const QByteArray issued = attempt->tokens.refreshToken;
    const QUrl revocation = attempt->configuration.revocationEndpoint;
    const auto answer = [attempt, failure] {
        attempt->promise.addResult(failure);
        attempt->promise.finish();
    };
    if (!issued.isEmpty() && revocation.isValid()) {
        Q_EMIT protocolEvent(QStringLiteral("revocation"), QStringLiteral("revoking the refused grant"));
        m_tokens
            ->revoke(revocation, attempt->request.clientId, issued,
                attempt->bound ? DpopSigner { attempt->deviceKey.get(), &attempt->nonces } : DpopSigner {})
            .then(
                compat::continuationContext(), compat::ifAlive(this, [answer](const AuthResult<Done>&) { answer(); }));
        return;
    }
    answer();
}

namespace {

// A keychain item that could not be deleted, for people (`message` takes the keychain's name and the reason);
// one that was already gone is not a failure.
std::optional<AuthFailure> removalFailure(const SecretStatus& removed, const QString& message)
{
    if (removed || removed.code() == SecretError::NotFound)
        return std::nullopt;
    return AuthFailure { AuthError::Keychain, message.arg(SecretStore::platformStoreName(), removed.failure().message),
        removed.failure().detail };
}

} // namespace

QFuture<AuthResult<SignOutOutcome>> ConnectionManager::underRefreshLock(
    const QString& connectionId, const std::function<void(const Connection&, SignOutAnswer)>& work)
{
    auto promise = std::make_shared<QPromise<AuthResult<SignOutOutcome>>>();
    promise->start();
    const auto answer = [promise](AuthResult<SignOutOutcome> result) {
        promise->addResult(std::move(result));
        promise->finish();
    };
    const auto connection = find(connectionId);
    if (!connection) {
        answer(AuthFailure { AuthError::Registry, tr("There is no such connection."), QStringLiteral("unknown id") });
        return promise->future();
    }
    // A refresh in flight (in this process or another) stores its new token
    // first, which is then the one revoked and deleted; a refresh that starts
    // meanwhile waits, then finds the connection signed out or gone and leaves
    // the keychain alone (Session::locked()).
    auto* lock = new RefreshLock(m_services.lockDirectory, connection->id, this);
    const SignOutAnswer unlockAndAnswer = [lock, answer](AuthResult<SignOutOutcome> result) {
        lock->release();
        lock->deleteLater();
        answer(std::move(result));
    };
    lock->acquire([c = *connection, work, unlockAndAnswer](const std::optional<AuthFailure>& failure) {
        if (failure)
            unlockAndAnswer(*failure);
        else
            work(c, unlockAndAnswer);
    });
    return promise->future();
}

QFuture<AuthResult<SignOutOutcome>> ConnectionManager::signOut(const QString& connectionId)
{
    return underRefreshLock(
        connectionId, [this](const Connection& c, const SignOutAnswer& answer) { signOutLocked(c, answer); });
}

void ConnectionManager::signOutLocked(const Connection& c, const SignOutAnswer& answer)
{
    m_services.secrets->read(c.refreshTokenKey())
        .then(compat::continuationContext(), compat::ifAlive(this, [this, c, answer](const SecretValue& token) {
            const auto finishLocally = [this, c, answer](bool revoked) {
                m_services.secrets->remove(c.refreshTokenKey())
                    .then(compat::continuationContext(),
                        compat::ifAlive(this, [this, c, answer, revoked](const SecretStatus& removed) {
                            if (const auto failure
                                = removalFailure(removed, tr("The sign-in could not be removed from %1: %2"))) {
                                answer(*failure);
                                return;
                            }
                            const auto saved = m_services.registry->update([&c](QList<Connection>& list) {
                                for (Connection& other : list)
                                    if (other.id == c.id) {
                                        other.state = ConnectionState::SignedOut;
                                        other.accessExpiry = QDateTime();
                                    }
                            });
                            if (!saved) {
                                // The sign-in is gone (and revoked where possible), but the list still says
                                // "connected": say so rather than report a clean sign-out.
                                answer(AuthFailure { AuthError::Registry,
                                    tr("You are signed out (the sign-in was deleted), but the list of connections "
                                       "could not be "
                                       "updated: %1")
                                        .arg(saved.failure().message),
                                    saved.failure().detail });
                                return;
                            }
                            Q_EMIT protocolEvent(QStringLiteral("sign out"),
                                revoked ? QStringLiteral("revoked at the server; refresh token deleted")
                                        : QStringLiteral("refresh token deleted; the server offers no revocation"));
                            answer(SignOutOutcome { revoked, c.managementEndpoint, false });
                        }));
            };
            if (!token) {
                if (token.code() != SecretError::NotFound) {
                    answer(AuthFailure { AuthError::Keychain, token.failure().message, token.failure().detail });
                    return;
                }
                finishLocally(false); // already gone
                return;
            }
            if (!c.revocationEndpoint.isValid()) {
                finishLocally(false);
                return;
            }
            const auto revoke = [this, c, refreshToken = token.value(), answer, finishLocally](
                                    std::shared_ptr<DeviceKey> key) {
                auto nonces = std::make_shared<DpopNonces>();
                m_tokens
                    ->revoke(c.revocationEndpoint, c.clientId, refreshToken,
                        key ? DpopSigner { key.get(), nonces.get() } : DpopSigner {})
                    .then(compat::continuationContext(),
                        compat::ifAlive(this, [answer, finishLocally, key, nonces](const AuthResult<Done>& revoked) {
                            if (!revoked
                                && (revoked.code() == AuthError::Network || revoked.code() == AuthError::Server)) {
                                // Deleting the token now would leave the grant alive at the
                                // provider with no way to end it from here.
                                answer(AuthFailure { revoked.code(),
                                    tr("Could not reach the provider to end access. Nothing was changed; try again "
                                       "when online."),
                                    revoked.failure().detail });
                                return;
                            }
                            finishLocally(revoked.ok());
                        }));
            };
            if (!c.isDpopBound()) {
                revoke(nullptr);
                return;
            }
            // A bound grant's revocation carries a proof by its key. None is required (RFC 9449 defines none
            // there), so a key that cannot be read never keeps the patient from ending access.
            m_services.secrets->read(c.deviceKeyKey())
                .then(compat::continuationContext(), compat::ifAlive(this, [this, c, revoke](const SecretValue& item) {
                    if (!item) {
                        Q_EMIT protocolEvent(QStringLiteral("revocation"),
                            QStringLiteral("without a DPoP proof: the device key could not be read: ")
                                + item.failure().detail);
                        revoke(nullptr);
                        return;
                    }
                    auto key = boundDeviceKey(c, item.value());
                    if (!key) {
                        Q_EMIT protocolEvent(QStringLiteral("revocation"),
                            QStringLiteral("without a DPoP proof: ") + key.failure().detail);
                        revoke(nullptr);
                        return;
                    }
                    revoke(std::move(key).value());
                }));
        }));
}

QFuture<AuthResult<SignOutOutcome>> ConnectionManager::forget(const QString& connectionId)
{
    // Sign out and delete, all under the refresh lock.
    return underRefreshLock(connectionId, [this](const Connection& c, const SignOutAnswer& answer) {
        signOutLocked(c, [this, c, answer](const AuthResult<SignOutOutcome>& signedOut) {
            // Offline: forget anyway (the user asked for everything gone here), and
            // say that the provider's grant may still be live.
            if (!signedOut && signedOut.code() != AuthError::Network && signedOut.code() != AuthError::Server) {
                answer(signedOut);
                return;
            }
            m_services.secrets->remove(c.dataKeyKey())
                .then(compat::continuationContext(),
                    compat::ifAlive(this, [this, c, answer, signedOut](const SecretStatus& removed) {
                        if (const auto failure = removalFailure(
                                removed, tr("The key to this connection's records could not be removed from %1: %2"))) {
                            answer(*failure);
                            return;
                        }
                        // Offline sign-out left the refresh token; forgetting removes it too (before the lock goes),
                        // then the device key of a DPoP-bound connection (for others there is none to remove).
                        m_services.secrets->remove(c.refreshTokenKey())
                            .then(compat::continuationContext(),
                                compat::ifAlive(this, [this, c, answer, signedOut](const SecretStatus& tokenRemoved) {
                                    if (const auto failure = removalFailure(
                                            tokenRemoved, tr("The sign-in could not be removed from %1: %2"))) {
                                        answer(*failure);
                                        return;
                                    }
                                    m_services.secrets->remove(c.deviceKeyKey())
                                        .then(compat::continuationContext(),
                                            compat::ifAlive(
                                                this, [this, c, answer, signedOut](const SecretStatus& keyRemoved) {
                                                    if (const auto failure = removalFailure(keyRemoved,
                                                            tr("This computer's key for the connection could not be "
                                                               "removed from %1: %2"))) {
                                                        answer(*failure);
                                                        return;
                                                    }
                                                    forgetConnection(c, answer, signedOut);
                                                }));
                                }));
                    }));
        });
    });
}

void ConnectionManager::forgetConnection(
    const Connection& c, const SignOutAnswer& answer, const AuthResult<SignOutOutcome>& signedOut)
{
    const auto saved = m_services.registry->update(
        [&c](QList<Connection>& list) { list.removeIf([&c](const Connection& o) { return o.id == c.id; }); });
    if (!saved) {
        answer(AuthFailure { AuthError::Registry, saved.failure().message, saved.failure().detail });
        return;
    }
    Q_EMIT protocolEvent(QStringLiteral("forget"), QStringLiteral("data key and connection deleted"));
    answer(signedOut ? signedOut.value() : SignOutOutcome { false, c.managementEndpoint, true });
}

} // namespace ondevice::auth
