// One GUI per user: the mechanism in-process, then two real `ondevice` processes.

#include "ui/SingleInstance.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using ondevice::ui::SingleInstance;

class tst_SingleInstance : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", m_home.path());
        env.insert("XDG_DATA_HOME", m_home.filePath("data"));
        env.insert("XDG_CONFIG_HOME", m_home.filePath("config"));
        env.insert("XDG_CACHE_HOME", m_home.filePath("cache"));
        env.insert("QT_QPA_PLATFORM", "offscreen");
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
    }

    void secondClaimAsksTheFirstToRaise()
    {
        QTemporaryDir dir;
        SingleInstance first(dir.path());
        QVERIFY(first.claim() == SingleInstance::Role::Primary);
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);

        SingleInstance second(dir.path());
        QVERIFY(second.claim() == SingleInstance::Role::Secondary);
        QTRY_COMPARE(raised.size(), 1);
    }

    void anotherDirectoryIsAnotherInstance()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        SingleInstance first(a.path());
        SingleInstance other(b.path());
        QVERIFY(first.serverName() != other.serverName());
        QVERIFY(first.claim() == SingleInstance::Role::Primary);
        QVERIFY(other.claim() == SingleInstance::Role::Primary);
    }

    void leftoverSocketOfACrashDoesNotBlock()
    {
        QTemporaryDir dir;
        {
            SingleInstance crashed(dir.path());
            QVERIFY(crashed.claim() == SingleInstance::Role::Primary);
            // Leaves its socket name behind; the next primary removes it.
        }
        SingleInstance next(dir.path());
        QVERIFY(next.claim() == SingleInstance::Role::Primary);
    }

    void secondProcessRaisesTheFirstAndExitsZero()
    {
        const QString exe = qEnvironmentVariable("ONDEVICE_GUI_EXE");
        if (exe.isEmpty())
            QSKIP("ONDEVICE_GUI_EXE is set by ctest");
        QProcess first;
        first.setProcessEnvironment(environment());
        first.start(exe);
        QVERIFY(first.waitForStarted());
        const QString lock = m_home.filePath("data") + "/OnDeviceHealth/ondevice/ondevice-gui.lock";
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(lock), 15000);
        QTest::qWait(300); // listening follows the lock at once; a little slack for slow machines

        QProcess second;
        second.setProcessEnvironment(environment());
        second.start(exe);
        QVERIFY(second.waitForFinished(15000));
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        QCOMPARE(first.state(), QProcess::Running); // still the one GUI

        first.terminate();
        QVERIFY(first.waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_SingleInstance.moc"
