#include "Crypto.h"

#include <QCryptographicHash>

#include <openssl/rand.h>

#include <stdexcept>

namespace ondevice::sandbox {

QString Crypto::randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes) != 1)
        throw std::runtime_error("RAND_bytes failed"); // no CSPRNG: refuse to mint guessable tokens
    return QString::fromLatin1(base64Url(raw));
}

QByteArray Crypto::sha256(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QString Crypto::sha256Hex(const QString& token)
{
    return QString::fromLatin1(sha256(token.toUtf8()).toHex());
}

QByteArray Crypto::base64Url(const QByteArray& data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace ondevice::sandbox
