#include "SandboxHttp.h"

#include "fhir/UserAccessBrands.h"

#include <QJsonArray>
#include <QTest>

using namespace ondevice;
using namespace ondevice::testing;

// The sandbox's User Access Brands bundle, read by the app's parser: the four example shapes, every endpoint at
// the sandbox, logos it serves, and the SMART configuration naming the bundle and its own brand.
class tst_SandboxBrands : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theBundleHasTheFourShapesAtThisServer()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({}), QString());
        SandboxHttp http(sandbox);
        const QJsonObject config = http.get(QUrl(http.fhirBase() + "/.well-known/smart-configuration")).json();
        const QUrl bundleUrl(config.value("user_access_brand_bundle").toString());
        QVERIFY(bundleUrl.isValid());
        const HttpReply reply = http.get(bundleUrl);
        QCOMPARE(reply.status, 200);
        const auto parsed = fhir::parseBrandBundle(reply.body, bundleUrl);
        QVERIFY(parsed);
        const QList<fhir::Brand>& brands = parsed.value();
        QCOMPARE(brands.size(), 7);
        const QUrl base(http.fhirBase());
        // The first brand has exactly one endpoint, this server; it is the one the configuration names.
        QCOMPARE(brands.first().fhirBases, QList<QUrl> { base });
        const QJsonObject own = config.value("user_access_brand_identifier").toObject();
        QCOMPARE(fhir::findBrandByIdentifier(brands, own.value("system").toString(), own.value("value").toString()), 0);
        QVERIFY(brands.first().locations.size() > 1);
        // Affiliates connect through their system (the DSTU2 endpoint does not count), two levels down too.
        for (int i : { 1, 2, 3 })
            QCOMPARE(brands[i].fhirBases, QList<QUrl> { base });
        QVERIFY(brands[2].inheritedEndpoints && brands[3].inheritedEndpoints);
        // One card, two portals; two co-equal brands at one endpoint.
        QCOMPARE(brands[4].portals.size(), 2);
        QCOMPARE(brands[5].fhirBases, brands[6].fhirBases);
        // Logos are served here.
        for (const fhir::Brand& brand : brands) {
            QCOMPARE(brand.logo.host(), base.host());
            const HttpReply logo = http.get(brand.logo);
            QCOMPARE(logo.status, 200);
            QVERIFY(logo.body.startsWith("<svg"));
        }
    }

    void generatedBrandsForLoadTests()
    {
        SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--brands-count", "500" }), QString());
        SandboxHttp http(sandbox);
        const auto parsed = fhir::parseBrandBundle(http.get(http.origin().resolved(QUrl("/brands"))).body, {});
        QVERIFY(parsed);
        QCOMPARE(parsed.value().size(), 507);
    }
};

QTEST_GUILESS_MAIN(tst_SandboxBrands)
#include "tst_SandboxBrands.moc"
