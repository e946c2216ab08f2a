#include "ResourceStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace ondevice::sandbox {

namespace {

// "system|code" tokens of a CodeableConcept, or of an array of them.
void addTokens(const QJsonValue& value, QStringList& out)
{
    if (value.isArray()) {
        for (const QJsonValue& item : value.toArray())
            addTokens(item, out);
        return;
    }
    for (const QJsonValue& coding : value.toObject().value(QLatin1String("coding")).toArray()) {
        const QJsonObject object = coding.toObject();
        const QString code = object.value(QLatin1String("code")).toString();
        if (!code.isEmpty())
            out.append(object.value(QLatin1String("system")).toString() + QLatin1Char('|') + code);
    }
}

// The first of `paths` ("a" or "a.b") that holds a date, dateTime or instant.
qint64 firstDate(const QJsonObject& resource, std::initializer_list<const char*> paths)
{
    for (const char* path : paths) {
        const QLatin1String text(path);
        const qsizetype dot = text.indexOf(QLatin1Char('.'));
        const QJsonValue value
            = dot < 0 ? resource.value(text) : resource.value(text.first(dot)).toObject().value(text.sliced(dot + 1));
        if (!value.isString())
            continue;
        if (const std::optional<qint64> ms = ResourceStore::parseInstant(value.toString()))
            return *ms;
    }
    return StoredResource::kNoDate;
}

qint64 clinicalDate(const QString& type, const QJsonObject& r)
{
    if (type == QLatin1String("Observation") || type == QLatin1String("DiagnosticReport"))
        return firstDate(r, { "effectiveDateTime", "effectiveInstant", "effectivePeriod.start", "issued" });
    if (type == QLatin1String("Condition"))
        return firstDate(r, { "onsetDateTime", "onsetPeriod.start", "recordedDate" });
    if (type == QLatin1String("AllergyIntolerance"))
        return firstDate(r, { "recordedDate", "onsetDateTime" });
    if (type == QLatin1String("MedicationRequest"))
        return firstDate(r, { "authoredOn" });
    if (type == QLatin1String("Immunization"))
        return firstDate(r, { "occurrenceDateTime" });
    if (type == QLatin1String("Procedure"))
        return firstDate(r, { "performedDateTime", "performedPeriod.start" });
    if (type == QLatin1String("DocumentReference"))
        return firstDate(r, { "date" });
    if (type == QLatin1String("Goal"))
        return firstDate(r, { "startDate" });
    if (type == QLatin1String("Encounter") || type == QLatin1String("CarePlan") || type == QLatin1String("CareTeam")
        || type == QLatin1String("Coverage"))
        return firstDate(r, { "period.start" });
    return StoredResource::kNoDate;
}

QLatin1String codeElement(const QString& type)
{
    if (type == QLatin1String("MedicationRequest"))
        return QLatin1String("medicationCodeableConcept");
    if (type == QLatin1String("Immunization"))
        return QLatin1String("vaccineCode");
    if (type == QLatin1String("Encounter") || type == QLatin1String("DocumentReference")
        || type == QLatin1String("Device") || type == QLatin1String("Coverage"))
        return QLatin1String("type");
    if (type == QLatin1String("Goal"))
        return QLatin1String("description");
    return QLatin1String("code");
}

} // namespace

const QStringList& ResourceStore::compartmentTypes()
{
    static const QStringList types {
        QStringLiteral("Observation"),
        QStringLiteral("Condition"),
        QStringLiteral("MedicationRequest"),
        QStringLiteral("AllergyIntolerance"),
        QStringLiteral("Immunization"),
        QStringLiteral("Procedure"),
        QStringLiteral("DiagnosticReport"),
        QStringLiteral("Encounter"),
        QStringLiteral("DocumentReference"),
        QStringLiteral("CarePlan"),
        QStringLiteral("Goal"),
        QStringLiteral("CareTeam"),
        QStringLiteral("Device"),
        QStringLiteral("Coverage"),
    };
    return types;
}

const QStringList& ResourceStore::readOnlyTypes()
{
    static const QStringList types { QStringLiteral("Medication"), QStringLiteral("Binary") };
    return types;
}

const QStringList& ResourceStore::billingTypes()
{
    static const QStringList types { QStringLiteral("Claim"), QStringLiteral("ExplanationOfBenefit") };
    return types;
}

bool ResourceStore::isSupportedType(const QString& type)
{
    return isSearchableType(type) || readOnlyTypes().contains(type);
}

bool ResourceStore::isSearchableType(const QString& type)
{
    return type == QLatin1String("Patient") || compartmentTypes().contains(type);
}

QString ResourceStore::compartmentElement(const QString& type)
{
    if (!compartmentTypes().contains(type))
        return {};
    if (type == QLatin1String("Immunization") || type == QLatin1String("AllergyIntolerance")
        || type == QLatin1String("Device"))
        return QStringLiteral("patient");
    if (type == QLatin1String("Coverage"))
        return QStringLiteral("beneficiary");
    return QStringLiteral("subject");
}

QString ResourceStore::dateParameter(const QString& type)
{
    if (type == QLatin1String("Condition"))
        return QStringLiteral("onset-date");
    if (type == QLatin1String("MedicationRequest"))
        return QStringLiteral("authoredon");
    if (type == QLatin1String("Goal"))
        return QStringLiteral("start-date");
    if (type == QLatin1String("Device") || type == QLatin1String("Coverage") || !compartmentTypes().contains(type))
        return {};
    return QStringLiteral("date");
}

QString ResourceStore::codeParameter(const QString& type)
{
    if (!compartmentTypes().contains(type) || type == QLatin1String("CarePlan") || type == QLatin1String("CareTeam")
        || type == QLatin1String("Goal"))
        return {};
    if (type == QLatin1String("Immunization"))
        return QStringLiteral("vaccine-code");
    const QLatin1String element = codeElement(type);
    return element == QLatin1String("type") ? QStringLiteral("type") : QStringLiteral("code");
}

QString ResourceStore::categoryParameter(const QString& type)
{
    static const QStringList types { QStringLiteral("Observation"), QStringLiteral("Condition"),
        QStringLiteral("DiagnosticReport"), QStringLiteral("CarePlan"), QStringLiteral("DocumentReference"),
        QStringLiteral("CareTeam"), QStringLiteral("Goal") };
    return types.contains(type) ? QStringLiteral("category") : QString();
}

std::optional<qint64> ResourceStore::parseInstant(const QString& text)
{
    // Dates stand for their first instant, in UTC (FHIR: no zone on a date).
    if (text.size() == 10 && text.at(4) == QLatin1Char('-')) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        return QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    }
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toMSecsSinceEpoch();
}

QString ResourceStore::formatInstant(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 ResourceStore::nextStamp()
{
    // Strictly increasing, so an update always sorts after everything a client
    // has already seen and _lastUpdated=gt<last seen> finds it.
    m_lastStamp = std::max(QDateTime::currentMSecsSinceEpoch(), m_lastStamp + 1);
    return m_lastStamp;
}

ResourcePtr ResourceStore::put(QJsonObject resource, const QString& patient, qint64 lastUpdatedMs)
{
    const QString type = resource.value(QStringLiteral("resourceType")).toString();
    const QString id = resource.value(QStringLiteral("id")).toString();
    auto stored = std::make_shared<StoredResource>();
    stored->type = type;
    stored->id = id;
    stored->patient = patient;
    const ResourcePtr previous = get(type, id);
    stored->version = previous ? previous->version + 1 : 1;
    stored->lastUpdatedMs = lastUpdatedMs >= 0 ? lastUpdatedMs : nextStamp();
    m_lastStamp = std::max(m_lastStamp, stored->lastUpdatedMs);

    QJsonObject meta = resource.value(QStringLiteral("meta")).toObject();
    meta.insert(QStringLiteral("versionId"), QString::number(stored->version));
    meta.insert(QStringLiteral("lastUpdated"), formatInstant(stored->lastUpdatedMs));
    resource.insert(QStringLiteral("meta"), meta);
    stored->json = QJsonDocument(resource).toJson(QJsonDocument::Compact);
    stored->dateMs = clinicalDate(type, resource);
    addTokens(resource.value(codeElement(type)), stored->codes);
    addTokens(resource.value(QLatin1String("category")), stored->categories);

    if (previous)
        m_byPatient[previous->patient][type].remove({ previous->lastUpdatedMs, id });
    else if (type == QLatin1String("Patient"))
        m_patients.append(id);
    m_byType[type].insert(id, stored);
    m_byPatient[patient][type].insert({ stored->lastUpdatedMs, id }, stored);
    return stored;
}

ResourcePtr ResourceStore::get(const QString& type, const QString& id) const
{
    const auto typeIt = m_byType.constFind(type);
    if (typeIt == m_byType.constEnd())
        return {};
    return typeIt->value(id);
}

bool ResourceStore::remove(const QString& type, const QString& id)
{
    const ResourcePtr existing = get(type, id);
    if (!existing)
        return false;
    if (type == QLatin1String("Patient")) {
        const auto compartment = m_byPatient.take(id);
        for (auto typeIt = compartment.cbegin(); typeIt != compartment.cend(); ++typeIt) {
            for (const ResourcePtr& resource : typeIt.value())
                m_byType[resource->type].remove(resource->id);
        }
        m_patients.removeAll(id);
        return true;
    }
    m_byType[type].remove(id);
    m_byPatient[existing->patient][type].remove({ existing->lastUpdatedMs, id });
    return true;
}

QList<ResourcePtr> ResourceStore::search(const QString& type, const QString& patient) const
{
    const auto patientIt = m_byPatient.constFind(patient);
    if (patientIt == m_byPatient.constEnd())
        return {};
    const auto typeIt = patientIt->constFind(type);
    if (typeIt == patientIt->constEnd())
        return {};
    return typeIt->values();
}

qsizetype ResourceStore::size() const
{
    qsizetype n = 0;
    for (const auto& byId : m_byType)
        n += byId.size();
    return n;
}

} // namespace ondevice::sandbox
