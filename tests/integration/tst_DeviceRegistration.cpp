#include "app/AppSetup.h"
#include "auth/ClientRegistration.h"
#include "auth/ConnectionManager.h"
#include "auth/DeviceKey.h"
#include "auth/Session.h"

#include "AppTestEnvironment.h"
#include "BrowserHook.h"
#include "SandboxHttp.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace ondevice;
using namespace ondevice::auth;
using namespace ondevice::testing;

// A client registered for this computer (RFC 7591) against the sandbox: what a thief who has the keychain's
// refresh token (route A) or a captured assertion (route B), but not the device key, can do (nothing); Forget
// deletes the registration at the provider and every keychain item; a failed connect deletes the registration
// it made; a reconnect keeps the registration and the key.
class tst_DeviceRegistration : public QObject {
    Q_OBJECT

private:
    AppTestEnvironment m_env;

    static QJsonObject stats(const SandboxProcess& sandbox, SandboxHttp& http)
    {
        return http.get(QUrl(sandbox.adminBase().toString() + "/stats")).json();
    }

    // An RFC 7592 GET of the registration with its registration access token.
    static int readRegistration(const QUrl& uri, const QByteArray& token)
    {
        QNetworkAccessManager manager;
        QNetworkRequest request(uri);
        request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply* reply = manager.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    QByteArray keychain(const QString& item)
    {
        const auto value = await(m_env.secrets().read(item));
        return value && value->ok() ? value->value() : QByteArray();
    }

    // Every keychain item the app holds for this connection, by name.
    QStringList itemsOf(const QString& id)
    {
        QStringList found;
        for (const char* item : { "refresh-token", "data-key", "device-key", "registration-token" })
            if (!keychain(id + QLatin1Char('/') + QLatin1String(item)).isEmpty())
                found << item;
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_env.setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // Route A: the refresh token read out of the keychain, with the registered client id, is refused without an
    // assertion and with one by another key; the app, with its key, still refreshes.
    void theRefreshTokenIsUselessWithoutTheKey()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "private-key-jwt" }), QString());
        SandboxHttp http(sandbox);
        const auto outcome = m_env.connect(sandbox);
        QVERIFY(outcome);
        const Connection c = outcome->connection;
        QCOMPARE(c.clientRoute, QStringLiteral("private_key_jwt"));
        QCOMPARE(c.softwareId, QStringLiteral("ondevice-demo"));
        QVERIFY(c.clientId != c.softwareId);
        QCOMPARE(itemsOf(c.id), (QStringList { "refresh-token", "data-key", "device-key", "registration-token" }));

        const QString refreshToken = QString::fromLatin1(keychain(c.refreshTokenKey()));
        const auto refresh = [&](const Params& extra) {
            return http.postForm(http.authUrl("token"),
                Params {
                    { "grant_type", "refresh_token" }, { "refresh_token", refreshToken }, { "client_id", c.clientId } }
                    + extra);
        };
        const HttpReply bare = refresh({});
        QCOMPARE(bare.status, 401);
        QCOMPARE(bare.json().value("error").toString(), QStringLiteral("invalid_client"));
        auto thief = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(thief);
        const auto forged
            = makeClientAssertion(*thief.value(), c.clientId, c.tokenEndpoint, QDateTime::currentDateTimeUtc());
        QVERIFY(forged);
        const HttpReply otherKey = refresh({ { "client_assertion_type", kClientAssertionType },
            { "client_assertion", QString::fromLatin1(forged.value()) } });
        QCOMPARE(otherKey.status, 401);
        QCOMPARE(otherKey.json().value("error").toString(), QStringLiteral("invalid_client"));

        Session session(*m_env.stored(c.id), m_env.services());
        const auto refreshed = await(session.refresh());
        QVERIFY2(
            refreshed && refreshed->ok(), refreshed && !refreshed->ok() ? qPrintable(refreshed->failure().detail) : "");

        // Forget: the registration is gone at the provider, and so is every keychain item.
        const QByteArray registrationToken = keychain(c.registrationTokenKey());
        QVERIFY(!registrationToken.isEmpty());
        QCOMPARE(readRegistration(c.registrationClientUri, registrationToken), 200);
        const CliRun forgotten = m_env.cli({ "disconnect", c.id, "--forget" }, this);
        QVERIFY2(forgotten.exitCode == 0, forgotten.err.constData());
        QCOMPARE(readRegistration(c.registrationClientUri, registrationToken), 401);
        QCOMPARE(itemsOf(c.id), QStringList());
        QCOMPARE(stats(sandbox, http).value("registered_clients").toInt(), 0);
    }

    // Route B: no refresh token at all; an assertion by another key is refused, and so is a captured one
    // presented again.
    void aCapturedAssertionIsUselessAgain()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "jwt-bearer" }), QString());
        SandboxHttp http(sandbox);
        const auto outcome = m_env.connect(sandbox);
        QVERIFY(outcome);
        const Connection c = outcome->connection;
        QCOMPARE(c.clientRoute, QStringLiteral("jwt_bearer"));
        QCOMPARE(itemsOf(c.id), (QStringList { "data-key", "device-key", "registration-token" }));
        QVERIFY(!c.subject.isEmpty());

        const auto grant = [&](const QByteArray& assertion) {
            return http.postForm(http.authUrl("token"),
                { { "grant_type", kJwtBearerGrant }, { "client_id", c.clientId },
                    { "assertion", QString::fromLatin1(assertion) } });
        };
        auto thief = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(thief);
        const auto forged = makeClientAssertion(
            *thief.value(), c.clientId, c.tokenEndpoint, QDateTime::currentDateTimeUtc(), c.subject);
        QVERIFY(forged);
        QCOMPARE(grant(forged.value()).json().value("error").toString(), QStringLiteral("invalid_grant"));
        // An assertion the app's own key made, seen once on its way (a log, a proxy) and presented again.
        auto own = SoftwareDeviceKey::fromKeychainValue(keychain(c.deviceKeyKey()));
        QVERIFY(own);
        const auto captured = makeClientAssertion(
            *own.value(), c.clientId, c.tokenEndpoint, QDateTime::currentDateTimeUtc(), c.subject);
        QVERIFY(captured);
        QCOMPARE(grant(captured.value()).status, 200);
        const HttpReply replayed = grant(captured.value());
        QCOMPARE(replayed.status, 400);
        QCOMPARE(replayed.json().value("error").toString(), QStringLiteral("invalid_grant"));

        // Sign-out deletes the registration: access ends there, the key stays until Forget.
        const QUrl uri = c.registrationClientUri;
        const QByteArray registrationToken = keychain(c.registrationTokenKey());
        const CliRun signedOut = m_env.cli({ "disconnect", c.id }, this);
        QVERIFY2(signedOut.exitCode == 0, signedOut.err.constData());
        QCOMPARE(readRegistration(uri, registrationToken), 401);
        QCOMPARE(stats(sandbox, http).value("live_grants").toInt(), 0);
        const CliRun forgotten = m_env.cli({ "disconnect", c.id, "--forget" }, this);
        QVERIFY2(forgotten.exitCode == 0, forgotten.err.constData());
        QCOMPARE(itemsOf(c.id), QStringList());
    }

    // A connect cancelled after registering deletes the registration it made.
    void aCancelledConnectLeavesNoRegistration()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--binding", "private-key-jwt" }), QString()); // no auto-approve: it waits
        SandboxHttp http(sandbox);
        QUrl opened;
        ConnectionManager manager(m_env.services(), [&opened](const QUrl& url) { opened = url; });
        auto future
            = manager.connectProvider({ sandbox.fhirBase(), QStringLiteral("ondevice-demo"), 0, {}, {}, {}, {}, {} });
        QTRY_VERIFY_WITH_TIMEOUT(opened.isValid(), 15000);
        QCOMPARE(stats(sandbox, http).value("registered_clients").toInt(), 1);
        manager.cancel();
        const auto outcome = await(future);
        QVERIFY(outcome && !outcome->ok());
        QTRY_COMPARE_WITH_TIMEOUT(stats(sandbox, http).value("registered_clients").toInt(), 0, 10000);
    }

    // A reconnect keeps the connection's registration and key: no second client at the provider.
    void aReconnectReusesTheRegistrationAndTheKey()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "private-key-jwt" }), QString());
        SandboxHttp http(sandbox);
        const auto first = m_env.connect(sandbox);
        QVERIFY(first);
        const auto again = m_env.connect(sandbox, {}, first->connection.id);
        QVERIFY(again);
        QCOMPARE(again->connection.clientId, first->connection.clientId);
        QCOMPARE(again->connection.keyThumbprint, first->connection.keyThumbprint);
        QCOMPARE(stats(sandbox, http).value("registered_clients").toInt(), 1);
        const CliRun forgotten = m_env.cli({ "disconnect", first->connection.id, "--forget" }, this);
        QVERIFY2(forgotten.exitCode == 0, forgotten.err.constData());
        QCOMPARE(stats(sandbox, http).value("registered_clients").toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_DeviceRegistration)
#include "tst_DeviceRegistration.moc"
