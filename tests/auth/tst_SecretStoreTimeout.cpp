// A keychain that never answers: the session bus accepts the connection and
// then says nothing. The first call times out, the keychain is switched off
// for the process, and later calls fail at once instead of queueing behind
// the hung job in QtKeychain's process-wide executor.

#include "auth/SecretStore.h"

#include "TestSupport.h"

#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::auth;

class tst_SecretStoreTimeout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        QVERIFY(m_dir.isValid());
        const QString socketPath = m_dir.filePath(QStringLiteral("silent-bus"));
        QVERIFY(m_silentBus.listen(socketPath));
        // Accept and hold every connection; never write a byte.
        connect(&m_silentBus, &QLocalServer::newConnection, this, [this] {
            while (auto* socket = m_silentBus.nextPendingConnection())
                socket->setParent(&m_silentBus);
        });
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + QFile::encodeName(socketPath));
    }

    void timesOutThenFailsFast()
    {
        SecretStore store(ondevice::testing::uniqueKeychainService(QStringLiteral("timeout")));
        store.setTimeout(std::chrono::milliseconds(800));

        QElapsedTimer clock;
        clock.start();
        auto first = store.read(QStringLiteral("k"));
        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished(), 10000);
        QVERIFY(first.result().code() == SecretError::TimedOut);
        QVERIFY(clock.elapsed() >= 700);
        QVERIFY(SecretStore::unavailableForProcess());
        QVERIFY(first.result().failure().message.contains(QStringLiteral("Secret Service")));

        // A second store in the same process: answered before returning.
        SecretStore other(ondevice::testing::uniqueKeychainService(QStringLiteral("timeout2")));
        auto second = other.write(QStringLiteral("k"), "value");
        QVERIFY(second.isFinished());
        QVERIFY(second.result().code() == SecretError::Unavailable);
    }

private:
    QTemporaryDir m_dir;
    QLocalServer m_silentBus;
};

QTEST_GUILESS_MAIN(tst_SecretStoreTimeout)
#include "tst_SecretStoreTimeout.moc"
