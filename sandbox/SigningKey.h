#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

using EVP_PKEY = struct evp_pkey_st;

namespace ondevice::sandbox {

// The RS256 key that signs id_tokens: a fresh 2048-bit RSA key per process,
// published at jwks_uri under a kid (its RFC 7638 thumbprint).
class SigningKey {
public:
    SigningKey();
    ~SigningKey();
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;

    bool isValid() const { return m_key != nullptr; }
    QString kid() const { return m_kid; }
    QJsonObject publicJwk() const { return m_jwk; }
    // header.payload.signature, compact JWS with alg RS256.
    QString signJwt(const QJsonObject& claims) const;

private:
    EVP_PKEY* m_key = nullptr;
    QString m_kid;
    QJsonObject m_jwk;
};

} // namespace ondevice::sandbox
