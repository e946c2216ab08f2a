#include "ConnectionManager.h"
#include "core/Continuations.h"

#include "Http.h"
#include "IdTokenVerifier.h"
#include "Logging.h"
#include "LoopbackReplyHandler.h"
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
    // The connection's key, made on this computer when the server offers DPoP or registration, and the
    // nonces of its token endpoint.
    std::shared_ptr<SoftwareDeviceKey> deviceKey;
    DpopNonces nonces;
    bool dpop = false; // requests carry DPoP proofs
    bool bound = false; // the server answered the proof with DPoP tokens
    // The client this connection is: the published one, or one registered for this computer.
    ClientRoute route = ClientRoute::Public;
    QString clientId; // the id the sign-in uses: the registered one, or the published one
    RegisteredClient registered;
    bool newRegistration = false; // registered by this attempt: deleted again if the attempt fails
    QString scope; // the scope asked for

    bool keepsKey() const { return bound || route != ClientRoute::Public; }
    RequestSigners signers()
    {
        return RequestSigners { bound ? DpopSigner { deviceKey.get(), &nonces } : DpopSigner {},
            route == ClientRoute::PrivateKeyJwt ? ClientSigner { deviceKey.get(), configuration.tokenEndpoint }
                                                : ClientSigner {} };
    }
};

ConnectionManager::ConnectionManager(
    AuthServices services, UrlOpener openBrowser, DiscoveryOptions discovery, QObject* parent)
    : QObject(parent)
    , m_services(std::move(services))
    , m_discoveryOptions(discovery)
    , m_discovery(new SmartDiscovery(*m_services.network, discovery, this))
    , m_launch(new SmartLaunch(*m_services.network, std::move(openBrowser), this))
    , m_tokens(new TokenClient(*m_services.network, this))
    , m_registrar(new ClientRegistrar(*m_services.network, discovery, this))
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
    // The route (docs/architecture.md): a client registered for this computer where the server offers one
    // (asymmetric first, then JWT-bearer), else the published public client; DPoP besides where offered.
    attempt->route = chooseClientRoute(config);
    attempt->clientId = attempt->request.clientId;
    attempt->dpop = usesDpop(config, attempt->route);
    reuseRegistration(attempt, [this, attempt](bool reused) {
        // One key per connection, made on this computer: P-384 (ES384), or P-256 for a server whose DPoP
        // signs only ES256 and that offers no registration.
        if (!attempt->deviceKey && (attempt->dpop || attempt->route != ClientRoute::Public)) {
            auto key = SoftwareDeviceKey::generate(attempt->route == ClientRoute::Public
                    ? deviceKeyCurve(attempt->configuration.dpopAlgorithms)
                    : jose::Curve::P384);
            if (key) {
                attempt->deviceKey = std::move(key).value();
            } else if (attempt->route != ClientRoute::Public) {
                abandon(attempt,
                    AuthFailure { AuthError::Keychain, tr("OnDevice Health could not make a key for this computer."),
                        key.failure().detail });
                return;
            } else {
                attempt->dpop = false;
                Q_EMIT protocolEvent(
                    QStringLiteral("DPoP"), QStringLiteral("no key could be made: ") + key.failure().detail);
            }
        }
        if (attempt->route == ClientRoute::PrivateKeyJwt && !reused) {
            registerClient(attempt, {}, [this, attempt] { launch(attempt); });
            return;
        }
        launch(attempt);
    });
}

void ConnectionManager::reuseRegistration(
    std::shared_ptr<Attempt> attempt, const std::function<void(bool reused)>& next)
{
    const auto previous = attempt->request.reconnectId ? find(*attempt->request.reconnectId) : std::nullopt;
    if (!previous || attempt->route != ClientRoute::PrivateKeyJwt || !previous->usesPrivateKeyJwt()
        || previous->tokenEndpoint != attempt->configuration.tokenEndpoint) {
        next(false);
        return;
    }
    const Connection& c = *previous;
    m_services.secrets->read(c.deviceKeyKey())
        .then(compat::continuationContext(), compat::ifAlive(this, [this, attempt, c, next](const SecretValue& item) {
            auto key = item
                ? boundDeviceKey(c, item.value())
                : AuthResult<std::unique_ptr<SoftwareDeviceKey>>(AuthFailure { AuthError::Keychain, {}, {} });
            if (!key) {
                next(false);
                return;
            }
            attempt->deviceKey = std::move(key).value();
            attempt->clientId = c.clientId;
            attempt->registered = RegisteredClient { c.clientId, c.registrationClientUri, {} };
            m_services.secrets->read(c.registrationTokenKey())
                .then(compat::continuationContext(),
                    compat::ifAlive(this, [this, attempt, next](const SecretValue& token) {
                        if (token)
                            attempt->registered.registrationAccessToken = token.value();
                        Q_EMIT protocolEvent(QStringLiteral("registration"),
                            QStringLiteral("reusing client %1 and this computer's key").arg(attempt->clientId));
                        next(true);
                    }));
        }));
}

void ConnectionManager::registerClient(
    std::shared_ptr<Attempt> attempt, const QByteArray& bearer, const std::function<void()>& next)
{
    const QJsonObject request = registrationRequest(attempt->route, attempt->request.clientId,
        LoopbackReplyHandler::callbackFor(attempt->request.redirectPort), *attempt->deviceKey);
    m_registrar
        ->registerClient(
            attempt->configuration.registrationEndpoint, request, attempt->route, *attempt->deviceKey, bearer)
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, attempt, next](const AuthResult<RegisteredClient>& registered) {
                if (attempt->done) {
                    // Cancelled meanwhile: a registration nobody will use goes at once.
                    if (registered)
                        m_registrar->deleteClient(
                            registered.value().registrationClientUri, registered.value().registrationAccessToken);
                    return;
                }
                if (!registered) {
                    Q_EMIT protocolEvent(
                        QStringLiteral("registration"), QStringLiteral("failed: ") + registered.failure().detail);
                    abandon(attempt, registered.failure());
                    return;
                }
                attempt->registered = registered.value();
                attempt->newRegistration = true;
                attempt->clientId = registered.value().clientId;
                Q_EMIT protocolEvent(QStringLiteral("registration"),
                    QStringLiteral("client %1 registered for this computer's key (%2, thumbprint %3), %4")
                        .arg(attempt->clientId, attempt->deviceKey->algorithm(), attempt->deviceKey->thumbprint(),
                            clientRouteName(attempt->route)));
                next();
            }));
}

void ConnectionManager::launch(std::shared_ptr<Attempt> attempt)
{
    const SmartConfiguration& config = attempt->configuration;
    Q_EMIT protocolEvent(QStringLiteral("authorize"), QStringLiteral("browser opened"));
    attempt->scope = attempt->request.scope.isEmpty() ? config.defaultScope() : attempt->request.scope;
    if (attempt->route == ClientRoute::JwtBearer) {
        // No refresh token on this route: the registration scope instead of offline access.
        QStringList scopes = attempt->scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        scopes.removeAll(QStringLiteral("offline_access"));
        scopes.removeAll(QStringLiteral("online_access"));
        if (!scopes.contains(QLatin1String(kRegistrationScope)))
            scopes << QLatin1String(kRegistrationScope);
        attempt->scope = scopes.join(QLatin1Char(' '));
    }
    LaunchRequest launch { config, attempt->clientId, attempt->request.redirectPort, attempt->scope };
    if (attempt->dpop && attempt->deviceKey) {
        launch.dpopKey = attempt->deviceKey.get();
        launch.dpopNonces = &attempt->nonces;
    }
    if (attempt->route == ClientRoute::PrivateKeyJwt)
        launch.clientKey = attempt->deviceKey.get();
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
            attempt->bound = attempt->dpop && exchanged.value().tokenType == TokenResponse::Type::DPoP;
            if (attempt->dpop)
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
            const IdTokenVerifier verifier(attempt->configuration.issuer, attempt->clientId, m_services.clock);
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
    if (attempt->route == ClientRoute::JwtBearer)
        registerWithAccessToken(attempt);
    else
        storeSecrets(attempt);
}

void ConnectionManager::registerWithAccessToken(std::shared_ptr<Attempt> attempt)
{
    const SmartConfiguration& config = attempt->configuration;
    // Each later access token names the user this sign-in identified.
    if (attempt->connection.subject.isEmpty()) {
        abandon(attempt,
            AuthFailure { AuthError::IdToken,
                tr("The provider did not say who signed in, which staying connected this way needs. Nothing was "
                   "stored."),
                QStringLiteral("JWT-bearer route without a verified id_token sub") });
        return;
    }
    // A refresh token that came anyway is ended at once: the registration is the grant on this route.
    if (!attempt->tokens.refreshToken.isEmpty() && config.revocationEndpoint.isValid())
        m_tokens->revoke(config.revocationEndpoint, attempt->request.clientId, attempt->tokens.refreshToken);
    const QByteArray bootstrap = attempt->tokens.accessToken;
    registerClient(attempt, bootstrap, [this, attempt, bootstrap] {
        m_tokens
            ->jwtBearer(attempt->configuration.tokenEndpoint, attempt->clientId, attempt->connection.subject,
                *attempt->deviceKey,
                attempt->dpop ? DpopSigner { attempt->deviceKey.get(), &attempt->nonces } : DpopSigner {})
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this, attempt, bootstrap](const AuthResult<TokenResponse>& granted) {
                    if (attempt->done)
                        return;
                    if (!granted) {
                        Q_EMIT protocolEvent(
                            QStringLiteral("JWT-bearer grant"), QStringLiteral("failed: ") + granted.failure().detail);
                        abandon(attempt, granted.failure());
                        return;
                    }
                    if (!granted.value().patient.isEmpty()
                        && granted.value().patient != attempt->connection.patientId) {
                        abandon(attempt,
                            AuthFailure { AuthError::PatientChanged,
                                tr("The provider answered for another patient than the one you signed in as. Nothing "
                                   "was stored."),
                                QStringLiteral("JWT-bearer grant names another patient") });
                        return;
                    }
                    attempt->tokens = granted.value();
                    attempt->tokens.refreshToken.clear();
                    attempt->bound = attempt->dpop && granted.value().tokenType == TokenResponse::Type::DPoP;
                    Q_EMIT protocolEvent(QStringLiteral("JWT-bearer grant"),
                        QStringLiteral("first access token of the registered client%1")
                            .arg(attempt->bound ? QStringLiteral(", bound by DPoP") : QString()));
                    // The sign-in's own access token is not needed any more.
                    const QUrl revocation = attempt->configuration.revocationEndpoint;
                    if (revocation.isValid())
                        m_tokens->revoke(
                            revocation, attempt->request.clientId, bootstrap, {}, QStringLiteral("access_token"));
                    storeSecrets(attempt);
                }));
    });
}

void ConnectionManager::storeSecret(std::shared_ptr<Attempt> attempt, const QString& item, const QByteArray& value,
    const QString& what, const std::function<void()>& next)
{
    SecretStore& secrets = *m_services.secrets;
    secrets.write(item, value)
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, attempt, item, value, what, next, &secrets](const SecretStatus& w) {
                if (!w) {
                    abandon(attempt,
                        AuthFailure { AuthError::Keychain,
                            tr("%1 could not be saved in %2: %3")
                                .arg(what, SecretStore::platformStoreName(), w.failure().message),
                            w.failure().detail });
                    return;
                }
                secrets.read(item).then(compat::continuationContext(),
                    compat::ifAlive(this, [this, attempt, item, value, what, next](const SecretValue& back) {
                        if (!back || back.value() != value) {
                            abandon(attempt,
                                AuthFailure { AuthError::Keychain,
                                    tr("%1 was saved in %2, but reading it back gave something else.")
                                        .arg(what, SecretStore::platformStoreName()),
                                    QStringLiteral("%1 read-back did not match").arg(item.section('/', -1)) });
                            return;
                        }
                        next();
                    }));
            }));
}

void ConnectionManager::storeSecrets(std::shared_ptr<Attempt> attempt)
{
    SecretStore& secrets = *m_services.secrets;
    const Connection& c = attempt->connection;
    // An item this connection does not use any more (a reconnect that took another route) goes.
    const auto storeOrRemove = [this, attempt, &secrets](const QString& item, const QByteArray& value,
                                   const QString& what, const std::function<void()>& next) {
        if (value.isEmpty()) {
            secrets.remove(item).then(
                compat::continuationContext(), compat::ifAlive(this, [next](const SecretStatus&) { next(); }));
            return;
        }
        storeSecret(attempt, item, value, what, next);
    };
    // Steps 2 to 4, each written then read back: the device key (when it signs for the connection), the
    // registration access token (RFC 7592, when the server gave one), the refresh token (none on the
    // JWT-bearer route, and none when the server gave none: an older one must not outlive its grant here).
    const auto storeRest = [this, attempt, storeOrRemove] {
        storeOrRemove(attempt->connection.deviceKeyKey(),
            attempt->keepsKey() ? attempt->deviceKey->keychainValue() : QByteArray(),
            tr("This computer's key for the connection"), [this, attempt, storeOrRemove] {
                storeOrRemove(attempt->connection.registrationTokenKey(), attempt->registered.registrationAccessToken,
                    tr("This computer's registration at the provider"), [this, attempt, storeOrRemove] {
                        storeOrRemove(attempt->connection.refreshTokenKey(), attempt->tokens.refreshToken,
                            tr("The sign-in"), [this, attempt] { storeRegistry(attempt); });
                    });
            });
    };

    // Step 1: the data key. Written once for a new connection; for a known one
    // it must already be there ("not found" means locked or lost, never
    // "make a new key": the records are encrypted under the old one).
    if (!attempt->isNew) {
        secrets.read(c.dataKeyKey())
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this, attempt, storeRest](const SecretValue& key) {
                    if (!key) {
                        abandon(attempt,
                            AuthFailure { AuthError::Keychain,
                                tr("The key to this connection's records could not be read from %1: %2")
                                    .arg(SecretStore::platformStoreName(), key.failure().message),
                                key.failure().detail });
                        return;
                    }
                    storeRest();
                }));
        return;
    }
    QByteArray dataKey(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(dataKey.begin(), dataKey.end());
    attempt->wroteDataKey = true; // removed again if anything after this fails
    storeSecret(attempt, c.dataKeyKey(), dataKey, tr("The key to your records"), storeRest);
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
        if (!attempt->request.brandName.isEmpty()) {
            c.brand = attempt->request.brandName;
            c.brandLogo = attempt->request.brandLogo;
        }
        c.clientId = attempt->clientId;
        c.redirectPort = attempt->request.redirectPort;
        c.grantedScopes = tokens.scope.value_or(attempt->scope.split(QLatin1Char(' '), Qt::SkipEmptyParts));
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
        c.keyThumbprint = attempt->keepsKey() ? attempt->deviceKey->thumbprint() : QString();
        c.keyAlgorithm = attempt->keepsKey() ? attempt->deviceKey->algorithm() : QString();
        c.clientRoute = clientRouteName(attempt->route);
        c.softwareId = attempt->route == ClientRoute::Public ? QString() : attempt->request.clientId;
        c.registrationClientUri = attempt->registered.registrationClientUri;
        const auto saved = m_services.registry->update([&c](QList<Connection>& list) {
            list.removeIf([&c](const Connection& other) { return other.id == c.id; });
            list.append(c);
        });
        if (!saved) {
            abandon(attempt, AuthFailure { AuthError::Registry, saved.failure().message, saved.failure().detail });
            return;
        }
        attempt->done = true;
        // Only a refresh token, or a registration on the JWT-bearer route, lets the app keep the records up to
        // date by itself.
        m_launch->finishBrowser(true,
            c.staysConnected()
                ? tr("OnDevice Health is now connected to %1 and can keep your records up to date.").arg(c.serverName)
                : tr("OnDevice Health is now connected to %1. The provider did not let it stay signed in: you will "
                     "sign in again when this access ends.")
                      .arg(c.serverName));
        QStringList stored;
        if (c.refreshTokenIssued)
            stored << QStringLiteral("refresh token");
        stored << QStringLiteral("data key");
        if (attempt->keepsKey())
            stored << QStringLiteral("device key");
        if (!attempt->registered.registrationAccessToken.isEmpty())
            stored << QStringLiteral("registration access token");
        Q_EMIT protocolEvent(QStringLiteral("stored"),
            c.staysConnected()
                ? QStringLiteral("%1 in %2").arg(stored.join(QStringLiteral(", ")), SecretStore::platformStoreName())
                : QStringLiteral("no refresh token: sign in again when access ends"));
        attempt->promise.addResult(ConnectOutcome { c, attempt->isNew, tokens.accessToken, c.accessExpiry,
            attempt->keepsKey() ? std::shared_ptr<DeviceKey>(attempt->deviceKey) : nullptr, config });
        attempt->promise.finish();
    };

    // When the grant ends, if the server says: introspect the refresh token.
    const SmartConfiguration& config = attempt->configuration;
    if (!config.introspectionEndpoint.isValid() || attempt->tokens.refreshToken.isEmpty()) {
        finishWith({});
        return;
    }
    m_tokens
        ->introspect(config.introspectionEndpoint, attempt->clientId, attempt->tokens.refreshToken,
            attempt->tokens.accessToken, attempt->signers().client)
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
    if (attempt->isNew && attempt->keepsKey() && !attempt->connection.id.isEmpty()) {
        m_services.secrets->remove(attempt->connection.deviceKeyKey());
        m_services.secrets->remove(attempt->connection.registrationTokenKey());
    }
    const QByteArray issued = attempt->tokens.refreshToken;
    const QUrl revocation = attempt->configuration.revocationEndpoint;
    // A registration this attempt made, and nobody will use, is deleted (RFC 7592) after the revocation.
    const auto answer = [this, attempt, failure] {
        if (attempt->newRegistration) {
            Q_EMIT protocolEvent(QStringLiteral("registration"), QStringLiteral("deleting the unused registration"));
            m_registrar->deleteClient(
                attempt->registered.registrationClientUri, attempt->registered.registrationAccessToken);
        }
        attempt->promise.addResult(failure);
        attempt->promise.finish();
    };
    if (!issued.isEmpty() && revocation.isValid()) {
        Q_EMIT protocolEvent(QStringLiteral("revocation"), QStringLiteral("revoking the refused grant"));
        m_tokens->revoke(revocation, attempt->clientId, issued, attempt->signers())
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
    // Deleting the token now would leave the grant alive at the provider with no way to end it from here.
    const auto unreachable = [answer](const AuthResult<Done>& ended) {
        if (ended || (ended.code() != AuthError::Network && ended.code() != AuthError::Server))
            return false;
        answer(AuthFailure { ended.code(),
            tr("Could not reach the provider to end access. Nothing was changed; try again when online."),
            ended.failure().detail });
        return true;
    };
    if (c.usesJwtBearer()) {
        // The registration is the grant on this route: deleting it (RFC 7592) ends access.
        deleteRegistration(c, [this, c, unreachable, finishLocally](const AuthResult<Done>& deleted) {
            if (unreachable(deleted))
                return;
            m_services.secrets->remove(c.registrationTokenKey())
                .then(compat::continuationContext(),
                    compat::ifAlive(
                        this, [finishLocally, ok = deleted.ok()](const SecretStatus&) { finishLocally(ok); }));
        });
        return;
    }
    m_services.secrets->read(c.refreshTokenKey())
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, c, answer, unreachable, finishLocally](const SecretValue& token) {
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
                const auto revoke = [this, c, refreshToken = token.value(), unreachable, finishLocally](
                                        std::shared_ptr<DeviceKey> key) {
                    auto nonces = std::make_shared<DpopNonces>();
                    const RequestSigners signers { key && c.isDpopBound() ? DpopSigner { key.get(), nonces.get() }
                                                                          : DpopSigner {},
                        key && c.usesPrivateKeyJwt() ? ClientSigner { key.get(), c.tokenEndpoint } : ClientSigner {} };
                    m_tokens->revoke(c.revocationEndpoint, c.clientId, refreshToken, signers)
                        .then(compat::continuationContext(),
                            compat::ifAlive(
                                this, [unreachable, finishLocally, key, nonces](const AuthResult<Done>& revoked) {
                                    if (!unreachable(revoked))
                                        finishLocally(revoked.ok());
                                }));
                };
                if (!c.needsDeviceKey()) {
                    revoke(nullptr);
                    return;
                }
                // A bound grant's revocation carries a proof by its key, a registered client's an assertion. A
                // proof is not required (RFC 9449 defines none there), so a key that cannot be read never keeps the
                // patient from ending access; a registered client without its key cannot authenticate anyway.
                m_services.secrets->read(c.deviceKeyKey())
                    .then(compat::continuationContext(),
                        compat::ifAlive(this, [this, c, revoke](const SecretValue& item) {
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
            // Every item of the connection, the refresh token included (an offline sign-out left it); the
            // device key and registration token of connections that have them (for others nothing is there).
            const auto removeItems = [this, c, answer, signedOut] {
                removeSecrets({ { c.dataKeyKey(),
                                    tr("The key to this connection's records could not be removed "
                                       "from %1: %2") },
                                  { c.refreshTokenKey(), tr("The sign-in could not be removed from %1: %2") },
                                  { c.deviceKeyKey(),
                                      tr("This computer's key for the connection could not be removed from %1: %2") },
                                  { c.registrationTokenKey(),
                                      tr("This computer's registration could not be removed from %1: %2") } },
                    [this, c, answer, signedOut](const std::optional<AuthFailure>& failure) {
                        if (failure)
                            answer(*failure);
                        else
                            forgetConnection(c, answer, signedOut);
                    });
            };
            // A client registered for this computer is deleted at the provider too (the JWT-bearer route's
            // sign-out did that already); one that cannot be reached then stays there, as a grant would.
            if (!c.usesPrivateKeyJwt()) {
                removeItems();
                return;
            }
            deleteRegistration(c, [this, removeItems](const AuthResult<Done>& deleted) {
                Q_EMIT protocolEvent(QStringLiteral("registration"),
                    deleted ? QStringLiteral("deleted at the provider")
                            : QStringLiteral("not deleted: ") + deleted.failure().detail);
                removeItems();
            });
        });
    });
}

void ConnectionManager::removeSecrets(const QList<std::pair<QString, QString>>& itemsAndMessages,
    const std::function<void(std::optional<AuthFailure>)>& done)
{
    if (itemsAndMessages.isEmpty()) {
        done(std::nullopt);
        return;
    }
    const QString message = itemsAndMessages.first().second;
    m_services.secrets->remove(itemsAndMessages.first().first)
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, rest = itemsAndMessages.mid(1), message, done](const SecretStatus& removed) {
                if (const auto failure = removalFailure(removed, message)) {
                    done(failure);
                    return;
                }
                removeSecrets(rest, done);
            }));
}

void ConnectionManager::deleteRegistration(
    const Connection& c, const std::function<void(const AuthResult<Done>&)>& done)
{
    m_services.secrets->read(c.registrationTokenKey())
        .then(compat::continuationContext(), compat::ifAlive(this, [this, c, done](const SecretValue& token) {
            m_registrar->deleteClient(c.registrationClientUri, token ? token.value() : QByteArray())
                .then(compat::continuationContext(), compat::ifAlive(this, done));
        }));
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
