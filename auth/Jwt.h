#pragma once

#include "core/Base64Url.h"
#include "core/Expected.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

// Low-level JOSE helpers (RFC 7515 compact serialisation; base64url is core/Base64Url.h).
// Pure functions, no keys and no trust decisions: IdTokenVerifier makes those.
// Kept apart so that a fuzz target can drive the parser on its own.

namespace ondevice::auth {

// An id_token is a few kilobytes; anything this large is a mistake or an attack,
// and is refused before any decoding or JSON parsing.
inline constexpr qsizetype kMaxCompactJwsBytes = qsizetype { 64 } * 1024;

enum class JwsError {
    TooLarge, // over the size limit; nothing was decoded
    WrongPartCount, // not exactly three dot-separated parts (a JWE has five)
    BadEncoding, // a part is empty where it must not be, or not strict base64url
    HeaderNotObject, // the protected header is not a JSON object
    PayloadNotObject, // the payload is not a JSON object
};

// A compact JWS taken apart. Nothing in it has been verified.
struct CompactJws {
    QJsonObject header;
    QJsonObject payload;
    // The exact bytes the signature covers: "<header b64>.<payload b64>" as
    // received. Never re-encode the header or payload to obtain it.
    QByteArray signingInput;
    // The decoded signature; empty when the third part is empty (alg "none").
    QByteArray signature;
};

// Splits and decodes a compact JWS. The detail of a failure names the part
// and the problem, never the content.
//
// Duplicate member names in the header or payload: Qt's JSON parser keeps the
// lexically last one, which RFC 7515 section 5.2 permits.
Expected<CompactJws, JwsError> parseCompactJws(QByteArrayView compact, qsizetype maxBytes = kMaxCompactJwsBytes);

} // namespace ondevice::auth
