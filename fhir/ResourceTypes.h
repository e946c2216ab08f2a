#pragma once

#include <QStringList>

namespace ondevice::fhir {

// Every resource type FHIR R4 (4.0.1) defines, in alphabetical order. A store keeps types only as HMAC
// tags, so this list is how the types it holds are found again (ResourceStore::storedTypes).
const QStringList& fhirR4ResourceTypes();
// Whether `type` is one of them (a hash lookup: the store asks for every record it writes).
bool isFhirR4ResourceType(const QString& type);

} // namespace ondevice::fhir
