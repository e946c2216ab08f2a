#pragma once

#include "AuthError.h"
#include "TokenResponse.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::auth {

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

    // scope: empty keeps the granted scope; otherwise a subset (down-scoping).
    QFuture<AuthResult<TokenResponse>> refresh(
        const QUrl& tokenEndpoint, const QString& clientId, const QByteArray& refreshToken, const QString& scope = {});

    // Revokes the grant the token belongs to (token_type_hint refresh_token).
    QFuture<AuthResult<Done>> revoke(const QUrl& revocationEndpoint, const QString& clientId, const QByteArray& token);

    // Asks about `token`, authenticating with `accessToken` as a bearer when
    // given (the usual way for a public client).
    QFuture<AuthResult<Introspection>> introspect(const QUrl& introspectionEndpoint, const QString& clientId,
        const QByteArray& token, const QByteArray& accessToken = {});

private:
    QNetworkAccessManager& m_network;
};

} // namespace ondevice::auth
