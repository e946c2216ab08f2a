#include "Jwt.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace ondevice::auth {

namespace {

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
