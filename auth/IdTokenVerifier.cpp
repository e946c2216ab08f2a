#include "IdTokenVerifier.h"

#include "Jwt.h"
#include "Logging.h"
#include "core/Jose.h"
#include "core/OpenSsl.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <array>
#include <cmath>
#include <optional>
#include <vector>

namespace ondevice::auth {

namespace detail {

// Internal to this file; a named namespace only so that JsonWebKeySet::Data
// (which has external linkage) may hold it.
enum class KeyType { Rsa, EcP256, EcP384 };

struct VerificationKey {
    QString kid; // "" when the JWK has none
    KeyType type;
    QString alg; // the JWK's own `alg`, "" when absent
    std::shared_ptr<EVP_PKEY> pkey;
};

} // namespace detail

struct JsonWebKeySet::Data {
    std::vector<detail::VerificationKey> keys;
    int ignored = 0;
};

namespace {

using detail::KeyType;
using detail::VerificationKey;
using jose::decodeMember;
using jose::publicKeyFromParams;
using jose::takeOpenSslError;

enum class Scheme { Pkcs1, Pss, Ecdsa };

struct Algorithm {
    const char* name;
    KeyType keyType;
    const EVP_MD* (*digest)();
    Scheme scheme;
    int ecCoordinateBytes; // ES*: the size of r and of s in the raw signature
};

// Every algorithm we accept, and the one key type that may verify it.
// Deliberately no HS* (symmetric: a public client has no shared secret)
// and no `none`.
constexpr std::array<Algorithm, 8> kAlgorithms { {
    { "RS256", KeyType::Rsa, EVP_sha256, Scheme::Pkcs1, 0 },
    { "RS384", KeyType::Rsa, EVP_sha384, Scheme::Pkcs1, 0 },
    { "RS512", KeyType::Rsa, EVP_sha512, Scheme::Pkcs1, 0 },
    { "PS256", KeyType::Rsa, EVP_sha256, Scheme::Pss, 0 },
    { "PS384", KeyType::Rsa, EVP_sha384, Scheme::Pss, 0 },
    { "PS512", KeyType::Rsa, EVP_sha512, Scheme::Pss, 0 },
    { "ES256", KeyType::EcP256, EVP_sha256, Scheme::Ecdsa, 32 },
    { "ES384", KeyType::EcP384, EVP_sha384, Scheme::Ecdsa, 48 },
} };

const Algorithm* findAlgorithm(const QString& name)
{
    for (const Algorithm& algorithm : kAlgorithms) {
        if (name == QLatin1String(algorithm.name))
            return &algorithm;
    }
    return nullptr;
}

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Rsa:
        return QStringLiteral("RSA");
    case KeyType::EcP256:
        return QStringLiteral("EC P-256");
    case KeyType::EcP384:
        return QStringLiteral("EC P-384");
    }
    return {};
}

// RSA below 2048 bits is breakable; above 8192 bits the public-key checks
// and each verification get slow enough to be a denial of service.
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;

// kid and alg come from the token or the key set, so they are attacker
// controlled: clip them before they go into a detail that may be logged.
QString clip(const QString& text)
{
    constexpr qsizetype kMax = 40;
    if (text.size() <= kMax)
        return text;
    return QString(text.left(kMax) + QStringLiteral("..."));
}

// For values that may identify the patient or carry patient ids in a URL
// (iss, sub): enough to tell two values apart in a log, nothing more.
QString shortHash(const QString& text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex().left(8));
}

QString describe(const QString& text)
{
    return QStringLiteral("length %1, sha256 %2").arg(text.size()).arg(shortHash(text));
}

const unsigned char* bytes(const QByteArray& data)
{
    return reinterpret_cast<const unsigned char*>(data.constData());
}

OpenSslPtr<BIGNUM> bignum(const QByteArray& bigEndian)
{
    return OpenSslPtr<BIGNUM>(BN_bin2bn(bytes(bigEndian), static_cast<int>(bigEndian.size()), nullptr));
}

OpenSslPtr<EVP_PKEY> rsaKey(const QJsonObject& jwk, QString* why)
{
    const QByteArray n = decodeMember(jwk, "n", why);
    if (n.isEmpty())
        return {};
    const QByteArray e = decodeMember(jwk, "e", why);
    if (e.isEmpty())
        return {};
    // Bound the sizes before OpenSSL does any arithmetic on them (one
    // leading zero byte on n is tolerated).
    if (n.size() > kMaxRsaBits / 8 + 1 || e.size() > 32) {
        *why = QStringLiteral("modulus or exponent too large");
        return {};
    }
    const OpenSslPtr<BIGNUM> modulus = bignum(n);
    const OpenSslPtr<BIGNUM> exponent = bignum(e);
    const OpenSslPtr<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!modulus || !exponent || !builder
        || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1
        || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
        *why = QStringLiteral("OpenSSL setup failed: ") + takeOpenSslError();
        return {};
    }
    OpenSslPtr<EVP_PKEY> key = publicKeyFromParams("RSA", builder.get(), why);
    if (!key)
        return {};
    const int bits = EVP_PKEY_get_bits(key.get());
    if (bits < kMinRsaBits || bits > kMaxRsaBits) {
        *why = QStringLiteral("RSA modulus of %1 bits, outside %2 to %3").arg(bits).arg(kMinRsaBits).arg(kMaxRsaBits);
        return {};
    }
    return key;
}

OpenSslPtr<EVP_PKEY> ecKey(const QJsonObject& jwk, KeyType* type, QString* why)
{
    // A published signing key is public only: a JWKS entry with `d` is refused with the rest (core/Jose).
    jose::Curve curve = jose::Curve::P256;
    OpenSslPtr<EVP_PKEY> key = jose::ecPublicKey(jwk, &curve, why);
    if (key)
        *type = curve == jose::Curve::P256 ? KeyType::EcP256 : KeyType::EcP384;
    return key;
}

// One entry of the JWKS `keys` array, or nullopt with the reason in *why.
std::optional<VerificationKey> parseJwk(const QJsonValue& entry, QString* why)
{
    if (!entry.isObject()) {
        *why = QStringLiteral("not an object");
        return std::nullopt;
    }
    const QJsonObject jwk = entry.toObject();

    const QJsonValue kid = jwk.value(QLatin1String("kid"));
    if (!kid.isUndefined() && !kid.isString()) {
        *why = QStringLiteral("kid is not a string");
        return std::nullopt;
    }
    const QJsonValue alg = jwk.value(QLatin1String("alg"));
    if (!alg.isUndefined() && !alg.isString()) {
        *why = QStringLiteral("alg is not a string");
        return std::nullopt;
    }
    const QJsonValue use = jwk.value(QLatin1String("use"));
    if (!use.isUndefined() && use.toString() != QLatin1String("sig")) {
        *why = QStringLiteral("use is not \"sig\"");
        return std::nullopt;
    }
    const QJsonValue keyOps = jwk.value(QLatin1String("key_ops"));
    if (!keyOps.isUndefined() && !keyOps.toArray().contains(QJsonValue(QStringLiteral("verify")))) {
        *why = QStringLiteral("key_ops does not include \"verify\"");
        return std::nullopt;
    }

    VerificationKey key;
    key.kid = kid.toString();
    key.alg = alg.toString();
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    OpenSslPtr<EVP_PKEY> pkey;
    if (kty == QLatin1String("RSA")) {
        key.type = KeyType::Rsa;
        pkey = rsaKey(jwk, why);
    } else if (kty == QLatin1String("EC")) {
        pkey = ecKey(jwk, &key.type, why);
    } else {
        // Notably `oct`: a symmetric key has no place in a public client.
        *why = QStringLiteral("kty \"%1\" not accepted").arg(clip(kty));
        return std::nullopt;
    }
    if (!pkey)
        return std::nullopt;
    key.pkey = std::shared_ptr<EVP_PKEY>(pkey.release(), OpenSslFree {});
    return key;
}

bool verifySignature(
    const Algorithm& algorithm, EVP_PKEY* key, const QByteArray& input, const QByteArray& signature, QString* why)
{
    if (algorithm.scheme == Scheme::Ecdsa) {
        // Only a key of the algorithm's own type gets here: ES256 on P-256, ES384 on P-384.
        const jose::Curve curve = algorithm.ecCoordinateBytes == 32 ? jose::Curve::P256 : jose::Curve::P384;
        return jose::verifyEcdsa(key, curve, input, signature, why);
    }
    if (signature.size() != EVP_PKEY_get_size(key)) {
        *why = QStringLiteral("RSA signature is %1 bytes, the modulus %2")
                   .arg(signature.size())
                   .arg(EVP_PKEY_get_size(key));
        return false;
    }

    const OpenSslPtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
    EVP_PKEY_CTX* keyContext = nullptr; // owned by context
    if (!context || EVP_DigestVerifyInit(context.get(), &keyContext, algorithm.digest(), nullptr, key) != 1) {
        *why = QStringLiteral("OpenSSL setup failed: ") + takeOpenSslError();
        return false;
    }
    bool paddingSet = true;
    if (algorithm.scheme == Scheme::Pkcs1) {
        paddingSet = EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) > 0;
    } else if (algorithm.scheme == Scheme::Pss) {
        // RFC 7518 section 3.5: MGF1 with the same hash, salt as long as the hash.
        paddingSet = EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) > 0
            && EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, algorithm.digest()) > 0
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) > 0;
    }
    if (!paddingSet) {
        *why = QStringLiteral("OpenSSL padding setup failed: ") + takeOpenSslError();
        return false;
    }
    const int result = EVP_DigestVerify(context.get(), bytes(signature), static_cast<size_t>(signature.size()),
        bytes(input), static_cast<size_t>(input.size()));
    if (result != 1) {
        // 0 is a plain mismatch; below 0 OpenSSL could not even decide (a
        // malformed DER, an r or s out of range): a bad signature either way.
        *why = result == 0 ? QStringLiteral("signature does not verify")
                           : QString(QStringLiteral("signature rejected: ") + takeOpenSslError());
        ERR_clear_error();
        return false;
    }
    return true;
}

// A JWT NumericDate (RFC 7519 section 2): seconds since the epoch, possibly
// fractional. Bounded to years 1970..9999 so the conversion can't overflow.
std::optional<QDateTime> numericDate(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0)
        return std::nullopt;
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::floor(seconds * 1000.0)), Qt::UTC);
}

QString withoutTrailingSlash(const QString& url)
{
    return url.endsWith(QLatin1Char('/')) ? url.chopped(1) : url;
}

} // namespace

QString errorName(IdTokenError error)
{
    switch (error) {
    case IdTokenError::Malformed:
        return QStringLiteral("Malformed");
    case IdTokenError::UnsupportedAlgorithm:
        return QStringLiteral("UnsupportedAlgorithm");
    case IdTokenError::UnknownKey:
        return QStringLiteral("UnknownKey");
    case IdTokenError::BadSignature:
        return QStringLiteral("BadSignature");
    case IdTokenError::WrongIssuer:
        return QStringLiteral("WrongIssuer");
    case IdTokenError::WrongAudience:
        return QStringLiteral("WrongAudience");
    case IdTokenError::Expired:
        return QStringLiteral("Expired");
    case IdTokenError::NotYetValid:
        return QStringLiteral("NotYetValid");
    case IdTokenError::SubjectChanged:
        return QStringLiteral("SubjectChanged");
    case IdTokenError::BadKeySet:
        return QStringLiteral("BadKeySet");
    }
    return QStringLiteral("IdTokenError(%1)").arg(static_cast<int>(error));
}

QString IdTokenVerifier::userMessage(IdTokenError error)
{
    switch (error) {
    case IdTokenError::Malformed:
        return tr("The provider sent an identity token that could not be read.");
    case IdTokenError::UnsupportedAlgorithm:
        return tr("The provider's identity token is signed in a way this app does not accept.");
    case IdTokenError::UnknownKey:
        return tr("The provider's identity token was signed with a key the provider does not publish.");
    case IdTokenError::BadSignature:
        return tr("The provider's identity token was not signed by the provider's published key.");
    case IdTokenError::WrongIssuer:
        return tr("The identity token came from a different server than the provider you connected to.");
    case IdTokenError::WrongAudience:
        return tr("The provider's identity token was issued for a different app.");
    case IdTokenError::Expired:
        return tr("The provider's identity token has expired. Check that your computer's date and time are correct.");
    case IdTokenError::NotYetValid:
        return tr("The provider's identity token is dated in the future. Check that your computer's date and time "
                  "are correct.");
    case IdTokenError::SubjectChanged:
        return tr("The provider signed in a different person than the one this connection belongs to.");
    case IdTokenError::BadKeySet:
        return tr("The provider's published signing keys could not be used.");
    }
    return tr("The provider's identity token could not be checked.");
}

namespace {

Failure<IdTokenError> idTokenFailure(IdTokenError code, QString detail)
{
    qCDebug(lcAuth).noquote() << "id_token or key set rejected:" << errorName(code) << "-" << detail;
    return { code, IdTokenVerifier::userMessage(code), std::move(detail) };
}

} // namespace

JsonWebKeySet::JsonWebKeySet()
    : m_d(std::make_shared<const Data>())
{
}

qsizetype JsonWebKeySet::size() const
{
    return static_cast<qsizetype>(m_d->keys.size());
}

QStringList JsonWebKeySet::keyIds() const
{
    QStringList ids;
    for (const VerificationKey& key : m_d->keys)
        ids << key.kid;
    return ids;
}

int JsonWebKeySet::ignoredCount() const
{
    return m_d->ignored;
}

Expected<JsonWebKeySet, IdTokenError> JsonWebKeySet::parse(const QByteArray& json)
{
    if (json.size() > kMaxDocumentBytes)
        return idTokenFailure(IdTokenError::BadKeySet,
            QStringLiteral("JWKS is %1 bytes, over the %2-byte limit").arg(json.size()).arg(kMaxDocumentBytes));

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return idTokenFailure(IdTokenError::BadKeySet, QStringLiteral("JWKS is not a JSON object"));
    const QJsonValue keys = document.object().value(QLatin1String("keys"));
    if (!keys.isArray())
        return idTokenFailure(IdTokenError::BadKeySet, QStringLiteral("JWKS has no \"keys\" array"));

    auto data = std::make_shared<Data>();
    QStringList ignoredReasons;
    const QJsonArray entries = keys.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QString why;
        std::optional<VerificationKey> key = parseJwk(entries.at(i), &why);
        if (key) {
            data->keys.push_back(std::move(*key));
        } else {
            ++data->ignored;
            const QString kid = entries.at(i).toObject().value(QLatin1String("kid")).toString();
            ignoredReasons << QStringLiteral("#%1 (kid \"%2\"): %3").arg(i).arg(clip(kid), why);
        }
    }
    if (!ignoredReasons.isEmpty())
        qCDebug(lcAuth).noquote() << "JWKS entries ignored:" << ignoredReasons.join(QStringLiteral("; "));
    if (data->keys.empty())
        return idTokenFailure(IdTokenError::BadKeySet,
            entries.isEmpty() ? QStringLiteral("JWKS \"keys\" array is empty")
                              : QStringLiteral("JWKS has no usable signing key among %1 entries: %2")
                                    .arg(entries.size())
                                    .arg(ignoredReasons.join(QStringLiteral("; "))));

    JsonWebKeySet set;
    set.m_d = std::move(data);
    return set;
}

IdTokenVerifier::IdTokenVerifier(QString expectedIssuer, QString clientId, Clock clock)
    : m_expectedIssuer(std::move(expectedIssuer))
    , m_clientId(std::move(clientId))
    , m_clock(std::move(clock))
{
}

QString IdTokenVerifier::fhirUserResource(const QString& fhirUser)
{
    const QStringList parts = fhirUser.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return parts.sliced(std::max<qsizetype>(0, parts.size() - 2)).join(QLatin1Char('/'));
}

IdTokenVerifier::IdentityCheck IdTokenVerifier::compareIdentity(
    const QByteArray& compactJwt, const QString& issuer, const QString& subject, const QString& fhirUser)
{
    const auto parsed = parseCompactJws(compactJwt);
    if (!parsed)
        return { Identity::Unreadable, parsed.failure().detail };
    const QJsonObject& payload = parsed.value().payload;
    // A claim of the wrong JSON type is unreadable, not a different identity.
    const auto claim = [&payload](const char* name, bool* wrongType) {
        const QJsonValue v = payload.value(QLatin1String(name));
        *wrongType = !v.isUndefined() && !v.isNull() && !v.isString();
        return v.toString();
    };
    bool wrong = false;
    const QString iss = claim("iss", &wrong);
    if (wrong)
        return { Identity::Unreadable, QStringLiteral("\"iss\" is not a string") };
    if (!iss.isEmpty() && withoutTrailingSlash(iss) != withoutTrailingSlash(issuer))
        return { Identity::Changed,
            QStringLiteral("iss (%1) is not the connection's issuer (%2)").arg(describe(iss), describe(issuer)) };
    const QString sub = claim("sub", &wrong);
    if (wrong)
        return { Identity::Unreadable, QStringLiteral("\"sub\" is not a string") };
    if (!sub.isEmpty() && !subject.isEmpty() && sub != subject)
        return { Identity::Changed,
            QStringLiteral("sub (%1) is not the connection's (%2)").arg(describe(sub), describe(subject)) };
    const QString user = claim("fhirUser", &wrong);
    if (wrong)
        return { Identity::Unreadable, QStringLiteral("\"fhirUser\" is not a string") };
    // fhirUser may be absolute or relative: the resource it names ("Patient/123") is what must stay the same;
    // the server is already pinned by iss.
    if (!user.isEmpty() && !fhirUser.isEmpty() && fhirUserResource(user) != fhirUserResource(fhirUser))
        return { Identity::Changed,
            QStringLiteral("fhirUser (%1) is not the connection's (%2)").arg(describe(user), describe(fhirUser)) };
    return { Identity::Same, {} };
}

Expected<IdTokenClaims, IdTokenError> IdTokenVerifier::verify(
    const QByteArray& compactJwt, const JsonWebKeySet& keys, const QString& expectedSubject) const
{
    using E = IdTokenError;

    // 1. Shape. Nothing from the token is trusted until the signature checks.
    auto parsed = parseCompactJws(compactJwt);
    if (!parsed)
        return idTokenFailure(E::Malformed, parsed.failure().detail);
    const CompactJws jws = std::move(parsed).value();

    // RFC 7515 section 4.1.11: an extension we don't understand listed in
    // `crit` makes the token invalid, and we understand none.
    if (jws.header.contains(QLatin1String("crit")))
        return idTokenFailure(E::Malformed, QStringLiteral("header has \"crit\"; no JWS extensions are supported"));

    // 2. Algorithm. `none` and HS* are refused before any key is looked at.
    const QJsonValue algValue = jws.header.value(QLatin1String("alg"));
    if (!algValue.isString())
        return idTokenFailure(E::Malformed, QStringLiteral("header has no string \"alg\""));
    const QString alg = algValue.toString();
    if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0
        || alg.startsWith(QLatin1String("HS"), Qt::CaseInsensitive))
        return idTokenFailure(E::UnsupportedAlgorithm, QStringLiteral("alg \"%1\" is never accepted").arg(clip(alg)));
    const Algorithm* algorithm = findAlgorithm(alg);
    if (!algorithm)
        return idTokenFailure(E::UnsupportedAlgorithm, QStringLiteral("alg \"%1\" is not supported").arg(clip(alg)));

    // 3. Key. By kid; without a kid only when exactly one key could verify
    // this algorithm, so that which key is used never depends on order.
    const QJsonValue kidValue = jws.header.value(QLatin1String("kid"));
    if (!kidValue.isUndefined() && (!kidValue.isString() || kidValue.toString().isEmpty()))
        return idTokenFailure(E::Malformed, QStringLiteral("header \"kid\" is not a non-empty string"));
    const bool hasKid = kidValue.isString();
    const QString kid = kidValue.toString();
    if (keys.isEmpty())
        return idTokenFailure(E::BadKeySet, QStringLiteral("the key set is empty"));

    std::vector<const VerificationKey*> sameKid;
    std::vector<const VerificationKey*> usable;
    for (const VerificationKey& key : keys.m_d->keys) {
        if (hasKid && key.kid != kid)
            continue;
        sameKid.push_back(&key);
        if (key.type == algorithm->keyType)
            usable.push_back(&key);
    }
    if (hasKid && sameKid.empty())
        return idTokenFailure(E::UnknownKey,
            QStringLiteral("no key with kid \"%1\" among %2 usable keys").arg(clip(kid)).arg(keys.size()));
    if (usable.empty()) {
        if (hasKid)
            return idTokenFailure(E::UnsupportedAlgorithm,
                QStringLiteral("alg %1 needs an %2 key, kid \"%3\" is %4")
                    .arg(alg, keyTypeName(algorithm->keyType), clip(kid), keyTypeName(sameKid.front()->type)));
        return idTokenFailure(E::UnknownKey,
            QStringLiteral("no kid, and no %1 key for alg %2").arg(keyTypeName(algorithm->keyType), alg));
    }
    if (usable.size() > 1)
        return idTokenFailure(E::UnknownKey,
            hasKid ? QStringLiteral("%1 %2 keys share kid \"%3\"")
                         .arg(usable.size())
                         .arg(keyTypeName(algorithm->keyType), clip(kid))
                   : QStringLiteral("no kid, and %1 %2 keys to choose from")
                         .arg(usable.size())
                         .arg(keyTypeName(algorithm->keyType)));
    const VerificationKey& key = *usable.front();
    if (!key.alg.isEmpty() && key.alg != alg)
        return idTokenFailure(E::UnsupportedAlgorithm,
            QStringLiteral("header alg %1, but the key (kid \"%2\") is for %3").arg(alg, clip(key.kid), clip(key.alg)));

    // 4. Signature.
    QString why;
    if (!verifySignature(*algorithm, key.pkey.get(), jws.signingInput, jws.signature, &why))
        return idTokenFailure(E::BadSignature, QStringLiteral("%1 with kid \"%2\": %3").arg(alg, clip(key.kid), why));

    // 5. Claims. The payload is now the provider's own statement.
    const QJsonObject& payload = jws.payload;

    const QString issuer = payload.value(QLatin1String("iss")).toString();
    if (issuer.isEmpty())
        return idTokenFailure(E::Malformed, QStringLiteral("\"iss\" is missing or not a string"));
    if (m_expectedIssuer.isEmpty() || withoutTrailingSlash(issuer) != withoutTrailingSlash(m_expectedIssuer)) {
        const bool caseOnly
            = withoutTrailingSlash(issuer).compare(withoutTrailingSlash(m_expectedIssuer), Qt::CaseInsensitive) == 0;
        // Issuers are URLs that may carry patient ids: hashes, not values.
        return idTokenFailure(E::WrongIssuer,
            QStringLiteral("iss (%1) is not the expected issuer (%2)%3")
                .arg(describe(issuer), describe(m_expectedIssuer),
                    caseOnly ? QStringLiteral(", they differ only in letter case") : QString()));
    }

    QStringList audience;
    const QJsonValue aud = payload.value(QLatin1String("aud"));
    if (aud.isString()) {
        audience << aud.toString();
    } else if (aud.isArray()) {
        for (const auto& entry : aud.toArray()) {
            if (!entry.isString())
                return idTokenFailure(E::Malformed, QStringLiteral("\"aud\" array holds a non-string"));
            audience << entry.toString();
        }
    } else {
        return idTokenFailure(E::Malformed, QStringLiteral("\"aud\" is missing or neither a string nor an array"));
    }
    if (m_clientId.isEmpty() || !audience.contains(m_clientId))
        return idTokenFailure(E::WrongAudience,
            QStringLiteral("\"aud\" (%1 entries) does not contain the client_id").arg(audience.size()));
    // OpenID Connect Core 3.1.3.7: when present, the authorized party must be us.
    const QJsonValue azp = payload.value(QLatin1String("azp"));
    if (!azp.isUndefined() && azp.toString() != m_clientId)
        return idTokenFailure(E::WrongAudience, QStringLiteral("\"azp\" is not the client_id"));

    const std::optional<QDateTime> expiresAt = numericDate(payload.value(QLatin1String("exp")));
    if (!expiresAt)
        return idTokenFailure(E::Malformed, QStringLiteral("\"exp\" is missing or not a valid NumericDate"));
    const std::optional<QDateTime> issuedAt = numericDate(payload.value(QLatin1String("iat")));
    if (!issuedAt)
        return idTokenFailure(E::Malformed, QStringLiteral("\"iat\" is missing or not a valid NumericDate"));
    const QJsonValue nbfValue = payload.value(QLatin1String("nbf"));
    const std::optional<QDateTime> notBefore = numericDate(nbfValue);
    if (!nbfValue.isUndefined() && !notBefore)
        return idTokenFailure(E::Malformed, QStringLiteral("\"nbf\" is not a valid NumericDate"));

    const QDateTime now = m_clock().toUTC();
    if (expiresAt->addSecs(kLeewaySeconds) < now)
        return idTokenFailure(E::Expired,
            QStringLiteral("exp %1 is more than %2 s before now (%3)")
                .arg(expiresAt->toString(Qt::ISODate))
                .arg(kLeewaySeconds)
                .arg(now.toString(Qt::ISODate)));
    if (issuedAt->addSecs(-kLeewaySeconds) > now)
        return idTokenFailure(E::NotYetValid,
            QStringLiteral("iat %1 is more than %2 s after now (%3)")
                .arg(issuedAt->toString(Qt::ISODate))
                .arg(kLeewaySeconds)
                .arg(now.toString(Qt::ISODate)));
    if (notBefore && notBefore->addSecs(-kLeewaySeconds) > now)
        return idTokenFailure(E::NotYetValid,
            QStringLiteral("nbf %1 is more than %2 s after now (%3)")
                .arg(notBefore->toString(Qt::ISODate))
                .arg(kLeewaySeconds)
                .arg(now.toString(Qt::ISODate)));

    const QString subject = payload.value(QLatin1String("sub")).toString();
    if (subject.isEmpty())
        return idTokenFailure(E::Malformed, QStringLiteral("\"sub\" is missing or not a string"));
    if (!expectedSubject.isEmpty() && subject != expectedSubject)
        // sub identifies the person: hashes only.
        return idTokenFailure(E::SubjectChanged,
            QStringLiteral("sub (%1) is not the connection's subject (%2)")
                .arg(describe(subject), describe(expectedSubject)));

    const QJsonValue fhirUser = payload.value(QLatin1String("fhirUser"));
    if (!fhirUser.isUndefined() && !fhirUser.isString())
        return idTokenFailure(E::Malformed, QStringLiteral("\"fhirUser\" is not a string"));

    IdTokenClaims claims;
    claims.issuer = issuer;
    claims.subject = subject;
    claims.audience = audience;
    claims.expiresAt = *expiresAt;
    claims.issuedAt = *issuedAt;
    claims.fhirUser = fhirUser.toString();
    claims.raw = payload;
    qCDebug(lcAuth) << "id_token verified:" << alg << "length" << compactJwt.size();
    return claims;
}

} // namespace ondevice::auth
