// bench_store: what encryption costs the local store, and how fast the UI's first page lists.
//
// Inserts N generated resources (Synthea-shaped: vitals with components, labs with reference ranges,
// conditions, medications, immunizations, procedures, encounters) in pages of 100, one transaction per
// page, once through the real AES-256-GCM/HMAC cipher and once through a do-nothing cipher on the very
// same code path; then lists the newest 200 Observations of the full store. Prints one JSON object.
// A benchmark, not a test: it asserts nothing (issue 6 targets: ratio <= 1.5, newest 200 < 50 ms).

#include "NullCipher.h"

#include "fhir/store/ResourceStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace ondevice::fhir;

namespace {

QJsonObject coding(const char* system, const char* code, const char* display)
{
    return QJsonObject { { QStringLiteral("system"), QLatin1String(system) },
        { QStringLiteral("code"), QLatin1String(code) }, { QStringLiteral("display"), QLatin1String(display) } };
}

QJsonObject codeable(const char* system, const char* code, const char* display)
{
    return QJsonObject { { QStringLiteral("coding"), QJsonArray { coding(system, code, display) } },
        { QStringLiteral("text"), QLatin1String(display) } };
}

QJsonObject quantity(double value, const char* unit)
{
    return QJsonObject { { QStringLiteral("value"), value }, { QStringLiteral("unit"), QLatin1String(unit) },
        { QStringLiteral("system"), QStringLiteral("http://unitsofmeasure.org") },
        { QStringLiteral("code"), QLatin1String(unit) } };
}

QJsonArray category(const char* system, const char* code)
{
    return QJsonArray { QJsonObject { { QStringLiteral("coding"), QJsonArray { coding(system, code, code) } } } };
}

constexpr const char* kLoinc = "http://loinc.org";
constexpr const char* kSnomed = "http://snomed.info/sct";
constexpr const char* kObsCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

// Deterministic: the same seed gives the same store in both modes.
QList<QByteArray> generate(int count)
{
    QRandomGenerator random(20240601);
    const qint64 start = QDateTime(QDate(2010, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 span = qint64(15) * 365 * 24 * 3600 * 1000;
    const QString patient = QStringLiteral("urn:uuid:983561b3-02dd-4227-88a7-835827bd9566");
    QList<QByteArray> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        const QString when = QDateTime::fromMSecsSinceEpoch(start + qint64(random.bounded(span / 1000)) * 1000, Qt::UTC)
                                 .toString(Qt::ISODate);
        const QString id = QStringLiteral("%1-%2-4227-88a7-%3")
                               .arg(i, 8, 16, QLatin1Char('0'))
                               .arg(random.bounded(0xffff), 4, 16, QLatin1Char('0'))
                               .arg(random.generate64() & 0xffffffffffffULL, 12, 16, QLatin1Char('0'));
        QJsonObject r {
            { QStringLiteral("id"), id },
            { QStringLiteral("meta"),
                QJsonObject {
                    { QStringLiteral("versionId"), QStringLiteral("1") }, { QStringLiteral("lastUpdated"), when } } },
            { QStringLiteral("subject"), QJsonObject { { QStringLiteral("reference"), patient } } },
            { QStringLiteral("encounter"),
                QJsonObject { { QStringLiteral("reference"),
                    QStringLiteral("urn:uuid:84d85421-ad41-47ff-8fe8-df69c8f78038") } } },
        };
        const int kind = int(random.bounded(100));
        if (kind < 30) { // blood pressure panel with components
            r.insert(QStringLiteral("resourceType"), QStringLiteral("Observation"));
            r.insert(QStringLiteral("status"), QStringLiteral("final"));
            r.insert(QStringLiteral("category"), category(kObsCategory, "vital-signs"));
            r.insert(QStringLiteral("code"), codeable(kLoinc, "85354-9", "Blood Pressure"));
            r.insert(QStringLiteral("effectiveDateTime"), when);
            r.insert(QStringLiteral("issued"), when);
            r.insert(QStringLiteral("component"),
                QJsonArray {
                    QJsonObject { { QStringLiteral("code"), codeable(kLoinc, "8462-4", "Diastolic Blood Pressure") },
                        { QStringLiteral("valueQuantity"), quantity(60 + random.bounded(40), "mm[Hg]") } },
                    QJsonObject { { QStringLiteral("code"), codeable(kLoinc, "8480-6", "Systolic Blood Pressure") },
                        { QStringLiteral("valueQuantity"), quantity(100 + random.bounded(60), "mm[Hg]") } } });
        } else if (kind < 60) { // laboratory with a reference range
            r.insert(QStringLiteral("resourceType"), QStringLiteral("Observation"));
            r.insert(QStringLiteral("status"), QStringLiteral("final"));
            r.insert(QStringLiteral("category"), category(kObsCategory, "laboratory"));
            static const char* const labs[][2] = { { "2339-0", "Glucose" }, { "38483-4", "Creatinine" },
                { "2093-3", "Total Cholesterol" }, { "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood" } };
            const auto* lab = labs[random.bounded(4)];
            r.insert(QStringLiteral("code"), codeable(kLoinc, lab[0], lab[1]));
            r.insert(QStringLiteral("effectiveDateTime"), when);
            r.insert(QStringLiteral("issued"), when);
            r.insert(QStringLiteral("valueQuantity"), quantity(random.bounded(200.0), "mg/dL"));
            r.insert(QStringLiteral("referenceRange"),
                QJsonArray { QJsonObject { { QStringLiteral("low"), quantity(70, "mg/dL") },
                    { QStringLiteral("high"), quantity(99, "mg/dL") } } });
        } else if (kind < 70) {
            r.insert(QStringLiteral("resourceType"), QStringLiteral("Condition"));
            r.insert(QStringLiteral("clinicalStatus"),
                codeable("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"));
            r.insert(QStringLiteral("verificationStatus"),
                codeable("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"));
            r.insert(QStringLiteral("category"),
                QJsonArray { codeable("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
                    "Encounter Diagnosis") });
            r.insert(QStringLiteral("code"), codeable(kSnomed, "44054006", "Diabetes"));
            r.insert(QStringLiteral("onsetDateTime"), when);
            r.insert(QStringLiteral("recordedDate"), when);
        } else if (kind < 80) {
            r.insert(QStringLiteral("resourceType"), QStringLiteral("MedicationRequest"));
            r.insert(QStringLiteral("status"), QStringLiteral("active"));
            r.insert(QStringLiteral("intent"), QStringLiteral("order"));
            r.insert(QStringLiteral("medicationCodeableConcept"),
                codeable("http://www.nlm.nih.gov/research/umls/rxnorm", "860975",
                    "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"));
            r.insert(QStringLiteral("authoredOn"), when);
            r.insert(QStringLiteral("dosageInstruction"),
                QJsonArray {
                    QJsonObject { { QStringLiteral("sequence"), 1 }, { QStringLiteral("asNeededBoolean"), false } } });
        } else if (kind < 88) {
            r.insert(QStringLiteral("resourceType"), QStringLiteral("Immunization"));
            r.insert(QStringLiteral("status"), QStringLiteral("completed"));
            r.insert(QStringLiteral("vaccineCode"),
                codeable("http://hl7.org/fhir/sid/cvx", "140", "Influenza, seasonal, injectable, preservative free"));
            r.insert(QStringLiteral("occurrenceDateTime"), when);
            r.insert(QStringLiteral("primarySource"), true);
            r.remove(QStringLiteral("subject"));
            r.insert(QStringLiteral("patient"), QJsonObject { { QStringLiteral("reference"), patient } });
        } else if (kind < 95) {
            r.insert(QStringLiteral("resourceType"), QStringLiteral("Procedure"));
            r.insert(QStringLiteral("status"), QStringLiteral("completed"));
            r.insert(
                QStringLiteral("code"), codeable(kSnomed, "428191000124101", "Documentation of current medications"));
            r.insert(QStringLiteral("performedPeriod"),
                QJsonObject { { QStringLiteral("start"), when }, { QStringLiteral("end"), when } });
        } else {
            r.insert(QStringLiteral("resourceType"), QStringLiteral("Encounter"));
            r.insert(QStringLiteral("status"), QStringLiteral("finished"));
            r.insert(QStringLiteral("class"),
                QJsonObject {
                    { QStringLiteral("system"), QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-ActCode") },
                    { QStringLiteral("code"), QStringLiteral("AMB") } });
            r.insert(QStringLiteral("type"),
                QJsonArray { codeable(kSnomed, "185349003", "Encounter for check up (procedure)") });
            r.insert(QStringLiteral("period"),
                QJsonObject { { QStringLiteral("start"), when }, { QStringLiteral("end"), when } });
            r.remove(QStringLiteral("encounter"));
        }
        out.append(QJsonDocument(r).toJson(QJsonDocument::Compact));
    }
    return out;
}

struct ModeResult {
    double insertMs = 0;
    double newest200FirstMs = 0;
    double newest200MedianMs = 0;
    qint64 observations = 0;
    qint64 fileBytes = 0;
};

[[noreturn]] void die(const QString& what, const StoreFailure& failure)
{
    std::fprintf(stderr, "bench_store: %s: %s\n", qPrintable(what), qPrintable(failure.detail));
    std::exit(2);
}

ModeResult runMode(bool encrypted, const QString& path, const QList<QByteArray>& resources, int pageSize)
{
    QFile::remove(path);
    QFile::remove(QString(path + QStringLiteral("-wal")));
    QFile::remove(QString(path + QStringLiteral("-shm")));
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), 8);
    auto opened = encrypted
        ? ResourceStore::open(path, QStringLiteral("bench"), key)
        : ResourceStore::openWithCipher(path, QStringLiteral("bench"), std::make_unique<bench::NullCipher>());
    if (!opened)
        die(QStringLiteral("open"), opened.failure());
    std::unique_ptr<ResourceStore> store = std::move(opened).value();

    ModeResult result;
    QElapsedTimer timer;
    timer.start();
    for (qsizetype at = 0; at < resources.size(); at += pageSize) {
        const auto stats = store->upsert(resources.mid(at, pageSize));
        if (!stats)
            die(QStringLiteral("upsert"), stats.failure());
    }
    result.insertMs = double(timer.nsecsElapsed()) / 1e6;

    // What the UI asks first: the newest page of Observations, decrypted.
    ResourceQuery query = ResourceQuery::forType(QStringLiteral("Observation"));
    query.limit = 200;
    QList<double> times;
    for (int i = 0; i < 11; ++i) {
        timer.restart();
        const auto page = store->query(query);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        if (!page)
            die(QStringLiteral("query"), page.failure());
        if (page.value().size() != 200)
            std::fprintf(stderr, "bench_store: the newest page has %d rows\n", int(page.value().size()));
        times.append(ms);
    }
    result.newest200FirstMs = times.first();
    std::sort(times.begin(), times.end());
    result.newest200MedianMs = times.at(times.size() / 2);
    result.observations = store->count(QStringLiteral("Observation")).value();
    store.reset();
    result.fileBytes = QFileInfo(path).size();
    return result;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Encrypted vs unencrypted ResourceStore inserts; newest 200 Observations."));
    parser.addHelpOption();
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("Resources to insert (100000)."),
        QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption pageOption(QStringLiteral("page"), QStringLiteral("Resources per page/transaction (100)."),
        QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"),
        QStringLiteral("Rounds of both modes, alternating which goes first (1); medians are reported."),
        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
        QStringLiteral("Directory for the database files (a temporary one)."), QStringLiteral("path"));
    const QCommandLineOption outOption(
        QStringLiteral("json-out"), QStringLiteral("Also write the JSON to this file."), QStringLiteral("file"));
    parser.addOptions({ countOption, pageOption, roundsOption, dirOption, outOption });
    parser.process(app);
    const int count = std::max(1, parser.value(countOption).toInt());
    const int pageSize = std::max(1, parser.value(pageOption).toInt());
    const int rounds = std::max(1, parser.value(roundsOption).toInt());

    QTemporaryDir tempDir;
    const QString dir = parser.isSet(dirOption) ? parser.value(dirOption) : tempDir.path();
    const QString path = QString(dir + QStringLiteral("/bench-records.sqlite"));

    QElapsedTimer timer;
    timer.start();
    const QList<QByteArray> resources = generate(count);
    qint64 bytes = 0;
    for (const QByteArray& r : resources)
        bytes += r.size();
    std::fprintf(stderr, "bench_store: generated %d resources (%.1f MB JSON) in %.0f ms\n", count, double(bytes) / 1e6,
        double(timer.elapsed()));

    QList<double> encInsert, plainInsert, encFirst, encMedian, plainMedian;
    ModeResult lastEnc, lastPlain;
    for (int round = 0; round < rounds; ++round) {
        // Alternate the order so that neither mode always runs on a warmer (or fuller) disk.
        for (int pass = 0; pass < 2; ++pass) {
            const bool encrypted = (round + pass) % 2 == 1;
            const ModeResult r = runMode(encrypted, path, resources, pageSize);
            std::fprintf(stderr, "bench_store: round %d %s: insert %.0f ms, newest 200 first %.2f ms median %.2f ms\n",
                round + 1, encrypted ? "encrypted" : "baseline", r.insertMs, r.newest200FirstMs, r.newest200MedianMs);
            if (encrypted) {
                encInsert << r.insertMs;
                encFirst << r.newest200FirstMs;
                encMedian << r.newest200MedianMs;
                lastEnc = r;
            } else {
                plainInsert << r.insertMs;
                plainMedian << r.newest200MedianMs;
                lastPlain = r;
            }
        }
    }
    QFile::remove(path);

    const double ratio = median(encInsert) / median(plainInsert);
    const QJsonObject result {
        { QStringLiteral("benchmark"), QStringLiteral("store") },
        { QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) },
        { QStringLiteral("machine"),
            QString(QSysInfo::prettyProductName() + QStringLiteral(" ") + QSysInfo::currentCpuArchitecture()) },
        { QStringLiteral("resources"), count },
        { QStringLiteral("page_size"), pageSize },
        { QStringLiteral("rounds"), rounds },
        { QStringLiteral("observations"), lastEnc.observations },
        { QStringLiteral("json_mb"), double(bytes) / 1e6 },
        { QStringLiteral("encrypted_insert_ms"), median(encInsert) },
        { QStringLiteral("unencrypted_insert_ms"), median(plainInsert) },
        { QStringLiteral("encrypted_inserts_per_s"), count / (median(encInsert) / 1000.0) },
        { QStringLiteral("insert_ratio"), ratio },
        { QStringLiteral("insert_ratio_target"), 1.5 },
        { QStringLiteral("insert_ratio_ok"), ratio <= 1.5 },
        { QStringLiteral("newest200_observations_ms"), median(encMedian) },
        { QStringLiteral("newest200_observations_first_ms"), median(encFirst) },
        { QStringLiteral("newest200_observations_unencrypted_ms"), median(plainMedian) },
        { QStringLiteral("newest200_target_ms"), 50 },
        { QStringLiteral("newest200_ok"), median(encMedian) < 50.0 },
        { QStringLiteral("encrypted_file_mb"), double(lastEnc.fileBytes) / 1e6 },
        { QStringLiteral("unencrypted_file_mb"), double(lastPlain.fileBytes) / 1e6 },
    };
    const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    if (parser.isSet(outOption)) {
        QFile out(parser.value(outOption));
        if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size()) {
            std::fprintf(stderr, "bench_store: cannot write %s\n", qPrintable(parser.value(outOption)));
            return 1;
        }
    }
    return 0;
}
