// Records sync end to end: the sandbox, a real Session (keychain), FhirClient,
// SyncEngine and the encrypted ResourceStore.

#include "AppTestEnvironment.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include "auth/ConnectionManager.h"
#include "auth/SecretStore.h"
#include "auth/Session.h"
#include "fhir/BundleExport.h"
#include "fhir/FhirClient.h"
#include "fhir/SyncEngine.h"
#include "fhir/store/ResourceStore.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ondevice;
using namespace ondevice::auth;
using namespace ondevice::fhir;
using namespace ondevice::testing;

class tst_SyncEngine : public QObject {
    Q_OBJECT

private:
    AppTestEnvironment m_env;

    QString recordsPath() const { return m_env.recordsPath(); }

    struct Fixture {
        SandboxProcess sandbox;
        Connection connection;
        std::unique_ptr<Session> session;
        std::unique_ptr<ResourceStore> store;
        std::unique_ptr<FhirClient> client;
    };

    // A sandbox, a connection to it, and the pieces a sync needs.
    std::unique_ptr<Fixture> setUp(const QStringList& sandboxArgs, const QString& scope = {})
    {
        auto f = std::make_unique<Fixture>();
        // Bearer tokens: these tests also read the server directly with the access token to compare
        // (tst_DpopBinding syncs a bound connection).
        const QString error
            = f->sandbox.start(QStringList { "--auto-approve", "first", "--binding", "none" } + sandboxArgs);
        if (!error.isEmpty()) {
            qWarning() << error;
            return nullptr;
        }
        const auto outcome = m_env.connect(f->sandbox, scope);
        if (!outcome)
            return nullptr;
        f->connection = outcome->connection;
        f->session = std::make_unique<Session>(f->connection, m_env.services());
        f->session->adoptAccessToken(outcome->accessToken, outcome->accessExpiry);
        f->session->adoptDeviceKey(outcome->deviceKey);
        const auto key = await(m_env.secrets().read(f->connection.dataKeyKey()));
        if (!key || !*key)
            return nullptr;
        auto store = ResourceStore::open(recordsPath(), f->connection.id, key->value());
        if (!store)
            return nullptr;
        f->store = std::move(store).value();
        f->client = std::make_unique<FhirClient>(m_env.network(), *f->session, f->connection.fhirBase);
        return f;
    }

    static QString why(const SyncReport& report)
    {
        QStringList lines { report.abortReason };
        for (auto it = report.types.cbegin(); it != report.types.cend(); ++it)
            if (it->state != TypeProgress::State::Done && it->state != TypeProgress::State::NotShared
                && it->state != TypeProgress::State::NotOffered)
                lines << QStringLiteral("%1: state %2 %3").arg(it.key()).arg(int(it->state)).arg(it->error);
        return lines.join(QLatin1String("; "));
    }

    SyncReport sync(
        Fixture& f, bool full = false, int pageSize = 100, SyncPlan::Strategy strategy = SyncPlan::Strategy::Automatic)
    {
        SyncEngine engine(*f.client, *f.store);
        SyncReport report;
        bool done = false;
        connect(&engine, &SyncEngine::finished, this, [&](const SyncReport& r) {
            report = r;
            done = true;
        });
        SyncPlan plan;
        plan.patientId = f.connection.patientId;
        plan.grantedScopes = f.connection.grantedScopes;
        plan.full = full;
        plan.pageSize = pageSize;
        plan.strategy = strategy;
        engine.start(plan);
        QDeadlineTimer deadline(120000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(5);
        return report;
    }

    // What the server has for this patient: the total of each type's search.
    qint64 serverTotal(Fixture& f, const QString& type)
    {
        QByteArray token;
        f.session->accessToken(this, [&](const AccessToken& t) { token = t.value(); });
        const HttpAnswer answer = httpRequest("GET",
            QUrl(f.connection.fhirBase.toString() + "/" + type + "?patient=" + f.connection.patientId + "&_count=1"),
            {}, { { "Authorization", "Bearer " + token }, { "Accept", "application/fhir+json" } });
        return static_cast<qint64>(answer.json().value("total").toDouble(-1));
    }

    // Every id of a type at the server, through its own paging.
    QSet<QString> serverIds(Fixture& f, const QString& type)
    {
        QByteArray token;
        f.session->accessToken(this, [&](const AccessToken& t) { token = t.value(); });
        QSet<QString> ids;
        QUrl next(f.connection.fhirBase.toString() + "/" + type + "?patient=" + f.connection.patientId + "&_count=500");
        while (next.isValid()) {
            const HttpAnswer answer = httpRequest(
                "GET", next, {}, { { "Authorization", "Bearer " + token }, { "Accept", "application/fhir+json" } });
            const QJsonObject bundle = answer.json();
            for (const auto& entry : bundle.value("entry").toArray())
                ids.insert(entry.toObject().value("resource").toObject().value("id").toString());
            next = QUrl();
            for (const auto& link : bundle.value("link").toArray())
                if (link.toObject().value("relation").toString() == "next")
                    next = QUrl(link.toObject().value("url").toString());
        }
        return ids;
    }

    void addObservations(Fixture& f, const QStringList& ids, const QString& text = {})
    {
        QJsonArray entries;
        for (const QString& id : ids)
            entries << QJsonObject { { "resource",
                QJsonObject { { "resourceType", "Observation" }, { "id", id }, { "status", "final" },
                    { "category",
                        QJsonArray { QJsonObject { { "coding",
                            QJsonArray { QJsonObject {
                                { "system", "http://terminology.hl7.org/CodeSystem/observation-category" },
                                { "code", "vital-signs" } } } } } } },
                    { "code",
                        QJsonObject { { "coding",
                                          QJsonArray { QJsonObject { { "system", "http://loinc.org" },
                                              { "code", "8867-4" }, { "display", "Heart rate" } } } },
                            { "text", text.isEmpty() ? QStringLiteral("Heart rate") : text } } },
                    { "subject", QJsonObject { { "reference", QString("Patient/" + f.connection.patientId) } } },
                    { "effectiveDateTime", "2026-11-01T10:00:00Z" },
                    { "valueQuantity",
                        QJsonObject { { "value", 72 }, { "unit", "/min" }, { "system", "http://unitsofmeasure.org" },
                            { "code", "/min" } } } } } };
        const QJsonObject bundle { { "resourceType", "Bundle" }, { "type", "collection" }, { "entry", entries } };
        const HttpAnswer answer = httpRequest("POST",
            QUrl(f.sandbox.adminBase().toString() + "/patients/" + f.connection.patientId + "/resources"),
            QJsonDocument(bundle).toJson());
        QVERIFY2(answer.status / 100 == 2, answer.body.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_env.setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void fullSyncHoldsExactlyTheServersRecordsAcrossPages_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::newRow("per-type searches") << int(SyncPlan::Strategy::PerType);
        QTest::newRow("Patient/$everything") << int(SyncPlan::Strategy::Everything);
        QTest::newRow("automatic (the sandbox offers both)") << int(SyncPlan::Strategy::Automatic);
    }

    void fullSyncHoldsExactlyTheServersRecordsAcrossPages()
    {
        QFETCH(int, strategy);
        auto f = setUp({ "--resources-per-patient", "300" });
        QVERIFY(f);
        const SyncReport report = sync(*f, false, 25, SyncPlan::Strategy(strategy));
        QVERIFY2(report.complete(), qPrintable(why(report)));
        // Automatic: the sandbox offers both, and searches per type side by side.
        QCOMPARE(report.usedEverything, SyncPlan::Strategy(strategy) == SyncPlan::Strategy::Everything);
        if (SyncPlan::Strategy(strategy) != SyncPlan::Strategy::Everything)
            QVERIFY(report.types["Observation"].pages > 1);
        QVERIFY(report.types["Patient"].state == TypeProgress::State::Done);
        qint64 checked = 0;
        for (const QString& type : syncedResourceTypes()) {
            if (type == "Patient")
                continue;
            const qint64 server = serverTotal(*f, type);
            if (server < 0)
                continue; // a type the sandbox does not serve
            const auto stored = f->store->count(type);
            QVERIFY(stored);
            QCOMPARE(stored.value(), server);
            QCOMPARE(report.types[type].fetched, server);
            const auto ids = f->store->ids(type);
            QCOMPARE(qint64(QSet<QString>(ids.value().begin(), ids.value().end()).size()), server); // no duplicates
            checked += server;
        }
        QVERIFY(checked >= 250);
    }

    // The Medications the requests name come in requests of up to 100 ids (Medication?_id=a,b,c); a server
    // that refuses that search gets one read per Medication, said once and remembered. Where the server offers
    // $everything, the chain beside the per-type searches brings them (_type=...,Medication): no request at all.
    void referencedMedicationsInBatches_data()
    {
        QTest::addColumn<QString>("quirks");
        QTest::addColumn<int>("strategy");
        QTest::newRow("by _id") << QString() << int(SyncPlan::Strategy::PerType);
        QTest::newRow("medication-read-only")
            << QStringLiteral("medication-read-only") << int(SyncPlan::Strategy::PerType);
        QTest::newRow("automatic: the $everything chain beside") << QString() << int(SyncPlan::Strategy::Automatic);
    }

    void referencedMedicationsInBatches()
    {
        QFETCH(QString, quirks);
        QFETCH(int, strategy);
        auto f = setUp({ "--resources-per-patient", "3000", "--quirks", quirks.isEmpty() ? "none" : quirks });
        QVERIFY(f);
        const SyncReport report = sync(*f, false, 0, SyncPlan::Strategy(strategy));
        QVERIFY2(report.complete(), qPrintable(why(report)));
        QSet<QString> referenced;
        ResourceQuery requests = ResourceQuery::forType("MedicationRequest");
        requests.limit = 100000;
        for (const StoredResource& r : f->store->query(requests).value()) {
            const QString reference = QJsonDocument::fromJson(r.json)
                                          .object()
                                          .value("medicationReference")
                                          .toObject()
                                          .value("reference")
                                          .toString();
            if (reference.startsWith("Medication/"))
                referenced << reference.mid(11);
        }
        QVERIFY2(referenced.size() >= 2, "the sandbox's requests name Medications");
        const auto stored = f->store->ids("Medication");
        QCOMPARE(QSet<QString>(stored.value().begin(), stored.value().end()), referenced);
        const QJsonObject served = httpRequest("GET", QUrl(f->sandbox.adminBase().toString() + "/stats"))
                                       .json()
                                       .value("fhir_requests")
                                       .toObject();
        const int asked = served.value("Medication").toInt();
        const bool refused = report.notes.join('\n').contains("Medication search by _id refused");
        if (SyncPlan::Strategy(strategy) == SyncPlan::Strategy::Automatic) {
            QCOMPARE(asked, 0);
            QCOMPARE(served.value("$everything").toInt(), 1);
            QVERIFY(!report.usedEverything); // per type, the chain only beside
        } else if (quirks.isEmpty()) {
            QCOMPARE(asked, int((referenced.size() + 99) / 100));
            QVERIFY(!refused);
        } else {
            QCOMPARE(asked, 1 + int(referenced.size())); // the refused search, then one read each
            QVERIFY(refused);
        }
    }

    // Independent requests side by side: as many FHIR requests in flight as the budget allows, never more (the
    // sandbox's fault proxy counts them), and every record there.
    void keepsTheBudgetBusy_data()
    {
        QTest::addColumn<int>("budget");
        QTest::newRow("4 (the default)") << 4;
        QTest::newRow("2") << 2;
    }

    void keepsTheBudgetBusy()
    {
        QFETCH(int, budget);
        auto f = setUp({ "--resources-per-patient", "1500", "--faults", "latency=30ms,on=fhir" });
        QVERIFY(f);
        SyncEngine engine(*f->client, *f->store);
        std::optional<SyncReport> report;
        connect(&engine, &SyncEngine::finished, this, [&](const SyncReport& r) { report = r; });
        SyncPlan plan;
        plan.patientId = f->connection.patientId;
        plan.grantedScopes = f->connection.grantedScopes;
        plan.parallelTypes = budget;
        engine.start(plan);
        QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 120000);
        QVERIFY2(report->complete(), qPrintable(why(*report)));
        QVERIFY(!report->usedEverything); // the sandbox offers both: per type, side by side
        QCOMPARE(f->store->count("Observation").value(), serverTotal(*f, "Observation"));
        const QJsonObject stats = httpRequest("GET", QUrl(f->sandbox.adminBase().toString() + "/stats")).json();
        QCOMPARE(stats.value("fhir_most_in_flight").toInt(), budget);
    }

    // Observation in three chains side by side, the third `category:not=` the other two: the first such sync checks
    // the parts against the server's own count, so a server whose `:not` leaves out the records without a
    // category loses none of them (one search of every Observation instead, remembered). A split that held them
    // all is remembered and not checked again.
    void observationSplitIsCheckedAgainstTheServersCount_data()
    {
        QTest::addColumn<QString>("quirks");
        QTest::newRow("as FHIR says") << QString();
        QTest::newRow("not-needs-a-value") << QStringLiteral("not-needs-a-value");
    }

    void observationSplitIsCheckedAgainstTheServersCount()
    {
        QFETCH(QString, quirks);
        auto f = setUp({ "--resources-per-patient", "300", "--quirks", quirks.isEmpty() ? "none" : quirks });
        QVERIFY(f);
        QJsonObject uncategorised { { "resourceType", "Observation" }, { "id", "no-category" }, { "status", "final" },
            { "code", QJsonObject { { "text", "Hearing screen" } } },
            { "subject", QJsonObject { { "reference", QString("Patient/" + f->connection.patientId) } } } };
        const QJsonObject bundle { { "resourceType", "Bundle" }, { "type", "collection" },
            { "entry", QJsonArray { QJsonObject { { "resource", uncategorised } } } } };
        QVERIFY(httpRequest("POST",
                    QUrl(f->sandbox.adminBase().toString() + "/patients/" + f->connection.patientId + "/resources"),
                    QJsonDocument(bundle).toJson())
                    .status
                / 100
            == 2);
        const SyncReport report = sync(*f, false, 0);
        QVERIFY2(report.complete(), qPrintable(why(report)));
        QVERIFY(f->store->get("Observation", "no-category").value().has_value());
        QCOMPARE(f->store->count("Observation").value(), serverTotal(*f, "Observation"));
        const bool abandoned
            = report.notes.join('\n').contains("Observation split by category: the server left out 1 of");
        QCOMPARE(abandoned, !quirks.isEmpty());
        // The next full sync: split and unchecked where it held them all, one search where it did not.
        const SyncReport again = sync(*f, true, 0);
        QVERIFY2(again.complete(), qPrintable(why(again)));
        QCOMPARE(f->store->count("Observation").value(), serverTotal(*f, "Observation"));
        QVERIFY(!again.notes.join('\n').contains("split by category"));
    }

    void incrementalSyncFetchesOnlyWhatChanged_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::newRow("per-type searches") << int(SyncPlan::Strategy::PerType);
        QTest::newRow("Patient/$everything") << int(SyncPlan::Strategy::Everything);
        // The first sync type by type, the next one through one $everything?_since chain: the server offers both.
        QTest::newRow("automatic") << int(SyncPlan::Strategy::Automatic);
    }

    void incrementalSyncFetchesOnlyWhatChanged()
    {
        QFETCH(int, strategy);
        const auto how = SyncPlan::Strategy(strategy);
        auto f = setUp({ "--resources-per-patient", "200" });
        QVERIFY(f);
        QVERIFY(sync(*f, false, 100, how).complete());
        const qint64 before = f->store->count("Observation").value();
        addObservations(*f, { "new-1", "new-2", "new-3" });
        const auto requests = [&](const QString& type) {
            return httpRequest("GET", QUrl(f->sandbox.adminBase().toString() + "/stats"))
                .json()
                .value("fhir_requests")
                .toObject()
                .value(type)
                .toInt();
        };
        const int conditionBefore = requests("Condition");
        const int everythingBefore = requests("$everything");
        const SyncReport second = sync(*f, false, 100, how);
        QVERIFY(second.complete());
        QCOMPARE(second.types["Observation"].fetched, 3);
        QCOMPARE(second.types["Condition"].fetched, 0);
        QCOMPARE(f->store->count("Observation").value(), before + 3);
        // One request per type (or one $everything page), answered with only the changes.
        if (how == SyncPlan::Strategy::PerType) {
            QCOMPARE(requests("Condition"), conditionBefore + 1);
        } else {
            QCOMPARE(requests("Condition"), conditionBefore);
            QCOMPARE(requests("$everything"), everythingBefore + 1);
            QVERIFY(second.usedEverything);
        }
    }

    void fullResyncReconcilesDeletions()
    {
        auto f = setUp({ "--resources-per-patient", "100" });
        QVERIFY(f);
        addObservations(*f, { "doomed" });
        QVERIFY(sync(*f).complete());
        QVERIFY(f->store->get("Observation", "doomed").value().has_value());
        QCOMPARE(
            httpRequest("DELETE", QUrl(f->sandbox.adminBase().toString() + "/Observation/doomed")).status / 100, 2);

        QVERIFY(sync(*f).complete()); // incremental cannot see a deletion
        QVERIFY(f->store->get("Observation", "doomed").value().has_value());
        const SyncReport full = sync(*f, true);
        QVERIFY(full.complete());
        QCOMPARE(full.types["Observation"].removed, 1);
        QVERIFY(!f->store->get("Observation", "doomed").value().has_value());
        QCOMPARE(f->store->count("Observation").value(), serverTotal(*f, "Observation"));
    }

    void anEngineGoneMidPageKeepsWholePages()
    {
        // A page is written a slice at a time, giving the event loop back in
        // between (so the next page downloads meanwhile). Destroying the
        // engine (the app closing) while a page's transaction is open leaves
        // only whole pages, each with its checkpoint; the next sync resumes.
        auto f = setUp({ "--resources-per-patient", "300" });
        QVERIFY(f);
        const auto storedTotal = [&f] {
            qint64 total = 0;
            const QStringList types = syncedResourceTypes() << QStringLiteral("Medication");
            for (const QString& type : types)
                total += f->store->count(type).value();
            return total;
        };
        auto engine = std::make_unique<SyncEngine>(*f->client, *f->store);
        SyncPlan plan;
        plan.patientId = f->connection.patientId;
        plan.grantedScopes = f->connection.grantedScopes;
        plan.pageSize = 40;
        plan.strategy = SyncPlan::Strategy::Everything;
        int pagesDone = 0;
        connect(engine.get(), &SyncEngine::progressed, this,
            [&pagesDone](const QString&, const TypeProgress& p) { pagesDone = p.pages; });
        engine->start(plan);
        QDeadlineTimer deadline(60000);
        // Into the third page: two are committed, the third is half written.
        while (!(pagesDone == 2 && f->store->inTransaction()) && engine->isRunning() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents); // one pass
        QVERIFY2(f->store->inTransaction(), "the event loop never ran while a page was being written");
        engine.reset();
        QVERIFY(!f->store->inTransaction());
        QCOMPARE(storedTotal(), qint64(2 * plan.pageSize));

        const SyncReport resumed = sync(*f, false, 40, SyncPlan::Strategy::Everything);
        QVERIFY2(resumed.complete(), qPrintable(why(resumed)));
        QVERIFY(resumed.types["Observation"].resumed);
        for (const QString& type :
            { QStringLiteral("Observation"), QStringLiteral("Condition"), QStringLiteral("Encounter") }) {
            const qint64 server = serverTotal(*f, type);
            QCOMPARE(f->store->count(type).value(), server);
            const auto ids = f->store->ids(type).value();
            QCOMPARE(qint64(QSet<QString>(ids.begin(), ids.end()).size()), server);
        }
    }

    void twoSyncsIntoOneFileOnOneThread()
    {
        // Two connections (the app syncs each of them at start) write the same
        // records file from one thread. A page is written over several event-
        // loop turns in one transaction, so the other sync must wait for its
        // turn, not for SQLite's busy timeout on the very thread that has to
        // finish that page.
        auto a = setUp({ "--resources-per-patient", "400" });
        auto b = setUp({ "--resources-per-patient", "400" });
        QVERIFY(a && b);
        QVERIFY(a->connection.id != b->connection.id);
        SyncEngine first(*a->client, *a->store);
        SyncEngine second(*b->client, *b->store);
        std::optional<SyncReport> reportA;
        std::optional<SyncReport> reportB;
        connect(&first, &SyncEngine::finished, this, [&](const SyncReport& r) { reportA = r; });
        connect(&second, &SyncEngine::finished, this, [&](const SyncReport& r) { reportB = r; });
        for (auto* pair : { &a, &b }) {
            SyncPlan plan;
            plan.patientId = (*pair)->connection.patientId;
            plan.grantedScopes = (*pair)->connection.grantedScopes;
            plan.pageSize = 40;
            (pair == &a ? first : second).start(plan);
        }
        QTRY_VERIFY_WITH_TIMEOUT(reportA && reportB, 60000);
        QVERIFY2(reportA->complete(), qPrintable(why(*reportA)));
        QVERIFY2(reportB->complete(), qPrintable(why(*reportB)));
        for (Fixture* f : { a.get(), b.get() })
            QCOMPARE(f->store->count("Observation").value(), serverTotal(*f, "Observation"));
    }

    void aStoreThatCannotWriteEndsTheSyncCleanly()
    {
        // Another program holds the records file's write lock for longer than
        // the store waits (SQLite's busy timeout, 10 s): the first page cannot
        // be written. The sync ends with the store's message and nothing half
        // written; once the lock is gone, the next sync completes.
        auto f = setUp({ "--resources-per-patient", "200" });
        QVERIFY(f);
        {
            QSqlDatabase blocker = QSqlDatabase::addDatabase("QSQLITE", "blocker");
            blocker.setDatabaseName(recordsPath());
            QVERIFY(blocker.open());
            QSqlQuery lock(blocker);
            QVERIFY2(lock.exec("BEGIN IMMEDIATE"), qPrintable(lock.lastError().text()));
            const SyncReport blocked = sync(*f);
            QVERIFY(blocked.aborted);
            QVERIFY(!blocked.complete());
            QVERIFY(!blocked.abortReason.isEmpty());
            QCOMPARE(f->store->count("Observation").value(), 0);
            QVERIFY(lock.exec("ROLLBACK"));
        }
        QSqlDatabase::removeDatabase("blocker");
        const SyncReport after = sync(*f);
        QVERIFY2(after.complete(), qPrintable(why(after)));
        QCOMPARE(f->store->count("Observation").value(), serverTotal(*f, "Observation"));
    }

    void typesOutsideTheGrantAreNotShared()
    {
        auto f = setUp({ "--resources-per-patient", "100" },
            "openid fhirUser launch/patient offline_access patient/Patient.rs patient/Observation.rs");
        QVERIFY(f);
        const int conditionRequests = httpRequest("GET", QUrl(f->sandbox.adminBase().toString() + "/stats"))
                                          .json()
                                          .value("fhir_requests")
                                          .toObject()
                                          .value("Condition")
                                          .toInt();
        const SyncReport report = sync(*f);
        QVERIFY(report.complete());
        QVERIFY(report.types["Condition"].state == TypeProgress::State::NotShared);
        QVERIFY(report.types["Observation"].state == TypeProgress::State::Done);
        QVERIFY(report.types["Observation"].fetched > 0);
        QCOMPARE(httpRequest("GET", QUrl(f->sandbox.adminBase().toString() + "/stats"))
                     .json()
                     .value("fhir_requests")
                     .toObject()
                     .value("Condition")
                     .toInt(),
            conditionRequests); // never asked
    }

    void databaseFilesHoldNoPlaintext()
    {
        auto f = setUp({ "--resources-per-patient", "150" });
        QVERIFY(f);
        addObservations(*f, { "marker-obs" }, QStringLiteral("MARKER-4b1d-plaintext-probe"));
        QVERIFY(sync(*f).complete());
        QVERIFY(f->store->get("Observation", "marker-obs").value().has_value());
        int files = 0;
        for (const QString& suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") }) {
            const QByteArray bytes = readAll(recordsPath() + suffix);
            if (bytes.isEmpty())
                continue;
            ++files;
            for (const QByteArray& needle : { QByteArray("MARKER-4b1d"), QByteArray("resourceType"),
                     QByteArray("http://loinc.org"), QByteArray("marker-obs"), f->connection.patientId.toUtf8() })
                QVERIFY2(!bytes.contains(needle), needle.constData());
        }
        QVERIFY(files >= 1);
    }

    void exportWritesABundleOfEverything()
    {
        auto f = setUp({ "--resources-per-patient", "120" });
        QVERIFY(f);
        QVERIFY(sync(*f).complete());
        const QString out = m_env.filePath("export.json");
        const auto written = exportBundle(*f->store, out);
        QVERIFY(written);
        const QJsonObject bundle = QJsonDocument::fromJson(readAll(out)).object();
        QCOMPARE(bundle.value("resourceType").toString(), QStringLiteral("Bundle"));
        QCOMPARE(bundle.value("type").toString(), QStringLiteral("collection"));
        QCOMPARE(qint64(bundle.value("entry").toArray().size()), written.value());
        qint64 stored = 0;
        QStringList types = syncedResourceTypes();
        types << "Medication";
        for (const QString& type : std::as_const(types))
            stored += f->store->count(type).value();
        QCOMPARE(written.value(), stored);
        QCOMPARE(QFile::permissions(out) & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions {});
    }

    void faultsStillEndWithExactlyTheServersSet()
    {
        // 500s, 429s, dropped connections and bodies that are not JSON, on
        // FHIR requests, drawn from the seed so the run is repeatable.
        auto f = setUp({ "--resources-per-patient", "400", "--seed", "11", "--faults",
            "error500=0.08,rate429=0.05,retry-after=0,drop=0.05,malformed=0.05" });
        QVERIFY(f);
        SyncReport report;
        int runs = 0;
        do {
            report = sync(*f, false, 50);
            ++runs;
        } while (!report.complete() && runs < 6);
        QVERIFY2(report.complete(), qPrintable(why(report)));
        const QJsonObject injected = httpRequest("GET", QUrl(f->sandbox.adminBase().toString() + "/faults"))
                                         .json()
                                         .value("injected")
                                         .toObject();
        qInfo() << "faults injected:" << QJsonDocument(injected).toJson(QJsonDocument::Compact) << "sync runs:" << runs;
        int total = 0;
        for (const auto& count : injected)
            total += count.toInt();
        QVERIFY2(total >= 5, "the faults must really have happened");
        // Faults off, then compare with what the server really has.
        QCOMPARE(httpRequest("PUT", QUrl(f->sandbox.adminBase().toString() + "/faults"), "none").status / 100, 2);
        for (const QString& type : { QStringLiteral("Observation"), QStringLiteral("Condition"),
                 QStringLiteral("MedicationRequest"), QStringLiteral("Encounter"), QStringLiteral("Procedure") }) {
            const QSet<QString> server = serverIds(*f, type);
            const QStringList local = f->store->ids(type).value();
            QCOMPARE(qint64(local.size()), f->store->count(type).value());
            QCOMPARE(QSet<QString>(local.begin(), local.end()), server); // exactly the set, no duplicates
            QCOMPARE(local.size(), server.size());
        }
    }

    void killedSyncsLeaveAConsistentStore()
    {
        // ondevice-cli sync, SIGKILLed at random points; then a full run
        // completes and the store holds exactly the server's set.
        // Each run starts with a refresh. Under rotate-detect-reuse a kill that
        // falls between the server's rotation and the keychain write ends the
        // grant (by design; tst_CrashRecovery counts those rounds), which would
        // make the last run fail for a reason that is not the store's: here the
        // refresh token is not rotated.
        auto f = setUp({ "--resources-per-patient", "1500", "--refresh-policy", "no-rotate" });
        QVERIFY(f);
        const QProcessEnvironment env = m_env.childEnvironment();
        const int rounds = qEnvironmentVariableIsSet("ONDEVICE_KILL_ROUNDS")
            ? qEnvironmentVariableIntValue("ONDEVICE_KILL_ROUNDS")
            : 50;
        f->store.reset(); // the CLI writes; this process only reads afterwards
        QRandomGenerator random(20261128);
        for (int round = 0; round < rounds; ++round) {
            QProcess cli;
            cli.setProcessEnvironment(env);
            cli.start(qEnvironmentVariable("ONDEVICE_CLI_EXE"), { "sync", f->connection.id, "--page-size", "50" });
            QVERIFY(cli.waitForStarted());
            QTest::qWait(50 + random.bounded(600));
            // Only our own child, and only while it runs: kill(0) would hit the whole process group.
            if (cli.state() == QProcess::Running && cli.processId() > 0)
                ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
            cli.waitForFinished(10000);
        }
        QProcess last;
        last.setProcessEnvironment(env);
        last.start(qEnvironmentVariable("ONDEVICE_CLI_EXE"), { "sync", f->connection.id, "--full" });
        QVERIFY(last.waitForFinished(120000));
        QVERIFY2(last.exitCode() == 0, last.readAllStandardError().constData());

        const auto key = await(m_env.secrets().read(f->connection.dataKeyKey()));
        auto reopened = ResourceStore::open(recordsPath(), f->connection.id, key->value());
        QVERIFY(reopened);
        f->store = std::move(reopened).value();
        for (const QString& type :
            { QStringLiteral("Observation"), QStringLiteral("Condition"), QStringLiteral("Encounter") }) {
            const qint64 server = serverTotal(*f, type);
            QCOMPARE(f->store->count(type).value(), server);
            const auto ids = f->store->ids(type).value();
            QCOMPARE(qint64(QSet<QString>(ids.begin(), ids.end()).size()), server);
        }
    }
};

QTEST_GUILESS_MAIN(tst_SyncEngine)
#include "tst_SyncEngine.moc"
