#pragma once

// The JOSE pieces that both sides of a signature need (RFC 7515, 7517, 7518, 7638): EC public keys from a
// JWK, ECDSA signatures in JOSE's raw r || s form, and JWK thumbprints. The product signs with them
// (auth/DeviceKey) and checks identity tokens with them (auth/IdTokenVerifier); the sandbox checks proofs.
// (ondevice_core links OpenSSL::Crypto publicly.)

#include "core/OpenSsl.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace ondevice::jose {

// The two curves JOSE's ES256 and ES384 sign on.
enum class Curve { P256, P384 };

struct CurveInfo {
    Curve curve;
    const char* jwkName; // "P-256": the JWK `crv`
    const char* opensslName; // "prime256v1": OpenSSL's group name
    const char* algorithm; // "ES256": the JWS `alg`
    int coordinateBytes; // 32: each of x, y, r and s
};
const CurveInfo& curveInfo(Curve curve);
std::optional<Curve> curveForAlgorithm(QStringView alg); // "ES256" or "ES384"

// The first queued OpenSSL error as text, and an empty queue afterwards, so that one failure never shows up
// in an unrelated later check.
QString takeOpenSslError();

// The base64url member `name` of a JWK, decoded; empty (and *why set) when it is missing or not strict
// base64url.
QByteArray decodeMember(const QJsonObject& jwk, const char* name, QString* why);

// A public key from OSSL_PARAMs of `type` ("RSA", "EC"), with OpenSSL's public-key checks run on it (EC:
// the point is on the curve and in its subgroup). Null, with *why set, when anything fails.
OpenSslPtr<EVP_PKEY> publicKeyFromParams(const char* type, OSSL_PARAM_BLD* builder, QString* why);

// The public key of an EC JWK (`kty` EC, `crv` P-256 or P-384, full-length `x` and `y`). A JWK that
// carries the private `d` is refused: a public key must be all that was sent. Null, with *why set, when it
// is not such a key.
OpenSslPtr<EVP_PKEY> ecPublicKey(const QJsonObject& jwk, Curve* curve, QString* why);

// The public JWK of an EC key made here: kty, crv, x, y (no `d`, no `kid`).
QJsonObject ecPublicJwk(EVP_PKEY* key, Curve curve);

// RFC 7638: base64url(SHA-256) of the required members of a public JWK in lexicographic order, no
// whitespace (EC: crv, kty, x, y; RSA: e, kty, n). Empty when a required member is missing.
QString thumbprint(const QJsonObject& jwk);

// ECDSA signatures: JOSE carries r || s, each big-endian and `coordinateBytes` long (RFC 7518 section 3.4);
// OpenSSL speaks DER SEQUENCE { r, s }. Empty on a malformed input.
QByteArray ecdsaRawToDer(QByteArrayView raw, int coordinateBytes);
QByteArray ecdsaDerToRaw(QByteArrayView der, int coordinateBytes);

// Whether `rawSignature` (r || s) is a valid signature of `input` by `key` on `curve` with that curve's hash
// (SHA-256 for P-256, SHA-384 for P-384). *why says what failed.
bool verifyEcdsa(EVP_PKEY* key, Curve curve, QByteArrayView input, QByteArrayView rawSignature, QString* why);

} // namespace ondevice::jose
