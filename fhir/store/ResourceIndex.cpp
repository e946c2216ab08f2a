#include "fhir/store/ResourceIndex.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <initializer_list>

namespace ondevice::fhir {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ondevice::fhir::ResourceIndex", text);
}

StoreFailure invalid(const QString& detail)
{
    return StoreFailure { StoreError::InvalidResource,
        tr("A record from the server is not a valid FHIR resource, so nothing from that page was saved."), detail };
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

QJsonValue at(const QJsonObject& object, QLatin1String path)
{
    QJsonValue value = object;
    qsizetype start = 0;
    while (start <= path.size()) {
        qsizetype dot = path.indexOf(u'.', start);
        if (dot < 0)
            dot = path.size();
        value = value.toObject().value(path.sliced(start, dot - start));
        if (value.isUndefined())
            return value;
        start = dot + 1;
    }
    return value;
}

// The clinically relevant date of each type, first match wins. A Patient has none on purpose: its
// birthDate would sit in clear in the database and, with the provider, narrow down who this is.
QDateTime sortDateFor(const QString& type, const QJsonObject& r)
{
    auto first = [&r](std::initializer_list<const char*> paths) {
        for (const char* path : paths) {
            const QJsonValue value = at(r, QLatin1String(path));
            if (value.isString()) {
                QDateTime date = ResourceIndex::parseFhirDateTime(value.toString());
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

void appendCoding(QStringList& out, const QJsonObject& coding, const QString& defaultSystem = {})
{
    const QString code = coding.value(u"code").toString();
    if (code.isEmpty())
        return;
    QString system = coding.value(u"system").toString();
    if (system.isEmpty())
        system = defaultSystem;
    QString token = QString(system + u'|' + code);
    if (!out.contains(token))
        out.append(std::move(token));
}

// A CodeableConcept, a bare Coding (Encounter.class), or an array of either.
void appendConcepts(QStringList& out, const QJsonValue& value)
{
    if (value.isArray()) {
        for (const QJsonValue item : value.toArray())
            appendConcepts(out, item);
        return;
    }
    const QJsonObject object = value.toObject();
    if (object.contains(u"coding")) {
        for (const QJsonValue coding : object.value(u"coding").toArray())
            appendCoding(out, coding.toObject());
    } else if (object.contains(u"code")) {
        appendCoding(out, object);
    }
}

QStringList codesFor(const QString& type, const QJsonObject& r)
{
    QStringList codes;
    if (type == u"Immunization") {
        appendConcepts(codes, r.value(u"vaccineCode"));
    } else if (type.startsWith(u"Medication") && type != u"Medication") {
        appendConcepts(codes, r.value(u"medicationCodeableConcept"));
    } else if (type == u"Encounter" || type == u"DocumentReference" || type == u"Device" || type == u"Coverage") {
        appendConcepts(codes, r.value(u"type"));
    } else if (type == u"Goal") {
        appendConcepts(codes, r.value(u"description"));
    } else {
        appendConcepts(codes, r.value(u"code"));
    }
    // A blood pressure panel is found by its systolic and diastolic codes too: that is what a chart asks for.
    if (type == u"Observation") {
        for (const QJsonValue component : r.value(u"component").toArray())
            appendConcepts(codes, component.toObject().value(u"code"));
    }
    return codes;
}

QStringList categoriesFor(const QString& type, const QJsonObject& r)
{
    QStringList categories;
    if (type == u"AllergyIntolerance") {
        // Here category is a list of plain codes from one fixed code system.
        for (const QJsonValue code : r.value(u"category").toArray()) {
            appendCoding(categories, QJsonObject { { QStringLiteral("code"), code.toString() } },
                QStringLiteral("http://hl7.org/fhir/allergy-intolerance-category"));
        }
        return categories;
    }
    if (type == u"Encounter")
        appendConcepts(categories, r.value(u"class"));
    appendConcepts(categories, r.value(u"category"));
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
    const QJsonValue type = r.value(u"resourceType");
    if (!type.isString() || type.toString().isEmpty())
        return invalid(QStringLiteral("no resourceType"));
    ResourceIndex index;
    index.type = type.toString();
    if (!isResourceTypeName(index.type))
        return invalid(QStringLiteral("resourceType is not a FHIR type name"));
    const QJsonValue id = r.value(u"id");
    if (!id.isString() || id.toString().isEmpty())
        return invalid(QStringLiteral("%1 without an id").arg(index.type));
    index.id = id.toString();
    if (!isUsableId(index.id))
        return invalid(QStringLiteral("%1 with an unusable id (%2 characters)").arg(index.type).arg(index.id.size()));

    const QJsonObject meta = r.value(u"meta").toObject();
    index.versionId = meta.value(u"versionId").toString();
    const QJsonValue lastUpdated = meta.value(u"lastUpdated");
    if (lastUpdated.isString())
        index.lastUpdated = parseFhirDateTime(lastUpdated.toString());
    index.sortDate = sortDateFor(index.type, r);
    if (!index.sortDate.isValid())
        index.sortDate = index.lastUpdated;
    index.codes = codesFor(index.type, r);
    index.categories = categoriesFor(index.type, r);
    return index;
}

} // namespace ondevice::fhir
