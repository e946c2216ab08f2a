#include "DeviceKey.h"

#include "core/Base64Url.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <array>
#include <optional>

namespace ondevice::auth {

namespace {

Failure<DeviceKeyError> keyFailure(DeviceKeyError code, QString detail)
{
    const char* text = code == DeviceKeyError::Unreadable ? QT_TRANSLATE_NOOP("ondevice::auth::DeviceKey",
                           "This connection's key on this computer could not be read; reconnect to make a new one.")
        : code == DeviceKeyError::Generate
        ? QT_TRANSLATE_NOOP(
            "ondevice::auth::DeviceKey", "A key for this connection could not be made on this computer.")
        : QT_TRANSLATE_NOOP("ondevice::auth::DeviceKey", "This connection's key could not sign a request.");
    return { code, QCoreApplication::translate("ondevice::auth::DeviceKey", text), std::move(detail) };
}

} // namespace

Expected<QByteArray, DeviceKeyError> DeviceKey::signJwt(QJsonObject header, const QJsonObject& claims) const
{
    header.insert(QStringLiteral("alg"), algorithm());
    const QByteArray input = base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    auto signature = sign(input);
    if (!signature)
        return signature.failure();
    return QByteArray(input + '.' + base64UrlEncode(signature.value()));
}

SoftwareDeviceKey::SoftwareDeviceKey(OpenSslPtr<EVP_PKEY> key, jose::Curve curve)
    : m_key(std::move(key))
    , m_curve(curve)
{
    m_publicJwk = jose::ecPublicJwk(m_key.get(), m_curve);
    m_thumbprint = jose::thumbprint(m_publicJwk);
    m_publicJwk.insert(QStringLiteral("kid"), m_thumbprint);
}

Expected<std::unique_ptr<SoftwareDeviceKey>, DeviceKeyError> SoftwareDeviceKey::generate(jose::Curve curve)
{
    OpenSslPtr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", jose::curveInfo(curve).jwkName));
    if (!key)
        return keyFailure(DeviceKeyError::Generate, QStringLiteral("EC key generation: ") + jose::takeOpenSslError());
    std::unique_ptr<SoftwareDeviceKey> made(new SoftwareDeviceKey(std::move(key), curve));
    if (made->m_thumbprint.isEmpty())
        return keyFailure(DeviceKeyError::Generate, QStringLiteral("the new key's public half could not be read"));
    return made;
}

Expected<std::unique_ptr<SoftwareDeviceKey>, DeviceKeyError> SoftwareDeviceKey::fromKeychainValue(QByteArrayView value)
{
    const QByteArray der
        = QByteArray::fromBase64(value.toByteArray().trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (der.isEmpty())
        return keyFailure(DeviceKeyError::Unreadable, QStringLiteral("device-key is not base64"));
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.constData());
    OpenSslPtr<EVP_PKEY> key(d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(der.size())));
    if (!key || cursor != reinterpret_cast<const unsigned char*>(der.constData()) + der.size())
        return keyFailure(DeviceKeyError::Unreadable,
            QStringLiteral("device-key is not one PKCS#8 key: ") + jose::takeOpenSslError());
    if (!EVP_PKEY_is_a(key.get(), "EC"))
        return keyFailure(DeviceKeyError::Unreadable, QStringLiteral("device-key is not an EC key"));
    std::array<char, 64> group {};
    if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), nullptr)
        != 1) {
        ERR_clear_error();
        return keyFailure(DeviceKeyError::Unreadable, QStringLiteral("device-key names no curve"));
    }
    const QLatin1String name(group.data());
    std::optional<jose::Curve> curve;
    for (const jose::Curve candidate : { jose::Curve::P256, jose::Curve::P384 })
        if (name == QLatin1String(jose::curveInfo(candidate).opensslName)
            || name == QLatin1String(jose::curveInfo(candidate).jwkName))
            curve = candidate;
    if (!curve)
        return keyFailure(DeviceKeyError::Unreadable, QStringLiteral("device-key is on curve %1").arg(name));
    std::unique_ptr<SoftwareDeviceKey> read(new SoftwareDeviceKey(std::move(key), *curve));
    if (read->m_thumbprint.isEmpty())
        return keyFailure(DeviceKeyError::Unreadable, QStringLiteral("device-key's public half could not be read"));
    return read;
}

QByteArray SoftwareDeviceKey::keychainValue() const
{
    const OpenSslPtr<OSSL_ENCODER_CTX> encoder(
        OSSL_ENCODER_CTX_new_for_pkey(m_key.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "DER", "PrivateKeyInfo", nullptr));
    unsigned char* data = nullptr;
    size_t length = 0;
    if (!encoder || OSSL_ENCODER_to_data(encoder.get(), &data, &length) != 1) {
        ERR_clear_error();
        return {};
    }
    QByteArray der(reinterpret_cast<const char*>(data), static_cast<qsizetype>(length));
    OPENSSL_clear_free(data, length);
    QByteArray value = der.toBase64();
    der.fill('\0');
    return value;
}

Expected<QByteArray, DeviceKeyError> SoftwareDeviceKey::sign(QByteArrayView input) const
{
    const jose::CurveInfo& info = jose::curveInfo(m_curve);
    const OpenSslPtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
    const EVP_MD* digest = m_curve == jose::Curve::P256 ? EVP_sha256() : EVP_sha384();
    size_t length = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(input.data());
    if (!context || EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, m_key.get()) != 1
        || EVP_DigestSign(context.get(), nullptr, &length, in, static_cast<size_t>(input.size())) != 1)
        return keyFailure(DeviceKeyError::Sign, QStringLiteral("signing setup: ") + jose::takeOpenSslError());
    QByteArray der(static_cast<qsizetype>(length), Qt::Uninitialized);
    if (EVP_DigestSign(
            context.get(), reinterpret_cast<unsigned char*>(der.data()), &length, in, static_cast<size_t>(input.size()))
        != 1)
        return keyFailure(DeviceKeyError::Sign, QStringLiteral("signing: ") + jose::takeOpenSslError());
    der.truncate(static_cast<qsizetype>(length));
    QByteArray raw = jose::ecdsaDerToRaw(der, info.coordinateBytes);
    if (raw.isEmpty())
        return keyFailure(DeviceKeyError::Sign, QStringLiteral("OpenSSL's signature is not a DER ECDSA signature"));
    return raw;
}

jose::Curve deviceKeyCurve(const QStringList& serverAlgorithms)
{
    const bool es256 = serverAlgorithms.contains(QLatin1String("ES256"));
    const bool es384 = serverAlgorithms.contains(QLatin1String("ES384"));
    return es256 && !es384 ? jose::Curve::P256 : jose::Curve::P384;
}

} // namespace ondevice::auth
