#include "fhir/store/ResourceStore.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <tuple>

using namespace ondevice::fhir;

namespace {

const QString kLoinc = QStringLiteral("http://loinc.org");
const QString kSnomed = QStringLiteral("http://snomed.info/sct");
const QString kObsCategory = QStringLiteral("http://terminology.hl7.org/CodeSystem/observation-category");
const QString kVitals = QString(kObsCategory + QStringLiteral("|vital-signs"));
const QString kLab = QString(kObsCategory + QStringLiteral("|laboratory"));
const QString kSystolic = QString(kLoinc + QStringLiteral("|8480-6"));
const QString kGlucose = QString(kLoinc + QStringLiteral("|2339-0"));
const QByteArray kMarker = QByteArrayLiteral("MARKER-7f3a9c-do-not-leak");

QByteArray randomKey()
{
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), 8);
    return key;
}

QJsonObject coding(const QString& system, const QString& code, const QString& display)
{
    return QJsonObject { { QStringLiteral("system"), system }, { QStringLiteral("code"), code },
        { QStringLiteral("display"), display } };
}

QJsonObject codeable(const QString& system, const QString& code, const QString& display)
{
    return QJsonObject { { QStringLiteral("coding"), QJsonArray { coding(system, code, display) } },
        { QStringLiteral("text"), display } };
}

QString isoAt(const QDateTime& date)
{
    return date.toString(Qt::ISODateWithMs);
}

const QDateTime kDay0(QDate(2023, 3, 1), QTime(8, 30), Qt::UTC);

struct Meta {
    QString versionId = QStringLiteral("1");
    QDateTime lastUpdated = QDateTime(QDate(2024, 1, 1), QTime(12, 0), Qt::UTC);
};

QByteArray toJson(QJsonObject r, const std::optional<Meta>& meta, const QString& text = QString::fromLatin1(kMarker))
{
    if (meta) {
        QJsonObject m;
        if (!meta->versionId.isEmpty())
            m.insert(QStringLiteral("versionId"), meta->versionId);
        if (meta->lastUpdated.isValid())
            m.insert(QStringLiteral("lastUpdated"), isoAt(meta->lastUpdated));
        r.insert(QStringLiteral("meta"), m);
    }
    r.insert(QStringLiteral("text"),
        QJsonObject { { QStringLiteral("status"), QStringLiteral("generated") },
            { QStringLiteral("div"),
                QString(QStringLiteral("<div xmlns=\"http://www.w3.org/1999/xhtml\">") + text
                    + QStringLiteral("</div>")) } });
    r.insert(QStringLiteral("subject"),
        QJsonObject { { QStringLiteral("reference"), QStringLiteral("Patient/pat-0042-synthetic") } });
    return QJsonDocument(r).toJson(QJsonDocument::Compact);
}

// Shapes as in Synthea R4 bundles: a blood pressure panel with components, a lab with a reference range, ...
QByteArray bloodPressure(const QString& id, const QDateTime& when, std::optional<Meta> meta = Meta {})
{
    auto component = [](const QString& code, const QString& display, double value) {
        return QJsonObject { { QStringLiteral("code"), codeable(kLoinc, code, display) },
            { QStringLiteral("valueQuantity"),
                QJsonObject { { QStringLiteral("value"), value }, { QStringLiteral("unit"), QStringLiteral("mm[Hg]") },
                    { QStringLiteral("system"), QStringLiteral("http://unitsofmeasure.org") },
                    { QStringLiteral("code"), QStringLiteral("mm[Hg]") } } } };
    };
    return toJson(
        QJsonObject {
            { QStringLiteral("resourceType"), QStringLiteral("Observation") },
            { QStringLiteral("id"), id },
            { QStringLiteral("status"), QStringLiteral("final") },
            { QStringLiteral("category"),
                QJsonArray { QJsonObject { { QStringLiteral("coding"),
                    QJsonArray {
                        coding(kObsCategory, QStringLiteral("vital-signs"), QStringLiteral("vital-signs")) } } } } },
            { QStringLiteral("code"), codeable(kLoinc, QStringLiteral("85354-9"), QStringLiteral("Blood Pressure")) },
            { QStringLiteral("effectiveDateTime"), isoAt(when) },
            { QStringLiteral("issued"), isoAt(when.addSecs(60)) },
            { QStringLiteral("component"),
                QJsonArray { component(QStringLiteral("8462-4"), QStringLiteral("Diastolic Blood Pressure"), 81),
                    component(QStringLiteral("8480-6"), QStringLiteral("Systolic Blood Pressure"), 127) } },
        },
        meta);
}

QByteArray glucose(const QString& id, const QDateTime& when, std::optional<Meta> meta = Meta {})
{
    return toJson(
        QJsonObject {
            { QStringLiteral("resourceType"), QStringLiteral("Observation") },
            { QStringLiteral("id"), id },
            { QStringLiteral("status"), QStringLiteral("final") },
            { QStringLiteral("category"),
                QJsonArray { QJsonObject { { QStringLiteral("coding"),
                    QJsonArray {
                        coding(kObsCategory, QStringLiteral("laboratory"), QStringLiteral("laboratory")) } } } } },
            { QStringLiteral("code"), codeable(kLoinc, QStringLiteral("2339-0"), QStringLiteral("Glucose")) },
            { QStringLiteral("effectivePeriod"), QJsonObject { { QStringLiteral("start"), isoAt(when) } } },
            { QStringLiteral("valueQuantity"),
                QJsonObject {
                    { QStringLiteral("value"), 94.2 }, { QStringLiteral("unit"), QStringLiteral("mg/dL") } } },
            { QStringLiteral("referenceRange"),
                QJsonArray { QJsonObject { { QStringLiteral("low"), QJsonObject { { QStringLiteral("value"), 70 } } },
                    { QStringLiteral("high"), QJsonObject { { QStringLiteral("value"), 99 } } } } } },
        },
        meta);
}

QByteArray condition(const QString& id, const QDateTime& onset, std::optional<Meta> meta = Meta {})
{
    return toJson(
        QJsonObject {
            { QStringLiteral("resourceType"), QStringLiteral("Condition") },
            { QStringLiteral("id"), id },
            { QStringLiteral("clinicalStatus"),
                codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/condition-clinical"),
                    QStringLiteral("active"), QStringLiteral("Active")) },
            { QStringLiteral("category"),
                QJsonArray { codeable(QStringLiteral("http://terminology.hl7.org/CodeSystem/condition-category"),
                    QStringLiteral("problem-list-item"), QStringLiteral("Problem List Item")) } },
            { QStringLiteral("code"), codeable(kSnomed, QStringLiteral("44054006"), QStringLiteral("Diabetes")) },
            { QStringLiteral("onsetDateTime"), isoAt(onset) },
            { QStringLiteral("recordedDate"), isoAt(onset.addDays(2)) },
        },
        meta);
}

QByteArray medication(const QString& id, const QDateTime& authored, std::optional<Meta> meta = Meta {})
{
    return toJson(
        QJsonObject {
            { QStringLiteral("resourceType"), QStringLiteral("MedicationRequest") },
            { QStringLiteral("id"), id },
            { QStringLiteral("status"), QStringLiteral("active") },
            { QStringLiteral("intent"), QStringLiteral("order") },
            { QStringLiteral("medicationCodeableConcept"),
                codeable(QStringLiteral("http://www.nlm.nih.gov/research/umls/rxnorm"), QStringLiteral("860975"),
                    QStringLiteral("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet")) },
            { QStringLiteral("authoredOn"), isoAt(authored) },
        },
        meta);
}

QByteArray immunization(const QString& id, const QDateTime& when, std::optional<Meta> meta = Meta {})
{
    return toJson(
        QJsonObject {
            { QStringLiteral("resourceType"), QStringLiteral("Immunization") },
            { QStringLiteral("id"), id },
            { QStringLiteral("status"), QStringLiteral("completed") },
            { QStringLiteral("vaccineCode"),
                codeable(QStringLiteral("http://hl7.org/fhir/sid/cvx"), QStringLiteral("140"),
                    QStringLiteral("Influenza, seasonal, injectable, preservative free")) },
            { QStringLiteral("occurrenceDateTime"), isoAt(when) },
            { QStringLiteral("primarySource"), true },
        },
        meta);
}

// A second, plain connection to the file, to look at what is really stored.
class RawDb {
public:
    explicit RawDb(const QString& path)
        : m_name(QStringLiteral("raw.%1").arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    QVariant scalar(const QString& sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next()) {
            qWarning() << sql << q.lastError().text();
            return {};
        }
        return q.value(0);
    }
    bool exec(const QString& sql, const QVariantList& values = {}) const
    {
        QSqlQuery q(db());
        q.prepare(sql);
        for (int i = 0; i < values.size(); ++i)
            q.bindValue(i, values.at(i));
        const bool ok = q.exec();
        if (!ok)
            qWarning() << sql << q.lastError().text();
        return ok;
    }
    QList<QVariantList> rows(const QString& sql) const
    {
        QList<QVariantList> out;
        QSqlQuery q(db());
        if (!q.exec(sql))
            qWarning() << sql << q.lastError().text();
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < q.record().count(); ++i)
                row << q.value(i);
            out << row;
        }
        return out;
    }

private:
    static inline int s_count = 0;
    QString m_name;
};

} // namespace

class tst_ResourceStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;
    QByteArray m_key = randomKey();

    QString freshPath() { return m_dir.filePath(QStringLiteral("records-%1.sqlite").arg(++m_files)); }

    std::unique_ptr<ResourceStore> openStore(
        const QString& path, const QString& connection = QStringLiteral("conn-a"), const QByteArray& key = {})
    {
        auto store = ResourceStore::open(path, connection, key.isEmpty() ? m_key : key);
        if (!store) {
            qWarning() << "open failed:" << store.failure().detail;
            return nullptr;
        }
        return std::move(store).value();
    }

    // 30 blood pressures (one a day from kDay0), 20 glucose labs (every other day), 5 conditions,
    // 3 medication requests, 4 immunizations.
    static QList<QByteArray> sampleRecords()
    {
        QList<QByteArray> page;
        for (int i = 0; i < 30; ++i)
            page << bloodPressure(QStringLiteral("bp-%1").arg(i), kDay0.addDays(i));
        for (int i = 0; i < 20; ++i)
            page << glucose(QStringLiteral("glu-%1").arg(i), kDay0.addDays(2 * i).addSecs(3600));
        for (int i = 0; i < 5; ++i)
            page << condition(QStringLiteral("cond-%1").arg(i), kDay0.addDays(-100 * i));
        for (int i = 0; i < 3; ++i)
            page << medication(QStringLiteral("med-%1").arg(i), kDay0.addDays(7 * i));
        for (int i = 0; i < 4; ++i)
            page << immunization(QStringLiteral("imm-%1").arg(i), kDay0.addYears(-i));
        return page;
    }

    static QStringList idsOf(const QList<StoredResource>& list)
    {
        QStringList out;
        for (const StoredResource& r : list)
            out << r.id;
        return out;
    }

    static void scanForPlaintext(const QString& path, const QList<QByteArray>& needles, bool requireWalData)
    {
        const QStringList files { path, QString(path + QStringLiteral("-wal")),
            QString(path + QStringLiteral("-shm")) };
        qint64 walSize = 0;
        for (const QString& file : files) {
            const QByteArray bytes = ondevice::testing::readAll(file);
            if (file.endsWith(u"-wal"))
                walSize = bytes.size();
            for (const QByteArray& needle : needles) {
                QVERIFY2(!bytes.contains(needle),
                    qPrintable(
                        QStringLiteral("%1 found in %2").arg(QString::fromUtf8(needle), QFileInfo(file).fileName())));
                // UTF-16 too, in case anything ever wrote a QString's raw bytes.
                QByteArray wide;
                for (const char c : needle)
                    wide.append(c).append('\0');
                QVERIFY2(!bytes.contains(wide), qPrintable(QFileInfo(file).fileName()));
            }
        }
        if (requireWalData)
            QVERIFY2(walSize > 4096, "the WAL should still hold frames at this point");
    }

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        QVERIFY(m_dir.isValid());
    }

    // ---- ResourceIndex ----

    void parseFhirDateTime_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDateTime>("expected");
        QTest::newRow("year") << "2019" << QDateTime(QDate(2019, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("year-month") << "2019-09" << QDateTime(QDate(2019, 9, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("date") << "2019-09-16" << QDateTime(QDate(2019, 9, 16), QTime(0, 0), Qt::UTC);
        QTest::newRow("offset zero") << "2019-09-16T03:19:07+00:00"
                                     << QDateTime(QDate(2019, 9, 16), QTime(3, 19, 7), Qt::UTC);
        QTest::newRow("millis") << "2018-06-23T03:19:07.450+00:00"
                                << QDateTime(QDate(2018, 6, 23), QTime(3, 19, 7, 450), Qt::UTC);
        QTest::newRow("Z") << "2018-06-23T03:19:07Z" << QDateTime(QDate(2018, 6, 23), QTime(3, 19, 7), Qt::UTC);
        QTest::newRow("offset") << "2018-06-23T05:19:07+02:00"
                                << QDateTime(QDate(2018, 6, 23), QTime(3, 19, 7), Qt::UTC);
        QTest::newRow("micros") << "2018-06-23T03:19:07.450123Z"
                                << QDateTime(QDate(2018, 6, 23), QTime(3, 19, 7, 450), Qt::UTC);
        QTest::newRow("no zone is UTC") << "2018-06-23T03:19:07"
                                        << QDateTime(QDate(2018, 6, 23), QTime(3, 19, 7), Qt::UTC);
        QTest::newRow("empty") << "" << QDateTime();
        QTest::newRow("garbage") << "yesterday" << QDateTime();
        QTest::newRow("bad month") << "2019-13" << QDateTime();
        QTest::newRow("bad day") << "2019-02-30" << QDateTime();
        QTest::newRow("bad separator") << "2019/09/16" << QDateTime();
    }
    void parseFhirDateTime()
    {
        QFETCH(QString, text);
        QFETCH(QDateTime, expected);
        const QDateTime parsed = ResourceIndex::parseFhirDateTime(text);
        QCOMPARE(parsed.isValid(), expected.isValid());
        if (expected.isValid())
            QCOMPARE(parsed.toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
    }

    void indexFromJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QDateTime>("sortDate");
        QTest::addColumn<QStringList>("codes");
        QTest::addColumn<QStringList>("categories");
        const QDateTime when = kDay0;
        QTest::newRow("blood pressure: panel and component codes")
            << bloodPressure(QStringLiteral("bp"), when) << "Observation" << when
            << QStringList { QString(kLoinc + QStringLiteral("|85354-9")), QString(kLoinc + QStringLiteral("|8462-4")),
                   kSystolic }
            << QStringList { kVitals };
        QTest::newRow("lab: effectivePeriod.start") << glucose(QStringLiteral("g"), when) << "Observation" << when
                                                    << QStringList { kGlucose } << QStringList { kLab };
        QTest::newRow("condition: onset first")
            << condition(QStringLiteral("c"), when) << "Condition" << when
            << QStringList { QString(kSnomed + QStringLiteral("|44054006")) }
            << QStringList { QStringLiteral(
                   "http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item") };
        QTest::newRow("medication request: authoredOn")
            << medication(QStringLiteral("m"), when) << "MedicationRequest" << when
            << QStringList { QStringLiteral("http://www.nlm.nih.gov/research/umls/rxnorm|860975") } << QStringList {};
        QTest::newRow("immunization: vaccineCode")
            << immunization(QStringLiteral("i"), when) << "Immunization" << when
            << QStringList { QStringLiteral("http://hl7.org/fhir/sid/cvx|140") } << QStringList {};
        QTest::newRow("encounter: type and class")
            << QByteArray(
                   "{\"resourceType\":\"Encounter\",\"id\":\"e\",\"class\":{\"system\":\"http://terminology.hl7.org/"
                   "CodeSystem/v3-ActCode\",\"code\":\"AMB\"},\"type\":[{\"coding\":[{\"system\":\"http://"
                   "snomed.info/sct\",\"code\":\"185349003\"}]}],\"period\":{\"start\":\"2018-06-23T03:19:07+00:"
                   "00\"}}")
            << "Encounter" << QDateTime(QDate(2018, 6, 23), QTime(3, 19, 7), Qt::UTC)
            << QStringList { QStringLiteral("http://snomed.info/sct|185349003") }
            << QStringList { QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-ActCode|AMB") };
        QTest::newRow("procedure: performedPeriod")
            << QByteArray("{\"resourceType\":\"Procedure\",\"id\":\"p\",\"code\":{\"coding\":[{\"system\":\"http://"
                          "snomed.info/sct\",\"code\":\"428191000124101\"}]},\"performedPeriod\":{\"start\":\"2018-07-"
                          "28T03:19:07+00:00\"}}")
            << "Procedure" << QDateTime(QDate(2018, 7, 28), QTime(3, 19, 7), Qt::UTC)
            << QStringList { QStringLiteral("http://snomed.info/sct|428191000124101") } << QStringList {};
        QTest::newRow("allergy: plain-code categories")
            << QByteArray("{\"resourceType\":\"AllergyIntolerance\",\"id\":\"a\",\"category\":[\"food\"],"
                          "\"recordedDate\":\"2019-09-30T03:19:07+00:00\",\"code\":{\"coding\":[{\"code\":\"x1\"}]}}")
            << "AllergyIntolerance" << QDateTime(QDate(2019, 9, 30), QTime(3, 19, 7), Qt::UTC)
            << QStringList { QStringLiteral("|x1") }
            << QStringList { QStringLiteral("http://hl7.org/fhir/allergy-intolerance-category|food") };
        QTest::newRow("document reference: date")
            << QByteArray("{\"resourceType\":\"DocumentReference\",\"id\":\"d\",\"date\":\"2020-01-02T00:00:00Z\","
                          "\"type\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"34117-2\"}]}}")
            << "DocumentReference" << QDateTime(QDate(2020, 1, 2), QTime(0, 0), Qt::UTC)
            << QStringList { QStringLiteral("http://loinc.org|34117-2") } << QStringList {};
        QTest::newRow("patient: lastUpdated, never birthDate")
            << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"birthDate\":\"1970-01-01\",\"meta\":"
                          "{\"versionId\":\"3\",\"lastUpdated\":\"2024-05-06T07:08:09Z\"}}")
            << "Patient" << QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC) << QStringList {} << QStringList {};
        QTest::newRow("no date at all") << QByteArray("{\"resourceType\":\"Goal\",\"id\":\"g\"}") << "Goal"
                                        << QDateTime() << QStringList {} << QStringList {};
    }
    void indexFromJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, type);
        QFETCH(QDateTime, sortDate);
        QFETCH(QStringList, codes);
        QFETCH(QStringList, categories);
        const auto index = ResourceIndex::fromJson(json);
        QVERIFY2(index, qPrintable(index ? QString() : index.failure().detail));
        QCOMPARE(index.value().type, type);
        QCOMPARE(index.value().sortDate.isValid(), sortDate.isValid());
        if (sortDate.isValid())
            QCOMPARE(index.value().sortDate.toMSecsSinceEpoch(), sortDate.toMSecsSinceEpoch());
        QCOMPARE(index.value().codes, codes);
        QCOMPARE(index.value().categories, categories);
    }

    void indexReadsMeta()
    {
        const auto index = ResourceIndex::fromJson(
            glucose(QStringLiteral("g-1"), kDay0, Meta { QStringLiteral("7"), kDay0.addDays(3) }));
        QVERIFY(index);
        QCOMPARE(index.value().id, QStringLiteral("g-1"));
        QCOMPARE(index.value().versionId, QStringLiteral("7"));
        QCOMPARE(index.value().lastUpdated, kDay0.addDays(3));
    }

    void invalidResources_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not JSON") << QByteArray("{\"resourceType\":");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("array") << QByteArray("[{\"resourceType\":\"Observation\",\"id\":\"x\"}]");
        QTest::newRow("no resourceType") << QByteArray("{\"id\":\"x\",\"status\":\"final\"}");
        QTest::newRow("resourceType not a string") << QByteArray("{\"resourceType\":7,\"id\":\"x\"}");
        QTest::newRow("resourceType not a type name") << QByteArray("{\"resourceType\":\"observation\",\"id\":\"x\"}");
        QTest::newRow("resourceType with a slash") << QByteArray("{\"resourceType\":\"Obs/ervation\",\"id\":\"x\"}");
        QTest::newRow("no id") << QByteArray("{\"resourceType\":\"Observation\"}");
        QTest::newRow("empty id") << QByteArray("{\"resourceType\":\"Observation\",\"id\":\"\"}");
        QTest::newRow("numeric id") << QByteArray("{\"resourceType\":\"Observation\",\"id\":12}");
        QTest::newRow("id with a space") << QByteArray("{\"resourceType\":\"Observation\",\"id\":\"a b\"}");
        QTest::newRow("id too long") << QByteArray(
            QByteArray("{\"resourceType\":\"Observation\",\"id\":\"") + QByteArray(300, 'a') + QByteArray("\"}"));
    }
    void invalidResources()
    {
        QFETCH(QByteArray, json);
        const auto index = ResourceIndex::fromJson(json);
        QVERIFY(!index);
        QCOMPARE(index.code(), StoreError::InvalidResource);
        QVERIFY(!index.failure().message.isEmpty());
        QVERIFY(!index.failure().detail.isEmpty());
    }

    // ---- ResourceStore ----

    void roundTrip()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        QVERIFY(store);
        const QList<QByteArray> page = sampleRecords();
        const auto stats = store->upsert(page);
        QVERIFY2(stats, qPrintable(stats ? QString() : stats.failure().detail));
        QCOMPARE(stats.value().inserted, page.size());
        for (const QByteArray& json : page) {
            const ResourceIndex index = ResourceIndex::fromJson(json).value();
            const auto got = store->get(index.type, index.id);
            QVERIFY(got);
            QVERIFY(got.value().has_value());
            const StoredResource& r = *got.value();
            QCOMPARE(r.json, json);
            QCOMPARE(r.type, index.type);
            QCOMPARE(r.id, index.id);
            QCOMPARE(r.versionId, index.versionId);
            QCOMPARE(r.lastUpdated, index.lastUpdated);
            QCOMPARE(r.sortDate, index.sortDate);
        }
        // Absent: another id, another type with the same id.
        QVERIFY(!store->get(QStringLiteral("Observation"), QStringLiteral("nope")).value().has_value());
        QVERIFY(!store->get(QStringLiteral("Condition"), QStringLiteral("bp-1")).value().has_value());

        // And after closing and opening again.
        store.reset();
        store = openStore(path);
        QVERIFY(store);
        const auto again = store->get(QStringLiteral("Observation"), QStringLiteral("bp-3"));
        QVERIFY(again && again.value());
        QCOMPARE(again.value()->json, page.at(3));
    }

    // Checkpoints run on the store's own thread, not inside a COMMIT (wal_autocheckpoint is off): after more than
    // 4 MB of pages, the committed pages reach the main file while the store is still open and nothing waited.
    void checkpointsRunOffTheWritingThread()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        QVERIFY(store);
        const qint64 emptySize = QFileInfo(path).size();
        const QString padding(2000, u'x');
        for (int page = 0; page < 30; ++page) {
            QList<QByteArray> jsons;
            for (int i = 0; i < 100; ++i) {
                jsons << toJson(QJsonObject { { "resourceType", "Observation" },
                                    { "id", QStringLiteral("pad-%1-%2").arg(page).arg(i) }, { "status", "final" },
                                    { "note", QJsonArray { QJsonObject { { "text", padding } } } } },
                    Meta {});
            }
            QVERIFY(store->upsert(jsons));
        }
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > emptySize + 4 * 1024 * 1024, 10000);
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), 3000);
    }

    void emptyPage()
    {
        auto store = openStore(freshPath());
        const auto stats = store->upsert({});
        QVERIFY(stats);
        QCOMPARE(stats.value().inserted + stats.value().updated + stats.value().unchanged, 0);
    }

    void versionedUpsert_data()
    {
        QTest::addColumn<QString>("storedVersion");
        QTest::addColumn<QDateTime>("storedUpdated");
        QTest::addColumn<QString>("incomingVersion");
        QTest::addColumn<QDateTime>("incomingUpdated");
        QTest::addColumn<QString>("incomingText");
        QTest::addColumn<QString>("outcome"); // updated, unchanged, skippedOlder
        const QDateTime t1(QDate(2024, 1, 1), QTime(12, 0), Qt::UTC);
        const QDateTime t2 = t1.addSecs(1);
        const QDateTime none;
        const QString same = QString::fromLatin1(kMarker);
        QTest::newRow("newer lastUpdated") << "1" << t1 << "2" << t2 << "v2"
                                           << "updated";
        QTest::newRow("newer lastUpdated, same versionId") << "1" << t1 << "1" << t2 << "v2"
                                                           << "updated";
        QTest::newRow("older lastUpdated") << "2" << t2 << "1" << t1 << "v1"
                                           << "skippedOlder";
        QTest::newRow("older lastUpdated, higher versionId") << "1" << t2 << "9" << t1 << "v9"
                                                             << "skippedOlder";
        QTest::newRow("same version") << "3" << t1 << "3" << t1 << same << "unchanged";
        QTest::newRow("same version, no dates") << "3" << none << "3" << none << same << "unchanged";
        QTest::newRow("same lastUpdated, higher versionId") << "2" << t1 << "10" << t1 << "v10"
                                                            << "updated";
        QTest::newRow("same lastUpdated, lower versionId") << "10" << t1 << "2" << t1 << "v2"
                                                           << "skippedOlder";
        QTest::newRow("no dates, higher versionId") << "1" << none << "2" << none << "v2"
                                                    << "updated";
        QTest::newRow("no dates, lower versionId") << "2" << none << "1" << none << "v1"
                                                   << "skippedOlder";
        QTest::newRow("only the stored row dated") << "1" << t2 << "2" << none << "v2"
                                                   << "updated";
        QTest::newRow("opaque versionIds differ") << "W/abc" << none << "W/def" << none << "def"
                                                  << "updated";
        QTest::newRow("no meta, same content") << "" << none << "" << none << same << "unchanged";
        QTest::newRow("no meta, other content") << "" << none << "" << none << "changed"
                                                << "updated";
    }
    void versionedUpsert()
    {
        QFETCH(QString, storedVersion);
        QFETCH(QDateTime, storedUpdated);
        QFETCH(QString, incomingVersion);
        QFETCH(QDateTime, incomingUpdated);
        QFETCH(QString, incomingText);
        QFETCH(QString, outcome);
        auto store = openStore(freshPath());
        auto make = [](const QString& version, const QDateTime& updated, const QString& text) {
            QJsonObject r { { QStringLiteral("resourceType"), QStringLiteral("Observation") },
                { QStringLiteral("id"), QStringLiteral("obs-1") },
                { QStringLiteral("effectiveDateTime"), isoAt(kDay0) } };
            const bool anyMeta = !version.isEmpty() || updated.isValid();
            return toJson(r, anyMeta ? std::optional<Meta>(Meta { version, updated }) : std::nullopt, text);
        };
        const QByteArray first = make(storedVersion, storedUpdated, QString::fromLatin1(kMarker));
        const QByteArray second = make(incomingVersion, incomingUpdated, incomingText);
        QCOMPARE(store->upsert({ first }).value().inserted, 1);
        const auto stats = store->upsert({ second });
        QVERIFY2(stats, qPrintable(stats ? QString() : stats.failure().detail));
        const UpsertStats s = stats.value();
        QCOMPARE(s.inserted, 0);
        QCOMPARE(s.updated, outcome == u"updated" ? 1 : 0);
        QCOMPARE(s.unchanged, outcome == u"unchanged" ? 1 : 0);
        QCOMPARE(s.skippedOlder, outcome == u"skippedOlder" ? 1 : 0);
        const auto stored = store->get(QStringLiteral("Observation"), QStringLiteral("obs-1")).value();
        QVERIFY(stored);
        QCOMPARE(stored->json, outcome == u"updated" ? second : first);
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), qint64(1));
    }

    void duplicatesInOnePage()
    {
        auto store = openStore(freshPath());
        const QByteArray v1 = glucose(QStringLiteral("g"), kDay0, Meta { QStringLiteral("1"), kDay0 });
        const QByteArray v2 = glucose(QStringLiteral("g"), kDay0, Meta { QStringLiteral("2"), kDay0.addSecs(5) });
        const auto stats = store->upsert({ v1, v2, v1 });
        QVERIFY(stats);
        QCOMPARE(stats.value().inserted, 1);
        QCOMPARE(stats.value().updated, 1);
        QCOMPARE(stats.value().skippedOlder, 1);
        QCOMPARE(
            store->get(QStringLiteral("Observation"), QStringLiteral("g")).value()->versionId, QStringLiteral("2"));
    }

    void updateMovesTheTags()
    {
        auto store = openStore(freshPath());
        QVERIFY(store->upsert({ glucose(QStringLiteral("x"), kDay0, Meta { QStringLiteral("1"), kDay0 }) }));
        QCOMPARE(store->count(QStringLiteral("Observation"), kGlucose).value(), qint64(1));
        // The same id comes back as a blood pressure taken later.
        QVERIFY(store->upsert(
            { bloodPressure(QStringLiteral("x"), kDay0.addDays(5), Meta { QStringLiteral("2"), kDay0.addDays(1) }) }));
        QCOMPARE(store->count(QStringLiteral("Observation"), kGlucose).value(), qint64(0));
        QCOMPARE(store->count(QStringLiteral("Observation"), kSystolic).value(), qint64(1));
        auto q = ResourceQuery::forType(QStringLiteral("Observation"));
        q.code = kSystolic;
        q.from = kDay0.addDays(5);
        QCOMPARE(idsOf(store->query(q).value()), QStringList { QStringLiteral("x") });
    }

    void badResourceWritesNothing()
    {
        auto store = openStore(freshPath());
        QVERIFY(store->upsert({ glucose(QStringLiteral("kept"), kDay0) }));
        const QList<QByteArray> page { bloodPressure(QStringLiteral("a"), kDay0),
            glucose(QStringLiteral("kept"), kDay0, Meta { QStringLiteral("2"), kDay0.addDays(9) }),
            QByteArray("{\"resourceType\":\"Observation\",\"status\":\"final\"}"),
            condition(QStringLiteral("c"), kDay0) };
        const auto stats = store->upsert(page);
        QVERIFY(!stats);
        QCOMPARE(stats.code(), StoreError::InvalidResource);
        QVERIFY(!stats.failure().message.isEmpty());
        QVERIFY2(stats.failure().detail.contains(u"entry 2"), qPrintable(stats.failure().detail));
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), qint64(1));
        QCOMPARE(store->count(QStringLiteral("Condition")).value(), qint64(0));
        QCOMPARE(
            store->get(QStringLiteral("Observation"), QStringLiteral("kept")).value()->versionId, QStringLiteral("1"));

        // Inside an explicit transaction the bad page is undone alone; the earlier page stays.
        QVERIFY(store->begin());
        QVERIFY(store->upsert({ condition(QStringLiteral("c1"), kDay0) }));
        QVERIFY(!store->upsert(page));
        QVERIFY(store->commit());
        QCOMPARE(store->count(QStringLiteral("Condition")).value(), qint64(1));
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), qint64(1));
    }

    void transactions()
    {
        auto store = openStore(freshPath());
        QVERIFY(store->begin());
        QVERIFY(store->inTransaction());
        QVERIFY(!store->begin());
        QVERIFY(store->upsert({ glucose(QStringLiteral("g1"), kDay0) }));
        QVERIFY(store->setState(QStringLiteral("checkpoint"), "page-2"));
        QVERIFY(store->upsert({ glucose(QStringLiteral("g2"), kDay0) }));
        store->rollback();
        QVERIFY(!store->inTransaction());
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), qint64(0));
        QVERIFY(!store->state(QStringLiteral("checkpoint")).value().has_value());

        QVERIFY(store->begin());
        QVERIFY(store->upsert({ glucose(QStringLiteral("g1"), kDay0) }));
        QVERIFY(store->remove(QStringLiteral("Observation"), QStringLiteral("g1")).value());
        QVERIFY(store->upsert({ glucose(QStringLiteral("g2"), kDay0) }));
        QVERIFY(store->commit());
        QVERIFY(!store->commit());
        QCOMPARE(store->ids(QStringLiteral("Observation")).value(), QStringList { QStringLiteral("g2") });
    }

    void sameResourceEncryptedTwiceDiffers()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        const QByteArray json = glucose(QStringLiteral("twice"), kDay0);
        QVERIFY(store->upsert({ json }));
        RawDb raw(path);
        const QByteArray first = raw.scalar(QStringLiteral("SELECT body FROM resources")).toByteArray();
        QVERIFY(store->remove(QStringLiteral("Observation"), QStringLiteral("twice")).value());
        QVERIFY(store->upsert({ json }));
        const QByteArray second = raw.scalar(QStringLiteral("SELECT body FROM resources")).toByteArray();
        QVERIFY(!first.isEmpty());
        QCOMPARE(first.size(), second.size());
        QVERIFY(first != second);
        QVERIFY(first.mid(1, 12) != second.mid(1, 12)); // the nonces
        QCOMPARE(store->get(QStringLiteral("Observation"), QStringLiteral("twice")).value()->json, json);
    }

    // A sealed body moved to another row (id, type, or connection with the same key) does not open.
    void associatedDataBindsConnectionTypeAndId()
    {
        const QString path = freshPath();
        auto a = openStore(path, QStringLiteral("conn-a"));
        auto b = openStore(path, QStringLiteral("conn-b")); // same key on purpose: only the AAD differs
        QVERIFY(a && b);
        QVERIFY(a->upsert({ glucose(QStringLiteral("one"), kDay0), glucose(QStringLiteral("two"), kDay0),
            condition(QStringLiteral("one"), kDay0) }));
        QVERIFY(b->upsert({ glucose(QStringLiteral("one"), kDay0) }));

        RawDb raw(path);
        const QList<QVariantList> rows
            = raw.rows(QStringLiteral("SELECT r.rid, c.name, r.type_tag, r.body FROM resources r "
                                      "JOIN connections c ON c.id = r.conn ORDER BY r.rid"));
        QCOMPARE(rows.size(), 4);
        // Insertion order: a/Observation/one, a/Observation/two, a/Condition/one, b/Observation/one.
        const QByteArray source = rows.at(0).at(3).toByteArray();
        auto copyTo = [&](int row) {
            QVERIFY(raw.exec(
                QStringLiteral("UPDATE resources SET body = ? WHERE rid = ?"), { source, rows.at(row).at(0) }));
        };
        copyTo(1); // another id
        copyTo(2); // another type
        copyTo(3); // another connection
        for (const auto& [store, type, id] : { std::tuple { a.get(), "Observation", "two" },
                 std::tuple { a.get(), "Condition", "one" }, std::tuple { b.get(), "Observation", "one" } }) {
            const auto got = store->get(QLatin1String(type), QLatin1String(id));
            QVERIFY(!got);
            QCOMPARE(got.code(), StoreError::Crypto);
            QVERIFY(!got.failure().message.isEmpty());
        }
        auto q = ResourceQuery::forType(QStringLiteral("Observation"));
        QCOMPARE(a->query(q).code(), StoreError::Crypto);
        QCOMPARE(b->ids(QStringLiteral("Observation")).code(), StoreError::Crypto);
        // The original still opens.
        QVERIFY(a->get(QStringLiteral("Observation"), QStringLiteral("one")).value().has_value());

        // A flipped bit in a body is refused too.
        QByteArray flipped = source;
        flipped[flipped.size() / 2] = char(flipped.at(flipped.size() / 2) ^ 0x01);
        QVERIFY(raw.exec(QStringLiteral("UPDATE resources SET body = ? WHERE rid = ?"), { flipped, rows.at(0).at(0) }));
        QCOMPARE(a->get(QStringLiteral("Observation"), QStringLiteral("one")).code(), StoreError::Crypto);
    }

    void wrongKeyIsRefused()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        QVERIFY(store->upsert(sampleRecords()));
        QVERIFY(store->setState(QStringLiteral("cursor"), "x"));
        store.reset();

        QList<QVariantList> before;
        {
            RawDb raw(path);
            before = raw.rows(QStringLiteral("SELECT * FROM resources ORDER BY rid"));
        }
        const auto wrong = ResourceStore::open(path, QStringLiteral("conn-a"), randomKey());
        QVERIFY(!wrong);
        QCOMPARE(wrong.code(), StoreError::WrongKey);
        QVERIFY(!wrong.failure().message.isEmpty());
        for (const QByteArray& missing : { QByteArray(), QByteArray(16, 'k') }) {
            const auto bad = ResourceStore::open(path, QStringLiteral("conn-a"), missing);
            QVERIFY(!bad);
            QCOMPARE(bad.code(), StoreError::WrongKey);
        }
        {
            RawDb raw(path);
            QCOMPARE(raw.rows(QStringLiteral("SELECT * FROM resources ORDER BY rid")), before);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM connections")).toInt(), 1);
        }
        store = openStore(path);
        QVERIFY(store);
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), qint64(50));
        QCOMPARE(store->state(QStringLiteral("cursor")).value().value_or(QByteArray()), QByteArray("x"));
    }

    // The Must-hold of issue 6: no marker, no FHIR key name, no code system, no code, no id in any file,
    // including a WAL that still holds frames.
    void noPlaintextInAnyDatabaseFile()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        QVERIFY(store->upsert(sampleRecords()));
        QVERIFY(store->setState(QStringLiteral("Observation next page"),
            "https://ehr.example/fhir/Observation?patient=pat-0042-synthetic&_getpages=abc"));
        const QList<QByteArray> needles { kMarker, "resourceType", "http://loinc.org", "loinc", "8480-6", "85354-9",
            "44054006", "vital-signs", "laboratory", "Observation", "Condition", "Immunization", "bp-17", "glu-3",
            "cond-4", "Systolic", "Metformin", "pat-0042-synthetic", "ehr.example", "next page" };
        RawDb raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        // The store is open and has not checkpointed: the data sits in the WAL.
        scanForPlaintext(path, needles, true);
        // A passive checkpoint copies the pages into the main file and leaves the WAL as it is.
        QVERIFY(raw.scalar(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")).isValid());
        scanForPlaintext(path, needles, true);
        // Updates and deletions (secure_delete) leave nothing behind either.
        QVERIFY(store->upsert(
            { glucose(QStringLiteral("glu-3"), kDay0, Meta { QStringLiteral("2"), kDay0.addYears(3) }) }));
        QVERIFY(store->remove(QStringLiteral("Observation"), QStringLiteral("bp-17")).value());
        scanForPlaintext(path, needles, true);
        store.reset();
        QVERIFY(raw.scalar(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")).isValid());
        scanForPlaintext(path, needles, false);
        QVERIFY(ondevice::testing::readAll(path).size() > 10000);
    }

    void queries()
    {
        auto store = openStore(freshPath());
        QVERIFY(store->upsert(sampleRecords()));

        auto q = ResourceQuery::forType(QStringLiteral("Observation"));
        q.limit = 10;
        auto page = store->query(q).value();
        QCOMPARE(page.size(), 10);
        QCOMPARE(page.first().id, QStringLiteral("glu-19")); // day 38, the newest observation
        for (int i = 1; i < page.size(); ++i)
            QVERIFY(page.at(i - 1).sortDate >= page.at(i).sortDate);
        q.offset = 45;
        QCOMPARE(store->query(q).value().size(), 5);
        q.offset = 50;
        QCOMPARE(store->query(q).value().size(), 0);

        // Paging through all observations gives each exactly once.
        QSet<QString> seen;
        for (q.offset = 0; q.offset < 60; q.offset += 7) {
            q.limit = 7;
            // Held in a variable: Expected::value() && returns a reference into the temporary.
            const QList<StoredResource> onePage = store->query(q).value();
            for (const StoredResource& r : onePage) {
                QVERIFY(!seen.contains(r.id));
                seen.insert(r.id);
            }
        }
        QCOMPARE(seen.size(), 50);

        // By code: the systolic component finds every blood pressure panel, oldest first.
        auto byCode = ResourceQuery::forType(QStringLiteral("Observation"));
        byCode.code = kSystolic;
        byCode.newestFirst = false;
        page = store->query(byCode).value();
        QCOMPARE(page.size(), 30);
        QCOMPARE(page.first().id, QStringLiteral("bp-0"));
        QCOMPARE(page.last().id, QStringLiteral("bp-29"));
        byCode.limit = 5;
        byCode.offset = 5;
        QCOMPARE(idsOf(store->query(byCode).value()),
            (QStringList { QStringLiteral("bp-5"), QStringLiteral("bp-6"), QStringLiteral("bp-7"),
                QStringLiteral("bp-8"), QStringLiteral("bp-9") }));

        // By category.
        auto byCategory = ResourceQuery::forType(QStringLiteral("Observation"));
        byCategory.category = kLab;
        QCOMPARE(store->query(byCategory).value().size(), 20);
        byCategory.category = kVitals;
        QCOMPARE(store->query(byCategory).value().size(), 30);
        // A category of another type finds nothing here.
        byCategory.type = QStringLiteral("Condition");
        QCOMPARE(store->query(byCategory).value().size(), 0);

        // Code and category together.
        auto both = ResourceQuery::forType(QStringLiteral("Observation"));
        both.code = kSystolic;
        both.category = kVitals;
        QCOMPARE(store->query(both).value().size(), 30);
        both.category = kLab;
        QCOMPARE(store->query(both).value().size(), 0);

        // Date range, inclusive at both ends.
        auto range = ResourceQuery::forType(QStringLiteral("Observation"));
        range.code = kSystolic;
        range.from = kDay0.addDays(5);
        range.to = kDay0.addDays(9);
        QCOMPARE(idsOf(store->query(range).value()),
            (QStringList { QStringLiteral("bp-9"), QStringLiteral("bp-8"), QStringLiteral("bp-7"),
                QStringLiteral("bp-6"), QStringLiteral("bp-5") }));
        range.code.reset();
        QCOMPARE(store->query(range).value().size(), 5 + 2); // glu-3 (day 6), glu-4 (day 8)
        range.to = QDateTime();
        QCOMPARE(store->query(range).value().size(), 25 + 17);
        range.from = QDateTime();
        range.to = kDay0;
        QCOMPARE(idsOf(store->query(range).value()), QStringList { QStringLiteral("bp-0") });

        // Other types sort on their own clinical date.
        auto conditions = ResourceQuery::forType(QStringLiteral("Condition"));
        QCOMPARE(idsOf(store->query(conditions).value()),
            (QStringList { QStringLiteral("cond-0"), QStringLiteral("cond-1"), QStringLiteral("cond-2"),
                QStringLiteral("cond-3"), QStringLiteral("cond-4") }));

        // Nothing, and bad queries.
        auto none = ResourceQuery::forType(QStringLiteral("Procedure"));
        QCOMPARE(store->query(none).value().size(), 0);
        auto unknownCode = ResourceQuery::forType(QStringLiteral("Observation"));
        unknownCode.code = QStringLiteral("http://loinc.org|0000-0");
        QCOMPARE(store->query(unknownCode).value().size(), 0);
        auto noLimit = ResourceQuery::forType(QStringLiteral("Observation"));
        noLimit.limit = 0;
        QCOMPARE(store->query(noLimit).value().size(), 0);
        const auto noType = store->query(ResourceQuery {});
        QVERIFY(!noType);
        QCOMPARE(noType.code(), StoreError::InvalidResource);
    }

    // The newest page of a type walks the (conn, type_tag, sort_date) index and never sorts the whole type.
    void newestPageUsesTheDateIndex()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        QVERIFY(store->upsert(sampleRecords()));
        RawDb raw(path);
        const QList<QVariantList> plan = raw.rows(QStringLiteral(
            "EXPLAIN QUERY PLAN SELECT id_tag, last_updated, sort_date, body FROM resources WHERE conn = 1 AND "
            "type_tag = x'00' ORDER BY sort_date DESC, rid DESC LIMIT 200 OFFSET 0"));
        QString text;
        for (const QVariantList& row : plan)
            text += row.last().toString() + u'\n';
        QVERIFY2(text.contains(u"resources_by_date"), qPrintable(text));
        QVERIFY2(!text.contains(u"TEMP B-TREE"), qPrintable(text));
    }

    void count()
    {
        auto store = openStore(freshPath());
        QVERIFY(store->upsert(sampleRecords()));
        QCOMPARE(store->count(QStringLiteral("Observation")).value(), qint64(50));
        QCOMPARE(store->count(QStringLiteral("Condition")).value(), qint64(5));
        QCOMPARE(store->count(QStringLiteral("MedicationRequest")).value(), qint64(3));
        QCOMPARE(store->count(QStringLiteral("Immunization")).value(), qint64(4));
        QCOMPARE(store->count(QStringLiteral("Procedure")).value(), qint64(0));
        QCOMPARE(store->count(QStringLiteral("Observation"), kSystolic).value(), qint64(30));
        QCOMPARE(store->count(QStringLiteral("Observation"), kGlucose).value(), qint64(20));
        QCOMPARE(store->count(QStringLiteral("Observation"), {}, kLab).value(), qint64(20));
        QCOMPARE(store->count(QStringLiteral("Observation"), kGlucose, kLab).value(), qint64(20));
        QCOMPARE(store->count(QStringLiteral("Observation"), kGlucose, kVitals).value(), qint64(0));
        QCOMPARE(
            store->count(QStringLiteral("Immunization"), QStringLiteral("http://hl7.org/fhir/sid/cvx|140")).value(),
            qint64(4));
        QVERIFY(!store->count(QString()));
    }

    void idsRemoveAndRetain()
    {
        auto store = openStore(freshPath());
        QVERIFY(store->upsert(sampleRecords()));
        QStringList conditionIds = store->ids(QStringLiteral("Condition")).value();
        conditionIds.sort();
        QCOMPARE(conditionIds,
            (QStringList { QStringLiteral("cond-0"), QStringLiteral("cond-1"), QStringLiteral("cond-2"),
                QStringLiteral("cond-3"), QStringLiteral("cond-4") }));
        QCOMPARE(store->ids(QStringLiteral("Observation")).value().size(), 50);
        QCOMPARE(store->ids(QStringLiteral("Procedure")).value().size(), 0);

        QCOMPARE(store->remove(QStringLiteral("Condition"), QStringLiteral("cond-2")).value(), true);
        QCOMPARE(store->remove(QStringLiteral("Condition"), QStringLiteral("cond-2")).value(), false);
        QCOMPARE(store->remove(QStringLiteral("Observation"), QStringLiteral("cond-1")).value(), false);
        QVERIFY(!store->get(QStringLiteral("Condition"), QStringLiteral("cond-2")).value().has_value());
        QCOMPARE(store->count(QStringLiteral("Condition")).value(), qint64(4));
        QCOMPARE(store->count(QStringLiteral("Condition"), QString(kSnomed + QStringLiteral("|44054006"))).value(),
            qint64(4));

        // After a full re-sync the server has only these: the others go, without decrypting anything.
        QStringList keep;
        for (int i = 0; i < 30; i += 3)
            keep << QStringLiteral("bp-%1").arg(i);
        keep << QStringLiteral("glu-0") << QStringLiteral("not-stored");
        QCOMPARE(store->retainOnly(QStringLiteral("Observation"), keep).value(), 50 - 11);
        QStringList left = store->ids(QStringLiteral("Observation")).value();
        QCOMPARE(left.size(), 11);
        QVERIFY(!left.contains(QStringLiteral("not-stored")));
        QCOMPARE(store->count(QStringLiteral("Observation"), kSystolic).value(), qint64(10));
        QCOMPARE(store->count(QStringLiteral("Condition")).value(), qint64(4)); // other types untouched
    }

    void stateRoundTrip()
    {
        const QString path = freshPath();
        auto store = openStore(path);
        QVERIFY(!store->state(QStringLiteral("cursor")).value().has_value());
        QVERIFY(store->setState(QStringLiteral("cursor"), "https://ehr.example/fhir?patient=pat-0042-synthetic"));
        QVERIFY(store->setState(QStringLiteral("empty"), QByteArray()));
        QCOMPARE(store->state(QStringLiteral("cursor")).value().value_or(QByteArray()),
            QByteArray("https://ehr.example/fhir?patient=pat-0042-synthetic"));
        QVERIFY(store->setState(QStringLiteral("cursor"), "second"));
        QCOMPARE(store->state(QStringLiteral("cursor")).value().value_or(QByteArray()), QByteArray("second"));
        QCOMPARE(store->state(QStringLiteral("empty")).value().value_or("x"), QByteArray());
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM state")).toInt(), 2);
            for (const QVariantList& row : raw.rows(QStringLiteral("SELECT name_tag, value FROM state"))) {
                QVERIFY(!row.at(0).toByteArray().contains("cursor"));
                QVERIFY(!row.at(1).toByteArray().contains("second"));
            }
            // A sealed value moved to another name does not open.
            QVERIFY(raw.exec(
                QStringLiteral("UPDATE state SET value = (SELECT value FROM state ORDER BY name_tag LIMIT 1)")));
        }
        const bool cursorOk = store->state(QStringLiteral("cursor")).ok();
        const bool emptyOk = store->state(QStringLiteral("empty")).ok();
        QVERIFY(cursorOk != emptyOk);
        QCOMPARE(store->removeState(QStringLiteral("cursor")).value(), true);
        QCOMPARE(store->removeState(QStringLiteral("cursor")).value(), false);
        QVERIFY(!store->state(QStringLiteral("cursor")).value().has_value());
    }

    void twoConnectionsStaySeparate()
    {
        const QString path = freshPath();
        const QByteArray keyB = randomKey();
        auto a = openStore(path, QStringLiteral("conn-a"));
        auto b = openStore(path, QStringLiteral("conn-b"), keyB);
        QVERIFY(a && b);
        // The same ids on both sides, with other contents.
        QVERIFY(a->upsert(sampleRecords()));
        const QByteArray bGlucose = glucose(QStringLiteral("glu-1"), kDay0, Meta { QStringLiteral("5"), kDay0 });
        QVERIFY(b->upsert({ bGlucose, condition(QStringLiteral("cond-9"), kDay0) }));
        QVERIFY(a->setState(QStringLiteral("cursor"), "a"));
        QVERIFY(b->setState(QStringLiteral("cursor"), "b"));

        QCOMPARE(a->count(QStringLiteral("Observation")).value(), qint64(50));
        QCOMPARE(b->count(QStringLiteral("Observation")).value(), qint64(1));
        QCOMPARE(b->count(QStringLiteral("Observation"), kGlucose).value(), qint64(1));
        QCOMPARE(b->get(QStringLiteral("Observation"), QStringLiteral("glu-1")).value()->json, bGlucose);
        QCOMPARE(
            a->get(QStringLiteral("Observation"), QStringLiteral("glu-1")).value()->versionId, QStringLiteral("1"));
        QVERIFY(!a->get(QStringLiteral("Condition"), QStringLiteral("cond-9")).value().has_value());
        QCOMPARE(b->ids(QStringLiteral("Condition")).value(), QStringList { QStringLiteral("cond-9") });
        QCOMPARE(a->state(QStringLiteral("cursor")).value().value_or(""), QByteArray("a"));
        QCOMPARE(b->state(QStringLiteral("cursor")).value().value_or(""), QByteArray("b"));
        auto q = ResourceQuery::forType(QStringLiteral("Condition"));
        QCOMPARE(b->query(q).value().size(), 1);
        // Each connection has its own key: B's key does not open A.
        b.reset();
        const auto crossed = ResourceStore::open(path, QStringLiteral("conn-a"), keyB);
        QVERIFY(!crossed);
        QCOMPARE(crossed.code(), StoreError::WrongKey);
    }

    void forgetDeletesExactlyThatConnection()
    {
        const QString path = freshPath();
        const QByteArray keyB = randomKey();
        {
            auto a = openStore(path, QStringLiteral("conn-a"));
            auto b = openStore(path, QStringLiteral("conn-b"), keyB);
            QVERIFY(a->upsert(sampleRecords()));
            QVERIFY(a->setState(QStringLiteral("cursor"), "a"));
            QVERIFY(b->upsert({ glucose(QStringLiteral("glu-1"), kDay0), condition(QStringLiteral("cond-1"), kDay0) }));
            QVERIFY(b->setState(QStringLiteral("cursor"), "b"));
        }
        qint64 bRows = 0;
        {
            RawDb raw(path);
            bRows = raw.scalar(QStringLiteral("SELECT COUNT(*) FROM resources r JOIN connections c ON c.id = r.conn "
                                              "WHERE c.name = 'conn-b'"))
                        .toLongLong();
        }
        QCOMPARE(bRows, qint64(2));

        QVERIFY(ResourceStore::forget(path, QStringLiteral("conn-a")));
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM resources")).toLongLong(), bRows);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM state")).toInt(), 1);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM connections")).toInt(), 1);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT name FROM connections")).toString(), QStringLiteral("conn-b"));
            const qint64 conn = raw.scalar(QStringLiteral("SELECT id FROM connections")).toLongLong();
            QCOMPARE(
                raw.scalar(QStringLiteral("SELECT COUNT(*) FROM resource_tags WHERE conn != %1").arg(conn)).toInt(), 0);
            QVERIFY(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM resource_tags")).toInt() > 0);
        }
        // B is whole.
        auto b = openStore(path, QStringLiteral("conn-b"), keyB);
        QVERIFY(b);
        QCOMPARE(b->count(QStringLiteral("Observation")).value(), qint64(1));
        QCOMPARE(b->count(QStringLiteral("Condition")).value(), qint64(1));
        QCOMPARE(b->state(QStringLiteral("cursor")).value().value_or(""), QByteArray("b"));
        // A is gone: connecting again with a new key starts empty (the old key is no longer asked for).
        auto a = openStore(path, QStringLiteral("conn-a"), randomKey());
        QVERIFY(a);
        QCOMPARE(a->count(QStringLiteral("Observation")).value(), qint64(0));
        QVERIFY(!a->state(QStringLiteral("cursor")).value().has_value());

        // Forgetting what does not exist is not an error.
        QVERIFY(ResourceStore::forget(path, QStringLiteral("never-connected")));
        QVERIFY(ResourceStore::forget(m_dir.filePath(QStringLiteral("no-such-file.sqlite")), QStringLiteral("conn-a")));
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("no-such-file.sqlite"))));
    }

    void schemaVersion()
    {
        const QString path = freshPath();
        {
            auto store = openStore(path);
            QVERIFY(store);
        }
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), ResourceStore::SchemaVersion);
            QVERIFY(ResourceStore::SchemaVersion >= 1);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('resources', "
                                               "'resource_tags', 'state', 'connections', 'resources_by_date')"))
                         .toInt(),
                5);
            // A file from a newer app version is refused, not rewritten.
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        const auto newer = ResourceStore::open(path, QStringLiteral("conn-a"), m_key);
        QVERIFY(!newer);
        QCOMPARE(newer.code(), StoreError::Schema);
        QVERIFY(!newer.failure().message.isEmpty());
        RawDb raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 99);
    }

    void notADatabase()
    {
        const QString path = freshPath();
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        const auto store = ResourceStore::open(path, QStringLiteral("conn-a"), m_key);
        QVERIFY(!store);
        QCOMPARE(store.code(), StoreError::Open);
        QVERIFY(!store.failure().message.isEmpty());
    }

    void filesAreOwnerOnly()
    {
        const QString dir = m_dir.filePath(QStringLiteral("new-app-data"));
        const QString path = QDir(dir).filePath(QStringLiteral("records.sqlite"));
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(store->upsert(sampleRecords()));
        for (const QString& file :
            { path, QString(path + QStringLiteral("-wal")), QString(path + QStringLiteral("-shm")) }) {
            struct stat st { };
            QVERIFY2(::stat(QFile::encodeName(file).constData(), &st) == 0, qPrintable(file));
            QCOMPARE(st.st_mode & 0777, mode_t(0600));
        }
        struct stat st { };
        QVERIFY(::stat(QFile::encodeName(dir).constData(), &st) == 0);
        QCOMPARE(st.st_mode & 0077, mode_t(0));
        store.reset();

        // A file left readable by others is tightened on open.
        QVERIFY(QFile::setPermissions(
            path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        store = openStore(path);
        QVERIFY(store);
        QVERIFY(::stat(QFile::encodeName(path).constData(), &st) == 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
    }
};

QTEST_GUILESS_MAIN(tst_ResourceStore)
#include "tst_ResourceStore.moc"
