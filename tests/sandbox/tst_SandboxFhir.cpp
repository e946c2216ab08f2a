// The FHIR core behind the bearer token: authentication, scope and patient
// compartment enforcement, the shape of the synthetic data, searchset Bundles,
// stable paging and _lastUpdated.

#include "SandboxHttp.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace ondevice::testing;

namespace {

const QStringList kTypes { "Observation", "Condition", "MedicationRequest", "AllergyIntolerance", "Immunization",
    "Procedure", "DiagnosticReport", "Encounter", "DocumentReference", "CarePlan", "Goal", "CareTeam", "Device",
    "Coverage" };

QStringList codesOf(const QJsonObject& codeable, const QString& system)
{
    QStringList codes;
    for (const QJsonValue& coding : codeable.value(QStringLiteral("coding")).toArray()) {
        if (coding.toObject().value(QStringLiteral("system")).toString() == system)
            codes.append(coding.toObject().value(QStringLiteral("code")).toString());
    }
    return codes;
}

} // namespace

class tst_SandboxFhir : public QObject {
    Q_OBJECT

    SandboxProcess m_sandbox;
    QString m_access;
    QString m_patient;

    QUrl url(const QString& path) const { return QUrl(m_sandbox.fhirBase().toString() + path); }

    // Every entry of a search, following `next` links; fails on a bad page.
    QList<QJsonObject> searchAll(SandboxHttp& http, const QString& path, int* total, int* pages = nullptr)
    {
        QList<QJsonObject> resources;
        QUrl next = url(path);
        int n = 0;
        while (next.isValid() && n < 1000) {
            const HttpReply reply = http.getBearer(next, m_access);
            if (reply.status != 200)
                return {};
            const QJsonObject bundle = reply.json();
            *total = bundle.value(QStringLiteral("total")).toInt(-1);
            for (const QJsonValue& entry : bundle.value(QStringLiteral("entry")).toArray())
                resources.append(entry.toObject().value(QStringLiteral("resource")).toObject());
            next = QUrl();
            for (const QJsonValue& link : bundle.value(QStringLiteral("link")).toArray()) {
                if (link.toObject().value(QStringLiteral("relation")).toString() == QLatin1String("next"))
                    next = QUrl(link.toObject().value(QStringLiteral("url")).toString());
            }
            ++n;
        }
        if (pages)
            *pages = n;
        return resources;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"),
            QStringLiteral("--seed"), QStringLiteral("7") });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login();
        m_access = token.value(QStringLiteral("access_token")).toString();
        m_patient = token.value(QStringLiteral("patient")).toString();
        QVERIFY(!m_access.isEmpty());
    }

    void bearerIsRequired()
    {
        SandboxHttp http(m_sandbox);
        HttpReply reply = http.get(url(QStringLiteral("/Patient/") + m_patient));
        QCOMPARE(reply.status, 401);
        QVERIFY(reply.header("www-authenticate").startsWith("Bearer"));
        QCOMPARE(reply.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("OperationOutcome"));
        reply = http.getBearer(url(QStringLiteral("/Observation?patient=") + m_patient), QStringLiteral("not-a-token"));
        QCOMPARE(reply.status, 401);
        QVERIFY(reply.header("www-authenticate").contains("error=\"invalid_token\""));
        reply = http.get(url(QStringLiteral("/Patient/") + m_patient),
            { { "Authorization", "Basic " + QByteArray("a:b").toBase64() } });
        QCOMPARE(reply.status, 401);
    }

    void patientRead()
    {
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.getBearer(url(QStringLiteral("/Patient/") + m_patient), m_access);
        QCOMPARE(reply.status, 200);
        const QJsonObject patient = reply.json();
        QCOMPARE(patient.value(QStringLiteral("resourceType")).toString(), QStringLiteral("Patient"));
        QCOMPARE(patient.value(QStringLiteral("id")).toString(), m_patient);
        QCOMPARE(patient.value(QStringLiteral("meta")).toObject().value(QStringLiteral("versionId")).toString(),
            QStringLiteral("1"));
        QVERIFY(!patient.value(QStringLiteral("meta"))
                     .toObject()
                     .value(QStringLiteral("lastUpdated"))
                     .toString()
                     .isEmpty());
        const QJsonObject name = patient.value(QStringLiteral("name")).toArray().at(0).toObject();
        QVERIFY(!name.value(QStringLiteral("family")).toString().isEmpty());
        QVERIFY(!name.value(QStringLiteral("given")).toArray().isEmpty());
        QVERIFY(QDate::fromString(patient.value(QStringLiteral("birthDate")).toString(), Qt::ISODate).isValid());

        int total = 0;
        const QList<QJsonObject> found = searchAll(http, QStringLiteral("/Patient"), &total);
        QCOMPARE(total, 1);
        QCOMPARE(found.at(0).value(QStringLiteral("id")).toString(), m_patient);
    }

    void otherPatientIsForbidden()
    {
        SandboxHttp http(m_sandbox);
        // The consent page lists the patients; any other id is another patient.
        SandboxProcess plain;
        QVERIFY(plain.start({ QStringLiteral("--seed"), QStringLiteral("7") }).isEmpty());
        SandboxHttp plainHttp(plain);
        const QString html = QString::fromUtf8(plainHttp
                                                   .authorize(plainHttp.authorizeParams(SandboxHttp::defaultScope(),
                                                       SandboxHttp::challengeFor(SandboxHttp::newVerifier())))
                                                   .body);
        QStringList ids;
        auto it = QRegularExpression(QStringLiteral("name=\"patient\" value=\"([^\"]+)\"")).globalMatch(html);
        while (it.hasNext())
            ids.append(it.next().captured(1));
        QCOMPARE(ids.size(), 3);
        QCOMPARE(ids.at(0), m_patient); // the same seed gives the same patients
        const QString other = ids.at(1);

        const QStringList paths { QString(QStringLiteral("/Patient/") + other),
            QString(QStringLiteral("/Observation?patient=") + other),
            QString(QStringLiteral("/Condition?patient=Patient/") + other),
            QString(QStringLiteral("/Patient?_id=") + other) };
        for (const QString& path : paths) {
            const HttpReply reply = http.getBearer(url(path), m_access);
            QVERIFY2(reply.status == 403, qPrintable(path));
            QCOMPARE(reply.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("OperationOutcome"));
        }
        // A resource of another patient read by id is 403 too.
        int total = 0;
        const QList<QJsonObject> mine = searchAll(http, QStringLiteral("/Encounter?patient=") + m_patient, &total);
        QVERIFY(!mine.isEmpty());
        QCOMPARE(http.getBearer(url(QStringLiteral("/Encounter/") + mine.at(0).value(QStringLiteral("id")).toString()),
                         m_access)
                     .status,
            200);
        QCOMPARE(http.getBearer(url(QStringLiteral("/Encounter/does-not-exist")), m_access).status, 404);
    }

    void searchEveryType_data()
    {
        QTest::addColumn<QString>("type");
        for (const QString& type : kTypes)
            QTest::newRow(qPrintable(type)) << type;
    }

    void searchEveryType()
    {
        QFETCH(QString, type);
        SandboxHttp http(m_sandbox);
        int total = 0;
        const QList<QJsonObject> resources
            = searchAll(http, QStringLiteral("/%1?patient=%2&_count=1000").arg(type, m_patient), &total);
        QVERIFY(total > 0);
        QCOMPARE(resources.size(), total);
        const QString compartment = type == QLatin1String("Immunization") || type == QLatin1String("AllergyIntolerance")
                || type == QLatin1String("Device")
            ? QStringLiteral("patient")
            : type == QLatin1String("Coverage") ? QStringLiteral("beneficiary")
                                                : QStringLiteral("subject");
        for (const QJsonObject& resource : resources) {
            QCOMPARE(resource.value(QStringLiteral("resourceType")).toString(), type);
            QVERIFY(!resource.value(QStringLiteral("id")).toString().isEmpty());
            const QJsonObject meta = resource.value(QStringLiteral("meta")).toObject();
            QVERIFY(!meta.value(QStringLiteral("versionId")).toString().isEmpty());
            QVERIFY(QDateTime::fromString(meta.value(QStringLiteral("lastUpdated")).toString(), Qt::ISODateWithMs)
                        .isValid());
            QCOMPARE(resource.value(compartment).toObject().value(QStringLiteral("reference")).toString(),
                QString(QStringLiteral("Patient/") + m_patient));
        }
        // Read one back by id.
        const QString id = resources.at(0).value(QStringLiteral("id")).toString();
        const HttpReply read = http.getBearer(url(QStringLiteral("/%1/%2").arg(type, id)), m_access);
        QCOMPARE(read.status, 200);
        QCOMPARE(read.json(), resources.at(0));
    }

    // The data looks like Synthea's: codes, units, components, ranges, years.
    void dataIsShapedLikeSynthea()
    {
        SandboxHttp http(m_sandbox);
        int total = 0;
        const QList<QJsonObject> observations
            = searchAll(http, QStringLiteral("/Observation?patient=%1&_count=1000").arg(m_patient), &total);
        bool bloodPressure = false, vital = false, lab = false;
        for (const QJsonObject& obs : observations) {
            const QStringList loinc
                = codesOf(obs.value(QStringLiteral("code")).toObject(), QStringLiteral("http://loinc.org"));
            QVERIFY(!loinc.isEmpty());
            if (loinc.contains(QStringLiteral("85354-9"))) {
                QStringList components;
                for (const QJsonValue& c : obs.value(QStringLiteral("component")).toArray()) {
                    components += codesOf(
                        c.toObject().value(QStringLiteral("code")).toObject(), QStringLiteral("http://loinc.org"));
                    QCOMPARE(c.toObject()
                                 .value(QStringLiteral("valueQuantity"))
                                 .toObject()
                                 .value(QStringLiteral("code"))
                                 .toString(),
                        QStringLiteral("mm[Hg]"));
                }
                components.sort();
                QCOMPARE(components, (QStringList { "8462-4", "8480-6" }));
                bloodPressure = true;
            } else {
                const QJsonObject quantity = obs.value(QStringLiteral("valueQuantity")).toObject();
                QCOMPARE(
                    quantity.value(QStringLiteral("system")).toString(), QStringLiteral("http://unitsofmeasure.org"));
                QVERIFY(quantity.value(QStringLiteral("value")).isDouble());
            }
            const QString category = obs.value(QStringLiteral("category"))
                                         .toArray()
                                         .at(0)
                                         .toObject()
                                         .value(QStringLiteral("coding"))
                                         .toArray()
                                         .at(0)
                                         .toObject()
                                         .value(QStringLiteral("code"))
                                         .toString();
            if (category == QLatin1String("laboratory")) {
                QVERIFY(!obs.value(QStringLiteral("referenceRange")).toArray().isEmpty());
                QVERIFY(!obs.value(QStringLiteral("interpretation")).toArray().isEmpty());
                lab = true;
            } else {
                QCOMPARE(category, QStringLiteral("vital-signs"));
                vital = true;
            }
        }
        QVERIFY(bloodPressure && vital && lab);

        for (const QJsonObject& condition :
            searchAll(http, QStringLiteral("/Condition?patient=%1&_count=1000").arg(m_patient), &total)) {
            QVERIFY(
                !codesOf(condition.value(QStringLiteral("code")).toObject(), QStringLiteral("http://snomed.info/sct"))
                     .isEmpty());
            QVERIFY(condition.contains(QStringLiteral("clinicalStatus")));
        }
        // A medicationCodeableConcept (Synthea) or a reference to a shared Medication (Epic).
        for (const QJsonObject& request :
            searchAll(http, QStringLiteral("/MedicationRequest?patient=%1&_count=1000").arg(m_patient), &total)) {
            const bool coded = !codesOf(request.value(QStringLiteral("medicationCodeableConcept")).toObject(),
                QStringLiteral("http://www.nlm.nih.gov/research/umls/rxnorm"))
                                    .isEmpty();
            const bool referenced = request.value(QStringLiteral("medicationReference"))
                                        .toObject()
                                        .value(QStringLiteral("reference"))
                                        .toString()
                                        .startsWith(QLatin1String("Medication/"));
            QVERIFY(coded != referenced);
        }
        for (const QJsonObject& immunization :
            searchAll(http, QStringLiteral("/Immunization?patient=%1&_count=1000").arg(m_patient), &total))
            QVERIFY(!codesOf(immunization.value(QStringLiteral("vaccineCode")).toObject(),
                QStringLiteral("http://hl7.org/fhir/sid/cvx"))
                         .isEmpty());
        QSet<int> years;
        for (const QJsonObject& encounter :
            searchAll(http, QStringLiteral("/Encounter?patient=%1&_count=1000").arg(m_patient), &total))
            years.insert(QDateTime::fromString(
                encounter.value(QStringLiteral("period")).toObject().value(QStringLiteral("start")).toString(),
                Qt::ISODate)
                             .date()
                             .year());
        QVERIFY2(years.size() >= 3, "encounters spread over years");
    }

    void sameSeedSameData()
    {
        SandboxProcess a, b, c;
        QVERIFY(a.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--seed"),
                            QStringLiteral("99") })
                    .isEmpty());
        QVERIFY(b.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--seed"),
                            QStringLiteral("99") })
                    .isEmpty());
        QVERIFY(c.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--seed"),
                            QStringLiteral("100") })
                    .isEmpty());
        auto firstPage = [](SandboxProcess& sandbox) {
            SandboxHttp http(sandbox);
            const QJsonObject token = http.login();
            const QString patient = token.value(QStringLiteral("patient")).toString();
            const HttpReply reply
                = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=") + patient),
                    token.value(QStringLiteral("access_token")).toString());
            return QPair<QString, QJsonArray>(patient, reply.json().value(QStringLiteral("entry")).toArray());
        };
        const auto pa = firstPage(a);
        const auto pb = firstPage(b);
        const auto pc = firstPage(c);
        QCOMPARE(pa.first, pb.first);
        QVERIFY(!pa.second.isEmpty());
        for (qsizetype i = 0; i < pa.second.size(); ++i)
            QCOMPARE(pa.second.at(i).toObject().value(QStringLiteral("resource")),
                pb.second.at(i).toObject().value(QStringLiteral("resource")));
        QVERIFY(pa.first != pc.first);
    }

    void scopeEnforcement_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("searchStatus");
        QTest::addColumn<int>("readStatus");
        QTest::newRow("v2 all") << "patient/*.rs"
                                << "Condition" << 200 << 200;
        QTest::newRow("v1 all") << "patient/*.read"
                                << "Immunization" << 200 << 200;
        QTest::newRow("v1 wildcard permission") << "patient/Observation.*"
                                                << "Observation" << 200 << 200;
        QTest::newRow("v2 type") << "patient/Observation.rs"
                                 << "Observation" << 200 << 200;
        QTest::newRow("v2 other type") << "patient/Observation.rs"
                                       << "Condition" << 403 << 403;
        QTest::newRow("v1 type") << "patient/Condition.read"
                                 << "Condition" << 200 << 200;
        QTest::newRow("v1 other type") << "patient/Condition.read"
                                       << "Encounter" << 403 << 403;
        QTest::newRow("read only") << "patient/Procedure.r"
                                   << "Procedure" << 403 << 200;
        QTest::newRow("search only") << "patient/Procedure.s"
                                     << "Procedure" << 200 << 403;
        QTest::newRow("v2 with category")
            << "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory"
            << "Observation" << 200 << 200;
        QTest::newRow("write only") << "patient/Observation.write"
                                    << "Observation" << 403 << 403;
        QTest::newRow("v2 create only") << "patient/Observation.c"
                                        << "Observation" << 403 << 403;
        QTest::newRow("no resource scope") << "openid fhirUser"
                                           << "Patient" << 403 << 403;
        QTest::newRow("Patient scope") << "patient/Patient.rs"
                                       << "Patient" << 200 << 200;
    }

    void scopeEnforcement()
    {
        QFETCH(QString, scope);
        QFETCH(QString, type);
        QFETCH(int, searchStatus);
        QFETCH(int, readStatus);
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login(QStringLiteral("launch/patient ") + scope);
        const QString access = token.value(QStringLiteral("access_token")).toString();
        QVERIFY(!access.isEmpty());
        const QString search = type == QLatin1String("Patient") ? QStringLiteral("/Patient")
                                                                : QStringLiteral("/%1?patient=%2").arg(type, m_patient);
        const HttpReply reply = http.getBearer(url(search), access);
        QCOMPARE(reply.status, searchStatus);
        if (searchStatus == 403)
            QCOMPARE(reply.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("OperationOutcome"));
        // An id to read, found with the full-scope token.
        int total = 0;
        const QList<QJsonObject> all
            = searchAll(http, type == QLatin1String("Patient") ? search : search + QStringLiteral("&_count=1"), &total);
        QVERIFY(!all.isEmpty());
        QCOMPARE(
            http.getBearer(
                    url(QStringLiteral("/%1/%2").arg(type, all.at(0).value(QStringLiteral("id")).toString())), access)
                .status,
            readStatus);
    }

    void searchRules_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("no patient") << "/Observation" << 400;
        QTest::newRow("subject instead of patient") << "/Observation?subject=Patient/{p}" << 200;
        QTest::newRow("absolute reference") << "/Observation?patient={base}/Patient/{p}" << 200;
        QTest::newRow("unknown parameter ignored") << "/Observation?patient={p}&code=1234-5" << 200;
        QTest::newRow("negative _count") << "/Observation?patient={p}&_count=-1" << 400;
        QTest::newRow("text _count") << "/Observation?patient={p}&_count=ten" << 400;
        QTest::newRow("bad _lastUpdated") << "/Observation?patient={p}&_lastUpdated=gt2020-13-45" << 400;
        QTest::newRow("bad prefix") << "/Observation?patient={p}&_lastUpdated=xx2020-01-01" << 400;
        QTest::newRow("time without zone") << "/Observation?patient={p}&_lastUpdated=gt2020-01-01T10:00:00" << 400;
        QTest::newRow("unknown type") << "/Basic?patient={p}" << 404;
        QTest::newRow("expired snapshot") << "/Observation?_getpages=nope&_offset=0&_count=5" << 410;
    }

    void searchRules()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        path.replace(QStringLiteral("{p}"), m_patient)
            .replace(QStringLiteral("{base}"), m_sandbox.fhirBase().toString());
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.getBearer(url(path), m_access);
        QCOMPARE(reply.status, status);
        if (status != 200)
            QCOMPARE(reply.json().value(QStringLiteral("resourceType")).toString(), QStringLiteral("OperationOutcome"));
    }

    void writesAreRefused()
    {
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.post(url(QStringLiteral("/Observation")), "{}", "application/fhir+json",
            { { "Authorization", "Bearer " + m_access.toLatin1() } });
        QCOMPARE(reply.status, 405);
    }

    void counts()
    {
        SandboxHttp http(m_sandbox);
        HttpReply reply = http.getBearer(url(QStringLiteral("/Observation?patient=") + m_patient), m_access);
        QJsonObject bundle = reply.json();
        QCOMPARE(bundle.value(QStringLiteral("type")).toString(), QStringLiteral("searchset"));
        const int total = bundle.value(QStringLiteral("total")).toInt();
        QVERIFY(total > 50);
        QCOMPARE(bundle.value(QStringLiteral("entry")).toArray().size(), 50); // the default page

        reply = http.getBearer(url(QStringLiteral("/Observation?_count=0&patient=") + m_patient), m_access);
        bundle = reply.json();
        QCOMPARE(bundle.value(QStringLiteral("total")).toInt(), total);
        QVERIFY(bundle.value(QStringLiteral("entry")).toArray().isEmpty());

        reply = http.getBearer(url(QStringLiteral("/Observation?_count=5000&patient=") + m_patient), m_access);
        QCOMPARE(reply.json().value(QStringLiteral("entry")).toArray().size(), std::min(total, 1000));
    }

    void pagingIsCompleteAndStable()
    {
        SandboxHttp http(m_sandbox);
        int total = 0;
        int pages = 0;
        const QList<QJsonObject> all
            = searchAll(http, QStringLiteral("/Observation?patient=%1&_count=7").arg(m_patient), &total, &pages);
        QCOMPARE(all.size(), total);
        QCOMPARE(pages, (total + 6) / 7);
        QSet<QString> ids;
        for (const QJsonObject& r : all)
            ids.insert(r.value(QStringLiteral("id")).toString());
        QCOMPARE(ids.size(), total);

        // Start paging, change the data, finish paging: the pages still hold
        // exactly what matched at the start.
        HttpReply first
            = http.getBearer(url(QStringLiteral("/Observation?patient=%1&_count=7").arg(m_patient)), m_access);
        QJsonObject bundle = first.json();
        QUrl next;
        for (const QJsonValue& link : bundle.value(QStringLiteral("link")).toArray()) {
            if (link.toObject().value(QStringLiteral("relation")).toString() == QLatin1String("next"))
                next = QUrl(link.toObject().value(QStringLiteral("url")).toString());
        }
        // Absolute, on the FHIR base's origin.
        QCOMPARE(next.scheme(), m_sandbox.fhirBase().scheme());
        QCOMPARE(next.host(), m_sandbox.fhirBase().host());
        QCOMPARE(next.port(), m_sandbox.fhirBase().port());
        QVERIFY(next.path().startsWith(m_sandbox.fhirBase().path() + QLatin1Char('/')));

        const QJsonObject added { { "resourceType", "Observation" }, { "id", "added-during-paging" },
            { "status", "final" },
            { "code",
                QJsonObject { { "coding",
                    QJsonArray { QJsonObject { { "system", "http://loinc.org" }, { "code", "8867-4" } } } } } } };
        QCOMPARE(
            http.post(QUrl(m_sandbox.adminBase().toString() + QStringLiteral("/patients/%1/resources").arg(m_patient)),
                    QJsonDocument(added).toJson(), "application/json")
                .status,
            200);
        const QString updatedId = all.at(10).value(QStringLiteral("id")).toString();
        QJsonObject updated = all.at(10);
        updated.insert(QStringLiteral("status"), QStringLiteral("amended"));
        QCOMPARE(
            http.post(QUrl(m_sandbox.adminBase().toString() + QStringLiteral("/patients/%1/resources").arg(m_patient)),
                    QJsonDocument(updated).toJson(), "application/json")
                .status,
            200);

        QList<QJsonObject> paged;
        for (const QJsonValue& entry : bundle.value(QStringLiteral("entry")).toArray())
            paged.append(entry.toObject().value(QStringLiteral("resource")).toObject());
        while (next.isValid()) {
            bundle = http.getBearer(next, m_access).json();
            QCOMPARE(bundle.value(QStringLiteral("total")).toInt(), total);
            for (const QJsonValue& entry : bundle.value(QStringLiteral("entry")).toArray())
                paged.append(entry.toObject().value(QStringLiteral("resource")).toObject());
            next = QUrl();
            for (const QJsonValue& link : bundle.value(QStringLiteral("link")).toArray()) {
                if (link.toObject().value(QStringLiteral("relation")).toString() == QLatin1String("next"))
                    next = QUrl(link.toObject().value(QStringLiteral("url")).toString());
            }
        }
        QCOMPARE(paged.size(), total);
        QCOMPARE(paged, all);

        // A new search sees both changes: one more, and the update sorted last.
        int newTotal = 0;
        const QList<QJsonObject> after
            = searchAll(http, QStringLiteral("/Observation?patient=%1&_count=1000").arg(m_patient), &newTotal);
        QCOMPARE(newTotal, total + 1);
        QCOMPARE(after.constLast().value(QStringLiteral("id")).toString(), updatedId);
        QCOMPARE(
            after.constLast().value(QStringLiteral("meta")).toObject().value(QStringLiteral("versionId")).toString(),
            QStringLiteral("2"));
    }

    void lastUpdated_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::newRow("gt") << "gt";
        QTest::newRow("ge") << "ge";
        QTest::newRow("lt") << "lt";
        QTest::newRow("le") << "le";
        QTest::newRow("date only gt") << "gt-date";
        QTest::newRow("date only lt") << "lt-date";
        QTest::newRow("range") << "range";
    }

    void lastUpdated()
    {
        QFETCH(QString, prefix);
        SandboxHttp http(m_sandbox);
        int total = 0;
        const QList<QJsonObject> all
            = searchAll(http, QStringLiteral("/Condition?patient=%1&_count=1000").arg(m_patient), &total);
        QVERIFY(all.size() >= 4);
        auto stamp = [](const QJsonObject& r) {
            return QDateTime::fromString(
                r.value(QStringLiteral("meta")).toObject().value(QStringLiteral("lastUpdated")).toString(),
                Qt::ISODateWithMs);
        };
        const QDateTime pivot = stamp(all.at(all.size() / 2));
        const QDateTime low = stamp(all.at(1));
        QString query;
        std::function<bool(const QDateTime&)> expected;
        const QString instant = pivot.toString(Qt::ISODateWithMs);
        const QDate day = pivot.date();
        if (prefix == QLatin1String("gt")) {
            query = QStringLiteral("gt") + instant;
            expected = [&](const QDateTime& t) { return t > pivot; };
        } else if (prefix == QLatin1String("ge")) {
            query = QStringLiteral("ge") + instant;
            expected = [&](const QDateTime& t) { return t >= pivot; };
        } else if (prefix == QLatin1String("lt")) {
            query = QStringLiteral("lt") + instant;
            expected = [&](const QDateTime& t) { return t < pivot; };
        } else if (prefix == QLatin1String("le")) {
            query = QStringLiteral("le") + instant;
            expected = [&](const QDateTime& t) { return t <= pivot; };
        } else if (prefix == QLatin1String("gt-date")) {
            query = QStringLiteral("gt") + day.toString(Qt::ISODate);
            expected = [&](const QDateTime& t) { return t.date() > day; };
        } else if (prefix == QLatin1String("lt-date")) {
            query = QStringLiteral("lt") + day.toString(Qt::ISODate);
            expected = [&](const QDateTime& t) { return t.date() < day; };
        } else {
            query
                = QStringLiteral("ge") + low.toString(Qt::ISODateWithMs) + QStringLiteral("&_lastUpdated=lt") + instant;
            expected = [&](const QDateTime& t) { return t >= low && t < pivot; };
        }
        QList<QJsonObject> wanted;
        for (const QJsonObject& r : all) {
            if (expected(stamp(r)))
                wanted.append(r);
        }
        QVERIFY(!wanted.isEmpty());
        const QList<QJsonObject> got = searchAll(http,
            QStringLiteral("/Condition?patient=%1&_count=3&_lastUpdated=%2")
                .arg(m_patient, QString::fromLatin1(QUrl::toPercentEncoding(query, "&=_"))),
            &total);
        QCOMPARE(total, wanted.size());
        QCOMPARE(got, wanted);
    }

    void bigDataStartsQuickly()
    {
        SandboxProcess big;
        const QString error
            = big.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--patients"),
                QStringLiteral("1"), QStringLiteral("--resources-per-patient"), QStringLiteral("10000") });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        SandboxHttp http(big);
        const QJsonObject token = http.login();
        const HttpReply reply = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?_count=0&patient=")
                                                   + token.value(QStringLiteral("patient")).toString()),
            token.value(QStringLiteral("access_token")).toString());
        QVERIFY(reply.json().value(QStringLiteral("total")).toInt() > 4500); // about half of the budget is Observations
    }
};

QTEST_GUILESS_MAIN(tst_SandboxFhir)
#include "tst_SandboxFhir.moc"
