// SecretStore against the real Secret Service (gnome-keyring in the private
// D-Bus session that `./dev test` starts).

#include "auth/SecretStore.h"

#include "TestSupport.h"

#include <QDirIterator>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace ondevice::auth;

namespace {

template <typename T> T waitFor(QFuture<T> future)
{
    // The keychain answers through the event loop; QTRY keeps it turning.
    [&] { QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 15000); }();
    return future.result();
}

} // namespace

class tst_SecretStore : public QObject {
    Q_OBJECT

    // The item keys under a service, as libsecret's own CLI sees them.
    static QStringList itemKeys(const QString& service)
    {
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"),
            { QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), service });
        tool.waitForFinished(15000);
        QStringList keys;
        for (const QByteArray& line :
            QByteArray(tool.readAllStandardOutput() + tool.readAllStandardError()).split('\n'))
            if (line.startsWith("attribute.user = "))
                keys << QString::fromUtf8(line.mid(17)).trimmed();
        keys.sort();
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run through ./dev test, which starts gnome-keyring in a private session");
    }

    void writeReadDeleteRoundTrip()
    {
        SecretStore store(ondevice::testing::uniqueKeychainService(QStringLiteral("roundtrip")));
        const QString key = QStringLiteral("conn-1/refresh-token");
        const QByteArray secret = "rt+with/odd=chars%20and spaces";

        const auto written = waitFor(store.write(key, secret));
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.failure().detail));

        const auto read = waitFor(store.read(key));
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.failure().detail));
        QCOMPARE(read.value(), secret);

        const auto removed = waitFor(store.remove(key));
        QVERIFY(removed.ok());

        const auto gone = waitFor(store.read(key));
        QVERIFY(!gone.ok());
        QVERIFY(gone.code() == SecretError::NotFound);
        QVERIFY(gone.failure().message.contains(QStringLiteral("Secret Service")));
    }

    void binaryKeyAndOverwrite()
    {
        SecretStore store(ondevice::testing::uniqueKeychainService(QStringLiteral("binary")));
        const QString key = QStringLiteral("conn-2/data-key");
        QByteArray dataKey(32, '\0');
        for (int i = 0; i < dataKey.size(); ++i)
            dataKey[i] = static_cast<char>(i * 37 + 1); // includes 0x00-free, high bytes
        dataKey[5] = '\0';

        QVERIFY(waitFor(store.write(key, dataKey)).ok());
        QCOMPARE(waitFor(store.read(key)).value(), dataKey);

        const QByteArray rotated(4000, 'x'); // longer than one Windows credential blob
        QVERIFY(waitFor(store.write(key, rotated)).ok());
        QCOMPARE(waitFor(store.read(key)).value(), rotated);
        QVERIFY(waitFor(store.remove(key)).ok());
    }

    void servicesAreSeparate()
    {
        SecretStore a(ondevice::testing::uniqueKeychainService(QStringLiteral("a")));
        SecretStore b(ondevice::testing::uniqueKeychainService(QStringLiteral("b")));
        const QString key = QStringLiteral("same-key");
        QVERIFY(waitFor(a.write(key, "only-in-a")).ok());
        const auto fromB = waitFor(b.read(key));
        QVERIFY(!fromB.ok());
        QVERIFY(fromB.code() == SecretError::NotFound);
        QVERIFY(waitFor(a.remove(key)).ok());
    }

    void visibleToOtherSecretServiceClients()
    {
        // The item really is in the Secret Service, not in a file of ours:
        // secret-tool (libsecret's own CLI) finds it by QtKeychain's attributes.
        const QString service = ondevice::testing::uniqueKeychainService(QStringLiteral("visible"));
        SecretStore store(service);
        const QString key = QStringLiteral("conn-3/refresh-token");
        QVERIFY(waitFor(store.write(key, "visible-secret-value")).ok());

        QProcess tool;
        tool.start(QStringLiteral("secret-tool"),
            { QStringLiteral("lookup"), QStringLiteral("server"), service, QStringLiteral("user"), key });
        QVERIFY(tool.waitForFinished(15000));
        // QtKeychain keeps binary data base64-encoded in the item (attribute
        // type=base64); the decoded value is the secret and nothing else.
        QCOMPARE(QByteArray::fromBase64(tool.readAllStandardOutput().trimmed()), QByteArray("visible-secret-value"));
        QVERIFY(waitFor(store.remove(key)).ok());
    }

    void longSecretsAreChunked()
    {
        // As on Windows (2,560 bytes per credential), with a small limit.
        const QString service = ondevice::testing::uniqueKeychainService(QStringLiteral("chunks"));
        SecretStore store(service);
        store.setMaxItemBytes(100);
        const QString key = QStringLiteral("conn/refresh-token");
        QByteArray longSecret;
        for (int i = 0; i < 350; ++i)
            longSecret += char('a' + i % 26);
        QVERIFY(waitFor(store.write(key, longSecret)).ok());
        QCOMPARE(waitFor(store.read(key)).value(), longSecret);
        QCOMPARE(itemKeys(service), (QStringList { key, key + "#2", key + "#3", key + "#4" }));

        // Shorter again: the stale tail goes, the read is exact.
        QVERIFY(waitFor(store.write(key, "short")).ok());
        QCOMPARE(waitFor(store.read(key)).value(), QByteArray("short"));
        QCOMPARE(itemKeys(service), QStringList { key });

        // Exactly one full chunk.
        QVERIFY(waitFor(store.write(key, QByteArray(100, 'x'))).ok());
        QCOMPARE(waitFor(store.read(key)).value(), QByteArray(100, 'x'));

        QVERIFY(waitFor(store.write(key, longSecret)).ok());
        QVERIFY(waitFor(store.remove(key)).ok());
        QVERIFY(itemKeys(service).isEmpty());
        QVERIFY(waitFor(store.read(key)).code() == SecretError::NotFound);
    }

    void sessionOnlyKeepsNothingInTheKeychain()
    {
        const QString service = ondevice::testing::uniqueKeychainService(QStringLiteral("session"));
        SecretStore store(service, SecretStore::Mode::SessionOnly);
        auto written = store.write(QStringLiteral("k"), "for-now");
        QVERIFY(written.isFinished() && written.result().ok());
        QCOMPARE(store.read(QStringLiteral("k")).result().value(), QByteArray("for-now"));
        QVERIFY(itemKeys(service).isEmpty()); // never reached the real keychain
        QVERIFY(store.remove(QStringLiteral("k")).result().ok());
        QVERIFY(store.read(QStringLiteral("k")).result().code() == SecretError::NotFound);
    }

    void noPlaintextCopyUnderHome()
    {
        SecretStore store(ondevice::testing::uniqueKeychainService(QStringLiteral("plaintext")));
        const QByteArray marker = "MARKER-7f3a9c-secret-never-on-disk";
        QVERIFY(waitFor(store.write(QStringLiteral("k"), marker)).ok());

        // ./dev test gives each run a temporary HOME; nothing under it, the
        // keyring files included, may hold the secret in clear.
        QDirIterator files(
            QDir::homePath(), QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
        int scanned = 0;
        while (files.hasNext()) {
            const QString path = files.next();
            ++scanned;
            QVERIFY2(!ondevice::testing::readAll(path).contains(marker), qPrintable(path));
        }
        QVERIFY(scanned > 0); // the keyring file itself at least
        QVERIFY(waitFor(store.remove(QStringLiteral("k"))).ok());
    }
};

QTEST_GUILESS_MAIN(tst_SecretStore)
#include "tst_SecretStore.moc"
