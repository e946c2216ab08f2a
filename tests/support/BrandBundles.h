#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace ondevice::testing {

// A hand-written User Access Brands directory with the shapes the sandbox's own cannot show (its endpoints are
// all one FHIR base): "Harbor Medical" (Portland, ME) with two portals, "Harbor Adults" and "Harbor Kids", each
// reaching its own endpoint (`adults`, `kids`), logo `logo`; and "Old Mill Family Practice" (Bangor, ME), a
// portal (https://portal.oldmill.example/) and no endpoint.
QByteArray twoPortalsAndNoEndpointDirectory(const QUrl& adults, const QUrl& kids, const QString& logo);

} // namespace ondevice::testing
