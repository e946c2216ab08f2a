#include "Jwt.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace ondevice::auth {

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

Failure<JwsError> jwsFailure(JwsError code, QString detail)
{
    // One message for every parse failure: the user can do nothing about
    // which part was wrong, the developer detail says that.
    return { code,
        QCoreApplication::translate(
            "ondevice::auth::Jwt", "The provider sent an identity token that could not be read."),
        std::move(detail) };
}

Expected<QJsonObject, JwsError> decodeJsonObject(QByteArrayView part, const char* name, JwsError notObject)
{
    bool ok = false;
    const QByteArray json = base64UrlDecode(part, &ok);
    if (!ok || json.isEmpty())
        return jwsFailure(
            JwsError::BadEncoding, QStringLiteral("JWS %1 is not strict base64url").arg(QLatin1String(name)));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return jwsFailure(notObject,
            QStringLiteral("JWS %1 is not JSON (%2 at offset %3)")
                .arg(QLatin1String(name), error.errorString())
                .arg(error.offset));
    if (!document.isObject())
        return jwsFailure(notObject, QStringLiteral("JWS %1 is JSON but not an object").arg(QLatin1String(name)));
    return document.object();
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

Expected<CompactJws, JwsError> parseCompactJws(QByteArrayView compact, qsizetype maxBytes)
{
    if (compact.size() > maxBytes)
        return jwsFailure(JwsError::TooLarge,
            QStringLiteral("JWS is %1 bytes, over the %2-byte limit").arg(compact.size()).arg(maxBytes));

    const qsizetype dots = compact.count('.');
    if (dots != 2)
        return jwsFailure(JwsError::WrongPartCount, QStringLiteral("JWS has %1 parts, expected 3").arg(dots + 1));

    const qsizetype firstDot = compact.indexOf('.');
    const qsizetype secondDot = compact.indexOf('.', firstDot + 1);
    const QByteArrayView headerPart = compact.first(firstDot);
    const QByteArrayView payloadPart = compact.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = compact.sliced(secondDot + 1);

    auto header = decodeJsonObject(headerPart, "header", JwsError::HeaderNotObject);
    if (!header)
        return header.failure();
    auto payload = decodeJsonObject(payloadPart, "payload", JwsError::PayloadNotObject);
    if (!payload)
        return payload.failure();

    bool ok = false;
    QByteArray signature = base64UrlDecode(signaturePart, &ok);
    if (!ok)
        return jwsFailure(JwsError::BadEncoding, QStringLiteral("JWS signature is not strict base64url"));

    CompactJws jws;
    jws.header = std::move(header).value();
    jws.payload = std::move(payload).value();
    jws.signingInput = compact.first(secondDot).toByteArray();
    jws.signature = std::move(signature);
    return jws;
}

} // namespace ondevice::auth
