#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace ondevice::sandbox {

// A compact JWS signed with an EC key (ES256 or ES384), as this sandbox reads what clients sign: DPoP proofs,
// private_key_jwt client assertions and JWT-bearer grants.
class EcJws {
public:
    // A compact JWS whose header and payload are JSON objects and whose signature is base64url; nullopt and
    // *why otherwise. Nothing is verified yet.
    static std::optional<EcJws> parse(const QByteArray& compact, QString* why);

    const QJsonObject& header() const { return m_header; }
    const QJsonObject& claims() const { return m_claims; }

    // Whether `jwk` (a public EC key) signed it with the `alg` of its header, which must be one of `algorithms`
    // and match the key's curve. On false, *reason is "alg", "jwk" or "signature" and *why says more.
    bool signedBy(const QJsonObject& jwk, const QStringList& algorithms, QString* reason, QString* why) const;

private:
    QJsonObject m_header;
    QJsonObject m_claims;
    QByteArray m_signingInput;
    QByteArray m_signature;
};

} // namespace ondevice::sandbox
