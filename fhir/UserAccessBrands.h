#pragma once

#include "core/Expected.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace ondevice::fhir {

// SMART App Launch 2.2 User Access Brands: a publisher's Bundle (type collection) of Organizations, each a brand
// a patient recognises, and Endpoints, each a FHIR base. Read as the profiles define them, liberally: unknown
// extensions and missing optional members are fine; only a document that is not a Bundle is an error.

struct BrandLocation {
    QString city;
    QString state;
};

// A way into a brand's records: its patient portal (organization-portal extension), and the FHIR bases that
// portal's sign-in reaches (portalEndpoint).
struct BrandPortal {
    QString name;
    QString description;
    QUrl url;
    QUrl logo;
    QList<QUrl> fhirBases;
};

struct Brand {
    QString id; // the Organization's fullUrl (or Organization/<id>): unique within one bundle
    QStringList identifiers; // "system|value", the keys brands are merged by across sources
    QString name;
    QStringList aliases;
    QList<BrandLocation> locations;
    QUrl website;
    QUrl logo; // brandLogo: https, or a data: URL
    QString logoLicense;
    QList<BrandPortal> portals;
    // The FHIR R4 bases (active, hl7-fhir-rest, 4.0.x) this brand connects to: its own, else its parent's
    // through partOf (at most two levels). Empty: shown greyed, with its portal link only.
    QList<QUrl> fhirBases;
    bool inheritedEndpoints = false;
    QString parentName; // the brand it is an affiliate of (partOf), when that is in the bundle
    QUrl source; // the bundle it came from

    bool canConnect() const { return !fhirBases.isEmpty(); }
};

enum class BrandError {
    NotABundle, // not JSON, not a Bundle, or cut short
};

// The brands of one bundle, in its order. `source` is where it came from (relative references are resolved
// against each entry's fullUrl, else against it).
Expected<QList<Brand>, BrandError> parseBrandBundle(const QByteArray& json, const QUrl& source);

// Brands of several sources as one list: brands that share an identifier are one brand. `preferred` (the bundle
// a FHIR server names in its own SMART configuration) wins for the brands it has; otherwise the first source
// wins, and the others only add what it lacks (aliases, locations, endpoints).
QList<Brand> mergeBrands(const QList<QList<Brand>>& sources, const QUrl& preferred = {});

// The brand a server names as its own (SMART configuration `user_access_brand_identifier`, a FHIR Identifier):
// the index of the one brand with that identifier, or -1 when none or several have it.
int findBrandByIdentifier(const QList<Brand>& brands, const QString& system, const QString& value);

// As-you-type search over name, aliases, city and state: accent- and case-insensitive, every word of the query
// must start a word of the brand; brands whose name starts with the query come first, then those where a word
// of the name does, then the rest; ties keep the directory's order. Built once, searched many times; safe to
// search from several threads.
class BrandIndex {
public:
    explicit BrandIndex(QList<Brand> brands);
    ~BrandIndex();
    BrandIndex(BrandIndex&&) noexcept;
    BrandIndex& operator=(BrandIndex&&) noexcept;

    const QList<Brand>& brands() const;
    // Indexes into brands(), best first; an empty query lists every brand in order. At most `limit`.
    QList<int> search(const QString& query, int limit = 200) const;

    // Lower case, accents removed, anything but letters and digits a separator.
    static QString fold(const QString& text);

private:
    struct Data;
    std::unique_ptr<Data> d;
};

} // namespace ondevice::fhir
