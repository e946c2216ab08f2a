#pragma once

#include "core/Expected.h"
#include "core/Jose.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace ondevice::auth {

enum class DeviceKeyError {
    Generate, // OpenSSL could not make a key
    Unreadable, // the keychain value is not a key this app made (not PKCS#8, not EC P-256 or P-384)
    Sign, // OpenSSL could not sign
};

// A key pair made on this computer for one connection. It signs the DPoP proofs (RFC 9449) that bind the
// connection's tokens to this computer, and is the key a client registered for this computer would use.
//
// This interface is what a platform key store can implement in place of the keychain-held key: a key that
// never leaves the Secure Enclave (macOS, SecKey), a TPM behind Windows CNG, or a Linux TPM through the
// OpenSSL tpm2 provider (docs/architecture.md). SoftwareDeviceKey is the one built here.
class DeviceKey {
public:
    virtual ~DeviceKey() = default;

    virtual jose::Curve curve() const = 0;
    // "ES384" or "ES256": the JWS `alg` of every signature this key makes.
    QString algorithm() const { return QLatin1String(jose::curveInfo(curve()).algorithm); }
    // The public half as a JWK: kty, crv, x, y, and `kid` set to the thumbprint. Never a private member.
    virtual QJsonObject publicJwk() const = 0;
    // RFC 7638 thumbprint of the public JWK (base64url SHA-256): the `jkt` a server binds tokens to.
    virtual QString thumbprint() const = 0;
    // A JOSE ECDSA signature (raw r || s, RFC 7518 section 3.4) of `input`.
    virtual Expected<QByteArray, DeviceKeyError> sign(QByteArrayView input) const = 0;

    // A compact JWS of `claims` under `header`, whose `alg` is set to algorithm().
    Expected<QByteArray, DeviceKeyError> signJwt(QJsonObject header, const QJsonObject& claims) const;
};

// The key held in the keychain: made with OpenSSL 3 and kept as the connection's `device-key` item, one line
// of base64 PKCS#8 and nothing else. The private key is never written anywhere else and never logged.
class SoftwareDeviceKey final : public DeviceKey {
public:
    static Expected<std::unique_ptr<SoftwareDeviceKey>, DeviceKeyError> generate(jose::Curve curve);
    // The key from its keychain value (keychainValue()); Unreadable for anything else.
    static Expected<std::unique_ptr<SoftwareDeviceKey>, DeviceKeyError> fromKeychainValue(QByteArrayView value);

    // The private key as the keychain holds it: base64 of its PKCS#8 DER. A secret.
    QByteArray keychainValue() const;

    jose::Curve curve() const override { return m_curve; }
    QJsonObject publicJwk() const override { return m_publicJwk; }
    QString thumbprint() const override { return m_thumbprint; }
    Expected<QByteArray, DeviceKeyError> sign(QByteArrayView input) const override;

private:
    SoftwareDeviceKey(OpenSslPtr<EVP_PKEY> key, jose::Curve curve);

    OpenSslPtr<EVP_PKEY> m_key;
    jose::Curve m_curve;
    QJsonObject m_publicJwk;
    QString m_thumbprint;
};

// The curve of a new connection's key, from the server's `dpop_signing_alg_values_supported`: P-384 (ES384,
// the algorithm SMART's asymmetric client authentication requires too), unless the server lists ES256 and
// not ES384.
jose::Curve deviceKeyCurve(const QStringList& serverAlgorithms);

} // namespace ondevice::auth
