#pragma once

#include "AuthError.h"
#include "Http.h"
#include "SmartConfiguration.h"

#include <QByteArray>
#include <QDateTime>
#include <QFuture>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::auth {

class DeviceKey;

inline constexpr char kClientAssertionType[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
inline constexpr char kJwtBearerGrant[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
inline constexpr char kRegistrationScope[] = "system/dynamicClient.register";

// How this installation is a client of a server:
// - Public: the published client id, with PKCE and (where offered) DPoP; a refresh token alone is the grant;
// - PrivateKeyJwt: a client registered for this computer (RFC 7591) that signs in with PKCE and authenticates
//   every token, revocation and introspection request with an assertion by the device key (RFC 7523 section
//   2.2; SMART client-confidential-asymmetric);
// - JwtBearer: a client registered with the first access token, which gets every later access token with a
//   JWT-bearer grant signed by the device key (RFC 7523 section 2.1); no refresh token at all.
enum class ClientRoute { Public, PrivateKeyJwt, JwtBearer };

// "private_key_jwt", "jwt_bearer", or empty for Public (as connections.json and `status --json` name them).
QString clientRouteName(ClientRoute route);
ClientRoute clientRouteFromName(const QString& name);

// The route this app takes with a server: registration first (asymmetric, then JWT-bearer), else the public
// client. DPoP is chosen apart from it (usesDpop()).
ClientRoute chooseClientRoute(const SmartConfiguration& config);
// Whether the connection's requests also carry DPoP proofs: the server offers DPoP with an algorithm the
// connection's key signs (a registered client's key is P-384, so ES384 then).
bool usesDpop(const SmartConfiguration& config, ClientRoute route);

// An RFC 7523 JWT by the device key: header alg (the key's), kid (its thumbprint), typ JWT; claims iss = the
// client id, sub = the client id (section 2.2, a client assertion) or `subject` (section 2.1, a JWT-bearer
// grant), aud = the token endpoint, a unique jti, iat, and exp two minutes ahead (at most five).
Expected<QByteArray, AuthError> makeClientAssertion(const DeviceKey& key, const QString& clientId,
    const QUrl& tokenEndpoint, const QDateTime& now, const QString& subject = {});

// A token endpoint's refusal of a client registered for this computer: as tokenEndpointFailure(), except that
// invalid_client means the provider no longer knows this computer's registration, which only a reconnect
// brings back (InvalidGrant, like a grant that ended).
AuthFailure registeredClientFailure(const HttpResult& result, const QString& what);

// What a server answered to a registration (RFC 7591 section 3.2.1), the parts kept.
struct RegisteredClient {
    QString clientId;
    QUrl registrationClientUri; // RFC 7592; empty when the server offers no management
    QByteArray registrationAccessToken; // a secret (the keychain's); empty when none was given
};

// The registration request for this installation (RFC 7591 section 2): its name, the loopback redirect (route
// PrivateKeyJwt), the grant types and authentication of the route, the device key's public JWK, and the
// published client id as software_id.
QJsonObject registrationRequest(
    ClientRoute route, const QString& softwareId, const QString& redirectUri, const DeviceKey& key);

// The server's answer, checked: a 201 (or 200) JSON object with a client_id; the key it echoes, if any, is the
// one sent; a registration_client_uri, if any, is https (or loopback); a route PrivateKeyJwt client
// authenticates with private_key_jwt. Anything else is a failure that says what.
AuthResult<RegisteredClient> parseRegistrationResponse(
    const HttpResult& result, ClientRoute route, const DeviceKey& key, const DiscoveryOptions& options);

// RFC 7591 registration and RFC 7592 deletion of this installation's client.
class ClientRegistrar : public QObject {
    Q_OBJECT

public:
    explicit ClientRegistrar(QNetworkAccessManager& network, DiscoveryOptions options = {}, QObject* parent = nullptr);

    // Registers `request` at `endpoint`; `bearer` is the access token that authorises it (route JwtBearer).
    QFuture<AuthResult<RegisteredClient>> registerClient(const QUrl& endpoint, const QJsonObject& request,
        ClientRoute route, const DeviceKey& key, const QByteArray& bearer = {});

    // Deletes the registration with its registration access token. A client the server no longer knows
    // (401, 404) counts as deleted; without a registration_client_uri or token there is nothing to do
    // (Unsupported).
    QFuture<AuthResult<Done>> deleteClient(const QUrl& registrationClientUri, const QByteArray& registrationToken);

private:
    QNetworkAccessManager& m_network;
    DiscoveryOptions m_options;
};

} // namespace ondevice::auth
