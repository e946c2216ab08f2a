#include "auth/ClientRegistration.h"
#include "auth/DeviceKey.h"
#include "auth/Jwt.h"
#include "core/Jose.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ondevice;
using namespace ondevice::auth;

// The client this installation is at a server: the route it picks from discovery, the registration it
// asks for, the answers it accepts, and the assertions it signs.
class tst_ClientRegistration : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SoftwareDeviceKey> m_key;

    static SmartConfiguration config(bool asymmetric, bool jwtBearer, const QStringList& dpop)
    {
        SmartConfiguration c;
        c.registrationEndpoint = QUrl(QStringLiteral("https://ehr.example/register"));
        if (asymmetric) {
            c.tokenEndpointAuthMethods = { "none", "private_key_jwt" };
            c.tokenEndpointAuthSigningAlgorithms = { "RS384", "ES384" };
            c.capabilities = { "client-confidential-asymmetric" };
        }
        if (jwtBearer) {
            c.grantTypes = { "authorization_code", kJwtBearerGrant };
            c.scopesSupported = { "openid", kRegistrationScope };
        }
        c.dpopAlgorithms = dpop;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto key = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(key);
        m_key = std::move(key).value();
    }

    // The order the issue sets: asymmetric with DPoP, JWT-bearer with DPoP, asymmetric, JWT-bearer, DPoP, none.
    void theRouteFollowsTheOrder_data()
    {
        QTest::addColumn<bool>("asymmetric");
        QTest::addColumn<bool>("jwtBearer");
        QTest::addColumn<QStringList>("dpop");
        QTest::addColumn<QString>("route");
        QTest::addColumn<bool>("usesDpop");
        QTest::newRow("everything") << true << true << QStringList { "ES256", "ES384" } << "private_key_jwt" << true;
        QTest::newRow("jwt-bearer and dpop") << false << true << QStringList { "ES384" } << "jwt_bearer" << true;
        QTest::newRow("asymmetric") << true << false << QStringList() << "private_key_jwt" << false;
        QTest::newRow("jwt-bearer") << false << true << QStringList() << "jwt_bearer" << false;
        QTest::newRow("dpop") << false << false << QStringList { "ES256" } << "" << true;
        QTest::newRow("none") << false << false << QStringList() << "" << false;
        // A registered client's key is P-384: DPoP that signs only ES256 does not go with it.
        QTest::newRow("asymmetric, DPoP ES256 only")
            << true << false << QStringList { "ES256" } << "private_key_jwt" << false;
    }

    void theRouteFollowsTheOrder()
    {
        QFETCH(bool, asymmetric);
        QFETCH(bool, jwtBearer);
        QFETCH(QStringList, dpop);
        QFETCH(QString, route);
        QFETCH(bool, usesDpop);
        const SmartConfiguration c = config(asymmetric, jwtBearer, dpop);
        QCOMPARE(clientRouteName(chooseClientRoute(c)), route);
        QCOMPARE(auth::usesDpop(c, chooseClientRoute(c)), usesDpop);
        QCOMPARE(clientRouteFromName(route), chooseClientRoute(c));
    }

    void asymmetricNeedsEverythingItNames()
    {
        SmartConfiguration c = config(true, false, {});
        c.tokenEndpointAuthSigningAlgorithms = { "RS384" }; // this app signs ES384 only
        QCOMPARE(chooseClientRoute(c), ClientRoute::Public);
        c = config(true, false, {});
        c.capabilities.clear();
        QCOMPARE(chooseClientRoute(c), ClientRoute::Public);
        c = config(true, true, {});
        c.registrationEndpoint = QUrl();
        QCOMPARE(chooseClientRoute(c), ClientRoute::Public);
    }

    void theRegistrationRequestSaysWhatTheIssueAsks()
    {
        const QJsonObject a = registrationRequest(
            ClientRoute::PrivateKeyJwt, "ondevice-demo", QStringLiteral("http://127.0.0.1/callback"), *m_key);
        QCOMPARE(a.value("software_id").toString(), QStringLiteral("ondevice-demo"));
        QVERIFY(a.value("client_name").toString().startsWith(QStringLiteral("OnDevice Health")));
        QCOMPARE(a.value("redirect_uris").toArray(), (QJsonArray { "http://127.0.0.1/callback" }));
        QCOMPARE(a.value("grant_types").toArray(), (QJsonArray { "authorization_code", "refresh_token" }));
        QCOMPARE(a.value("token_endpoint_auth_method").toString(), QStringLiteral("private_key_jwt"));
        QCOMPARE(a.value("token_endpoint_auth_signing_alg").toString(), QStringLiteral("ES384"));
        const QJsonObject jwk = a.value("jwks").toObject().value("keys").toArray().first().toObject();
        QCOMPARE(jwk.value("kid").toString(), m_key->thumbprint());
        QVERIFY(!jwk.contains("d"));
        const QJsonObject b = registrationRequest(ClientRoute::JwtBearer, "ondevice-demo", {}, *m_key);
        QCOMPARE(b.value("grant_types").toArray(), (QJsonArray { kJwtBearerGrant }));
        QVERIFY(!b.contains("redirect_uris"));
    }

    void onlyAnAnswerForThisKeyIsAClient_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::newRow("201") << 201 << QByteArray("{\"client_id\":\"c1\"}") << true;
        QTest::newRow("no client id") << 201 << QByteArray("{\"client_name\":\"x\"}") << false;
        QTest::newRow("another key") << 201
                                     << QByteArray("{\"client_id\":\"c1\",\"jwks\":{\"keys\":[{\"kty\":\"EC\","
                                                   "\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"BB\"}]}}")
                                     << false;
        QTest::newRow("a secret instead") << 201
                                          << QByteArray("{\"client_id\":\"c1\",\"token_endpoint_auth_method\":"
                                                        "\"client_secret_basic\"}")
                                          << false;
        QTest::newRow("refused") << 400 << QByteArray("{\"error\":\"invalid_client_metadata\"}") << false;
        QTest::newRow("not JSON") << 201 << QByteArray("<html>") << false;
    }

    void onlyAnAnswerForThisKeyIsAClient()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        HttpResult result;
        result.status = status;
        result.body = body;
        const auto parsed = parseRegistrationResponse(result, ClientRoute::PrivateKeyJwt, *m_key, {});
        QCOMPARE(parsed.ok(), ok);
        if (!ok)
            QVERIFY(!parsed.failure().message.isEmpty());
    }

    void theManagementUriMustBeSecure()
    {
        HttpResult result;
        result.status = 201;
        result.body = "{\"client_id\":\"c1\",\"registration_client_uri\":\"http://ehr.example/r/c1\","
                      "\"registration_access_token\":\"t\"}";
        const auto parsed = parseRegistrationResponse(result, ClientRoute::PrivateKeyJwt, *m_key, {});
        QVERIFY(parsed.ok());
        QVERIFY(parsed.value().registrationClientUri.isEmpty());
        QCOMPARE(parsed.value().registrationAccessToken, QByteArray("t"));
    }

    void assertionsAreFreshShortAndSignedByTheKey()
    {
        const QUrl token(QStringLiteral("https://ehr.example/token"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto first = makeClientAssertion(*m_key, "c1", token, now);
        const auto second = makeClientAssertion(*m_key, "c1", token, now, "user-7");
        QVERIFY(first && second);
        const auto a = parseCompactJws(first.value());
        const auto b = parseCompactJws(second.value());
        QVERIFY(a && b);
        QCOMPARE(a.value().header.value("alg").toString(), QStringLiteral("ES384"));
        QCOMPARE(a.value().header.value("kid").toString(), m_key->thumbprint());
        QCOMPARE(a.value().header.value("typ").toString(), QStringLiteral("JWT"));
        QCOMPARE(a.value().payload.value("iss").toString(), QStringLiteral("c1"));
        QCOMPARE(a.value().payload.value("sub").toString(), QStringLiteral("c1"));
        QCOMPARE(b.value().payload.value("sub").toString(), QStringLiteral("user-7"));
        QCOMPARE(a.value().payload.value("aud").toString(), token.toString());
        const qint64 exp = a.value().payload.value("exp").toInteger();
        QVERIFY(exp > now.toSecsSinceEpoch() && exp <= now.toSecsSinceEpoch() + 300);
        QVERIFY(a.value().payload.value("jti").toString() != b.value().payload.value("jti").toString());
        // Verified by the public key alone.
        jose::Curve curve = jose::Curve::P256;
        QString why;
        const auto key = jose::ecPublicKey(m_key->publicJwk(), &curve, &why);
        QVERIFY(key);
        QVERIFY2(
            jose::verifyEcdsa(key.get(), curve, a.value().signingInput, a.value().signature, &why), qPrintable(why));
    }

    void aRegisteredClientThatIsNoLongerKnownMustReconnect()
    {
        HttpResult result;
        result.status = 401;
        result.body = "{\"error\":\"invalid_client\"}";
        QCOMPARE(registeredClientFailure(result, "refresh").code, AuthError::InvalidGrant);
        result.body = "{\"error\":\"invalid_request\"}";
        QCOMPARE(registeredClientFailure(result, "refresh").code, AuthError::OAuth);
    }
};

QTEST_GUILESS_MAIN(tst_ClientRegistration)
#include "tst_ClientRegistration.moc"
