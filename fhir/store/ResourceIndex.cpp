#include "fhir/store/ResourceIndex.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include "fhir/SimdJson.h"

#include <cstring>
#include <initializer_list>
#include <string>

namespace ondevice::fhir {

namespace {

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::fhir::ResourceIndex)
};

StoreFailure invalid(const QString& detail)
{
    return StoreFailure { StoreError::InvalidResource,
        Text::tr("A record from the server is not a valid FHIR resource, so nothing from that page was saved."),
        detail };
}

bool isResourceTypeName(const QString& type)
{
    if (type.isEmpty() || type.size() > 64 || !type.at(0).isUpper())
        return false;
    for (const QChar c : type) {
        if (!((c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z')))
            return false;
    }
    return true;
}

// FHIR ids are [A-Za-z0-9\-\.]{1,64}; some servers send longer or odder ones, and the store only
// needs a value it can tag and give back, so it refuses only what cannot be an id at all.
bool isUsableId(const QString& id)
{
    if (id.isEmpty() || id.size() > 256)
        return false;
    for (const QChar c : id) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

// The index reads a resource through one small view of a JSON value, the same over Qt's parser (the store,
// imports) and simdjson's (a sync's pages): one reading of FHIR, whichever parsed it.
class QtJson {
public:
    explicit QtJson(QJsonValue value)
        : m_value(std::move(value))
    {
    }
    QtJson operator[](const char* key) const { return QtJson(m_value.toObject().value(QLatin1String(key))); }
    bool isString() const { return m_value.isString(); }
    QString string() const { return m_value.toString(); }
    bool has(const char* key) const { return m_value.toObject().contains(QLatin1String(key)); }
    bool isArray() const { return m_value.isArray(); }
    template <typename F> void forEach(F&& f) const
    {
        for (const QJsonValue item : m_value.toArray())
            f(QtJson(item));
    }

private:
    QJsonValue m_value;
};

// "effectivePeriod.start" and the like.
template <typename Json> Json at(const Json& object, const char* path)
{
    Json value = object;
    const char* start = path;
    while (const char* dot = std::strchr(start, '.')) {
        const std::string key(start, dot);
        value = value[key.c_str()];
        start = dot + 1;
    }
    return value[start];
}

// The clinically relevant date of each type, first match wins. A Patient has none on purpose: its
// birthDate would sit in clear in the database and, with the provider, narrow down who this is.
template <typename Json> QDateTime sortDateFor(const QString& type, const Json& r)
{
    auto first = [&r](std::initializer_list<const char*> paths) {
        for (const char* path : paths) {
            const Json value = at(r, path);
            if (value.isString()) {
                QDateTime date = ResourceIndex::parseFhirDateTime(value.string());
                if (date.isValid())
                    return date;
            }
        }
        return QDateTime();
    };
    if (type == u"Observation")
        return first({ "effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued" });
    if (type == u"DiagnosticReport")
        return first({ "effectiveDateTime", "effectivePeriod.start", "issued" });
    // When it started is what a timeline shows; recordedDate (when it was written down) is the fallback.
    if (type == u"Condition" || type == u"AllergyIntolerance")
        return first({ "onsetDateTime", "onsetPeriod.start", "recordedDate" });
    if (type == u"MedicationRequest")
        return first({ "authoredOn" });
    if (type == u"MedicationStatement" || type == u"MedicationAdministration")
        return first({ "effectiveDateTime", "effectivePeriod.start", "dateAsserted" });
    if (type == u"MedicationDispense")
        return first({ "whenHandedOver", "whenPrepared" });
    if (type == u"Immunization")
        return first({ "occurrenceDateTime", "recorded" });
    if (type == u"Procedure")
        return first({ "performedDateTime", "performedPeriod.start" });
    if (type == u"Encounter" || type == u"CareTeam" || type == u"Coverage")
        return first({ "period.start" });
    if (type == u"CarePlan")
        return first({ "period.start", "created" });
    if (type == u"DocumentReference")
        return first({ "date", "context.period.start" });
    if (type == u"Goal")
        return first({ "startDate", "statusDate" });
    if (type == u"Claim" || type == u"ExplanationOfBenefit")
        return first({ "billablePeriod.start", "created" });
    if (type == u"Patient" || type == u"Practitioner" || type == u"Organization" || type == u"Medication"
        || type == u"Device")
        return {};
    return first({ "effectiveDateTime", "effectivePeriod.start", "occurrenceDateTime", "period.start", "date",
        "authoredOn", "issued", "recordedDate" });
}

void appendToken(QStringList& out, const QString& system, const QString& code)
{
    if (code.isEmpty())
        return;
    QString token = QString(system + u'|' + code);
    if (!out.contains(token))
        out.append(std::move(token));
}

template <typename Json> void appendCoding(QStringList& out, const Json& coding)
{
    appendToken(out, coding["system"].string(), coding["code"].string());
}

// A CodeableConcept, a bare Coding (Encounter.class), or an array of either.
template <typename Json> void appendConcepts(QStringList& out, const Json& value)
{
    if (value.isArray()) {
        value.forEach([&out](const Json& item) { appendConcepts(out, item); });
        return;
    }
    if (value.has("coding"))
        value["coding"].forEach([&out](const Json& coding) { appendCoding(out, coding); });
    else if (value.has("code"))
        appendCoding(out, value);
}

template <typename Json> QStringList codesFor(const QString& type, const Json& r)
{
    QStringList codes;
    if (type == u"Immunization") {
        appendConcepts(codes, r["vaccineCode"]);
    } else if (type.startsWith(u"Medication") && type != u"Medication") {
        appendConcepts(codes, r["medicationCodeableConcept"]);
    } else if (type == u"Encounter" || type == u"DocumentReference" || type == u"Device" || type == u"Coverage") {
        appendConcepts(codes, r["type"]);
    } else if (type == u"Goal") {
        appendConcepts(codes, r["description"]);
    } else {
        appendConcepts(codes, r["code"]);
    }
    // A blood pressure panel is found by its systolic and diastolic codes too: that is what a chart asks for.
    if (type == u"Observation")
        r["component"].forEach([&codes](const Json& component) { appendConcepts(codes, component["code"]); });
    return codes;
}

template <typename Json> QStringList categoriesFor(const QString& type, const Json& r)
{
    QStringList categories;
    if (type == u"AllergyIntolerance") {
        // Here category is a list of plain codes from one fixed code system.
        r["category"].forEach([&categories](const Json& code) {
            appendToken(categories, QStringLiteral("http://hl7.org/fhir/allergy-intolerance-category"), code.string());
        });
        return categories;
    }
    if (type == u"Encounter")
        appendConcepts(categories, r["class"]);
    appendConcepts(categories, r["category"]);
    return categories;
}

int digits(QStringView text, qsizetype from, qsizetype count)
{
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const QChar c = text.at(i);
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

} // namespace

QDateTime ResourceIndex::parseFhirDateTime(const QString& text)
{
    const qsizetype n = text.size();
    if (n < 4)
        return {};
    const int year = digits(text, 0, 4);
    if (year < 0)
        return {};
    int month = 1;
    int day = 1;
    if (n >= 7) {
        if (text.at(4) != u'-' || (month = digits(text, 5, 2)) < 0)
            return {};
    }
    if (n >= 10) {
        if (text.at(7) != u'-' || (day = digits(text, 8, 2)) < 0)
            return {};
    }
    if (n == 4 || n == 7 || n == 10) {
        const QDate date(year, month, day);
        return date.isValid() ? QDateTime(date, QTime(0, 0), Qt::UTC) : QDateTime();
    }
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return {};
    // A dateTime with a time must carry a zone; one that doesn't is read as UTC, not as local time,
    // so the order of records does not depend on where the computer is.
    if (parsed.timeSpec() == Qt::LocalTime)
        parsed = QDateTime(parsed.date(), parsed.time(), Qt::UTC);
    return parsed.toUTC();
}

namespace {

template <typename Json> StoreResult<ResourceIndex> indexOf(const Json& r)
{
    const Json type = r["resourceType"];
    if (!type.isString() || type.string().isEmpty())
        return invalid(QStringLiteral("no resourceType"));
    ResourceIndex index;
    index.type = type.string();
    if (!isResourceTypeName(index.type))
        return invalid(QStringLiteral("resourceType is not a FHIR type name"));
    const Json id = r["id"];
    if (!id.isString() || id.string().isEmpty())
        return invalid(QStringLiteral("%1 without an id").arg(index.type));
    index.id = id.string();
    if (!isUsableId(index.id))
        return invalid(QStringLiteral("%1 with an unusable id (%2 characters)").arg(index.type).arg(index.id.size()));

    const Json meta = r["meta"];
    index.versionId = meta["versionId"].string();
    const Json lastUpdated = meta["lastUpdated"];
    if (lastUpdated.isString())
        index.lastUpdated = ResourceIndex::parseFhirDateTime(lastUpdated.string());
    index.sortDate = sortDateFor(index.type, r);
    if (!index.sortDate.isValid())
        index.sortDate = index.lastUpdated;
    index.codes = codesFor(index.type, r);
    index.categories = categoriesFor(index.type, r);
    return index;
}

} // namespace

StoreResult<ResourceIndex> ResourceIndex::fromJson(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return invalid(QStringLiteral("not a JSON object"));
    return fromObject(document.object());
}

StoreResult<ResourceIndex> ResourceIndex::fromObject(const QJsonObject& r)
{
    return indexOf(QtJson(QJsonValue(r)));
}

StoreResult<ResourceIndex> ResourceIndex::fromElement(const simdjson::dom::element& r)
{
    return indexOf(SimdJson(r));
}

} // namespace ondevice::fhir
