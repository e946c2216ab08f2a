#include "EcJws.h"

#include "core/Base64Url.h"
#include "core/Jose.h"

#include <QJsonDocument>

namespace ondevice::sandbox {

namespace {

std::optional<QJsonObject> decodeObject(const QByteArray& part)
{
    bool decoded = false;
    const QByteArray json = base64UrlDecode(part, &decoded);
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!decoded || error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

std::optional<EcJws> EcJws::parse(const QByteArray& compact, QString* why)
{
    const QList<QByteArray> parts = compact.split('.');
    if (parts.size() != 3) {
        *why = QStringLiteral("not a compact JWS");
        return std::nullopt;
    }
    EcJws jws;
    const auto header = decodeObject(parts[0]);
    const auto claims = decodeObject(parts[1]);
    bool decoded = false;
    jws.m_signature = base64UrlDecode(parts[2], &decoded);
    if (!header || !claims || !decoded) {
        *why = !header ? QStringLiteral("the header is not a JSON object")
            : !claims  ? QStringLiteral("the payload is not a JSON object")
                       : QStringLiteral("the signature is not base64url");
        return std::nullopt;
    }
    jws.m_header = *header;
    jws.m_claims = *claims;
    jws.m_signingInput = parts[0] + '.' + parts[1];
    return jws;
}

bool EcJws::signedBy(const QJsonObject& jwk, const QStringList& algorithms, QString* reason, QString* why) const
{
    const QString alg = m_header.value(QLatin1String("alg")).toString();
    const std::optional<jose::Curve> algCurve = jose::curveForAlgorithm(alg);
    if (!algorithms.contains(alg) || !algCurve) {
        *reason = QStringLiteral("alg");
        *why = QStringLiteral("alg %1 is not accepted").arg(alg.left(16));
        return false;
    }
    jose::Curve keyCurve = jose::Curve::P256;
    const OpenSslPtr<EVP_PKEY> key = jose::ecPublicKey(jwk, &keyCurve, why);
    if (!key) {
        *reason = QStringLiteral("jwk");
        return false;
    }
    if (keyCurve != *algCurve) {
        *reason = QStringLiteral("alg");
        *why = QStringLiteral("alg does not match the key's curve");
        return false;
    }
    if (!jose::verifyEcdsa(key.get(), keyCurve, m_signingInput, m_signature, why)) {
        *reason = QStringLiteral("signature");
        return false;
    }
    return true;
}

} // namespace ondevice::sandbox
