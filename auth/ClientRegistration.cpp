#include "ClientRegistration.h"

#include "DeviceKey.h"
#include "Logging.h"
#include "SmartLaunch.h"
#include "TokenResponse.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSysInfo>

namespace ondevice::auth {

namespace {

constexpr int kAssertionSeconds = 120;

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::auth::ClientRegistration)
};

AuthFailure refused(const QString& detail)
{
    return { AuthError::Server,
        Text::tr("The provider's answer to registering this computer could not be used, so nothing was stored."),
        QStringLiteral("registration: ") + detail };
}

} // namespace

QString clientRouteName(ClientRoute route)
{
    switch (route) {
    case ClientRoute::PrivateKeyJwt:
        return QStringLiteral("private_key_jwt");
    case ClientRoute::JwtBearer:
        return QStringLiteral("jwt_bearer");
    case ClientRoute::Public:
        break;
    }
    return {};
}

ClientRoute clientRouteFromName(const QString& name)
{
    if (name == QLatin1String("private_key_jwt"))
        return ClientRoute::PrivateKeyJwt;
    if (name == QLatin1String("jwt_bearer"))
        return ClientRoute::JwtBearer;
    return ClientRoute::Public;
}

ClientRoute chooseClientRoute(const SmartConfiguration& config)
{
    if (config.offersAsymmetricRegistration())
        return ClientRoute::PrivateKeyJwt;
    if (config.offersJwtBearerRegistration())
        return ClientRoute::JwtBearer;
    return ClientRoute::Public;
}

bool usesDpop(const SmartConfiguration& config, ClientRoute route)
{
    if (route == ClientRoute::Public)
        return config.offersDpop();
    return config.dpopAlgorithms.contains(QLatin1String("ES384"));
}

Expected<QByteArray, AuthError> makeClientAssertion(const DeviceKey& key, const QString& clientId,
    const QUrl& tokenEndpoint, const QDateTime& now, const QString& subject)
{
    const qint64 issued = now.toSecsSinceEpoch();
    const QJsonObject claims {
        { QStringLiteral("iss"), clientId },
        { QStringLiteral("sub"), subject.isEmpty() ? clientId : subject },
        { QStringLiteral("aud"), tokenEndpoint.toString(QUrl::FullyEncoded) },
        { QStringLiteral("jti"), randomUrlSafe(24) },
        { QStringLiteral("iat"), issued },
        { QStringLiteral("exp"), issued + kAssertionSeconds },
    };
    auto jwt = key.signJwt(
        { { QStringLiteral("typ"), QStringLiteral("JWT") }, { QStringLiteral("kid"), key.thumbprint() } }, claims);
    if (!jwt)
        return AuthFailure { AuthError::Keychain,
            Text::tr("This computer's key for the provider could not sign the request, so nothing was sent."),
            QStringLiteral("client assertion: ") + jwt.failure().detail };
    return std::move(jwt).value();
}

AuthFailure registeredClientFailure(const HttpResult& result, const QString& what)
{
    AuthFailure failure = tokenEndpointFailure(result, what);
    const auto oauth = result.reachedServer() ? OAuthErrorBody::parse(result.body) : std::nullopt;
    if (oauth && oauth->error == QLatin1String("invalid_client"))
        return { AuthError::InvalidGrant,
            Text::tr("The provider no longer knows this computer's registration. Reconnect to continue; your records "
                     "stay on this device."),
            failure.detail };
    return failure;
}

QJsonObject registrationRequest(
    ClientRoute route, const QString& softwareId, const QString& redirectUri, const DeviceKey& key)
{
    QJsonObject request {
        { QStringLiteral("client_name"), QStringLiteral("OnDevice Health on %1").arg(QSysInfo::prettyProductName()) },
        { QStringLiteral("software_id"), softwareId },
        { QStringLiteral("jwks"), QJsonObject { { QStringLiteral("keys"), QJsonArray { key.publicJwk() } } } },
    };
    if (route == ClientRoute::PrivateKeyJwt) {
        request.insert(QStringLiteral("redirect_uris"), QJsonArray { redirectUri });
        request.insert(QStringLiteral("grant_types"),
            QJsonArray { QStringLiteral("authorization_code"), QStringLiteral("refresh_token") });
        request.insert(QStringLiteral("token_endpoint_auth_method"), QStringLiteral("private_key_jwt"));
        request.insert(QStringLiteral("token_endpoint_auth_signing_alg"), key.algorithm());
    } else {
        request.insert(QStringLiteral("grant_types"), QJsonArray { QLatin1String(kJwtBearerGrant) });
    }
    return request;
}

AuthResult<RegisteredClient> parseRegistrationResponse(
    const HttpResult& result, ClientRoute route, const DeviceKey& key, const DiscoveryOptions& options)
{
    if (result.status != 201 && result.status != 200) {
        AuthFailure failure = tokenEndpointFailure(result, QStringLiteral("registration"));
        if (failure.code == AuthError::OAuth || failure.code == AuthError::InvalidGrant)
            failure.message = Text::tr("The provider refused to register this computer (%1).")
                                  .arg(OAuthErrorBody::parse(result.body).value_or(OAuthErrorBody {}).error.left(64));
        return failure;
    }
    const QJsonDocument document = QJsonDocument::fromJson(result.body);
    if (!document.isObject())
        return refused(QStringLiteral("not a JSON object"));
    const QJsonObject o = document.object();
    RegisteredClient client;
    client.clientId = o.value(QLatin1String("client_id")).toString();
    if (client.clientId.isEmpty() || client.clientId.size() > 512)
        return refused(QStringLiteral("no client_id"));
    // The server must hold the key this computer made; another one is not this installation's client.
    if (const QJsonValue jwks = o.value(QLatin1String("jwks")); !jwks.isUndefined()) {
        const QJsonArray keys = jwks.toObject().value(QLatin1String("keys")).toArray();
        const bool ours = std::any_of(keys.cbegin(), keys.cend(),
            [&key](const QJsonValue& k) { return jose::thumbprint(k.toObject()) == key.thumbprint(); });
        if (!ours)
            return refused(QStringLiteral("the registered jwks does not hold this computer's key"));
    }
    if (route == ClientRoute::PrivateKeyJwt) {
        const QString method = o.value(QLatin1String("token_endpoint_auth_method")).toString();
        if (!method.isEmpty() && method != QLatin1String("private_key_jwt"))
            return refused(QStringLiteral("registered with token_endpoint_auth_method %1").arg(method.left(64)));
    }
    if (const QString uri = o.value(QLatin1String("registration_client_uri")).toString(); !uri.isEmpty()) {
        const QUrl url(uri, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        const bool secure = url.isValid() && !url.host().isEmpty()
            && (scheme == QLatin1String("https")
                || (scheme == QLatin1String("http") && (isLoopbackHost(url.host()) || options.allowInsecureHttp)));
        if (secure)
            client.registrationClientUri = url;
        else
            qCInfo(lcAuth) << "registration_client_uri is not https: the registration cannot be managed from here";
    }
    client.registrationAccessToken = o.value(QLatin1String("registration_access_token")).toString().toUtf8();
    return client;
}

ClientRegistrar::ClientRegistrar(QNetworkAccessManager& network, DiscoveryOptions options, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_options(options)
{
}

QFuture<AuthResult<RegisteredClient>> ClientRegistrar::registerClient(
    const QUrl& endpoint, const QJsonObject& request, ClientRoute route, const DeviceKey& key, const QByteArray& bearer)
{
    QNetworkRequest http = authRequest(endpoint, "application/json");
    if (!bearer.isEmpty())
        http.setRawHeader("Authorization", "Bearer " + bearer);
    const DiscoveryOptions options = m_options;
    // The key outlives the answer: the caller's connect attempt holds it.
    const DeviceKey* signer = &key;
    return postJson(m_network, http, QJsonDocument(request).toJson(QJsonDocument::Compact))
        .then([route, signer, options](
                  const HttpResult& result) { return parseRegistrationResponse(result, route, *signer, options); });
}

QFuture<AuthResult<Done>> ClientRegistrar::deleteClient(
    const QUrl& registrationClientUri, const QByteArray& registrationToken)
{
    if (!registrationClientUri.isValid() || registrationToken.isEmpty())
        return QtFuture::makeReadyFuture(AuthResult<Done>(AuthFailure { AuthError::Unsupported,
            Text::tr("The provider gave no way to delete this computer's registration."),
            QStringLiteral("no registration_client_uri or registration_access_token") }));
    QNetworkRequest http = authRequest(registrationClientUri, "application/json");
    http.setRawHeader("Authorization", "Bearer " + registrationToken);
    return deleteResource(m_network, http).then([](const HttpResult& result) -> AuthResult<Done> {
        // RFC 7592 section 2.3: 204; a client already gone answers 401 (or 404 at some servers).
        if (result.status == 204 || result.status == 200 || result.status == 401 || result.status == 404)
            return Done {};
        return tokenEndpointFailure(result, QStringLiteral("registration delete"));
    });
}

} // namespace ondevice::auth
