#include "BrandBundles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ondevice::testing {

namespace {

QJsonObject entry(const QString& fullUrl, const QJsonObject& resource)
{
    return { { "fullUrl", fullUrl }, { "resource", resource } };
}

QJsonObject endpoint(const QString& id, const QString& address)
{
    return entry("https://d.example/Endpoint/" + id,
        { { "resourceType", "Endpoint" }, { "id", id }, { "status", "active" }, { "address", address },
            { "connectionType",
                QJsonObject { { "system", "http://terminology.hl7.org/CodeSystem/endpoint-connection-type" },
                    { "code", "hl7-fhir-rest" } } },
            { "extension",
                QJsonArray { QJsonObject { { "url", "http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version" },
                    { "valueCode", "4.0.1" } } } } });
}

QJsonObject portal(const QString& name, const QString& url, const QString& endpointId)
{
    QJsonArray parts { QJsonObject { { "url", "portalName" }, { "valueString", name } },
        QJsonObject { { "url", "portalUrl" }, { "valueUrl", url } } };
    if (!endpointId.isEmpty())
        parts << QJsonObject { { "url", "portalEndpoint" },
            { "valueReference", QJsonObject { { "reference", QString("Endpoint/" + endpointId) } } } };
    return { { "url", "http://hl7.org/fhir/StructureDefinition/organization-portal" }, { "extension", parts } };
}

} // namespace

QByteArray twoPortalsAndNoEndpointDirectory(const QUrl& adults, const QUrl& kids, const QString& logo)
{
    const QJsonObject harbor { { "resourceType", "Organization" }, { "id", "harbor" }, { "name", "Harbor Medical" },
        { "identifier",
            QJsonArray { QJsonObject { { "system", "urn:ietf:rfc:3986" }, { "value", "https://harbor.example" } } } },
        { "address", QJsonArray { QJsonObject { { "city", "Portland" }, { "state", "ME" } } } },
        { "endpoint",
            QJsonArray { QJsonObject { { "reference", "Endpoint/harbor-a" } },
                QJsonObject { { "reference", "Endpoint/harbor-b" } } } },
        { "extension",
            QJsonArray {
                QJsonObject { { "url", "http://hl7.org/fhir/StructureDefinition/organization-brand" },
                    { "extension", QJsonArray { QJsonObject { { "url", "brandLogo" }, { "valueUrl", logo } } } } },
                portal("Harbor Adults", "https://adults.harbor.example", "harbor-a"),
                portal("Harbor Kids", "https://kids.harbor.example", "harbor-b") } } };
    const QJsonObject mill { { "resourceType", "Organization" }, { "id", "mill" },
        { "name", "Old Mill Family Practice" },
        { "identifier",
            QJsonArray { QJsonObject { { "system", "urn:ietf:rfc:3986" }, { "value", "https://mill.example" } } } },
        { "address", QJsonArray { QJsonObject { { "city", "Bangor" }, { "state", "ME" } } } },
        { "extension", QJsonArray { portal("Old Mill Portal", "https://portal.oldmill.example/", {}) } } };
    const QJsonArray entries { entry("https://d.example/Organization/harbor", harbor),
        entry("https://d.example/Organization/mill", mill), endpoint("harbor-a", adults.toString()),
        endpoint("harbor-b", kids.toString()) };
    return QJsonDocument(QJsonObject { { "resourceType", "Bundle" }, { "type", "collection" }, { "entry", entries } })
        .toJson();
}

} // namespace ondevice::testing
