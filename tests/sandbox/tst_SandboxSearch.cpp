// The FHIR surface of part 2: the new resource types, Medication and Binary
// reads, Observation by category, code and date, _sort, ETags and
// Patient/$everything (which must equal the union of the per-type searches).

#include "SandboxHttp.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace ondevice::testing;

namespace {

const QStringList kSearchable { "Patient", "Observation", "Condition", "MedicationRequest", "AllergyIntolerance",
    "Immunization", "Procedure", "DiagnosticReport", "Encounter", "DocumentReference", "CarePlan", "Goal", "CareTeam",
    "Device", "Coverage" };

QStringList tokensOf(const QJsonValue& value)
{
    QStringList tokens;
    const QJsonArray list = value.isArray() ? value.toArray() : QJsonArray { value };
    for (const QJsonValue& codeable : list) {
        for (const QJsonValue& coding : codeable.toObject().value(QStringLiteral("coding")).toArray())
            tokens.append(coding.toObject().value(QStringLiteral("system")).toString() + QLatin1Char('|')
                + coding.toObject().value(QStringLiteral("code")).toString());
    }
    return tokens;
}

qint64 effectiveMs(const QJsonObject& observation)
{
    return QDateTime::fromString(observation.value(QStringLiteral("effectiveDateTime")).toString(), Qt::ISODate)
        .toMSecsSinceEpoch();
}

QStringList keysOf(const QList<QJsonObject>& resources)
{
    QStringList keys;
    for (const QJsonObject& resource : resources)
        keys.append(resource.value(QStringLiteral("resourceType")).toString() + QLatin1Char('/')
            + resource.value(QStringLiteral("id")).toString());
    return keys;
}

} // namespace

class tst_SandboxSearch : public QObject {
    Q_OBJECT

    SandboxProcess m_sandbox;
    QString m_access;
    QString m_patient;
    QList<QJsonObject> m_observations;

    QUrl url(const QString& path) const { return QUrl(m_sandbox.fhirBase().toString() + path); }

    QList<QJsonObject> all(const QString& path, const QString& token = {})
    {
        SandboxHttp http(m_sandbox);
        QString error;
        const QList<QJsonObject> found = http.searchAll(url(path), token.isEmpty() ? m_access : token, nullptr, &error);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error
            = m_sandbox.start({ "--auto-approve", "first", "--seed", "11", "--resources-per-patient", "600" });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login();
        m_access = token.value(QStringLiteral("access_token")).toString();
        m_patient = token.value(QStringLiteral("patient")).toString();
        QVERIFY(!m_access.isEmpty());
        m_observations = all(QStringLiteral("/Observation?patient=%1&_count=1000").arg(m_patient));
        QVERIFY(m_observations.size() > 200);
    }

    void medicationReadByReference()
    {
        SandboxHttp http(m_sandbox);
        int referenced = 0;
        for (const QJsonObject& request : all(QStringLiteral("/MedicationRequest?patient=") + m_patient)) {
            const QString reference = request.value(QStringLiteral("medicationReference"))
                                          .toObject()
                                          .value(QStringLiteral("reference"))
                                          .toString();
            if (reference.isEmpty())
                continue;
            const HttpReply medication = http.getBearer(url(QLatin1Char('/') + reference), m_access);
            QCOMPARE(medication.status, 200);
            QCOMPARE(medication.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("Medication"));
            QVERIFY(tokensOf(medication.json().value(QStringLiteral("code")))
                        .constFirst()
                        .startsWith(QLatin1String("http://www.nlm.nih.gov/research/umls/rxnorm|")));
            ++referenced;
        }
        QVERIFY(referenced > 0);
        // Medication is read by id only.
        QCOMPARE(http.getBearer(url(QStringLiteral("/Medication?patient=") + m_patient), m_access).status, 400);
    }

    void documentAndBinary()
    {
        SandboxHttp http(m_sandbox);
        const QList<QJsonObject> documents = all(QStringLiteral("/DocumentReference?patient=") + m_patient);
        QVERIFY(!documents.isEmpty());
        for (const QJsonObject& document : documents) {
            QCOMPARE(document.value(QStringLiteral("status")).toString(), QStringLiteral("current"));
            const QJsonObject attachment = document.value(QStringLiteral("content"))
                                               .toArray()
                                               .at(0)
                                               .toObject()
                                               .value(QStringLiteral("attachment"))
                                               .toObject();
            const QString binaryUrl = attachment.value(QStringLiteral("url")).toString();
            QVERIFY(binaryUrl.startsWith(QLatin1String("Binary/")));
            const HttpReply binary = http.getBearer(url(QLatin1Char('/') + binaryUrl), m_access);
            QCOMPARE(binary.status, 200);
            QCOMPARE(binary.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("Binary"));
            const QByteArray text
                = QByteArray::fromBase64(binary.json().value(QStringLiteral("data")).toString().toLatin1());
            QCOMPARE(text.size(), attachment.value(QStringLiteral("size")).toInteger());
            // Asked for the content type itself, the server sends the raw bytes.
            const HttpReply raw = http.get(url(QLatin1Char('/') + binaryUrl),
                { { "Authorization", "Bearer " + m_access.toLatin1() }, { "Accept", "text/plain" } });
            QCOMPARE(raw.status, 200);
            QCOMPARE(raw.body, text);
            QVERIFY(raw.header("content-type").startsWith("text/plain"));
        }
    }

    void coverageByBeneficiary()
    {
        QCOMPARE(all(QStringLiteral("/Coverage?beneficiary=Patient/") + m_patient).size(),
            all(QStringLiteral("/Coverage?patient=") + m_patient).size());
        QVERIFY(!all(QStringLiteral("/Coverage?patient=") + m_patient).isEmpty());
    }

    void observationByCategory_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("category");
        QTest::newRow("bare code") << "laboratory"
                                   << "laboratory";
        QTest::newRow("system|code") << "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs"
                                     << "vital-signs";
    }

    void observationByCategory()
    {
        QFETCH(QString, value);
        QFETCH(QString, category);
        const QList<QJsonObject> found = all(QStringLiteral("/Observation?patient=%1&_count=500&category=%2")
                                                 .arg(m_patient, QString::fromLatin1(QUrl::toPercentEncoding(value))));
        int expected = 0;
        for (const QJsonObject& observation : std::as_const(m_observations))
            expected += tokensOf(observation.value(QStringLiteral("category")))
                            .contains(QStringLiteral("http://terminology.hl7.org/CodeSystem/observation-category|")
                                + category)
                ? 1
                : 0;
        QVERIFY(expected > 0);
        QCOMPARE(found.size(), expected);
        for (const QJsonObject& observation : found)
            QVERIFY(tokensOf(observation.value(QStringLiteral("category"))).join(QLatin1Char(' ')).contains(category));
    }

    void observationByCode_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("matching"); // tokens that match
        QTest::newRow("system|code") << "http://loinc.org|8867-4" << QStringList { "http://loinc.org|8867-4" };
        QTest::newRow("bare code") << "29463-7" << QStringList { "http://loinc.org|29463-7" };
        QTest::newRow("either of two") << "http://loinc.org|8867-4,85354-9"
                                       << QStringList { "http://loinc.org|8867-4", "http://loinc.org|85354-9" };
        QTest::newRow("no system") << "|8867-4" << QStringList {};
        QTest::newRow("another system") << "http://snomed.info/sct|8867-4" << QStringList {};
    }

    void observationByCode()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, matching);
        const QList<QJsonObject> found = all(QStringLiteral("/Observation?patient=%1&_count=500&code=%2")
                                                 .arg(m_patient, QString::fromLatin1(QUrl::toPercentEncoding(value))));
        QSet<QString> expected;
        for (const QJsonObject& observation : std::as_const(m_observations)) {
            for (const QString& token : tokensOf(observation.value(QStringLiteral("code")))) {
                if (matching.contains(token))
                    expected.insert(observation.value(QStringLiteral("id")).toString());
            }
        }
        QSet<QString> got;
        for (const QJsonObject& observation : found)
            got.insert(observation.value(QStringLiteral("id")).toString());
        QCOMPARE(got, expected);
        QCOMPARE(found.size(), got.size());
        if (!matching.isEmpty())
            QVERIFY(!got.isEmpty());
    }

    void observationByDate_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("relation"); // which observations match, relative to the pivot
        // relation: 0 = same second, 1 = after, 2 = at or after, 3 = before, 4 = at or before, 5 = not at
        QTest::newRow("eq") << "eq" << 0;
        QTest::newRow("no prefix") << "" << 0;
        QTest::newRow("gt") << "gt" << 1;
        QTest::newRow("ge") << "ge" << 2;
        QTest::newRow("lt") << "lt" << 3;
        QTest::newRow("le") << "le" << 4;
        QTest::newRow("ne") << "ne" << 5;
    }

    void observationByDate()
    {
        QFETCH(QString, query);
        QFETCH(int, relation);
        const QJsonObject pivotObservation = m_observations.at(m_observations.size() / 2);
        const QString pivotText = pivotObservation.value(QStringLiteral("effectiveDateTime")).toString();
        const qint64 pivot = effectiveMs(pivotObservation);
        const QList<QJsonObject> found
            = all(QStringLiteral("/Observation?patient=%1&_count=1000&date=%2")
                      .arg(m_patient, QString::fromLatin1(QUrl::toPercentEncoding(query + pivotText))));
        int expected = 0;
        for (const QJsonObject& observation : std::as_const(m_observations)) {
            const qint64 t = effectiveMs(observation);
            const bool same = t >= pivot && t < pivot + 1000;
            const bool match = relation == 0 ? same
                : relation == 1              ? t >= pivot + 1000
                : relation == 2              ? t >= pivot
                : relation == 3              ? t < pivot
                : relation == 4              ? t < pivot + 1000
                                             : !same;
            expected += match ? 1 : 0;
        }
        QCOMPARE(found.size(), expected);
    }

    void observationByDateRange()
    {
        // A year as a range: date=ge2019&date=lt2020-01-01 is everything in 2019.
        const QList<QJsonObject> found
            = all(QStringLiteral("/Observation?patient=%1&_count=1000&date=ge2019&date=lt2020-01-01").arg(m_patient));
        int expected = 0;
        for (const QJsonObject& observation : std::as_const(m_observations))
            expected += QDateTime::fromMSecsSinceEpoch(effectiveMs(observation), Qt::UTC).date().year() == 2019 ? 1 : 0;
        QCOMPARE(found.size(), expected);
        QCOMPARE(all(QStringLiteral("/Observation?patient=%1&_count=1000&date=2019").arg(m_patient)).size(), expected);
    }

    void badSearchParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("unknown date prefix") << "date=xx2019-01-01";
        QTest::newRow("not a date") << "date=yesterday";
        QTest::newRow("empty code") << "code=";
        QTest::newRow("unknown sort") << "_sort=value";
        QTest::newRow("two sorts") << "_sort=date&_sort=-date";
    }

    void badSearchParameters()
    {
        QFETCH(QString, query);
        SandboxHttp http(m_sandbox);
        const HttpReply reply
            = http.getBearer(url(QStringLiteral("/Observation?patient=%1&%2").arg(m_patient, query)), m_access);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("OperationOutcome"));
    }

    void sort_data()
    {
        QTest::addColumn<QString>("sort");
        QTest::newRow("_lastUpdated") << "_lastUpdated";
        QTest::newRow("-_lastUpdated") << "-_lastUpdated";
        QTest::newRow("date") << "date";
        QTest::newRow("-date") << "-date";
    }

    void sort()
    {
        QFETCH(QString, sort);
        // Small pages, so the order must hold across `next` links too.
        const QList<QJsonObject> found
            = all(QStringLiteral("/Observation?patient=%1&_count=40&_sort=%2").arg(m_patient, sort));
        QCOMPARE(found.size(), m_observations.size());
        const bool descending = sort.startsWith(QLatin1Char('-'));
        const bool byDate = sort.endsWith(QLatin1String("date"));
        for (qsizetype i = 1; i < found.size(); ++i) {
            const qint64 a = byDate ? effectiveMs(found.at(i - 1))
                                    : QDateTime::fromString(found.at(i - 1)
                                                                .value(QStringLiteral("meta"))
                                                                .toObject()
                                                                .value(QStringLiteral("lastUpdated"))
                                                                .toString(),
                                        Qt::ISODateWithMs)
                                          .toMSecsSinceEpoch();
            const qint64 b = byDate ? effectiveMs(found.at(i))
                                    : QDateTime::fromString(found.at(i)
                                                                .value(QStringLiteral("meta"))
                                                                .toObject()
                                                                .value(QStringLiteral("lastUpdated"))
                                                                .toString(),
                                        Qt::ISODateWithMs)
                                          .toMSecsSinceEpoch();
            QVERIFY2(descending ? a >= b : a <= b, qPrintable(QStringLiteral("out of order at %1").arg(i)));
        }
    }

    void etag()
    {
        SandboxHttp http(m_sandbox);
        const QString id = m_observations.constFirst().value(QStringLiteral("id")).toString();
        const QUrl resourceUrl = url(QStringLiteral("/Observation/") + id);
        const HttpReply first = http.getBearer(resourceUrl, m_access);
        QCOMPARE(first.status, 200);
        const QByteArray version = first.json()
                                       .value(QStringLiteral("meta"))
                                       .toObject()
                                       .value(QStringLiteral("versionId"))
                                       .toString()
                                       .toLatin1();
        QCOMPARE(first.header("etag"), QByteArray("W/\"" + version + '"'));
        const QList<QPair<QByteArray, QByteArray>> bearer { { "Authorization", "Bearer " + m_access.toLatin1() } };
        HttpReply conditional = http.get(
            resourceUrl, bearer + QList<QPair<QByteArray, QByteArray>> { { "If-None-Match", first.header("etag") } });
        QCOMPARE(conditional.status, 304);
        QVERIFY(conditional.body.isEmpty());

        // A new version: a new ETag, and the old one no longer matches.
        QJsonObject changed = first.json();
        changed.insert(QStringLiteral("status"), QStringLiteral("amended"));
        const HttpAnswer stored = httpRequest("POST",
            QUrl(m_sandbox.adminBase().toString() + QStringLiteral("/patients/%1/resources").arg(m_patient)),
            QJsonDocument(changed).toJson());
        QCOMPARE(stored.status, 200);
        const HttpReply second = http.getBearer(resourceUrl, m_access);
        QCOMPARE(second.header("etag"), QByteArray("W/\"" + QByteArray::number(version.toInt() + 1) + '"'));
        conditional = http.get(
            resourceUrl, bearer + QList<QPair<QByteArray, QByteArray>> { { "If-None-Match", first.header("etag") } });
        QCOMPARE(conditional.status, 200);
        QCOMPARE(conditional.json().value(QStringLiteral("status")).toString(), QStringLiteral("amended"));
        m_observations = all(QStringLiteral("/Observation?patient=%1&_count=1000").arg(m_patient));
    }

    void everythingIsTheUnionOfSearches_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("query");
        QTest::newRow("all, v2") << "launch/patient patient/*.rs"
                                 << "_count=97";
        QTest::newRow("all, v1") << "launch/patient patient/*.read"
                                 << "_count=250";
        QTest::newRow("some types") << "launch/patient patient/Observation.rs patient/Condition.rs patient/Goal.rs"
                                    << "_count=33";
        QTest::newRow("read without search") << "launch/patient patient/Patient.r patient/Device.rs patient/CarePlan.rs"
                                             << "_count=5";
        QTest::newRow("_type") << "launch/patient patient/*.rs"
                               << "_type=Observation,Condition&_type=Patient&_count=100";
        QTest::newRow("_type beyond scope") << "launch/patient patient/Observation.rs"
                                            << "_type=Observation,Condition&_count=100";
    }

    void everythingIsTheUnionOfSearches()
    {
        QFETCH(QString, scope);
        QFETCH(QString, query);
        SandboxHttp http(m_sandbox);
        const QString token = http.login(scope).value(QStringLiteral("access_token")).toString();
        QVERIFY(!token.isEmpty());
        QStringList types = kSearchable;
        if (query.contains(QLatin1String("_type="))) {
            QStringList wanted;
            for (const QString& part : query.split(QLatin1Char('&'))) {
                if (part.startsWith(QLatin1String("_type=")))
                    wanted += part.mid(6).split(QLatin1Char(','));
            }
            types = wanted;
        }
        // The union of what each search this token may run returns.
        QStringList expected;
        for (const QString& type : std::as_const(types)) {
            const QString path = type == QLatin1String("Patient")
                ? QStringLiteral("/Patient")
                : QStringLiteral("/%1?patient=%2&_count=1000").arg(type, m_patient);
            const HttpReply probe = http.getBearer(url(path), token);
            if (probe.status == 403)
                continue;
            QCOMPARE(probe.status, 200);
            expected += keysOf(all(path, token));
        }
        int total = -1;
        QString error;
        const QStringList got = keysOf(http.searchAll(
            url(QStringLiteral("/Patient/%1/$everything?%2").arg(m_patient, query)), token, &total, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(total, got.size());
        QCOMPARE(QSet<QString>(got.cbegin(), got.cend()).size(), got.size()); // no duplicates
        QStringList sortedGot = got;
        QStringList sortedExpected = expected;
        sortedGot.sort();
        sortedExpected.sort();
        QCOMPARE(sortedGot, sortedExpected);
        QVERIFY(!got.isEmpty());
    }

    // category:not= matches what has none of the codes, records without a category included (FHIR R4 3.1.1.5.5):
    // the rest of Observation beside its category searches.
    void categoryNot()
    {
        const auto hasCategory = [](const QJsonObject& o, const QString& code) {
            for (const QJsonValue category : o.value(QStringLiteral("category")).toArray())
                for (const QJsonValue coding : category.toObject().value(QStringLiteral("coding")).toArray())
                    if (coding.toObject().value(QStringLiteral("code")).toString() == code)
                        return true;
            return false;
        };
        QStringList expected;
        for (const QJsonObject& o : std::as_const(m_observations))
            if (!hasCategory(o, QStringLiteral("laboratory")) && !hasCategory(o, QStringLiteral("vital-signs")))
                expected << o.value(QStringLiteral("id")).toString();
        QStringList vitalsOrOther;
        for (const QJsonObject& o : std::as_const(m_observations))
            if (!hasCategory(o, QStringLiteral("laboratory")))
                vitalsOrOther << o.value(QStringLiteral("id")).toString();
        const auto ids = [](const QList<QJsonObject>& found) {
            QStringList out;
            for (const QJsonObject& o : found)
                out << o.value(QStringLiteral("id")).toString();
            out.sort();
            return out;
        };
        expected.sort();
        vitalsOrOther.sort();
        QVERIFY(vitalsOrOther.size() > expected.size());
        QCOMPARE(ids(all(QStringLiteral("/Observation?patient=%1&_count=1000&category:not=laboratory").arg(m_patient))),
            vitalsOrOther);
        QCOMPARE(ids(all(QStringLiteral("/Observation?patient=%1&_count=1000&category:not=laboratory&category:not="
                                        "vital-signs")
                             .arg(m_patient))),
            expected);
    }

    // _type=Medication: the Medications the patient's requests name (as real servers' $everything brings them),
    // each once, beside the types named with it.
    void everythingBringsTheMedicationsNamed()
    {
        QStringList named;
        for (const QJsonObject& request : all(QStringLiteral("/MedicationRequest?patient=") + m_patient)) {
            const QString reference = request.value(QStringLiteral("medicationReference"))
                                          .toObject()
                                          .value(QStringLiteral("reference"))
                                          .toString();
            if (!reference.isEmpty() && !named.contains(reference))
                named << reference;
        }
        QVERIFY(named.size() >= 2);
        SandboxHttp http(m_sandbox);
        int total = -1;
        QString error;
        QStringList got = keysOf(http.searchAll(
            url(QStringLiteral("/Patient/%1/$everything?_type=Medication,Condition&_count=7").arg(m_patient)), m_access,
            &total, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList medications = got.filter(QRegularExpression(QStringLiteral("^Medication/")));
        medications.sort();
        named.sort();
        QCOMPARE(medications, named);
        QCOMPARE(got.size() - medications.size(),
            qsizetype(all(QStringLiteral("/Condition?patient=%1&_count=1000").arg(m_patient)).size()));
    }

    void everythingSince()
    {
        SandboxHttp http(m_sandbox);
        const QString since = m_observations.at(m_observations.size() / 2)
                                  .value(QStringLiteral("meta"))
                                  .toObject()
                                  .value(QStringLiteral("lastUpdated"))
                                  .toString();
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(since));
        QStringList expected;
        for (const QString& type : kSearchable) {
            const QString path = type == QLatin1String("Patient")
                ? QStringLiteral("/Patient?_lastUpdated=ge") + encoded
                : QStringLiteral("/%1?patient=%2&_count=1000&_lastUpdated=ge%3").arg(type, m_patient, encoded);
            expected += keysOf(all(path));
        }
        QStringList got
            = keysOf(all(QStringLiteral("/Patient/%1/$everything?_since=%2&_count=200").arg(m_patient, encoded)));
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
        QVERIFY(!got.isEmpty());
        QVERIFY(got.size() < 600);
    }

    void everythingRefusals()
    {
        SandboxHttp http(m_sandbox);
        QCOMPARE(http.getBearer(url(QStringLiteral("/Patient/someone-else/$everything")), m_access).status, 403);
        QCOMPARE(
            http.getBearer(url(QStringLiteral("/Patient/%1/$everything?_type=Binary").arg(m_patient)), m_access).status,
            400);
        QCOMPARE(
            http.getBearer(url(QStringLiteral("/Patient/%1/$everything?_since=soon").arg(m_patient)), m_access).status,
            400);
        QCOMPARE(http.getBearer(url(QStringLiteral("/Patient/%1/$everything").arg(m_patient)), QStringLiteral("nope"))
                     .status,
            401);
        const QString readOnly = http.login(QStringLiteral("launch/patient patient/Patient.r"))
                                     .value(QStringLiteral("access_token"))
                                     .toString();
        QCOMPARE(http.getBearer(url(QStringLiteral("/Patient/%1/$everything").arg(m_patient)), readOnly).status, 403);
        // _count=0: the total only.
        const HttpReply counted
            = http.getBearer(url(QStringLiteral("/Patient/%1/$everything?_count=0").arg(m_patient)), m_access);
        QCOMPARE(counted.status, 200);
        QVERIFY(counted.json().value(QStringLiteral("total")).toInt() > 500);
        QVERIFY(!counted.json().contains(QStringLiteral("entry")));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxSearch)
#include "tst_SandboxSearch.moc"
