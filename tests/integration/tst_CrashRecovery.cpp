// SIGKILL at random points during refresh (rotate-detect-reuse on): a forced
// reconnect happens only when the kill fell between the server rotating the
// refresh token and the keychain write; every other round refreshes normally.

#include "AppTestEnvironment.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include "auth/ConnectionManager.h"
#include "auth/SecretStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ondevice;
using namespace ondevice::auth;
using namespace ondevice::testing;

class tst_CrashRecovery : public QObject {
    Q_OBJECT

private:
    AppTestEnvironment m_env;

    int cli(const QStringList& arguments)
    {
        QProcess process;
        process.setProcessEnvironment(m_env.childEnvironment());
        process.start(qEnvironmentVariable("ONDEVICE_CLI_EXE"), arguments);
        process.waitForFinished(60000);
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

    std::optional<Connection> connectTo(SandboxProcess& sandbox, std::optional<QString> reconnect = {})
    {
        const auto outcome = m_env.connect(sandbox, {}, std::move(reconnect));
        return outcome ? std::optional<Connection>(outcome->connection) : std::nullopt;
    }

    // The SHA-256 of the refresh token the server will accept now.
    QString liveTokenHash(const SandboxProcess& sandbox, const QString& patient)
    {
        const QJsonArray grants
            = QJsonDocument::fromJson(httpRequest("GET", QUrl(sandbox.adminBase().toString() + "/grants")).body)
                  .array();
        for (const auto& grant : grants)
            if (grant.toObject().value("patient").toString() == patient)
                return grant.toObject().value("refresh_token_sha256").toString();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_env.setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void unfinishedLockFileIsCleared()
    {
        // SIGKILL between creating the lock file and writing its PID leaves an
        // empty file; it must not block every later refresh.
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first" }).isEmpty());
        const auto c = connectTo(sandbox);
        QVERIFY(c);
        const QString lock = m_env.services().lockDirectory + "/" + c->id + ".lock";
        QDir().mkpath(m_env.services().lockDirectory);
        QFile file(lock);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.setFileTime(QDateTime::currentDateTime().addSecs(-10), QFileDevice::FileModificationTime);
        file.close();
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(cli({ "refresh", c->id }), 0);
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
    }

    void killsDuringRefresh()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--auto-approve", "first", "--refresh-policy", "rotate-detect-reuse" }).isEmpty());
        const auto connected = connectTo(sandbox);
        QVERIFY(connected);
        const Connection c = *connected;
        const int rounds = qEnvironmentVariableIsSet("ONDEVICE_CRASH_ROUNDS")
            ? qEnvironmentVariableIntValue("ONDEVICE_CRASH_ROUNDS")
            : 50;
        // Kill at a uniform point within a normal refresh's duration, so most
        // kills land while it runs.
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(cli({ "refresh", c.id }), 0);
        const int span = std::max<int>(20, static_cast<int>(clock.elapsed()));
        QRandomGenerator random(4242);
        int windowRounds = 0;
        int killed = 0;
        for (int round = 0; round < rounds; ++round) {
            QProcess victim;
            victim.setProcessEnvironment(m_env.childEnvironment());
            victim.start(qEnvironmentVariable("ONDEVICE_CLI_EXE"), { "refresh", c.id });
            QVERIFY(victim.waitForStarted());
            QTest::qWait(static_cast<int>(random.bounded(span)));
            // Only our own child, and only while it runs (kill(0) would hit the group).
            if (victim.state() == QProcess::Running && victim.processId() > 0) {
                ::kill(static_cast<pid_t>(victim.processId()), SIGKILL);
                ++killed;
            }
            victim.waitForFinished(10000);

            // Where did the kill fall? Compare what the keychain holds with
            // what the server will accept.
            const auto stored = await(m_env.secrets().read(c.refreshTokenKey()));
            QVERIFY2(stored && stored->ok(), "the refresh token must never be lost from the keychain");
            const QString keychainHash
                = QString::fromLatin1(QCryptographicHash::hash(stored->value(), QCryptographicHash::Sha256).toHex());
            const QString live = liveTokenHash(sandbox, c.patientId);
            QVERIFY2(
                !live.isEmpty(), qPrintable(QStringLiteral("round %1: the grant is gone before recovery").arg(round)));
            const bool inWindow = keychainHash != live;

            const int recovered = cli({ "refresh", c.id });
            if (inWindow) {
                // Rotated at the server, not yet in the keychain: presenting the
                // old token trips reuse detection. The one case that needs the browser.
                QCOMPARE(recovered, 2);
                ++windowRounds;
                const auto again = connectTo(sandbox, c.id);
                QVERIFY(again && again->id == c.id);
            } else {
                QVERIFY2(recovered == 0,
                    qPrintable(QStringLiteral("round %1: exit %2 without a rotation lost").arg(round).arg(recovered)));
            }
        }
        qInfo() << "crash rounds:" << rounds << "a refresh takes about" << span << "ms; killed mid-run:" << killed
                << "forced reconnects (kill between rotation and keychain write):" << windowRounds;
        QVERIFY(killed >= rounds / 2); // the kills really landed mid-refresh
    }
};

QTEST_GUILESS_MAIN(tst_CrashRecovery)
#include "tst_CrashRecovery.moc"
