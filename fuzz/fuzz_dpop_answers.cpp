// What a DPoP server sends back besides tokens: WWW-Authenticate challenges (a 401 asking for a nonce) and
// DPoP-Nonce headers (on any answer). Both come from the network and steer the next request.

#include "FuzzInput.h"

#include "auth/Dpop.h"

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
    return 0;
}
