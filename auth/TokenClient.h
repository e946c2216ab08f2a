#pragma once

#include "AuthError.h"
#include "TokenResponse.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::auth {

class DeviceKey;
class DpopNonces;

// What a token request needs to carry a DPoP proof (RFC 9449): the connection's key and the server nonces it
// has seen. Both must outlive the request.
struct DpopSigner {
    const DeviceKey* key = nullptr;
    DpopNonces* nonces = nullptr;
};

// What a client registered for this computer needs to authenticate (RFC 7523 section 2.2, private_key_jwt):
// the device key, which signs a fresh client assertion for every request, and the token endpoint, its `aud`.
// The key must outlive the request.
struct ClientSigner {
    const DeviceKey* key = nullptr;
    QUrl tokenEndpoint;
};

// Everything a token, revocation or introspection request signs with; a null key signs nothing.
struct RequestSigners {
    DpopSigner dpop;
    ClientSigner client;

    RequestSigners() = default;
    RequestSigners(DpopSigner dpopSigner, ClientSigner clientSigner = {}) // NOLINT(google-explicit-constructor)
        : dpop(dpopSigner)
        , client(std::move(clientSigner))
    {
    }
};

// RFC 7662 answer, the parts we use.
struct Introspection {
    bool active = false;
    QDateTime expiresAt; // invalid when the server gave no exp
    QStringList scope;
    QString patient;
    QString clientId;
};

// Refresh (RFC 6749 §6), revocation (RFC 7009) and introspection (RFC 7662)
// as plain form POSTs. Qt 6.4's QOAuth2AuthorizationCodeFlow::refreshAccessToken
// hides token-endpoint errors and stays in RefreshingToken after a failed
// refresh, so the flow is used only for the first code exchange.
// client_id is sent on every request: a public client has no other credential.
class TokenClient : public QObject {
    Q_OBJECT

public:
    explicit TokenClient(QNetworkAccessManager& network, QObject* parent = nullptr);

    // scope: empty keeps the granted scope; otherwise a subset (down-scoping). With a DPoP signer, the request
    // carries a proof by the key, a DPoP-Nonce of any answer is kept, and a `use_dpop_nonce` refusal is answered
    // once with the new nonce; with a client signer, a client assertion. The caller checks the answer's token
    // type (TokenResponse::typeMismatch).
    QFuture<AuthResult<TokenResponse>> refresh(const QUrl& tokenEndpoint, const QString& clientId,
        const QByteArray& refreshToken, const QString& scope = {}, const RequestSigners& signers = {});

    // An access token for a client registered on the JWT-bearer route (RFC 7523 section 2.1): the grant is an
    // assertion by `key` (issuer the client, subject the user it acts for, audience the token endpoint). No
    // refresh token is expected.
    QFuture<AuthResult<TokenResponse>> jwtBearer(const QUrl& tokenEndpoint, const QString& clientId,
        const QString& subject, const DeviceKey& key, DpopSigner dpop = {});

    // Revokes the grant the token belongs to (token_type_hint refresh_token, unless told). With a DPoP signer, the
    // request carries a proof too (RFC 9449 defines none for revocation; a server must not require it, one that binds
    // may want it); a registered client authenticates (RFC 7009 section 2.1).
    QFuture<AuthResult<Done>> revoke(const QUrl& revocationEndpoint, const QString& clientId, const QByteArray& token,
        const RequestSigners& signers = {}, const QString& tokenTypeHint = QStringLiteral("refresh_token"));

    // Asks about `token`, authenticating with `accessToken` as a bearer when given (the usual way for a public
    // client), and with a client assertion for a registered client.
    QFuture<AuthResult<Introspection>> introspect(const QUrl& introspectionEndpoint, const QString& clientId,
        const QByteArray& token, const QByteArray& accessToken = {}, const ClientSigner& client = {});

private:
    // A form POST to `endpoint` of the fields, with a client assertion made afresh for each try when `signers`
    // has a client key, and a DPoP proof when it has a DPoP key: once, and once more when the answer is a
    // `use_dpop_nonce` refusal that brought a new nonce. `assertionSubject`, when not empty, makes the
    // assertion a JWT-bearer grant's (`assertion`) rather than the client's authentication.
    QFuture<HttpResult> post(const QUrl& endpoint, const QList<std::pair<QString, QString>>& fields,
        const RequestSigners& signers, const QString& clientId, const QString& assertionSubject = {},
        bool retried = false);

    QNetworkAccessManager& m_network;
};

} // namespace ondevice::auth
