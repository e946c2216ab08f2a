#pragma once

#include "ClientRegistry.h"
#include "SandboxOptions.h"
#include "ScopeSet.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace ondevice::sandbox {

class DpopVerifier;
class FaultInjector;
class FormData;
class ResourceStore;
class SigningKey;
struct Quirks;
struct SandboxStats;

// What a valid access token lets its bearer do.
struct AccessContext {
    QString grantId;
    QString clientId;
    QString patient;
    ScopeSet scopes;
    qint64 expiresAt = 0; // seconds since the epoch
    QString jkt; // the thumbprint of the key the token is bound to (DPoP); empty for a Bearer token
};

// The SMART App Launch 2.2 authorization server: authorize (with a consent
// page or --auto-approve), token (authorization_code with PKCE S256,
// refresh_token under a --refresh-policy), RFC 7009 revocation, RFC 7662
// introspection and the JWKS. Tokens and codes are kept only as SHA-256
// hashes: the server itself never holds a value it could log.
class AuthorizationServer {
public:
    AuthorizationServer(const SandboxOptions& options, const ResourceStore& store, SandboxStats& stats,
        const SigningKey& key, const Quirks& quirks, FaultInjector& faults, DpopVerifier& dpop);

    // origin: http://host:port; fhirBase (= issuer): origin + "/fhir".
    void setBase(const QString& origin, const QString& fhirBase);
    QString issuer() const { return m_fhirBase; }

    QJsonObject smartConfiguration() const;
    QJsonObject openidConfiguration() const;
    // RFC 8414 metadata, served at {origin}/.well-known/oauth-authorization-server{issuer path}.
    QJsonObject authorizationServerMetadata() const;
    QJsonObject jwks() const;

    QHttpServerResponse authorize(const QHttpServerRequest& request);
    QHttpServerResponse decide(const QHttpServerRequest& request);
    QHttpServerResponse token(const QHttpServerRequest& request);
    QHttpServerResponse revoke(const QHttpServerRequest& request);
    QHttpServerResponse introspect(const QHttpServerRequest& request);
    // RFC 7591 registration (POST {origin}/auth/register) and RFC 7592 management of a registered client
    // (GET and DELETE {origin}/auth/register/<client_id>); `path` is the request's path.
    QHttpServerResponse registration(const QHttpServerRequest& request, const QString& path);

    // The grant behind a live access token; nullopt when unknown, expired or revoked.
    std::optional<AccessContext> validateAccessToken(const QString& token) const;

    // Admin: revoke every grant (a patient revoking at the portal); how many.
    int revokeAll();
    QJsonArray liveGrants() const;
    // Every patient as the consent page lists them: [{"id", "name", "birth_date"}], in the page's order.
    QJsonArray patients() const;
    int liveGrantCount() const;
    int dpopNonceRotations() const;
    int registeredClientCount() const { return m_registry.count(); }

    // RFC 8252 §7.3: a loopback IP redirect registered without a port matches any port.
    static bool redirectMatches(const QString& registered, const QString& requested);

private:
    static QJsonArray dpopAlgorithms(); // the DPoP proof algorithms this server checks
    struct Grant {
        QString id;
        QString clientId;
        QString patient;
        ScopeSet scopes;
        QString nonce;
        QString currentRefreshHash; // empty when no refresh token was issued
        qint64 createdMs = 0;
        qint64 endsMs = 0; // when the person's chosen duration ends it; 0: until revoked
        QString jkt; // DPoP: every token of the grant is bound to this key thumbprint; empty: Bearer
    };
    enum class RefreshState { Current, OldValid, RotatedOut };
    struct RefreshRecord {
        QString grantId;
        qint64 issuedMs = 0;
        qint64 expiresMs = 0;
        RefreshState state = RefreshState::Current;
    };
    struct AccessRecord {
        QString grantId;
        ScopeSet scopes;
        qint64 issuedMs = 0;
        qint64 expiresMs = 0;
        QString jkt; // the grant's DPoP key thumbprint when the token is bound to it
    };
    struct PendingAuthorization {
        QString clientId;
        QString redirectUri;
        QString state;
        QString challenge;
        QString nonce;
        ScopeSet scopes;
        qint64 expiresMs = 0;
    };
    struct CodeRecord {
        PendingAuthorization request;
        QString patient;
        bool used = false;
        QString grantId; // what the first exchange issued
        qint64 grantEndsMs = 0; // the duration chosen on the consent page (0: until revoked)
    };

    // A published public client, or a client registered here for the code flow (private_key_jwt).
    bool knownClient(const QString& clientId) const;
    QList<ClientRegistry::Software> software() const;
    bool registeredRedirect(const QString& clientId, const QString& redirectUri) const;
    QHttpServerResponse authorizeError(
        const QString& redirectUri, const QString& error, const QString& description, const QString& state) const;
    QHttpServerResponse issueCode(const PendingAuthorization& request, const QString& patient, qint64 grantEndsMs = 0);
    QHttpServerResponse consentPage(const QString& pendingId, const PendingAuthorization& request) const;
    // Shared checks of the token, revocation and introspection endpoints: POST, a form body, no repeated
    // parameter, a known client; a registered client authenticates with a private_key_jwt assertion (but for a
    // JWT-bearer grant, whose assertion is the authentication).
    std::optional<QHttpServerResponse> checkClientRequest(
        const QHttpServerRequest& request, const FormData& form, bool clientRequired);
    // The audiences a client's assertion may name: the token endpoint (SMART), the issuer, and the endpoint
    // the request went to.
    QStringList assertionAudiences(const QHttpServerRequest& request) const;
    QHttpServerResponse refuseClient(const ClientRegistry::Failure& failure);
    QHttpServerResponse jwtBearerGrant(const FormData& form, const QString& clientId, const QString& jkt);
    // A revocation request's DPoP proof, when it has one: nullopt to go on revoking, or the answer.
    std::optional<QHttpServerResponse> checkRevocationProof(const QHttpServerRequest& request, const QString& boundJkt);
    // The DPoP side of a token request, checked before a code is spent or a refresh token rotated: the
    // refusal, or nothing with *jkt set to the proof's key thumbprint (empty: no proof, Bearer tokens).
    std::optional<QHttpServerResponse> checkTokenProof(
        const QHttpServerRequest& request, const FormData& form, const QString& grantType, QString* jkt);
    QHttpServerResponse exchangeCode(const FormData& form, const QString& clientId, const QString& jkt);
    QHttpServerResponse refresh(const FormData& form, const QString& clientId);
    enum class TokenGrant { Code, Refresh };
    QHttpServerResponse tokenResponse(
        const Grant& grant, const ScopeSet& scopes, const QString& refreshToken, TokenGrant kind);
    QString mintRefreshToken(Grant& grant);
    void revokeGrant(const QString& grantId, const char* why);
    QJsonObject introspection(const QString& token, const QString& callerClientId) const;

    const SandboxOptions& m_options;
    const ResourceStore& m_store;
    SandboxStats& m_stats;
    const SigningKey& m_key;
    const Quirks& m_quirks;
    FaultInjector& m_faults;
    DpopVerifier& m_dpop;
    QString m_origin;
    QString m_fhirBase;

    QHash<QString, Grant> m_grants;
    QHash<QString, RefreshRecord> m_refreshTokens; // by SHA-256 hex
    QHash<QString, AccessRecord> m_accessTokens; // by SHA-256 hex
    QHash<QString, CodeRecord> m_codes; // by SHA-256 hex
    QHash<QString, PendingAuthorization> m_pending; // consent pages, by random id
    ClientRegistry m_registry;
    QHash<QString, QString> m_registrationGrants; // JWT-bearer client id -> the grant its access tokens belong to
};

} // namespace ondevice::sandbox
