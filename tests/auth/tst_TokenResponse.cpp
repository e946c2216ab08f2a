#include "auth/TokenResponse.h"

#include <QTest>

using namespace ondevice::auth;

class tst_TokenResponse : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::newRow("minimal") << QByteArray("{\"access_token\":\"a\",\"token_type\":\"Bearer\"}") << true;
        QTest::newRow("lowercase bearer") << QByteArray("{\"access_token\":\"a\",\"token_type\":\"bearer\"}") << true;
        QTest::newRow("no token_type") << QByteArray("{\"access_token\":\"a\"}") << false;
        QTest::newRow("mac token") << QByteArray("{\"access_token\":\"a\",\"token_type\":\"mac\"}") << false;
        QTest::newRow("DPoP token") << QByteArray("{\"access_token\":\"a\",\"token_type\":\"DPoP\"}") << true;
        QTest::newRow("dpop any case") << QByteArray("{\"access_token\":\"a\",\"token_type\":\"dpop\"}") << true;
        QTest::newRow("no access token") << QByteArray("{\"token_type\":\"Bearer\"}") << false;
        QTest::newRow("empty access token") << QByteArray("{\"access_token\":\"\",\"token_type\":\"Bearer\"}") << false;
        QTest::newRow("numeric access token") << QByteArray("{\"access_token\":5,\"token_type\":\"Bearer\"}") << false;
        QTest::newRow("expires string") << QByteArray(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"60\"}")
                                        << true;
        QTest::newRow("token_type any case")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"BEARER\"}") << true;
        // Liberal where a slip costs nothing: the member is dropped with a warning, the tokens are kept.
        QTest::newRow("expires negative")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":-1}") << true;
        QTest::newRow("expires fraction")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":1.5}") << true;
        QTest::newRow("expires words") << QByteArray(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"an hour\"}")
                                       << true;
        QTest::newRow("scope array") << QByteArray(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"scope\":[\"x\"]}")
                                     << true;
        QTest::newRow("patient number") << QByteArray(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"patient\":7}")
                                        << true;
        // Strict where it matters: a refresh token or id_token that cannot be kept as sent.
        QTest::newRow("refresh not string")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"refresh_token\":{}}") << false;
        QTest::newRow("id_token not string")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"id_token\":[]}") << false;
        QTest::newRow("array") << QByteArray("[]") << false;
        QTest::newRow("garbage") << QByteArray("<html>") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void parse()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        const auto parsed = TokenResponse::parse(body);
        QCOMPARE(parsed.ok(), ok);
        if (ok) {
            // A dropped member is said, and is absent.
            const bool dropped
                = QByteArray(QTest::currentDataTag()).startsWith("expires ") && body.contains("\"60\"") == false;
            QCOMPARE(!parsed.value().warnings.isEmpty(),
                dropped || body.contains("\"scope\":[") || body.contains("\"patient\":7"));
            if (dropped)
                QVERIFY(!parsed.value().expiresIn);
        }
        if (!ok) {
            QVERIFY(parsed.code() == AuthError::InvalidResponse);
            QVERIFY(!parsed.failure().detail.contains(QStringLiteral("\"a\""))); // never the token
        }
    }

    void theTokenTypeMustBeTheOneAskedFor()
    {
        const auto dpop = TokenResponse::parse("{\"access_token\":\"a\",\"token_type\":\"DPoP\"}");
        const auto bearer = TokenResponse::parse("{\"access_token\":\"a\",\"token_type\":\"bearer\"}");
        QVERIFY(dpop && bearer);
        QCOMPARE(dpop.value().tokenType, TokenResponse::Type::DPoP);
        QCOMPARE(bearer.value().tokenType, TokenResponse::Type::Bearer);
        QVERIFY(!dpop.value().typeMismatch(true));
        QVERIFY(!bearer.value().typeMismatch(false));
        // A Bearer answer to a proof, or a DPoP answer without one: never used.
        QCOMPARE(bearer.value().typeMismatch(true)->code, AuthError::InvalidResponse);
        QCOMPARE(dpop.value().typeMismatch(false)->code, AuthError::InvalidResponse);
    }

    void smartContext()
    {
        const auto parsed
            = TokenResponse::parse("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                                   "\"scope\":\"openid  patient/*.rs\",\"refresh_token\":\"r+t\","
                                   "\"patient\":\"123\",\"need_patient_banner\":true,\"id_token\":\"x.y.z\"}");
        QVERIFY(parsed.ok());
        const TokenResponse& r = parsed.value();
        QCOMPARE(r.expiresIn.value(), 3600);
        QCOMPARE(r.scope.value(), (QStringList { QStringLiteral("openid"), QStringLiteral("patient/*.rs") }));
        QCOMPARE(r.refreshToken, QByteArray("r+t"));
        QCOMPARE(r.patient, QStringLiteral("123"));
        QVERIFY(r.needPatientBanner);
        QCOMPARE(r.idToken, QByteArray("x.y.z"));
    }

    void endpointFailures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("expected");
        QTest::newRow("offline") << 0 << QByteArray() << int(AuthError::Network);
        QTest::newRow("invalid_grant") << 400 << QByteArray("{\"error\":\"invalid_grant\"}")
                                       << int(AuthError::InvalidGrant);
        QTest::newRow("invalid_client") << 401 << QByteArray("{\"error\":\"invalid_client\"}") << int(AuthError::OAuth);
        QTest::newRow("server_error body")
            << 400 << QByteArray("{\"error\":\"server_error\"}") << int(AuthError::Server);
        QTest::newRow("503 html") << 503 << QByteArray("<html>down</html>") << int(AuthError::Server);
        QTest::newRow("400 no body") << 400 << QByteArray() << int(AuthError::Server);
        QTest::newRow("429") << 429 << QByteArray() << int(AuthError::Server);
    }

    void endpointFailures()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, expected);
        HttpResult result;
        result.status = status;
        result.error
            = status == 0 ? QNetworkReply::ConnectionRefusedError : QNetworkReply::ProtocolInvalidOperationError;
        result.body = body;
        const AuthFailure failure = tokenEndpointFailure(result, QStringLiteral("refresh"));
        QCOMPARE(int(failure.code), expected);
        QVERIFY(!failure.message.isEmpty());
    }

    void aRequestNeverSentIsNotANetworkProblem()
    {
        // A proof the device key could not sign: nothing went out, and the person is not told to go online.
        HttpResult result;
        result.notSent = QStringLiteral("DPoP proof: signing failed");
        const AuthFailure failure = tokenEndpointFailure(result, QStringLiteral("refresh"));
        QCOMPARE(failure.code, AuthError::Keychain);
        QVERIFY(failure.message.contains(QStringLiteral("could not sign")));
        QVERIFY(failure.detail.contains(QStringLiteral("signing failed")));
    }

    // The one code exchange of a sign-in: a refusal is "the provider refused this sign-in", in its words;
    // nothing says a grant ended (there is none yet). Bodies that are HTML or empty are server trouble.
    void codeExchangeFailures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("says");
        QTest::newRow("invalid_grant") << 400
                                       << QByteArray(
                                              "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}")
                                       << int(AuthError::OAuth)
                                       << QStringLiteral("refused this sign-in (invalid_grant: code expired)");
        QTest::newRow("DPoP required")
            << 400 << QByteArray("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"DPoP proof required\"}")
            << int(AuthError::OAuth)
            << QStringLiteral("refused this sign-in (invalid_dpop_proof: DPoP proof required)");
        QTest::newRow("400 html") << 400 << QByteArray("<html><body>Bad request</body></html>")
                                  << int(AuthError::Server) << QStringLiteral("unexpected answer");
        QTest::newRow("400 empty") << 400 << QByteArray() << int(AuthError::Server)
                                   << QStringLiteral("unexpected answer");
        QTest::newRow("502 html") << 502 << QByteArray("<html>gateway</html>") << int(AuthError::Server)
                                  << QStringLiteral("Try again in a few minutes");
    }

    void codeExchangeFailures()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, expected);
        QFETCH(QString, says);
        HttpResult result;
        result.status = status;
        result.error = QNetworkReply::ProtocolInvalidOperationError;
        result.body = body;
        const AuthFailure failure = codeExchangeFailure(result);
        QCOMPARE(int(failure.code), expected);
        QVERIFY2(failure.message.contains(says), qPrintable(failure.message));
        QVERIFY(!failure.message.contains(QStringLiteral("ended")));
        QVERIFY(!failure.message.contains(QStringLiteral("will try again")));
    }

    void errorBodyIsSanitised()
    {
        const auto parsed
            = OAuthErrorBody::parse("{\"error\":\"invalid_grant\",\"error_description\":\"bad\\u0007\\n<b>\"}");
        QVERIFY(parsed);
        QCOMPARE(parsed->error, QStringLiteral("invalid_grant"));
        QCOMPARE(parsed->description,
            QStringLiteral("bad?"
                           "?<b>"));
        QVERIFY(!OAuthErrorBody::parse("{\"error\":5}"));
    }
};

QTEST_GUILESS_MAIN(tst_TokenResponse)
#include "tst_TokenResponse.moc"
