// --load DIR: Synthea-shaped transaction Bundles and collection Bundles from
// files a user names; bad files give a clear error on stderr and exit code 2.

#include "SandboxHttp.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::testing;

namespace {

const QString kPatientUuid = QStringLiteral("983561b3-02dd-4227-88a7-835827bd9566");
const QString kEncounterUuid = QStringLiteral("b193c2b0-080c-48bd-9bf4-d1dae8ad15ea");

QJsonObject entry(const QString& uuid, const QJsonObject& resource, bool transaction)
{
    QJsonObject out { { QStringLiteral("fullUrl"), QString(QStringLiteral("urn:uuid:") + uuid) },
        { QStringLiteral("resource"), resource } };
    if (transaction)
        out.insert(QStringLiteral("request"),
            QJsonObject { { QStringLiteral("method"), QStringLiteral("POST") },
                { QStringLiteral("url"), resource.value(QStringLiteral("resourceType")) } });
    return out;
}

// Shaped like Synthea's patient bundles: urn:uuid references, Claim noise.
QJsonObject syntheaBundle()
{
    const QJsonObject subject { { QStringLiteral("reference"), QString(QStringLiteral("urn:uuid:") + kPatientUuid) } };
    const QJsonObject encounterRef { { QStringLiteral("reference"),
        QString(QStringLiteral("urn:uuid:") + kEncounterUuid) } };
    QJsonArray entries {
        entry(kPatientUuid,
            QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Patient") },
                { QStringLiteral("id"), kPatientUuid },
                { QStringLiteral("name"),
                    QJsonArray { QJsonObject { { QStringLiteral("family"), QStringLiteral("Toy") },
                        { QStringLiteral("given"), QJsonArray { QStringLiteral("Alexis") } } } } },
                { QStringLiteral("birthDate"), QStringLiteral("1966-07-22") } },
            true),
        entry(QStringLiteral("0b3c3c4a-1111-4a4a-9a9a-000000000001"),
            QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Organization") },
                { QStringLiteral("id"), QStringLiteral("0b3c3c4a-1111-4a4a-9a9a-000000000001") },
                { QStringLiteral("name"), QStringLiteral("CLINIC") } },
            true),
        entry(kEncounterUuid,
            QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Encounter") },
                { QStringLiteral("id"), kEncounterUuid }, { QStringLiteral("status"), QStringLiteral("finished") },
                { QStringLiteral("subject"), subject },
                { QStringLiteral("period"),
                    QJsonObject { { QStringLiteral("start"), QStringLiteral("2019-09-16T07:19:07+00:00") } } } },
            true),
        entry(QStringLiteral("7d1e6d8e-2222-4b4b-8b8b-000000000002"),
            QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Observation") },
                { QStringLiteral("id"), QStringLiteral("7d1e6d8e-2222-4b4b-8b8b-000000000002") },
                { QStringLiteral("status"), QStringLiteral("final") }, { QStringLiteral("subject"), subject },
                { QStringLiteral("encounter"), encounterRef },
                { QStringLiteral("code"),
                    QJsonObject { { QStringLiteral("coding"),
                        QJsonArray { QJsonObject { { QStringLiteral("system"), QStringLiteral("http://loinc.org") },
                            { QStringLiteral("code"), QStringLiteral("8302-2") } } } } } },
                { QStringLiteral("effectiveDateTime"), QStringLiteral("2019-09-16T07:19:07+00:00") },
                { QStringLiteral("valueQuantity"),
                    QJsonObject {
                        { QStringLiteral("value"), 170.1 }, { QStringLiteral("unit"), QStringLiteral("cm") } } } },
            true),
        entry(QStringLiteral("5c5c5c5c-3333-4c4c-8c8c-000000000003"),
            QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Claim") },
                { QStringLiteral("id"), QStringLiteral("5c5c5c5c-3333-4c4c-8c8c-000000000003") },
                { QStringLiteral("patient"), subject } },
            true),
    };
    return QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Bundle") },
        { QStringLiteral("type"), QStringLiteral("transaction") }, { QStringLiteral("entry"), entries } };
}

QJsonObject collectionBundle()
{
    return QJsonObject {
        { QStringLiteral("resourceType"), QStringLiteral("Bundle") },
        { QStringLiteral("type"), QStringLiteral("collection") },
        { QStringLiteral("entry"),
            QJsonArray {
                QJsonObject { { QStringLiteral("resource"),
                    QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Patient") },
                        { QStringLiteral("id"), QStringLiteral("child-1") },
                        { QStringLiteral("birthDate"), QStringLiteral("2015-03-01") },
                        { QStringLiteral("name"),
                            QJsonArray { QJsonObject { { QStringLiteral("family"), QStringLiteral("Toy") },
                                { QStringLiteral("given"), QJsonArray { QStringLiteral("Sam") } } } } } } } },
                QJsonObject { { QStringLiteral("resource"),
                    QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Immunization") },
                        { QStringLiteral("id"), QStringLiteral("imm-1") },
                        { QStringLiteral("status"), QStringLiteral("completed") },
                        { QStringLiteral("patient"),
                            QJsonObject { { QStringLiteral("reference"), QStringLiteral("Patient/child-1") } } },
                        { QStringLiteral("occurrenceDateTime"), QStringLiteral("2016-03-01") } } } },
            } },
    };
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class tst_SandboxLoad : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loadsBundles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a-synthea.json")), QJsonDocument(syntheaBundle()).toJson()));
        QVERIFY(
            writeFile(dir.filePath(QStringLiteral("b-collection.json")), QJsonDocument(collectionBundle()).toJson()));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("notes.txt")), "not a bundle, and not *.json"));

        SandboxProcess sandbox;
        const QString error
            = sandbox.start({ "--load", dir.path(), "--patients", "1", "--auto-approve", kPatientUuid });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(sandbox.standardError().contains("skipped unsupported types: 1 Claim, 1 Organization"));
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        QCOMPARE(token.value(QStringLiteral("patient")).toString(), kPatientUuid);
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QList<QJsonObject> observations
            = http.searchAll(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=") + kPatientUuid), access);
        QCOMPARE(observations.size(), 1);
        // urn:uuid references now name the resources.
        QCOMPARE(observations.at(0)
                     .value(QStringLiteral("subject"))
                     .toObject()
                     .value(QStringLiteral("reference"))
                     .toString(),
            QString(QStringLiteral("Patient/") + kPatientUuid));
        QCOMPARE(observations.at(0)
                     .value(QStringLiteral("encounter"))
                     .toObject()
                     .value(QStringLiteral("reference"))
                     .toString(),
            QString(QStringLiteral("Encounter/") + kEncounterUuid));
        QCOMPARE(
            observations.at(0).value(QStringLiteral("meta")).toObject().value(QStringLiteral("versionId")).toString(),
            QStringLiteral("1"));
        QCOMPARE(
            http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Encounter/") + kEncounterUuid), access).status, 200);
        QCOMPARE(http.getBearer(
                         QUrl(http.fhirBase() + QStringLiteral("/Claim/5c5c5c5c-3333-4c4c-8c8c-000000000003")), access)
                     .status,
            404);
        // The second file's patient is another compartment.
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Immunization?patient=child-1")), access).status,
            403);

        // Without --auto-approve the loaded patients are on the consent page, after the generated one.
        SandboxProcess plain;
        QVERIFY(plain.start({ "--load", dir.path(), "--patients", "1" }).isEmpty());
        SandboxHttp plainHttp(plain);
        const QString html = QString::fromUtf8(plainHttp
                                                   .authorize(plainHttp.authorizeParams(SandboxHttp::defaultScope(),
                                                       SandboxHttp::challengeFor(SandboxHttp::newVerifier())))
                                                   .body);
        QVERIFY(html.contains(QStringLiteral("Alexis Toy")));
        QVERIFY(html.contains(QStringLiteral("Sam Toy")));
        QVERIFY(html.contains(QStringLiteral("22 July 1966")));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content"); // empty: no file at all
        QTest::addColumn<QString>("message");
        QJsonObject dangling = collectionBundle();
        QJsonArray entries = dangling.value(QStringLiteral("entry")).toArray();
        entries.removeFirst();
        dangling.insert(QStringLiteral("entry"), entries);
        QJsonObject searchset = collectionBundle();
        searchset.insert(QStringLiteral("type"), QStringLiteral("searchset"));
        QTest::newRow("not JSON") << QByteArray("{\"resourceType\": \"Bundle\",") << "bad.json: not JSON";
        QTest::newRow("not a Bundle") << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"x\"}")
                                      << "bad.json: not a FHIR Bundle";
        QTest::newRow("searchset") << QJsonDocument(searchset).toJson()
                                   << "bad.json: Bundle.type must be collection or transaction";
        QTest::newRow("dangling patient")
            << QJsonDocument(dangling).toJson() << "bad.json: entry 0: Immunization/imm-1 points at Patient/child-1";
        QTest::newRow("no entries") << QByteArray("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")
                                    << "bad.json: the Bundle has no entries";
        QTest::newRow("empty directory") << QByteArray() << "no *.json files";
    }

    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir dir;
        // A good file next to the bad one: nothing is served, the start fails.
        if (!content.isEmpty()) {
            QVERIFY(writeFile(dir.filePath(QStringLiteral("a-good.json")), QJsonDocument(syntheaBundle()).toJson()));
            QVERIFY(writeFile(dir.filePath(QStringLiteral("bad.json")), content));
        }
        QProcess process;
        process.start(SandboxProcess::executable(), { "--port", "0", "--load", dir.path() });
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardOutput().isEmpty());
        const QString stderrText = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(
            stderrText.contains(QStringLiteral("--load: ")) && stderrText.contains(message), qPrintable(stderrText));
    }

    void missingDirectory()
    {
        QProcess process;
        process.start(
            SandboxProcess::executable(), { "--port", "0", "--load", QStringLiteral("/nonexistent/ondevice-bundles") });
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("not a directory"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxLoad)
#include "tst_SandboxLoad.moc"
