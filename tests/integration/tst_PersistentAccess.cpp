// Persistent access end to end: the real sandbox, the real keychain (the
// private gnome-keyring of ./dev test), real ondevice-cli processes.

#include "AppSetup.h"
#include "AppTestEnvironment.h"
#include "BrowserHook.h"
#include "SandboxProcess.h"
#include "TestSupport.h"
#include "TinyHttpServer.h"

#include "auth/ConnectionManager.h"
#include "auth/SecretStore.h"
#include "auth/Session.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace ondevice::auth;
using namespace ondevice::testing;

namespace {

QStringList g_log; // every message the process logged, scanned for secrets at the end

void captureMessages(QtMsgType, const QMessageLogContext&, const QString& message)
{
    g_log << message;
}

QByteArray b64url(const QByteArray& data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// An RSA key the test controls, to sign id_tokens a hostile server would send.
struct TestKey {
    EVP_PKEY* key = nullptr;
    TestKey() { key = EVP_RSA_gen(2048); }
    ~TestKey() { EVP_PKEY_free(key); }
    TestKey(const TestKey&) = delete;
    TestKey& operator=(const TestKey&) = delete;

    QByteArray bn(const char* name) const
    {
        BIGNUM* value = nullptr;
        EVP_PKEY_get_bn_param(key, name, &value);
        QByteArray out(BN_num_bytes(value), '\0');
        BN_bn2bin(value, reinterpret_cast<unsigned char*>(out.data()));
        BN_free(value);
        return out;
    }
    QJsonObject jwk(const QString& kid) const
    {
        return { { "kty", "RSA" }, { "kid", kid }, { "alg", "RS256" }, { "use", "sig" },
            { "n", QString::fromLatin1(b64url(bn(OSSL_PKEY_PARAM_RSA_N))) },
            { "e", QString::fromLatin1(b64url(bn(OSSL_PKEY_PARAM_RSA_E))) } };
    }
    QByteArray sign(const QJsonObject& header, const QJsonObject& claims) const
    {
        const QByteArray input = b64url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
            + b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        size_t length = 0;
        EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
        EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.constData()), input.size());
        QByteArray signature(static_cast<qsizetype>(length), '\0');
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
            reinterpret_cast<const unsigned char*>(input.constData()), input.size());
        EVP_MD_CTX_free(ctx);
        return input + '.' + b64url(signature.left(static_cast<qsizetype>(length)));
    }
};

// A SMART server made to misbehave in one chosen way, on a real HTTP server.
struct HostileServer {
    enum class Fault {
        None,
        NoS256,
        WrongState,
        AccessDenied,
        ForeignSignature,
        WrongAudience,
        SubjectChangesOnRefresh
    };
    TinyHttpServer http;
    TestKey serverKey;
    TestKey attackerKey;
    Fault fault = Fault::None;
    int tokenRequests = 0;
    QList<QByteArray> revoked;

    QString base() const { return http.url(QStringLiteral("/fhir")).toString(); }

    void start()
    {
        QVERIFY(http.listen());
        http.setHandler([this](const TinyHttpServer::Request& r) -> TinyHttpServer::Response {
            const QUrl target = QUrl::fromEncoded("http://x" + r.target);
            if (target.path() == QLatin1String("/fhir/.well-known/smart-configuration")) {
                QJsonObject config { { "issuer", base() }, { "jwks_uri", http.url("/jwks").toString() },
                    { "authorization_endpoint", http.url("/authorize").toString() },
                    { "token_endpoint", http.url("/token").toString() },
                    { "revocation_endpoint", http.url("/revoke").toString() },
                    { "capabilities",
                        QJsonArray { "launch-standalone", "client-public", "permission-v2", "permission-offline" } } };
                if (fault != Fault::NoS256)
                    config["code_challenge_methods_supported"] = QJsonArray { "S256" };
                return { 200, "application/json", QJsonDocument(config).toJson(), {} };
            }
            if (target.path() == QLatin1String("/authorize")) {
                const QUrlQuery q(target);
                QUrl back(q.queryItemValue("redirect_uri", QUrl::FullyDecoded));
                QUrlQuery answer;
                const QString state = fault == Fault::WrongState ? QStringLiteral("forged")
                                                                 : q.queryItemValue("state", QUrl::FullyDecoded);
                if (fault == Fault::AccessDenied)
                    answer.addQueryItem("error", "access_denied");
                else
                    answer.addQueryItem("code", "code-1");
                answer.addQueryItem("state", state);
                back.setQuery(answer);
                return { 302, "text/plain", {}, { { "Location", back.toEncoded() } } };
            }
            if (target.path() == QLatin1String("/token")) {
                ++tokenRequests;
                const qint64 now = QDateTime::currentSecsSinceEpoch();
                QJsonObject claims { { "iss", base() }, { "sub", "user-1" }, { "aud", "ondevice-demo" }, { "iat", now },
                    { "exp", now + 300 }, { "fhirUser", "Patient/p1" } };
                if (fault == Fault::WrongAudience)
                    claims["aud"] = "someone-else";
                const bool refreshing
                    = TinyHttpServer::formField(r.body, "grant_type") == QLatin1String("refresh_token");
                if (fault == Fault::SubjectChangesOnRefresh && refreshing)
                    claims["sub"] = "user-2";
                const TestKey& signer = fault == Fault::ForeignSignature ? attackerKey : serverKey;
                const QByteArray idToken
                    = signer.sign({ { "alg", "RS256" }, { "kid", "k1" }, { "typ", "JWT" } }, claims);
                const QJsonObject tokens { { "access_token", "hostile-access" }, { "token_type", "Bearer" },
                    { "expires_in", 3600 }, { "refresh_token", refreshing ? "hostile-refresh-2" : "hostile-refresh" },
                    { "patient", "p1" }, { "scope", "openid fhirUser launch/patient offline_access patient/*.rs" },
                    { "id_token", QString::fromLatin1(idToken) } };
                return { 200, "application/json", QJsonDocument(tokens).toJson(), {} };
            }
            if (target.path() == QLatin1String("/jwks"))
                return { 200, "application/json",
                    QJsonDocument(QJsonObject { { "keys", QJsonArray { serverKey.jwk("k1") } } }).toJson(), {} };
            if (target.path() == QLatin1String("/revoke")) {
                revoked << TinyHttpServer::formField(r.body, QStringLiteral("token")).toUtf8();
                return { 200, "application/json", "{}", {} };
            }
            return { 404, "text/plain", "no", {} };
        });
    }
};

} // namespace

class tst_PersistentAccess : public QObject {
    Q_OBJECT

private:
    AppTestEnvironment m_env;
    QList<QByteArray> m_seenSecrets; // every token and key this test saw
    QList<QByteArray> m_cliOutput;

    AuthServices services() { return m_env.services(); }
    QProcessEnvironment childEnvironment() const { return m_env.childEnvironment(); }
    std::optional<Connection> stored(const QString& id) { return m_env.stored(id); }

    QProcess* startCli(const QStringList& arguments, const QProcessEnvironment& env)
    {
        return m_env.startCli(arguments, this, env);
    }

    // Everything a CLI run prints is kept: noSecretInAnyFileOrLog looks through it.
    CliRun finishCli(QProcess* process)
    {
        CliRun run = AppTestEnvironment::finishCli(process);
        m_cliOutput << run.out << run.err;
        return run;
    }

    CliRun cli(const QStringList& arguments, std::optional<QProcessEnvironment> env = std::nullopt)
    {
        CliRun run = m_env.cli(arguments, this, std::move(env));
        m_cliOutput << run.out << run.err;
        return run;
    }

    QJsonObject stats(const SandboxProcess& sandbox)
    {
        return httpRequest("GET", QUrl(sandbox.adminBase().toString() + "/stats")).json();
    }
    int refreshCount(const SandboxProcess& sandbox)
    {
        return stats(sandbox).value("token_requests").toObject().value("refresh_token").toInt();
    }

    std::optional<QByteArray> secret(const QString& key)
    {
        const auto value = await(m_env.secrets().read(key));
        if (!value || !*value)
            return std::nullopt;
        m_seenSecrets << value->value();
        return value->value();
    }

    QStringList keychainKeys()
    {
        QProcess tool;
        tool.start(
            "secret-tool", { "search", "--all", "server", QString::fromLatin1(ondevice::app::kKeychainService) });
        tool.waitForFinished(15000);
        QStringList keys;
        for (const QByteArray& line :
            QByteArray(tool.readAllStandardOutput() + tool.readAllStandardError()).split('\n'))
            if (line.startsWith("attribute.user = "))
                keys << QString::fromUtf8(line.mid(17)).trimmed();
        keys.sort();
        return keys;
    }

    void collectAccessToken(Session& session)
    {
        session.accessToken(this, [this](const AccessToken& token) {
            if (token)
                m_seenSecrets << token.value();
        });
    }

    // Connects through the sandbox with the browser hook; fails the test on error.
    Connection connectTo(
        SandboxProcess& sandbox, ConnectOutcome* outcomeOut = nullptr, std::optional<QString> reconnect = {})
    {
        BrowserHook browser;
        ConnectionManager manager(services(), browser.opener());
        auto outcome = await(
            manager.connectProvider({ sandbox.fhirBase(), "ondevice-demo", 0, {}, reconnect, {}, {}, {} }), 60000);
        [&] {
            QVERIFY(outcome);
            QVERIFY2(outcome->ok(),
                qPrintable(outcome->ok() ? QString() : outcome->failure().message + " / " + outcome->failure().detail));
            QTRY_VERIFY(browser.finished());
            QCOMPARE(browser.lastStatus(), 200); // the browser tab was told the truth, after storage
        }();
        if (!outcome || !outcome->ok())
            return {};
        m_seenSecrets << outcome->value().accessToken;
        // A DPoP-bound connection's device key is a secret like the others: its keychain form and its DER.
        if (outcome->value().connection.isDpopBound()) {
            const auto key = secret(outcome->value().connection.deviceKeyKey());
            [&] { QVERIFY(key); }();
            if (key)
                m_seenSecrets << QByteArray::fromBase64(*key);
        }
        if (outcomeOut)
            *outcomeOut = outcome->value();
        return outcome->value().connection;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_env.setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        qInstallMessageHandler(captureMessages);
    }

    void firstConnectThenRestartsRefreshSilently()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QVERIFY(!c.id.isEmpty());
        QVERIFY(c.refreshTokenIssued);
        QVERIFY(c.state == ConnectionState::Connected);
        QVERIFY(!c.patientId.isEmpty());
        QVERIFY(c.fhirUser.contains(c.patientId) || !c.fhirUser.isEmpty());
        QVERIFY(c.grantEnd.isValid()); // from introspection
        QVERIFY(secret(c.refreshTokenKey()));
        QVERIFY(secret(c.dataKeyKey()));
        QCOMPARE(secret(c.dataKeyKey())->size(), 32);
        QCOMPARE(QFile::permissions(m_env.registry().filePath()) & (QFile::ReadGroup | QFile::ReadOther),
            QFile::Permissions {});

        QJsonObject s = stats(sandbox);
        QCOMPARE(s.value("authorize_requests").toInt(), 1);
        QCOMPARE(s.value("token_requests").toObject().value("authorization_code").toInt(), 1);
        QCOMPARE(s.value("token_requests").toObject().value("refresh_token").toInt(), 0);

        // Restart 1: fresh objects in this process.
        {
            Session session(*stored(c.id), services());
            const auto refreshed = await(session.refresh());
            QVERIFY(refreshed && refreshed->ok());
            QVERIFY(session.hasAccessToken());
            collectAccessToken(session);
        }
        s = stats(sandbox);
        QCOMPARE(s.value("authorize_requests").toInt(), 1);
        QCOMPARE(s.value("token_requests").toObject().value("refresh_token").toInt(), 1);

        // Restart 2: a fresh ondevice-cli process.
        const CliRun run = cli({ "refresh", c.id });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        s = stats(sandbox);
        QCOMPARE(s.value("authorize_requests").toInt(), 1);
        QCOMPARE(s.value("token_requests").toObject().value("refresh_token").toInt(), 2);

        const CliRun status = cli({ "status", "--json" });
        QCOMPARE(status.exitCode, 0);
        const QJsonArray all = QJsonDocument::fromJson(status.out).object().value("connections").toArray();
        bool found = false;
        for (const auto& entry : all) {
            const QJsonObject o = entry.toObject();
            if (o.value("id").toString() != c.id)
                continue;
            found = true;
            QCOMPARE(o.value("state").toString(), QStringLiteral("connected"));
            QVERIFY(o.value("last_refresh").isString());
            QVERIFY(o.value("grant_end").isString());
            QVERIFY(o.value("scopes").toArray().contains(QJsonValue("offline_access")));
        }
        QVERIFY(found);
        secret(c.refreshTokenKey());
    }

    void twentyRestartsNeverTripReuseDetection()
    {
        SandboxProcess sandbox; // default policy: rotate-detect-reuse
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--refresh-policy", "rotate-detect-reuse" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QByteArray previous = *secret(c.refreshTokenKey());
        for (int i = 0; i < 20; ++i) {
            Session session(*stored(c.id), services());
            const auto refreshed = await(session.refresh());
            QVERIFY2(refreshed && refreshed->ok(), qPrintable(QString::number(i)));
            collectAccessToken(session);
            const QByteArray now = *secret(c.refreshTokenKey());
            QVERIFY(now != previous); // rotated, and the new one is what the keychain holds
            previous = now;
        }
        QCOMPARE(refreshCount(sandbox), 20);
        QCOMPARE(stats(sandbox).value("live_grants").toInt(), 1);
    }

    void guiSessionAndTwoClisRefreshTogether()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        ConnectOutcome outcome;
        const Connection c = connectTo(sandbox, &outcome);
        Session gui(*stored(c.id), services());
        gui.adoptAccessToken(outcome.accessToken, outcome.accessExpiry);
        gui.adoptDeviceKey(outcome.deviceKey);
        const int rounds = qEnvironmentVariableIsSet("ONDEVICE_TEST_ROUNDS")
            ? qEnvironmentVariableIntValue("ONDEVICE_TEST_ROUNDS")
            : 20;
        for (int round = 0; round < rounds; ++round) {
            QProcess* a = startCli({ "refresh", c.id }, childEnvironment());
            QProcess* b = startCli({ "refresh", c.id }, childEnvironment());
            auto mine = gui.refresh();
            const auto mineDone = await(mine, 60000);
            const CliRun ra = finishCli(a);
            const CliRun rb = finishCli(b);
            QVERIFY2(mineDone && mineDone->ok(), qPrintable(QStringLiteral("round %1: gui").arg(round)));
            QVERIFY2(ra.exitCode == 0,
                qPrintable(QStringLiteral("round %1: cli a: %2").arg(round).arg(QString::fromUtf8(ra.err))));
            QVERIFY2(rb.exitCode == 0,
                qPrintable(QStringLiteral("round %1: cli b: %2").arg(round).arg(QString::fromUtf8(rb.err))));
        }
        QCOMPARE(refreshCount(sandbox), 3 * rounds);
        QCOMPARE(stats(sandbox).value("live_grants").toInt(), 1); // the grant survived
        const auto after = await(gui.refresh());
        QVERIFY(after && after->ok());
        secret(c.refreshTokenKey());
    }

    void otherPolicies_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("rotates");
        QTest::newRow("rotate") << "rotate" << true;
        QTest::newRow("no-rotate") << "no-rotate" << false;
        QTest::newRow("keep-old-valid") << "keep-old-valid" << true;
    }

    void otherPolicies()
    {
        QFETCH(QString, policy);
        QFETCH(bool, rotates);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--refresh-policy", policy }).isEmpty());
        const Connection c = connectTo(sandbox);
        QByteArray previous = *secret(c.refreshTokenKey());
        for (int i = 0; i < 3; ++i) {
            Session session(*stored(c.id), services());
            const auto refreshed = await(session.refresh());
            QVERIFY(refreshed && refreshed->ok());
            const QByteArray now = *secret(c.refreshTokenKey());
            QCOMPARE(now != previous, rotates);
            previous = now;
        }
        QVERIFY(stored(c.id)->state == ConnectionState::Connected);
    }

    void shortAccessTokensRefreshAheadAndOn401()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--access-token-lifetime", "4" }).isEmpty());
        ConnectOutcome outcome;
        const Connection c = connectTo(sandbox, &outcome);

        // Ahead of expiry, with nobody asking.
        {
            Session session(*stored(c.id), services());
            session.adoptAccessToken(outcome.accessToken, outcome.accessExpiry);
            session.adoptDeviceKey(outcome.deviceKey);
            session.setAutomaticRefresh(true);
            QTRY_VERIFY_WITH_TIMEOUT(refreshCount(sandbox) >= 1, 15000);
            QVERIFY(session.accessExpiry() > QDateTime::currentDateTimeUtc());
        }

        // The 401 path: the session believes its token is good; the server does not.
        const int before = refreshCount(sandbox);
        Session session(*stored(c.id), services());
        session.adoptAccessToken(outcome.accessToken, QDateTime::currentDateTimeUtc().addSecs(3600));
        session.adoptDeviceKey(outcome.deviceKey);
        QTest::qWait(4500); // the server's 4 s lifetime passes
        const QUrl patient(sandbox.fhirBase().toString() + "/Patient/" + c.patientId);
        QByteArray token;
        session.accessToken(this, [&](const AccessToken& t) { token = t.value(); });
        // As the FHIR client sends it: Bearer, or DPoP with a proof when the connection is bound.
        const auto headersFor = [&](const QByteArray& t) {
            const auto headers = session.requestHeaders("GET", patient, t);
            return headers ? headers.value() : RequestHeaders {};
        };
        HttpAnswer answer = httpRequest("GET", patient, {}, headersFor(token));
        QCOMPARE(answer.status, 401);
        session.invalidate(token);
        bool done = false;
        QByteArray fresh;
        session.accessToken(this, [&](const AccessToken& t) {
            done = true;
            if (t)
                fresh = t.value();
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QVERIFY(!fresh.isEmpty() && fresh != token);
        m_seenSecrets << fresh;
        answer = httpRequest("GET", patient, {}, headersFor(fresh));
        QCOMPARE(answer.status, 200);
        QCOMPARE(refreshCount(sandbox), before + 1); // refreshed once, retried once
    }

    void revokedAtThePortalNeedsReconnectAndKeepsData()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const Connection c = connectTo(sandbox);
        const QByteArray dataKey = *secret(c.dataKeyKey());
        QCOMPARE(httpRequest("POST", QUrl(sandbox.adminBase().toString() + "/revoke-all")).status, 200);

        Session session(*stored(c.id), services());
        const auto refreshed = await(session.refresh());
        QVERIFY(refreshed && !refreshed->ok());
        QVERIFY(refreshed->code() == AuthError::InvalidGrant);
        QVERIFY(stored(c.id)->state == ConnectionState::NeedsReconnect);
        QVERIFY(secret(c.refreshTokenKey())); // nothing deleted
        QCOMPARE(*secret(c.dataKeyKey()), dataKey);

        const CliRun run = cli({ "refresh", c.id });
        QCOMPARE(run.exitCode, 2);

        // One action: reconnect. Same connection, same data key, connected again.
        const Connection again = connectTo(sandbox, nullptr, c.id);
        QCOMPARE(again.id, c.id);
        QCOMPARE(*secret(c.dataKeyKey()), dataKey);
        QVERIFY(stored(c.id)->state == ConnectionState::Connected);
    }

    void signOutThenForget()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QVERIFY(secret(c.refreshTokenKey()));
        QCOMPARE(stats(sandbox).value("live_grants").toInt(), 1);

        const CliRun out = cli({ "disconnect", c.id });
        QVERIFY2(out.exitCode == 0, out.err.constData());
        QCOMPARE(stats(sandbox).value("live_grants").toInt(), 0);
        QCOMPARE(stats(sandbox).value("revocations").toInt(), 1);
        QVERIFY(!secret(c.refreshTokenKey()));
        QVERIFY(secret(c.dataKeyKey())); // records stay readable
        QVERIFY(stored(c.id)->state == ConnectionState::SignedOut);

        const CliRun forget = cli({ "disconnect", c.id, "--forget" });
        QVERIFY2(forget.exitCode == 0, forget.err.constData());
        QVERIFY(!secret(c.dataKeyKey()));
        QVERIFY(!stored(c.id));
    }

    void forgetWithTheProviderUnreachableStillDeletesEverything()
    {
        // The revocation answers 503: Forget goes on (the user asked for
        // everything gone here), says the grant may still be live, and the
        // CLI exits only after the keychain items are gone.
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QVERIFY(secret(c.refreshTokenKey()));
        QCOMPARE(
            httpRequest("PUT", QUrl(sandbox.adminBase().toString() + "/faults"), "error503=1,on=auth").status, 200);
        const CliRun forget = cli({ "disconnect", c.id, "--forget" });
        QVERIFY2(forget.exitCode == 0, forget.err.constData());
        QVERIFY2(forget.out.contains("could not be reached"), forget.out.constData());
        QCOMPARE(stats(sandbox).value("live_grants").toInt(), 1); // nothing reached it
        QVERIFY(!secret(c.refreshTokenKey()));
        QVERIFY(!secret(c.dataKeyKey()));
        QVERIFY(!stored(c.id));
    }

    void forgetDuringARefreshLeavesNoToken_data()
    {
        QTest::addColumn<bool>("refreshFirst");
        QTest::newRow("a refresh is waiting for the server when Forget starts") << true;
        QTest::newRow("Forget is under way when a refresh starts") << false;
    }

    void forgetDuringARefreshLeavesNoToken()
    {
        // A silent refresh and Forget of the same connection at once, with a
        // slow token endpoint and no revocation endpoint (Forget is then all
        // local, and quick): whichever starts first, no refresh token is left
        // in the keychain afterwards. Sign-out takes the refresh lock, and a
        // refresh that gets the lock after a sign-out stops there.
        QFETCH(bool, refreshFirst);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--fault-proxy", "--quirks", "no-revocation" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QVERIFY(secret(c.refreshTokenKey()));
        QCOMPARE(
            httpRequest("PUT", QUrl(sandbox.adminBase().toString() + "/faults"), "latency=700ms,on=auth").status, 200);

        Session session(*stored(c.id), services());
        BrowserHook browser;
        ConnectionManager manager(services(), browser.opener());
        std::optional<AuthResult<ondevice::Done>> refreshed;
        std::optional<AuthResult<SignOutOutcome>> forgotten;
        const auto startRefresh
            = [&] { session.refresh().then(this, [&](const AuthResult<ondevice::Done>& r) { refreshed = r; }); };
        const auto startForget
            = [&] { manager.forget(c.id).then(this, [&](const AuthResult<SignOutOutcome>& r) { forgotten = r; }); };
        if (refreshFirst) {
            startRefresh();
            QTRY_COMPARE_WITH_TIMEOUT(refreshCount(sandbox), 1, 5000); // at the server; the answer is 700 ms away
            startForget();
        } else {
            startForget();
            QVERIFY(!forgotten); // still deleting
            startRefresh();
        }
        QTRY_VERIFY_WITH_TIMEOUT(refreshed && forgotten, 30000);
        QVERIFY2(forgotten->ok(), qPrintable(forgotten->ok() ? QString() : forgotten->failure().detail));
        QCOMPARE(refreshed->ok(), refreshFirst);
        if (!refreshFirst) // it found the connection gone, and did not go looking for its token
            QVERIFY(refreshed->code() == AuthError::InvalidGrant);
        QTest::qWait(200); // anything still on its way to the keychain
        QVERIFY(!secret(c.refreshTokenKey()));
        QVERIFY(!secret(c.dataKeyKey()));
        QVERIFY(!stored(c.id));
        QVERIFY(!keychainKeys().contains(c.refreshTokenKey()));
    }

    void cliConnectWithoutBrowser()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        QProcess* process = startCli(
            { "connect", "--fhir", sandbox.fhirBase().toString(), "--client-id", "ondevice-demo", "--no-browser" },
            childEnvironment());
        QByteArray err;
        QUrl authorize;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                err += process->readAllStandardError();
                for (const QByteArray& line : err.split('\n'))
                    if (line.startsWith("http"))
                        authorize = QUrl::fromEncoded(line.trimmed());
                return authorize.isValid();
            }(),
            15000);
        BrowserHook browser; // whoever visits the URL completes the flow
        browser.open(authorize);
        const CliRun run = finishCli(process);
        QVERIFY2(run.exitCode == 0, QByteArray(err + run.err).constData());
        const QString id = QString::fromUtf8(run.out.trimmed());
        QVERIFY(stored(id));
        QTRY_VERIFY(browser.finished());
        QCOMPARE(browser.lastStatus(), 200);
        secret(stored(id)->refreshTokenKey());
    }

    void hostileServersStoreNothing_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("expectedError");
        QTest::addColumn<bool>("tokenRequested");
        QTest::newRow("discovery without S256")
            << int(HostileServer::Fault::NoS256) << int(AuthError::Discovery) << false;
        QTest::newRow("error=access_denied")
            << int(HostileServer::Fault::AccessDenied) << int(AuthError::AccessDenied) << false;
        QTest::newRow("id_token signed by a foreign key")
            << int(HostileServer::Fault::ForeignSignature) << int(AuthError::IdToken) << true;
        QTest::newRow("id_token for another audience")
            << int(HostileServer::Fault::WrongAudience) << int(AuthError::IdToken) << true;
    }

    void hostileServersStoreNothing()
    {
        QFETCH(int, fault);
        QFETCH(int, expectedError);
        QFETCH(bool, tokenRequested);
        HostileServer server;
        server.fault = HostileServer::Fault(fault);
        server.start();
        const auto registryBefore = m_env.registry().load().value().size();

        BrowserHook browser;
        ConnectionManager manager(services(), browser.opener());
        const auto outcome
            = await(manager.connectProvider({ QUrl(server.base()), "ondevice-demo", 0, {}, {}, {}, {}, {} }));
        QVERIFY(outcome);
        QVERIFY(!outcome->ok());
        QCOMPARE(int(outcome->code()), expectedError);
        QVERIFY(!outcome->failure().message.isEmpty());
        QCOMPARE(server.tokenRequests > 0, tokenRequested);
        // Nothing stored for this server's patient. (Other test programs share the keyring while ctest runs them
        // in parallel, so the whole list is not compared.)
        Connection hostile;
        hostile.id = Connection::makeId(QUrl(server.base()), QStringLiteral("p1"));
        const QStringList keys = keychainKeys();
        QVERIFY(!keys.contains(hostile.refreshTokenKey()));
        QVERIFY(!keys.contains(hostile.dataKeyKey()));
        QCOMPARE(m_env.registry().load().value().size(), registryBefore);
        if (tokenRequested) // the refused grant was revoked
            QTRY_COMPARE(server.revoked, QList<QByteArray> { "hostile-refresh" });
    }

    void refreshWithAnotherSubjectIsNotKept()
    {
        HostileServer server;
        server.fault = HostileServer::Fault::SubjectChangesOnRefresh;
        server.start();
        BrowserHook browser;
        ConnectionManager manager(services(), browser.opener());
        const auto outcome
            = await(manager.connectProvider({ QUrl(server.base()), "ondevice-demo", 0, {}, {}, {}, {}, {} }));
        QVERIFY(outcome && outcome->ok());
        const Connection c = outcome->value().connection;
        QCOMPARE(c.subject, QStringLiteral("user-1"));

        Session session(*stored(c.id), services());
        const auto refreshed = await(session.refresh());
        QVERIFY(refreshed && !refreshed->ok());
        QVERIFY(refreshed->code() == AuthError::InvalidGrant);
        QVERIFY(stored(c.id)->state == ConnectionState::NeedsReconnect);
        QVERIFY(!secret(c.refreshTokenKey())); // the mismatched grant is not kept...
        QTRY_VERIFY(server.revoked.contains("hostile-refresh-2")); // ...and is ended at the server
        QVERIFY(!session.hasAccessToken());
        QVERIFY(secret(c.dataKeyKey())); // records stay

        // The next run, in a fresh process: "reconnect needed" (exit 2), never "the keychain is locked" (3).
        const CliRun run = cli({ "refresh", c.id });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("Reconnect"), run.err.constData());
        QVERIFY(!run.err.contains("could not be read"));
    }

    // A refresh-token item that is simply gone, while the keychain answers (the data key reads): reconnect
    // needed, exit 2. Only a keychain that cannot be reached or used is exit 3.
    void missingRefreshTokenItemNeedsReconnect()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QVERIFY(secret(c.refreshTokenKey()));
        QVERIFY(await(m_env.secrets().remove(c.refreshTokenKey()))->ok());
        const CliRun run = cli({ "refresh", c.id });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("is no longer in"), run.err.constData());
        QVERIFY(stored(c.id)->state == ConnectionState::NeedsReconnect);
        QCOMPARE(refreshCount(sandbox), 0); // nothing was sent
        QVERIFY(secret(c.dataKeyKey())); // and nothing else was touched
    }

    void reconnectAsAnotherPatientReplacesNothing()
    {
        // The patients the sandbox makes with its default seed, from its consent page.
        QStringList patients;
        {
            SandboxProcess lister;
            QVERIFY(lister.start({ "--patients", "2" }).isEmpty());
            QUrl authorize(lister.fhirBase().toString().replace("/fhir", "/auth/authorize"));
            QUrlQuery q;
            q.addQueryItem("response_type", "code");
            q.addQueryItem("client_id", "ondevice-demo");
            q.addQueryItem("redirect_uri", "http://127.0.0.1:5555/callback");
            q.addQueryItem("scope", "launch/patient patient/*.rs");
            q.addQueryItem("state", "list");
            q.addQueryItem("aud", lister.fhirBase().toString());
            q.addQueryItem("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            q.addQueryItem("code_challenge_method", "S256");
            authorize.setQuery(q);
            const QByteArray page = httpRequest("GET", authorize).body;
            static const QRegularExpression choice("name=\"patient\" value=\"([^\"]+)\"");
            for (auto it = choice.globalMatch(QString::fromUtf8(page)); it.hasNext();)
                patients << it.next().captured(1);
        }
        QCOMPARE(patients.size(), 2);

        // Connected as the first patient...
        auto first = std::make_unique<SandboxProcess>();
        QVERIFY(first->start({ "--patients", "2", "--auto-approve", patients[0] }).isEmpty());
        const int port = first->fhirBase().port();
        const Connection c = connectTo(*first);
        QCOMPARE(c.patientId, patients[0]);
        const QByteArray token = *secret(c.refreshTokenKey());
        first.reset();

        // ...the same server (same address) now signs in the second one.
        SandboxProcess second;
        QVERIFY(second.start({ "--port", QString::number(port), "--patients", "2", "--auto-approve", patients[1] })
                    .isEmpty());
        QCOMPARE(second.fhirBase(), c.fhirBase);
        BrowserHook browser;
        ConnectionManager manager(services(), browser.opener());
        const auto outcome
            = await(manager.connectProvider({ c.fhirBase, "ondevice-demo", 0, {}, c.id, {}, {}, {} }), 60000);
        QVERIFY(outcome && !outcome->ok());
        QVERIFY(outcome->code() == AuthError::PatientChanged);
        QVERIFY2(outcome->failure().message.contains(patients[1]), qPrintable(outcome->failure().message));
        QTRY_VERIFY(browser.finished());
        QCOMPARE(browser.lastStatus(), 400); // the browser is told too
        // Nothing replaced: the stored connection and its sign-in are as before,
        // and the refused grant is ended at the server.
        QCOMPARE(stored(c.id)->patientId, patients[0]);
        QCOMPARE(*secret(c.refreshTokenKey()), token);
        QVERIFY(!stored(Connection::makeId(c.issuer, patients[1])));
        QTRY_COMPARE(stats(second).value("revocations").toInt(), 1);
    }

    void wrongStateNeverReachesTheTokenEndpoint()
    {
        HostileServer server;
        server.fault = HostileServer::Fault::WrongState;
        server.start();
        BrowserHook browser;
        ConnectionManager manager(services(), browser.opener());
        QStringList events;
        connect(&manager, &ConnectionManager::protocolEvent, this,
            [&](const QString& step, const QString& outcome) { events << step + ": " + outcome; });
        auto future = manager.connectProvider({ QUrl(server.base()), "ondevice-demo", 0, {}, {}, {}, {}, {} });
        QTRY_VERIFY(browser.finished());
        QCOMPARE(browser.lastStatus(), 400); // the browser is told
        QVERIFY(events.join('\n').contains("callback rejected"));
        QVERIFY(!future.isFinished()); // still waiting for the real answer
        manager.cancel();
        const auto outcome = await(future);
        QVERIFY(outcome && outcome->code() == AuthError::Cancelled);
        QCOMPARE(server.tokenRequests, 0);
    }

    void noSecretServiceSessionIsExitCode3AtOnce()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const Connection c = connectTo(sandbox);
        QTemporaryDir runtime;
        QProcessEnvironment env = childEnvironment();
        env.remove("DBUS_SESSION_BUS_ADDRESS");
        env.insert("XDG_RUNTIME_DIR", runtime.path());
        const CliRun run = cli({ "refresh", c.id }, env);
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.err.contains("Secret Service"));
        QVERIFY2(run.elapsedMs < 5000, qPrintable(QString::number(run.elapsedMs)));
        const CliRun connectRun = cli(
            { "connect", "--fhir", sandbox.fhirBase().toString(), "--client-id", "ondevice-demo", "--no-browser" },
            env);
        QCOMPARE(connectRun.exitCode, 3);
        QVERIFY(!connectRun.err.contains("http")); // refused before any browser URL
    }

    void noSecretInAnyFileOrLog()
    {
        // Everything this test saw: every refresh token, access token, data key and device key.
        QList<QByteArray> secrets;
        for (const QByteArray& s : m_seenSecrets)
            if (s.size() >= 16)
                secrets << s << s.toBase64() << s.toHex();
        QVERIFY(secrets.size() > 30);
        int files = 0;
        for (const QString& root : { m_env.filePath("data"), m_env.filePath("config"), m_env.filePath("cache") }) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QByteArray content = readAll(it.next());
                ++files;
                for (const QByteArray& s : secrets)
                    QVERIFY2(!content.contains(s), qPrintable(it.filePath()));
            }
        }
        QVERIFY(files > 0);
        const QByteArray log = g_log.join('\n').toUtf8() + m_cliOutput.join('\n');
        QVERIFY(log.size() > 0);
        for (const QByteArray& s : secrets)
            QVERIFY2(!log.contains(s), "a secret appeared in the captured output or logs");
    }
};

QTEST_GUILESS_MAIN(tst_PersistentAccess)
#include "tst_PersistentAccess.moc"
