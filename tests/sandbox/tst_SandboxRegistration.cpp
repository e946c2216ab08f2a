#include "SandboxHttp.h"

#include "auth/DeviceKey.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace ondevice;
using namespace ondevice::testing;

// Clients registered per device at the sandbox (RFC 7591, RFC 7592) and the JWTs they sign (RFC 7523): the
// asymmetric client's private_key_jwt assertions and the JWT-bearer grant, with keys made by the app's code.
class tst_SandboxRegistration : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<auth::SoftwareDeviceKey> m_key;
    std::unique_ptr<auth::SoftwareDeviceKey> m_other;

    static constexpr char kAssertionType[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static constexpr char kJwtBearer[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    static QString jti() { return QString::number(QRandomGenerator::global()->generate64()); }

    // An ES384 JWT by `key` for `clientId`: sub = the client (an assertion) or `subject` (a grant).
    static QString assertion(const auth::DeviceKey& key, const QString& clientId, const QString& audience,
        const QString& subject = {}, const QString& fixedJti = {}, qint64 lifetime = 240, const QString& kid = {})
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims { { "iss", clientId }, { "sub", subject.isEmpty() ? clientId : subject },
            { "aud", audience }, { "jti", fixedJti.isEmpty() ? jti() : fixedJti }, { "iat", now },
            { "exp", now + lifetime } };
        auto jws = key.signJwt({ { "typ", "JWT" }, { "kid", kid.isEmpty() ? key.thumbprint() : kid } }, claims);
        return jws ? QString::fromLatin1(jws.value()) : QString();
    }

    static QJsonObject registrationRequest(const auth::DeviceKey& key)
    {
        return { { "client_name", "OnDevice Health on test" }, { "software_id", "ondevice-demo" },
            { "redirect_uris", QJsonArray { "http://127.0.0.1/callback" } },
            { "grant_types", QJsonArray { "authorization_code", "refresh_token" } },
            { "token_endpoint_auth_method", "private_key_jwt" }, { "token_endpoint_auth_signing_alg", "ES384" },
            { "jwks", QJsonObject { { "keys", QJsonArray { key.publicJwk() } } } } };
    }

    static HttpReply postJson(SandboxHttp& http, const QJsonObject& body, const QString& bearer = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!bearer.isEmpty())
            headers.append({ "Authorization", "Bearer " + bearer.toLatin1() });
        return http.post(
            http.authUrl("register"), QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", headers);
    }

    static HttpReply manage(const QByteArray& verb, const QUrl& uri, const QString& token)
    {
        QNetworkAccessManager manager;
        QNetworkRequest request(uri);
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        QNetworkReply* reply = manager.sendCustomRequest(request, verb);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        HttpReply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        reply->deleteLater();
        return out;
    }

    QJsonObject stats(const SandboxProcess& sandbox, SandboxHttp& http)
    {
        return http.get(QUrl(sandbox.adminBase().toString() + "/stats")).json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto a = auth::SoftwareDeviceKey::generate(jose::Curve::P384);
        auto b = auth::SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(a && b);
        m_key = std::move(a).value();
        m_other = std::move(b).value();
    }

    void discoveryNamesTheRoutesOfEachBinding_data()
    {
        QTest::addColumn<QString>("binding");
        QTest::addColumn<bool>("registration");
        QTest::addColumn<bool>("asymmetric");
        QTest::addColumn<bool>("jwtBearer");
        QTest::addColumn<bool>("dpop");
        QTest::newRow("dpop") << "dpop" << false << false << false << true;
        QTest::newRow("private-key-jwt") << "private-key-jwt" << true << true << false << false;
        QTest::newRow("jwt-bearer") << "jwt-bearer" << true << false << true << false;
        QTest::newRow("any") << "any" << true << true << true << true;
    }

    void discoveryNamesTheRoutesOfEachBinding()
    {
        QFETCH(QString, binding);
        QFETCH(bool, registration);
        QFETCH(bool, asymmetric);
        QFETCH(bool, jwtBearer);
        QFETCH(bool, dpop);
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--binding", binding }), QString());
        SandboxHttp http(sandbox);
        const QJsonObject config = http.get(QUrl(http.fhirBase() + "/.well-known/smart-configuration")).json();
        QCOMPARE(config.contains("registration_endpoint"), registration);
        QCOMPARE(config.value("capabilities").toArray().contains("client-confidential-asymmetric"), asymmetric);
        QCOMPARE(
            config.value("token_endpoint_auth_methods_supported").toArray().contains("private_key_jwt"), asymmetric);
        QCOMPARE(
            config.value("token_endpoint_auth_signing_alg_values_supported").toArray().contains("ES384"), asymmetric);
        QCOMPARE(config.value("grant_types_supported").toArray().contains(kJwtBearer), jwtBearer);
        QCOMPARE(config.value("scopes_supported").toArray().contains("system/dynamicClient.register"), jwtBearer);
        QCOMPARE(config.contains("dpop_signing_alg_values_supported"), dpop);
        if (!registration)
            QCOMPARE(postJson(http, registrationRequest(*m_key)).status, 404);
    }

    void badRegistrationsAreRefused_data()
    {
        QTest::addColumn<QString>("member");
        QTest::addColumn<QJsonValue>("value"); // undefined: the member is removed
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown software") << "software_id" << QJsonValue("someone-else") << "invalid_client_metadata";
        QTest::newRow("no software") << "software_id" << QJsonValue(QJsonValue::Undefined) << "invalid_client_metadata";
        QTest::newRow("foreign redirect")
            << "redirect_uris" << QJsonValue(QJsonArray { "https://evil.example/cb" }) << "invalid_redirect_uri";
        QTest::newRow("no redirect") << "redirect_uris" << QJsonValue(QJsonValue::Undefined) << "invalid_redirect_uri";
        QTest::newRow("a secret") << "token_endpoint_auth_method" << QJsonValue("client_secret_basic")
                                  << "invalid_client_metadata";
        QTest::newRow("jwks_uri") << "jwks_uri" << QJsonValue("https://evil.example/jwks") << "invalid_client_metadata";
        QTest::newRow("no key") << "jwks" << QJsonValue(QJsonObject { { "keys", QJsonArray {} } })
                                << "invalid_client_metadata";
        QTest::newRow("other alg") << "token_endpoint_auth_signing_alg" << QJsonValue("ES256")
                                   << "invalid_client_metadata";
        QTest::newRow("jwt-bearer without a token")
            << "grant_types" << QJsonValue(QJsonArray { kJwtBearer }) << "invalid_client_metadata";
    }

    void badRegistrationsAreRefused()
    {
        QFETCH(QString, member);
        QFETCH(QJsonValue, value);
        QFETCH(QString, error);
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--binding", "private-key-jwt" }), QString());
        SandboxHttp http(sandbox);
        QJsonObject request = registrationRequest(*m_key);
        if (value.isUndefined())
            request.remove(member);
        else
            request.insert(member, value);
        const HttpReply reply = postJson(http, request);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value("error").toString(), error);
        QCOMPARE(stats(sandbox, http).value("registered_clients").toInt(), 0);
        // A private key is never taken.
        QJsonObject withPrivate = registrationRequest(*m_key);
        QJsonObject jwk = m_key->publicJwk();
        jwk.insert("d", "AAAA");
        withPrivate.insert("jwks", QJsonObject { { "keys", QJsonArray { jwk } } });
        QCOMPARE(postJson(http, withPrivate).status, 400);
    }

    // Route A: register, sign in as the registered client with assertions, refresh with them; the refresh token
    // without an assertion, or with another key's, is refused; RFC 7592 reads and deletes the registration.
    void anAsymmetricClientAuthenticatesEveryRequest()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "private-key-jwt" }), QString());
        SandboxHttp http(sandbox);
        const HttpReply registered = postJson(http, registrationRequest(*m_key));
        QCOMPARE(registered.status, 201);
        const QJsonObject client = registered.json();
        const QString clientId = client.value("client_id").toString();
        const QString registrationToken = client.value("registration_access_token").toString();
        const QUrl registrationUri(client.value("registration_client_uri").toString());
        QVERIFY(!clientId.isEmpty() && !registrationToken.isEmpty() && registrationUri.isValid());
        QCOMPARE(client.value("jwks").toObject().value("keys").toArray().first().toObject(), m_key->publicJwk());
        QCOMPARE(client.value("token_endpoint_auth_method").toString(), QStringLiteral("private_key_jwt"));

        const QString tokenUrl = http.authUrl("token").toString();
        const QString verifier = SandboxHttp::newVerifier();
        Params params = http.authorizeParams(SandboxHttp::defaultScope(), SandboxHttp::challengeFor(verifier));
        params[1].second = clientId;
        const HttpReply redirect = http.authorize(params);
        const QString code = redirect.locationParam("code");
        QVERIFY2(!code.isEmpty(), redirect.body.constData());
        const Params exchange { { "grant_type", "authorization_code" }, { "code", code },
            { "redirect_uri", SandboxHttp::redirectUri() }, { "client_id", clientId }, { "code_verifier", verifier } };
        // The code exchange without an assertion: invalid_client, and the code is not spent.
        const HttpReply bare = http.postForm(http.authUrl("token"), exchange);
        QCOMPARE(bare.status, 401);
        QCOMPARE(bare.json().value("error").toString(), QStringLiteral("invalid_client"));
        const HttpReply exchanged = http.postForm(http.authUrl("token"),
            exchange
                + Params { { "client_assertion_type", kAssertionType },
                    { "client_assertion", assertion(*m_key, clientId, tokenUrl) } });
        QCOMPARE(exchanged.status, 200);
        const QString refreshToken = exchanged.json().value("refresh_token").toString();
        QVERIFY(!refreshToken.isEmpty());

        const auto refresh = [&](const QString& clientAssertion) {
            Params form { { "grant_type", "refresh_token" }, { "refresh_token", refreshToken },
                { "client_id", clientId } };
            if (!clientAssertion.isEmpty())
                form << Params { { "client_assertion_type", kAssertionType }, { "client_assertion", clientAssertion } };
            return http.postForm(http.authUrl("token"), form);
        };
        // The theft cases: no assertion, another key's, a replayed one, one for another audience, one that
        // lives too long.
        QCOMPARE(refresh({}).json().value("error").toString(), QStringLiteral("invalid_client"));
        QCOMPARE(refresh(assertion(*m_other, clientId, tokenUrl)).status, 401);
        QCOMPARE(refresh(assertion(*m_other, clientId, tokenUrl, {}, {}, 240, m_key->thumbprint())).status, 401);
        const QString once = assertion(*m_key, clientId, tokenUrl);
        const HttpReply good = refresh(once);
        QCOMPARE(good.status, 200);
        QCOMPARE(refresh(once).status, 401);
        QCOMPARE(refresh(assertion(*m_key, clientId, "https://elsewhere.example/token")).status, 401);
        QCOMPARE(refresh(assertion(*m_key, clientId, tokenUrl, {}, {}, 3600)).status, 401);

        const QJsonObject counted = stats(sandbox, http);
        QCOMPARE(counted.value("token_requests_by_binding").toObject().value("private_key_jwt").toInt(), 2);
        QCOMPARE(counted.value("token_requests_by_binding").toObject().value("bearer").toInt(), 0);
        const QJsonObject failures = counted.value("binding_failures").toObject();
        QCOMPARE(failures.value("assertion_missing").toInt(), 2);
        QCOMPARE(failures.value("assertion_kid").toInt(), 1);
        QCOMPARE(failures.value("assertion_signature").toInt(), 1);
        QCOMPARE(failures.value("assertion_replay").toInt(), 1);
        QCOMPARE(failures.value("assertion_aud").toInt(), 1);
        QCOMPARE(failures.value("assertion_exp").toInt(), 1);

        // Revocation authenticates too.
        const Params revoke { { "token", good.json().value("refresh_token").toString() }, { "client_id", clientId } };
        QCOMPARE(http.postForm(http.authUrl("revoke"), revoke).status, 401);

        // RFC 7592: read with the registration access token (and only with it), then delete.
        QCOMPARE(manage("GET", registrationUri, "wrong").status, 401);
        const HttpReply read = manage("GET", registrationUri, registrationToken);
        QCOMPARE(read.status, 200);
        QCOMPARE(QJsonDocument::fromJson(read.body).object().value("client_id").toString(), clientId);
        QCOMPARE(stats(sandbox, http).value("live_grants").toInt(), 1);
        QCOMPARE(manage("DELETE", registrationUri, registrationToken).status, 204);
        QCOMPARE(manage("GET", registrationUri, registrationToken).status, 401);
        QCOMPARE(stats(sandbox, http).value("live_grants").toInt(), 0);
        QCOMPARE(stats(sandbox, http).value("registered_clients").toInt(), 0);
    }

    // Route B: the published client asks for the registration scope, registers with its access token, then
    // gets access tokens with JWT-bearer grants for the patient it signed in as; no refresh token.
    void aClientRegisteredWithATokenUsesTheJwtBearerGrant()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "jwt-bearer" }), QString());
        SandboxHttp http(sandbox);
        // Open registration is not offered here.
        QCOMPARE(postJson(http, registrationRequest(*m_key)).status, 401);
        const QJsonObject first
            = http.login("openid fhirUser launch/patient patient/*.rs system/dynamicClient.register");
        QVERIFY(!first.isEmpty());
        QVERIFY(!first.contains("refresh_token"));
        const QString patient = first.value("patient").toString();
        // A token without the scope may not register.
        const QJsonObject plain = http.login("openid fhirUser launch/patient patient/*.rs");
        QJsonObject request { { "software_id", "ondevice-demo" },
            { "jwks", QJsonObject { { "keys", QJsonArray { m_key->publicJwk() } } } } };
        QCOMPARE(postJson(http, request, plain.value("access_token").toString()).status, 401);
        const HttpReply registered = postJson(http, request, first.value("access_token").toString());
        QCOMPARE(registered.status, 201);
        const QString clientId = registered.json().value("client_id").toString();
        QCOMPARE(registered.json().value("grant_types").toArray(), (QJsonArray { kJwtBearer }));

        const QString tokenUrl = http.authUrl("token").toString();
        const auto grant = [&](const QString& jwt) {
            return http.postForm(http.authUrl("token"),
                { { "grant_type", kJwtBearer }, { "client_id", clientId }, { "assertion", jwt } });
        };
        const HttpReply issued = grant(assertion(*m_key, clientId, tokenUrl, patient));
        QCOMPARE(issued.status, 200);
        QVERIFY(!issued.json().contains("refresh_token"));
        QCOMPARE(issued.json().value("patient").toString(), patient);
        const QString access = issued.json().value("access_token").toString();
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + "/Patient/" + patient), access).status, 200);
        // The theft cases: another key; a replayed jti; another user.
        QCOMPARE(grant(assertion(*m_other, clientId, tokenUrl, patient, {}, 240, m_key->thumbprint()))
                     .json()
                     .value("error")
                     .toString(),
            QStringLiteral("invalid_grant"));
        const QString once = assertion(*m_key, clientId, tokenUrl, patient);
        QCOMPARE(grant(once).status, 200);
        QCOMPARE(grant(once).status, 400);
        QCOMPARE(grant(assertion(*m_key, clientId, tokenUrl, "someone-else")).status, 400);
        // The published client may not use the grant.
        QCOMPARE(http.postForm(http.authUrl("token"),
                         { { "grant_type", kJwtBearer }, { "client_id", "ondevice-demo" },
                             { "assertion", assertion(*m_key, "ondevice-demo", tokenUrl, patient) } })
                     .json()
                     .value("error")
                     .toString(),
            QStringLiteral("unauthorized_client"));
        const QJsonObject counted = stats(sandbox, http);
        QCOMPARE(counted.value("token_requests_by_binding").toObject().value("jwt_bearer").toInt(), 5);
        QCOMPARE(counted.value("binding_failures").toObject().value("assertion_replay").toInt(), 1);
        QCOMPARE(counted.value("binding_failures").toObject().value("assertion_sub").toInt(), 1);
        QCOMPARE(counted.value("binding_failures").toObject().value("assertion_signature").toInt(), 1);

        // Deleting the registration ends its access.
        const QUrl uri(registered.json().value("registration_client_uri").toString());
        QCOMPARE(manage("DELETE", uri, registered.json().value("registration_access_token").toString()).status, 204);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + "/Patient/" + patient), access).status, 401);
        QCOMPARE(grant(assertion(*m_key, clientId, tokenUrl, patient)).json().value("error").toString(),
            QStringLiteral("invalid_client"));
    }

    void theRegistrationScopeIsOnlyForThePublishedClientWhereOffered()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "private-key-jwt" }), QString());
        SandboxHttp http(sandbox);
        const HttpReply redirect
            = http.authorize(http.authorizeParams("openid patient/*.rs system/dynamicClient.register",
                SandboxHttp::challengeFor(SandboxHttp::newVerifier())));
        QCOMPARE(redirect.locationParam("error"), QStringLiteral("invalid_scope"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxRegistration)
#include "tst_SandboxRegistration.moc"
