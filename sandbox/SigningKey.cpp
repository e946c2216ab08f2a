#include "SigningKey.h"

#include "Crypto.h"
#include "core/Base64Url.h"

#include <QJsonDocument>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

namespace ondevice::sandbox {

namespace {

QByteArray bignumParam(EVP_PKEY* key, const char* name)
{
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        return {};
    QByteArray bytes(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
}

} // namespace

SigningKey::SigningKey()
{
    m_key = EVP_RSA_gen(2048);
    if (!m_key)
        return;
    const QString n = QString::fromLatin1(base64UrlEncode(bignumParam(m_key, OSSL_PKEY_PARAM_RSA_N)));
    const QString e = QString::fromLatin1(base64UrlEncode(bignumParam(m_key, OSSL_PKEY_PARAM_RSA_E)));
    // RFC 7638: members in lexicographic order, no whitespace.
    const QByteArray thumbprintInput = QStringLiteral("{\"e\":\"%1\",\"kty\":\"RSA\",\"n\":\"%2\"}").arg(e, n).toUtf8();
    m_kid = QString::fromLatin1(base64UrlEncode(Crypto::sha256(thumbprintInput)));
    m_jwk = QJsonObject {
        { QStringLiteral("kty"), QStringLiteral("RSA") },
        { QStringLiteral("use"), QStringLiteral("sig") },
        { QStringLiteral("alg"), QStringLiteral("RS256") },
        { QStringLiteral("kid"), m_kid },
        { QStringLiteral("n"), n },
        { QStringLiteral("e"), e },
    };
}

SigningKey::~SigningKey()
{
    EVP_PKEY_free(m_key);
}

QString SigningKey::signJwt(const QJsonObject& claims) const
{
    const QJsonObject header {
        { QStringLiteral("alg"), QStringLiteral("RS256") },
        { QStringLiteral("typ"), QStringLiteral("JWT") },
        { QStringLiteral("kid"), m_kid },
    };
    const QByteArray signingInput = base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));

    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t length = 0;
    QByteArray signature;
    if (ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key) == 1
        && EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(signingInput.constData()),
               static_cast<size_t>(signingInput.size()))
            == 1) {
        signature.resize(static_cast<qsizetype>(length));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                reinterpret_cast<const unsigned char*>(signingInput.constData()),
                static_cast<size_t>(signingInput.size()))
            == 1)
            signature.resize(static_cast<qsizetype>(length));
        else
            signature.clear();
    }
    EVP_MD_CTX_free(ctx);
    if (signature.isEmpty())
        return {};
    return QString::fromLatin1(signingInput + '.' + base64UrlEncode(signature));
}

} // namespace ondevice::sandbox
