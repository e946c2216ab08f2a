// Each real-server quirk (--quirks and PUT {admin_base}/quirks) seen over plain HTTP.

#include "SandboxHttp.h"

#include <QRegularExpression>
#include <QTest>

using namespace ondevice::testing;

class tst_SandboxQuirks : public QObject {
    Q_OBJECT

    static QString start(SandboxProcess& sandbox, const QString& quirks)
    {
        return sandbox.start({ "--auto-approve", "first", "--quirks", quirks });
    }

private Q_SLOTS:
    void plain401()
    {
        SandboxProcess sandbox;
        QVERIFY(start(sandbox, QStringLiteral("plain-401")).isEmpty());
        SandboxHttp http(sandbox);
        for (const QString& token : { QString(), QStringLiteral("expired-or-unknown") }) {
            const HttpReply reply = token.isEmpty()
                ? http.get(QUrl(http.fhirBase() + QStringLiteral("/Patient")))
                : http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient")), token);
            QCOMPARE(reply.status, 401);
            QVERIFY(reply.header("content-type").startsWith("text/plain"));
            QVERIFY(!reply.headers.contains("www-authenticate"));
        }
    }

    void noRefreshGrantType()
    {
        SandboxProcess sandbox;
        QVERIFY(start(sandbox, QStringLiteral("no-refresh-grant-type")).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject config
            = http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/smart-configuration"))).json();
        QCOMPARE(config.value(QStringLiteral("grant_types_supported")).toArray(),
            QJsonArray { QStringLiteral("authorization_code") });
        const QJsonObject token = http.login();
        QVERIFY(token.contains(QStringLiteral("refresh_token")));
        QCOMPARE(http.refresh(token.value(QStringLiteral("refresh_token")).toString()).status, 200);
    }

    void noRevocation()
    {
        SandboxProcess sandbox;
        QVERIFY(start(sandbox, QStringLiteral("no-revocation")).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject config
            = http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/smart-configuration"))).json();
        QVERIFY(!config.contains(QStringLiteral("revocation_endpoint")));
        QVERIFY(config.contains(QStringLiteral("token_endpoint")));
        QVERIFY(!http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/openid-configuration")))
                     .json()
                     .contains(QStringLiteral("revocation_endpoint")));
        const QByteArray metadata = http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata"))).body;
        QVERIFY(metadata.contains("\"token\""));
        QVERIFY(!metadata.contains("\"revoke\""));
        const QJsonObject token = http.login();
        const HttpReply revoke = http.postForm(http.authUrl(QStringLiteral("revoke")),
            { { "token", token.value(QStringLiteral("refresh_token")).toString() }, { "client_id", "ondevice-demo" } });
        QCOMPARE(revoke.status, 404);
        // The token is untouched.
        QCOMPARE(http.refresh(token.value(QStringLiteral("refresh_token")).toString()).status, 200);
    }

    void noOfflineScope()
    {
        SandboxProcess sandbox;
        QVERIFY(start(sandbox, QStringLiteral("no-offline-scope")).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        QVERIFY(!token.value(QStringLiteral("scope"))
                     .toString()
                     .split(QLatin1Char(' '))
                     .contains(QStringLiteral("offline_access")));
        QVERIFY(token.value(QStringLiteral("scope")).toString().contains(QStringLiteral("patient/*.rs")));
        QVERIFY(!token.value(QStringLiteral("refresh_token")).toString().isEmpty());
        const HttpReply refreshed = http.refresh(token.value(QStringLiteral("refresh_token")).toString());
        QCOMPARE(refreshed.status, 200);
        QVERIFY(!refreshed.json().value(QStringLiteral("scope")).toString().contains(QStringLiteral("offline_access")));
    }

    void noRefreshToken()
    {
        SandboxProcess sandbox;
        QVERIFY(start(sandbox, QStringLiteral("no-refresh-token")).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        QVERIFY(!token.value(QStringLiteral("access_token")).toString().isEmpty());
        QVERIFY(token.value(QStringLiteral("scope")).toString().contains(QStringLiteral("offline_access")));
        QVERIFY(!token.contains(QStringLiteral("refresh_token")));
    }

    void launchBase()
    {
        SandboxProcess sandbox;
        QVERIFY(start(sandbox, QStringLiteral("launch-base")).isEmpty());
        const QString base = sandbox.fhirBase().toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^http://127\\.0\\.0\\.1:\\d+/v/r4/sim/[A-Za-z0-9_-]+/fhir$"))
                     .match(base)
                     .hasMatch(),
            qPrintable(base));
        QCOMPARE(sandbox.issuer().toString(), base);
        SandboxHttp http(sandbox);
        QCOMPARE(http.get(QUrl(base + QStringLiteral("/.well-known/smart-configuration")))
                     .json()
                     .value(QStringLiteral("issuer"))
                     .toString(),
            base);
        QCOMPARE(http.get(QUrl(http.origin().toString() + QStringLiteral("/fhir/metadata"))).status, 404);
        // aud must be the launch base; the plain /fhir is another server as far as aud goes.
        Params params
            = http.authorizeParams(SandboxHttp::defaultScope(), SandboxHttp::challengeFor(SandboxHttp::newVerifier()));
        for (auto& param : params) {
            if (param.first == QLatin1String("aud"))
                param.second = http.origin().toString() + QStringLiteral("/fhir");
        }
        const HttpReply wrongAud = http.authorize(params);
        QCOMPARE(wrongAud.status, 302);
        QCOMPARE(wrongAud.locationParam(QStringLiteral("error")), QStringLiteral("invalid_request"));
        const QJsonObject token = http.login();
        QVERIFY(!token.isEmpty());
        const QString patient = token.value(QStringLiteral("patient")).toString();
        const HttpReply page = http.getBearer(QUrl(base + QStringLiteral("/Observation?_count=5&patient=") + patient),
            token.value(QStringLiteral("access_token")).toString());
        QCOMPARE(page.status, 200);
        for (const QJsonValue& link : page.json().value(QStringLiteral("link")).toArray())
            QVERIFY(link.toObject().value(QStringLiteral("url")).toString().startsWith(base + QLatin1Char('/')));
        QVERIFY(page.json()
                    .value(QStringLiteral("entry"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("fullUrl"))
                    .toString()
                    .startsWith(base + QLatin1Char('/')));
    }

    void adminSwitchesQuirks()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        SandboxHttp http(sandbox);
        const QUrl quirks(sandbox.adminBase().toString() + QStringLiteral("/quirks"));
        QCOMPARE(http.get(quirks).json().value(QStringLiteral("quirks")).toString(), QString());
        QCOMPARE(http.put(quirks, "bogus").status, 400);
        HttpReply reply = http.put(quirks, "plain-401, no-revocation");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("quirks")).toString(), QStringLiteral("plain-401,no-revocation"));
        QVERIFY(http.get(QUrl(http.fhirBase() + QStringLiteral("/Patient")))
                    .header("content-type")
                    .startsWith("text/plain"));
        reply = http.put(quirks, "{\"quirks\":\"launch-base\"}", "application/json");
        QCOMPARE(reply.status, 200);
        const QString base = reply.json().value(QStringLiteral("fhir_base")).toString();
        QVERIFY(base.contains(QStringLiteral("/v/r4/sim/")));
        QCOMPARE(reply.json().value(QStringLiteral("issuer")).toString(), base);
        QCOMPARE(http.get(QUrl(base + QStringLiteral("/metadata"))).status, 200);
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata"))).status, 404);
        QCOMPARE(http.put(quirks, "none").status, 200);
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata"))).status, 200);
    }

    void unknownQuirkFlag()
    {
        SandboxProcess sandbox;
        QVERIFY(!sandbox.start({ "--quirks", "plain-401,teapot" }).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_SandboxQuirks)
#include "tst_SandboxQuirks.moc"
