#include "ResourceStore.h"

#include <QDateTime>
#include <QJsonDocument>

namespace ondevice::sandbox {

const QStringList& ResourceStore::compartmentTypes()
{
    static const QStringList types {
        QStringLiteral("Observation"), QStringLiteral("Condition"), QStringLiteral("MedicationRequest"),
        QStringLiteral("AllergyIntolerance"), QStringLiteral("Immunization"), QStringLiteral("Procedure"),
        QStringLiteral("DiagnosticReport"), QStringLiteral("Encounter"),
    };
    return types;
}

bool ResourceStore::isSupportedType(const QString& type)
{
    return type == QLatin1String("Patient") || compartmentTypes().contains(type);
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
