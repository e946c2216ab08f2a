#include "auth/ConnectionRegistry.h"

#include "TestSupport.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::auth;

namespace {

Connection sample(const QString& patient)
{
    Connection c;
    c.issuer = QUrl(QStringLiteral("https://ehr.example/fhir"));
    c.fhirBase = c.issuer;
    c.patientId = patient;
    c.id = Connection::makeId(c.issuer, patient);
    c.clientId = QStringLiteral("ondevice-demo");
    c.redirectPort = 53682;
    c.fhirUser = QStringLiteral("Patient/") + patient;
    c.grantedScopes = { QStringLiteral("openid"), QStringLiteral("patient/*.rs") };
    c.refreshTokenIssued = true;
    c.accessExpiry = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
    c.lastRefresh = QDateTime(QDate(2026, 11, 28), QTime(11, 0), Qt::UTC);
    c.lastRefreshResult = QStringLiteral("ok");
    return c;
}

} // namespace

class tst_ConnectionRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ondevice::testing::enterTestMode(); }

    void missingFileIsEmpty()
    {
        QTemporaryDir dir;
        ConnectionRegistry registry(dir.filePath(QStringLiteral("connections.json")));
        const auto loaded = registry.load();
        QVERIFY(loaded.ok());
        QVERIFY(loaded.value().isEmpty());
    }

    void roundTripOwnerOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/connections.json"));
        ConnectionRegistry registry(path);
        QVERIFY(registry
                    .update([](QList<Connection>& list) {
                        list << sample(QStringLiteral("p1")) << sample(QStringLiteral("p2"));
                    })
                    .ok());

        QCOMPARE(QFile::permissions(path)
                & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
            QFileDevice::Permissions {});

        const auto loaded = registry.load();
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.value().size(), 2);
        const Connection& first = loaded.value().first();
        const Connection expected = sample(QStringLiteral("p1"));
        QCOMPARE(first.id, expected.id);
        QCOMPARE(first.patientId, expected.patientId);
        QCOMPARE(first.grantedScopes, expected.grantedScopes);
        QCOMPARE(first.accessExpiry, expected.accessExpiry);
        QCOMPARE(first.redirectPort, 53682);
        QVERIFY(first.state == ConnectionState::Connected);
    }

    void sameIssuerTwoPatientsAreTwoConnections()
    {
        const QUrl issuer(QStringLiteral("https://ehr.example/fhir"));
        QVERIFY(Connection::makeId(issuer, QStringLiteral("parent"))
            != Connection::makeId(issuer, QStringLiteral("child")));
        QCOMPARE(Connection::makeId(issuer, QStringLiteral("parent")),
            Connection::makeId(QUrl(QStringLiteral("https://ehr.example/fhir/")), QStringLiteral("parent")));
    }

    void corruptFileIsReportedAndKept()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("connections.json"));
        const QByteArray garbage = "{\"version\":1,\"connections\":[{\"id\":\"x\"}"; // truncated
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(garbage);
        }
        ConnectionRegistry registry(path);
        const auto loaded = registry.load();
        QVERIFY(!loaded.ok());
        QVERIFY(loaded.code() == RegistryError::Unreadable);
        QVERIFY(!loaded.failure().message.isEmpty());

        // An update must not replace what it could not read.
        const auto updated = registry.update([](QList<Connection>& list) { list.clear(); });
        QVERIFY(!updated.ok());
        QCOMPARE(ondevice::testing::readAll(path), garbage);
    }

    void sessionOnlyWritesNoFile()
    {
        ConnectionRegistry registry { QString() };
        QVERIFY(registry.isSessionOnly());
        QVERIFY(registry.update([](QList<Connection>& list) { list << sample(QStringLiteral("p")); }).ok());
        QCOMPARE(registry.load().value().size(), 1);
        QVERIFY(!QFile::exists(ConnectionRegistry::defaultPath()));
    }

    void incompleteEntryIsRejected()
    {
        QJsonObject entry = sample(QStringLiteral("p")).toJson();
        entry.remove(QStringLiteral("client_id"));
        QVERIFY(!Connection::fromJson(entry));
        entry = sample(QStringLiteral("p")).toJson();
        entry[QStringLiteral("state")] = QStringLiteral("bogus");
        QVERIFY(!Connection::fromJson(entry));
    }
};

QTEST_GUILESS_MAIN(tst_ConnectionRegistry)
#include "tst_ConnectionRegistry.moc"
