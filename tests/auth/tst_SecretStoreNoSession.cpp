// With no Secret Service session bus, SecretStore answers at once and never
// calls into QtKeychain (whose jobs could hang the process-wide executor).

#include "auth/SecretStore.h"

#include "TestSupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::auth;

class tst_SecretStoreNoSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        QVERIFY(m_runtime.isValid());
        // Nothing to find: no bus address, and a runtime dir with no `bus` socket.
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    }

    void reportedAtOnceForEveryOperation()
    {
        SecretStore store(ondevice::testing::uniqueKeychainService(QStringLiteral("nosession")));
        QElapsedTimer clock;
        clock.start();

        const auto read = store.read(QStringLiteral("k"));
        const auto write = store.write(QStringLiteral("k"), "secret");
        const auto remove = store.remove(QStringLiteral("k"));

        // Finished before any event loop ran: no job was started.
        QVERIFY(read.isFinished());
        QVERIFY(write.isFinished());
        QVERIFY(remove.isFinished());
        QVERIFY(clock.elapsed() < 1000);

        QVERIFY(read.result().code() == SecretError::NoSession);
        QVERIFY(write.result().code() == SecretError::NoSession);
        QVERIFY(remove.result().code() == SecretError::NoSession);
        const QString message = read.result().failure().message;
        QVERIFY2(message.contains(QStringLiteral("Secret Service")), qPrintable(message));
        QVERIFY(!SecretStore::unavailableForProcess());
    }

private:
    QTemporaryDir m_runtime;
};

QTEST_GUILESS_MAIN(tst_SecretStoreNoSession)
#include "tst_SecretStoreNoSession.moc"
