#pragma once

#include "AuthError.h"
#include "Http.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace ondevice::auth {

// A token endpoint's success answer (RFC 6749 §5.1 plus SMART's context).
// Holds secrets: never log it, never copy it into anything persisted.
struct TokenResponse {
    QByteArray accessToken;
    QByteArray refreshToken; // empty: none issued (keep the old one on refresh)
    QByteArray idToken;
    // RFC 9449 section 5: DPoP when the server bound the tokens to the key of the request's proof.
    enum class Type { Bearer, DPoP };
    Type tokenType = Type::Bearer;
    std::optional<qint64> expiresIn;
    std::optional<QStringList> scope; // absent: the requested scope was granted (RFC 6749 §5.1)
    QString patient;
    QString encounter;
    bool needPatientBanner = false;
    QString smartStyleUrl;
    // Optional members that were ill-formed and are treated as absent, for the protocol timeline. Never holds
    // a value from the response.
    QStringList warnings;

    // Strict where a mistake would cost the patient: a JSON object, a non-empty access_token, token_type
    // Bearer or DPoP (in any letter case), string refresh_token and id_token. Liberal where it costs nothing: an
    // expires_in that is not a non-negative integer (or a string of one), a scope, patient or encounter that
    // is not a string are dropped with a warning (the caller assumes an hour, keeps the old scope, looks
    // for the patient in the id_token).
    static AuthResult<TokenResponse> parse(const QByteArray& body);

    // The token type the request asked for: DPoP after a request with a proof, Bearer without. A DPoP-bound
    // connection never takes a Bearer token (it would be sent unbound), and a connection without a key cannot
    // use a DPoP one.
    std::optional<AuthFailure> typeMismatch(bool requestedDpop) const;
};

// An OAuth error body (RFC 6749 §5.2), when the answer is one.
struct OAuthErrorBody {
    QString error;
    QString description;
    QString uri;

    static std::optional<OAuthErrorBody> parse(const QByteArray& body);
};

// What a failed token, revocation or introspection request means, in the
// categories callers act on: offline, server trouble, grant gone, or another
// OAuth refusal. `what` names the step for the message ("refresh", ...).
AuthFailure tokenEndpointFailure(const HttpResult& result, const QString& what);

// A token endpoint's refusal that asks for its DPoP nonce (RFC 9449 section 8: 400 `use_dpop_nonce`).
bool asksForDpopNonce(const HttpResult& result);

// The same for the one code exchange of a sign-in. There is no grant yet to end: a refusal (invalid_grant
// included, which here means an expired or reused code) is "the provider refused this sign-in", with the
// server's own words; the person starts the connection again.
AuthFailure codeExchangeFailure(const HttpResult& result);

} // namespace ondevice::auth
