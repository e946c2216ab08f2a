#include "Base64Url.h"

namespace ondevice {

namespace {

int base64UrlValue(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

} // namespace

QByteArray base64UrlDecode(QByteArrayView input, bool* ok)
{
    if (ok)
        *ok = false;
    // Four characters carry three bytes; a single leftover character carries
    // only six bits, less than a byte, so no encoder produces it.
    if (input.size() % 4 == 1)
        return {};

    QByteArray out;
    out.reserve(input.size() / 4 * 3 + 2);
    quint32 accumulator = 0;
    int bits = 0;
    for (const char c : input) {
        const int value = base64UrlValue(c);
        if (value < 0)
            return {};
        accumulator = (accumulator << 6) | static_cast<quint32>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((accumulator >> bits) & 0xFFu));
        }
    }
    // The leftover (0, 2 or 4 bits) is padding inside the last character; it
    // must be zero or two different strings would decode to the same bytes.
    if ((accumulator & ((1u << bits) - 1u)) != 0)
        return {};

    if (ok)
        *ok = true;
    return out;
}

QByteArray base64UrlEncode(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace ondevice
