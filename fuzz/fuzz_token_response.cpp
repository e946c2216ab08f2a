// What a token endpoint answers: a success body (RFC 6749 §5.1 plus SMART's
// launch context) or an error body (§5.2), and the failure a caller acts on.

#include "FuzzInput.h"

#include "auth/TokenResponse.h"

using namespace ondevice;
using namespace ondevice::auth;

namespace {

bool printableAscii(const QString& text)
{
    for (const QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);

    if (const auto parsed = TokenResponse::parse(body)) {
        const TokenResponse& r = parsed.value();
        fuzz::require(!r.accessToken.isEmpty(), "a parsed token response has an access token");
        fuzz::require(!r.expiresIn || *r.expiresIn >= 0, "expires_in is never negative");
    } else {
        // The detail goes to logs: it must never carry the body (which may hold tokens).
        fuzz::require(parsed.failure().detail.size() < 200, "a token-response failure detail stays short");
    }

    if (const auto error = OAuthErrorBody::parse(body)) {
        // These reach messages and logs: short, printable, never empty where it matters.
        fuzz::require(!error->error.isEmpty(), "an OAuth error body names its error");
        for (const QString* text : { &error->error, &error->description, &error->uri }) {
            fuzz::require(text->size() <= 300, "OAuth error text is truncated to 300 characters");
            fuzz::require(printableAscii(*text), "OAuth error text is printable ASCII");
        }
    }

    for (const int status : { 0, 400, 401, 429, 503 }) {
        HttpResult result;
        result.status = status;
        result.body = body;
        if (status == 0)
            result.error = QNetworkReply::ConnectionRefusedError;
        const AuthFailure failure = tokenEndpointFailure(result, QStringLiteral("refresh"));
        fuzz::require(!failure.message.isEmpty(), "a token-endpoint failure has a user message");
    }
    return 0;
}
