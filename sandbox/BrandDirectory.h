#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ondevice::sandbox {

// The sandbox's SMART User Access Brands bundle (GET {origin}/brands): the four shapes SMART App Launch 2.2
// illustrates (a lab with locations nationwide, a regional system with affiliates that connect through it,
// one card for two EHRs, two co-equal brands sharing an endpoint), every endpoint at this sandbox's FHIR base,
// logos served here; plus `generated` made-up brands for load tests (--brands-count).
class BrandDirectory {
public:
    static QJsonObject bundle(const QString& origin, const QString& fhirBase, int generated);
    // The identifier of this server's own brand (the first one), as the SMART configuration names it.
    static QJsonObject ownIdentifier();
    // GET {origin}/brands/logos/<name>.svg: a small SVG with the brand's initials; empty for an unknown name.
    static QByteArray logo(const QString& name);
};

} // namespace ondevice::sandbox
