#pragma once

#include "fhir/store/StoreError.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace simdjson::dom {
class element;
}

namespace ondevice::fhir {

// What the store learns from a resource's JSON. The store keeps none of it in clear except the two
// dates: type, id and codes become HMAC tags, the rest lives only inside the ciphertext.
struct ResourceIndex {
    QString type;
    QString id;
    QString versionId; // meta.versionId, empty when the server sent none (Synthea bundles)
    QDateTime lastUpdated; // meta.lastUpdated (UTC), invalid when absent
    // The clinically relevant date, per type (see sortDateFor in the .cpp); falls back to lastUpdated.
    QDateTime sortDate;
    QStringList codes; // "system|code" of the main code(s); "|code" when a coding has no system
    QStringList categories; // "system|code" of the category codings

    // Fails with StoreError::InvalidResource (a clear message) for anything that is not a JSON
    // object with a resourceType and an id.
    static StoreResult<ResourceIndex> fromJson(const QByteArray& json);
    static StoreResult<ResourceIndex> fromObject(const QJsonObject& resource);
    // The same, read from simdjson's parse of a page (FhirClient::parseBundle).
    static StoreResult<ResourceIndex> fromElement(const simdjson::dom::element& resource);

    // A FHIR date, dateTime or instant ("2019", "2019-09", "2019-09-16", "2019-09-16T03:19:07+00:00",
    // with or without milliseconds, "Z" or an offset) as UTC; partial dates start at midnight UTC.
    // Invalid for anything else.
    static QDateTime parseFhirDateTime(const QString& text);
};

} // namespace ondevice::fhir
