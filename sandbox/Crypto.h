#pragma once

#include <QByteArray>
#include <QString>

namespace ondevice::sandbox {

// Secrets come from the operating system's CSPRNG (OpenSSL RAND_bytes), never
// from the seeded generator that shapes the synthetic data.
class Crypto {
public:
    // 32 random bytes as unpadded base64url: 43 characters, URL- and form-safe.
    static QString randomToken(int bytes = 32);
    static QByteArray sha256(const QByteArray& data);
    // Lower-case hex SHA-256 of the token's bytes: how tokens are stored and shown.
    static QString sha256Hex(const QString& token);
};

} // namespace ondevice::sandbox
