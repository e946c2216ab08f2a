// The admin API (loopback only): stats, grants with refresh-token hashes,
// revoke-all, adding/replacing resources and deleting them.

#include "SandboxHttp.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QNetworkInterface>
#include <QTest>

using namespace ondevice::testing;

namespace {

QString sha256Hex(const QString& token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QJsonObject observation(const QString& id, const QString& code)
{
    return QJsonObject { { "resourceType", "Observation" }, { "id", id }, { "status", "final" },
        { "code",
            QJsonObject {
                { "coding", QJsonArray { QJsonObject { { "system", "http://loinc.org" }, { "code", code } } } } } },
        { "valueQuantity",
            QJsonObject { { "value", 72 }, { "unit", "/min" }, { "system", "http://unitsofmeasure.org" },
                { "code", "/min" } } } };
}

} // namespace

class tst_SandboxAdmin : public QObject {
    Q_OBJECT

    static QUrl admin(const SandboxProcess& sandbox, const QString& path)
    {
        return QUrl(sandbox.adminBase().toString() + path);
    }

    static HttpReply postJson(SandboxHttp& http, const QUrl& url, const QJsonObject& body)
    {
        return http.post(url, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
    }

private Q_SLOTS:
    void stats()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        HttpReply reply = http.get(admin(sandbox, QStringLiteral("/stats")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json(),
            QJsonDocument::fromJson(
                R"({"authorize_requests":0,"token_requests":{"authorization_code":0,"refresh_token":0,"jwt_bearer":0},"revocations":0,"fhir_requests":{},"live_grants":0,"registered_clients":0,"token_requests_by_binding":{"bearer":0,"dpop":0},"revocations_by_binding":{"bearer":0,"dpop":0},"binding_failures":{},"dpop_nonce_rotations":0,"brand_bundle_requests":0,"brand_logo_requests":0,"fhir_most_in_flight":0})")
                .object());

        const QJsonObject token = http.login();
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QString patient = token.value(QStringLiteral("patient")).toString();
        http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient/") + patient), access);
        http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=") + patient), access);
        http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=") + patient), access);
        const QString refreshed = http.refresh(token.value(QStringLiteral("refresh_token")).toString())
                                      .json()
                                      .value(QStringLiteral("refresh_token"))
                                      .toString();
        http.login(); // a second grant
        reply = http.get(admin(sandbox, QStringLiteral("/stats")));
        QCOMPARE(reply.json(),
            QJsonDocument::fromJson(
                R"({"authorize_requests":2,"token_requests":{"authorization_code":2,"refresh_token":1,"jwt_bearer":0},"revocations":0,"fhir_requests":{"Observation":2,"Patient":1},"live_grants":2,"registered_clients":0,"token_requests_by_binding":{"bearer":3,"dpop":0},"revocations_by_binding":{"bearer":0,"dpop":0},"binding_failures":{},"dpop_nonce_rotations":0,"brand_bundle_requests":0,"brand_logo_requests":0,"fhir_most_in_flight":0})")
                .object());

        QCOMPARE(http.postForm(http.authUrl(QStringLiteral("revoke")),
                         { { QStringLiteral("token"), refreshed },
                             { QStringLiteral("client_id"), QStringLiteral("ondevice-demo") } })
                     .status,
            200);
        reply = http.get(admin(sandbox, QStringLiteral("/stats")));
        QCOMPARE(reply.json().value(QStringLiteral("revocations")).toInt(), 1);
        QCOMPARE(reply.json().value(QStringLiteral("live_grants")).toInt(), 1);
    }

    void grantsShowHashesNeverTokens()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        const QString refresh = token.value(QStringLiteral("refresh_token")).toString();
        HttpReply reply = http.get(admin(sandbox, QStringLiteral("/grants")));
        QCOMPARE(reply.status, 200);
        QJsonArray grants = reply.jsonArray();
        QCOMPARE(grants.size(), 1);
        QJsonObject grant = grants.at(0).toObject();
        QCOMPARE(grant.value(QStringLiteral("patient")).toString(), token.value(QStringLiteral("patient")).toString());
        QCOMPARE(grant.value(QStringLiteral("client_id")).toString(), QStringLiteral("ondevice-demo"));
        QCOMPARE(grant.value(QStringLiteral("scopes")).toArray().size(),
            SandboxHttp::defaultScope().split(QLatin1Char(' ')).size());
        QCOMPARE(grant.value(QStringLiteral("refresh_token_sha256")).toString(), sha256Hex(refresh));
        const QDateTime expires
            = QDateTime::fromString(grant.value(QStringLiteral("expires_at")).toString(), Qt::ISODateWithMs);
        QVERIFY(expires > QDateTime::currentDateTimeUtc().addDays(80));
        QVERIFY(!reply.body.contains(refresh.toLatin1()));
        QVERIFY(!reply.body.contains(token.value(QStringLiteral("access_token")).toString().toLatin1()));

        // Rotation moves the hash to the new token.
        const QString rotated = http.refresh(refresh).json().value(QStringLiteral("refresh_token")).toString();
        grant = http.get(admin(sandbox, QStringLiteral("/grants"))).jsonArray().at(0).toObject();
        QCOMPARE(grant.value(QStringLiteral("refresh_token_sha256")).toString(), sha256Hex(rotated));
    }

    void revokeAll()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject a = http.login();
        const QJsonObject b = http.login();
        QCOMPARE(http.get(admin(sandbox, QStringLiteral("/revoke-all"))).status, 405);
        const HttpReply reply = http.post(admin(sandbox, QStringLiteral("/revoke-all")), {}, "application/json");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("revoked")).toInt(), 2);
        for (const QJsonObject& token : { a, b }) {
            QCOMPARE(http.refresh(token.value(QStringLiteral("refresh_token")).toString())
                         .json()
                         .value(QStringLiteral("error"))
                         .toString(),
                QStringLiteral("invalid_grant"));
            QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient/")
                                        + token.value(QStringLiteral("patient")).toString()),
                             token.value(QStringLiteral("access_token")).toString())
                         .status,
                401);
        }
        QVERIFY(http.get(admin(sandbox, QStringLiteral("/grants"))).jsonArray().isEmpty());
        QCOMPARE(
            http.get(admin(sandbox, QStringLiteral("/stats"))).json().value(QStringLiteral("live_grants")).toInt(), 0);
        // A new sign-in works again.
        QVERIFY(!http.login().isEmpty());
    }

    void addAndReplaceResources()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QString patient = token.value(QStringLiteral("patient")).toString();
        const QUrl add = admin(sandbox, QStringLiteral("/patients/%1/resources").arg(patient));

        HttpReply reply = postJson(http, add, observation(QStringLiteral("hr-1"), QStringLiteral("8867-4")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json()
                     .value(QStringLiteral("entry"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
            QStringLiteral("201 Created"));
        HttpReply read = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation/hr-1")), access);
        QCOMPARE(read.status, 200);
        QJsonObject stored = read.json();
        QCOMPARE(stored.value(QStringLiteral("meta")).toObject().value(QStringLiteral("versionId")).toString(),
            QStringLiteral("1"));
        QCOMPARE(stored.value(QStringLiteral("subject")).toObject().value(QStringLiteral("reference")).toString(),
            QString(QStringLiteral("Patient/") + patient));
        const QDateTime firstStamp = QDateTime::fromString(
            stored.value(QStringLiteral("meta")).toObject().value(QStringLiteral("lastUpdated")).toString(),
            Qt::ISODateWithMs);

        // Replace it (inside a Bundle, with a second, new resource).
        const QJsonObject bundle { { "resourceType", "Bundle" }, { "type", "collection" },
            { "entry",
                QJsonArray {
                    QJsonObject { { "resource", observation(QStringLiteral("hr-1"), QStringLiteral("8867-4")) } },
                    QJsonObject { { "resource", observation(QStringLiteral("hr-2"), QStringLiteral("9279-1")) } } } } };
        reply = postJson(http, add, bundle);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("entry")).toArray().size(), 2);
        stored = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation/hr-1")), access).json();
        QCOMPARE(stored.value(QStringLiteral("meta")).toObject().value(QStringLiteral("versionId")).toString(),
            QStringLiteral("2"));
        QVERIFY(QDateTime::fromString(
                    stored.value(QStringLiteral("meta")).toObject().value(QStringLiteral("lastUpdated")).toString(),
                    Qt::ISODateWithMs)
            > firstStamp);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation/hr-2")), access).status, 200);

        // What changed is found with _lastUpdated=gt<before>.
        const HttpReply changed = http.getBearer(
            QUrl(http.fhirBase()
                + QStringLiteral("/Observation?patient=%1&_lastUpdated=ge%2")
                      .arg(patient,
                          QString::fromLatin1(QUrl::toPercentEncoding(firstStamp.toString(Qt::ISODateWithMs))))),
            access);
        QCOMPARE(changed.json().value(QStringLiteral("total")).toInt(), 2);
    }

    void newPatientIsAnotherCompartment()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        const QJsonObject bundle { { "resourceType", "Bundle" }, { "type", "collection" },
            { "entry",
                QJsonArray {
                    QJsonObject { { "resource", observation(QStringLiteral("obs-new"), QStringLiteral("8867-4")) } },
                    QJsonObject { { "resource",
                        QJsonObject { { "resourceType", "Patient" }, { "id", "newbie" },
                            { "birthDate", "2001-02-03" } } } } } } };
        QCOMPARE(postJson(http, admin(sandbox, QStringLiteral("/patients/newbie/resources")), bundle).status, 200);
        const QString access = token.value(QStringLiteral("access_token")).toString();
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient/newbie")), access).status, 403);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation/obs-new")), access).status, 403);
        QCOMPARE(
            http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=newbie")), access).status, 403);
    }

    void addRules_data()
    {
        QTest::addColumn<QString>("patient"); // {p} = the first patient
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown patient") << "nobody" << QJsonDocument(observation("x", "8867-4")).toJson() << 404;
        QTest::newRow("not JSON") << "{p}" << QByteArray("not json") << 400;
        QTest::newRow("array") << "{p}" << QByteArray("[]") << 400;
        QTest::newRow("unsupported type") << "{p}" << QByteArray(R"({"resourceType":"Claim","id":"c1"})") << 400;
        QTest::newRow("bad id") << "{p}" << QByteArray(R"({"resourceType":"Observation","id":"a/b"})") << 400;
        QTest::newRow("patient id mismatch")
            << "{p}" << QByteArray(R"({"resourceType":"Patient","id":"someone-else"})") << 400;
        QTest::newRow("no id is assigned one")
            << "{p}" << QByteArray(R"({"resourceType":"Condition","code":{"text":"x"}})") << 200;
    }

    void addRules()
    {
        QFETCH(QString, patient);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        const QString first = http.login().value(QStringLiteral("patient")).toString();
        patient.replace(QStringLiteral("{p}"), first);
        const HttpReply reply = http.post(
            admin(sandbox, QStringLiteral("/patients/%1/resources").arg(patient)), body, "application/json");
        QCOMPARE(reply.status, status);
    }

    void deleteResource()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first") }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QString patient = token.value(QStringLiteral("patient")).toString();
        const QJsonObject bundle
            = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Condition?patient=") + patient), access).json();
        const int total = bundle.value(QStringLiteral("total")).toInt();
        const QString id = bundle.value(QStringLiteral("entry"))
                               .toArray()
                               .at(0)
                               .toObject()
                               .value(QStringLiteral("resource"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        QVERIFY(!id.isEmpty());

        QCOMPARE(http.deleteResource(admin(sandbox, QStringLiteral("/Condition/") + id)).status, 204);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Condition/") + id), access).status, 404);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Condition?patient=") + patient), access)
                     .json()
                     .value(QStringLiteral("total"))
                     .toInt(),
            total - 1);
        QCOMPARE(http.deleteResource(admin(sandbox, QStringLiteral("/Condition/") + id)).status, 404);
        QCOMPARE(http.deleteResource(admin(sandbox, QStringLiteral("/Claim/x"))).status, 404);
        QCOMPARE(http.get(admin(sandbox, QStringLiteral("/nothing-here"))).status, 404);
    }

    void loopbackOnly()
    {
        QHostAddress external;
        for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
            if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()) {
                external = address;
                break;
            }
        }
        if (external.isNull())
            QSKIP("no non-loopback IPv4 address on this machine");
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ QStringLiteral("--bind"), QStringLiteral("0.0.0.0") }).isEmpty());
        SandboxHttp http(sandbox);
        const int port = sandbox.fhirBase().port();
        QCOMPARE(
            http.get(QUrl(QStringLiteral("http://%1:%2/admin/stats").arg(external.toString()).arg(port))).status, 403);
        QCOMPARE(http.get(QUrl(QStringLiteral("http://%1:%2/fhir/metadata").arg(external.toString()).arg(port))).status,
            200);
        QCOMPARE(http.get(admin(sandbox, QStringLiteral("/stats"))).status, 200);
    }

    void bindsLoopbackByDefault()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start().isEmpty());
        QCOMPARE(sandbox.fhirBase().host(), QStringLiteral("127.0.0.1"));
        for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
            if (address.protocol() != QAbstractSocket::IPv4Protocol || address.isLoopback())
                continue;
            SandboxHttp http(sandbox);
            const HttpReply reply = http.get(QUrl(
                QStringLiteral("http://%1:%2/fhir/metadata").arg(address.toString()).arg(sandbox.fhirBase().port())));
            QCOMPARE(reply.status, 0); // connection refused: not listening there
        }
    }
};

QTEST_GUILESS_MAIN(tst_SandboxAdmin)
#include "tst_SandboxAdmin.moc"
