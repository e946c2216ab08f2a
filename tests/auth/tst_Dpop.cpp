#include "auth/Dpop.h"
#include "core/Base64Url.h"
#include "core/Jose.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace ondevice;
using namespace ondevice::auth;

// The client's half of DPoP (RFC 9449) that needs no server: the proof, htu and ath, nonces, and reading a
// server's request for a nonce.
class tst_Dpop : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SoftwareDeviceKey> m_key;

    static QJsonObject part(const QByteArray& jwt, int index)
    {
        return QJsonDocument::fromJson(base64UrlDecode(jwt.split('.').value(index), nullptr)).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto made = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(made);
        m_key = std::move(made).value();
    }

    void htuIsTheNormalisedUriWithoutQueryAndFragment_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("htu");
        QTest::newRow("query and fragment") << "https://server.example.com/token?a=b#frag"
                                            << "https://server.example.com/token";
        QTest::newRow("case and default port") << "HTTPS://Server.Example.COM:443/Token"
                                               << "https://server.example.com/Token";
        QTest::newRow("http default port") << "http://127.0.0.1:80/fhir/Patient/1"
                                           << "http://127.0.0.1/fhir/Patient/1";
        QTest::newRow("other port kept") << "http://127.0.0.1:8443/fhir"
                                         << "http://127.0.0.1:8443/fhir";
        QTest::newRow("empty path") << "https://server.example.com"
                                    << "https://server.example.com/";
        QTest::newRow("dot segments") << "https://h.example/a/./b/../c"
                                      << "https://h.example/a/c";
        // RFC 3986 section 5.2.4: its own example, and ".." that would climb above the root.
        QTest::newRow("spec dot segments") << "https://h.example/a/b/c/./../../g"
                                           << "https://h.example/a/g";
        QTest::newRow("above the root") << "https://h.example/a/../../g"
                                        << "https://h.example/g";
        QTest::newRow("trailing dot dot") << "https://h.example/a/b/.."
                                          << "https://h.example/a/";
        QTest::newRow("user info") << "https://user:pw@h.example/x"
                                   << "https://h.example/x";
        QTest::newRow("unreserved decoded") << "https://h.example/%7Euser/%41"
                                            << "https://h.example/~user/A";
    }

    void htuIsTheNormalisedUriWithoutQueryAndFragment()
    {
        QFETCH(QString, url);
        QFETCH(QString, htu);
        QCOMPARE(dpopTargetUri(QUrl(url)), htu);
    }

    void athOfTheSpecExample()
    {
        // RFC 9449 section 7.1: the example access token and the ath of the proof that goes with it.
        QCOMPARE(accessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            QStringLiteral("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"));
    }

    void aProofCarriesWhatTheSpecAsksAndVerifiesWithItsOwnKey()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1'790'000'000);
        auto proof = makeDpopProof(
            *m_key, { "GET", QUrl("https://fhir.example/r4/Observation?patient=1"), "access-token-1", "nonce-1" }, now);
        QVERIFY(proof);
        const QJsonObject header = part(proof.value(), 0);
        const QJsonObject claims = part(proof.value(), 1);
        QCOMPARE(header.value("typ").toString(), QStringLiteral("dpop+jwt"));
        QCOMPARE(header.value("alg").toString(), QStringLiteral("ES384"));
        const QJsonObject jwk = header.value("jwk").toObject();
        QVERIFY(!jwk.contains("d"));
        QCOMPARE(jose::thumbprint(jwk), m_key->thumbprint());
        QCOMPARE(claims.value("htm").toString(), QStringLiteral("GET"));
        QCOMPARE(claims.value("htu").toString(), QStringLiteral("https://fhir.example/r4/Observation"));
        QCOMPARE(claims.value("iat").toInteger(), now.toSecsSinceEpoch());
        QCOMPARE(claims.value("ath").toString(), accessTokenHash("access-token-1"));
        QCOMPARE(claims.value("nonce").toString(), QStringLiteral("nonce-1"));
        QCOMPARE(claims.value("jti").toString().size(), 22); // 128 bits, base64url

        // The signature verifies with the key in the header, as a server checks it.
        QString why;
        jose::Curve curve = jose::Curve::P256;
        const OpenSslPtr<EVP_PKEY> publicKey = jose::ecPublicKey(jwk, &curve, &why);
        QVERIFY2(publicKey, qPrintable(why));
        const QList<QByteArray> parts = proof.value().split('.');
        QVERIFY2(jose::verifyEcdsa(publicKey.get(), curve, QByteArray(parts[0] + '.' + parts[1]),
                     base64UrlDecode(parts[2], nullptr), &why),
            qPrintable(why));
    }

    void aTokenRequestProofHasNoAthOrNonceUnlessGiven()
    {
        auto proof = makeDpopProof(
            *m_key, { "POST", QUrl("https://auth.example/token"), {}, {} }, QDateTime::currentDateTimeUtc());
        QVERIFY(proof);
        const QJsonObject claims = part(proof.value(), 1);
        QVERIFY(!claims.contains("ath"));
        QVERIFY(!claims.contains("nonce"));
        QCOMPARE(claims.value("htm").toString(), QStringLiteral("POST"));
    }

    void everyProofHasItsOwnJti()
    {
        QSet<QString> seen;
        for (int i = 0; i < 50; ++i) {
            auto proof = makeDpopProof(
                *m_key, { "GET", QUrl("https://fhir.example/r4/Patient/1"), "t", {} }, QDateTime::currentDateTimeUtc());
            QVERIFY(proof);
            seen.insert(part(proof.value(), 1).value("jti").toString());
        }
        QCOMPARE(seen.size(), 50);
    }

    void nonceSyntax_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("spec example") << QByteArray("eyJ7S_zG.eyJH0-Z.HX4w-7v") << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("space") << QByteArray("a b") << false;
        QTest::newRow("quote") << QByteArray("a\"b") << false;
        QTest::newRow("backslash") << QByteArray("a\\b") << false;
        QTest::newRow("control") << QByteArray("a\nb") << false;
        QTest::newRow("non-ASCII") << QByteArray("caf\xc3\xa9") << false;
        QTest::newRow("too long") << QByteArray(kMaxDpopNonceBytes + 1, 'n') << false;
        QTest::newRow("longest") << QByteArray(kMaxDpopNonceBytes, 'n') << true;
    }

    void nonceSyntax()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, valid);
        QCOMPARE(isValidDpopNonce(value), valid);
    }

    void noncesAreKeptPerOriginAndTheNewestWins()
    {
        DpopNonces nonces;
        const QUrl token("https://auth.example/oauth2/token");
        const QUrl fhir("https://fhir.example/r4/Observation?x=1");
        QVERIFY(nonces.nonceFor(token).isEmpty());
        QVERIFY(nonces.remember(token, "first"));
        QVERIFY(nonces.remember(fhir, " other "));
        QCOMPARE(nonces.nonceFor(QUrl("https://auth.example/other/path")), QStringLiteral("first"));
        QCOMPARE(nonces.nonceFor(QUrl("https://fhir.example/r4/Patient/1")), QStringLiteral("other"));
        // Another port is another origin.
        QVERIFY(nonces.nonceFor(QUrl("https://fhir.example:8443/r4")).isEmpty());
        // A newer nonce replaces it; an absent or malformed header leaves it.
        QVERIFY(nonces.remember(token, "second"));
        QCOMPARE(nonces.nonceFor(token), QStringLiteral("second"));
        QVERIFY(!nonces.remember(token, ""));
        QVERIFY(!nonces.remember(token, "bad nonce"));
        QCOMPARE(nonces.nonceFor(token), QStringLiteral("second"));
    }

    void challengesAreReadAsTheHttpSpecWritesThem()
    {
        // RFC 9110 section 11.6.1's example: two challenges, quoted strings with escapes, a bare token value.
        const auto challenges = parseWwwAuthenticate(
            "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");
        QCOMPARE(challenges.size(), 2);
        QCOMPARE(challenges[0].scheme, QStringLiteral("Newauth"));
        QCOMPARE(challenges[0].params.value("realm"), QStringLiteral("apps"));
        QCOMPARE(challenges[0].params.value("type"), QStringLiteral("1"));
        QCOMPARE(challenges[0].params.value("title"), QStringLiteral("Login to \"apps\""));
        QCOMPARE(challenges[1].scheme, QStringLiteral("Basic"));
        QCOMPARE(challenges[1].params.value("realm"), QStringLiteral("simple"));

        const auto token68 = parseWwwAuthenticate("Basic YWxhZGRpbjpvcGVuc2VzYW1l==, DPoP algs=\"ES256\"");
        QCOMPARE(token68.size(), 2);
        QCOMPARE(token68[0].token68, QStringLiteral("YWxhZGRpbjpvcGVuc2VzYW1l=="));
        QCOMPARE(token68[1].params.value("algs"), QStringLiteral("ES256"));
    }

    void aNonceRequestIsADpopChallengeWithThatError_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("asks");
        QTest::newRow("spec example") << QByteArray(
            "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"")
                                      << true;
        QTest::newRow("scheme case") << QByteArray("dpop error=\"use_dpop_nonce\"") << true;
        QTest::newRow("unquoted") << QByteArray("DPoP error=use_dpop_nonce") << true;
        QTest::newRow("after Bearer") << QByteArray(
            "Bearer realm=\"fhir\", DPoP algs=\"ES256 ES384\" error=\"use_dpop_nonce\"")
                                      << true;
        QTest::newRow("Bearer only") << QByteArray("Bearer error=\"use_dpop_nonce\"") << false;
        QTest::newRow("other error") << QByteArray("DPoP error=\"invalid_token\"") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("garbage") << QByteArray("\x01\x02=\"\",,,==") << false;
        QTest::newRow("unterminated") << QByteArray("DPoP error=\"use_dpop_nonce") << true;
    }

    void aNonceRequestIsADpopChallengeWithThatError()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, asks);
        QCOMPARE(asksForDpopNonce(header), asks);
    }
};

QTEST_GUILESS_MAIN(tst_Dpop)
#include "tst_Dpop.moc"
