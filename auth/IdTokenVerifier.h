#pragma once

#include "core/Clock.h"
#include "core/Expected.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace ondevice::auth {

enum class IdTokenError {
    Malformed, // not a JWS of two JSON objects, a `crit` header, or a required claim missing or mistyped
    UnsupportedAlgorithm, // `none`, any HS*, an unknown alg, or an alg the selected key's kty/crv/alg does not permit
    UnknownKey, // no key with the header's kid, or no kid and not exactly one key of the right type
    BadSignature, // the signature does not verify (including a wrong-length ES* signature)
    WrongIssuer, // `iss` is not the discovered issuer
    WrongAudience, // `aud` does not contain our client_id (or `azp` names another client)
    Expired, // `exp` more than 5 minutes in the past
    NotYetValid, // `iat` (or `nbf`) more than 5 minutes in the future
    SubjectChanged, // a refreshed id_token names another `sub`
    BadKeySet, // the JWKS document is unusable: too large, not JSON, or no usable signing key
};

// A stable name for logs and tests ("BadSignature"). Not called toString():
// QTest finds toString() by argument-dependent lookup and wants a char*.
QString errorName(IdTokenError error);

struct IdTokenClaims {
    QString issuer;
    QString subject;
    QStringList audience; // always a list, also when `aud` was a single string
    QDateTime expiresAt; // UTC
    QDateTime issuedAt; // UTC
    QString fhirUser; // SMART's fhirUser claim; empty when absent
    QJsonObject raw; // the whole payload, for claims not mapped above
};

// The provider's published signing keys (the document at `jwks_uri`), parsed
// into OpenSSL keys once so that each verification only looks them up.
//
// Only keys that can verify a signature we accept are kept: kty RSA (2048 to
// 8192 bits) and kty EC on P-256 or P-384, with `use` absent or "sig" and
// `key_ops` absent or containing "verify". Anything else (kty `oct`, OKP,
// encryption keys, a key whose numbers don't make a valid public key) is
// ignored rather than failing the whole set, because providers publish other
// keys next to their signing keys. A set left with no usable key is BadKeySet.
//
// Copies share the parsed keys (immutable, so sharing across threads is fine).
// A default-constructed set is empty and verifies nothing.
class JsonWebKeySet {
public:
    static constexpr qsizetype kMaxDocumentBytes = qsizetype { 256 } * 1024;

    JsonWebKeySet();

    static Expected<JsonWebKeySet, IdTokenError> parse(const QByteArray& json);

    qsizetype size() const;
    bool isEmpty() const { return size() == 0; }
    // kids of the usable keys, in document order (a key without kid gives "").
    QStringList keyIds() const;
    // How many entries of the document were ignored as unusable.
    int ignoredCount() const;

private:
    friend class IdTokenVerifier;
    struct Data;
    std::shared_ptr<const Data> m_d;
};

// Checks an OpenID Connect id_token from a SMART server: signature against the
// provider's JWKS, then iss, aud, exp, iat and sub. Pure and synchronous: the
// caller fetches the JWKS and hands its bytes to JsonWebKeySet::parse().
//
// Algorithms are allowed only as the selected key's kty permits: RSA keys
// verify RS256/RS384/RS512/PS256/PS384/PS512, EC P-256 keys ES256, EC P-384 keys
// ES384. `none` and every HS* are refused whatever the key set holds: a public
// client has no secret to share, and accepting HS256 against a published RSA
// key is the classic key-confusion forgery.
//
// Header parameters that point at other keys (jku, x5u, jwk, x5c) are ignored:
// only keys from the provider's own JWKS are ever used.
class IdTokenVerifier {
    Q_DECLARE_TR_FUNCTIONS(IdTokenVerifier)

public:
    // How far `exp`, `iat` and `nbf` may be off to allow for clock skew.
    static constexpr qint64 kLeewaySeconds = 300;

    // expectedIssuer: the issuer from discovery. Compared exactly, except that
    // one trailing '/' is stripped from both sides first: servers disagree on
    // whether their base URL ends in a slash, and a slash adds no authority.
    IdTokenVerifier(QString expectedIssuer, QString clientId, Clock clock = systemClock());

    // expectedSubject: when non-empty (the new id_token of a refresh
    // response), `sub` must equal it.
    Expected<IdTokenClaims, IdTokenError> verify(
        const QByteArray& compactJwt, const JsonWebKeySet& keys, const QString& expectedSubject = {}) const;

    // Who the id_token of a *refresh* response is for, read before anything else about it is checked: its
    // payload, unverified, against the connection's issuer, subject and fhirUser. A claim that differs is a
    // changed identity, a reason to end the grant even without a valid signature (it came from the token
    // endpoint over TLS). A claim that is absent tells nothing. Every other defect of such an id_token (no or
    // another `aud`, odd times, a bad or uncheckable signature) only means it is ignored: OpenID Connect Core
    // 3.1.3.7 lets the TLS channel to the token endpoint stand in for the signature, and the grant is kept.
    enum class Identity { Same, Changed, Unreadable };
    struct IdentityCheck {
        Identity verdict = Identity::Same;
        QString detail; // names the claim or the defect, never a value
    };
    // The resource a fhirUser claim names, "Type/id", whether the claim is absolute or relative.
    static QString fhirUserResource(const QString& fhirUser);
    static IdentityCheck compareIdentity(
        const QByteArray& compactJwt, const QString& issuer, const QString& subject, const QString& fhirUser);

    // The user-facing (translated) message for an error; the same text a
    // Failure from verify() or JsonWebKeySet::parse() carries.
    static QString userMessage(IdTokenError error);

private:
    QString m_expectedIssuer;
    QString m_clientId;
    Clock m_clock;
};

} // namespace ondevice::auth
