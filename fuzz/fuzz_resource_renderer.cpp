// Every ResourceRenderer function on a FHIR resource from a server: what the
// tables, the detail view and the summary show. Input: a resource's JSON.
// Besides the whole-resource calls, each top-level member goes through each
// typed helper, since a hostile server may put any JSON where a type is expected.

#include "FuzzInput.h"

#include "fhir/HumanName.h"
#include "ui/RecordCategory.h"
#include "ui/ResourceRenderer.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace ondevice;
using namespace ondevice::ui;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(fuzz::bytes(data, size));
    if (!document.isObject())
        return 0;
    const QJsonObject resource = document.object();
    const ReferenceResolver resolve = [](const QString& reference) {
        return reference.startsWith(QLatin1String("Practitioner/")) ? QStringLiteral("Dr. Example") : QString();
    };

    (void)ResourceRenderer::title(resource);
    (void)ResourceRenderer::when(resource);
    (void)ResourceRenderer::value(resource);
    (void)ResourceRenderer::referenceRange(resource);
    (void)ResourceRenderer::flag(resource);
    (void)ResourceRenderer::typeName(resource.value(QLatin1String("resourceType")).toString());
    for (const RecordCategory category : RecordCategories::all()) {
        const QStringList cells = ResourceRenderer::cells(category, resource, QStringLiteral("Example Health"));
        if (category != RecordCategory::Summary)
            fuzz::require(cells.size() == RecordCategories::columns(category).size(), "one cell per column");
    }
    const RenderedDetail detail = ResourceRenderer::detail(resource, QStringLiteral("Example Health"), resolve);
    (void)ResourceRenderer::detailText(detail);

    for (auto it = resource.begin(); it != resource.end(); ++it) {
        const QJsonValue member = it.value();
        (void)ResourceRenderer::conceptText(member);
        (void)ResourceRenderer::coding(member);
        (void)ResourceRenderer::concepts(member);
        (void)ResourceRenderer::quantity(member);
        (void)ResourceRenderer::period(member);
        (void)fhir::humanName(member);
        (void)ResourceRenderer::reference(member, resolve);
        if (member.isString())
            (void)ResourceRenderer::date(member.toString());
        if (member.isDouble())
            (void)ResourceRenderer::number(member.toDouble());
    }
    return 0;
}
