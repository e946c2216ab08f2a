#pragma once

#include "fhir/store/RecordCipher.h"

#include <QHashFunctions>

namespace ondevice::fhir::bench {

// The unencrypted baseline: the same ResourceStore code path, with sealing and tagging that do nothing
// but copy. Built only into bench_store; the product has no way to store records in clear.
class NullCipher final : public RecordCipher {
public:
    std::optional<QByteArray> encrypt(QByteArrayView plain, QByteArrayView) override { return plain.toByteArray(); }
    std::optional<QByteArray> decrypt(QByteArrayView sealed, QByteArrayView) override { return sealed.toByteArray(); }
    QByteArray tag(TagKind kind, QByteArrayView value) override
    {
        // 16 bytes like a real tag, so both modes build indexes of the same size and the ratio measures the
        // cryptography alone; a cheap non-cryptographic hash, seeded with the kind so kinds stay apart.
        const auto seed = size_t(kind);
        const quint64 halves[2] = { quint64(qHashBits(value.data(), size_t(value.size()), seed)),
            quint64(qHashBits(value.data(), size_t(value.size()), seed ^ 0x9e3779b97f4a7c15ULL)) };
        return QByteArray(reinterpret_cast<const char*>(halves), sizeof halves);
    }
    QByteArray keyCheckValue() override { return QByteArrayLiteral("null-cipher"); }
};

} // namespace ondevice::fhir::bench
