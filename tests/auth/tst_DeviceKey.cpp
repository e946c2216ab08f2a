#include "auth/DeviceKey.h"
#include "core/Base64Url.h"
#include "core/Jose.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/pem.h>

using namespace ondevice;
using namespace ondevice::auth;

// The device key against the specs' own examples and against the `openssl` command line: what we sign,
// others verify, and what others sign, we verify.
class tst_DeviceKey : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QJsonObject jwk(const char* json) { return QJsonDocument::fromJson(json).object(); }

    // Runs the openssl command line; its exit code.
    static int openssl(const QStringList& arguments, QByteArray* output = nullptr)
    {
        QProcess process;
        process.start(QStringLiteral("openssl"), arguments);
        if (!process.waitForFinished(30000))
            return -1;
        if (output)
            *output = process.readAllStandardOutput();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

    bool write(const QString& name, const QByteArray& data) const
    {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
    }

    QByteArray read(const QString& name) const
    {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    // A public key read from a PEM file, as a JWK (through core/Jose, as a server's would be).
    QJsonObject publicJwkFromPem(const QString& name, jose::Curve curve) const
    {
        const QByteArray pem = read(name);
        const OpenSslPtr<BIO> bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
        const OpenSslPtr<EVP_PKEY> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
        return key ? jose::ecPublicJwk(key.get(), curve) : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void thumbprintOfTheDpopSpecExample()
    {
        // RFC 9449 section 4.1: the example proof's key and the thumbprint section 6.1 binds to.
        const QJsonObject key = jwk(R"({"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
            "y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"})");
        QCOMPARE(jose::thumbprint(key), QStringLiteral("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
        // Members outside the required ones do not change it; a missing one leaves no thumbprint.
        QJsonObject extra = key;
        extra.insert(QStringLiteral("kid"), QStringLiteral("anything"));
        extra.insert(QStringLiteral("use"), QStringLiteral("sig"));
        QCOMPARE(jose::thumbprint(extra), jose::thumbprint(key));
        QJsonObject missing = key;
        missing.remove(QStringLiteral("y"));
        QVERIFY(jose::thumbprint(missing).isEmpty());
    }

    void theJwsSpecExampleVerifiesAsEs256()
    {
        // RFC 7515 appendix A.3: the ES256 example, its public key and its compact serialisation.
        const QJsonObject key = jwk(R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})");
        const QByteArray input = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leG"
                                 "FtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        bool ok = false;
        const QByteArray signature = base64UrlDecode(
            "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q", &ok);
        QVERIFY(ok);
        QString why;
        jose::Curve curve = jose::Curve::P384;
        const OpenSslPtr<EVP_PKEY> publicKey = jose::ecPublicKey(key, &curve, &why);
        QVERIFY2(publicKey, qPrintable(why));
        QCOMPARE(curve, jose::Curve::P256);
        QVERIFY2(jose::verifyEcdsa(publicKey.get(), curve, input, signature, &why), qPrintable(why));

        QByteArray tampered = signature;
        tampered[10] = static_cast<char>(tampered[10] ^ 0x01);
        QVERIFY(!jose::verifyEcdsa(publicKey.get(), curve, input, tampered, &why));
        QVERIFY(!jose::verifyEcdsa(publicKey.get(), curve, QByteArray(input + "x"), signature, &why));
        // A DER signature where JOSE wants r || s is refused by its length.
        QVERIFY(!jose::verifyEcdsa(publicKey.get(), curve, input, jose::ecdsaRawToDer(signature, 32), &why));
        QVERIFY(why.contains(QLatin1String("raw r||s")));
    }

    void aJwkWithAPrivateMemberIsNotAPublicKey()
    {
        QJsonObject key = jwk(R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"})");
        QString why;
        QVERIFY(!jose::ecPublicKey(key, nullptr, &why));
        QVERIFY(why.contains(QLatin1String("private")));
        key.remove(QStringLiteral("d"));
        key.insert(QStringLiteral("crv"), QStringLiteral("P-521"));
        QVERIFY(!jose::ecPublicKey(key, nullptr, &why));
    }

    void aNewKeyIsP384AndItsPublicHalfHasNoSecret()
    {
        auto made = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY2(made, made ? "" : qPrintable(made.failure().detail));
        const SoftwareDeviceKey& key = *made.value();
        QCOMPARE(key.algorithm(), QStringLiteral("ES384"));
        const QJsonObject jwk = key.publicJwk();
        QCOMPARE(jwk.keys(), (QStringList { "crv", "kid", "kty", "x", "y" }));
        QCOMPARE(jwk.value("crv").toString(), QStringLiteral("P-384"));
        QCOMPARE(jwk.value("kid").toString(), key.thumbprint());
        QCOMPARE(jose::thumbprint(jwk), key.thumbprint());
        QCOMPARE(key.thumbprint().size(), 43); // 32 bytes of SHA-256, base64url

        // Two keys are two keys.
        auto other = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(other);
        QVERIFY(other.value()->thumbprint() != key.thumbprint());
    }

    void theKeychainValueIsOneLineAndReadsBackAsTheSameKey()
    {
        auto made = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(made);
        const QByteArray value = made.value()->keychainValue();
        QVERIFY(!value.isEmpty());
        QVERIFY(!value.contains('\n') && !value.contains(' '));
        auto read = SoftwareDeviceKey::fromKeychainValue(value);
        QVERIFY2(read, read ? "" : qPrintable(read.failure().detail));
        QCOMPARE(read.value()->thumbprint(), made.value()->thumbprint());
        QCOMPARE(read.value()->curve(), jose::Curve::P384);
        // The read-back key signs what the made key's public half verifies.
        auto jws = read.value()->signJwt({ { "typ", "dpop+jwt" } }, { { "jti", "one" } });
        QVERIFY(jws);
        const QList<QByteArray> parts = jws.value().split('.');
        QCOMPARE(parts.size(), 3);
        QString why;
        const OpenSslPtr<EVP_PKEY> publicKey = jose::ecPublicKey(made.value()->publicJwk(), nullptr, &why);
        QVERIFY2(publicKey, qPrintable(why));
        QVERIFY2(jose::verifyEcdsa(publicKey.get(), jose::Curve::P384, QByteArray(parts[0] + '.' + parts[1]),
                     base64UrlDecode(parts[2], nullptr), &why),
            qPrintable(why));
        const QJsonObject header = QJsonDocument::fromJson(base64UrlDecode(parts[0], nullptr)).object();
        QCOMPARE(header.value("alg").toString(), QStringLiteral("ES384"));
        QCOMPARE(header.value("typ").toString(), QStringLiteral("dpop+jwt"));
    }

    void aKeychainValueThatIsNotOurKeyIsRefusedClearly_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not base64") << QByteArray("%%%not base64%%%");
        QTest::newRow("base64 of text") << QByteArray("aGVsbG8gd29ybGQ=");
    }

    void aKeychainValueThatIsNotOurKeyIsRefusedClearly()
    {
        QFETCH(QByteArray, value);
        auto read = SoftwareDeviceKey::fromKeychainValue(value);
        QVERIFY(!read);
        QCOMPARE(read.code(), DeviceKeyError::Unreadable);
        QVERIFY(read.failure().message.contains(QLatin1String("reconnect")));
    }

    void keysOfOtherKindsAreNotOnesWeUse_data()
    {
        QTest::addColumn<QStringList>("genpkey");
        QTest::addColumn<QString>("detail");
        QTest::newRow("EC P-521") << QStringList { "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521" }
                                  << QStringLiteral("curve");
        QTest::newRow("Ed25519") << QStringList { "-algorithm", "ED25519" } << QStringLiteral("not an EC key");
        QTest::newRow("RSA") << QStringList { "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048" }
                             << QStringLiteral("not an EC key");
    }

    void keysOfOtherKindsAreNotOnesWeUse()
    {
        QFETCH(QStringList, genpkey);
        QFETCH(QString, detail);
        const QString file = m_dir.filePath(QStringLiteral("%1.der").arg(QTest::currentDataTag()));
        QCOMPARE(openssl(QStringList { "genpkey" } + genpkey + QStringList { "-outform", "DER", "-out", file }), 0);
        QFile der(file);
        QVERIFY(der.open(QIODevice::ReadOnly));
        auto read = SoftwareDeviceKey::fromKeychainValue(der.readAll().toBase64());
        QVERIFY(!read);
        QCOMPARE(read.code(), DeviceKeyError::Unreadable);
        QVERIFY2(read.failure().detail.contains(detail), qPrintable(read.failure().detail));
    }

    void ourEs384SignatureVerifiesWithTheOpensslCommandLine()
    {
        auto made = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(made);
        const QByteArray input = "signed on this computer";
        auto signature = made.value()->sign(input);
        QVERIFY(signature);
        QCOMPARE(signature.value().size(), 96); // r || s, 48 bytes each
        // Our public JWK, imported as a verifier would, written as PEM for openssl.
        const OpenSslPtr<EVP_PKEY> publicKey = jose::ecPublicKey(made.value()->publicJwk(), nullptr, nullptr);
        QVERIFY(publicKey);
        const OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
        QVERIFY(PEM_write_bio_PUBKEY(bio.get(), publicKey.get()) == 1);
        char* pem = nullptr;
        const long pemLength = BIO_get_mem_data(bio.get(), &pem);
        QVERIFY(write("ours.pub.pem", QByteArray(pem, static_cast<qsizetype>(pemLength))));
        QVERIFY(write("input", input));
        QVERIFY(write("ours.sig", jose::ecdsaRawToDer(signature.value(), 48)));
        QByteArray out;
        QCOMPARE(openssl({ "dgst", "-sha384", "-verify", m_dir.filePath("ours.pub.pem"), "-signature",
                             m_dir.filePath("ours.sig"), m_dir.filePath("input") },
                     &out),
            0);
        QVERIFY(out.contains("Verified OK"));
        // And a changed input does not.
        QVERIFY(write("input2", input + "!"));
        QVERIFY(openssl({ "dgst", "-sha384", "-verify", m_dir.filePath("ours.pub.pem"), "-signature",
                    m_dir.filePath("ours.sig"), m_dir.filePath("input2") })
            != 0);
    }

    void anEs384SignatureOfTheOpensslCommandLineVerifiesHere()
    {
        QCOMPARE(openssl({ "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out",
                     m_dir.filePath("theirs.pem") }),
            0);
        QCOMPARE(openssl({ "pkey", "-in", m_dir.filePath("theirs.pem"), "-pubout", "-out",
                     m_dir.filePath("theirs.pub.pem") }),
            0);
        const QByteArray input = "signed elsewhere, made at test time";
        QVERIFY(write("theirs.input", input));
        QCOMPARE(openssl({ "dgst", "-sha384", "-sign", m_dir.filePath("theirs.pem"), "-out",
                     m_dir.filePath("theirs.sig"), m_dir.filePath("theirs.input") }),
            0);
        const QJsonObject jwk = publicJwkFromPem("theirs.pub.pem", jose::Curve::P384);
        QVERIFY(!jwk.isEmpty());
        QString why;
        const OpenSslPtr<EVP_PKEY> publicKey = jose::ecPublicKey(jwk, nullptr, &why);
        QVERIFY2(publicKey, qPrintable(why));
        const QByteArray raw = jose::ecdsaDerToRaw(read("theirs.sig"), 48);
        QCOMPARE(raw.size(), 96);
        QVERIFY2(jose::verifyEcdsa(publicKey.get(), jose::Curve::P384, input, raw, &why), qPrintable(why));
        QVERIFY(!jose::verifyEcdsa(publicKey.get(), jose::Curve::P384, QByteArray(input + "!"), raw, &why));
    }

    void theCurveFollowsWhatTheServerSigns_data()
    {
        QTest::addColumn<QStringList>("server");
        QTest::addColumn<int>("curve");
        QTest::newRow("both") << QStringList { "ES256", "ES384" } << int(jose::Curve::P384);
        QTest::newRow("ES384 only") << QStringList { "ES384" } << int(jose::Curve::P384);
        QTest::newRow("ES256 only") << QStringList { "ES256", "RS256" } << int(jose::Curve::P256);
        QTest::newRow("neither") << QStringList { "RS256" } << int(jose::Curve::P384);
    }

    void theCurveFollowsWhatTheServerSigns()
    {
        QFETCH(QStringList, server);
        QFETCH(int, curve);
        QCOMPARE(int(deviceKeyCurve(server)), curve);
    }
};

QTEST_GUILESS_MAIN(tst_DeviceKey)
#include "tst_DeviceKey.moc"
