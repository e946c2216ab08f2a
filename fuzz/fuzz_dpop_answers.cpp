// What a DPoP server sends back: WWW-Authenticate challenges (a 401 asking for a nonce), DPoP-Nonce headers
// (on any answer), and token endpoint answers (tokens with their type, or a refusal asking for a nonce). All
// come from the network and steer the next request.

#include "FuzzInput.h"

#include "auth/Dpop.h"
#include "auth/TokenResponse.h"

using namespace ondevice;
using namespace ondevice::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);

    const QList<AuthChallenge> challenges = parseWwwAuthenticate(input);
    fuzz::require(challenges.size() <= 16, "at most 16 challenges are read");
    for (const AuthChallenge& challenge : challenges) {
        fuzz::require(!challenge.scheme.isEmpty(), "every challenge has a scheme");
        for (auto it = challenge.params.cbegin(); it != challenge.params.cend(); ++it)
            fuzz::require(!it.key().isEmpty() && it.key() == it.key().toLower(), "parameter names are lower case");
    }
    const bool asks = asksForDpopNonce(input);
    fuzz::require(!asks || !challenges.isEmpty(), "a nonce request is a challenge");

    // The header as a DPoP-Nonce value: kept only when it is one, and then exactly as the next proof sends it.
    DpopNonces nonces;
    const QUrl server(QStringLiteral("https://fhir.example/r4"));
    const bool kept = nonces.remember(server, input);
    fuzz::require(kept == isValidDpopNonce(input.trimmed()), "a nonce is kept exactly when it is valid");
    if (kept) {
        const QString nonce = nonces.nonceFor(server);
        fuzz::require(isValidDpopNonce(nonce.toLatin1()), "a kept nonce is valid");
        fuzz::require(nonce.toLatin1() == input.trimmed(), "a kept nonce is the header's value");
    } else {
        fuzz::require(nonces.nonceFor(server).isEmpty(), "nothing is kept from a value that is not a nonce");
    }

    // The bytes as a token endpoint's answer. Tokens: a bound connection takes DPoP tokens only, an unbound one
    // never takes them, whatever the case of token_type.
    if (const auto tokens = TokenResponse::parse(input)) {
        const bool dpop = tokens.value().tokenType == TokenResponse::Type::DPoP;
        fuzz::require(!tokens.value().typeMismatch(true) == dpop, "a bound connection takes DPoP tokens only");
        fuzz::require(!tokens.value().typeMismatch(false) == !dpop, "an unbound connection takes no DPoP tokens");
        fuzz::require(dpop == (tokens.value().tokenType != TokenResponse::Type::Bearer), "two token types");
    }
    // A refusal: asks for a nonce only as a 400 with the OAuth error use_dpop_nonce.
    HttpResult refusal;
    refusal.status = 400;
    refusal.body = input;
    const auto oauth = OAuthErrorBody::parse(input);
    fuzz::require(asksForDpopNonce(refusal) == (oauth && oauth->error == QLatin1String("use_dpop_nonce")),
        "a nonce refusal is the OAuth error use_dpop_nonce");
    refusal.status = 401;
    fuzz::require(!asksForDpopNonce(refusal), "the token endpoint asks for a nonce with 400 only");
    return 0;
}
