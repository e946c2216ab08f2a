#pragma once

#include <QJsonValue>
#include <QString>

namespace ondevice::fhir {

// The name to show for a FHIR HumanName or a list of them (Patient.name, Practitioner.name): the first
// name that has a `text`, or else prefix, given and family names joined by spaces. Empty when no name has
// any of them. Not translated: a name is the patient's own words.
QString humanName(const QJsonValue& names);

} // namespace ondevice::fhir
