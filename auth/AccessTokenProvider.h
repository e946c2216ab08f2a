#pragma once

#include "core/Expected.h"

#include <QByteArray>
#include <QObject>

#include <functional>

namespace ondevice::auth {

enum class AccessError {
    NeedsReconnect, // the grant is gone; only the browser can bring it back
    Offline, // the token endpoint could not be reached
    KeychainUnavailable,
    Failed,
};

using AccessToken = Expected<QByteArray, AccessError>;

// The only piece of auth/ that fhir/ sees. A Session implements it: it hands
// out a valid access token, refreshing first when needed, and is told when the
// FHIR server rejected one (a 401), so the next call refreshes.
class AccessTokenProvider {
public:
    virtual ~AccessTokenProvider() = default;

    // `done` is called exactly once, on the provider's thread, possibly before
    // this returns. `context` bounds the callback's lifetime.
    virtual void accessToken(QObject* context, std::function<void(const AccessToken&)> done) = 0;

    // The server answered 401 to `rejected`; the provider refreshes once.
    virtual void invalidate(const QByteArray& rejected) = 0;
};

} // namespace ondevice::auth
