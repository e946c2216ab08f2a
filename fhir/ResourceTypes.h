#pragma once

#include <QStringList>

namespace ondevice::fhir {

// Every resource type FHIR R4 (4.0.1) defines, in alphabetical order. A store keeps types only as HMAC
// tags, so this list is how the types it holds are found again (ResourceStore::storedTypes).
const QStringList& fhirR4ResourceTypes();

} // namespace ondevice::fhir
