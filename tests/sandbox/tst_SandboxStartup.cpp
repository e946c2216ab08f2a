// The sandbox's start-up contract, through the fixture every integration test uses.

#include "SandboxProcess.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using ondevice::testing::SandboxProcess;

class tst_SandboxStartup : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firstLineDescribesTheServer()
    {
        SandboxProcess sandbox;
        const QString error = sandbox.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));

        const QUrl base = sandbox.fhirBase();
        QCOMPARE(base.scheme(), QStringLiteral("http"));
        QCOMPARE(base.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(base.port() > 0);
        QCOMPARE(base.path(), QStringLiteral("/fhir"));
        QCOMPARE(sandbox.adminBase().path(), QStringLiteral("/admin"));
        QCOMPARE(sandbox.adminBase().port(), base.port());
        QVERIFY(!sandbox.fhirBase().toString().endsWith(QLatin1Char('/')));
        QVERIFY(sandbox.issuer().isValid());
        QVERIFY(sandbox.pid() > 0);
        const QStringList keys = sandbox.announcement().keys();
        QCOMPARE(keys, (QStringList { "admin_base", "fhir_base", "issuer", "pid" }));
    }

    void twoSandboxesGetTwoPorts()
    {
        SandboxProcess a;
        SandboxProcess b;
        QVERIFY(a.start().isEmpty());
        QVERIFY(b.start().isEmpty());
        QVERIFY(a.fhirBase().port() != b.fhirBase().port());
        QVERIFY(a.pid() != b.pid());
    }

    void badFlagIsRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("port out of range") << QStringList { "--port", "70000" };
        QTest::newRow("bind not an address") << QStringList { "--bind", "localhost" };
        QTest::newRow("unknown policy") << QStringList { "--refresh-policy", "sometimes" };
        QTest::newRow("no patients") << QStringList { "--patients", "0" };
        QTest::newRow("negative lifetime") << QStringList { "--access-token-lifetime", "-1" };
        QTest::newRow("client without redirect") << QStringList { "--client", "app" };
        QTest::newRow("client with relative redirect") << QStringList { "--client", "app=/callback" };
        QTest::newRow("unknown auto-approve patient") << QStringList { "--auto-approve", "nobody" };
        QTest::newRow("unknown flag") << QStringList { "--frobnicate" };
        QTest::newRow("positional") << QStringList { "extra" };
        QTest::newRow("help prints nothing on stdout") << QStringList { "--help" };
    }

    void badFlagIsRefused()
    {
        QFETCH(QStringList, arguments);
        SandboxProcess sandbox;
        const QString error = sandbox.start(arguments);
        QVERIFY(!error.isEmpty());
    }

    void everyFlagIsAccepted()
    {
        SandboxProcess sandbox;
        const QString error = sandbox.start(
            { "--bind", "127.0.0.1", "--seed", "5", "--patients", "2", "--resources-per-patient", "20", "--client",
                "app=http://127.0.0.1/cb,https://app.example/cb", "--auto-approve", "first", "--access-token-lifetime",
                "60", "--refresh-token-lifetime", "600", "--refresh-policy", "keep-old-valid" });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Ready means answering: discovery is served at once.
        QNetworkAccessManager manager;
        QNetworkReply* reply = manager.get(
            QNetworkRequest(QUrl(sandbox.fhirBase().toString() + QStringLiteral("/.well-known/smart-configuration"))));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        delete reply;
    }
};

QTEST_GUILESS_MAIN(tst_SandboxStartup)
#include "tst_SandboxStartup.moc"
