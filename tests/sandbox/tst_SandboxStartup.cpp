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

    void badFlagIsRefused()
    {
        SandboxProcess sandbox;
        const QString error = sandbox.start({ QStringLiteral("--port"), QStringLiteral("70000") });
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_SandboxStartup)
#include "tst_SandboxStartup.moc"
