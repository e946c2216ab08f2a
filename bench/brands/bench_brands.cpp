// The provider directory as a patient meets it: the search index built from the cached bundle of a large
// publisher (50,000 brands), and every keystroke of a few searches, timed one by one.

#include "fhir/UserAccessBrands.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using namespace ondevice::fhir;

namespace {

QByteArray syntheticBundle(int count)
{
    static const char* const kWords[]
        = { "Cedar", "Summit", "Prairie", "Harbor", "Valley", "Pine", "Granite", "Maple", "River", "Lakeview", "Canyon",
              "Meadow", "Mercy", "Saint", "Clínica", "Bayside", "Northern", "Southern", "Eastside", "Westfield" };
    static const char* const kKinds[]
        = { "Clinic", "Health", "Medical Group", "Hospital", "Family Care", "Pediatrics", "Orthopedics" };
    static const char* const kStates[] = { "TX", "CA", "NY", "OH", "IL", "WA", "GA", "MN", "MO", "FL" };
    QJsonArray entries;
    for (int i = 0; i < count; ++i) {
        const QString id = QStringLiteral("b%1").arg(i);
        const QString name = QStringLiteral("%1 %2 %3 %4")
                                 .arg(QString::fromUtf8(kWords[i % 20]), QString::fromUtf8(kWords[(i / 20) % 20]),
                                     QLatin1String(kKinds[i % 7]))
                                 .arg(i / 2800);
        entries << QJsonObject { { "fullUrl", QString("https://brands.example.com/Organization/" + id) },
            { "resource",
                QJsonObject { { "resourceType", "Organization" }, { "id", id }, { "name", name },
                    { "alias", QJsonArray { QString(name + " Network") } },
                    { "identifier",
                        QJsonArray { QJsonObject { { "system", "urn:ietf:rfc:3986" },
                            { "value", QString("https://" + id + ".example.org") } } } },
                    { "address",
                        QJsonArray { QJsonObject {
                            { "city", QString("Town %1").arg(i % 997) }, { "state", kStates[i % 10] } } } },
                    { "endpoint", QJsonArray { QJsonObject { { "reference", "Endpoint/shared" } } } } } } };
    }
    entries << QJsonObject { { "fullUrl", "https://brands.example.com/Endpoint/shared" },
        { "resource",
            QJsonObject { { "resourceType", "Endpoint" }, { "id", "shared" }, { "status", "active" },
                { "address", "https://fhir.example.com/r4" },
                { "connectionType", QJsonObject { { "code", "hl7-fhir-rest" } } } } } };
    return QJsonDocument(QJsonObject { { "resourceType", "Bundle" }, { "type", "collection" }, { "entry", entries } })
        .toJson(QJsonDocument::Compact);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption brandsOption(QStringLiteral("brands"), QStringLiteral("Brands in the bundle."),
        QStringLiteral("N"), QStringLiteral("50000"));
    const QCommandLineOption jsonOut(
        QStringLiteral("json-out"), QStringLiteral("Also write the JSON to this file."), QStringLiteral("file"));
    parser.addOptions({ brandsOption, jsonOut });
    parser.process(app);
    const int count = parser.value(brandsOption).toInt();

    // The cache as the app keeps it: the bundle's bytes in a file.
    QTemporaryDir dir;
    const QString cache = dir.filePath(QStringLiteral("brands.json"));
    {
        QFile file(cache);
        if (!file.open(QIODevice::WriteOnly) || file.write(syntheticBundle(count)) < 0)
            return 1;
    }

    QElapsedTimer timer;
    timer.start();
    QFile file(cache);
    if (!file.open(QIODevice::ReadOnly))
        return 1;
    auto parsed = parseBrandBundle(file.readAll(), QUrl(QStringLiteral("https://brands.example.com/brands.json")));
    if (!parsed)
        return 1;
    const double parseMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    timer.restart();
    const BrandIndex index(std::move(parsed).value());
    const double indexMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;

    // Every keystroke of these searches, as a patient types them.
    QList<double> times;
    int hits = 0;
    for (const QString& typed : { QStringLiteral("mercy"), QStringLiteral("saint mercy"), QStringLiteral("clinica"),
             QStringLiteral("springfield"), QStringLiteral("town 42"), QStringLiteral("cedar valley pediatrics"),
             QStringLiteral("h"), QStringLiteral("zzz") }) {
        for (int length = 1; length <= typed.size(); ++length) {
            timer.restart();
            hits += static_cast<int>(index.search(typed.left(length)).size());
            times << static_cast<double>(timer.nsecsElapsed()) / 1e6;
        }
    }
    const QJsonObject result {
        { "brands", index.brands().size() },
        { "parse_ms", parseMs },
        { "index_build_ms", indexMs },
        { "load_ms", parseMs + indexMs },
        { "searches", times.size() },
        { "search_median_ms", median(times) },
        { "search_worst_ms", *std::max_element(times.cbegin(), times.cend()) },
        { "hits", hits },
    };
    const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Compact);
    QTextStream(stdout) << json << Qt::endl;
    if (parser.isSet(jsonOut)) {
        QFile out(parser.value(jsonOut));
        if (!out.open(QIODevice::WriteOnly) || out.write(json) < 0)
            return 1;
    }
    return 0;
}
