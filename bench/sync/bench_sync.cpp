// bench_sync: a full sync of one patient from the local sandbox, measured
// against curl fetching the very same pages (sequentially, and 4 at a time),
// then an incremental sync after 50 changes, and (with --memory) the peak
// memory of a large sync. With --network SPEC the sandbox answers through its
// fault proxy with that latency profile (for example latency=40ms,jitter=10ms),
// as a real provider does, and the sync is measured against three curl
// baselines over the same network: the sync's own URLs one after another, its
// chains of next links four at a time, and one Patient/$everything chain.
// Prints one JSON object; asserts nothing.
//
// Runs inside a private keyring session (./dev bench provides one).

#include "AppSetup.h"
#include "BrowserHook.h"
#include "NullCipher.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include "auth/ConnectionManager.h"
#include "auth/SecretStore.h"
#include "auth/Session.h"
#include "fhir/FhirClient.h"
#include "fhir/RawJson.h"
#include "fhir/SyncEngine.h"
#include "fhir/store/ResourceStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <ctime>
#include <functional>
#include <unistd.h>

#include <QSqlDatabase>
#include <QSqlQuery>

#ifdef ONDEVICE_BENCH_RAW_SQLITE
#include <QCryptographicHash>
#include <QDir>
#include <sqlite3.h>

#include <functional>
#include <vector>
#endif

using namespace ondevice;

namespace {

qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

// CPU time in ms: of this process, of the calling thread, of another process (from /proc, in clock ticks).
double cpuMs(clockid_t clock)
{
    timespec t {};
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double processCpuMs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return -1;
    // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after ')'.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

struct Run {
    fhir::SyncReport report;
    QList<QUrl> urls; // answered 200, in the order they were answered
    int requests = 0; // every FHIR request, whatever its answer
    double processCpuMs = 0; // this process, all threads
    double mainThreadCpuMs = 0;
    double serverCpuMs = 0;
};

Run syncOnce(fhir::FhirClient& client, fhir::ResourceStore& store, const fhir::SyncPlan& plan, qint64 serverPid)
{
    Run run;
    const double process0 = cpuMs(CLOCK_PROCESS_CPUTIME_ID);
    const double thread0 = cpuMs(CLOCK_THREAD_CPUTIME_ID);
    const double server0 = processCpuMs(serverPid);
    QObject context;
    QObject::connect(
        &client, &fhir::FhirClient::requestFinished, &context, [&run](const QUrl& url, int status, qint64) {
            ++run.requests;
            if (status == 200)
                run.urls << url;
        });
    fhir::SyncEngine engine(client, store);
    bool done = false;
    QObject::connect(&engine, &fhir::SyncEngine::finished, &context, [&](const fhir::SyncReport& r) {
        run.report = r;
        done = true;
    });
    engine.start(plan);
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    run.mainThreadCpuMs = cpuMs(CLOCK_THREAD_CPUTIME_ID) - thread0;
    // The records are in the database file only once the write-ahead log is checkpointed. The store's
    // checkpointer thread does that when enough went in, maybe after the sync; it is the sync's work all the
    // same, so it is done here, inside the process's CPU figure.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-checkpoint"));
        db.setDatabaseName(store.databasePath());
        if (db.open()) {
            QSqlQuery query(db);
            query.exec(QStringLiteral("PRAGMA busy_timeout=10000"));
            query.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-checkpoint"));
    run.processCpuMs = cpuMs(CLOCK_PROCESS_CPUTIME_ID) - process0;
    run.serverCpuMs = processCpuMs(serverPid) - server0;
    return run;
}

// Runs `program arguments` with the bearer in its environment (never in a file or argv) and `urls` on its
// standard input, one per line; returns milliseconds from the first URL written to its exit, and its output.
qint64 runWithUrls(const QString& program, const QStringList& arguments, const QList<QUrl>& urls,
    const QByteArray& token, QByteArray* output)
{
    QStringList list;
    for (const QUrl& url : urls)
        list << url.toString(QUrl::FullyEncoded);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ONDEVICE_BENCH_TOKEN"), QString::fromLatin1(token));
    process.setProcessEnvironment(env);
    QElapsedTimer clock;
    process.start(program, arguments);
    process.waitForStarted();
    clock.start();
    process.write(list.join(QLatin1Char('\n')).toUtf8() + '\n');
    process.closeWriteChannel();
    process.waitForFinished(600000);
    const qint64 elapsed = clock.elapsed();
    *output = process.readAllStandardOutput();
    return elapsed;
}

// curl over `urls`, `parallel` at a time. Milliseconds; `ok` gets the pages answered 200.
qint64 curlPages(const QList<QUrl>& urls, const QByteArray& token, int parallel, int* ok)
{
    // One curl per batch keeps its connection alive across the batch, as our
    // client does; xargs -P runs `parallel` of them at once.
    const int perCurl = std::max<int>(1, static_cast<int>((urls.size() + parallel - 1) / parallel));
    const QString script = QStringLiteral(
        "xargs -P %1 -n %2 sh -c 'for u; do printf \"url = %s\\noutput = /dev/null\\n\" \"$u\"; done | "
        "curl -s -K - -w \"%{http_code}\\n\" -H \"Authorization: Bearer $ONDEVICE_BENCH_TOKEN\" "
        "-H \"Accept: application/fhir+json\"' sh")
                               .arg(parallel)
                               .arg(perCurl);
    QByteArray output;
    const qint64 elapsed = runWithUrls(QStringLiteral("sh"), { QStringLiteral("-c"), script }, urls, token, &output);
    *ok = static_cast<int>(output.count("200"));
    return elapsed;
}

// curl following chains of `next` links from each of `starts`, `parallel` chains at a time
// (bench/sync/follow-chains.sh). Milliseconds; `pages` gets the pages fetched.
qint64 curlChains(const QList<QUrl>& starts, const QByteArray& token, int parallel, int* pages)
{
    QByteArray output;
    const qint64 elapsed = runWithUrls(QStringLiteral("sh"),
        { QStringLiteral(ONDEVICE_BENCH_FOLLOW_CHAINS), QString::number(parallel) }, starts, token, &output);
    *pages = static_cast<int>(output.count("page"));
    return elapsed;
}

// The chains a sync followed: each URL that was not the next link of another is where a chain starts.
QList<QUrl> chainStarts(const QList<QUrl>& urls)
{
    QList<QUrl> starts;
    for (const QUrl& url : urls)
        if (!url.query().contains(QLatin1String("_getpages")))
            starts << url;
    return starts;
}

#ifdef ONDEVICE_BENCH_RAW_SQLITE
// The same records written through SQLite's C API directly: no Qt, no
// encryption, WAL with the store's settings, 100 per transaction, tags made
// before the clock starts. Two shapes:
//   keyed rows:     each record a row under one unique key, upserted; the least
//                   any store that can update a record in place does;
//   store's schema: the tables and indexes of an empty store file (copied from
//                   it) and the store's statements: look the record up, insert
//                   it with its type, date and version, one row per code and
//                   category tag (what the UI's queries by type, code and date
//                   range need).
// Milliseconds, or -1 when SQLite failed.
struct RawFloor {
    qint64 keyedRowsMs = -1;
    qint64 storeSchemaMs = -1;
};

QByteArray tagOf(const QString& input) // 16 bytes, as the store's HMAC tags are
{
    return QCryptographicHash::hash(input.toUtf8(), QCryptographicHash::Sha256).left(16);
}

qint64 msOrZero(const QDateTime& t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

RawFloor rawFloor(const QString& directory, const QString& emptyStore, const QList<QByteArray>& records,
    const QList<fhir::ResourceIndex>& indexes)
{
    struct Row {
        QByteArray type, id, version;
        qint64 updated = 0, sorted = 0;
        QList<QByteArray> tags;
    };
    QList<Row> rows;
    for (const fhir::ResourceIndex& index : indexes) {
        Row row { tagOf(index.type), tagOf(index.type + u'\0' + index.id),
            tagOf(index.type + u'\0' + index.id + u'\0' + index.versionId), msOrZero(index.lastUpdated),
            msOrZero(index.sortDate), {} };
        for (const QString& code : index.codes + index.categories)
            row.tags << tagOf(index.type + u'\0' + code);
        rows << row;
    }
    QStringList schema;
    {
        QSqlDatabase source = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("schema"));
        source.setDatabaseName(emptyStore);
        QSqlQuery query(source);
        if (source.open()
            && query.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")))
            while (query.next())
                schema << query.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("schema"));

    const auto run = [&](const QString& file, const QStringList& create, const QList<const char*>& statements,
                         const std::function<bool(const std::vector<sqlite3_stmt*>&, qsizetype)>& write) -> qint64 {
        sqlite3* db = nullptr;
        if (sqlite3_open(QFile::encodeName(QDir(directory).filePath(file)).constData(), &db) != SQLITE_OK) {
            sqlite3_close(db);
            return -1;
        }
        const auto exec = [db](const QByteArray& sql) {
            return sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
        };
        // The store's own settings: WAL, no fsync per commit, no checkpoint inside a commit.
        bool ok = !create.isEmpty() && exec("PRAGMA journal_mode=WAL") && exec("PRAGMA synchronous=NORMAL")
            && exec("PRAGMA wal_autocheckpoint=0");
        for (const QString& sql : create)
            ok = ok && exec(sql.toUtf8());
        std::vector<sqlite3_stmt*> prepared;
        for (const char* sql : statements) {
            prepared.push_back(nullptr);
            ok = ok && sqlite3_prepare_v2(db, sql, -1, &prepared.back(), nullptr) == SQLITE_OK;
        }
        QElapsedTimer clock;
        clock.start();
        for (qsizetype i = 0; ok && i < records.size(); ++i) {
            if (i % 100 == 0)
                ok = exec("BEGIN IMMEDIATE");
            ok = ok && write(prepared, i);
            if (ok && (i % 100 == 99 || i + 1 == records.size()))
                ok = exec("COMMIT");
        }
        const qint64 elapsed = clock.elapsed();
        for (sqlite3_stmt* statement : prepared)
            sqlite3_finalize(statement);
        sqlite3_close(db);
        return ok ? elapsed : -1;
    };
    const auto step = [](sqlite3_stmt* statement) {
        const int rc = sqlite3_step(statement);
        sqlite3_reset(statement);
        return rc == SQLITE_DONE || rc == SQLITE_ROW;
    };
    const auto blob = [](sqlite3_stmt* statement, int at, const QByteArray& value) {
        sqlite3_bind_blob(statement, at, value.constData(), int(value.size()), SQLITE_STATIC);
    };

    RawFloor floor;
    floor.keyedRowsMs = run(QStringLiteral("keyed.sqlite"),
        { QStringLiteral(
            "CREATE TABLE records (rid INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, body BLOB NOT NULL)") },
        { "INSERT INTO records (key, body) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body" },
        [&](const std::vector<sqlite3_stmt*>& s, qsizetype i) {
            blob(s[0], 1, rows.at(i).id);
            blob(s[0], 2, records.at(i));
            return step(s[0]);
        });
    // The store's statements (fhir/store/ResourceStore.cpp), for a record that is new.
    floor.storeSchemaMs = run(QStringLiteral("schema.sqlite"), schema,
        { "SELECT rid, version_tag, last_updated FROM resources WHERE conn = ? AND type_tag = ? AND id_tag = ?",
            "INSERT INTO resources (conn, type_tag, id_tag, version_tag, last_updated, sort_date, body) VALUES (?, ?, "
            "?, ?, ?, ?, ?)",
            "INSERT OR IGNORE INTO resource_tags (resource, tag, conn, sort_date) VALUES (?, ?, ?, ?)" },
        [&](const std::vector<sqlite3_stmt*>& s, qsizetype i) {
            const Row& row = rows.at(i);
            sqlite3_bind_int64(s[0], 1, 1);
            blob(s[0], 2, row.type);
            blob(s[0], 3, row.id);
            bool ok = step(s[0]);
            sqlite3_bind_int64(s[1], 1, 1);
            blob(s[1], 2, row.type);
            blob(s[1], 3, row.id);
            blob(s[1], 4, row.version);
            sqlite3_bind_int64(s[1], 5, row.updated);
            sqlite3_bind_int64(s[1], 6, row.sorted);
            blob(s[1], 7, records.at(i));
            ok = ok && step(s[1]);
            const sqlite3_int64 rid = sqlite3_last_insert_rowid(sqlite3_db_handle(s[1]));
            for (const QByteArray& tag : row.tags) {
                sqlite3_bind_int64(s[2], 1, rid);
                blob(s[2], 2, tag);
                sqlite3_bind_int64(s[2], 3, 1);
                sqlite3_bind_int64(s[2], 4, row.sorted);
                ok = ok && step(s[2]);
            }
            return ok;
        });
    return floor;
}
#endif

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption resources(QStringLiteral("resources"), QStringLiteral("Resources for the one patient."),
        QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption memoryOnly(
        QStringLiteral("memory"), QStringLiteral("Only the sync, for its peak memory."));
    const QCommandLineOption jsonOut(
        QStringLiteral("json-out"), QStringLiteral("Also write the JSON here."), QStringLiteral("file"));
    const QCommandLineOption networkProfile(QStringLiteral("network"),
        QStringLiteral("Serve through the sandbox's fault proxy with this profile (latency=40ms,jitter=10ms) and "
                       "measure against curl over the same network."),
        QStringLiteral("spec"));
    parser.addOptions({ resources, memoryOnly, jsonOut, networkProfile });
    parser.addHelpOption();
    parser.process(app);

    QTemporaryDir home;
    qputenv("XDG_DATA_HOME", QFile::encodeName(home.filePath(QStringLiteral("data"))));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
    app::configureApplication(app);

    testing::SandboxProcess sandbox;
    // Bearer tokens (no DPoP), so that curl can send the very same requests with the same token.
    QStringList sandboxArguments { QStringLiteral("--patients"), QStringLiteral("1"),
        QStringLiteral("--resources-per-patient"), parser.value(resources), QStringLiteral("--auto-approve"),
        QStringLiteral("first"), QStringLiteral("--access-token-lifetime"), QStringLiteral("86400"),
        QStringLiteral("--binding"), QStringLiteral("none") };
    if (parser.isSet(networkProfile))
        sandboxArguments << QStringLiteral("--faults") << parser.value(networkProfile);
    const QString started = sandbox.start(sandboxArguments, 300000);
    if (!started.isEmpty()) {
        QTextStream(stderr) << started << Qt::endl;
        return 1;
    }

    QNetworkAccessManager network;
    auth::SecretStore secrets(QStringLiteral("org.ondevicehealth.bench"));
    auth::ConnectionRegistry registry(auth::ConnectionRegistry::defaultPath());
    auth::AuthServices services { &network, &secrets, &registry, ondevice::systemClock(),
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/locks") };
    testing::BrowserHook browser;
    auth::ConnectionManager manager(services, browser.opener());
    const auto outcome = testing::await(
        manager.connectProvider({ sandbox.fhirBase(), QStringLiteral("ondevice-demo"), 0, {}, {}, {}, {}, {} }), 60000);
    if (!outcome || !outcome->ok()) {
        QTextStream(stderr) << "connect failed" << Qt::endl;
        return 1;
    }
    const auth::Connection connection = outcome->value().connection;
    auth::Session session(connection, services);
    session.adoptAccessToken(outcome->value().accessToken, outcome->value().accessExpiry);
    session.adoptDeviceKey(outcome->value().deviceKey);
    const auto key = testing::await(secrets.read(connection.dataKeyKey()));
    auto opened
        = fhir::ResourceStore::open(home.filePath(QStringLiteral("records.sqlite")), connection.id, key->value());
    if (!opened) {
        QTextStream(stderr) << opened.failure().message << Qt::endl;
        return 1;
    }
    auto store = std::move(opened).value();
    fhir::FhirClient client(network, session, connection.fhirBase);
    fhir::SyncPlan plan;
    plan.patientId = connection.patientId;
    plan.grantedScopes = connection.grantedScopes;

    QJsonObject result { { QStringLiteral("resources"), parser.value(resources).toInt() } };
    const Run first = syncOnce(client, *store, plan, sandbox.pid());
    result.insert(QStringLiteral("sync_ms"), first.report.elapsedMs);
    result.insert(QStringLiteral("synced_resources"), first.report.resources);
    result.insert(QStringLiteral("pages"), first.urls.size());
    // Where the time goes: CPU of this process (all threads, and the thread that runs the engine) and of the
    // sandbox while it served the sync. Two cores: the sync cannot beat (client CPU + server CPU) / 2.
    result.insert(QStringLiteral("sync_cpu_ms"), first.processCpuMs);
    result.insert(QStringLiteral("sync_engine_thread_cpu_ms"), first.mainThreadCpuMs);
    result.insert(QStringLiteral("sync_server_cpu_ms"), first.serverCpuMs);
    result.insert(QStringLiteral("complete"), first.report.complete());
    result.insert(QStringLiteral("peak_rss_mib"), peakRssKiB() / 1024.0);

    // What a patient's computer spends per record stored: user + system CPU of every thread of this process.
    if (first.report.resources > 0)
        result.insert(QStringLiteral("cpu_us_per_record"), first.processCpuMs * 1000.0 / first.report.resources);

    // 50 changed Observations at the server, then an incremental sync.
    const auto changeAndSyncAgain = [&] {
        QJsonArray entries;
        for (int i = 0; i < 50; ++i)
            entries << QJsonObject { { "resource",
                QJsonObject { { "resourceType", "Observation" }, { "id", QStringLiteral("bench-change-%1").arg(i) },
                    { "status", "final" }, { "code", QJsonObject { { "text", "Heart rate" } } },
                    { "subject",
                        QJsonObject { { "reference", QString(QStringLiteral("Patient/") + connection.patientId) } } },
                    { "effectiveDateTime", "2026-11-01T10:00:00Z" } } } };
        testing::httpRequest("POST",
            QUrl(sandbox.adminBase().toString() + QStringLiteral("/patients/") + connection.patientId
                + QStringLiteral("/resources")),
            QJsonDocument(QJsonObject { { "resourceType", "Bundle" }, { "type", "collection" }, { "entry", entries } })
                .toJson());
        return syncOnce(client, *store, plan, sandbox.pid());
    };

    if (parser.isSet(networkProfile)) {
        // Over the provider's network: the sync against curl sending the same requests (one after another),
        // following the same chains (four at a time), and following today's single $everything chain.
        const QString spec = parser.value(networkProfile);
        const auto figure = [&spec](const char* name) {
            const QRegularExpression pattern(QString::fromLatin1(name) + QStringLiteral("=(\\d+)"));
            return pattern.match(spec).captured(1).toInt();
        };
        result = QJsonObject { { QStringLiteral("network"), spec }, { QStringLiteral("latency_ms"), figure("latency") },
            { QStringLiteral("jitter_ms"), figure("jitter") }, { QStringLiteral("resources"), first.report.resources },
            { QStringLiteral("requests"), first.requests }, { QStringLiteral("sync_ms"), first.report.elapsedMs },
            { QStringLiteral("complete"), first.report.complete() } };
        QByteArray token;
        session.accessToken(&app, [&token](const auth::AccessToken& t) { token = t.value(); });
        int okSequential = 0;
        int chainPages = 0;
        int everythingPages = 0;
        const qint64 sequential = curlPages(first.urls, token, 1, &okSequential);
        const QList<QUrl> starts = chainStarts(first.urls);
        const qint64 chains = curlChains(starts, token, 4, &chainPages);
        const QUrl everything(connection.fhirBase.toString() + QStringLiteral("/Patient/") + connection.patientId
            + QStringLiteral("/$everything"));
        const qint64 everythingChain = curlChains({ everything }, token, 1, &everythingPages);
        const auto ratio = [&first](qint64 baseline) {
            return baseline > 0 ? double(first.report.elapsedMs) / double(baseline) : -1.0;
        };
        result.insert(QStringLiteral("curl_sequential_ms"), sequential);
        result.insert(QStringLiteral("curl_sequential_ok"), okSequential);
        result.insert(QStringLiteral("chains"), starts.size());
        result.insert(QStringLiteral("curl_chains_parallel4_ms"), chains);
        result.insert(QStringLiteral("curl_chains_pages"), chainPages);
        result.insert(QStringLiteral("curl_everything_chain_ms"), everythingChain);
        result.insert(QStringLiteral("curl_everything_pages"), everythingPages);
        result.insert(QStringLiteral("ratio_vs_sequential"), ratio(sequential));
        result.insert(QStringLiteral("ratio_vs_chains_parallel4"), ratio(chains));
        result.insert(QStringLiteral("ratio_vs_everything_chain"), ratio(everythingChain));
        // At most one request per type plus the pages that hold the 50 changes.
        const Run second = changeAndSyncAgain();
        const int pageSize = plan.pageSize > 0 ? plan.pageSize : 1000; // the engine's largest page
        qsizetype typeSearches = 0;
        for (const QUrl& start : starts)
            typeSearches += start.path().endsWith(QLatin1String("/metadata")) ? 0 : 1;
        result.insert(QStringLiteral("incremental_requests"), second.requests);
        result.insert(
            QStringLiteral("incremental_request_bound"), qint64(typeSearches + (50 + pageSize - 1) / pageSize));
        result.insert(QStringLiteral("incremental_ms"), second.report.elapsedMs);
    } else if (!parser.isSet(memoryOnly)) {
        QByteArray token;
        session.accessToken(&app, [&token](const auth::AccessToken& t) { token = t.value(); });
        int okSequential = 0;
        int okParallel = 0;
        const qint64 sequential = curlPages(first.urls, token, 1, &okSequential);
        const qint64 parallel = curlPages(first.urls, token, 4, &okParallel);
        result.insert(QStringLiteral("curl_sequential_ms"), sequential);
        result.insert(QStringLiteral("curl_parallel4_ms"), parallel);
        result.insert(QStringLiteral("curl_pages_ok"),
            QStringLiteral("%1/%2, %3/%2").arg(okSequential).arg(first.urls.size()).arg(okParallel));

        // The parse worker's share: the sync's own pages (as the server sent them) through FhirClient's
        // parseBundle (simdjson), which the sync runs on a worker thread per page, against the same steps through
        // QJsonDocument (what parseBundle did before: the page parsed, each record indexed from its object, the
        // records' own bytes sliced out); the best of three rounds each.
        {
            QList<QByteArray> bodies;
            for (const QUrl& url : std::as_const(first.urls)) {
                const testing::HttpAnswer answer = testing::httpRequest(
                    "GET", url, {}, { { "Authorization", "Bearer " + token }, { "Accept", "application/fhir+json" } });
                if (answer.status == 200)
                    bodies << answer.body;
            }
            const fhir::OriginPolicy origin(connection.fhirBase);
            const auto bestOfThree = [&bodies](const std::function<qint64(const QByteArray&)>& parse, qint64* records) {
                qint64 bestUs = -1;
                for (int round = 0; round < 3; ++round) {
                    QElapsedTimer clock;
                    clock.start();
                    *records = 0;
                    for (const QByteArray& body : std::as_const(bodies))
                        *records += parse(body);
                    const qint64 us = clock.nsecsElapsed() / 1000;
                    bestUs = bestUs < 0 ? us : std::min(bestUs, us);
                }
                return *records > 0 ? double(bestUs) / double(*records) : -1.0;
            };
            qint64 records = 0;
            qint64 qtRecords = 0;
            const double simdUs = bestOfThree(
                [&origin](const QByteArray& body) {
                    const auto page = fhir::FhirClient::parseBundle(body, origin, 64);
                    return page ? page.value().resources.size() : 0;
                },
                &records);
            const double qtUs = bestOfThree(
                [](const QByteArray& body) {
                    qint64 n = 0;
                    if (!fhir::FhirClient::withinDepth(body, 64))
                        return n;
                    const auto raw = fhir::bundleEntryResources(body);
                    const QJsonArray entries
                        = QJsonDocument::fromJson(body).object().value(QLatin1String("entry")).toArray();
                    for (qsizetype i = 0; i < entries.size(); ++i) {
                        const QJsonObject resource
                            = entries.at(i).toObject().value(QLatin1String("resource")).toObject();
                        const auto index = fhir::ResourceIndex::fromObject(resource);
                        const QByteArray text = raw && i < raw->size() ? raw->at(i).toByteArray() : QByteArray();
                        n += index && !text.isEmpty() ? 1 : 0;
                    }
                    return n;
                },
                &qtRecords);
            result.insert(QStringLiteral("parse_pages"), bodies.size());
            result.insert(QStringLiteral("parse_records"), records);
            result.insert(QStringLiteral("parse_us_per_record"), simdUs);
            result.insert(QStringLiteral("parse_qjsondocument_us_per_record"), qtUs);
            result.insert(QStringLiteral("parse_qjsondocument_records"), qtRecords);
            result.insert(QStringLiteral("ratio_parse_simdjson_vs_qjsondocument"), qtUs > 0 ? simdUs / qtUs : -1);
        }

        // The floor of this design: the same records written into a fresh store with no network, no JSON
        // parse and no encryption (bench_store's NullCipher on the very same store code), one transaction per
        // 100. A sync cannot take less than this, whatever the network does.
        {
            QList<QByteArray> all;
            QList<fhir::ResourceIndex> indexes;
            QStringList types = fhir::syncedResourceTypes();
            types << QStringLiteral("Medication");
            for (const QString& type : std::as_const(types)) {
                fhir::ResourceQuery q = fhir::ResourceQuery::forType(type);
                q.limit = 1000000;
                for (const fhir::StoredResource& r : store->query(q).value()) {
                    all << r.json;
                    indexes << fhir::ResourceIndex::fromJson(r.json).value();
                }
            }
            auto plain = fhir::ResourceStore::openWithCipher(home.filePath(QStringLiteral("floor.sqlite")),
                connection.id, std::make_unique<fhir::bench::NullCipher>());
            QElapsedTimer clock;
            clock.start();
            for (qsizetype at = 0; at < all.size(); at += 100)
                (void)plain.value()->upsert(all.mid(at, 100), indexes.mid(at, 100));
            const qint64 floorMs = clock.elapsed();
            result.insert(QStringLiteral("store_only_ms"), floorMs);
            // The same with the connection's own encryption: the store's share of a sync's CPU.
            {
                auto sealed = fhir::ResourceStore::open(
                    home.filePath(QStringLiteral("sealed.sqlite")), connection.id, key->value());
                QElapsedTimer sealedClock;
                sealedClock.start();
                for (qsizetype at = 0; at < all.size(); at += 100)
                    (void)sealed.value()->upsert(all.mid(at, 100), indexes.mid(at, 100));
                result.insert(QStringLiteral("store_encrypted_ms"), sealedClock.elapsed());
            }
            result.insert(QStringLiteral("store_only_resources"), all.size());
            result.insert(QStringLiteral("ratio_store_only_vs_curl_sequential"),
                sequential > 0 ? double(floorMs) / sequential : -1);
#ifdef ONDEVICE_BENCH_RAW_SQLITE
            // An empty store file, whose tables and indexes the raw floor copies.
            (void)fhir::ResourceStore::openWithCipher(home.filePath(QStringLiteral("schema-source.sqlite")),
                connection.id, std::make_unique<fhir::bench::NullCipher>());
            const RawFloor raw
                = rawFloor(home.path(), home.filePath(QStringLiteral("schema-source.sqlite")), all, indexes);
            result.insert(QStringLiteral("sqlite_keyed_rows_ms"), raw.keyedRowsMs);
            result.insert(QStringLiteral("sqlite_store_schema_ms"), raw.storeSchemaMs);
            result.insert(QStringLiteral("ratio_sqlite_keyed_rows_vs_curl_sequential"),
                sequential > 0 && raw.keyedRowsMs >= 0 ? double(raw.keyedRowsMs) / sequential : -1);
            result.insert(QStringLiteral("ratio_sqlite_store_schema_vs_curl_sequential"),
                sequential > 0 && raw.storeSchemaMs >= 0 ? double(raw.storeSchemaMs) / sequential : -1);
#endif
        }

        const Run second = changeAndSyncAgain();
        result.insert(QStringLiteral("incremental_ms"), second.report.elapsedMs);
        result.insert(QStringLiteral("incremental_resources"), second.report.resources);
        result.insert(QStringLiteral("ratio_incremental_vs_full"),
            first.report.elapsedMs > 0 ? double(second.report.elapsedMs) / first.report.elapsedMs : -1);
    }
    // Waited for: a keychain job still running when the SecretStore goes is a use-after-free in QtKeychain.
    testing::await(secrets.remove(connection.refreshTokenKey()));
    testing::await(secrets.remove(connection.dataKeyKey()));

    const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Indented);
    QTextStream(stdout) << json;
    if (parser.isSet(jsonOut)) {
        QFile out(parser.value(jsonOut));
        if (out.open(QIODevice::WriteOnly))
            out.write(json);
    }
    return 0;
}
