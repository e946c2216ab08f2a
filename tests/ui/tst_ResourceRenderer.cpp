// ResourceRenderer and ChartModel without a server: what people read for the
// shapes real servers send, and that resource text stays text.

#include "fhir/store/ResourceStore.h"
#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/ChartModel.h"
#include "ui/RecordDetailView.h"
#include "ui/ResourceRenderer.h"
#include "ui/SummaryView.h"

#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::services;
using namespace ondevice::ui;

namespace {

QJsonObject parse(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

ondevice::fhir::StoredResource stored(const QByteArray& json, const char* when)
{
    ondevice::fhir::StoredResource r;
    r.type = QStringLiteral("Observation");
    r.json = json;
    r.sortDate = QDateTime::fromString(QString::fromLatin1(when), Qt::ISODate);
    return r;
}

const char* kBloodPressure
    = "{\"resourceType\":\"Observation\",\"id\":\"bp\",\"status\":\"final\","
      "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"85354-9\",\"display\":\"Blood pressure "
      "panel\"}]},"
      "\"effectiveDateTime\":\"2021-05-04T09:30:00Z\","
      "\"component\":["
      "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\",\"display\":\"Diastolic Blood "
      "Pressure\"}]},\"valueQuantity\":{\"value\":80,\"unit\":\"mm[Hg]\"}},"
      "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\",\"display\":\"Systolic Blood "
      "Pressure\"}]},\"valueQuantity\":{\"value\":120,\"unit\":\"mm[Hg]\"}}]}";

const char* kGlucose
    = "{\"resourceType\":\"Observation\",\"id\":\"g\",\"status\":\"final\","
      "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2339-0\",\"display\":\"Glucose\"}]},"
      "\"valueQuantity\":{\"value\":104.25,\"unit\":\"mg/dL\"},"
      "\"referenceRange\":[{\"low\":{\"value\":70,\"unit\":\"mg/dL\"},\"high\":{\"value\":99,\"unit\":\"mg/dL\"}}],"
      "\"interpretation\":[{\"coding\":[{\"code\":\"H\"}]}],"
      "\"performer\":[{\"reference\":\"Practitioner/p1\",\"display\":\"Dr. Display\"}],"
      "\"note\":[{\"text\":\"<script>alert(1)</script> & <b>bold</b>\"}]}";

} // namespace

class tst_ResourceRenderer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void unitsReadAsWords()
    {
        QCOMPARE(ResourceRenderer::unit(QStringLiteral("{score}")), QStringLiteral("score"));
        QCOMPARE(ResourceRenderer::unit(QStringLiteral("{beats}/min")), QStringLiteral("beats/min"));
        QCOMPARE(ResourceRenderer::unit(QStringLiteral("mm[Hg]")), QStringLiteral("mmHg"));
        QCOMPARE(ResourceRenderer::unit(QStringLiteral("kg/m2")), QStringLiteral("kg/m2"));
        QCOMPARE(ResourceRenderer::quantity(QJsonObject { { "value", 4 }, { "unit", "{score}" } }),
            QStringLiteral("4 score"));
    }

    void identifiersAreMaskedButTheLastFour()
    {
        QCOMPARE(ResourceRenderer::masked(QStringLiteral("999-36-8616")), QStringLiteral("***-**-8616"));
        QCOMPARE(ResourceRenderer::masked(QStringLiteral("S99912345")), QStringLiteral("*****2345"));
        QCOMPARE(ResourceRenderer::masked(QStringLiteral("1234")), QStringLiteral("****"));
        QCOMPARE(ResourceRenderer::masked(QString()), QString());
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void bloodPressureReadsAsSystolicOverDiastolic()
    {
        QCOMPARE(ResourceRenderer::value(parse(kBloodPressure)), QStringLiteral("120/80 mmHg"));
        QCOMPARE(ResourceRenderer::title(parse(kBloodPressure)), QStringLiteral("Blood pressure panel"));
    }

    void valuesRangesAndFlags()
    {
        const QJsonObject g = parse(kGlucose);
        QCOMPARE(ResourceRenderer::value(g), QStringLiteral("104.25 mg/dL"));
        QCOMPARE(ResourceRenderer::referenceRange(g), QString::fromUtf8("70–99 mg/dL"));
        QCOMPARE(ResourceRenderer::flag(g), QStringLiteral("High"));
        const QStringList cells = ResourceRenderer::cells(RecordCategory::LabsVitals, g, QStringLiteral("example.org"));
        QCOMPARE(cells.size(), RecordCategories::columns(RecordCategory::LabsVitals).size());
        QCOMPARE(cells.constLast(), QStringLiteral("example.org"));
    }

    void datesUseTheLocale()
    {
        QCOMPARE(ResourceRenderer::date(QStringLiteral("2021-05-04")),
            QLocale().toString(QDate(2021, 5, 4), QLocale::ShortFormat));
        QCOMPARE(ResourceRenderer::date(QStringLiteral("2021")), QStringLiteral("2021"));
        QVERIFY(ResourceRenderer::date(QStringLiteral("2021-05-04T09:30:00Z")).contains(QStringLiteral("21")));
    }

    void referencesFallBackToDisplay()
    {
        const RenderedDetail withName = ResourceRenderer::detail(parse(kGlucose), QString(), [](const QString& ref) {
            return ref == QLatin1String("Practitioner/p1") ? QStringLiteral("Dr. Resolved") : QString();
        });
        QVERIFY(ResourceRenderer::detailText(withName).contains(QStringLiteral("Dr. Resolved")));
        const RenderedDetail withoutName = ResourceRenderer::detail(parse(kGlucose), QString(), {});
        QVERIFY(ResourceRenderer::detailText(withoutName).contains(QStringLiteral("Dr. Display")));
    }

    void scriptLikeTextShowsLiterally()
    {
        QTemporaryDir dir;
        Workspace workspace({ QStringLiteral("org.ondevicehealth.test.Renderer"), dir.filePath("c.json"),
            dir.filePath("locks"), [](const QUrl&) { qFatal("no browser"); } });
        RecordsHub hub(workspace, dir.filePath("records.sqlite"));
        RecordDetailView view(hub);
        view.resize(500, 400);
        view.show();
        const QJsonObject g = parse(kGlucose);
        view.showRendered(ResourceRenderer::detail(g, QString(), {}), QByteArray(kGlucose));
        const QString literal = QStringLiteral("<script>alert(1)</script> & <b>bold</b>");
        bool shown = false;
        for (const QLabel* label : view.findChildren<QLabel*>()) {
            QVERIFY(label->textFormat() == Qt::PlainText);
            shown = shown || label->text() == literal;
        }
        QVERIFY(shown);
        QVERIFY(view.rawView()->toPlainText().contains(QStringLiteral("<script>")));
        QVERIFY(view.detailText().contains(literal));
    }

    void chartModelPointsAndBand()
    {
        ChartModel model;
        const QList<ondevice::fhir::StoredResource> rows { stored(kGlucose, "2021-02-01T00:00:00Z"),
            stored(kGlucose, "2021-01-01T00:00:00Z") };
        model.setObservations(QStringLiteral("http://loinc.org|2339-0"), rows);
        QCOMPARE(model.series().size(), 1);
        const auto points = model.series().constFirst().points;
        QCOMPARE(points.size(), 2);
        QVERIFY(points.at(0).x() < points.at(1).x()); // oldest first
        QCOMPARE(points.at(0).y(), 104.25);
        QVERIFY(model.band());
        QCOMPARE(model.band()->low.at(0).y(), 70.0);
        QCOMPARE(model.band()->high.at(1).y(), 99.0);

        ChartModel bp;
        bp.setObservations(
            QStringLiteral("http://loinc.org|85354-9"), { stored(kBloodPressure, "2021-05-04T09:30:00Z") });
        QCOMPARE(bp.series().size(), 2);
        QCOMPARE(bp.series().at(0).points.constFirst().y(), 120.0);
        QCOMPARE(bp.series().at(1).points.constFirst().y(), 80.0);
        QVERIFY(!bp.band());

        const QList<ChartCode> codes = ChartModel::codes({ stored(kGlucose, "2021-01-01T00:00:00Z"),
            stored(kBloodPressure, "2021-01-01T00:00:00Z"), stored(kGlucose, "2021-01-02T00:00:00Z") });
        QCOMPARE(codes.size(), 2);
        QCOMPARE(codes.at(0).display, QStringLiteral("Blood pressure"));
        QCOMPARE(codes.at(1).code, QStringLiteral("http://loinc.org|2339-0"));
        QCOMPARE(codes.at(1).count, 2);
    }

    // The chart in words: the test, how many results over which dates, the latest value and where it lies
    // against its range, one-sided ranges said as such ("≥ 60", never "60 to 60").
    void chartDescription()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        ChartModel model;
        model.setObservations(QStringLiteral("http://loinc.org|2339-0"),
            { stored(kGlucose, "2021-01-01T12:00:00Z"), stored(kGlucose, "2021-02-01T12:00:00Z") });
        const QString description = model.description();
        QVERIFY2(description.startsWith(
                     QStringLiteral("Glucose: 2 results from Friday, January 1, 2021 to Monday, February 1, 2021.")),
            qPrintable(description));
        QVERIFY2(description.contains(QStringLiteral("Latest: 104.25 mg/dL.")), qPrintable(description));
        QVERIFY2(
            description.endsWith(QStringLiteral("Above the reference range (70 to 99).")), qPrintable(description));
        QCOMPARE(model.rows().size(), 2);
        QCOMPARE(ChartModel::rangeText(model.rows().constFirst()), QStringLiteral("70 to 99"));

        QByteArray lowOnly(kGlucose);
        lowOnly.replace(",\"high\":{\"value\":99,\"unit\":\"mg/dL\"}", "");
        QVERIFY(!lowOnly.contains("99"));
        ChartModel atLeast;
        atLeast.setObservations(QStringLiteral("http://loinc.org|2339-0"), { stored(lowOnly, "2021-01-01T12:00:00Z") });
        QVERIFY2(atLeast.description().contains(QStringLiteral("one result, on Friday, January 1, 2021")),
            qPrintable(atLeast.description()));
        QVERIFY2(atLeast.description().endsWith(QStringLiteral("Within the reference range (≥ 70).")),
            qPrintable(atLeast.description()));
        QCOMPARE(ChartModel().description(), QStringLiteral("No values to chart yet."));
        QLocale::setDefault(QLocale::c());
    }

    // FHIR's fixed codes in words; a dose's timing as people say it.
    void codesAndDosesInWords()
    {
        QCOMPARE(ResourceRenderer::codeWord(QStringLiteral("female")), QStringLiteral("Female"));
        QCOMPARE(ResourceRenderer::codeWord(QStringLiteral("unable-to-assess")), QStringLiteral("Unable to assess"));
        QCOMPARE(ResourceRenderer::codeWord(QStringLiteral("entered-in-error")), QStringLiteral("Entered in error"));
        QCOMPARE(ResourceRenderer::codeWord(QStringLiteral("some-local-code")), QStringLiteral("some-local-code"));
        const auto dosage = [](const char* repeat) {
            const QJsonObject request
                = parse(QByteArray(R"({"resourceType":"MedicationRequest","dosageInstruction":[{"timing":{"repeat":)")
                    + repeat + "}}]}");
            return ResourceRenderer::detail(request, {}, {}).fields;
        };
        const auto has = [](const QList<DetailField>& fields, const QString& text) {
            return std::any_of(
                fields.cbegin(), fields.cend(), [&text](const DetailField& f) { return f.value == text; });
        };
        // (no English plural forms are loaded in this test: the source forms show)
        QVERIFY(
            has(dosage(R"({"frequency":2,"period":1,"periodUnit":"d"})"), QStringLiteral("2 time(s) every 1 day(s)")));
        QVERIFY(
            has(dosage(R"({"frequency":1,"period":8,"periodUnit":"h"})"), QStringLiteral("1 time(s) every 8 hour(s)")));
        QVERIFY(
            has(dosage(R"({"frequency":1,"period":0.5,"periodUnit":"d"})"), QStringLiteral("1 time(s) every 0.5 d")));
        QVERIFY(has(dosage(R"({"frequency":3})"), QStringLiteral("3 time(s)")));
    }

    // The Summary over two connections: each vital sign (by code, whatever each server calls it) shows its
    // newest value whichever connection holds it,
    // and each connection's patient name is known for the connection list.
    void summaryTakesTheNewestVitalOverConnections()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("records.sqlite"));
        auto vital = [](const QString& id, double value, const QString& when,
                         const QString& display = QStringLiteral("Heart rate")) {
            return QStringLiteral(
                "{\"resourceType\":\"Observation\",\"id\":\"%1\",\"status\":\"final\","
                "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
                "observation-category\",\"code\":\"vital-signs\"}]}],"
                "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"%4\"}]},"
                "\"effectiveDateTime\":\"%3\",\"valueQuantity\":{\"value\":%2,\"unit\":\"/min\"}}")
                .arg(id)
                .arg(value)
                .arg(when, display)
                .toUtf8();
        };
        auto patient = [](const QString& family) {
            return QStringLiteral(
                "{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"given\":[\"Ann\"],\"family\":\"%1\"}]}")
                .arg(family)
                .toUtf8();
        };
        const QList<RecordSource> sources { { QStringLiteral("conn-a"), QStringLiteral("a.example"),
                                                QByteArray(32, 'a') },
            { QStringLiteral("conn-b"), QStringLiteral("b.example"), QByteArray(32, 'b') } };
        {
            auto a = ondevice::fhir::ResourceStore::open(path, sources[0].connectionId, sources[0].dataKey);
            auto b = ondevice::fhir::ResourceStore::open(path, sources[1].connectionId, sources[1].dataKey);
            QVERIFY(a && b);
            // The older connection in the list holds the older reading.
            QVERIFY(a.value()->upsert({ patient(QStringLiteral("Alpha")),
                vital(QStringLiteral("hr-old"), 61, QStringLiteral("2020-01-01T10:00:00Z")) }));
            QVERIFY(b.value()->upsert({ patient(QStringLiteral("Beta")),
                vital(
                    QStringLiteral("hr-new"), 87, QStringLiteral("2024-06-01T10:00:00Z"), QStringLiteral("Pulse")) }));
        }
        WorkerStores stores(path);
        const SummaryData summary = SummaryView::read(stores, sources);
        QCOMPARE(summary.vitals.size(), 1);
        QVERIFY2(summary.vitals.constFirst().detail.startsWith(QStringLiteral("87")),
            qPrintable(summary.vitals.constFirst().detail));
        QCOMPARE(summary.patientNames.value(QStringLiteral("conn-a")), QStringLiteral("Ann Alpha"));
        QCOMPARE(summary.patientNames.value(QStringLiteral("conn-b")), QStringLiteral("Ann Beta"));

        // read() kept each connection's part for the next start: the cached Summary is the same one, sealed
        // (the name is nowhere in the file in clear); a connection without a kept part means no cached Summary.
        const std::optional<SummaryData> cached = SummaryView::readCached(stores, sources);
        QVERIFY(cached);
        QCOMPARE(cached->patientName, summary.patientName);
        QCOMPARE(cached->vitals.size(), 1);
        QCOMPARE(cached->vitals.constFirst().detail, summary.vitals.constFirst().detail);
        QCOMPARE(cached->patientNames, summary.patientNames);
        stores.closeAll();
        for (const QString& file : { path, QString(path + QStringLiteral("-wal")) }) {
            QFile f(file);
            if (f.open(QIODevice::ReadOnly))
                QVERIFY2(!f.readAll().contains("Alpha"), qPrintable(file));
        }
        const QList<RecordSource> withNew = sources
            + QList<RecordSource> { { QStringLiteral("conn-c"), QStringLiteral("c.example"), QByteArray(32, 'c') } };
        QVERIFY(!SummaryView::readCached(stores, withNew));
    }
};

QTEST_MAIN(tst_ResourceRenderer)
#include "tst_ResourceRenderer.moc"
