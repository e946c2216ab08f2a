// ondevice-cli as scripts see it: a separate process, its own HOME.

#include "auth/ConnectionRegistry.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "ondevice/Version.h"

using namespace ondevice::auth;

class tst_Cli : public QObject {
    Q_OBJECT

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Run cli(const QStringList& arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("ONDEVICE_CLI_EXE"), arguments);
        if (!process.waitForFinished(30000))
            return {};
        return { process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError() };
    }

    QString registryPath() const
    {
        return m_home.filePath(QStringLiteral("data/OnDeviceHealth/ondevice/connections.json"));
    }

    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        QVERIFY(m_home.isValid());
        QVERIFY(!qEnvironmentVariableIsEmpty("ONDEVICE_CLI_EXE"));
    }

    void versionComesFromCMake()
    {
        const Run run = cli({ QStringLiteral("--version") });
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QByteArray("ondevice ") + ondevice::kVersion);
    }

    void statusWithNoConnections()
    {
        Run run = cli({ QStringLiteral("status") });
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("No providers connected"));

        run = cli({ QStringLiteral("status"), QStringLiteral("--json") });
        QCOMPARE(run.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(run.out).object();
        QVERIFY(root.contains(QStringLiteral("connections")));
        QVERIFY(root.value(QStringLiteral("connections")).toArray().isEmpty());
    }

    void statusListsWhatTheRegistryHolds()
    {
        ConnectionRegistry registry(registryPath());
        Connection c;
        c.issuer = QUrl(QStringLiteral("http://127.0.0.1:9/fhir"));
        c.fhirBase = c.issuer;
        c.patientId = QStringLiteral("pat-1");
        c.id = Connection::makeId(c.issuer, c.patientId);
        c.clientId = QStringLiteral("ondevice-demo");
        c.state = ConnectionState::NeedsReconnect;
        QVERIFY(registry.update([&](QList<Connection>& list) { list = { c }; }).ok());

        Run run = cli({ QStringLiteral("status") });
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(c.id.toUtf8()));
        QVERIFY(run.out.contains("needs-reconnect"));

        run = cli({ QStringLiteral("status"), QStringLiteral("--json") });
        const QJsonArray entries
            = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("connections")).toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().toObject().value(QStringLiteral("patient")).toString(), QStringLiteral("pat-1"));
        QFile::remove(registryPath());
    }

    void corruptRegistryIsAnErrorAndStaysUntouched()
    {
        QDir().mkpath(QFileInfo(registryPath()).absolutePath());
        {
            QFile file(registryPath());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("not json");
        }
        const Run run = cli({ QStringLiteral("status") });
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("could not be read"));
        QCOMPARE(ondevice::testing::readAll(registryPath()), QByteArray("not json"));
        QFile::remove(registryPath());
    }

    void unknownCommand()
    {
        const Run run = cli({ QStringLiteral("frobnicate") });
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("Unknown command"));
    }
};

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_Cli.moc"
