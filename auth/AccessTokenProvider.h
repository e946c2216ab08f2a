#pragma once

#include "core/Expected.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QUrl>

#include <functional>
#include <utility>

namespace ondevice::auth {

enum class AccessError {
    NeedsReconnect, // the grant is gone; only the browser can bring it back
    Offline, // the token endpoint could not be reached
    KeychainUnavailable,
    Failed,
};

using AccessToken = Expected<QByteArray, AccessError>;
using RequestHeaders = QList<std::pair<QByteArray, QByteArray>>;

// The only piece of auth/ that fhir/ sees. A Session implements it: it hands
// out a valid access token, refreshing first when needed, says how a request
// carries it (Bearer, or DPoP with a proof by the connection's key), hears what
// the server answered about it, and is told when the FHIR server rejected one
// (a 401), so the next call refreshes.
class AccessTokenProvider {
public:
    virtual ~AccessTokenProvider() = default;

    // `done` is called exactly once, on the provider's thread, possibly before
    // this returns. `context` bounds the callback's lifetime.
    virtual void accessToken(QObject* context, std::function<void(const AccessToken&)> done) = 0;

    // The headers that authorize one request with `token`: `Authorization: Bearer <token>` here; a provider
    // whose tokens are bound to a key (DPoP, RFC 9449) gives `Authorization: DPoP <token>` and a fresh `DPoP`
    // proof for this method and URL. A failure (the key could not sign) fails the request.
    virtual Expected<RequestHeaders, AccessError> requestHeaders(
        const QByteArray& method, const QUrl& url, const QByteArray& token)
    {
        Q_UNUSED(method)
        Q_UNUSED(url)
        return RequestHeaders { { QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token } };
    }

    // What the server answered to a request to `url`: its status, its DPoP-Nonce header and its
    // WWW-Authenticate header (each empty when absent). true when a 401 asked for a DPoP nonce that the
    // provider now has: the request goes again once, with the same token.
    virtual bool serverAnswered(
        const QUrl& url, int status, const QByteArray& dpopNonce, const QByteArray& wwwAuthenticate)
    {
        Q_UNUSED(url)
        Q_UNUSED(status)
        Q_UNUSED(dpopNonce)
        Q_UNUSED(wwwAuthenticate)
        return false;
    }

    // The server answered 401 to `rejected`; the provider refreshes once.
    virtual void invalidate(const QByteArray& rejected) = 0;
};

} // namespace ondevice::auth
