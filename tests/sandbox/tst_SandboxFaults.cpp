// Server-side faults: shares of 500/503/429 and malformed bodies, the token
// endpoint down, early access-token expiry; what each applies to; and that
// the same seed gives the same sequence of outcomes.

#include "SandboxHttp.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace ondevice::testing;

namespace {

// One letter per outcome: O ok, 5 500, 3 503, R 429, M malformed 200, ? other.
QString outcomes(SandboxHttp& http, const QString& fhirBase, const QString& token, const QString& patient, int n)
{
    QString out;
    for (int i = 0; i < n; ++i) {
        const HttpReply reply
            = http.getBearer(QUrl(fhirBase + QStringLiteral("/Observation?_count=3&patient=") + patient), token);
        QJsonParseError error {};
        QJsonDocument::fromJson(reply.body, &error);
        out += reply.status == 200 ? (error.error == QJsonParseError::NoError ? QLatin1Char('O') : QLatin1Char('M'))
            : reply.status == 500  ? QLatin1Char('5')
            : reply.status == 503  ? QLatin1Char('3')
            : reply.status == 429  ? QLatin1Char('R')
                                   : QLatin1Char('?');
    }
    return out;
}

} // namespace

class tst_SandboxFaults : public QObject {
    Q_OBJECT

    static QUrl admin(const SandboxProcess& sandbox, const QString& path)
    {
        return QUrl(sandbox.adminBase().toString() + path);
    }

private Q_SLOTS:
    void sameSeedSameOutcomes()
    {
        const QStringList args { "--auto-approve", "first", "--seed", "9", "--faults",
            "error500=0.2,error503=0.1,rate429=0.1,malformed=0.1" };
        SandboxProcess a;
        SandboxProcess b;
        QVERIFY(a.start(args).isEmpty());
        QVERIFY(b.start(args).isEmpty());
        SandboxHttp httpA(a);
        SandboxHttp httpB(b);
        // Logging in is not faulted (faults reach FHIR requests only by default).
        const QJsonObject tokenA = httpA.login();
        const QJsonObject tokenB = httpB.login();
        QVERIFY(!tokenA.isEmpty() && !tokenB.isEmpty());
        const QString patient = tokenA.value(QStringLiteral("patient")).toString();
        const QString first
            = outcomes(httpA, httpA.fhirBase(), tokenA.value(QStringLiteral("access_token")).toString(), patient, 60);
        const QString second
            = outcomes(httpB, httpB.fhirBase(), tokenB.value(QStringLiteral("access_token")).toString(), patient, 60);
        QCOMPARE(second, first);
        for (const QChar kind :
            { QLatin1Char('O'), QLatin1Char('5'), QLatin1Char('3'), QLatin1Char('R'), QLatin1Char('M') })
            QVERIFY2(first.contains(kind), qPrintable(first));
        QVERIFY(!first.contains(QLatin1Char('?')));
        // Setting the spec again restarts the draws: the same sequence again.
        QCOMPARE(httpA.put(admin(a, QStringLiteral("/faults")), "error500=0.2,error503=0.1,rate429=0.1,malformed=0.1")
                     .status,
            200);
        QCOMPARE(
            outcomes(httpA, httpA.fhirBase(), tokenA.value(QStringLiteral("access_token")).toString(), patient, 60),
            first);
        // The counters say what was injected.
        const QJsonObject state = httpA.get(admin(a, QStringLiteral("/faults"))).json();
        QCOMPARE(state.value(QStringLiteral("injected")).toObject().value(QStringLiteral("error500")).toInt(),
            static_cast<int>(first.count(QLatin1Char('5'))));

        SandboxProcess other;
        QVERIFY(other
                    .start({ "--auto-approve", "first", "--seed", "10", "--faults",
                        "error500=0.2,error503=0.1,rate429=0.1,malformed=0.1" })
                    .isEmpty());
        SandboxHttp otherHttp(other);
        const QJsonObject otherToken = otherHttp.login();
        QVERIFY(outcomes(otherHttp, otherHttp.fhirBase(), otherToken.value(QStringLiteral("access_token")).toString(),
                    otherToken.value(QStringLiteral("patient")).toString(), 60)
            != first);
    }

    void eachServerFault_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::newRow("error500") << QByteArray("error500=1") << 500 << QByteArray();
        QTest::newRow("error503") << QByteArray("error503=1,retry-after=7") << 503 << QByteArray("7");
        QTest::newRow("rate429") << QByteArray("rate429=1,retry-after=3") << 429 << QByteArray("3");
        QTest::newRow("rate429 default retry") << QByteArray("rate429=1") << 429 << QByteArray("1");
        QTest::newRow("malformed") << QByteArray("malformed=1") << 200 << QByteArray();
    }

    void eachServerFault()
    {
        QFETCH(QByteArray, spec);
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QUrl search(http.fhirBase() + QStringLiteral("/Condition?patient=")
            + token.value(QStringLiteral("patient")).toString());
        QCOMPARE(http.put(admin(sandbox, QStringLiteral("/faults")), spec).status, 200);
        const HttpReply reply = http.getBearer(search, access);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("retry-after"), retryAfter);
        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(reply.body, &error);
        if (spec.startsWith("malformed")) {
            QVERIFY(error.error != QJsonParseError::NoError);
            QVERIFY(reply.header("content-type").startsWith("application/fhir+json"));
        } else {
            QCOMPARE(
                document.object().value(QStringLiteral("resourceType")).toString(), QStringLiteral("OperationOutcome"));
        }
        // Discovery, the token endpoint and the admin API are not faulted by default.
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata"))).status, 200);
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/smart-configuration"))).status, 200);
        QCOMPARE(http.get(admin(sandbox, QStringLiteral("/stats"))).status, 200);
        QVERIFY(!http.login().isEmpty());
        // Cleared, everything answers again.
        QCOMPARE(http.put(admin(sandbox, QStringLiteral("/faults")), "none").status, 200);
        QCOMPARE(http.getBearer(search, access).status, 200);
    }

    void targets()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--faults", "error500=1,on=discovery" }).isEmpty());
        SandboxHttp http(sandbox);
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata"))).status, 500);
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/smart-configuration"))).status, 500);
        const QJsonObject token = http.login();
        QVERIFY(!token.isEmpty());
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient")),
                         token.value(QStringLiteral("access_token")).toString())
                     .status,
            200);
        QCOMPARE(http.get(admin(sandbox, QStringLiteral("/faults"))).json().value(QStringLiteral("spec")).toString(),
            QStringLiteral("error500=1,on=discovery"));

        QCOMPARE(
            http.put(admin(sandbox, QStringLiteral("/faults")), "{\"spec\":\"error500=1,on=all\"}", "application/json")
                .status,
            200);
        QVERIFY(http.login().isEmpty()); // the authorize endpoint answers 500 now
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient")),
                         token.value(QStringLiteral("access_token")).toString())
                     .status,
            500);
        // The admin API is never faulted.
        QCOMPARE(http.get(admin(sandbox, QStringLiteral("/stats"))).status, 200);
    }

    void tokenEndpointDown()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--faults", "token-down=1,retry-after=5" }).isEmpty());
        SandboxHttp http(sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        const HttpReply redirect
            = http.authorize(http.authorizeParams(SandboxHttp::defaultScope(), SandboxHttp::challengeFor(verifier)));
        QCOMPARE(redirect.status, 302); // authorize still works
        const HttpReply token = http.postForm(http.authUrl(QStringLiteral("token")),
            { { "grant_type", "authorization_code" }, { "code", redirect.locationParam(QStringLiteral("code")) },
                { "redirect_uri", SandboxHttp::redirectUri() }, { "client_id", "ondevice-demo" },
                { "code_verifier", verifier } });
        QCOMPARE(token.status, 503);
        QCOMPARE(token.header("retry-after"), QByteArray("5"));
        QVERIFY(!token.header("content-type").contains("json")); // a load balancer's page, not OAuth JSON
        QCOMPARE(http.put(admin(sandbox, QStringLiteral("/faults")), "none").status, 200);
        QVERIFY(!http.login().isEmpty());
    }

    void earlyExpiry()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--faults", "early-expiry=1" }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        QCOMPARE(token.value(QStringLiteral("expires_in")).toInt(), 3600); // what the client is told
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const HttpReply search = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient")), access);
        QCOMPARE(search.status, 401);
        QVERIFY(search.header("www-authenticate").contains("invalid_token"));
        // The refresh token is fine: refreshing (without the fault) gives a working token.
        QCOMPARE(http.put(admin(sandbox, QStringLiteral("/faults")), "none").status, 200);
        const HttpReply refreshed = http.refresh(token.value(QStringLiteral("refresh_token")).toString());
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient")),
                         refreshed.json().value(QStringLiteral("access_token")).toString())
                     .status,
            200);
    }

    void specGrammar_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("empty") << QByteArray("") << 200 << "none";
        QTest::newRow("full") << QByteArray(
            "error500=0.05, error503=0.02,rate429=0.1,retry-after=2,malformed=0.01,token-down=1,early-expiry=0.5")
                              << 200
                              << "error500=0.05,error503=0.02,rate429=0.1,malformed=0.01,token-down=1,early-expiry=0.5,"
                                 "retry-after=2";
        QTest::newRow("unknown name") << QByteArray("gremlins=1") << 400 << "";
        QTest::newRow("not a probability") << QByteArray("error500=2") << 400 << "";
        QTest::newRow("sum over one") << QByteArray("error500=0.6,rate429=0.6") << 400 << "";
        QTest::newRow("no value") << QByteArray("error500") << 400 << "";
        QTest::newRow("repeated") << QByteArray("error500=0.1,error500=0.2") << 400 << "";
        QTest::newRow("bad target") << QByteArray("error500=1,on=admin") << 400 << "";
        QTest::newRow("proxy fault without proxy") << QByteArray("latency=50ms") << 409 << "";
        QTest::newRow("drop without proxy") << QByteArray("drop=0.1") << 409 << "";
        QTest::newRow("jitter without proxy") << QByteArray("jitter=10ms") << 409 << "";
        QTest::newRow("bandwidth without proxy") << QByteArray("bandwidth=20mbit") << 409 << "";
        QTest::newRow("bandwidth not a rate") << QByteArray("bandwidth=fast") << 400 << "";
        QTest::newRow("bandwidth below 1 kbit/s") << QByteArray("bandwidth=10bit") << 400 << "";
        QTest::newRow("jitter too long") << QByteArray("jitter=61s") << 400 << "";
    }

    void specGrammar()
    {
        QFETCH(QByteArray, spec);
        QFETCH(int, status);
        QFETCH(QString, canonical);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start().isEmpty());
        SandboxHttp http(sandbox);
        const HttpReply reply = http.put(admin(sandbox, QStringLiteral("/faults")), spec);
        QCOMPARE(reply.status, status);
        if (status == 200) {
            QCOMPARE(reply.json().value(QStringLiteral("spec")).toString(), canonical);
            QCOMPARE(reply.json().value(QStringLiteral("proxy")).toBool(), false);
        } else {
            QVERIFY(!reply.json().value(QStringLiteral("error")).toString().isEmpty());
        }
    }

    void badFaultsFlag()
    {
        QProcess process;
        process.start(SandboxProcess::executable(), { "--port", "0", "--faults", "error500=maybe" });
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardOutput().isEmpty());
        QVERIFY(process.readAllStandardError().contains("--faults"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxFaults)
#include "tst_SandboxFaults.moc"
