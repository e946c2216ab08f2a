// id_tokens and the JWKS they are checked against. The first byte picks how
// the rest is read:
//   0  a compact JWT, checked against the fixed key set below
//   1  "<JWKS JSON>\0<compact JWT>": the key set is parsed from the input too
//   2  "<header JSON>\0<payload JSON>": the harness signs them (RS256, fixed
//      key) so that the claim checks behind the signature are reached
//   3  as 2, on a refresh: the new id_token must keep the subject kFuzzSubject
// The clock is fixed, so that a replay gives the same answer every year.

#include "FuzzInput.h"

#include "auth/IdTokenVerifier.h"
#include "auth/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

using namespace ondevice;
using namespace ondevice::auth;

namespace {

// A throwaway test key made for this harness. It signs only fuzz inputs and
// is trusted by nothing but this file.
constexpr char kPrivateKeyPem[] = R"(
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCtjO3KGtuBbUzg
cLs2RQQCYoaaPNmpiYMu78z3NmGeqwvZxbSHKFbysrjxeigjVQZiHtBHvTQfLA4s
Extc5Vd3aQRqtd63NZIz1fIjwiR+9CTZ/5c1wKuskSbDsQHOZegV3Oamt6ZiFaM9
fbHaBmoSqi+szRHLrQNFCFj/Zlw/5Ggty65dxlt5e9KWdC9YfHUrEiRqYmG2GGJz
hCQs77RuWsT+Vy0Y7Cma5ErUpI6x4/ncHoB5gYPKsgAXwFtgyJ8NwmTw/odklCe7
o5ow+/D0xPxsvXH4XaSvgJEENR+hAtRXdaeqKnoVqcSgCqSY4IwaBwY4IA/lFkrv
mR1GECr3AgMBAAECggEADfHvAXha/vFbZgVo5ZlyEwb7rdUJ4FeOVO0r2Qljmq4/
y4XZVarmIaY+uhiItR4V3zh+n+USFRcjJGN8pWBAQPYNRs3KUYpabxPX2wu0hwbz
Fxk0ezs6ECmxpbPJY15I4cjYN7k2A1edwEkjS1OMnmdSYV4w+d6zDo73J75/1xpP
ZXXj8GPT2DtbsS3M+96HWh6HV3r5G4Igj3xkEugCfZY8rpI7hPutqGiRiHTB0d1F
+mMEuWLwvT/ln3duoLD4wje/LIr5zwes8P7jAKc4qthRFufAE5u6jN1D8j4XqHQ6
FemdqnWNfXZYEhA0qMorb4esC6XQ12ei4NUgz1vV0QKBgQDbwDwhFNQQJHO/0nmX
3J962EPkOnAqoDcTPdIUGdkitZn5vwQrbgZKCVme/4rGpZ/7t3oSwCZ6xRfin700
tWbVUSZSCMlysAUxIMeV4REw5odyGCNZpr5qjQDrEZfPhcyjpwY0T91Y+xmbqXuv
YxY66WcK8L2KDF7DsUBd1WWjxQKBgQDKLbeKpWvRNibl6uT/0zJ6iPeZP0r0jvcu
qEfQhZ47HJIDsn6PXb0BsO9m2SuPh01udRklE06uZYjdCbR9SwyL151FKNs5v6re
dboVpBrpLfxmr5DoardU8NMHr22tIF7OF/9FQ2TCECr4CbLlmva9OWs1KYryGUCz
2SHty0AziwKBgAxRuI06N7E3+e01BXAIBEDEwvmWdRdOqAfCHXbXBB84AwvHM5qj
rmKUJ5wMQ2Fjg5Z+8K8AaqfTSMWBov/Dc6JdzEIpD/IIACKC7e1vEqGlKs6wn7q0
6FPc18JV2CbgH1rFUEm6eHQ2j3b0h2SLr4FZ+FbarCWDEAT0eOFJx0rpAoGBAKCS
Yp1Y+CJ20bn1Lt8Hi6XKNmud2xgUm7iQqkiwdpUYAdex4dZXao93SQv0GyapHRRH
KCtMBEd6GJME7DY+br56BkwxQLvCwCBie+JILZ9YiIe9lGciqmxpwBDwgTjo5qLk
aDdIaTO/x4Cro0u8IY7zlXPphJL2/25XWx0TOfA1AoGBAKasyj/ISj0zsSDU5lqh
f4RjYiEzTb4eb793GVWHhD6/ML3op1NhlLJf25ShQsc3lR/dsFCBDzohBZxi2ORi
9+BzAoY+l6nMwj8b51EH/v4zbA8g27PP8evMV2skX8xStIlWNWXOGEXeS36uHBpG
Rr1SmQ2BqVt90XOA0r2ixV7O
-----END PRIVATE KEY-----
)";

constexpr char kKid[] = "fuzz-rs256";
const QString kIssuer = QStringLiteral("https://ehr.example/fhir");
const QString kClientId = QStringLiteral("ondevice-demo");
const QString kFuzzSubject = QStringLiteral("patient-subject-1");
// 2026-11-28T12:00:00Z; the seeds' exp/iat are around it.
const QDateTime kNow(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

struct Fixture {
    std::shared_ptr<EVP_PKEY> key;
    QByteArray jwks;
    JsonWebKeySet keys;
};

QByteArray bigEndianParam(EVP_PKEY* key, const char* name)
{
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1)
        fuzz::broken("cannot read the fixed key");
    QByteArray out(BN_num_bytes(number), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(number);
    return out;
}

const Fixture& fixture()
{
    static const Fixture f = [] {
        Fixture made;
        BIO* bio = BIO_new_mem_buf(kPrivateKeyPem, -1);
        made.key.reset(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr), EVP_PKEY_free);
        BIO_free(bio);
        if (!made.key)
            fuzz::broken("cannot load the fixed key");
        const QJsonObject jwk {
            { QStringLiteral("kty"), QStringLiteral("RSA") },
            { QStringLiteral("kid"), QLatin1String(kKid) },
            { QStringLiteral("use"), QStringLiteral("sig") },
            { QStringLiteral("alg"), QStringLiteral("RS256") },
            { QStringLiteral("n"),
                QString::fromLatin1(base64UrlEncode(bigEndianParam(made.key.get(), OSSL_PKEY_PARAM_RSA_N))) },
            { QStringLiteral("e"),
                QString::fromLatin1(base64UrlEncode(bigEndianParam(made.key.get(), OSSL_PKEY_PARAM_RSA_E))) },
        };
        made.jwks = QJsonDocument(QJsonObject { { QStringLiteral("keys"), QJsonArray { jwk } } })
                        .toJson(QJsonDocument::Compact);
        auto parsed = JsonWebKeySet::parse(made.jwks);
        if (!parsed || parsed.value().size() != 1)
            fuzz::broken("the fixed JWKS does not parse");
        made.keys = std::move(parsed).value();
        return made;
    }();
    return f;
}

QByteArray signRs256(const QByteArray& signingInput)
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t length = 0;
    const auto* input = reinterpret_cast<const unsigned char*>(signingInput.constData());
    const auto inputLength = static_cast<size_t>(signingInput.size());
    if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, fixture().key.get()) != 1
        || EVP_DigestSign(context.get(), nullptr, &length, input, inputLength) != 1)
        fuzz::broken("cannot sign");
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, input, inputLength)
        != 1)
        fuzz::broken("cannot sign");
    signature.truncate(static_cast<qsizetype>(length));
    return signature;
}

QString withoutTrailingSlash(const QString& url)
{
    return url.endsWith(QLatin1Char('/')) ? url.chopped(1) : url;
}

// What a success promises, whatever the input.
void checkAccepted(const QByteArray& token, const IdTokenClaims& claims, const QString& expectedSubject)
{
    const auto jws = parseCompactJws(token);
    fuzz::require(jws.ok(), "an accepted token parses");
    const QString alg = jws.value().header.value(QLatin1String("alg")).toString();
    fuzz::require(alg.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0
            && !alg.startsWith(QLatin1String("HS"), Qt::CaseInsensitive),
        "alg none and HS* are never accepted");
    fuzz::require(!jws.value().header.contains(QLatin1String("crit")), "crit is never accepted");
    fuzz::require(withoutTrailingSlash(claims.issuer) == withoutTrailingSlash(kIssuer), "iss is the issuer");
    fuzz::require(claims.audience.contains(kClientId), "aud holds the client id");
    fuzz::require(claims.expiresAt.isValid() && claims.expiresAt.addSecs(IdTokenVerifier::kLeewaySeconds) >= kNow,
        "not expired beyond the leeway");
    fuzz::require(claims.issuedAt.isValid() && claims.issuedAt.addSecs(-IdTokenVerifier::kLeewaySeconds) <= kNow,
        "not issued in the future beyond the leeway");
    if (!expectedSubject.isEmpty())
        fuzz::require(claims.subject == expectedSubject, "a refreshed id_token keeps its subject");
}

void verify(const QByteArray& token, const JsonWebKeySet& keys, const QString& expectedSubject = {})
{
    const IdTokenVerifier verifier(kIssuer, kClientId, [] { return kNow; });
    const auto result = verifier.verify(token, keys, expectedSubject);
    if (result)
        checkAccepted(token, result.value(), expectedSubject);
    else
        fuzz::require(!IdTokenVerifier::userMessage(result.code()).isEmpty(), "every failure has a user message");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const int mode = data[0] % 4;
    const QByteArray rest = fuzz::bytes(data + 1, size - 1);
    switch (mode) {
    case 0:
        verify(rest, fixture().keys);
        break;
    case 1: {
        const auto [jwks, token] = fuzz::splitAtNul(rest);
        const auto keys = JsonWebKeySet::parse(jwks);
        if (!keys)
            break;
        fuzz::require(!keys.value().isEmpty(), "a parsed key set has a usable key");
        fuzz::require(keys.value().keyIds().size() == keys.value().size(), "one kid entry per key");
        verify(token, keys.value());
        break;
    }
    default: {
        const auto [header, payload] = fuzz::splitAtNul(rest);
        const QByteArray signingInput = base64UrlEncode(header) + '.' + base64UrlEncode(payload);
        const QByteArray token = signingInput + '.' + base64UrlEncode(signRs256(signingInput));
        verify(token, fixture().keys, mode == 3 ? kFuzzSubject : QString());
        break;
    }
    }
    return 0;
}
