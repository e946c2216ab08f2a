// A provider directory (User Access Brands bundle) as a publisher sends it: parsed, merged with itself as a
// second source, indexed and searched. What the parser promises: a brand's FHIR bases are absolute http(s) URLs,
// a brand with none cannot connect, and a search only returns indexes into the brands it was built from.

#include "FuzzInput.h"

#include "fhir/UserAccessBrands.h"

#include <QUrl>

#include <algorithm>

using namespace ondevice;
using namespace ondevice::fhir;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    const QUrl source(QStringLiteral("https://directory.example/brands.json"));
    const auto parsed = parseBrandBundle(input, source);
    if (!parsed)
        return 0;
    for (const Brand& brand : parsed.value()) {
        fuzz::require(brand.canConnect() == !brand.fhirBases.isEmpty(), "canConnect follows the endpoints");
        for (const QUrl& base : brand.fhirBases) {
            const QString scheme = base.scheme();
            fuzz::require(base.isValid() && (scheme == QLatin1String("https") || scheme == QLatin1String("http")),
                "a FHIR base is an http(s) URL");
        }
    }
    const QList<Brand> merged = mergeBrands({ parsed.value(), parsed.value() }, source);
    // Brands are merged by identifier: merged with itself, a source only repeats the brands that have none.
    const auto anonymous = std::count_if(
        parsed.value().cbegin(), parsed.value().cend(), [](const Brand& b) { return b.identifiers.isEmpty(); });
    fuzz::require(merged.size() <= parsed.value().size() + anonymous, "a source merged with itself adds nothing");
    const BrandIndex index(merged);
    for (const QString& query :
        { QString(), QStringLiteral("h"), QStringLiteral("health spring"), QString::fromUtf8(input.left(24)) }) {
        for (const int hit : index.search(query, 50))
            fuzz::require(hit >= 0 && hit < index.brands().size(), "a hit is one of the brands");
    }
    (void)findBrandByIdentifier(merged, QStringLiteral("urn:ietf:rfc:3986"), QStringLiteral("https://a.example"));
    return 0;
}
