#include "BrandDirectory.h"

#include <QJsonArray>

namespace ondevice::sandbox {

namespace {

struct Shape {
    const char* id;
    const char* name;
    QStringList aliases;
    QList<std::pair<const char*, const char*>> places; // city, state
    QStringList endpoints; // Endpoint ids of its own
    const char* partOf = nullptr;
    QList<std::pair<const char*, const char*>> portals; // name, Endpoint id
};

const QList<Shape>& shapes()
{
    static const QList<Shape> list {
        // 1. A lab with locations nationwide: one brand, one endpoint.
        { "sandbox-labs", "Sandbox Labs", { "Sandbox Labs Texas", "Sandbox Labs Ohio" },
            { { "Austin", "TX" }, { "Columbus", "OH" }, { "Tulsa", "OK" }, { "Fresno", "CA" } }, { "labs" }, nullptr,
            { { "Sandbox Labs Results", "labs" } } },
        // 2. A regional system; its affiliates have their own brands and connect through it.
        { "riverbend", "Riverbend Health", { "Riverbend" }, { { "Springfield", "IL" } },
            { "riverbend-dstu2", "riverbend" }, nullptr, { { "MyRiverbend", "riverbend" } } },
        { "riverbend-kids", "Riverbend Children's Hospital", { "Kids First" }, { { "Springfield", "IL" } }, {},
            "riverbend", {} },
        { "lakeside", "Lakeside Clinic", {}, { { "Decatur", "IL" } }, {}, "riverbend-kids", {} },
        // 3. Different EHRs for different patients, shown as one card.
        { "harbor", "Harbor Medical Center", { "Harbor" }, { { "Portland", "ME" } }, { "harbor-adults", "harbor-kids" },
            nullptr, { { "Harbor for Adults", "harbor-adults" }, { "Harbor for Kids", "harbor-kids" } } },
        // 4. Two co-equal brands sharing an endpoint.
        { "northstar", "Northstar Health Plan", {}, { { "Saint Paul", "MN" } }, { "payers" }, nullptr, {} },
        { "southcross", "Southcross Health Plan", {}, { { "Mobile", "AL" } }, { "payers" }, nullptr, {} },
    };
    return list;
}

QJsonObject identifier(const QString& id)
{
    return { { QStringLiteral("system"), QStringLiteral("urn:ietf:rfc:3986") },
        { QStringLiteral("value"), QStringLiteral("https://%1.sandbox.example").arg(id) } };
}

QJsonObject endpoint(const QString& origin, const QString& id, const QString& address, const char* version)
{
    return { { QStringLiteral("fullUrl"), QString(origin + QStringLiteral("/brands/Endpoint/") + id) },
        { QStringLiteral("resource"),
            QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Endpoint") }, { QStringLiteral("id"), id },
                { QStringLiteral("status"), QStringLiteral("active") }, { QStringLiteral("address"), address },
                { QStringLiteral("name"), QStringLiteral("FHIR endpoint %1").arg(id) },
                { QStringLiteral("connectionType"),
                    QJsonObject {
                        { QStringLiteral("system"),
                            QStringLiteral("http://terminology.hl7.org/CodeSystem/endpoint-connection-type") },
                        { QStringLiteral("code"), QStringLiteral("hl7-fhir-rest") } } },
                { QStringLiteral("payloadType"),
                    QJsonArray { QJsonObject { { QStringLiteral("text"), QStringLiteral("none") } } } },
                { QStringLiteral("extension"),
                    QJsonArray { QJsonObject {
                        { QStringLiteral("url"),
                            QStringLiteral("http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version") },
                        { QStringLiteral("valueCode"), QString::fromLatin1(version) } } } } } } };
}

QJsonObject organization(const QString& origin, const QString& id, const QString& name, const QStringList& aliases,
    const QList<std::pair<QString, QString>>& places, const QStringList& endpoints, const QString& partOf,
    const QList<std::pair<QString, QString>>& portals)
{
    QJsonArray extensions { QJsonObject {
        { QStringLiteral("url"), QStringLiteral("http://hl7.org/fhir/StructureDefinition/organization-brand") },
        { QStringLiteral("extension"),
            QJsonArray { QJsonObject { { QStringLiteral("url"), QStringLiteral("brandLogo") },
                { QStringLiteral("valueUrl"),
                    QString(origin + QStringLiteral("/brands/logos/") + id + QStringLiteral(".svg")) } } } } } };
    for (const auto& [portalName, endpointId] : portals)
        extensions << QJsonObject { { QStringLiteral("url"),
                                        QStringLiteral("http://hl7.org/fhir/StructureDefinition/organization-portal") },
            { QStringLiteral("extension"),
                QJsonArray { QJsonObject { { QStringLiteral("url"), QStringLiteral("portalName") },
                                 { QStringLiteral("valueString"), portalName } },
                    QJsonObject { { QStringLiteral("url"), QStringLiteral("portalUrl") },
                        { QStringLiteral("valueUrl"), QString(origin + QStringLiteral("/")) } },
                    QJsonObject { { QStringLiteral("url"), QStringLiteral("portalEndpoint") },
                        { QStringLiteral("valueReference"),
                            QJsonObject { { QStringLiteral("reference"),
                                QString(QStringLiteral("Endpoint/") + endpointId) } } } } } } };
    QJsonArray addresses;
    for (const auto& [city, state] : places)
        addresses << QJsonObject { { QStringLiteral("city"), city }, { QStringLiteral("state"), state },
            { QStringLiteral("country"), QStringLiteral("US") } };
    QJsonArray references;
    for (const QString& e : endpoints)
        references << QJsonObject { { QStringLiteral("reference"), QString(QStringLiteral("Endpoint/") + e) } };
    QJsonObject org { { QStringLiteral("resourceType"), QStringLiteral("Organization") }, { QStringLiteral("id"), id },
        { QStringLiteral("extension"), extensions }, { QStringLiteral("identifier"), QJsonArray { identifier(id) } },
        { QStringLiteral("active"), true }, { QStringLiteral("name"), name },
        { QStringLiteral("alias"), QJsonArray::fromStringList(aliases) },
        { QStringLiteral("telecom"),
            QJsonArray { QJsonObject { { QStringLiteral("system"), QStringLiteral("url") },
                { QStringLiteral("value"), QStringLiteral("https://%1.sandbox.example").arg(id) } } } },
        { QStringLiteral("address"), addresses } };
    if (!references.isEmpty())
        org.insert(QStringLiteral("endpoint"), references);
    if (!partOf.isEmpty())
        org.insert(QStringLiteral("partOf"),
            QJsonObject { { QStringLiteral("reference"), QString(QStringLiteral("Organization/") + partOf) } });
    return { { QStringLiteral("fullUrl"), QString(origin + QStringLiteral("/brands/Organization/") + id) },
        { QStringLiteral("resource"), org } };
}

} // namespace

QJsonObject BrandDirectory::bundle(const QString& origin, const QString& fhirBase, int generated)
{
    QJsonArray entries;
    for (const Shape& shape : shapes()) {
        QList<std::pair<QString, QString>> places;
        for (const auto& [city, state] : shape.places)
            places.append({ QLatin1String(city), QLatin1String(state) });
        QList<std::pair<QString, QString>> portals;
        for (const auto& [portalName, endpointId] : shape.portals)
            portals.append({ QLatin1String(portalName), QLatin1String(endpointId) });
        entries << organization(origin, QLatin1String(shape.id), QLatin1String(shape.name), shape.aliases, places,
            shape.endpoints, shape.partOf ? QLatin1String(shape.partOf) : QString(), portals);
    }
    for (const char* id : { "labs", "riverbend", "harbor-adults", "harbor-kids", "payers" })
        entries << endpoint(origin, QLatin1String(id), fhirBase, "4.0.1");
    // An older FHIR version the app must not offer.
    entries << endpoint(origin, QStringLiteral("riverbend-dstu2"), fhirBase + QStringLiteral("/dstu2"), "1.0.2");
    // Made-up brands for load tests, all at this server.
    static const char* const kWords[] = { "Cedar", "Summit", "Prairie", "Harbor", "Valley", "Pine", "Granite", "Maple",
        "River", "Lakeview", "Canyon", "Meadow" };
    static const char* const kKinds[] = { "Clinic", "Health", "Medical Group", "Hospital", "Family Care" };
    static const char* const kStates[] = { "TX", "CA", "NY", "OH", "IL", "WA", "GA", "MN" };
    for (int i = 0; i < generated; ++i) {
        const QString id = QStringLiteral("generated-%1").arg(i);
        const QString name = QStringLiteral("%1 %2 %3")
                                 .arg(QLatin1String(kWords[i % 12]), QLatin1String(kWords[(i / 12) % 12]),
                                     QLatin1String(kKinds[i % 5]))
            + (i >= 720 ? QStringLiteral(" %1").arg(i / 720) : QString());
        entries << organization(origin, id, name, {},
            { { QStringLiteral("Town %1").arg(i % 97), QLatin1String(kStates[i % 8]) } }, { QStringLiteral("labs") },
            {}, {});
    }
    return { { QStringLiteral("resourceType"), QStringLiteral("Bundle") },
        { QStringLiteral("type"), QStringLiteral("collection") },
        { QStringLiteral("timestamp"), QStringLiteral("2026-12-01T00:00:00Z") }, { QStringLiteral("entry"), entries } };
}

QJsonObject BrandDirectory::ownIdentifier()
{
    return identifier(QLatin1String(shapes().first().id));
}

QByteArray BrandDirectory::logo(const QString& name)
{
    for (const Shape& shape : shapes()) {
        if (name != QLatin1String(shape.id))
            continue;
        QString initials;
        for (const QString& word : QString::fromLatin1(shape.name).split(QLatin1Char(' '), Qt::SkipEmptyParts))
            if (initials.size() < 2 && word.at(0).isUpper())
                initials += word.at(0);
        static const char* const kColours[]
            = { "#1f6feb", "#2f855a", "#b7791f", "#9b2c2c", "#6b46c1", "#2c7a7b", "#c05621" };
        const char* colour = kColours[&shape - shapes().data()];
        return QStringLiteral(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"96\" viewBox=\"0 0 96 96\">"
            "<rect width=\"96\" height=\"96\" rx=\"18\" fill=\"%1\"/>"
            "<text x=\"48\" y=\"60\" font-family=\"sans-serif\" font-size=\"38\" font-weight=\"bold\" "
            "fill=\"#fff\" text-anchor=\"middle\">%2</text></svg>")
            .arg(QLatin1String(colour), initials)
            .toUtf8();
    }
    return {};
}

} // namespace ondevice::sandbox
