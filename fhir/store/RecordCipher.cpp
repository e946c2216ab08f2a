#include "fhir/store/RecordCipher.h"

#include "core/OpenSsl.h"

#include <QCoreApplication>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <cstring>

#include <unistd.h>

namespace ondevice::fhir {

namespace {

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::fhir::RecordCipher)
};

const unsigned char* bytes(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char*>(view.data());
}

// OSSL_PARAM wants non-const pointers even for inputs it only reads.
OSSL_PARAM octets(const char* name, QByteArrayView view)
{
    return OSSL_PARAM_construct_octet_string(name, const_cast<char*>(view.data()), size_t(view.size()));
}

// Wipes a derived key when it goes out of scope, whatever path is taken.
class SecretBytes {
public:
    explicit SecretBytes(QByteArray value)
        : m_value(std::move(value))
    {
    }
    ~SecretBytes()
    {
        if (!m_value.isEmpty())
            OPENSSL_cleanse(m_value.data(), size_t(m_value.size()));
    }
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    const QByteArray& value() const { return m_value; }

private:
    QByteArray m_value;
};

class AesGcmRecordCipher final : public RecordCipher {
public:
    bool init(const QByteArray& dataKey)
    {
        const SecretBytes encKey(hkdfSha256(dataKey, hkdfSalt(), encryptionInfo(), KeySize));
        const SecretBytes tagKey(hkdfSha256(dataKey, hkdfSalt(), lookupTagInfo(), KeySize));
        const SecretBytes checkKey(hkdfSha256(dataKey, hkdfSalt(), keyCheckInfo(), KeySize));
        if (encKey.value().size() != KeySize || tagKey.value().size() != KeySize || checkKey.value().size() != KeySize)
            return false;

        // Fetched and keyed once: per record only the nonce changes, which is what keeps the
        // encrypted inserts close to the unencrypted ones.
        m_aes.reset(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
        m_enc.reset(EVP_CIPHER_CTX_new());
        m_dec.reset(EVP_CIPHER_CTX_new());
        if (!m_aes || !m_enc || !m_dec)
            return false;
        if (EVP_EncryptInit_ex2(m_enc.get(), m_aes.get(), bytes(encKey.value()), nullptr, nullptr) != 1
            || EVP_DecryptInit_ex2(m_dec.get(), m_aes.get(), bytes(encKey.value()), nullptr, nullptr) != 1)
            return false;

        m_hmac.reset(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
        if (!m_hmac)
            return false;
        m_tagCtx.reset(EVP_MAC_CTX_new(m_hmac.get()));
        OpenSslPtr<EVP_MAC_CTX> checkCtx(EVP_MAC_CTX_new(m_hmac.get()));
        if (!m_tagCtx || !checkCtx)
            return false;
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
            OSSL_PARAM_construct_end(),
        };
        if (EVP_MAC_init(m_tagCtx.get(), bytes(tagKey.value()), size_t(KeySize), params) != 1
            || EVP_MAC_init(checkCtx.get(), bytes(checkKey.value()), size_t(KeySize), params) != 1)
            return false;
        m_keyCheck = finishMac(checkCtx.get(), "ondevice store key check v1");
        return m_keyCheck.size() == LookupTagSize;
    }

    std::optional<QByteArray> encrypt(QByteArrayView plain, QByteArrayView aad) override
    {
        if (plain.size() > INT_MAX - SealOverhead || aad.size() > INT_MAX)
            return std::nullopt;
        QByteArray out(SealOverhead + plain.size(), Qt::Uninitialized);
        auto* o = reinterpret_cast<unsigned char*>(out.data());
        o[0] = FormatV1;
        unsigned char* nonce = o + 1;
        unsigned char* ct = nonce + NonceSize;
        if (!takeNonce(nonce))
            return std::nullopt;
        int len = 0;
        const unsigned char format = FormatV1;
        EVP_CIPHER_CTX* ctx = m_enc.get();
        if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, nonce, nullptr) != 1
            || EVP_EncryptUpdate(ctx, nullptr, &len, &format, 1) != 1
            || (!aad.isEmpty() && EVP_EncryptUpdate(ctx, nullptr, &len, bytes(aad), int(aad.size())) != 1))
            return std::nullopt;
        int written = 0;
        if (!plain.isEmpty()) {
            if (EVP_EncryptUpdate(ctx, ct, &len, bytes(plain), int(plain.size())) != 1)
                return std::nullopt;
            written = len;
        }
        if (EVP_EncryptFinal_ex(ctx, ct + written, &len) != 1)
            return std::nullopt;
        written += len;
        if (written != plain.size() || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GcmTagSize, ct + written) != 1)
            return std::nullopt;
        return out;
    }

    std::optional<QByteArray> decrypt(QByteArrayView sealed, QByteArrayView aad) override
    {
        if (sealed.size() < SealOverhead || sealed.size() > INT_MAX || aad.size() > INT_MAX || sealed[0] != FormatV1)
            return std::nullopt;
        const unsigned char* in = bytes(sealed);
        const unsigned char* nonce = in + 1;
        const unsigned char* ct = nonce + NonceSize;
        const int ctLen = int(sealed.size()) - SealOverhead;
        // The tag is copied because the ctrl call takes a non-const pointer.
        unsigned char gcmTag[GcmTagSize];
        std::copy(ct + ctLen, ct + ctLen + GcmTagSize, gcmTag);

        QByteArray out(ctLen, Qt::Uninitialized);
        auto* o = reinterpret_cast<unsigned char*>(out.data());
        int len = 0;
        const unsigned char format = FormatV1;
        EVP_CIPHER_CTX* ctx = m_dec.get();
        if (EVP_DecryptInit_ex2(ctx, nullptr, nullptr, nonce, nullptr) != 1
            || EVP_DecryptUpdate(ctx, nullptr, &len, &format, 1) != 1
            || (!aad.isEmpty() && EVP_DecryptUpdate(ctx, nullptr, &len, bytes(aad), int(aad.size())) != 1))
            return std::nullopt;
        int written = 0;
        if (ctLen > 0) {
            if (EVP_DecryptUpdate(ctx, o, &len, ct, ctLen) != 1)
                return std::nullopt;
            written = len;
        }
        if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GcmTagSize, gcmTag) != 1)
            return std::nullopt;
        // Final is where GCM compares the tag: a failure here means "not ours", and the
        // unauthenticated plaintext already in `out` must not leave this function.
        if (EVP_DecryptFinal_ex(ctx, o + written, &len) != 1) {
            OPENSSL_cleanse(out.data(), size_t(out.size()));
            return std::nullopt;
        }
        return out;
    }

    QByteArray tag(TagKind kind, QByteArrayView value) override
    {
        // Re-initialising with a null key keeps the key already set: no HMAC key schedule per tag.
        if (EVP_MAC_init(m_tagCtx.get(), nullptr, 0, nullptr) != 1)
            return {};
        const auto k = static_cast<unsigned char>(kind);
        if (EVP_MAC_update(m_tagCtx.get(), &k, 1) != 1)
            return {};
        return finishMac(m_tagCtx.get(), value);
    }

    QByteArray keyCheckValue() override { return m_keyCheck; }

private:
    static QByteArray finishMac(EVP_MAC_CTX* ctx, QByteArrayView value)
    {
        unsigned char full[EVP_MAX_MD_SIZE];
        size_t fullLen = 0;
        if ((!value.isEmpty() && EVP_MAC_update(ctx, bytes(value), size_t(value.size())) != 1)
            || EVP_MAC_final(ctx, full, &fullLen, sizeof full) != 1 || fullLen < size_t(LookupTagSize))
            return {};
        return QByteArray(reinterpret_cast<const char*>(full), LookupTagSize);
    }

    // A fresh random nonce per record, drawn from OpenSSL's DRBG 256 at a time: one RAND_bytes call costs more
    // than sealing a record. Each is used once; a forked child (which would share the pool) draws its own.
    bool takeNonce(unsigned char* nonce)
    {
        if (m_nonceAt == m_nonces.size() || m_noncePid != getpid()) {
            if (RAND_bytes(m_nonces.data(), int(m_nonces.size())) != 1)
                return false;
            m_nonceAt = 0;
            m_noncePid = getpid();
        }
        std::memcpy(nonce, m_nonces.data() + m_nonceAt, NonceSize);
        m_nonceAt += NonceSize;
        return true;
    }

    std::array<unsigned char, std::size_t(NonceSize) * 256> m_nonces {};
    std::size_t m_nonceAt = m_nonces.size();
    pid_t m_noncePid = 0;
    OpenSslPtr<EVP_CIPHER> m_aes;
    OpenSslPtr<EVP_CIPHER_CTX> m_enc;
    OpenSslPtr<EVP_CIPHER_CTX> m_dec;
    OpenSslPtr<EVP_MAC> m_hmac;
    OpenSslPtr<EVP_MAC_CTX> m_tagCtx;
    QByteArray m_keyCheck;
};

} // namespace

RecordCipher::~RecordCipher() = default;

StoreResult<std::unique_ptr<RecordCipher>> RecordCipher::fromDataKey(const QByteArray& dataKey)
{
    if (dataKey.size() != KeySize)
        return StoreFailure { StoreError::WrongKey,
            Text::tr("The key for this provider's records is missing or damaged."),
            QStringLiteral("data key has %1 bytes, expected %2").arg(dataKey.size()).arg(KeySize) };
    auto cipher = std::make_unique<AesGcmRecordCipher>();
    if (!cipher->init(dataKey))
        return StoreFailure { StoreError::Crypto, Text::tr("The encryption library failed to start."),
            QStringLiteral("OpenSSL could not set up AES-256-GCM / HMAC-SHA256 / HKDF") };
    return std::unique_ptr<RecordCipher>(std::move(cipher));
}

QByteArray RecordCipher::hkdfSha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, int length)
{
    if (length <= 0 || length > 255 * 32)
        return {};
    OpenSslPtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf)
        return {};
    OpenSslPtr<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return {};
    // OpenSSL refuses an empty octet string; RFC 5869 reads a missing salt as HashLen zero bytes (which
    // OpenSSL does when none is set) and a missing info as empty, so empty ones are left out.
    OSSL_PARAM params[5];
    OSSL_PARAM* p = params;
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0);
    *p++ = octets(OSSL_KDF_PARAM_KEY, ikm);
    if (!salt.isEmpty())
        *p++ = octets(OSSL_KDF_PARAM_SALT, salt);
    if (!info.isEmpty())
        *p++ = octets(OSSL_KDF_PARAM_INFO, info);
    *p = OSSL_PARAM_construct_end();
    QByteArray out(length, Qt::Uninitialized);
    if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), size_t(length), params) != 1)
        return {};
    return out;
}

QByteArray RecordCipher::hkdfSalt()
{
    return QByteArrayLiteral("ondevice-health/records.sqlite/v1");
}

QByteArray RecordCipher::encryptionInfo()
{
    return QByteArrayLiteral("record-encryption");
}

QByteArray RecordCipher::lookupTagInfo()
{
    return QByteArrayLiteral("lookup-tags");
}

QByteArray RecordCipher::keyCheckInfo()
{
    return QByteArrayLiteral("key-check");
}

} // namespace ondevice::fhir
