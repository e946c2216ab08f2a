#include "auth/IdTokenVerifier.h"
#include "auth/Jwt.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <memory>

using namespace ondevice;
using namespace ondevice::auth;

// QCOMPARE on the error code prints its name.
namespace QTest {
template <> char* toString(const IdTokenError& error)
{
    return qstrdup(qPrintable(ondevice::auth::errorName(error)));
}
} // namespace QTest

// Real keys, real signatures: every token here is signed by OpenSSL in the
// test, the way a provider would sign it, and verified against a JWKS built
// from the same keys. Only the clock is fixed.

namespace {

const QDateTime kNow(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
const QString kIssuer = QStringLiteral("https://ehr.example/fhir");
const QString kClientId = QStringLiteral("ondevice-demo");
const QString kSubject = QStringLiteral("d5f1c8e2-patient-subject");

// QVERIFY2 evaluates its message even when the check passes, so it must not
// call failure() on a success.
template <typename T, typename Code> QByteArray why(const ondevice::Expected<T, Code>& result)
{
    return result.ok() ? QByteArray() : result.failure().detail.toUtf8();
}

constexpr int kOk = -1; // "expected" column: verification succeeds

using Key = std::shared_ptr<EVP_PKEY>;

Key adopt(EVP_PKEY* key)
{
    return { key, [](EVP_PKEY* k) { EVP_PKEY_free(k); } };
}

Key generateRsa(int bits)
{
    return adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
}

Key generateEc(const char* curve)
{
    return adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
}

const unsigned char* bytes(const QByteArray& data)
{
    return reinterpret_cast<const unsigned char*>(data.constData());
}

// A big-endian number parameter of a key; padTo > 0 gives a fixed width.
QByteArray numberParam(const Key& key, const char* name, int padTo = 0)
{
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key.get(), name, &number) != 1)
        return {};
    QByteArray out(padTo > 0 ? padTo : BN_num_bytes(number), '\0');
    BN_bn2binpad(number, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    BN_free(number);
    return out;
}

QByteArray publicPem(const Key& key)
{
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key.get());
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, static_cast<qsizetype>(length));
    BIO_free(bio);
    return pem;
}

QJsonObject rsaJwk(const Key& key, const QString& kid, const QString& alg = {})
{
    QJsonObject jwk { { QStringLiteral("kty"), QStringLiteral("RSA") },
        { QStringLiteral("use"), QStringLiteral("sig") },
        { QStringLiteral("n"), QString::fromLatin1(base64UrlEncode(numberParam(key, OSSL_PKEY_PARAM_RSA_N))) },
        { QStringLiteral("e"), QString::fromLatin1(base64UrlEncode(numberParam(key, OSSL_PKEY_PARAM_RSA_E))) } };
    if (!kid.isEmpty())
        jwk.insert(QStringLiteral("kid"), kid);
    if (!alg.isEmpty())
        jwk.insert(QStringLiteral("alg"), alg);
    return jwk;
}

QJsonObject ecJwk(const Key& key, const QString& kid, const QString& curve = QStringLiteral("P-256"))
{
    const int size = curve == QLatin1String("P-384") ? 48 : 32;
    QJsonObject jwk { { QStringLiteral("kty"), QStringLiteral("EC") }, { QStringLiteral("crv"), curve },
        { QStringLiteral("x"), QString::fromLatin1(base64UrlEncode(numberParam(key, OSSL_PKEY_PARAM_EC_PUB_X, size))) },
        { QStringLiteral("y"),
            QString::fromLatin1(base64UrlEncode(numberParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, size))) } };
    if (!kid.isEmpty())
        jwk.insert(QStringLiteral("kid"), kid);
    return jwk;
}

QByteArray jwks(const QList<QJsonObject>& keys)
{
    QJsonArray array;
    for (const QJsonObject& key : keys)
        array.append(key);
    return QJsonDocument(QJsonObject { { QStringLiteral("keys"), array } }).toJson(QJsonDocument::Compact);
}

const EVP_MD* digestFor(const QString& alg)
{
    if (alg.endsWith(QLatin1String("384")))
        return EVP_sha384();
    if (alg.endsWith(QLatin1String("512")))
        return EVP_sha512();
    return EVP_sha256();
}

// What a provider does: RSASSA-PKCS1-v1_5 / PSS, or ECDSA with the DER
// signature OpenSSL produces turned into JWS's raw r || s.
QByteArray sign(const Key& key, const QString& alg, const QByteArray& input)
{
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    EVP_PKEY_CTX* keyContext = nullptr;
    EVP_DigestSignInit(context, &keyContext, digestFor(alg), nullptr, key.get());
    if (alg.startsWith(QLatin1String("PS"))) {
        EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t length = 0;
    EVP_DigestSign(context, nullptr, &length, bytes(input), static_cast<size_t>(input.size()));
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length, bytes(input),
        static_cast<size_t>(input.size()));
    signature.resize(static_cast<qsizetype>(length));
    EVP_MD_CTX_free(context);
    if (!alg.startsWith(QLatin1String("ES")))
        return signature;

    const int size = alg == QLatin1String("ES384") ? 48 : 32;
    const unsigned char* der = bytes(signature);
    ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(ecdsa, &r, &s);
    QByteArray raw(2 * qsizetype { size }, '\0');
    BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), size);
    BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data()) + size, size);
    ECDSA_SIG_free(ecdsa);
    return raw;
}

// ES256 as DER, the way a broken provider (or a naive signer) sends it.
QByteArray signDer(const Key& key, const QByteArray& input)
{
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key.get());
    size_t length = 0;
    EVP_DigestSign(context, nullptr, &length, bytes(input), static_cast<size_t>(input.size()));
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length, bytes(input),
        static_cast<size_t>(input.size()));
    signature.resize(static_cast<qsizetype>(length));
    EVP_MD_CTX_free(context);
    return signature;
}

QByteArray hmacSha256(const QByteArray& secret, const QByteArray& input)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out {};
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.constData(), static_cast<int>(secret.size()), bytes(input),
        static_cast<size_t>(input.size()), out.data(), &length);
    return { reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(length) };
}

QByteArray encodeJson(const QJsonObject& object)
{
    return base64UrlEncode(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QByteArray signingInput(const QJsonObject& header, const QJsonObject& payload)
{
    return encodeJson(header) + '.' + encodeJson(payload);
}

QByteArray assemble(const QByteArray& input, const QByteArray& signature)
{
    return input + '.' + base64UrlEncode(signature);
}

QJsonObject header(const QString& alg, const QString& kid = {})
{
    QJsonObject h { { QStringLiteral("alg"), alg }, { QStringLiteral("typ"), QStringLiteral("JWT") } };
    if (!kid.isEmpty())
        h.insert(QStringLiteral("kid"), kid);
    return h;
}

qint64 at(qint64 offsetSeconds)
{
    return kNow.toSecsSinceEpoch() + offsetSeconds;
}

QJsonObject claims()
{
    return { { QStringLiteral("iss"), kIssuer }, { QStringLiteral("sub"), kSubject },
        { QStringLiteral("aud"), kClientId }, { QStringLiteral("exp"), at(3600) }, { QStringLiteral("iat"), at(-60) },
        { QStringLiteral("fhirUser"), QString(kIssuer + QStringLiteral("/Patient/123")) } };
}

QJsonObject claimsWith(const QString& name, const QJsonValue& value)
{
    QJsonObject c = claims();
    if (value.isUndefined())
        c.remove(name);
    else
        c.insert(name, value);
    return c;
}

QByteArray token(const Key& key, const QJsonObject& h, const QJsonObject& payload = claims())
{
    const QByteArray input = signingInput(h, payload);
    return assemble(input, sign(key, h.value(QStringLiteral("alg")).toString(), input));
}

IdTokenVerifier verifier()
{
    return { kIssuer, kClientId, [] { return kNow; } };
}

} // namespace

class tst_IdTokenVerifier : public QObject {
    Q_OBJECT

private:
    Key m_rsa; // the provider's key, kid "rsa-1"
    Key m_rsaOther; // a second RSA key: the attacker's, or the provider's next one
    Key m_rsaWeak; // 1024 bits: never usable
    Key m_ec; // P-256, kid "ec-1"
    Key m_ec384; // P-384, kid "ec-384"

    // The provider's usual key set: one RSA and one EC P-256 signing key.
    QByteArray standardJwks() const
    {
        return jwks({ rsaJwk(m_rsa, QStringLiteral("rsa-1")), ecJwk(m_ec, QStringLiteral("ec-1")) });
    }

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        m_rsa = generateRsa(2048);
        m_rsaOther = generateRsa(2048);
        m_rsaWeak = generateRsa(1024);
        m_ec = generateEc("P-256");
        m_ec384 = generateEc("P-384");
        QVERIFY(m_rsa && m_rsaOther && m_rsaWeak && m_ec && m_ec384);
    }

    void base64UrlDecode_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("decoded");

        QTest::newRow("empty") << QByteArray() << true << QByteArray();
        QTest::newRow("one byte") << QByteArray("QQ") << true << QByteArray("A");
        QTest::newRow("two bytes") << QByteArray("QUI") << true << QByteArray("AB");
        QTest::newRow("three bytes") << QByteArray("QUJD") << true << QByteArray("ABC");
        QTest::newRow("url alphabet") << QByteArray("-_8") << true << QByteArray("\xfb\xff");
        QTest::newRow("padding refused") << QByteArray("QQ==") << false << QByteArray();
        QTest::newRow("standard alphabet +") << QByteArray("+_8") << false << QByteArray();
        QTest::newRow("standard alphabet /") << QByteArray("-/8") << false << QByteArray();
        QTest::newRow("space") << QByteArray("QU JD") << false << QByteArray();
        QTest::newRow("newline") << QByteArray("QUJD\n") << false << QByteArray();
        QTest::newRow("nul") << QByteArray("QU\0D", 4) << false << QByteArray();
        QTest::newRow("dangling character") << QByteArray("QUJDR") << false << QByteArray();
        QTest::newRow("non-zero unused bits") << QByteArray("QR") << false << QByteArray();
        QTest::newRow("non-zero unused bits, 2 bytes") << QByteArray("QUJ") << false << QByteArray();
        QTest::newRow("dot") << QByteArray("QU.D") << false << QByteArray();
    }

    void base64UrlDecode()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, ok);
        QFETCH(QByteArray, decoded);
        bool actualOk = !ok;
        QCOMPARE(ondevice::base64UrlDecode(input, &actualOk), decoded);
        QCOMPARE(actualOk, ok);
        // A null ok pointer is allowed.
        QCOMPARE(ondevice::base64UrlDecode(input, nullptr), decoded);
    }

    void base64UrlRoundTrip()
    {
        for (int length = 0; length < 70; ++length) {
            QByteArray data(length, '\0');
            for (char& c : data)
                c = static_cast<char>(QRandomGenerator::global()->bounded(256));
            const QByteArray encoded = base64UrlEncode(data);
            QVERIFY(!encoded.contains('='));
            QVERIFY(!encoded.contains('+'));
            QVERIFY(!encoded.contains('/'));
            bool ok = false;
            QCOMPARE(ondevice::base64UrlDecode(encoded, &ok), data);
            QVERIFY(ok);
        }
    }

    void parseCompactJws_data()
    {
        QTest::addColumn<QByteArray>("compact");
        QTest::addColumn<int>("expected"); // kOk or a JwsError

        const QByteArray h = encodeJson(header(QStringLiteral("RS256")));
        const QByteArray p = encodeJson(claims());
        const QByteArray s = base64UrlEncode("signature");
        QTest::newRow("three parts") << QByteArray(h + '.' + p + '.' + s) << kOk;
        QTest::newRow("empty signature") << QByteArray(h + '.' + p + '.') << kOk;
        QTest::newRow("empty") << QByteArray() << int(JwsError::WrongPartCount);
        QTest::newRow("two parts") << QByteArray(h + '.' + p) << int(JwsError::WrongPartCount);
        QTest::newRow("four parts") << QByteArray(h + '.' + p + '.' + s + '.' + s) << int(JwsError::WrongPartCount);
        QTest::newRow("JWE (five parts)")
            << QByteArray(h + '.' + s + '.' + s + '.' + s + '.' + s) << int(JwsError::WrongPartCount);
        QTest::newRow("empty header") << QByteArray('.' + p + '.' + s) << int(JwsError::BadEncoding);
        QTest::newRow("bad base64 in payload") << QByteArray(h + '.' + p + "+." + s) << int(JwsError::BadEncoding);
        QTest::newRow("padded signature") << QByteArray(h + '.' + p + '.' + s + '=') << int(JwsError::BadEncoding);
        QTest::newRow("header not JSON") << QByteArray(base64UrlEncode("{alg:RS256}") + '.' + p + '.' + s)
                                         << int(JwsError::HeaderNotObject);
        QTest::newRow("header JSON string")
            << QByteArray(base64UrlEncode("\"RS256\"") + '.' + p + '.' + s) << int(JwsError::HeaderNotObject);
        QTest::newRow("payload array") << QByteArray(h + '.' + base64UrlEncode("[1,2]") + '.' + s)
                                       << int(JwsError::PayloadNotObject);
        QTest::newRow("payload trailing garbage")
            << QByteArray(h + '.' + base64UrlEncode("{}x") + '.' + s) << int(JwsError::PayloadNotObject);
        QTest::newRow("over 64 KiB") << QByteArray(h + '.' + QByteArray(kMaxCompactJwsBytes, 'A') + '.' + s)
                                     << int(JwsError::TooLarge);
    }

    void parseCompactJws()
    {
        QFETCH(QByteArray, compact);
        QFETCH(int, expected);
        const auto parsed = ondevice::auth::parseCompactJws(compact);
        if (expected != kOk) {
            QVERIFY(!parsed.ok());
            QCOMPARE(int(parsed.code()), expected);
            QVERIFY(!parsed.failure().message.isEmpty());
            QVERIFY(!parsed.failure().detail.isEmpty());
            return;
        }
        QVERIFY2(parsed.ok(), why(parsed).constData());
        const CompactJws& jws = parsed.value();
        QCOMPARE(jws.header.value(QStringLiteral("alg")).toString(), QStringLiteral("RS256"));
        QCOMPARE(jws.payload.value(QStringLiteral("sub")).toString(), kSubject);
        // The signing input is the received text, byte for byte.
        QCOMPARE(jws.signingInput, compact.left(compact.lastIndexOf('.')));
        QCOMPARE(jws.signature, compact.endsWith('.') ? QByteArray() : QByteArray("signature"));
    }

    void duplicateClaimKeepsLastMember()
    {
        // RFC 7515 5.2 allows either rejecting duplicates or using the last
        // one; pin down which one Qt's parser does, since a change would matter.
        const QByteArray payload = base64UrlEncode(R"({"sub":"first","sub":"last"})");
        const auto parsed = ondevice::auth::parseCompactJws(
            QByteArray(encodeJson(header(QStringLiteral("RS256"))) + '.' + payload + '.'));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value().payload.value(QStringLiteral("sub")).toString(), QStringLiteral("last"));
    }

    void keySet_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<int>("usable"); // -1: parse fails with BadKeySet
        QTest::addColumn<int>("ignored");

        const QJsonObject oct { { QStringLiteral("kty"), QStringLiteral("oct") },
            { QStringLiteral("kid"), QStringLiteral("hmac") },
            { QStringLiteral("k"), QString::fromLatin1(base64UrlEncode(numberParam(m_rsa, OSSL_PKEY_PARAM_RSA_N))) } };
        QJsonObject encryption = rsaJwk(m_rsa, QStringLiteral("enc-1"));
        encryption.insert(QStringLiteral("use"), QStringLiteral("enc"));
        QJsonObject verifyOps = ecJwk(m_ec, QStringLiteral("ops-1"));
        verifyOps.insert(QStringLiteral("key_ops"), QJsonArray { QStringLiteral("verify") });
        QJsonObject signOps = ecJwk(m_ec, QStringLiteral("ops-2"));
        signOps.insert(QStringLiteral("key_ops"), QJsonArray { QStringLiteral("sign") });
        QJsonObject shortX = ecJwk(m_ec, QStringLiteral("short"));
        shortX.insert(QStringLiteral("x"),
            QString::fromLatin1(base64UrlEncode(numberParam(m_ec, OSSL_PKEY_PARAM_EC_PUB_X, 32).mid(1))));
        QJsonObject offCurve = ecJwk(m_ec, QStringLiteral("off-curve"));
        QByteArray y = numberParam(m_ec, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
        y[31] = static_cast<char>(y[31] ^ 0x01);
        offCurve.insert(QStringLiteral("y"), QString::fromLatin1(base64UrlEncode(y)));
        QJsonObject wrongCurve = ecJwk(m_ec, QStringLiteral("secp256k1"));
        wrongCurve.insert(QStringLiteral("crv"), QStringLiteral("secp256k1"));
        QJsonObject paddedN = rsaJwk(m_rsa, QStringLiteral("padded"));
        paddedN.insert(
            QStringLiteral("n"), QString(paddedN.value(QStringLiteral("n")).toString() + QStringLiteral("=")));

        QTest::newRow("RSA and EC") << standardJwks() << 2 << 0;
        QTest::newRow("P-384") << jwks({ ecJwk(m_ec384, QStringLiteral("ec-384"), QStringLiteral("P-384")) }) << 1 << 0;
        QTest::newRow("oct only") << jwks({ oct }) << -1 << 0;
        QTest::newRow("oct beside RSA") << jwks({ oct, rsaJwk(m_rsa, QStringLiteral("rsa-1")) }) << 1 << 1;
        QTest::newRow("encryption key only") << jwks({ encryption }) << -1 << 0;
        QTest::newRow("RSA 1024") << jwks({ rsaJwk(m_rsaWeak, QStringLiteral("weak")) }) << -1 << 0;
        QTest::newRow("key_ops verify") << jwks({ verifyOps }) << 1 << 0;
        QTest::newRow("key_ops sign only") << jwks({ signOps }) << -1 << 0;
        QTest::newRow("EC x too short") << jwks({ shortX }) << -1 << 0;
        QTest::newRow("EC point off the curve") << jwks({ offCurve }) << -1 << 0;
        QTest::newRow("EC curve not accepted") << jwks({ wrongCurve }) << -1 << 0;
        QTest::newRow("RSA n padded") << jwks({ paddedN }) << -1 << 0;
        QTest::newRow("entry not an object") << QByteArray(R"({"keys":[42]})") << -1 << 0;
        QTest::newRow("empty keys") << QByteArray(R"({"keys":[]})") << -1 << 0;
        QTest::newRow("keys not an array") << QByteArray(R"({"keys":{}})") << -1 << 0;
        QTest::newRow("no keys member") << QByteArray(R"({"jwks":[]})") << -1 << 0;
        QTest::newRow("top-level array") << QByteArray("[]") << -1 << 0;
        QTest::newRow("not JSON") << QByteArray("<html>502 Bad Gateway</html>") << -1 << 0;
        QTest::newRow("empty document") << QByteArray() << -1 << 0;

        // Over 256 KiB, even though it is a valid set: size is checked first.
        QJsonObject padded = rsaJwk(m_rsa, QStringLiteral("rsa-1"));
        padded.insert(QStringLiteral("x-padding"), QString(JsonWebKeySet::kMaxDocumentBytes, QLatin1Char('a')));
        QTest::newRow("over 256 KiB") << jwks({ padded }) << -1 << 0;
    }

    void keySet()
    {
        QFETCH(QByteArray, document);
        QFETCH(int, usable);
        QFETCH(int, ignored);
        const auto parsed = JsonWebKeySet::parse(document);
        if (usable < 0) {
            QVERIFY(!parsed.ok());
            QCOMPARE(parsed.code(), IdTokenError::BadKeySet);
            QCOMPARE(parsed.failure().message, IdTokenVerifier::userMessage(IdTokenError::BadKeySet));
            QVERIFY(!parsed.failure().detail.isEmpty());
            return;
        }
        QVERIFY2(parsed.ok(), why(parsed).constData());
        QCOMPARE(parsed.value().size(), usable);
        QCOMPARE(parsed.value().ignoredCount(), ignored);
    }

    void keySetCopiesShareKeys()
    {
        JsonWebKeySet copy;
        QVERIFY(copy.isEmpty());
        {
            const auto parsed = JsonWebKeySet::parse(standardJwks());
            QVERIFY(parsed.ok());
            copy = parsed.value();
        }
        QCOMPARE(copy.keyIds(), (QStringList { QStringLiteral("rsa-1"), QStringLiteral("ec-1") }));
        const auto verified
            = verifier().verify(token(m_ec, header(QStringLiteral("ES256"), QStringLiteral("ec-1"))), copy);
        QVERIFY2(verified.ok(), why(verified).constData());
    }

    void emptyKeySetVerifiesNothing()
    {
        const auto verified = verifier().verify(
            token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-1"))), JsonWebKeySet());
        QVERIFY(!verified.ok());
        QCOMPARE(verified.code(), IdTokenError::BadKeySet);
    }

    void verify_data()
    {
        QTest::addColumn<QByteArray>("compact");
        QTest::addColumn<QByteArray>("keySet");
        QTest::addColumn<QString>("expectedSubject");
        QTest::addColumn<int>("expected"); // kOk or an IdTokenError

        const QByteArray standard = standardJwks();
        const QString rsaKid = QStringLiteral("rsa-1");
        const QString ecKid = QStringLiteral("ec-1");
        const auto row = [&](const char* name, const QByteArray& compact, int expected, const QByteArray& keys = {},
                             const QString& subject = {}) {
            QTest::newRow(name) << compact << (keys.isEmpty() ? standard : keys) << subject << expected;
        };
        const auto rs = [&](const QJsonObject& payload) {
            return token(m_rsa, header(QStringLiteral("RS256"), rsaKid), payload);
        };
        constexpr int malformed = int(IdTokenError::Malformed);
        constexpr int unsupported = int(IdTokenError::UnsupportedAlgorithm);
        constexpr int unknownKey = int(IdTokenError::UnknownKey);
        constexpr int badSignature = int(IdTokenError::BadSignature);

        // --- the good cases
        row("RS256", rs(claims()), kOk);
        row("RS384", token(m_rsa, header(QStringLiteral("RS384"), rsaKid)), kOk);
        row("RS512", token(m_rsa, header(QStringLiteral("RS512"), rsaKid)), kOk);
        row("PS256", token(m_rsa, header(QStringLiteral("PS256"), rsaKid)), kOk);
        row("ES256", token(m_ec, header(QStringLiteral("ES256"), ecKid)), kOk);
        row("ES384 on P-384", token(m_ec384, header(QStringLiteral("ES384"), QStringLiteral("ec-384"))), kOk,
            jwks({ ecJwk(m_ec384, QStringLiteral("ec-384"), QStringLiteral("P-384")) }));
        row("JWK alg agrees", rs(claims()), kOk, jwks({ rsaJwk(m_rsa, rsaKid, QStringLiteral("RS256")) }));

        // --- signature
        row("wrong key, same kid", token(m_rsaOther, header(QStringLiteral("RS256"), rsaKid)), badSignature);
        {
            const QByteArray good = rs(claims());
            const QList<QByteArray> parts = good.split('.');
            const QByteArray otherPayload
                = encodeJson(claimsWith(QStringLiteral("sub"), QStringLiteral("someone-else")));
            row("tampered payload", QByteArray(parts[0] + '.' + otherPayload + '.' + parts[2]), badSignature);
            QByteArray signature = ondevice::base64UrlDecode(parts[2], nullptr);
            signature[10] = static_cast<char>(signature[10] ^ 0x20);
            row("tampered signature", QByteArray(parts[0] + '.' + parts[1] + '.' + base64UrlEncode(signature)),
                badSignature);
            row("truncated RSA signature",
                QByteArray(parts[0] + '.' + parts[1] + '.' + base64UrlEncode(signature.left(255))), badSignature);
            row("empty signature", QByteArray(parts[0] + '.' + parts[1] + '.'), badSignature);
        }
        {
            const QJsonObject h = header(QStringLiteral("ES256"), ecKid);
            const QByteArray input = signingInput(h, claims());
            const QByteArray raw = sign(m_ec, QStringLiteral("ES256"), input);
            row("ES256 signature 63 bytes", assemble(input, raw.left(63)), badSignature);
            row("ES256 signature 65 bytes", assemble(input, QByteArray(raw + '\0')), badSignature);
            row("ES256 signature DER-encoded", assemble(input, signDer(m_ec, input)), badSignature);
            row("ES256 r and s zero", assemble(input, QByteArray(64, '\0')), badSignature);
            row("ES256 r and s swapped", assemble(input, QByteArray(raw.mid(32) + raw.left(32))), badSignature);
        }
        {
            // An attacker puts their own key in the header (CVE-2018-0114 style):
            // it must be ignored, only the provider's JWKS counts.
            QJsonObject h = header(QStringLiteral("RS256"));
            h.insert(QStringLiteral("jwk"), rsaJwk(m_rsaOther, QString()));
            h.insert(QStringLiteral("jku"), QStringLiteral("https://attacker.example/jwks"));
            row("embedded jwk ignored", token(m_rsaOther, h), badSignature, jwks({ rsaJwk(m_rsa, rsaKid) }));
        }

        // --- algorithm
        {
            const QJsonObject none = header(QStringLiteral("none"));
            row("alg none", QByteArray(signingInput(none, claims()) + '.'), unsupported);
            row("alg none with kid", QByteArray(signingInput(header(QStringLiteral("none"), rsaKid), claims()) + '.'),
                unsupported);
            row("alg NoNe", QByteArray(signingInput(header(QStringLiteral("NoNe")), claims()) + '.'), unsupported);
        }
        {
            // The classic confusion: HS256 keyed with the provider's public RSA
            // key material, which a naive verifier would pass as the "secret".
            const QJsonObject hs = header(QStringLiteral("HS256"), rsaKid);
            const QByteArray input = signingInput(hs, claims());
            row("HS256 keyed with RSA modulus",
                assemble(input, hmacSha256(numberParam(m_rsa, OSSL_PKEY_PARAM_RSA_N), input)), unsupported);
            row("HS256 keyed with RSA PEM", assemble(input, hmacSha256(publicPem(m_rsa), input)), unsupported);

            const QByteArray modulus = numberParam(m_rsa, OSSL_PKEY_PARAM_RSA_N);
            const QJsonObject oct { { QStringLiteral("kty"), QStringLiteral("oct") },
                { QStringLiteral("kid"), QStringLiteral("hmac") },
                { QStringLiteral("k"), QString::fromLatin1(base64UrlEncode(modulus)) } };
            const QJsonObject hsOct = header(QStringLiteral("HS256"), QStringLiteral("hmac"));
            const QByteArray octInput = signingInput(hsOct, claims());
            row("HS256 with an oct key in the JWKS", assemble(octInput, hmacSha256(modulus, octInput)), unsupported,
                jwks({ oct, rsaJwk(m_rsa, rsaKid) }));
        }
        row("ES256 header, RSA kid", token(m_ec, header(QStringLiteral("ES256"), rsaKid)), unsupported);
        row("RS256 header, EC kid", token(m_rsa, header(QStringLiteral("RS256"), ecKid)), unsupported);
        row("ES256 header, P-384 kid", token(m_ec384, header(QStringLiteral("ES256"), QStringLiteral("ec-384"))),
            unsupported, jwks({ ecJwk(m_ec384, QStringLiteral("ec-384"), QStringLiteral("P-384")) }));
        row("JWK alg disagrees with header", token(m_rsa, header(QStringLiteral("RS384"), rsaKid)), unsupported,
            jwks({ rsaJwk(m_rsa, rsaKid, QStringLiteral("RS256")) }));
        {
            const QJsonObject h = header(QStringLiteral("EdDSA"), rsaKid);
            row("EdDSA not accepted", assemble(signingInput(h, claims()), QByteArray(64, 'x')), unsupported);
        }
        {
            const QJsonObject h = header(QStringLiteral("rs256"), rsaKid);
            const QByteArray input = signingInput(h, claims());
            row("alg is case-sensitive", assemble(input, sign(m_rsa, QStringLiteral("RS256"), input)), unsupported);
        }

        // --- key selection
        row("unknown kid", token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-2"))), unknownKey);
        row("no kid, one RSA key", token(m_rsa, header(QStringLiteral("RS256"))), kOk);
        row("no kid, two RSA keys", token(m_rsa, header(QStringLiteral("RS256"))), unknownKey,
            jwks({ rsaJwk(m_rsa, rsaKid), rsaJwk(m_rsaOther, QStringLiteral("rsa-2")) }));
        row("no kid, ES256 with one EC key beside RSA", token(m_ec, header(QStringLiteral("ES256"))), kOk);
        row("no kid, no key of that type", token(m_ec, header(QStringLiteral("ES256"))), unknownKey,
            jwks({ rsaJwk(m_rsa, rsaKid) }));
        row("two keys share the kid", token(m_rsa, header(QStringLiteral("RS256"), rsaKid)), unknownKey,
            jwks({ rsaJwk(m_rsa, rsaKid), rsaJwk(m_rsaOther, rsaKid) }));
        row(
            "kid not a string",
            [&] {
                QJsonObject h = header(QStringLiteral("RS256"));
                h.insert(QStringLiteral("kid"), 1);
                return token(m_rsa, h);
            }(),
            malformed);
        row("kid of an ignored oct key", token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("hmac"))),
            unknownKey,
            jwks({ QJsonObject { { QStringLiteral("kty"), QStringLiteral("oct") },
                       { QStringLiteral("kid"), QStringLiteral("hmac") },
                       { QStringLiteral("k"), QStringLiteral("c2VjcmV0") } },
                rsaJwk(m_rsa, rsaKid) }));

        // --- header shape
        row(
            "crit header",
            [&] {
                QJsonObject h = header(QStringLiteral("RS256"), rsaKid);
                h.insert(QStringLiteral("crit"), QJsonArray { QStringLiteral("b64") });
                h.insert(QStringLiteral("b64"), false);
                return token(m_rsa, h);
            }(),
            malformed);
        row(
            "alg missing",
            [&] {
                QJsonObject h = header(QStringLiteral("RS256"), rsaKid);
                const QByteArray input = signingInput(h, claims());
                h.remove(QStringLiteral("alg"));
                return assemble(signingInput(h, claims()), sign(m_rsa, QStringLiteral("RS256"), input));
            }(),
            malformed);

        // --- issuer
        row("wrong iss", rs(claimsWith(QStringLiteral("iss"), QStringLiteral("https://evil.example/fhir"))),
            int(IdTokenError::WrongIssuer));
        row("iss with one trailing slash", rs(claimsWith(QStringLiteral("iss"), QString(kIssuer + QLatin1Char('/')))),
            kOk);
        row("iss with two trailing slashes",
            rs(claimsWith(QStringLiteral("iss"), QString(kIssuer + QStringLiteral("//")))),
            int(IdTokenError::WrongIssuer));
        row("iss differs in case", rs(claimsWith(QStringLiteral("iss"), kIssuer.toUpper())),
            int(IdTokenError::WrongIssuer));
        row("iss a prefix", rs(claimsWith(QStringLiteral("iss"), QStringLiteral("https://ehr.example"))),
            int(IdTokenError::WrongIssuer));
        row("iss missing", rs(claimsWith(QStringLiteral("iss"), QJsonValue::Undefined)), malformed);

        // --- audience
        row("aud another client", rs(claimsWith(QStringLiteral("aud"), QStringLiteral("other-app"))),
            int(IdTokenError::WrongAudience));
        row("aud array containing the client",
            rs(claimsWith(QStringLiteral("aud"), QJsonArray { QStringLiteral("other-app"), kClientId })), kOk);
        row("aud array without the client",
            rs(claimsWith(QStringLiteral("aud"), QJsonArray { QStringLiteral("other-app"), QStringLiteral("third") })),
            int(IdTokenError::WrongAudience));
        row("aud empty array", rs(claimsWith(QStringLiteral("aud"), QJsonArray {})), int(IdTokenError::WrongAudience));
        row("aud client id as prefix", rs(claimsWith(QStringLiteral("aud"), QString(kClientId + QStringLiteral("-x")))),
            int(IdTokenError::WrongAudience));
        row("aud missing", rs(claimsWith(QStringLiteral("aud"), QJsonValue::Undefined)), malformed);
        row("aud a number", rs(claimsWith(QStringLiteral("aud"), 7)), malformed);
        row("azp another client", rs(claimsWith(QStringLiteral("azp"), QStringLiteral("other-app"))),
            int(IdTokenError::WrongAudience));
        row("azp the client", rs(claimsWith(QStringLiteral("azp"), kClientId)), kOk);

        // --- time (leeway 300 s)
        row("exp 301 s ago", rs(claimsWith(QStringLiteral("exp"), at(-301))), int(IdTokenError::Expired));
        row("exp 300 s ago", rs(claimsWith(QStringLiteral("exp"), at(-300))), kOk);
        row("exp 299 s ago", rs(claimsWith(QStringLiteral("exp"), at(-299))), kOk);
        row("exp a day ago", rs(claimsWith(QStringLiteral("exp"), at(-86400))), int(IdTokenError::Expired));
        row("exp fractional", rs(claimsWith(QStringLiteral("exp"), double(at(60)) + 0.5)), kOk);
        row("iat 301 s ahead", rs(claimsWith(QStringLiteral("iat"), at(301))), int(IdTokenError::NotYetValid));
        row("iat 299 s ahead", rs(claimsWith(QStringLiteral("iat"), at(299))), kOk);
        row("nbf 301 s ahead", rs(claimsWith(QStringLiteral("nbf"), at(301))), int(IdTokenError::NotYetValid));
        row("nbf 299 s ahead", rs(claimsWith(QStringLiteral("nbf"), at(299))), kOk);
        row("exp missing", rs(claimsWith(QStringLiteral("exp"), QJsonValue::Undefined)), malformed);
        row("exp a string", rs(claimsWith(QStringLiteral("exp"), QString::number(at(3600)))), malformed);
        row("exp absurd", rs(claimsWith(QStringLiteral("exp"), 1e300)), malformed);
        row("exp negative", rs(claimsWith(QStringLiteral("exp"), -1)), malformed);
        row("iat missing", rs(claimsWith(QStringLiteral("iat"), QJsonValue::Undefined)), malformed);
        row("nbf a string", rs(claimsWith(QStringLiteral("nbf"), QStringLiteral("now"))), malformed);

        // --- subject
        row("sub missing", rs(claimsWith(QStringLiteral("sub"), QJsonValue::Undefined)), malformed);
        row("sub a number", rs(claimsWith(QStringLiteral("sub"), 42)), malformed);
        row("same subject on refresh", rs(claims()), kOk, {}, kSubject);
        row("subject changed on refresh", rs(claims()), int(IdTokenError::SubjectChanged), {},
            QStringLiteral("another-person"));
        row("fhirUser not a string", rs(claimsWith(QStringLiteral("fhirUser"), 5)), malformed);

        // --- shape
        {
            const QList<QByteArray> parts = rs(claims()).split('.');
            row("two parts", QByteArray(parts[0] + '.' + parts[1]), malformed);
            row("four parts", QByteArray(parts[0] + '.' + parts[1] + '.' + parts[2] + '.' + parts[2]), malformed);
            row("empty token", QByteArray(), malformed);
            row("bad base64 in header", QByteArray(parts[0] + "*." + parts[1] + '.' + parts[2]), malformed);
            row("padded base64", QByteArray(parts[0] + '.' + parts[1] + '.' + parts[2] + "=="), malformed);
            row("surrounding whitespace", QByteArray(' ' + rs(claims()) + '\n'), malformed);
            row("Bearer prefix", QByteArray("Bearer " + rs(claims())), malformed);
            row("payload not JSON", QByteArray(parts[0] + '.' + base64UrlEncode("not json") + '.' + parts[2]),
                malformed);
            row("payload a JSON array", QByteArray(parts[0] + '.' + base64UrlEncode("[]") + '.' + parts[2]), malformed);
            row("header not JSON", QByteArray(base64UrlEncode("RS256") + '.' + parts[1] + '.' + parts[2]), malformed);
        }
        {
            // Validly signed, but over 64 KiB: refused before any crypto.
            QJsonObject big = claims();
            big.insert(QStringLiteral("x-padding"), QString(kMaxCompactJwsBytes, QLatin1Char('a')));
            row("over 64 KiB", rs(big), malformed);
            QJsonObject large = claims();
            large.insert(QStringLiteral("x-padding"), QString(qsizetype { 40 } * 1024, QLatin1Char('a')));
            row("large but under the limit", rs(large), kOk);
        }
    }

    void verify()
    {
        QFETCH(QByteArray, compact);
        QFETCH(QByteArray, keySet);
        QFETCH(QString, expectedSubject);
        QFETCH(int, expected);

        const auto keys = JsonWebKeySet::parse(keySet);
        QVERIFY2(keys.ok(), why(keys).constData());
        const auto result = verifier().verify(compact, keys.value(), expectedSubject);

        if (expected == kOk) {
            QVERIFY2(result.ok(), why(result).constData());
            QCOMPARE(result.value().subject, kSubject);
            return;
        }
        QVERIFY2(!result.ok(), "accepted a token that must be rejected");
        QVERIFY2(result.code() == IdTokenError(expected),
            qPrintable(QStringLiteral("got %1 (%2), expected %3")
                           .arg(errorName(result.code()), result.failure().detail, errorName(IdTokenError(expected)))));
        QCOMPARE(result.failure().message, IdTokenVerifier::userMessage(result.code()));
        const QString detail = result.failure().detail;
        QVERIFY(!detail.isEmpty());
        // The detail may be logged: no part of the token, and not the subject.
        for (const QByteArray& part : compact.split('.')) {
            if (part.size() >= 8)
                QVERIFY2(!detail.contains(QString::fromLatin1(part.left(16))), qPrintable(detail));
        }
        QVERIFY2(!detail.contains(kSubject), qPrintable(detail));
        QVERIFY2(!detail.contains(kIssuer), qPrintable(detail));
    }

    void claimsAreReturned()
    {
        const auto keys = JsonWebKeySet::parse(standardJwks());
        QVERIFY(keys.ok());
        QJsonObject payload = claimsWith(QStringLiteral("aud"), QJsonArray { kClientId, QStringLiteral("other") });
        payload.insert(QStringLiteral("name"), QStringLiteral("Test Patient"));
        const auto result = verifier().verify(
            token(m_ec, header(QStringLiteral("ES256"), QStringLiteral("ec-1")), payload), keys.value());
        QVERIFY2(result.ok(), why(result).constData());
        const IdTokenClaims& c = result.value();
        QCOMPARE(c.issuer, kIssuer);
        QCOMPARE(c.subject, kSubject);
        QCOMPARE(c.audience, (QStringList { kClientId, QStringLiteral("other") }));
        QCOMPARE(c.expiresAt, kNow.addSecs(3600));
        QCOMPARE(c.expiresAt.timeSpec(), Qt::UTC);
        QCOMPARE(c.issuedAt, kNow.addSecs(-60));
        QCOMPARE(c.fhirUser, QString(kIssuer + QStringLiteral("/Patient/123")));
        QCOMPARE(c.raw.value(QStringLiteral("name")).toString(), QStringLiteral("Test Patient"));
    }

    void compareIdentity_data()
    {
        // A refreshed id_token against the connection's issuer, sub and fhirUser (the claims() defaults).
        QTest::addColumn<QByteArray>("jwt");
        QTest::addColumn<int>("verdict");
        using I = IdTokenVerifier::Identity;
        const auto signedWith = [this](const QJsonObject& payload) {
            return token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), payload);
        };
        QJsonObject noAud = claims();
        noAud.remove(QStringLiteral("aud"));
        QTest::newRow("same") << signedWith(claims()) << int(I::Same);
        QTest::newRow("no aud: still the same person") << signedWith(noAud) << int(I::Same);
        QTest::newRow("issuer with a trailing slash")
            << signedWith(claimsWith(QStringLiteral("iss"), QString(kIssuer + '/'))) << int(I::Same);
        QTest::newRow("relative fhirUser")
            << signedWith(claimsWith(QStringLiteral("fhirUser"), QStringLiteral("Patient/123"))) << int(I::Same);
        QTest::newRow("no sub or fhirUser tells nothing") << signedWith([] {
            QJsonObject c = claims();
            c.remove(QStringLiteral("sub"));
            c.remove(QStringLiteral("fhirUser"));
            return c;
        }()) << int(I::Same);
        QTest::newRow("another sub") << signedWith(claimsWith(QStringLiteral("sub"), QStringLiteral("someone-else")))
                                     << int(I::Changed);
        QTest::newRow("another issuer") << signedWith(
            claimsWith(QStringLiteral("iss"), QStringLiteral("https://evil.example/fhir")))
                                        << int(I::Changed);
        QTest::newRow("another patient") << signedWith(
            claimsWith(QStringLiteral("fhirUser"), QString(kIssuer + QStringLiteral("/Patient/456"))))
                                         << int(I::Changed);
        QTest::newRow("a practitioner") << signedWith(
            claimsWith(QStringLiteral("fhirUser"), QString(kIssuer + QStringLiteral("/Practitioner/123"))))
                                        << int(I::Changed);
        // Unsigned or unverifiable: a changed identity still counts (it came from the token endpoint over TLS).
        QTest::newRow("another sub, no signature") << assemble(
            signingInput(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")),
                claimsWith(QStringLiteral("sub"), QStringLiteral("x"))),
            "sig") << int(I::Changed);
        QTest::newRow("sub not a string") << signedWith(claimsWith(QStringLiteral("sub"), 5)) << int(I::Unreadable);
        QTest::newRow("not a JWT") << QByteArray("abc") << int(I::Unreadable);
    }

    void compareIdentity()
    {
        QFETCH(QByteArray, jwt);
        QFETCH(int, verdict);
        const auto check = IdTokenVerifier::compareIdentity(
            jwt, kIssuer, kSubject, QString(kIssuer + QStringLiteral("/Patient/123")));
        QCOMPARE(int(check.verdict), verdict);
        QCOMPARE(check.detail.isEmpty(), verdict == int(IdTokenVerifier::Identity::Same));
        QVERIFY(!check.detail.contains(kSubject)); // names the claim, never its value
    }

    void singleAudienceBecomesList()
    {
        const auto keys = JsonWebKeySet::parse(standardJwks());
        QVERIFY(keys.ok());
        const auto result
            = verifier().verify(token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-1"))), keys.value());
        QVERIFY(result.ok());
        QCOMPARE(result.value().audience, QStringList { kClientId });
    }

    void clockIsConsulted()
    {
        // The same token, judged at two times: the verifier reads its clock
        // for every call and does not cache a verdict.
        const auto keys = JsonWebKeySet::parse(standardJwks());
        QVERIFY(keys.ok());
        QDateTime now = kNow;
        const IdTokenVerifier stepping(kIssuer, kClientId, [&now] { return now; });
        const QByteArray compact = token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-1")));
        QVERIFY(stepping.verify(compact, keys.value()).ok());
        now = kNow.addSecs(3600 + 301);
        QCOMPARE(stepping.verify(compact, keys.value()).code(), IdTokenError::Expired);
    }

    void emptyConfigurationRejects()
    {
        const auto keys = JsonWebKeySet::parse(standardJwks());
        QVERIFY(keys.ok());
        const QByteArray compact = token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-1")));
        const auto fixed = [] { return kNow; };
        QCOMPARE(IdTokenVerifier(QString(), kClientId, fixed).verify(compact, keys.value()).code(),
            IdTokenError::WrongIssuer);
        QCOMPARE(IdTokenVerifier(kIssuer, QString(), fixed).verify(compact, keys.value()).code(),
            IdTokenError::WrongAudience);
    }

    void mutationsAreNeverAccepted()
    {
        // A cheap stand-in for the fuzz target: flip, drop or insert bytes in
        // valid tokens; whatever the verifier makes of the result, it must not
        // accept it (and must not crash: this also runs under ASan).
        const auto keys = JsonWebKeySet::parse(standardJwks());
        QVERIFY(keys.ok());
        const std::array originals { token(m_rsa, header(QStringLiteral("RS256"), QStringLiteral("rsa-1"))),
            token(m_ec, header(QStringLiteral("ES256"), QStringLiteral("ec-1"))) };
        QRandomGenerator random(20261128);
        const QByteArray alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ");
        for (const QByteArray& original : originals) {
            for (int round = 0; round < 1500; ++round) {
                QByteArray mutated = original;
                const qsizetype at = random.bounded(static_cast<int>(mutated.size()));
                const char c = alphabet.at(random.bounded(static_cast<int>(alphabet.size())));
                switch (round % 3) {
                case 0:
                    mutated[at] = c;
                    break;
                case 1:
                    mutated.remove(at, 1);
                    break;
                default:
                    mutated.insert(at, c);
                    break;
                }
                if (mutated == original)
                    continue;
                const auto result = verifier().verify(mutated, keys.value());
                QVERIFY2(!result.ok(), mutated.constData());
            }
        }
    }

    void everyErrorHasItsOwnMessage()
    {
        QSet<QString> messages;
        QSet<QString> names;
        for (int code = int(IdTokenError::Malformed); code <= int(IdTokenError::BadKeySet); ++code) {
            const QString message = IdTokenVerifier::userMessage(IdTokenError(code));
            QVERIFY(!message.isEmpty());
            messages.insert(message);
            names.insert(errorName(IdTokenError(code)));
        }
        QCOMPARE(messages.size(), int(IdTokenError::BadKeySet) + 1);
        QCOMPARE(names.size(), int(IdTokenError::BadKeySet) + 1);
        QCOMPARE(IdTokenVerifier::userMessage(IdTokenError::BadSignature),
            QStringLiteral("The provider's identity token was not signed by the provider's published key."));
    }
};

QTEST_GUILESS_MAIN(tst_IdTokenVerifier)
#include "tst_IdTokenVerifier.moc"
