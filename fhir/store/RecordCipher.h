#pragma once

#include "fhir/store/StoreError.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <optional>

namespace ondevice::fhir {

// The store's cryptography, kept apart so that it can be tested, fuzzed and reused.
//
// From one connection's 32-byte data key, HKDF-SHA256 derives independent subkeys:
//   - "record-encryption": AES-256-GCM for every stored record, a fresh random 96-bit nonce per call;
//   - "lookup-tags":       HMAC-SHA256 (truncated to 16 bytes) for the values the store must find
//                          rows by (resource type, id, "system|code") without keeping them in clear;
//   - "key-check":         a value stored once per connection that tells a wrong key from a right one.
// A sealed record is: format byte (1) | nonce (12) | ciphertext | GCM tag (16). The format byte is
// authenticated with the caller's associated data, so a later format can never be mistaken for this one.
//
// An object keeps OpenSSL contexts that it reuses between calls (that is what makes 100,000 inserts
// cheap), so it is used from one thread at a time, like the ResourceStore that owns it.
//
// The class is abstract only so that bench/store can measure the same store with a do-nothing cipher
// as the unencrypted baseline; the product gets its cipher from fromDataKey() and nowhere else.
class RecordCipher {
public:
    static constexpr int KeySize = 32;
    static constexpr int NonceSize = 12;
    static constexpr int GcmTagSize = 16;
    static constexpr int LookupTagSize = 16;
    static constexpr char FormatV1 = 0x01;
    static constexpr int SealOverhead = 1 + NonceSize + GcmTagSize;

    // What a lookup tag is for. The kind is part of the HMAC input, so equal values of different
    // kinds give unrelated tags. Values are persisted: never renumber.
    enum class TagKind : quint8 {
        ResourceType = 1,
        ResourceId = 2, // input: type '\0' id
        Code = 3, // input: type '\0' "system|code"
        Category = 4, // input: type '\0' "system|code"
        StateName = 5,
        Version = 6, // input: type '\0' id '\0' versionId
        Content = 7, // input: the resource JSON, when the server gave no versionId
        KeyCheck = 8,
    };

    // The AES-256-GCM / HMAC-SHA256 cipher for one data key. A key that is not 32 bytes is
    // StoreError::WrongKey; an OpenSSL failure is StoreError::Crypto.
    static StoreResult<std::unique_ptr<RecordCipher>> fromDataKey(const QByteArray& dataKey);

    virtual ~RecordCipher();
    RecordCipher(const RecordCipher&) = delete;
    RecordCipher& operator=(const RecordCipher&) = delete;

    // Seals plain with a fresh random nonce, binding aad. nullopt only when OpenSSL or its RNG fails.
    virtual std::optional<QByteArray> encrypt(QByteArrayView plain, QByteArrayView aad) = 0;
    // Opens what encrypt() sealed with the same key and aad. nullopt for anything else (another key,
    // another aad, a flipped bit, a truncated or malformed input); never reads out of bounds.
    virtual std::optional<QByteArray> decrypt(QByteArrayView sealed, QByteArrayView aad) = 0;
    // A deterministic 16-byte tag of (kind, value). Empty only when OpenSSL fails.
    virtual QByteArray tag(TagKind kind, QByteArrayView value) = 0;
    // A value that identifies the key without revealing it; stored per connection.
    virtual QByteArray keyCheckValue() = 0;

    // RFC 5869 HKDF with SHA-256 (extract and expand). Empty on failure or length outside 1..8160.
    static QByteArray hkdfSha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, int length);

    // The HKDF salt and info labels; persisted through every stored record, so never change them.
    static QByteArray hkdfSalt();
    static QByteArray encryptionInfo();
    static QByteArray lookupTagInfo();
    static QByteArray keyCheckInfo();

protected:
    RecordCipher() = default;
};

} // namespace ondevice::fhir
