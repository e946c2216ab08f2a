// The JOSE helpers under the id_token check: strict base64url and the compact
// JWS split. Input: a compact JWS (or any bytes).

#include "FuzzInput.h"

#include "auth/Jwt.h"

using namespace ondevice;
using namespace ondevice::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);

    // Strict base64url promises exactly one accepted encoding per byte string.
    bool ok = false;
    const QByteArray decoded = base64UrlDecode(input, &ok);
    if (ok)
        fuzz::require(base64UrlEncode(decoded) == input, "strict base64url round-trips exactly");
    else
        fuzz::require(decoded.isEmpty(), "a refused base64url input decodes to nothing");
    fuzz::require(base64UrlDecode(base64UrlEncode(input), &ok) == input && ok, "encode then decode is the identity");

    // Each dot-separated part on its own too, the way parseCompactJws sees them.
    for (const QByteArray& part : input.split('.'))
        (void)base64UrlDecode(part, nullptr);

    for (const qsizetype limit : { kMaxCompactJwsBytes, qsizetype { 64 } }) {
        const auto jws = parseCompactJws(input, limit);
        if (!jws)
            continue;
        fuzz::require(input.size() <= limit, "the size limit holds");
        fuzz::require(input.count('.') == 2, "exactly three parts");
        // The signature covers the bytes as received, never a re-encoding.
        fuzz::require(
            input.startsWith(QByteArray(jws.value().signingInput + '.')), "signing input is the received prefix");
    }
    return 0;
}
