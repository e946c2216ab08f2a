#include "fhir/UserAccessBrands.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ondevice::fhir;

namespace {

const QString kBase = QStringLiteral("https://directory.example.net/fhir/");

QJsonObject endpoint(const QString& id, const QString& address, const QString& version = QStringLiteral("4.0.1"),
    const QString& status = QStringLiteral("active"))
{
    return { { "fullUrl", QString(kBase + "Endpoint/" + id) },
        { "resource",
            QJsonObject { { "resourceType", "Endpoint" }, { "id", id }, { "status", status }, { "address", address },
                { "connectionType",
                    QJsonObject { { "system", "http://terminology.hl7.org/CodeSystem/endpoint-connection-type" },
                        { "code", "hl7-fhir-rest" } } },
                { "extension",
                    QJsonArray {
                        QJsonObject { { "url", "http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version" },
                            { "valueCode", version } } } } } } };
}

QJsonObject portal(const QString& name, const QString& url, const QStringList& endpointIds)
{
    QJsonArray parts { QJsonObject { { "url", "portalName" }, { "valueString", name } },
        QJsonObject { { "url", "portalUrl" }, { "valueUrl", url } } };
    for (const QString& id : endpointIds)
        parts << QJsonObject { { "url", "portalEndpoint" },
            { "valueReference", QJsonObject { { "reference", QString("Endpoint/" + id) } } } };
    return { { "url", "http://hl7.org/fhir/StructureDefinition/organization-portal" }, { "extension", parts } };
}

QJsonObject organization(const QString& id, const QString& name, const QStringList& aliases,
    const QList<std::pair<QString, QString>>& cities, const QStringList& endpointIds, const QString& partOf = {},
    const QJsonArray& extensions = {})
{
    QJsonObject org { { "resourceType", "Organization" }, { "id", id }, { "name", name },
        { "alias", QJsonArray::fromStringList(aliases) },
        { "identifier",
            QJsonArray { QJsonObject {
                { "system", "urn:ietf:rfc:3986" }, { "value", QString("https://" + id + ".example.org") } } } },
        { "telecom",
            QJsonArray {
                QJsonObject { { "system", "url" }, { "value", QString("https://" + id + ".example.org") } } } } };
    QJsonArray addresses;
    for (const auto& [city, state] : cities)
        addresses << QJsonObject { { "city", city }, { "state", state } };
    org.insert("address", addresses);
    QJsonArray references;
    for (const QString& e : endpointIds)
        references << QJsonObject { { "reference", QString("Endpoint/" + e) } };
    if (!references.isEmpty())
        org.insert("endpoint", references);
    if (!partOf.isEmpty())
        org.insert("partOf", QJsonObject { { "reference", QString("Organization/" + partOf) } });
    QJsonArray ext = extensions;
    ext << QJsonObject { { "url", "http://hl7.org/fhir/StructureDefinition/organization-brand" },
        { "extension",
            QJsonArray { QJsonObject {
                { "url", "brandLogo" }, { "valueUrl", QString("https://" + id + ".example.org/logo.png") } } } } };
    ext << QJsonObject { { "url", "https://unknown.example/extension" }, { "valueString", "fine" } };
    org.insert("extension", ext);
    return { { "fullUrl", QString(kBase + "Organization/" + id) }, { "resource", org } };
}

QByteArray bundle(const QJsonArray& entries)
{
    return QJsonDocument(QJsonObject { { "resourceType", "Bundle" }, { "type", "collection" }, { "entry", entries } })
        .toJson(QJsonDocument::Compact);
}

const QUrl kSource(QStringLiteral("https://directory.example.net/brands.json"));

} // namespace

// User Access Brands as SMART App Launch 2.2 shapes them: the four example shapes, written here, and the
// search over them.
class tst_UserAccessBrands : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // A lab with locations across the country: one brand, one endpoint, many places.
    void aLabWithLocationsNationwide()
    {
        const auto brands = parseBrandBundle(
            bundle({ organization("quicklab", "QuickLab", { "QuickLab Texas", "QuickLab Ohio" },
                         { { "Austin", "TX" }, { "Columbus", "OH" }, { "Tulsa", "OK" } }, { "quicklab" }, {},
                         { portal("QuickLab Results", "https://results.quicklab.example.org", { "quicklab" }) }),
                endpoint("quicklab", "https://fhir.quicklab.example.org/r4/") }),
            kSource);
        QVERIFY(brands);
        QCOMPARE(brands.value().size(), 1);
        const Brand& lab = brands.value().first();
        QCOMPARE(lab.name, QStringLiteral("QuickLab"));
        QCOMPARE(lab.locations.size(), 3);
        QCOMPARE(lab.fhirBases, (QList<QUrl> { QUrl("https://fhir.quicklab.example.org/r4") }));
        QCOMPARE(lab.portals.size(), 1);
        QCOMPARE(lab.portals.first().fhirBases, lab.fhirBases);
        QCOMPARE(lab.logo, QUrl("https://quicklab.example.org/logo.png"));
        QCOMPARE(lab.website, QUrl("https://quicklab.example.org"));
        QCOMPARE(lab.identifiers, QStringList { "urn:ietf:rfc:3986|https://quicklab.example.org" });
    }

    // A regional system whose affiliates have brands of their own but connect through the parent's endpoint;
    // an endpoint of another FHIR version does not count.
    void aRegionalSystemWithAffiliates()
    {
        const auto brands = parseBrandBundle(
            bundle({ organization("valleyhealth", "Valley Health", {}, { { "Springfield", "IL" } },
                         { "valley-dstu2", "valley-r4" }),
                organization("valleykids", "Valley Children's Hospital", { "Kids First" }, { { "Springfield", "IL" } },
                    {}, "valleyhealth"),
                organization("valleyclinic", "Valley Clinic of Decatur", {}, { { "Decatur", "IL" } }, {}, "valleykids"),
                endpoint("valley-dstu2", "https://ehr.valley.example.org/api/FHIR/DSTU2", "1.0.2"),
                endpoint("valley-r4", "https://ehr.valley.example.org/api/FHIR/R4") }),
            kSource);
        QVERIFY(brands);
        QCOMPARE(brands.value().size(), 3);
        const QList<QUrl> r4 { QUrl("https://ehr.valley.example.org/api/FHIR/R4") };
        QCOMPARE(brands.value()[0].fhirBases, r4);
        QVERIFY(!brands.value()[0].inheritedEndpoints);
        QCOMPARE(brands.value()[1].fhirBases, r4);
        QVERIFY(brands.value()[1].inheritedEndpoints);
        QCOMPARE(brands.value()[1].parentName, QStringLiteral("Valley Health"));
        // Two levels of partOf: the clinic reaches the system's endpoint through the hospital.
        QCOMPARE(brands.value()[2].fhirBases, r4);
    }

    // Different EHRs for different patients, shown as one card: two endpoints to choose from.
    void differentEhrsInOneCard()
    {
        const auto brands = parseBrandBundle(
            bundle(
                { organization("harbor", "Harbor Medical", {}, { { "Portland", "ME" } }, { "harbor-a", "harbor-b" }, {},
                      { portal("Harbor Adults", "https://adults.harbor.example.org", { "harbor-a" }),
                          portal("Harbor Kids", "https://kids.harbor.example.org", { "harbor-b" }) }),
                    endpoint("harbor-a", "https://a.ehr.example.com/harbor/R4"),
                    endpoint("harbor-b", "https://b.ehr.example.com/harbor/R4"),
                    endpoint("harbor-old", "https://old.ehr.example.com/harbor/R4", "4.0.1", "off") }),
            kSource);
        QVERIFY(brands);
        const Brand& harbor = brands.value().first();
        QCOMPARE(harbor.fhirBases.size(), 2);
        QCOMPARE(harbor.portals.size(), 2);
        QCOMPARE(harbor.portals[1].name, QStringLiteral("Harbor Kids"));
        QCOMPARE(harbor.portals[1].fhirBases, (QList<QUrl> { QUrl("https://b.ehr.example.com/harbor/R4") }));
    }

    // Two co-equal brands that share one endpoint: two cards, the same server.
    void twoCoEqualBrandsShareAnEndpoint()
    {
        const auto brands
            = parseBrandBundle(bundle({ organization("northstar", "Northstar Insurance", {}, {}, { "shared" }),
                                   organization("southcross", "Southcross Insurance", {}, {}, { "shared" }),
                                   endpoint("shared", "https://api.payer.example.com/R4") }),
                kSource);
        QVERIFY(brands);
        QCOMPARE(brands.value().size(), 2);
        QCOMPARE(brands.value()[0].fhirBases, brands.value()[1].fhirBases);
        QVERIFY(brands.value()[0].name != brands.value()[1].name);
    }

    void aBrandWithoutAnEndpointIsShownButCannotConnect()
    {
        const auto brands
            = parseBrandBundle(bundle({ organization("paper", "Paper Records Clinic", {}, {}, {}) }), kSource);
        QVERIFY(brands);
        QVERIFY(!brands.value().first().canConnect());
    }

    void aBadOrTruncatedBundleIsAnError_data()
    {
        QTest::addColumn<QByteArray>("json");
        const QByteArray good
            = bundle({ organization("x", "X Health", {}, {}, { "x" }), endpoint("x", "https://x.example/R4") });
        QTest::newRow("truncated") << good.left(good.size() / 2);
        QTest::newRow("not json") << QByteArray("<html>503</html>");
        QTest::newRow("a patient") << QByteArray("{\"resourceType\":\"Patient\"}");
        QTest::newRow("empty") << QByteArray();
    }

    void aBadOrTruncatedBundleIsAnError()
    {
        QFETCH(QByteArray, json);
        const auto brands = parseBrandBundle(json, kSource);
        QVERIFY(!brands);
        QVERIFY(!brands.failure().message.isEmpty());
    }

    void brandsMergeByIdentifierAndTheServersOwnBundleWins()
    {
        const QByteArray a = bundle({ organization("valleyhealth", "Valley Health (old name)", { "VH" }, {}, {}) });
        const QByteArray b = bundle(
            { organization("valleyhealth", "Valley Health", { "Valley" }, { { "Springfield", "IL" } }, { "r4" }),
                endpoint("r4", "https://ehr.valley.example.org/R4") });
        const QUrl serverBundle("https://ehr.valley.example.org/brands.json");
        const auto first = parseBrandBundle(a, kSource);
        const auto second = parseBrandBundle(b, serverBundle);
        QVERIFY(first && second);
        const QList<Brand> merged = mergeBrands({ first.value(), second.value() }, serverBundle);
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged.first().name, QStringLiteral("Valley Health"));
        QVERIFY(merged.first().aliases.contains("VH") && merged.first().aliases.contains("Valley"));
        QCOMPARE(merged.first().fhirBases.size(), 1);
        // Without the preference, the first source names it, the second adds its endpoint.
        const QList<Brand> plain = mergeBrands({ first.value(), second.value() });
        QCOMPARE(plain.first().name, QStringLiteral("Valley Health (old name)"));
        QCOMPARE(plain.first().fhirBases.size(), 1);
        QCOMPARE(findBrandByIdentifier(merged, "urn:ietf:rfc:3986", "https://valleyhealth.example.org"), 0);
        QCOMPARE(findBrandByIdentifier(merged, "urn:ietf:rfc:3986", "https://nobody.example.org"), -1);
    }

    void searchIsAccentAndCaseInsensitiveAndPrefixFirst()
    {
        QList<Brand> brands;
        const auto add = [&brands](const QString& name, const QStringList& aliases, const QString& city) {
            Brand b;
            b.name = name;
            b.aliases = aliases;
            b.locations << BrandLocation { city, "MO" };
            brands << b;
        };
        add("Saint Mercy Clinic", {}, "Joplin");
        add("Mercy Hospital", {}, "Springfield");
        add("Clínica Núñez", { "Nunez Family Care" }, "Springfield");
        add("Springfield Orthopedics", {}, "Branson");
        const BrandIndex index(brands);
        QCOMPARE(index.search("mercy"), (QList<int> { 1, 0 })); // name starts with it first
        QCOMPARE(index.search("MER"), (QList<int> { 1, 0 }));
        QCOMPARE(index.search("nunez"), QList<int> { 2 });
        QCOMPARE(index.search("clinica"), QList<int> { 2 });
        QCOMPARE(index.search("springfield"), (QList<int> { 3, 1, 2 }));
        QCOMPARE(index.search("mercy spring"), QList<int> { 1 });
        QCOMPARE(index.search("ercy"), QList<int>()); // a word's start, not its middle
        QCOMPARE(index.search(""), (QList<int> { 0, 1, 2, 3 }));
        QCOMPARE(BrandIndex::fold(QStringLiteral("  Clínica  NÚÑEZ's ")), QStringLiteral("clinica nunez s"));
    }
};

QTEST_GUILESS_MAIN(tst_UserAccessBrands)
#include "tst_UserAccessBrands.moc"
