// A searchset Bundle page as a FHIR server sends it, through the same steps
// as FhirClient::search: the page parse with simdjson (entries indexed for the
// store, the next link checked against the base's origin), checked against
// QJsonDocument's reading of the same page, and the error-body reader for a
// failed request.

#include "FuzzInput.h"

#include "fhir/FhirClient.h"
#include "fhir/OriginPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace ondevice;
using namespace ondevice::fhir;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);
    static const OriginPolicy origin(QUrl(QStringLiteral("https://ehr.example/fhir/r4")));
    // FhirClientOptions' default, and a small one the fuzzer can actually reach.
    for (const int depth : { FhirClientOptions {}.maxJsonDepth, 4 }) {
        const bool shallow = FhirClient::withinDepth(body, depth);
        const auto page = FhirClient::parseBundle(body, origin, depth);
        if (!page) {
            fuzz::require(!page.failure().message.isEmpty(), "a page failure has a user message");
            continue;
        }
        fuzz::require(shallow, "a page deeper than the limit is never parsed");
        const BundlePage& p = page.value();
        fuzz::require(p.resources.size() == p.indexes.size(), "one index per stored resource");
        // A count of matches (FHIR unsignedInt) that goes on to the progress display.
        fuzz::require(!p.total || *p.total >= 0, "Bundle.total, when kept, is not negative");
        for (const ResourceIndex& index : p.indexes)
            fuzz::require(!index.type.isEmpty() && !index.id.isEmpty(), "every stored resource has a type and an id");
        // The stored texts (the server's own bytes, sliced out of the page) are exactly the page's records:
        // the same objects QJsonDocument reads, in order, outcome entries and entries without one left out.
        QList<QJsonObject> expected;
        for (const QJsonValue entry : QJsonDocument::fromJson(body).object().value(QLatin1String("entry")).toArray()) {
            const QJsonObject e = entry.toObject();
            const QJsonObject resource = e.value(QLatin1String("resource")).toObject();
            if (!resource.isEmpty()
                && e.value(QLatin1String("search")).toObject().value(QLatin1String("mode")).toString()
                    != QLatin1String("outcome"))
                expected << resource;
        }
        fuzz::require(expected.size() == p.resources.size(), "one stored text per record of the page");
        for (qsizetype i = 0; i < expected.size(); ++i) {
            fuzz::require(QJsonDocument::fromJson(p.resources.at(i)).object() == expected.at(i),
                "a stored text is the very record the page holds");
            // The page is read with simdjson; the store and imports read a record with QJsonDocument: one reading.
            const auto qt = ResourceIndex::fromObject(expected.at(i));
            const ResourceIndex& simd = p.indexes.at(i);
            fuzz::require(qt && qt.value().type == simd.type && qt.value().id == simd.id
                    && qt.value().versionId == simd.versionId && qt.value().lastUpdated == simd.lastUpdated
                    && qt.value().sortDate == simd.sortDate && qt.value().codes == simd.codes
                    && qt.value().categories == simd.categories,
                "a page's index of a record is the index QJsonDocument's reading gives");
        }
        // The bearer token goes wherever `next` points: only the base's origin.
        if (p.next)
            fuzz::require(origin.allows(*p.next), "a next link stays on the FHIR base's origin");
    }
    for (const int status : { 400, 404, 500 })
        (void)FhirClient::outcomeFailure(status, body);
    return 0;
}
