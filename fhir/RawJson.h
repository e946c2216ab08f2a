#pragma once

#include <QByteArrayView>
#include <QList>

#include <optional>

namespace ondevice::fhir {

// Where each entry's resource is in the text of a Bundle, so that a page's records are stored byte for byte
// as the server sent them instead of being serialised again (re-serialising took about as long as parsing).
//
// One view per element of the top-level "entry" array, in order: the raw text of its "resource" member, or an
// empty view when the element is not an object or has no resource. For a text QJsonDocument has accepted; it
// returns nullopt for anything it cannot be sure means the same thing to QJsonDocument (a key written with
// escapes, a repeated "entry" or "resource" key, text that is not JSON), and the caller serialises instead.
std::optional<QList<QByteArrayView>> bundleEntryResources(QByteArrayView json);

} // namespace ondevice::fhir
