#include "auth/SmartConfiguration.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ondevice::auth;

namespace {

QJsonObject goodConfig()
{
    return QJsonDocument::fromJson("{\"issuer\":\"https://ehr.example/fhir\",\"jwks_uri\":\"https://ehr.example/jwks\","
                                   "\"authorization_endpoint\":\"https://ehr.example/auth/authorize\","
                                   "\"token_endpoint\":\"https://ehr.example/auth/token\","
                                   "\"revocation_endpoint\":\"https://ehr.example/auth/revoke\","
                                   "\"code_challenge_methods_supported\":[\"S256\"],"
                                   "\"capabilities\":[\"launch-standalone\",\"client-public\",\"permission-offline\","
                                   "\"permission-v2\",\"permission-v1\"]}")
        .object();
}

} // namespace

class tst_SmartConfiguration : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wellKnown_data()
    {
        QTest::addColumn<QJsonObject>("document");
        QTest::addColumn<QString>("base");
        QTest::addColumn<bool>("allowHttp");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("messageContains");

        const QString base = QStringLiteral("https://ehr.example/fhir");
        QTest::newRow("good") << goodConfig() << base << false << true << QString();
        QJsonObject noS256 = goodConfig();
        noS256[QStringLiteral("code_challenge_methods_supported")] = QJsonArray { QStringLiteral("plain") };
        QTest::newRow("plain only") << noS256 << base << false << false << QStringLiteral("PKCE");
        QJsonObject noMethods = goodConfig();
        noMethods.remove(QStringLiteral("code_challenge_methods_supported"));
        QTest::newRow("no methods") << noMethods << base << false << false << QStringLiteral("PKCE");
        QJsonObject noToken = goodConfig();
        noToken.remove(QStringLiteral("token_endpoint"));
        QTest::newRow("no token endpoint") << noToken << base << false << false << QStringLiteral("sign in");
        QJsonObject httpToken = goodConfig();
        httpToken[QStringLiteral("token_endpoint")] = QStringLiteral("http://ehr.example/auth/token");
        QTest::newRow("http token endpoint") << httpToken << base << false << false << QStringLiteral("https");
        QTest::newRow("http allowed by developer setting") << httpToken << base << true << true << QString();
        QJsonObject loopback = goodConfig();
        loopback[QStringLiteral("token_endpoint")] = QStringLiteral("http://127.0.0.1:8080/token");
        loopback[QStringLiteral("authorization_endpoint")] = QStringLiteral("http://127.0.0.1:8080/authorize");
        QTest::newRow("http loopback is fine")
            << loopback << QStringLiteral("http://127.0.0.1:8080/fhir") << false << true << QString();
        QTest::newRow("http base elsewhere")
            << goodConfig() << QStringLiteral("http://ehr.example/fhir") << false << false << QStringLiteral("https");
    }

    void wellKnown()
    {
        QFETCH(QJsonObject, document);
        QFETCH(QString, base);
        QFETCH(bool, allowHttp);
        QFETCH(bool, ok);
        QFETCH(QString, messageContains);
        const QUrl baseUrl(base);
        const auto parsed = SmartConfiguration::fromWellKnown(QJsonDocument(document).toJson(), baseUrl,
            QUrl(base + QStringLiteral("/.well-known/smart-configuration")), DiscoveryOptions { allowHttp });
        QCOMPARE(parsed.ok(), ok);
        if (!ok) {
            QVERIFY(parsed.code() == AuthError::Discovery);
            QVERIFY2(parsed.failure().message.contains(messageContains), qPrintable(parsed.failure().message));
        }
    }

    void relativeEndpointsResolveAgainstTheDocument()
    {
        QJsonObject doc = goodConfig();
        doc[QStringLiteral("authorization_endpoint")] = QStringLiteral("../../auth/authorize");
        doc[QStringLiteral("token_endpoint")] = QStringLiteral("/oauth/token");
        const QUrl base(QStringLiteral("https://ehr.example/r4/fhir/"));
        const auto parsed = SmartConfiguration::fromWellKnown(QJsonDocument(doc).toJson(), base,
            QUrl(QStringLiteral("https://ehr.example/r4/fhir/.well-known/smart-configuration")), {});
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value().authorizationEndpoint, QUrl(QStringLiteral("https://ehr.example/r4/auth/authorize")));
        QCOMPARE(parsed.value().tokenEndpoint, QUrl(QStringLiteral("https://ehr.example/oauth/token")));
        QCOMPARE(parsed.value().fhirBase, QUrl(QStringLiteral("https://ehr.example/r4/fhir"))); // no trailing slash
    }

    void dpopOnlyWithAnAlgorithmThisAppSigns_data()
    {
        QTest::addColumn<QStringList>("algorithms");
        QTest::addColumn<bool>("offered");
        QTest::newRow("absent") << QStringList() << false;
        QTest::newRow("both") << QStringList { "ES256", "ES384" } << true;
        QTest::newRow("ES256 among others") << QStringList { "RS256", "ES256" } << true;
        QTest::newRow("only others") << QStringList { "RS256", "PS256" } << false;
    }

    void dpopOnlyWithAnAlgorithmThisAppSigns()
    {
        QFETCH(QStringList, algorithms);
        QFETCH(bool, offered);
        QJsonObject doc = goodConfig();
        if (!algorithms.isEmpty())
            doc[QStringLiteral("dpop_signing_alg_values_supported")] = QJsonArray::fromStringList(algorithms);
        const auto parsed = SmartConfiguration::fromWellKnown(QJsonDocument(doc).toJson(),
            QUrl(QStringLiteral("https://ehr.example/fhir")), QUrl(QStringLiteral("https://ehr.example/x")), {});
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value().dpopAlgorithms, algorithms);
        QCOMPARE(parsed.value().offersDpop(), offered);
    }

    void issuerMetadataIsWhereTheSpecsPutIt_data()
    {
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QStringList>("urls");
        QTest::newRow("with a path") << "https://ehr.example/oauth2/"
                                     << QStringList { "https://ehr.example/oauth2/.well-known/openid-configuration",
                                            "https://ehr.example/.well-known/oauth-authorization-server/oauth2" };
        QTest::newRow("origin only") << "https://ehr.example"
                                     << QStringList { "https://ehr.example/.well-known/openid-configuration",
                                            "https://ehr.example/.well-known/oauth-authorization-server" };
        QTest::newRow("loopback http") << "http://127.0.0.1:8080/fhir"
                                       << QStringList { "http://127.0.0.1:8080/fhir/.well-known/openid-configuration",
                                              "http://127.0.0.1:8080/.well-known/oauth-authorization-server/fhir" };
        QTest::newRow("plain http elsewhere") << "http://ehr.example/fhir" << QStringList();
        QTest::newRow("with a query") << "https://ehr.example/fhir?tenant=1" << QStringList();
        QTest::newRow("none") << "" << QStringList();
        QTest::newRow("not a URL") << "ehr" << QStringList();
    }

    void issuerMetadataIsWhereTheSpecsPutIt()
    {
        QFETCH(QString, issuer);
        QFETCH(QStringList, urls);
        QStringList got;
        for (const QUrl& url : SmartConfiguration::issuerMetadataUrls(issuer, {}))
            got << url.toString();
        QCOMPARE(got, urls);
    }

    void dpopAlgorithmsFromIssuerMetadataOnlyForThatIssuer()
    {
        const QString issuer = QStringLiteral("https://ehr.example/oauth2");
        const auto read = [&issuer](const char* json) {
            return SmartConfiguration::dpopAlgorithmsFromIssuerMetadata(QByteArray(json), issuer);
        };
        QCOMPARE(read("{\"issuer\":\"https://ehr.example/oauth2\",\"dpop_signing_alg_values_supported\":[\"ES256\"]}"),
            QStringList { "ES256" });
        // RFC 8414 section 3.3: another issuer's metadata is not used.
        QCOMPARE(read("{\"issuer\":\"https://evil.example/oauth2\",\"dpop_signing_alg_values_supported\":[\"ES256\"]}"),
            QStringList());
        QCOMPARE(read("{\"dpop_signing_alg_values_supported\":[\"ES256\"]}"), QStringList());
        QCOMPARE(read("{\"issuer\":\"https://ehr.example/oauth2\"}"), QStringList());
        QCOMPARE(read("[1,2]"), QStringList());
        QCOMPARE(read("not json"), QStringList());
    }

    void scopesFollowThePermissions()
    {
        auto v2 = SmartConfiguration::fromWellKnown(QJsonDocument(goodConfig()).toJson(),
            QUrl(QStringLiteral("https://ehr.example/fhir")), QUrl(QStringLiteral("https://ehr.example/x")), {});
        QVERIFY(v2.ok());
        QCOMPARE(
            v2.value().defaultScope(), QStringLiteral("openid fhirUser launch/patient offline_access patient/*.rs"));
        QVERIFY(v2.value().offersOfflineAccess());

        QJsonObject onlyV1 = goodConfig();
        onlyV1[QStringLiteral("capabilities")] = QJsonArray { QStringLiteral("permission-v1") };
        auto v1 = SmartConfiguration::fromWellKnown(QJsonDocument(onlyV1).toJson(),
            QUrl(QStringLiteral("https://ehr.example/fhir")), QUrl(QStringLiteral("https://ehr.example/x")), {});
        QVERIFY(v1.ok());
        QCOMPARE(
            v1.value().defaultScope(), QStringLiteral("openid fhirUser launch/patient offline_access patient/*.read"));
        QVERIFY(!v1.value().offersOfflineAccess());
    }

    void capabilityStatementCannotPromisePkce()
    {
        const QByteArray statement
            = "{\"resourceType\":\"CapabilityStatement\",\"rest\":[{\"security\":{\"extension\":[{\"url\":"
              "\"http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris\",\"extension\":["
              "{\"url\":\"authorize\",\"valueUri\":\"https://ehr.example/a\"},"
              "{\"url\":\"token\",\"valueUri\":\"https://ehr.example/t\"}]}]}}]}";
        const auto parsed
            = SmartConfiguration::fromCapabilityStatement(statement, QUrl(QStringLiteral("https://ehr.example/fhir")),
                QUrl(QStringLiteral("https://ehr.example/fhir/metadata")), {});
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.failure().message.contains(QStringLiteral("PKCE")));
        QVERIFY(parsed.failure().detail.contains(QStringLiteral("CapabilityStatement")));

        const auto notFhir = SmartConfiguration::fromCapabilityStatement("{\"hello\":1}",
            QUrl(QStringLiteral("https://ehr.example/fhir")), QUrl(QStringLiteral("https://ehr.example/fhir/metadata")),
            {});
        QVERIFY(!notFhir.ok());
    }
};

QTEST_GUILESS_MAIN(tst_SmartConfiguration)
#include "tst_SmartConfiguration.moc"
