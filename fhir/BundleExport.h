#pragma once

#include "store/ResourceStore.h"

#include <QString>
#include <QStringList>

namespace ondevice::fhir {

// Writes every stored resource, of every type the store holds (ResourceStore::storedTypes: the types the
// sync plans and whatever else a server sent), as one FHIR R4 collection Bundle, so patients can take their
// records anywhere. Streamed page by page (the whole store is never in memory at once) into a file only the
// user can read, replaced atomically. Returns how many resources were written.
StoreResult<qint64> exportBundle(ResourceStore& store, const QString& path);

} // namespace ondevice::fhir
