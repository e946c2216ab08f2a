#include "ClientRegistry.h"

#include "AuthorizationServer.h"
#include "Crypto.h"
#include "EcJws.h"
#include "core/Jose.h"

#include <QJsonArray>

#include <cmath>

namespace ondevice::sandbox {

namespace {

constexpr char kJwtBearerGrant[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr int kLeewaySeconds = 30; // clock difference tolerated on exp and iat

ClientRegistry::Failure badMetadata(const QString& reason, const QString& description)
{
    return { 400, QStringLiteral("invalid_client_metadata"), description, reason };
}

QStringList strings(const QJsonValue& value, bool* ok)
{
    QStringList out;
    *ok = value.isUndefined() || value.isArray();
    for (const QJsonValue& entry : value.toArray()) {
        if (!entry.isString() || entry.toString().isEmpty())
            *ok = false;
        out << entry.toString();
    }
    return out;
}

} // namespace

ClientRegistry::ClientRegistry(Clock clock)
    : m_clock(std::move(clock))
{
}

std::variant<ClientRegistry::Registered, ClientRegistry::Failure> ClientRegistry::registerClient(
    const QJsonObject& request, const QList<Software>& software, const std::optional<RegisteringToken>& token)
{
    Client client;
    client.kind = token ? Kind::JwtBearer : Kind::PrivateKeyJwt;
    client.softwareId = request.value(QLatin1String("software_id")).toString();
    const auto known = std::find_if(
        software.cbegin(), software.cend(), [&client](const Software& s) { return s.softwareId == client.softwareId; });
    if (known == software.cend())
        return badMetadata(QStringLiteral("software_id"),
            QStringLiteral("software_id must name a client this server knows (its published client id)"));
    client.clientName = request.value(QLatin1String("client_name")).toString();

    // The key: one public EC key, by value. jwks_uri would make this server fetch keys from a client.
    if (request.contains(QLatin1String("jwks_uri")))
        return badMetadata(QStringLiteral("jwks"), QStringLiteral("jwks_uri is not supported: send jwks"));
    const QJsonArray keys = request.value(QLatin1String("jwks")).toObject().value(QLatin1String("keys")).toArray();
    if (keys.size() != 1 || !keys.first().isObject())
        return badMetadata(QStringLiteral("jwks"), QStringLiteral("jwks must hold exactly one key"));
    client.jwk = keys.first().toObject();
    QString why;
    jose::Curve curve = jose::Curve::P256;
    if (client.jwk.contains(QLatin1String("d")) || !jose::ecPublicKey(client.jwk, &curve, &why))
        return badMetadata(QStringLiteral("jwks"), QStringLiteral("the key must be a public EC key (P-256 or P-384)"));
    const QJsonValue signingAlg = request.value(QLatin1String("token_endpoint_auth_signing_alg"));
    if (!signingAlg.isUndefined() && signingAlg.toString() != QLatin1String(jose::curveInfo(curve).algorithm))
        return badMetadata(QStringLiteral("signing_alg"),
            QStringLiteral("token_endpoint_auth_signing_alg must be the key's algorithm (ES256 or ES384)"));

    bool ok = false;
    client.grantTypes = strings(request.value(QLatin1String("grant_types")), &ok);
    if (!ok)
        return badMetadata(QStringLiteral("grant_types"), QStringLiteral("grant_types must be a list of names"));
    client.authMethod = request.value(QLatin1String("token_endpoint_auth_method")).toString();
    if (client.kind == Kind::PrivateKeyJwt) {
        // RFC 7591 section 2: grant_types defaults to authorization_code.
        if (client.grantTypes.isEmpty())
            client.grantTypes << QStringLiteral("authorization_code");
        for (const QString& grant : std::as_const(client.grantTypes))
            if (grant != QLatin1String("authorization_code") && grant != QLatin1String("refresh_token"))
                return badMetadata(QStringLiteral("grant_types"),
                    QStringLiteral("a client registered without an access token may use authorization_code and "
                                   "refresh_token only"));
        if (!client.grantTypes.contains(QLatin1String("authorization_code")))
            return badMetadata(
                QStringLiteral("grant_types"), QStringLiteral("grant_types must include authorization_code"));
        if (client.authMethod != QLatin1String("private_key_jwt"))
            return badMetadata(QStringLiteral("auth_method"),
                QStringLiteral("token_endpoint_auth_method must be private_key_jwt: clients registered here are "
                               "asymmetric"));
        client.redirectUris = strings(request.value(QLatin1String("redirect_uris")), &ok);
        if (!ok || client.redirectUris.isEmpty())
            return Failure { 400, QStringLiteral("invalid_redirect_uri"), QStringLiteral("redirect_uris is required"),
                QStringLiteral("redirect_uris") };
        for (const QString& uri : std::as_const(client.redirectUris)) {
            const bool allowed = std::any_of(known->redirectUris.cbegin(), known->redirectUris.cend(),
                [&uri](const QString& r) { return AuthorizationServer::redirectMatches(r, uri); });
            if (!allowed)
                return Failure { 400, QStringLiteral("invalid_redirect_uri"),
                    QStringLiteral("a redirect URI is not one of the software's"), QStringLiteral("redirect_uris") };
        }
    } else {
        if (client.grantTypes.isEmpty())
            client.grantTypes << QLatin1String(kJwtBearerGrant);
        if (client.grantTypes != QStringList { QLatin1String(kJwtBearerGrant) })
            return badMetadata(QStringLiteral("grant_types"),
                QStringLiteral("a client registered with an access token uses the JWT-bearer grant only"));
        if (client.authMethod.isEmpty())
            client.authMethod = QStringLiteral("none");
        client.patient = token->patient;
        client.subject = token->subject;
        client.scope = token->scope;
    }

    client.clientId = QStringLiteral("device-") + Crypto::randomToken(12);
    client.issuedAt = m_clock().toSecsSinceEpoch();
    const QString registrationToken = Crypto::randomToken();
    client.registrationTokenHash = Crypto::sha256Hex(registrationToken);
    m_clients.insert(client.clientId, client);
    return Registered { client, registrationToken };
}

const ClientRegistry::Client* ClientRegistry::find(const QString& clientId) const
{
    const auto it = m_clients.constFind(clientId);
    return it == m_clients.constEnd() ? nullptr : &it.value();
}

const ClientRegistry::Client* ClientRegistry::authorised(
    const QString& clientId, const QString& registrationAccessToken) const
{
    const Client* client = find(clientId);
    if (!client || registrationAccessToken.isEmpty()
        || Crypto::sha256Hex(registrationAccessToken) != client->registrationTokenHash)
        return nullptr;
    return client;
}

bool ClientRegistry::remove(const QString& clientId)
{
    return m_clients.remove(clientId) > 0;
}

QJsonObject ClientRegistry::metadata(const Client& client, const QString& registrationClientUri)
{
    QJsonObject out {
        { QStringLiteral("client_id"), client.clientId },
        { QStringLiteral("client_id_issued_at"), client.issuedAt },
        { QStringLiteral("software_id"), client.softwareId },
        { QStringLiteral("grant_types"), QJsonArray::fromStringList(client.grantTypes) },
        { QStringLiteral("token_endpoint_auth_method"), client.authMethod },
        { QStringLiteral("jwks"), QJsonObject { { QStringLiteral("keys"), QJsonArray { client.jwk } } } },
        { QStringLiteral("registration_client_uri"), registrationClientUri },
    };
    if (!client.clientName.isEmpty())
        out.insert(QStringLiteral("client_name"), client.clientName);
    if (!client.redirectUris.isEmpty())
        out.insert(QStringLiteral("redirect_uris"), QJsonArray::fromStringList(client.redirectUris));
    return out;
}

std::optional<ClientRegistry::Failure> ClientRegistry::checkAssertion(
    const QByteArray& jwt, const Client& client, const QStringList& audiences, const std::optional<QString>& subject)
{
    const bool grant = subject.has_value();
    const auto refuse = [grant](const QString& reason, const QString& description) {
        return Failure { grant ? 400 : 401, grant ? QStringLiteral("invalid_grant") : QStringLiteral("invalid_client"),
            description, QStringLiteral("assertion_") + reason };
    };
    QString why;
    const std::optional<EcJws> jws = EcJws::parse(jwt, &why);
    if (!jws)
        return refuse(QStringLiteral("malformed"), QStringLiteral("the assertion: ") + why);
    const QJsonObject& claims = jws->claims();
    const QString kid = jws->header().value(QLatin1String("kid")).toString();
    if (!kid.isEmpty() && client.jwk.contains(QLatin1String("kid"))
        && kid != client.jwk.value(QLatin1String("kid")).toString())
        return refuse(QStringLiteral("kid"), QStringLiteral("kid is not the registered key's"));
    QString reason;
    if (!jws->signedBy(client.jwk, { QStringLiteral("ES256"), QStringLiteral("ES384") }, &reason, &why))
        return refuse(reason, QStringLiteral("the assertion is not signed by the registered key: ") + why);
    if (claims.value(QLatin1String("iss")).toString() != client.clientId)
        return refuse(QStringLiteral("iss"), QStringLiteral("iss must be the client id"));
    if (claims.value(QLatin1String("sub")).toString() != (grant ? *subject : client.clientId))
        return refuse(QStringLiteral("sub"),
            grant ? QStringLiteral("sub is not the user this client acts for")
                  : QStringLiteral("sub must be the client id"));
    const QJsonValue aud = claims.value(QLatin1String("aud"));
    const QJsonArray audList = aud.isArray() ? aud.toArray() : QJsonArray { aud };
    if (!std::any_of(audList.cbegin(), audList.cend(),
            [&audiences](const QJsonValue& a) { return a.isString() && audiences.contains(a.toString()); }))
        return refuse(QStringLiteral("aud"), QStringLiteral("aud must be the token endpoint"));
    const qint64 now = m_clock().toSecsSinceEpoch();
    const QJsonValue exp = claims.value(QLatin1String("exp"));
    if (!exp.isDouble() || exp.toDouble() <= static_cast<double>(now - kLeewaySeconds)
        || exp.toDouble() > static_cast<double>(now + kMaxAssertionSeconds + kLeewaySeconds))
        return refuse(QStringLiteral("exp"), QStringLiteral("exp must be in the future, at most five minutes ahead"));
    const QJsonValue iat = claims.value(QLatin1String("iat"));
    if (!iat.isUndefined() && (!iat.isDouble() || iat.toDouble() > static_cast<double>(now + kLeewaySeconds)))
        return refuse(QStringLiteral("iat"), QStringLiteral("iat is in the future"));
    const QString jti = claims.value(QLatin1String("jti")).toString();
    if (jti.isEmpty() || jti.size() > 256)
        return refuse(QStringLiteral("jti"), QStringLiteral("jti is required"));
    const QDateTime nowTime = m_clock();
    for (auto it = m_seenJti.begin(); it != m_seenJti.end();)
        it = it.value() < nowTime ? m_seenJti.erase(it) : std::next(it);
    const QString replayKey = client.clientId + QLatin1Char(' ') + jti;
    if (m_seenJti.contains(replayKey))
        return refuse(QStringLiteral("replay"), QStringLiteral("this assertion was already used"));
    m_seenJti.insert(replayKey, QDateTime::fromSecsSinceEpoch(static_cast<qint64>(exp.toDouble()) + kLeewaySeconds));
    return std::nullopt;
}

} // namespace ondevice::sandbox
