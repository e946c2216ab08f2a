#include "Jose.h"

#include "core/Base64Url.h"

#include <QCryptographicHash>
#include <QJsonDocument>

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <array>

namespace ondevice::jose {

namespace {

constexpr std::array<CurveInfo, 2> kCurves = { {
    { Curve::P256, "P-256", "prime256v1", "ES256", 32 },
    { Curve::P384, "P-384", "secp384r1", "ES384", 48 },
} };

const unsigned char* bytes(QByteArrayView data)
{
    return reinterpret_cast<const unsigned char*>(data.data());
}

OpenSslPtr<BIGNUM> bignum(QByteArrayView bigEndian)
{
    return OpenSslPtr<BIGNUM>(BN_bin2bn(bytes(bigEndian), static_cast<int>(bigEndian.size()), nullptr));
}

const EVP_MD* digestFor(Curve curve)
{
    return curve == Curve::P256 ? EVP_sha256() : EVP_sha384();
}

// A big number as exactly `length` big-endian bytes; empty when it does not fit.
QByteArray fixedLength(const BIGNUM* number, int length)
{
    QByteArray out(length, Qt::Uninitialized);
    if (BN_bn2binpad(number, reinterpret_cast<unsigned char*>(out.data()), length) != length)
        return {};
    return out;
}

} // namespace

const CurveInfo& curveInfo(Curve curve)
{
    return curve == Curve::P256 ? kCurves[0] : kCurves[1];
}

std::optional<Curve> curveForAlgorithm(QStringView alg)
{
    for (const CurveInfo& info : kCurves)
        if (alg == QLatin1String(info.algorithm))
            return info.curve;
    return std::nullopt;
}

QString takeOpenSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("no OpenSSL error queued");
    std::array<char, 256> buffer {};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    return QString::fromLatin1(buffer.data());
}

QByteArray decodeMember(const QJsonObject& jwk, const char* name, QString* why)
{
    const QJsonValue value = jwk.value(QLatin1String(name));
    bool ok = false;
    QByteArray decoded = value.isString() ? base64UrlDecode(value.toString().toLatin1(), &ok) : QByteArray();
    if (!ok || decoded.isEmpty()) {
        *why = QStringLiteral("`%1` is missing or not base64url").arg(QLatin1String(name));
        return {};
    }
    return decoded;
}

OpenSslPtr<EVP_PKEY> publicKeyFromParams(const char* type, OSSL_PARAM_BLD* builder, QString* why)
{
    const OpenSslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(builder));
    const OpenSslPtr<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0) {
        *why = QStringLiteral("OpenSSL setup failed: ") + takeOpenSslError();
        return {};
    }
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        *why = QStringLiteral("not a valid public key: ") + takeOpenSslError();
        return {};
    }
    OpenSslPtr<EVP_PKEY> key(raw);
    const OpenSslPtr<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        *why = QStringLiteral("fails the public-key check: ") + takeOpenSslError();
        return {};
    }
    return key;
}

OpenSslPtr<EVP_PKEY> ecPublicKey(const QJsonObject& jwk, Curve* curve, QString* why)
{
    if (jwk.value(QLatin1String("kty")).toString() != QLatin1String("EC")) {
        *why = QStringLiteral("kty is not \"EC\"");
        return {};
    }
    if (jwk.contains(QLatin1String("d"))) {
        *why = QStringLiteral("the JWK carries a private key (`d`)");
        return {};
    }
    const QString crv = jwk.value(QLatin1String("crv")).toString();
    const CurveInfo* info = nullptr;
    for (const CurveInfo& candidate : kCurves)
        if (crv == QLatin1String(candidate.jwkName))
            info = &candidate;
    if (!info) {
        *why = QStringLiteral("EC curve \"%1\" not accepted").arg(crv.left(20));
        return {};
    }
    const QByteArray x = decodeMember(jwk, "x", why);
    if (x.isEmpty())
        return {};
    const QByteArray y = decodeMember(jwk, "y", why);
    if (y.isEmpty())
        return {};
    // RFC 7518 section 6.2.1.2: coordinates are always full length.
    if (x.size() != info->coordinateBytes || y.size() != info->coordinateBytes) {
        *why = QStringLiteral("EC coordinates are not %1 bytes each").arg(info->coordinateBytes);
        return {};
    }
    // The uncompressed SEC1 point: 0x04 || x || y.
    const QByteArray point = QByteArray(1, '\x04') + x + y;
    const OpenSslPtr<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!builder
        || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, info->opensslName, 0) != 1
        || OSSL_PARAM_BLD_push_octet_string(
               builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(), static_cast<size_t>(point.size()))
            != 1) {
        *why = QStringLiteral("OpenSSL setup failed: ") + takeOpenSslError();
        return {};
    }
    OpenSslPtr<EVP_PKEY> key = publicKeyFromParams("EC", builder.get(), why);
    if (key && curve)
        *curve = info->curve;
    return key;
}

QJsonObject ecPublicJwk(EVP_PKEY* key, Curve curve)
{
    const CurveInfo& info = curveInfo(curve);
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    const bool read = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1
        && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
    const OpenSslPtr<BIGNUM> ownedX(x);
    const OpenSslPtr<BIGNUM> ownedY(y);
    if (!read) {
        ERR_clear_error();
        return {};
    }
    const QByteArray xBytes = fixedLength(x, info.coordinateBytes);
    const QByteArray yBytes = fixedLength(y, info.coordinateBytes);
    if (xBytes.isEmpty() || yBytes.isEmpty())
        return {};
    return QJsonObject { { QStringLiteral("kty"), QStringLiteral("EC") },
        { QStringLiteral("crv"), QLatin1String(info.jwkName) },
        { QStringLiteral("x"), QString::fromLatin1(base64UrlEncode(xBytes)) },
        { QStringLiteral("y"), QString::fromLatin1(base64UrlEncode(yBytes)) } };
}

QString thumbprint(const QJsonObject& jwk)
{
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    QStringList required;
    if (kty == QLatin1String("EC"))
        required = { QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"), QStringLiteral("y") };
    else if (kty == QLatin1String("RSA"))
        required = { QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n") };
    else
        return {};
    // QJsonObject keeps its keys sorted and Compact writes no whitespace: exactly RFC 7638's form.
    QJsonObject members;
    for (const QString& name : required) {
        const QJsonValue value = jwk.value(name);
        if (!value.isString() || value.toString().isEmpty())
            return {};
        members.insert(name, value);
    }
    const QByteArray canonical = QJsonDocument(members).toJson(QJsonDocument::Compact);
    return QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256)));
}

QByteArray ecdsaRawToDer(QByteArrayView raw, int coordinateBytes)
{
    if (raw.size() != 2 * qsizetype { coordinateBytes })
        return {};
    OpenSslPtr<BIGNUM> r = bignum(raw.first(coordinateBytes));
    OpenSslPtr<BIGNUM> s = bignum(raw.sliced(coordinateBytes));
    const OpenSslPtr<ECDSA_SIG> signature(ECDSA_SIG_new());
    if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1)
        return {};
    // ECDSA_SIG_set0 took ownership of both numbers.
    static_cast<void>(r.release());
    static_cast<void>(s.release());
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(signature.get(), &der);
    if (length <= 0)
        return {};
    QByteArray result(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return result;
}

QByteArray ecdsaDerToRaw(QByteArrayView der, int coordinateBytes)
{
    const unsigned char* cursor = bytes(der);
    const OpenSslPtr<ECDSA_SIG> signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!signature || cursor != bytes(der) + der.size()) {
        ERR_clear_error();
        return {};
    }
    const QByteArray r = fixedLength(ECDSA_SIG_get0_r(signature.get()), coordinateBytes);
    const QByteArray s = fixedLength(ECDSA_SIG_get0_s(signature.get()), coordinateBytes);
    if (r.isEmpty() || s.isEmpty())
        return {};
    return r + s;
}

bool verifyEcdsa(EVP_PKEY* key, Curve curve, QByteArrayView input, QByteArrayView rawSignature, QString* why)
{
    const CurveInfo& info = curveInfo(curve);
    if (rawSignature.size() != 2 * qsizetype { info.coordinateBytes }) {
        // Often a DER signature where JWS wants raw r || s.
        *why = QStringLiteral("%1 signature is %2 bytes, expected %3 (raw r||s)")
                   .arg(QLatin1String(info.algorithm))
                   .arg(rawSignature.size())
                   .arg(2 * info.coordinateBytes);
        return false;
    }
    const QByteArray der = ecdsaRawToDer(rawSignature, info.coordinateBytes);
    if (der.isEmpty()) {
        *why = QStringLiteral("could not encode the ECDSA signature: ") + takeOpenSslError();
        return false;
    }
    const OpenSslPtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
    if (!context || EVP_DigestVerifyInit(context.get(), nullptr, digestFor(curve), nullptr, key) != 1) {
        *why = QStringLiteral("OpenSSL setup failed: ") + takeOpenSslError();
        return false;
    }
    const int result = EVP_DigestVerify(
        context.get(), bytes(der), static_cast<size_t>(der.size()), bytes(input), static_cast<size_t>(input.size()));
    if (result != 1) {
        // 0 is a plain mismatch; below 0 OpenSSL could not even decide: a bad signature either way.
        *why = result == 0 ? QStringLiteral("signature does not verify")
                           : QString(QStringLiteral("signature rejected: ") + takeOpenSslError());
        ERR_clear_error();
        return false;
    }
    return true;
}

} // namespace ondevice::jose
