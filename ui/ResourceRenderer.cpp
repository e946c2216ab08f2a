#include "ResourceRenderer.h"

#include "fhir/HumanName.h"
#include "fhir/store/ResourceIndex.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace ondevice::ui {

namespace {

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

QJsonValue val(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key));
}

// A coding's code, when it has one from the given system's family.
bool hasCode(const QJsonValue& codeableConcept, const QString& code)
{
    for (const QJsonValue c : codeableConcept.toObject().value(QLatin1String("coding")).toArray())
        if (c.toObject().value(QLatin1String("code")).toString() == code)
            return true;
    return false;
}

void add(QList<DetailField>& fields, const QString& label, const QString& value)
{
    if (!value.trimmed().isEmpty())
        fields.append({ label, value });
}

// A dose's timing as people say it: "2 times every 1 d" becomes "2 times every day".
QString howOften(int frequency, double period, const QString& unit)
{
    QString times = ResourceRenderer::tr("%n time(s)", "how often a dose is taken", frequency);
    if (period <= 0) // no period given: how many times only
        return times;
    QString every;
    if (period >= 1 && period == std::floor(period)) {
        const int n = static_cast<int>(period);
        if (unit == QLatin1String("s"))
            every = ResourceRenderer::tr("every %n second(s)", nullptr, n);
        else if (unit == QLatin1String("min"))
            every = ResourceRenderer::tr("every %n minute(s)", nullptr, n);
        else if (unit == QLatin1String("h"))
            every = ResourceRenderer::tr("every %n hour(s)", nullptr, n);
        else if (unit == QLatin1String("d"))
            every = ResourceRenderer::tr("every %n day(s)", nullptr, n);
        else if (unit == QLatin1String("wk"))
            every = ResourceRenderer::tr("every %n week(s)", nullptr, n);
        else if (unit == QLatin1String("mo"))
            every = ResourceRenderer::tr("every %n month(s)", nullptr, n);
        else if (unit == QLatin1String("a"))
            every = ResourceRenderer::tr("every %n year(s)", nullptr, n);
    }
    if (every.isEmpty()) // a fraction, or a unit FHIR does not define: as the record says it
        every = ResourceRenderer::tr("every %1 %2").arg(QLocale().toString(period), unit);
    return ResourceRenderer::tr("%1 %2", "a dose: how many times, then how often").arg(times, every);
}

QString firstOf(const QJsonObject& o, std::initializer_list<const char*> keys, bool dayOnly = false)
{
    for (const char* key : keys) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString() && !v.toString().isEmpty())
            return dayOnly ? ResourceRenderer::day(v.toString()) : ResourceRenderer::date(v.toString());
        if (v.isObject()
            && (v.toObject().contains(QLatin1String("start")) || v.toObject().contains(QLatin1String("end")))) {
            if (!dayOnly)
                return ResourceRenderer::period(v);
            const QString start = ResourceRenderer::day(v.toObject().value(QLatin1String("start")).toString());
            return start.isEmpty() ? ResourceRenderer::day(v.toObject().value(QLatin1String("end")).toString()) : start;
        }
    }
    return {};
}

QString status(const QJsonObject& o)
{
    if (QString s = str(o, "status"); !s.isEmpty())
        return ResourceRenderer::codeWord(s);
    return ResourceRenderer::conceptText(val(o, "clinicalStatus"));
}

} // namespace

QString ResourceRenderer::coding(const QJsonValue& coding)
{
    const QJsonObject c = coding.toObject();
    const QString display = str(c, "display");
    return display.isEmpty() ? str(c, "code") : display;
}

QString ResourceRenderer::conceptText(const QJsonValue& codeableConcept)
{
    const QJsonObject cc = codeableConcept.toObject();
    if (QString text = str(cc, "text"); !text.isEmpty())
        return text;
    for (const QJsonValue c : cc.value(QLatin1String("coding")).toArray())
        if (QString d = str(c.toObject(), "display"); !d.isEmpty())
            return d;
    for (const QJsonValue c : cc.value(QLatin1String("coding")).toArray())
        if (QString code = str(c.toObject(), "code"); !code.isEmpty())
            return code;
    return {};
}

QString ResourceRenderer::concepts(const QJsonValue& codeableConcepts)
{
    if (codeableConcepts.isObject())
        return conceptText(codeableConcepts);
    QStringList parts;
    for (const QJsonValue c : codeableConcepts.toArray())
        if (const QString text = conceptText(c); !text.isEmpty() && !parts.contains(text))
            parts << text;
    return parts.join(QStringLiteral(", "));
}

QString ResourceRenderer::number(double value)
{
    // At most two decimals, no trailing zeros: 97.1, 120, 5.65.
    QString text = QLocale().toString(std::round(value * 100) / 100, 'f', 2);
    const QString point = QLocale().decimalPoint();
    if (text.contains(point)) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(point))
            text.chop(point.size());
    }
    return text;
}

QString ResourceRenderer::unit(const QString& ucum)
{
    if (ucum == QLatin1String("mm[Hg]"))
        return QStringLiteral("mmHg");
    // UCUM annotations ({score}, {beats}/min) are words in braces: the braces are for machines.
    QString out = ucum;
    out.remove(QLatin1Char('{')).remove(QLatin1Char('}'));
    return out.trimmed();
}

QString ResourceRenderer::masked(const QString& identifier)
{
    const auto characters
        = std::count_if(identifier.cbegin(), identifier.cend(), [](QChar c) { return c.isLetterOrNumber(); });
    qsizetype shown = characters > 4 ? 4 : 0;
    QString out = identifier;
    for (qsizetype i = out.size() - 1; i >= 0; --i) {
        if (!out[i].isLetterOrNumber())
            continue;
        if (shown > 0)
            --shown;
        else
            out[i] = QLatin1Char('*');
    }
    return out;
}

QString ResourceRenderer::quantity(const QJsonValue& quantity)
{
    const QJsonObject q = quantity.toObject();
    if (!q.contains(QLatin1String("value")))
        return {};
    QString unit = str(q, "unit");
    if (unit.isEmpty())
        unit = str(q, "code");
    unit = ResourceRenderer::unit(unit);
    const QString comparator = str(q, "comparator");
    const QString n = number(q.value(QLatin1String("value")).toDouble());
    return QString(comparator + n + (unit.isEmpty() ? QString() : QString(QStringLiteral(" ") + unit))).trimmed();
}

QString ResourceRenderer::value(const QJsonObject& o)
{
    if (o.contains(QLatin1String("valueQuantity")))
        return quantity(val(o, "valueQuantity"));
    if (o.contains(QLatin1String("valueCodeableConcept")))
        return conceptText(val(o, "valueCodeableConcept"));
    if (o.contains(QLatin1String("valueString")))
        return str(o, "valueString");
    if (o.contains(QLatin1String("valueBoolean")))
        return val(o, "valueBoolean").toBool() ? tr("Yes") : tr("No");
    if (o.contains(QLatin1String("valueInteger")))
        return QLocale().toString(val(o, "valueInteger").toInteger());
    if (o.contains(QLatin1String("valueDateTime")))
        return date(str(o, "valueDateTime"));
    if (o.contains(QLatin1String("valuePeriod")))
        return period(val(o, "valuePeriod"));
    const QJsonArray components = val(o, "component").toArray();
    if (components.isEmpty())
        return {};
    // Blood pressure as people write it: systolic/diastolic unit.
    QJsonObject systolic, diastolic;
    for (const QJsonValue c : components) {
        if (hasCode(c.toObject().value(QLatin1String("code")), QStringLiteral("8480-6")))
            systolic = c.toObject().value(QLatin1String("valueQuantity")).toObject();
        else if (hasCode(c.toObject().value(QLatin1String("code")), QStringLiteral("8462-4")))
            diastolic = c.toObject().value(QLatin1String("valueQuantity")).toObject();
    }
    if (!systolic.isEmpty() && !diastolic.isEmpty()) {
        const QString unit = quantity(diastolic).section(QLatin1Char(' '), 1);
        return number(systolic.value(QLatin1String("value")).toDouble()) + QLatin1Char('/')
            + number(diastolic.value(QLatin1String("value")).toDouble())
            + (unit.isEmpty() ? QString() : QStringLiteral(" ") + unit);
    }
    QStringList parts;
    for (const QJsonValue c : components)
        parts << tr("%1: %2").arg(conceptText(c.toObject().value(QLatin1String("code"))), value(c.toObject()));
    return parts.join(QStringLiteral("; "));
}

QString ResourceRenderer::referenceRange(const QJsonObject& o)
{
    const QJsonArray ranges = val(o, "referenceRange").toArray();
    if (ranges.isEmpty())
        return {};
    const QJsonObject r = ranges.first().toObject();
    if (QString text = str(r, "text"); !text.isEmpty())
        return text;
    const bool hasLow = r.contains(QLatin1String("low"));
    const bool hasHigh = r.contains(QLatin1String("high"));
    if (hasLow && hasHigh) {
        const QJsonObject high = r.value(QLatin1String("high")).toObject();
        return tr("%1–%2").arg(
            number(r.value(QLatin1String("low")).toObject().value(QLatin1String("value")).toDouble()), quantity(high));
    }
    if (hasLow)
        return tr("≥ %1").arg(quantity(r.value(QLatin1String("low"))));
    if (hasHigh)
        return tr("≤ %1").arg(quantity(r.value(QLatin1String("high"))));
    return {};
}

QString ResourceRenderer::flag(const QJsonObject& o)
{
    const QJsonArray interpretations = val(o, "interpretation").toArray();
    if (interpretations.isEmpty())
        return {};
    const QJsonObject first = interpretations.first().toObject();
    if (QString text = str(first, "text"); !text.isEmpty())
        return text;
    const QJsonObject coding = first.value(QLatin1String("coding")).toArray().first().toObject();
    const QString code = str(coding, "code");
    if (code == QLatin1String("H"))
        return tr("High");
    if (code == QLatin1String("L"))
        return tr("Low");
    if (code == QLatin1String("N"))
        return tr("Normal");
    if (code == QLatin1String("HH"))
        return tr("Critically high");
    if (code == QLatin1String("LL"))
        return tr("Critically low");
    if (code == QLatin1String("A"))
        return tr("Abnormal");
    return ResourceRenderer::coding(coding);
}

QString ResourceRenderer::date(const QString& fhirDate)
{
    if (fhirDate.size() < 10)
        return fhirDate; // "2019" or "2019-09": as precise as the source
    if (fhirDate.size() == 10) {
        const QDate d = QDate::fromString(fhirDate, Qt::ISODate);
        return d.isValid() ? QLocale().toString(d, QLocale::ShortFormat) : fhirDate;
    }
    const QDateTime t = fhir::ResourceIndex::parseFhirDateTime(fhirDate);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : fhirDate;
}

QString ResourceRenderer::day(const QString& fhirDate)
{
    if (fhirDate.size() <= 10)
        return date(fhirDate);
    const QDateTime t = fhir::ResourceIndex::parseFhirDateTime(fhirDate);
    return t.isValid() ? QLocale().toString(t.toLocalTime().date(), QLocale::ShortFormat) : fhirDate;
}

QString ResourceRenderer::period(const QJsonValue& period)
{
    const QJsonObject p = period.toObject();
    const QString start = date(str(p, "start"));
    const QString end = date(str(p, "end"));
    if (start.isEmpty())
        return end.isEmpty() ? QString() : tr("until %1").arg(end);
    if (end.isEmpty())
        return tr("from %1").arg(start);
    return tr("%1 – %2").arg(start, end);
}

QString ResourceRenderer::typeName(const QString& type)
{
    if (type == QLatin1String("Condition"))
        return tr("Condition");
    if (type == QLatin1String("MedicationRequest"))
        return tr("Medication");
    if (type == QLatin1String("AllergyIntolerance"))
        return tr("Allergy or intolerance");
    if (type == QLatin1String("Immunization"))
        return tr("Immunization");
    if (type == QLatin1String("Observation"))
        return tr("Observation");
    if (type == QLatin1String("DiagnosticReport"))
        return tr("Report");
    if (type == QLatin1String("Procedure"))
        return tr("Procedure");
    if (type == QLatin1String("Encounter"))
        return tr("Encounter");
    if (type == QLatin1String("DocumentReference"))
        return tr("Document");
    if (type == QLatin1String("CarePlan"))
        return tr("Care plan");
    if (type == QLatin1String("Goal"))
        return tr("Goal");
    if (type == QLatin1String("CareTeam"))
        return tr("Care team");
    if (type == QLatin1String("Patient"))
        return tr("Patient");
    // Types a server may send beyond the ones the app asks for (shown under "Other records").
    if (type == QLatin1String("Claim"))
        return tr("Insurance claim");
    if (type == QLatin1String("ExplanationOfBenefit"))
        return tr("Explanation of benefit");
    if (type == QLatin1String("Coverage"))
        return tr("Insurance coverage");
    if (type == QLatin1String("Device"))
        return tr("Device");
    if (type == QLatin1String("Organization"))
        return tr("Organization");
    if (type == QLatin1String("Practitioner"))
        return tr("Clinician");
    if (type == QLatin1String("Location"))
        return tr("Location");
    if (type == QLatin1String("Provenance"))
        return tr("Record history");
    return type; // the FHIR name: better than nothing, and what the Raw FHIR JSON tab says
}

QString ResourceRenderer::title(const QJsonObject& r)
{
    const QString type = str(r, "resourceType");
    QString text;
    if (type == QLatin1String("Immunization"))
        text = conceptText(val(r, "vaccineCode"));
    else if (type == QLatin1String("MedicationRequest") || type == QLatin1String("MedicationStatement"))
        text = r.contains(QLatin1String("medicationCodeableConcept"))
            ? conceptText(val(r, "medicationCodeableConcept"))
            : val(r, "medicationReference").toObject().value(QLatin1String("display")).toString();
    else if (type == QLatin1String("Encounter") || type == QLatin1String("DocumentReference"))
        text = concepts(val(r, "type"));
    else if (type == QLatin1String("CarePlan"))
        text = !str(r, "title").isEmpty() ? str(r, "title") : concepts(val(r, "category"));
    else if (type == QLatin1String("Goal"))
        text = conceptText(val(r, "description"));
    else if (type == QLatin1String("CareTeam"))
        text = !str(r, "name").isEmpty() ? str(r, "name") : concepts(val(r, "category"));
    else if (type == QLatin1String("Patient") || type == QLatin1String("Practitioner"))
        text = fhir::humanName(val(r, "name"));
    else if (type == QLatin1String("Organization") || type == QLatin1String("Location"))
        text = str(r, "name");
    else if (type == QLatin1String("Device") || type == QLatin1String("Claim")
        || type == QLatin1String("ExplanationOfBenefit") || type == QLatin1String("Coverage"))
        text = conceptText(val(r, "type"));
    if (text.isEmpty())
        text = conceptText(val(r, "code"));
    if (text.isEmpty())
        text = str(r, "description");
    return text.isEmpty() ? typeName(type) : text;
}

QString ResourceRenderer::when(const QJsonObject& r)
{
    return firstOf(r,
        { "effectiveDateTime", "effectivePeriod", "issued", "onsetDateTime", "recordedDate", "authoredOn",
            "occurrenceDateTime", "performedDateTime", "performedPeriod", "period", "date", "created" });
}

QString ResourceRenderer::reference(const QJsonValue& reference, const ReferenceResolver& resolve)
{
    const QJsonObject ref = reference.toObject();
    const QString target = str(ref, "reference");
    if (resolve && !target.isEmpty())
        if (QString name = resolve(target); !name.isEmpty())
            return name;
    if (QString display = str(ref, "display"); !display.isEmpty())
        return display;
    if (target.isEmpty())
        return {};
    // Only the kind of thing it is: the id means nothing to people.
    return tr("%1 (not on this device)").arg(typeName(target.section(QLatin1Char('/'), 0, 0)));
}

QString ResourceRenderer::codeWord(const QString& code)
{
    struct Word {
        const char* code;
        struct {
            const char* source;
            const char* comment;
        } text; // QT_TRANSLATE_NOOP3 gives both
    };
    // administrative-gender, allergy criticality, and the statuses of the record types this app shows.
    static constexpr Word kWords[] = {
        { "male", QT_TRANSLATE_NOOP3("ResourceRenderer", "Male", "a FHIR code") },
        { "female", QT_TRANSLATE_NOOP3("ResourceRenderer", "Female", "a FHIR code") },
        { "other", QT_TRANSLATE_NOOP3("ResourceRenderer", "Other", "a FHIR code") },
        { "unknown", QT_TRANSLATE_NOOP3("ResourceRenderer", "Unknown", "a FHIR code") },
        { "low", QT_TRANSLATE_NOOP3("ResourceRenderer", "Low", "a FHIR code") },
        { "high", QT_TRANSLATE_NOOP3("ResourceRenderer", "High", "a FHIR code") },
        { "unable-to-assess", QT_TRANSLATE_NOOP3("ResourceRenderer", "Unable to assess", "a FHIR code") },
        { "active", QT_TRANSLATE_NOOP3("ResourceRenderer", "Active", "a FHIR code") },
        { "inactive", QT_TRANSLATE_NOOP3("ResourceRenderer", "Inactive", "a FHIR code") },
        { "on-hold", QT_TRANSLATE_NOOP3("ResourceRenderer", "On hold", "a FHIR code") },
        { "cancelled", QT_TRANSLATE_NOOP3("ResourceRenderer", "Cancelled", "a FHIR code") },
        { "completed", QT_TRANSLATE_NOOP3("ResourceRenderer", "Completed", "a FHIR code") },
        { "entered-in-error", QT_TRANSLATE_NOOP3("ResourceRenderer", "Entered in error", "a FHIR code") },
        { "stopped", QT_TRANSLATE_NOOP3("ResourceRenderer", "Stopped", "a FHIR code") },
        { "draft", QT_TRANSLATE_NOOP3("ResourceRenderer", "Draft", "a FHIR code") },
        { "not-done", QT_TRANSLATE_NOOP3("ResourceRenderer", "Not done", "a FHIR code") },
        { "preparation", QT_TRANSLATE_NOOP3("ResourceRenderer", "Preparation", "a FHIR code") },
        { "in-progress", QT_TRANSLATE_NOOP3("ResourceRenderer", "In progress", "a FHIR code") },
        { "registered", QT_TRANSLATE_NOOP3("ResourceRenderer", "Registered", "a FHIR code") },
        { "preliminary", QT_TRANSLATE_NOOP3("ResourceRenderer", "Preliminary", "a FHIR code") },
        { "final", QT_TRANSLATE_NOOP3("ResourceRenderer", "Final", "a FHIR code") },
        { "amended", QT_TRANSLATE_NOOP3("ResourceRenderer", "Amended", "a FHIR code") },
        { "corrected", QT_TRANSLATE_NOOP3("ResourceRenderer", "Corrected", "a FHIR code") },
        { "partial", QT_TRANSLATE_NOOP3("ResourceRenderer", "Partial", "a FHIR code") },
        { "appended", QT_TRANSLATE_NOOP3("ResourceRenderer", "Appended", "a FHIR code") },
        { "planned", QT_TRANSLATE_NOOP3("ResourceRenderer", "Planned", "a FHIR code") },
        { "arrived", QT_TRANSLATE_NOOP3("ResourceRenderer", "Arrived", "a FHIR code") },
        { "triaged", QT_TRANSLATE_NOOP3("ResourceRenderer", "Triaged", "a FHIR code") },
        { "onleave", QT_TRANSLATE_NOOP3("ResourceRenderer", "On leave", "a FHIR code") },
        { "finished", QT_TRANSLATE_NOOP3("ResourceRenderer", "Finished", "a FHIR code") },
        { "revoked", QT_TRANSLATE_NOOP3("ResourceRenderer", "Revoked", "a FHIR code") },
        { "current", QT_TRANSLATE_NOOP3("ResourceRenderer", "Current", "a FHIR code") },
        { "superseded", QT_TRANSLATE_NOOP3("ResourceRenderer", "Superseded", "a FHIR code") },
        { "intended", QT_TRANSLATE_NOOP3("ResourceRenderer", "Intended", "a FHIR code") },
        { "not-taken", QT_TRANSLATE_NOOP3("ResourceRenderer", "Not taken", "a FHIR code") },
        { "resolved", QT_TRANSLATE_NOOP3("ResourceRenderer", "Resolved", "a FHIR code") },
        { "remission", QT_TRANSLATE_NOOP3("ResourceRenderer", "In remission", "a FHIR code") },
        { "recurrence", QT_TRANSLATE_NOOP3("ResourceRenderer", "Recurrence", "a FHIR code") },
        { "relapse", QT_TRANSLATE_NOOP3("ResourceRenderer", "Relapse", "a FHIR code") },
    };
    for (const Word& w : kWords)
        if (code == QLatin1String(w.code))
            return tr(w.text.source, w.text.comment);
    return code;
}

QStringList ResourceRenderer::cells(RecordCategory category, const QJsonObject& r, const QString& source)
{
    switch (category) {
    case RecordCategory::Summary:
        return {};
    case RecordCategory::Conditions:
        return { title(r), conceptText(val(r, "clinicalStatus")),
            firstOf(r, { "onsetDateTime", "onsetPeriod", "onsetString" }, true), day(str(r, "recordedDate")), source };
    case RecordCategory::Medications: {
        QStringList dosage;
        for (const QJsonValue d : val(r, "dosageInstruction").toArray())
            dosage << str(d.toObject(), "text");
        dosage.removeAll(QString());
        return { title(r), codeWord(str(r, "status")), dosage.join(QStringLiteral("; ")), day(str(r, "authoredOn")),
            source };
    }
    case RecordCategory::Allergies:
        return { title(r), conceptText(val(r, "clinicalStatus")), codeWord(str(r, "criticality")),
            firstOf(r, { "recordedDate", "onsetDateTime" }, true), source };
    case RecordCategory::Immunizations:
        return { title(r), firstOf(r, { "occurrenceDateTime", "recorded" }, true), codeWord(str(r, "status")), source };
    case RecordCategory::LabsVitals:
        if (str(r, "resourceType") == QLatin1String("DiagnosticReport"))
            return { title(r), tr("%n result(s)", nullptr, static_cast<int>(val(r, "result").toArray().size())),
                QString(), str(r, "conclusion"), firstOf(r, { "effectiveDateTime", "effectivePeriod", "issued" }, true),
                source };
        return { title(r), value(r), referenceRange(r), flag(r),
            firstOf(r, { "effectiveDateTime", "effectivePeriod", "issued" }, true), source };
    case RecordCategory::Procedures:
        return { title(r), codeWord(str(r, "status")), firstOf(r, { "performedDateTime", "performedPeriod" }, true),
            source };
    case RecordCategory::Encounters:
        return { title(r), coding(val(r, "class")), firstOf(r, { "period" }, true), concepts(val(r, "reasonCode")),
            source };
    case RecordCategory::Documents: {
        QString author = str(r, "description");
        if (author.isEmpty())
            for (const QJsonValue a : val(r, "author").toArray())
                if ((author = str(a.toObject(), "display")), !author.isEmpty())
                    break;
        return { title(r), day(str(r, "date")), author, source };
    }
    case RecordCategory::CarePlans:
        return { title(r), typeName(str(r, "resourceType")),
            status(r).isEmpty() ? str(r, "lifecycleStatus") : status(r),
            firstOf(r, { "period", "created", "startDate" }, true), source };
    case RecordCategory::Other:
        return { title(r), typeName(str(r, "resourceType")),
            firstOf(r,
                { "billablePeriod", "created", "date", "issued", "effectiveDateTime", "occurrenceDateTime", "recorded",
                    "period" },
                true),
            source };
    }
    return {};
}

RenderedDetail ResourceRenderer::detail(const QJsonObject& r, const QString& source, const ReferenceResolver& resolve)
{
    RenderedDetail d;
    const QString type = str(r, "resourceType");
    d.title = title(r);
    d.kind = typeName(type);
    if (const QString category = concepts(val(r, "category")); !category.isEmpty())
        d.kind += QStringLiteral(" · ") + category;
    QList<DetailField>& f = d.fields;

    if (type == QLatin1String("Patient")) {
        add(f, tr("Name"), fhir::humanName(val(r, "name")));
        add(f, tr("Born"), date(str(r, "birthDate")));
        add(f, tr("Gender"), codeWord(str(r, "gender")));
    }
    add(f, tr("Value"), value(r));
    for (const QJsonValue c : val(r, "component").toArray())
        add(f, conceptText(c.toObject().value(QLatin1String("code"))), value(c.toObject()));
    add(f, tr("Reference range"), referenceRange(r));
    add(f, tr("Interpretation"), flag(r));
    add(f, tr("Status"), codeWord(str(r, "status")));
    add(f, tr("Clinical status"), conceptText(val(r, "clinicalStatus")));
    add(f, tr("Verification"), conceptText(val(r, "verificationStatus")));
    add(f, tr("Criticality"), codeWord(str(r, "criticality")));
    if (type == QLatin1String("MedicationRequest") && r.contains(QLatin1String("medicationReference")))
        add(f, tr("Medication"), reference(val(r, "medicationReference"), resolve));
    QStringList dosage;
    for (const QJsonValue dose : val(r, "dosageInstruction").toArray()) {
        const QJsonObject o = dose.toObject();
        QString text = str(o, "text");
        if (text.isEmpty()) {
            const QJsonObject repeat
                = o.value(QLatin1String("timing")).toObject().value(QLatin1String("repeat")).toObject();
            if (repeat.contains(QLatin1String("frequency")))
                text = howOften(repeat.value(QLatin1String("frequency")).toInt(),
                    repeat.value(QLatin1String("period")).toDouble(), str(repeat, "periodUnit"));
        }
        dosage << text;
    }
    dosage.removeAll(QString());
    add(f, tr("Dosage"), dosage.join(QLatin1Char('\n')));
    QStringList reactions;
    for (const QJsonValue reaction : val(r, "reaction").toArray())
        reactions << concepts(reaction.toObject().value(QLatin1String("manifestation")));
    reactions.removeAll(QString());
    add(f, tr("Reaction"), reactions.join(QStringLiteral(", ")));
    if (type == QLatin1String("Encounter")) {
        add(f, tr("Class"), coding(val(r, "class")));
        add(f, tr("Period"), period(val(r, "period")));
    }
    add(f, tr("Date"), when(r));
    add(f, tr("Onset"), firstOf(r, { "onsetDateTime", "onsetPeriod" }));
    add(f, tr("Ended"), firstOf(r, { "abatementDateTime", "abatementPeriod" }));
    add(f, tr("Recorded"), date(str(r, "recordedDate")));
    add(f, tr("Authored"), date(str(r, "authoredOn")));
    add(f, tr("Issued"), date(str(r, "issued")));
    add(f, tr("Reason"), concepts(val(r, "reasonCode")));
    QStringList reasons;
    for (const QJsonValue ref : val(r, "reasonReference").toArray())
        reasons << reference(ref, resolve);
    add(f, tr("Reason"), reasons.join(QStringLiteral(", ")));
    if (type != QLatin1String("Patient"))
        add(f, tr("Patient"),
            reference(r.contains(QLatin1String("subject")) ? val(r, "subject") : val(r, "patient"), resolve));
    add(f, tr("Encounter"), reference(val(r, "encounter"), resolve));
    for (const char* who : { "requester", "recorder", "asserter", "serviceProvider" })
        add(f, tr("By"), reference(val(r, who), resolve));
    QStringList people;
    for (const char* key : { "performer", "author", "resultsInterpreter" })
        for (const QJsonValue ref : val(r, key).toArray())
            people << reference(
                ref.toObject().contains(QLatin1String("actor")) ? ref.toObject().value(QLatin1String("actor")) : ref,
                resolve);
    for (const QJsonValue p : val(r, "participant").toArray())
        people << reference(p.toObject().value(QLatin1String("individual")), resolve);
    people.removeAll(QString());
    people.removeDuplicates();
    add(f, tr("People"), people.join(QStringLiteral(", ")));
    QStringList results;
    for (const QJsonValue ref : val(r, "result").toArray())
        results << reference(ref, resolve);
    add(f, tr("Results"), results.join(QLatin1Char('\n')));
    add(f, tr("Conclusion"), str(r, "conclusion"));
    add(f, tr("Description"), type == QLatin1String("Goal") ? QString() : str(r, "description"));
    for (const QJsonValue c : val(r, "content").toArray()) {
        const QJsonObject a = c.toObject().value(QLatin1String("attachment")).toObject();
        add(f, tr("Attachment"),
            QStringList { str(a, "title"), str(a, "contentType") }.join(QLatin1Char(' ')).trimmed());
    }
    QStringList notes;
    for (const QJsonValue n : val(r, "note").toArray())
        notes << str(n.toObject(), "text");
    notes.removeAll(QString());
    add(f, tr("Notes"), notes.join(QLatin1Char('\n')));
    add(f, tr("Source"), source);
    add(f, tr("Last updated"), date(val(r, "meta").toObject().value(QLatin1String("lastUpdated")).toString()));
    return d;
}

QString ResourceRenderer::detailText(const RenderedDetail& detail)
{
    QStringList lines { detail.title, detail.kind };
    for (const DetailField& field : detail.fields)
        lines << tr("%1: %2").arg(field.label, field.value);
    return lines.join(QLatin1Char('\n'));
}

} // namespace ondevice::ui
