#pragma once

#include "core/Expected.h"

namespace ondevice::auth {

// Why an auth step failed. The UI and ondevice-cli branch on these; the
// Failure's message says it in plain words, its detail says it for developers.
enum class AuthError {
    Network, // the server could not be reached: "offline", retry later
    Server, // a 5xx, or an answer that is not what the protocol says
    InvalidGrant, // invalid_grant: the grant is gone; only the browser brings it back
    OAuth, // another OAuth error (invalid_client, invalid_scope, invalid_request, ...)
    Discovery, // the server's SMART configuration is unusable (no S256, no endpoint, http)
    InvalidResponse, // a token response that breaks RFC 6749 / SMART
    StateMismatch, // the browser came back with another state: never exchanged
    AccessDenied, // the user (or the server) declined at the authorize step
    Cancelled,
    TimedOut,
    IdToken, // the id_token failed a check: nothing is stored
    Keychain,
    Registry,
    PatientChanged, // a reconnect returned another patient or fhirUser than stored
    IssuerMismatch, // RFC 9207: the authorization response came from another server (mix-up), never exchanged
    Unsupported, // e.g. no revocation endpoint
};

template <typename T> using AuthResult = Expected<T, AuthError>;
using AuthFailure = Failure<AuthError>;

} // namespace ondevice::auth
