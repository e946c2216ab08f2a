// The store's indexer: what ResourceStore learns from a resource's JSON before
// it encrypts it (type, id, version, dates, codes, categories).

#include "FuzzInput.h"

#include "fhir/store/ResourceIndex.h"

using namespace ondevice;
using namespace ondevice::fhir;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json = fuzz::bytes(data, size);
    if (const auto index = ResourceIndex::fromJson(json)) {
        const ResourceIndex& r = index.value();
        fuzz::require(!r.type.isEmpty() && r.type.size() <= 64, "a resource type name");
        fuzz::require(!r.id.isEmpty() && r.id.size() <= 256, "a usable id");
        // Sort dates sit in clear in the database, as UTC.
        if (r.sortDate.isValid())
            fuzz::require(r.sortDate.timeSpec() == Qt::UTC, "the sort date is UTC");
        if (r.lastUpdated.isValid())
            fuzz::require(r.lastUpdated.timeSpec() == Qt::UTC, "lastUpdated is UTC");
        for (const QString& code : r.codes + r.categories)
            fuzz::require(code.contains(QLatin1Char('|')), "codes are system|code");
    } else {
        fuzz::require(index.failure().code == StoreError::InvalidResource, "a refused resource is InvalidResource");
    }

    // The date parser on its own, on the input read as text (FHIR dates are short).
    const QString text = QString::fromUtf8(json.left(64));
    const QDateTime date = ResourceIndex::parseFhirDateTime(text);
    if (date.isValid())
        fuzz::require(date.timeSpec() == Qt::UTC, "a parsed FHIR date is UTC");
    return 0;
}
