#include "Crypto.h"
#include "core/Base64Url.h"

#include <QCryptographicHash>

#include <openssl/rand.h>

#include <stdexcept>

namespace ondevice::sandbox {

QString Crypto::randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes) != 1)
        throw std::runtime_error("RAND_bytes failed"); // no CSPRNG: refuse to mint guessable tokens
    return QString::fromLatin1(base64UrlEncode(raw));
}

QByteArray Crypto::sha256(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QString Crypto::sha256Hex(const QString& token)
{
    return QString::fromLatin1(sha256(token.toUtf8()).toHex());
}

} // namespace ondevice::sandbox
