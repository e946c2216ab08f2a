#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace ondevice {

// base64url (RFC 4648 section 5) as JOSE and PKCE use it.

// Strict decoding: alphabet A-Z a-z 0-9 - _ only, no padding, no whitespace.
// Also refused: a length that leaves one dangling character, and non-zero
// unused bits in the last character, so that every byte string has exactly one
// accepted encoding. On failure returns an empty array and sets *ok to false;
// ok may be null.
QByteArray base64UrlDecode(QByteArrayView input, bool* ok);

// base64url without padding.
QByteArray base64UrlEncode(QByteArrayView data);

} // namespace ondevice
