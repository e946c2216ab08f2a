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

    // scope: empty keeps the granted scope; otherwise a subset (down-scoping). With `dpop`, the request carries
    // a proof by the key, a DPoP-Nonce of any answer is kept, and a `use_dpop_nonce` refusal is answered once
    // with the new nonce. The caller checks the answer's token type (TokenResponse::typeMismatch).
    QFuture<AuthResult<TokenResponse>> refresh(const QUrl& tokenEndpoint, const QString& clientId,
        const QByteArray& refreshToken, const QString& scope = {}, DpopSigner dpop = {});

    // Revokes the grant the token belongs to (token_type_hint refresh_token). With `dpop`, the request carries a
    // proof too (RFC 9449 defines none for revocation; a server must not require it, one that binds may want it).
    QFuture<AuthResult<Done>> revoke(
        const QUrl& revocationEndpoint, const QString& clientId, const QByteArray& token, DpopSigner dpop = {});

    // Asks about `token`, authenticating with `accessToken` as a bearer when
    // given (the usual way for a public client).
    QFuture<AuthResult<Introspection>> introspect(const QUrl& introspectionEndpoint, const QString& clientId,
        const QByteArray& token, const QByteArray& accessToken = {});

private:
    // A form POST to `endpoint`, with a DPoP proof when `dpop` has a key: once, and once more when the answer
    // is a `use_dpop_nonce` refusal that brought a new nonce.
    QFuture<HttpResult> post(const QUrl& endpoint, const QByteArray& form, DpopSigner dpop, bool retried = false);

    QNetworkAccessManager& m_network;
};

} // namespace ondevice::auth
