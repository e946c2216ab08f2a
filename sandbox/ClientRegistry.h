#pragma once

#include "core/Clock.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace ondevice::sandbox {

// Clients registered at this sandbox for one device each (RFC 7591), managed with RFC 7592, and the JWTs they
// sign with the key they registered: private_key_jwt client assertions (RFC 7523 section 2.2) and JWT-bearer
// grants (section 2.1). Two kinds, by how they registered:
// - PrivateKeyJwt: open registration; an asymmetric client that signs in patients with the code flow and
//   authenticates every token, revocation and introspection request with an assertion;
// - JwtBearer: registered with an access token that holds system/dynamicClient.register; it acts for that
//   token's patient and user only, and gets each access token with a JWT-bearer grant.
// Registration access tokens are kept as SHA-256 hashes, as every other token here.
class ClientRegistry {
public:
    enum class Kind { PrivateKeyJwt, JwtBearer };

    struct Client {
        QString clientId;
        Kind kind = Kind::PrivateKeyJwt;
        QString softwareId; // the published client this registration is an instance of
        QString clientName;
        QStringList redirectUris;
        QStringList grantTypes;
        QString authMethod;
        QJsonObject jwk; // the one public key it signs with
        QString registrationTokenHash;
        qint64 issuedAt = 0; // seconds since the epoch
        // JwtBearer: whom it acts for (the registering token's grant), and within what.
        QString patient;
        QString subject;
        QString scope;
    };

    // The software this server knows (software_id) and the redirect URIs registered for it.
    struct Software {
        QString softwareId;
        QStringList redirectUris;
    };

    // What registering needs beyond the request body: the registering access token's context, when the
    // request carried one with the registration scope (a JwtBearer client is made), and which kinds are offered.
    struct RegisteringToken {
        QString patient;
        QString subject;
        QString scope;
    };

    // A refusal: the OAuth error and its HTTP status, and the reason /admin/stats counts it under.
    struct Failure {
        int status = 400;
        QString error;
        QString description;
        QString reason;
    };

    // The registered client and its registration access token (given once, kept as a hash).
    struct Registered {
        Client client;
        QString registrationAccessToken;
    };

    explicit ClientRegistry(Clock clock = systemClock());

    // RFC 7591 section 3.1: the client metadata of `request`, checked against `software`; a JwtBearer client
    // when `token` is given, else a PrivateKeyJwt one.
    std::variant<Registered, Failure> registerClient(
        const QJsonObject& request, const QList<Software>& software, const std::optional<RegisteringToken>& token);

    const Client* find(const QString& clientId) const;
    // RFC 7592: the client whose registration access token this is, or null (unknown id, wrong token).
    const Client* authorised(const QString& clientId, const QString& registrationAccessToken) const;
    bool remove(const QString& clientId);
    int count() const { return static_cast<int>(m_clients.size()); }

    // RFC 7591 section 3.2.1: the metadata as the server holds it, with registration_client_uri.
    static QJsonObject metadata(const Client& client, const QString& registrationClientUri);

    // A client assertion (RFC 7523 section 2.2, private_key_jwt), or a JWT-bearer grant's assertion (section
    // 2.1) when `subject` is given: signed by the client's registered key, `iss` the client id, `sub` the client
    // id (assertion) or `subject` (grant), `aud` one of `audiences`, `exp` in the future and at most five minutes
    // ahead, `jti` used once. The failure's error is invalid_client (assertion) or invalid_grant (grant).
    std::optional<Failure> checkAssertion(const QByteArray& jwt, const Client& client, const QStringList& audiences,
        const std::optional<QString>& subject = std::nullopt);

    static constexpr int kMaxAssertionSeconds = 300;

private:
    Clock m_clock;
    QHash<QString, Client> m_clients;
    QHash<QString, QDateTime> m_seenJti; // client id + jti -> when it may be forgotten
};

} // namespace ondevice::sandbox
