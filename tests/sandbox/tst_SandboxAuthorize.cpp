// The authorization endpoint and discovery: SMART App Launch 2.2, RFC 6749
// §4.1, RFC 7636 and RFC 8252, spoken as plain HTTP to a real sandbox.

#include "SandboxHttp.h"

#include <QRegularExpression>
#include <QTest>

using namespace ondevice::testing;

namespace {

// Edits of a valid request: "-name" removes, "name=value" replaces (or adds),
// "+name=value" adds a second occurrence. {base} is the FHIR base.
Params edited(Params params, const QStringList& edits, const QString& base)
{
    for (QString edit : edits) {
        edit.replace(QStringLiteral("{base}"), base);
        if (edit.startsWith(QLatin1Char('-'))) {
            params.removeIf([&](const auto& p) { return p.first == edit.mid(1); });
            continue;
        }
        const bool add = edit.startsWith(QLatin1Char('+'));
        const QString body = add ? edit.mid(1) : edit;
        const qsizetype eq = body.indexOf(QLatin1Char('='));
        const QString name = body.left(eq);
        const QString value = body.mid(eq + 1);
        bool replaced = false;
        if (!add) {
            for (auto& p : params) {
                if (p.first == name) {
                    p.second = value;
                    replaced = true;
                }
            }
        }
        if (!replaced)
            params.append({ name, value });
    }
    return params;
}

} // namespace

class tst_SandboxAuthorize : public QObject {
    Q_OBJECT

    SandboxProcess m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        const QString error
            = m_sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--client"),
                QStringLiteral("native=http://[::1]/callback,http://127.0.0.1:8080/cb,https://app.example/cb,http://"
                               "localhost/callback") });
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void smartConfiguration()
    {
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/smart-configuration")));
        QCOMPARE(reply.status, 200);
        const QJsonObject config = reply.json();
        QCOMPARE(config.value(QStringLiteral("issuer")).toString(), http.fhirBase());
        QCOMPARE(m_sandbox.issuer().toString(), http.fhirBase());
        for (const char* key : { "jwks_uri", "authorization_endpoint", "token_endpoint", "revocation_endpoint",
                 "introspection_endpoint" }) {
            const QUrl url(config.value(QLatin1String(key)).toString());
            QVERIFY2(
                url.isValid() && url.host() == QLatin1String("127.0.0.1") && url.port() == m_sandbox.fhirBase().port(),
                key);
        }
        QCOMPARE(config.value(QStringLiteral("code_challenge_methods_supported")).toArray(),
            QJsonArray { QStringLiteral("S256") });
        QCOMPARE(config.value(QStringLiteral("grant_types_supported")).toArray(),
            (QJsonArray { QStringLiteral("authorization_code"), QStringLiteral("refresh_token") }));
        QVERIFY(config.value(QStringLiteral("response_types_supported")).toArray().contains(QStringLiteral("code")));
        QVERIFY(!config.value(QStringLiteral("scopes_supported")).toArray().isEmpty());
        const QJsonArray capabilities = config.value(QStringLiteral("capabilities")).toArray();
        for (const char* capability : { "launch-standalone", "client-public", "context-standalone-patient",
                 "permission-patient", "permission-offline", "permission-v1", "permission-v2", "sso-openid-connect" })
            QVERIFY2(capabilities.contains(QLatin1String(capability)), capability);
    }

    void capabilityStatementHasOauthUris()
    {
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata")));
        QCOMPARE(reply.status, 200);
        const QJsonObject statement = reply.json();
        QCOMPARE(statement.value(QStringLiteral("resourceType")).toString(), QStringLiteral("CapabilityStatement"));
        const QJsonArray extensions = statement.value(QStringLiteral("rest"))
                                          .toArray()
                                          .at(0)
                                          .toObject()
                                          .value(QStringLiteral("security"))
                                          .toObject()
                                          .value(QStringLiteral("extension"))
                                          .toArray();
        const QJsonObject oauth = extensions.at(0).toObject();
        QCOMPARE(oauth.value(QStringLiteral("url")).toString(),
            QStringLiteral("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"));
        QHash<QString, QString> uris;
        for (const QJsonValue& e : oauth.value(QStringLiteral("extension")).toArray())
            uris.insert(e.toObject().value(QStringLiteral("url")).toString(),
                e.toObject().value(QStringLiteral("valueUri")).toString());
        QCOMPARE(uris.value(QStringLiteral("authorize")), http.authUrl(QStringLiteral("authorize")).toString());
        QCOMPARE(uris.value(QStringLiteral("token")), http.authUrl(QStringLiteral("token")).toString());
        QCOMPARE(uris.value(QStringLiteral("revoke")), http.authUrl(QStringLiteral("revoke")).toString());
    }

    void approvedRequestRedirectsWithCodeAndState()
    {
        SandboxHttp http(m_sandbox);
        const QString state = QStringLiteral("a b+c&d=e/%");
        const HttpReply reply = http.authorize(http.authorizeParams(
            SandboxHttp::defaultScope(), SandboxHttp::challengeFor(SandboxHttp::newVerifier()), state));
        QCOMPARE(reply.status, 302);
        const QUrl location = reply.location();
        QCOMPARE(location.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(location.port(), 49152);
        QCOMPARE(location.path(), QStringLiteral("/callback"));
        QCOMPARE(reply.locationParam(QStringLiteral("state")), state);
        QVERIFY(reply.locationParam(QStringLiteral("code")).size() >= 43);
        QCOMPARE(reply.locationParam(QStringLiteral("iss")), http.fhirBase());
        QVERIFY(!reply.locationParam(QStringLiteral("error")).size());
    }

    // Every rule of the authorization endpoint: an error page (never a
    // redirect) until client_id and redirect_uri are verified, then errors
    // go back to the client with its state.
    void authorizeRules_data()
    {
        QTest::addColumn<QStringList>("edits");
        QTest::addColumn<QString>("expected"); // "ok", "page" or an OAuth error code

        QTest::newRow("valid") << QStringList {} << "ok";
        QTest::newRow("aud with one trailing slash") << QStringList { "aud={base}/" } << "ok";
        QTest::newRow("v1 scopes") << QStringList {
            "scope=openid fhirUser launch/patient offline_access patient/*.read"
        } << "ok";
        QTest::newRow("v1 type scope") << QStringList { "scope=launch/patient patient/Observation.read" } << "ok";
        QTest::newRow("v2 type scope") << QStringList { "scope=launch/patient patient/Observation.rs" } << "ok";
        QTest::newRow("v2 with category") << QStringList {
            "scope=launch/patient "
            "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory"
        } << "ok";
        QTest::newRow("online_access") << QStringList { "scope=launch/patient online_access patient/*.rs" } << "ok";
        QTest::newRow("ipv6 loopback any port")
            << QStringList { "client_id=native", "redirect_uri=http://[::1]:61000/callback" } << "ok";
        QTest::newRow("registered port exact")
            << QStringList { "client_id=native", "redirect_uri=http://127.0.0.1:8080/cb" } << "ok";
        QTest::newRow("https exact") << QStringList { "client_id=native", "redirect_uri=https://app.example/cb" }
                                     << "ok";
        QTest::newRow("localhost exact") << QStringList { "client_id=native", "redirect_uri=http://localhost/callback" }
                                         << "ok";

        QTest::newRow("no client_id") << QStringList { "-client_id" } << "page";
        QTest::newRow("unknown client_id") << QStringList { "client_id=evil" } << "page";
        QTest::newRow("repeated client_id") << QStringList { "+client_id=ondevice-demo" } << "page";
        QTest::newRow("no redirect_uri") << QStringList { "-redirect_uri" } << "page";
        QTest::newRow("other path") << QStringList { "redirect_uri=http://127.0.0.1:49152/other" } << "page";
        QTest::newRow("path prefix") << QStringList { "redirect_uri=http://127.0.0.1:49152/callback/x" } << "page";
        QTest::newRow("extra query") << QStringList { "redirect_uri=http://127.0.0.1:49152/callback?x=1" } << "page";
        QTest::newRow("localhost is not 127.0.0.1")
            << QStringList { "redirect_uri=http://localhost:49152/callback" } << "page";
        QTest::newRow("localhost registered, port added")
            << QStringList { "client_id=native", "redirect_uri=http://localhost:5000/callback" } << "page";
        QTest::newRow("https scheme") << QStringList { "redirect_uri=https://127.0.0.1:49152/callback" } << "page";
        QTest::newRow("lookalike host") << QStringList { "redirect_uri=http://127.0.0.1.evil.example/callback" }
                                        << "page";
        QTest::newRow("userinfo") << QStringList { "redirect_uri=http://127.0.0.1:1@evil.example/callback" } << "page";
        QTest::newRow("port out of range") << QStringList { "redirect_uri=http://127.0.0.1:70000/callback" } << "page";
        QTest::newRow("fragment") << QStringList { "redirect_uri=http://127.0.0.1:49152/callback#x" } << "page";
        QTest::newRow("registered port, other port")
            << QStringList { "client_id=native", "redirect_uri=http://127.0.0.1:8081/cb" } << "page";
        QTest::newRow("https, port added")
            << QStringList { "client_id=native", "redirect_uri=https://app.example:444/cb" } << "page";
        QTest::newRow("other client's redirect")
            << QStringList { "client_id=native", "redirect_uri=http://127.0.0.1:49152/callback" } << "page";

        QTest::newRow("no response_type") << QStringList { "-response_type" } << "invalid_request";
        QTest::newRow("implicit") << QStringList { "response_type=token" } << "unsupported_response_type";
        QTest::newRow("no state") << QStringList { "-state" } << "invalid_request";
        QTest::newRow("repeated state") << QStringList { "+state=other" } << "invalid_request";
        QTest::newRow("repeated scope") << QStringList { "+scope=openid" } << "invalid_request";
        QTest::newRow("no scope") << QStringList { "-scope" } << "invalid_scope";
        QTest::newRow("unknown scope") << QStringList { "scope=openid admin" } << "invalid_scope";
        QTest::newRow("bad permission") << QStringList { "scope=patient/Observation.xyz" } << "invalid_scope";
        QTest::newRow("v2 out of order") << QStringList { "scope=patient/Observation.sr" } << "invalid_scope";
        QTest::newRow("user scope") << QStringList { "scope=user/*.rs" } << "invalid_scope";
        QTest::newRow("double space") << QStringList { "scope=openid  fhirUser" } << "invalid_scope";
        QTest::newRow("no aud") << QStringList { "-aud" } << "invalid_request";
        QTest::newRow("wrong aud") << QStringList { "aud=http://127.0.0.1:1/fhir" } << "invalid_request";
        QTest::newRow("aud with two slashes") << QStringList { "aud={base}//" } << "invalid_request";
        QTest::newRow("no PKCE") << QStringList { "-code_challenge", "-code_challenge_method" } << "invalid_request";
        QTest::newRow("no challenge method") << QStringList { "-code_challenge_method" } << "invalid_request";
        QTest::newRow("plain PKCE") << QStringList { "code_challenge_method=plain" } << "invalid_request";
        QTest::newRow("short challenge") << QStringList { "code_challenge=abc" } << "invalid_request";
        QTest::newRow("challenge with padding")
            << QStringList { "code_challenge=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuF=" } << "invalid_request";
    }

    void authorizeRules()
    {
        QFETCH(QStringList, edits);
        QFETCH(QString, expected);
        SandboxHttp http(m_sandbox);
        const Params params = edited(
            http.authorizeParams(SandboxHttp::defaultScope(), SandboxHttp::challengeFor(SandboxHttp::newVerifier())),
            edits, http.fhirBase());
        const HttpReply reply = http.authorize(params);
        if (expected == QLatin1String("page")) {
            QCOMPARE(reply.status, 400);
            QVERIFY(reply.header("location").isEmpty());
            QVERIFY(reply.header("content-type").startsWith("text/html"));
            return;
        }
        QCOMPARE(reply.status, 302);
        QString redirect;
        for (const auto& p : params) {
            if (p.first == QLatin1String("redirect_uri"))
                redirect = p.second;
        }
        QVERIFY2(reply.location().toString().startsWith(redirect), reply.header("location").constData());
        const bool hasState = std::any_of(
            params.cbegin(), params.cend(), [](const auto& p) { return p.first == QLatin1String("state"); });
        if (expected == QLatin1String("ok")) {
            QVERIFY(!reply.locationParam(QStringLiteral("code")).isEmpty());
            QCOMPARE(reply.locationParam(QStringLiteral("error")), QString());
            return;
        }
        QCOMPARE(reply.locationParam(QStringLiteral("error")), expected);
        QVERIFY(reply.locationParam(QStringLiteral("code")).isEmpty());
        if (hasState && !edits.join(QLatin1Char(' ')).contains(QLatin1String("+state")))
            QCOMPARE(reply.locationParam(QStringLiteral("state")), QStringLiteral("state-123"));
    }

    void plusInQueryIsASpace()
    {
        // Browsers send form-encoded queries: `+` separates the scopes.
        SandboxHttp http(m_sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        QUrl url = http.authUrl(QStringLiteral("authorize"));
        Params params = http.authorizeParams(QStringLiteral("X"), SandboxHttp::challengeFor(verifier));
        QByteArray query = SandboxHttp::formEncode(params);
        query.replace("scope=X", "scope=openid+launch%2Fpatient+patient%2F*.rs");
        url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
        const HttpReply reply = http.get(url);
        QCOMPARE(reply.status, 302);
        QVERIFY(!reply.locationParam(QStringLiteral("code")).isEmpty());
    }

    // Without --auto-approve, a plain page lets a person pick a patient.
    void consentPage_data()
    {
        QTest::addColumn<QString>("decision");
        QTest::newRow("approve") << "approve";
        QTest::newRow("deny") << "deny";
    }

    void consentPage()
    {
        QFETCH(QString, decision);
        SandboxProcess sandbox;
        const QString error = sandbox.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        SandboxHttp http(sandbox);
        const HttpReply page = http.authorize(
            http.authorizeParams(SandboxHttp::defaultScope(), SandboxHttp::challengeFor(SandboxHttp::newVerifier())));
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("content-type").startsWith("text/html"));
        QCOMPARE(page.header("x-frame-options"), QByteArray("DENY"));
        const QString html = QString::fromUtf8(page.body);
        const QString requestId
            = QRegularExpression(QStringLiteral("name=\"request_id\" value=\"([^\"]+)\"")).match(html).captured(1);
        const QStringList patients = [&] {
            QStringList ids;
            auto it = QRegularExpression(QStringLiteral("name=\"patient\" value=\"([^\"]+)\"")).globalMatch(html);
            while (it.hasNext())
                ids.append(it.next().captured(1));
            return ids;
        }();
        QVERIFY(!requestId.isEmpty());
        QCOMPARE(patients.size(), 3);
        QVERIFY(html.contains(QStringLiteral("born "))); // names and birth dates to choose from

        Params form { { QStringLiteral("request_id"), requestId }, { QStringLiteral("patient"), patients.at(1) },
            { QStringLiteral("duration"), QStringLiteral("90d") }, { QStringLiteral("decision"), decision } };
        for (const QString& scope : SandboxHttp::defaultScope().split(QLatin1Char(' ')))
            form.append({ QStringLiteral("scope"), scope });
        const HttpReply answer = http.postForm(http.authUrl(QStringLiteral("authorize/decision")), form);
        QCOMPARE(answer.status, 302);
        QCOMPARE(answer.locationParam(QStringLiteral("state")), QStringLiteral("state-123"));
        if (decision == QLatin1String("deny")) {
            QCOMPARE(answer.locationParam(QStringLiteral("error")), QStringLiteral("access_denied"));
            QVERIFY(answer.locationParam(QStringLiteral("code")).isEmpty());
        } else {
            QVERIFY(!answer.locationParam(QStringLiteral("code")).isEmpty());
        }
        // The page answers once: a replayed form mints nothing.
        const HttpReply replay = http.postForm(http.authUrl(QStringLiteral("authorize/decision")), form);
        QCOMPARE(replay.status, 400);
        QVERIFY(replay.header("location").isEmpty());
    }

    void autoApproveNamedPatient()
    {
        SandboxProcess plain;
        QVERIFY(plain.start({ QStringLiteral("--seed"), QStringLiteral("3") }).isEmpty());
        SandboxHttp plainHttp(plain);
        const QString html = QString::fromUtf8(plainHttp
                                                   .authorize(plainHttp.authorizeParams(SandboxHttp::defaultScope(),
                                                       SandboxHttp::challengeFor(SandboxHttp::newVerifier())))
                                                   .body);
        QStringList ids;
        auto it = QRegularExpression(QStringLiteral("name=\"patient\" value=\"([^\"]+)\"")).globalMatch(html);
        while (it.hasNext())
            ids.append(it.next().captured(1));
        QCOMPARE(ids.size(), 3);

        SandboxProcess sandbox;
        QVERIFY(
            sandbox
                .start({ QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--auto-approve"), ids.at(1) })
                .isEmpty());
        SandboxHttp http(sandbox);
        QCOMPARE(http.login().value(QStringLiteral("patient")).toString(), ids.at(1));
    }

    void chosenPatientIsTheTokenPatient()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start().isEmpty());
        SandboxHttp http(sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        const HttpReply page
            = http.authorize(http.authorizeParams(SandboxHttp::defaultScope(), SandboxHttp::challengeFor(verifier)));
        const QString html = QString::fromUtf8(page.body);
        const QString requestId
            = QRegularExpression(QStringLiteral("name=\"request_id\" value=\"([^\"]+)\"")).match(html).captured(1);
        QStringList ids;
        auto it = QRegularExpression(QStringLiteral("name=\"patient\" value=\"([^\"]+)\"")).globalMatch(html);
        while (it.hasNext())
            ids.append(it.next().captured(1));
        QCOMPARE(ids.size(), 3);
        Params form { { QStringLiteral("request_id"), requestId }, { QStringLiteral("patient"), ids.at(2) },
            { QStringLiteral("duration"), QStringLiteral("revoked") },
            { QStringLiteral("decision"), QStringLiteral("approve") } };
        for (const QString& scope : SandboxHttp::defaultScope().split(QLatin1Char(' ')))
            form.append({ QStringLiteral("scope"), scope });
        const HttpReply answer = http.postForm(http.authUrl(QStringLiteral("authorize/decision")), form);
        const HttpReply token = http.postForm(http.authUrl(QStringLiteral("token")),
            { { QStringLiteral("grant_type"), QStringLiteral("authorization_code") },
                { QStringLiteral("code"), answer.locationParam(QStringLiteral("code")) },
                { QStringLiteral("redirect_uri"), SandboxHttp::redirectUri() },
                { QStringLiteral("client_id"), QStringLiteral("ondevice-demo") },
                { QStringLiteral("code_verifier"), verifier } });
        QCOMPARE(token.status, 200);
        QCOMPARE(token.json().value(QStringLiteral("patient")).toString(), ids.at(2));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxAuthorize)
#include "tst_SandboxAuthorize.moc"
