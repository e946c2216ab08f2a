// Real servers' behaviours, one at a time and as the presets that bundle them, through the whole life of a
// connection as a script sees it: ondevice-cli connect, a fresh process that refreshes silently, a sync and a
// second sync, export, sign out. Each behaviour is a named sandbox quirk (docs/sandbox.md says which server
// shows it). Every step must exit 0, the export must hold exactly what the grant covers for the patient (the
// sandbox's own list), and the keychain must hold the grant until sign-out.

#include "AppTestEnvironment.h"
#include "BrandBundles.h"
#include "BrowserHook.h"
#include "SandboxProcess.h"
#include "TestSupport.h"
#include "TinyHttpServer.h"
#include "app/AppSetup.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>

using namespace ondevice::auth;
using namespace ondevice::testing;

class tst_RealServerQuirks : public QObject {
    Q_OBJECT

private:
    AppTestEnvironment m_env;

    CliRun cli(const QStringList& arguments) { return m_env.cli(arguments, this); }

    static QJsonObject admin(const SandboxProcess& sandbox, const QString& path)
    {
        return httpRequest("GET", QUrl(sandbox.adminBase().toString() + path)).json();
    }

    // Token requests after the sign-in: refreshes, or JWT-bearer grants.
    static int refreshes(const SandboxProcess& sandbox)
    {
        const QJsonObject requests = admin(sandbox, "/stats").value("token_requests").toObject();
        return requests.value("refresh_token").toInt() + requests.value("jwt_bearer").toInt();
    }

    // What a row's --binding makes of the connection: the route `status --json` names, and how the sandbox
    // counts its token requests (`token_requests_by_binding`) and its revocations (`revocations_by_binding`).
    struct Route {
        QString status;
        QString tokenRequests;
        QString revocations;
        bool dpop = false;
    };
    static Route routeFor(const QStringList& binding)
    {
        const QString mode = binding.contains("--binding") ? binding.value(binding.indexOf("--binding") + 1) : "dpop";
        if (mode == "none")
            return { "none", "bearer", "bearer", false };
        if (mode == "private-key-jwt")
            return { "private_key_jwt", "private_key_jwt", "bearer", false };
        if (mode == "jwt-bearer")
            return { "jwt_bearer", "jwt_bearer", "bearer", false };
        if (mode == "any") // the first choice of all: the registered asymmetric client, with DPoP
            return { "private_key_jwt", "private_key_jwt", "dpop", true };
        return { "dpop", "dpop", "dpop", true };
    }

    bool holdsRefreshToken(const QString& id)
    {
        const auto value = await(m_env.secrets().read(id + "/refresh-token"));
        return value && value->ok() && !value->value().isEmpty();
    }

    // `connect --no-browser`, its printed address visited as a browser would; the new connection's id.
    // `which`: how the provider is named (default: --fhir and the sandbox's base).
    QString connectWithCli(const SandboxProcess& sandbox, QStringList which = {})
    {
        if (which.isEmpty())
            which = QStringList { "--fhir", sandbox.fhirBase().toString() };
        QProcess* process = m_env.startCli(
            QStringList { "connect" } + which + QStringList { "--client-id", "ondevice-demo", "--no-browser" }, this);
        QByteArray err;
        QUrl authorize;
        QDeadlineTimer deadline(15000);
        while (!authorize.isValid() && !deadline.hasExpired()) {
            QTest::qWait(10);
            err += process->readAllStandardError();
            for (const QByteArray& line : err.split('\n'))
                if (line.startsWith("http"))
                    authorize = QUrl::fromEncoded(line.trimmed());
        }
        if (!authorize.isValid()) {
            qWarning("no authorization URL: %s", err.constData());
            return {};
        }
        BrowserHook browser;
        browser.open(authorize);
        const CliRun run = AppTestEnvironment::finishCli(process);
        if (run.exitCode != 0) {
            qWarning("connect exited %d: %s", run.exitCode, QByteArray(err + run.err).constData());
            return {};
        }
        return QString::fromUtf8(run.out.trimmed());
    }

    // What the sandbox says this connection's grant covers, as "Type/id".
    static QSet<QString> covered(const SandboxProcess& sandbox, const QString& patient)
    {
        QString scope;
        for (const QJsonValue& grant :
            QJsonDocument::fromJson(httpRequest("GET", QUrl(sandbox.adminBase().toString() + "/grants")).body)
                .array()) {
            if (grant.toObject().value("patient").toString() == patient) {
                QStringList scopes;
                for (const QJsonValue& s : grant.toObject().value("scopes").toArray())
                    scopes << s.toString();
                scope = scopes.join(' ');
            }
        }
        QUrlQuery query;
        query.addQueryItem("scope", QString(scope).replace('+', "%2B"));
        QUrl url(sandbox.adminBase().toString() + "/patients/" + patient + "/resources");
        url.setQuery(query);
        QSet<QString> ids;
        for (const QJsonValue& v : httpRequest("GET", url).json().value("resources").toArray())
            ids.insert(v.toString());
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_env.setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void wholeCycle_data()
    {
        QTest::addColumn<QString>("quirks");
        QTest::addColumn<QString>("note"); // what a sync must say it noticed and worked around (empty: nothing)
        QTest::addColumn<QStringList>("binding"); // the sandbox's DPoP flags (empty: its default, DPoP offered)
        QTest::addColumn<QString>("through"); // ondevice-cli sync --through (empty: auto)
        // One row per behaviour (docs/interop.md has the server behind each), then the presets.
        // Behaviours of searches are run three times: the sandbox offers both, so per-type searches side by side
        // with a $everything chain beside them (auto); per-type searches only (no-everything, as on Epic); one
        // Patient/$everything chain (--through everything).
        for (const char* quirk : { "refresh-id-token-no-aud", "string-expires-in", "patient-in-id-token-only",
                 "everything-extra-types", "no-everything", "observation-needs-category", "narrow-scopes",
                 "no-lastupdated", "ignores-lastupdated", "outcome-entries", "no-date-header", "skewed-date-header",
                 "tiny-pages", "page-limit-100", "medication-read-only", "ignores-not-modifier" })
            QTest::newRow(quirk) << QString::fromLatin1(quirk) << noteFor(QLatin1String(quirk)) << QStringList()
                                 << QString();
        for (const char* quirk :
            { "observation-needs-category", "narrow-scopes", "no-lastupdated", "ignores-lastupdated", "outcome-entries",
                "no-date-header", "skewed-date-header", "tiny-pages", "page-limit-100" })
            QTest::newRow(qPrintable(QStringLiteral("%1,no-everything").arg(QLatin1String(quirk))))
                << QStringLiteral("%1,no-everything").arg(QLatin1String(quirk)) << noteFor(QLatin1String(quirk))
                << QStringList() << QString();
        for (const char* quirk : { "everything-extra-types", "observation-needs-category", "no-lastupdated",
                 "ignores-lastupdated", "outcome-entries", "tiny-pages", "page-limit-100" })
            QTest::newRow(qPrintable(QStringLiteral("%1 through everything").arg(QLatin1String(quirk))))
                << QString::fromLatin1(quirk) << noteFor(QLatin1String(quirk), true) << QStringList()
                << QStringLiteral("everything");
        // The quirks the sandbox had before, one by one too (no-refresh-token leaves no silent refresh to run:
        // noRefreshTokenSaysWhenToSignInAgain has its own cycle).
        for (const char* quirk :
            { "plain-401", "no-refresh-grant-type", "no-revocation", "no-offline-scope", "launch-base" })
            QTest::newRow(quirk) << QString::fromLatin1(quirk) << QString() << QStringList() << QString();
        QTest::newRow("launcher-like") << QStringLiteral("launcher-like") << QString() << QStringList() << QString();
        QTest::newRow("epic-like") << QStringLiteral("epic-like")
                                   << QStringLiteral("Observation needs a category|Observation refused category "
                                                     "exam|refused _lastUpdated|the server said")
                                   << QStringList() << QString();
        // Token binding (RFC 9449): not offered, required, and offered with nonces that rotate every second.
        QTest::newRow("binding none") << QString() << QString() << QStringList { "--binding", "none" } << QString();
        QTest::newRow("binding dpop-required")
            << QString() << QString() << QStringList { "--binding", "dpop-required" } << QString();
        // The nonce row syncs per type (four searches in flight) slowly enough to span several rotations.
        QTest::newRow("binding dpop, nonces")
            << QStringLiteral("no-everything") << QString()
            << QStringList { "--dpop-nonce", "1", "--faults", "latency=300ms,on=fhir" } << QString();
        // Clients registered for this computer (RFC 7591): asymmetric (private_key_jwt), registered with the
        // first access token (JWT-bearer), and a server that offers everything (asymmetric with DPoP).
        QTest::newRow("binding private-key-jwt")
            << QString() << QString() << QStringList { "--binding", "private-key-jwt" } << QString();
        QTest::newRow("binding jwt-bearer")
            << QString() << QString() << QStringList { "--binding", "jwt-bearer" } << QString();
        QTest::newRow("binding any") << QString() << QString() << QStringList { "--binding", "any" } << QString();
        // DPoP offered only in the issuer's RFC 8414 metadata: found there, and bound all the same.
        QTest::newRow("dpop-in-issuer-metadata")
            << QStringLiteral("dpop-in-issuer-metadata") << QString() << QStringList() << QString();
    }

    // Through one $everything chain a required category never shows: only per-type searches have one.
    static QString noteFor(QLatin1String quirk, bool throughEverything = false)
    {
        if (quirk == QLatin1String("no-lastupdated"))
            return QStringLiteral("refused _");
        if (quirk == QLatin1String("ignores-lastupdated"))
            return QStringLiteral("ignored _");
        if (quirk == QLatin1String("observation-needs-category") && !throughEverything)
            return QStringLiteral("Observation split by category: the server refused|Observation needs a "
                                  "category|Observation refused category exam");
        if (quirk == QLatin1String("outcome-entries"))
            return QStringLiteral("the server said, with the results: Some results may not be available");
        if (quirk == QLatin1String("no-date-header"))
            return QStringLiteral("sends no Date header");
        if (quirk == QLatin1String("skewed-date-header"))
            return QStringLiteral("Date header is 180 minutes off");
        if (quirk == QLatin1String("page-limit-100"))
            return QStringLiteral("refused _count=1000: pages of 100 from now on");
        // Without Bundle.total the Observation split cannot be checked: one search of every Observation.
        if (quirk == QLatin1String("tiny-pages") && !throughEverything)
            return QStringLiteral("Observation split by category: the server gave no count to check it against");
        if (quirk == QLatin1String("ignores-not-modifier"))
            return QStringLiteral("Observation split by category: the server answered category:not with records of "
                                  "those categories; one search of every Observation instead");
        // (medication-read-only: this small patient's requests name no Medication; tst_SyncEngine's
        // referencedMedicationsInBatches shows the fallback.)
        return {};
    }

    void wholeCycle()
    {
        QFETCH(QString, quirks);
        QFETCH(QString, note);
        QFETCH(QStringList, binding);
        QFETCH(QString, through);
        const QStringList how = through.isEmpty() ? QStringList() : QStringList { "--through", through };
        SandboxProcess sandbox;
        QStringList arguments { "--auto-approve", "first", "--patients", "2", "--resources-per-patient", "80" };
        if (!quirks.isEmpty())
            arguments << "--quirks" << quirks;
        QVERIFY(sandbox.start(arguments + binding).isEmpty());

        const Route route = routeFor(binding);
        // The JWT-bearer route keeps no refresh token: its registration is the grant.
        const bool keepsRefreshToken = route.status != QLatin1String("jwt_bearer");
        const QString id = connectWithCli(sandbox);
        QVERIFY(!id.isEmpty());
        const auto connection = m_env.stored(id);
        QVERIFY(connection);
        const QString patient = connection->patientId;
        QCOMPARE(
            patient, admin(sandbox, "/patients").value("patients").toArray().first().toObject().value("id").toString());
        QCOMPARE(holdsRefreshToken(id), keepsRefreshToken);
        const int afterConnect = refreshes(sandbox); // the JWT-bearer route's first grant comes with the connect

        // A fresh process gets a new access token silently, and the grant survives it.
        CliRun run = cli({ "refresh", id });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // A fresh process has no DPoP nonce yet: where the server demands one, its first try is refused for it.
        QCOMPARE(refreshes(sandbox) - afterConnect, binding.contains("--dpop-nonce") ? 2 : 1);
        QCOMPARE(holdsRefreshToken(id), keepsRefreshToken);

        run = cli(QStringList { "sync", id } + how);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QByteArray notes = run.err;
        // Something new at the provider between the syncs: the second, incremental one must bring it.
        const QByteArray added
            = "{\"resourceType\":\"Observation\",\"id\":\"added-between-syncs\",\"status\":\"final\","
              "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
              "observation-category\",\"code\":\"laboratory\"}]}],"
              "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2345-7\",\"display\":\"Glucose\"}]},"
              "\"effectiveDateTime\":\"2026-11-30T09:00:00Z\",\"valueQuantity\":{\"value\":97,\"unit\":\"mg/dL\"}}";
        QCOMPARE(httpRequest("POST", QUrl(sandbox.adminBase().toString() + "/patients/" + patient + "/resources"),
                     added, { { "Content-Type", "application/fhir+json" } })
                     .status,
            200);
        run = cli(QStringList { "sync", id } + how);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        notes += run.err;
        // The workaround is said (the GUI puts the same notes in the protocol timeline), or nothing is.
        if (note.isEmpty())
            QVERIFY2(!notes.contains(": note: "), notes.constData());
        for (const QString& expected : note.split('|', Qt::SkipEmptyParts))
            QVERIFY2(notes.contains(expected.toUtf8()),
                qPrintable(expected + QStringLiteral(" not in: ") + QString::fromUtf8(notes)));

        const QString out
            = m_env.filePath(QStringLiteral("export-%1.json").arg(QString::fromLatin1(QTest::currentDataTag())));
        run = cli({ "export", id, "--out", out });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> exported;
        for (const QJsonValue& entry : QJsonDocument::fromJson(file.readAll()).object().value("entry").toArray()) {
            const QJsonObject resource = entry.toObject().value("resource").toObject();
            exported.insert(resource.value("resourceType").toString() + '/' + resource.value("id").toString());
        }
        const QSet<QString> expected = covered(sandbox, patient);
        QVERIFY(expected.size() > 50);
        QVERIFY(expected.contains(QStringLiteral("Observation/added-between-syncs")));
        if (quirks == QLatin1String("everything-extra-types") || quirks == QLatin1String("launcher-like")) {
            // The types outside the sync plan did arrive, and are exported with the rest.
            for (const char* type : { "Claim/", "ExplanationOfBenefit/", "Organization/", "Practitioner/" })
                QVERIFY2(std::any_of(expected.cbegin(), expected.cend(),
                             [type](const QString& r) { return r.startsWith(QLatin1String(type)); }),
                    type);
        }
        QVERIFY2(exported == expected,
            qPrintable(QStringLiteral("missing %1, extra %2")
                           .arg(QStringList((expected - exported).values()).mid(0, 5).join(' '),
                               QStringList((exported - expected).values()).mid(0, 5).join(' '))));
        QCOMPARE(holdsRefreshToken(id), keepsRefreshToken);
        const QJsonObject stats = admin(sandbox, "/stats");
        QCOMPARE(stats.value("live_grants").toInt(), 1);
        // Every token request took the route that status names (the JWT-bearer route's sign-in itself is the
        // published client's, once).
        run = cli({ "status", "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonObject status;
        for (const QJsonValue entry : QJsonDocument::fromJson(run.out).object().value("connections").toArray())
            if (entry.toObject().value("id").toString() == id)
                status = entry.toObject();
        // Named as the server names its own brand in its User Access Brands bundle.
        QCOMPARE(status.value("name").toString(), QStringLiteral("Sandbox Labs"));
        QCOMPARE(status.value("brand").toString(), QStringLiteral("Sandbox Labs"));
        QCOMPARE(status.value("binding").toString(), route.status);
        QCOMPARE(status.value("dpop").toBool(), route.dpop);
        const QJsonObject byBinding = stats.value("token_requests_by_binding").toObject();
        const QString statsText = QJsonDocument(stats).toJson(QJsonDocument::Compact);
        QVERIFY2(byBinding.value(route.tokenRequests).toInt() >= 2, qPrintable(statsText));
        for (const QString& other : byBinding.keys())
            if (other != route.tokenRequests)
                QVERIFY2(byBinding.value(other).toInt()
                        == (route.status == QLatin1String("jwt_bearer") && other == QLatin1String("bearer") ? 1 : 0),
                    qPrintable(statsText));
        if (binding.contains("--dpop-nonce")) {
            // Four requests in flight across rotating nonces: a nonce that came with an earlier answer is used
            // without a retry, so each rotation costs at most the four requests already on their way. Each of
            // the four processes (connect, refresh, two syncs) starts with no nonce and is refused once at the
            // token endpoint; its FHIR requests then use the one that answer brought.
            const int rotations = stats.value("dpop_nonce_rotations").toInt();
            const int refusals = stats.value("binding_failures").toObject().value("use_dpop_nonce").toInt();
            qInfo("%d nonce rotations, %d use_dpop_nonce refusals over connect, refresh and two syncs", rotations,
                refusals);
            QVERIFY2(refusals <= (rotations + 1) * 4 + 4,
                qPrintable(QStringLiteral("%1 refusals over %2 rotations").arg(refusals).arg(rotations)));
        }

        run = cli({ "disconnect", id });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!holdsRefreshToken(id));
        // Sign-out ended the grant: revoked, with a proof by the key when it is bound (none is required there);
        // on the JWT-bearer route the registration was deleted (the one revocation there is the sign-in's own
        // access token, at connect).
        const QJsonObject revocations = admin(sandbox, "/stats").value("revocations_by_binding").toObject();
        const bool revokes = !quirks.contains("no-revocation") && !quirks.contains("launcher-like");
        QCOMPARE(revocations.value(route.revocations).toInt(), revokes ? 1 : 0);
        QCOMPARE(revocations.value(route.revocations == QLatin1String("dpop") ? "bearer" : "dpop").toInt(), 0);
        QCOMPARE(admin(sandbox, "/stats").value("live_grants").toInt(), revokes ? 0 : 1);
        // Nothing stays for a later row: a sandbox that gets this one's port back has the same issuer and
        // patient, so the same connection id, and would meet this row's remembered search behaviours.
        run = cli({ "disconnect", id, "--forget" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    void aLeakedRefreshTokenIsUselessWithoutTheKey_data()
    {
        QTest::addColumn<QStringList>("binding");
        QTest::newRow("dpop") << QStringList();
        QTest::newRow("none") << QStringList { "--binding", "none" };
    }

    // The refresh token read out of the Secret Service by another process, and presented by yet another with
    // no key (curl, as anyone who found it would): refused where the connection is bound, accepted where the
    // server offers no binding.
    void aLeakedRefreshTokenIsUselessWithoutTheKey()
    {
        QFETCH(QStringList, binding);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start(QStringList { "--auto-approve", "first" } + binding).isEmpty());
        const QString id = connectWithCli(sandbox);
        QVERIFY(!id.isEmpty());

        QProcess lookup;
        lookup.start("secret-tool",
            { "lookup", "server", QString::fromLatin1(ondevice::app::kKeychainService), "user",
                id + "/refresh-token" });
        QVERIFY(lookup.waitForFinished(15000));
        const QByteArray refreshToken = QByteArray::fromBase64(lookup.readAllStandardOutput().trimmed());
        QVERIFY(!refreshToken.isEmpty());

        const QString tokenEndpoint
            = httpRequest("GET", QUrl(sandbox.fhirBase().toString() + "/.well-known/smart-configuration"))
                  .json()
                  .value("token_endpoint")
                  .toString();
        QProcess curl; // the token goes on stdin, not the command line
        curl.start("curl",
            { "--silent", "--show-error", "--max-time", "20", "--write-out", "\n%{http_code}", "--data-binary", "@-",
                tokenEndpoint });
        QVERIFY(curl.waitForStarted(5000));
        curl.write("grant_type=refresh_token&client_id=ondevice-demo&refresh_token="
            + QUrl::toPercentEncoding(QString::fromLatin1(refreshToken)));
        curl.closeWriteChannel();
        QVERIFY(curl.waitForFinished(30000));
        const QByteArray out = curl.readAllStandardOutput();
        const int status = out.mid(out.lastIndexOf('\n') + 1).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(out.left(out.lastIndexOf('\n'))).object();
        if (binding.isEmpty()) {
            QCOMPARE(status, 400);
            QVERIFY2(QStringList({ "invalid_dpop_proof", "invalid_grant" }).contains(answer.value("error").toString()),
                out.constData());
            // Nothing was used up: the app, with its key, still refreshes.
            const CliRun run = cli({ "refresh", id });
            QVERIFY2(run.exitCode == 0, run.err.constData());
        } else {
            QCOMPARE(status, 200);
            QCOMPARE(answer.value("token_type").toString(), QStringLiteral("Bearer"));
            QVERIFY(!answer.value("access_token").toString().isEmpty());
        }
        const CliRun forgotten = cli({ "disconnect", id, "--forget" });
        QVERIFY2(forgotten.exitCode == 0, forgotten.err.constData());
    }

    // The provider directory from the command line: add the sandbox's User Access Brands bundle, list it,
    // search it, and connect by a brand's name; the connection is then shown by that name.
    void directoryAndConnectByBrand()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const QString bundle = QUrl(sandbox.adminBase()).resolved(QUrl("/brands")).toString();
        QCOMPARE(cli({ "directory", "add", "https//not-a-url" }).exitCode, 1);
        CliRun run = cli({ "directory", "add", bundle });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = cli({ "directory", "list" });
        QVERIFY2(run.out.contains(bundle.toUtf8()) && run.out.contains("brands: 7"), run.out.constData());

        run = cli({ "directory", "search", "riverbend", "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray found = QJsonDocument::fromJson(run.out).object().value("brands").toArray();
        QCOMPARE(found.size(), 2); // the system, and its hospital (a word of its name)
        QCOMPARE(found[0].toObject().value("name").toString(), QStringLiteral("Riverbend Health"));
        QCOMPARE(found[1].toObject().value("name").toString(), QStringLiteral("Riverbend Children's Hospital"));
        QCOMPARE(found[1].toObject().value("fhir_base").toString(), sandbox.fhirBase().toString());
        QCOMPARE(found[1].toObject().value("fhir_bases").toArray().size(), 1);
        QCOMPARE(found[1].toObject().value("city").toString(), QStringLiteral("Springfield"));
        // Accents and case do not matter; an empty search lists every brand in the bundle's order.
        QVERIFY(cli({ "directory", "search", "SPRINGF" }).out.contains("Riverbend Health"));
        const QJsonArray all = QJsonDocument::fromJson(cli({ "directory", "search", "", "--json" }).out)
                                   .object()
                                   .value("brands")
                                   .toArray();
        QCOMPARE(all.size(), 7);
        QCOMPARE(all.first().toObject().value("name").toString(), QStringLiteral("Sandbox Labs"));

        QCOMPARE(
            cli({ "connect", "--brand", "Nobody Health", "--client-id", "ondevice-demo", "--no-browser" }).exitCode, 1);
        // An affiliate without an endpoint of its own connects through its system's, by one of its aliases.
        const QString id = connectWithCli(sandbox, { "--brand", "kids first" });
        QVERIFY(!id.isEmpty());
        run = cli({ "status", "--json" });
        QJsonObject status;
        for (const QJsonValue entry : QJsonDocument::fromJson(run.out).object().value("connections").toArray())
            if (entry.toObject().value("id").toString() == id)
                status = entry.toObject();
        QCOMPARE(status.value("brand").toString(), QStringLiteral("Riverbend Children's Hospital"));
        QCOMPARE(status.value("name").toString(), QStringLiteral("Riverbend Children's Hospital"));
        QVERIFY(cli({ "disconnect", id, "--forget" }).exitCode == 0);
        QCOMPARE(cli({ "directory", "remove", bundle }).exitCode, 0);
        QVERIFY(!cli({ "directory", "list" }).out.contains(bundle.toUtf8()));
    }

    // The shapes the sandbox's directory cannot show: a brand with two endpoints connects only with --fhir naming
    // one of them; a brand without one exits 1 with its portal.
    void connectByBrandWithSeveralEndpointsOrNone()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        TinyHttpServer directory;
        QVERIFY(directory.listen());
        const QUrl elsewhere = directory.url("/kids/R4");
        const QByteArray body = twoPortalsAndNoEndpointDirectory(sandbox.fhirBase(), elsewhere, QString());
        directory.setHandler([&body](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 200, "application/fhir+json", body, {} };
        });
        const QString bundle = directory.url("/brands.json").toString();
        QCOMPARE(cli({ "directory", "add", bundle }).exitCode, 0);
        QVERIFY(cli({ "directory", "list" }).out.contains("brands: 2"));
        const QJsonArray found = QJsonDocument::fromJson(cli({ "directory", "search", "", "--json" }).out)
                                     .object()
                                     .value("brands")
                                     .toArray();
        QCOMPARE(found.size(), 2);
        QCOMPARE(found[0].toObject().value("fhir_bases").toArray().size(), 2);
        QVERIFY(found[1].toObject().value("fhir_base").isNull());

        CliRun run = cli({ "connect", "--brand", "harbor medical", "--client-id", "ondevice-demo", "--no-browser" });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(
            run.err.contains("pick one with --fhir") && run.err.contains(elsewhere.toEncoded()), run.err.constData());
        run = cli({ "connect", "--brand", "Old Mill Family Practice", "--client-id", "ondevice-demo", "--no-browser" });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("https://portal.oldmill.example/"), run.err.constData());

        const QString id
            = connectWithCli(sandbox, { "--brand", "Harbor Medical", "--fhir", sandbox.fhirBase().toString() });
        QVERIFY(!id.isEmpty());
        QJsonObject status;
        for (const QJsonValue entry :
            QJsonDocument::fromJson(cli({ "status", "--json" }).out).object().value("connections").toArray())
            if (entry.toObject().value("id").toString() == id)
                status = entry.toObject();
        QCOMPARE(status.value("brand").toString(), QStringLiteral("Harbor Medical"));
        QCOMPARE(status.value("fhir_base").toString(), sandbox.fhirBase().toString());
        QVERIFY(cli({ "disconnect", id, "--forget" }).exitCode == 0);
        QCOMPARE(cli({ "directory", "remove", bundle }).exitCode, 0);
    }

    void probeNamesWhatItSees_data()
    {
        QTest::addColumn<QString>("quirks");
        QTest::addColumn<QString>("seen");
        QTest::newRow("none") << QString() << QStringLiteral("none");
        QTest::newRow("launcher-like") << QStringLiteral("launcher-like")
                                       << QStringLiteral("launch-base, no-revocation, plain-401");
        QTest::newRow("epic-like") << QStringLiteral("epic-like") << QStringLiteral("no-everything");
        QTest::newRow("no-refresh-grant-type")
            << QStringLiteral("no-refresh-grant-type") << QStringLiteral("no-refresh-grant-type");
        QTest::newRow("no-date-header") << QStringLiteral("no-date-header") << QStringLiteral("no-date-header");
        QTest::newRow("skewed-date-header")
            << QStringLiteral("skewed-date-header") << QStringLiteral("skewed-date-header");
    }

    void probeNamesWhatItSees()
    {
        QFETCH(QString, quirks);
        QFETCH(QString, seen);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start(quirks.isEmpty() ? QStringList() : QStringList { "--quirks", quirks }).isEmpty());
        const CliRun run = cli({ "probe", "--fhir", sandbox.fhirBase().toString() });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains(QByteArray("Known behaviours seen: " + seen.toUtf8() + '\n')), run.out.constData());
        QVERIFY(run.out.contains("OnDevice Health can connect to this server."));
        QCOMPARE(run.out.contains("one search per type"), quirks == QLatin1String("epic-like"));
        QVERIFY2(run.out.contains("Token binding:  DPoP offered (ES256, ES384)"), run.out.constData());
        // Nothing was signed in to, nothing was stored.
        QCOMPARE(admin(sandbox, "/stats").value("authorize_requests").toInt(), 0);
    }

    void probeSaysWhenThereIsNoDpop()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--binding", "none" }).isEmpty());
        const CliRun run = cli({ "probe", "--fhir", sandbox.fhirBase().toString() });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("Token binding:  no DPoP"), run.out.constData());
    }

    void probeSaysWhyNot()
    {
        // Nothing listens there.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString base = QStringLiteral("http://127.0.0.1:%1/fhir").arg(closed.serverPort());
        closed.close();
        const CliRun run = cli({ "probe", "--fhir", base });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("cannot be used"), run.out.constData());
    }

    // A server that issues no refresh token: connecting works and says when access ends; a fresh process has
    // nothing to refresh with and says so (exit 2, no request sent); signing out works.
    void noRefreshTokenSaysWhenToSignInAgain()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--quirks", "no-refresh-token" }).isEmpty());
        const QString id = connectWithCli(sandbox);
        QVERIFY(!id.isEmpty());
        QVERIFY(!m_env.stored(id)->refreshTokenIssued);
        QVERIFY(!holdsRefreshToken(id));
        const CliRun refresh = cli({ "refresh", id });
        QCOMPARE(refresh.exitCode, 2);
        QVERIFY2(refresh.err.contains("did not allow staying signed in"), refresh.err.constData());
        QCOMPARE(refreshes(sandbox), 0);
        const CliRun signOut = cli({ "disconnect", id });
        QVERIFY2(signOut.exitCode == 0, signOut.err.constData());
    }

    // The launcher's refreshed id_token has no aud. It is ignored; the grant is kept across restarts, and
    // with reuse detection on, every rotated token is the one presented next.
    void restartsKeepTheGrantWhenRefreshIdTokensLackAud()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox
                    .start({ "--auto-approve", "first", "--refresh-policy", "rotate-detect-reuse", "--quirks",
                        "refresh-id-token-no-aud" })
                    .isEmpty());
        const QString id = connectWithCli(sandbox);
        QVERIFY(!id.isEmpty());
        for (int restart = 1; restart <= 5; ++restart) {
            const CliRun run = cli({ "refresh", id });
            QVERIFY2(run.exitCode == 0,
                qPrintable(QStringLiteral("restart %1: %2").arg(restart).arg(QString::fromUtf8(run.err))));
            QVERIFY(holdsRefreshToken(id));
            QCOMPARE(m_env.stored(id)->lastRefreshResult, QStringLiteral("ok, rotated"));
        }
        QCOMPARE(refreshes(sandbox), 5);
        QCOMPARE(admin(sandbox, "/stats").value("live_grants").toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_RealServerQuirks)
#include "tst_RealServerQuirks.moc"
