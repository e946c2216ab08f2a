#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <limits>
#include <memory>
#include <optional>

namespace ondevice::sandbox {

// One immutable version of a resource, serialised once: searches hand out
// shared pointers, so a page snapshot costs a pointer per entry and never
// changes under a client that is paging.
struct StoredResource {
    QString type;
    QString id;
    QString patient; // the compartment it belongs to
    int version = 1;
    qint64 lastUpdatedMs = 0;
    // Search indexes, taken from the resource when it is stored: the clinical
    // date its `date` parameter searches and `_sort=date` orders by (kNoDate
    // when it has none), and "system|code" tokens of its code and category.
    qint64 dateMs = kNoDate;
    QStringList codes;
    QStringList categories;
    QByteArray json;

    static constexpr qint64 kNoDate = std::numeric_limits<qint64>::min();
};
using ResourcePtr = std::shared_ptr<const StoredResource>;

// The FHIR data, in memory, indexed by patient and type and kept sorted by
// (lastUpdated, id), the order searches return.
class ResourceStore {
public:
    // Types searched by patient (the patient compartment, FHIR R4).
    static const QStringList& compartmentTypes();
    // Types read by id only, outside any compartment unless stored with one
    // (Medication is shared; Binary belongs to its DocumentReference's patient).
    static const QStringList& readOnlyTypes();
    // Billing records of a patient (stored under the patient, only ever returned by Patient/$everything with
    // quirk everything-extra-types): what real servers add beyond the clinical types. Not otherwise served.
    static const QStringList& billingTypes();
    static bool isSupportedType(const QString& type);
    static bool isSearchableType(const QString& type);
    // The element that puts a resource in the patient compartment, or empty.
    static QString compartmentElement(const QString& type);
    // Names of the type's search parameters over the indexes (empty: none).
    static QString dateParameter(const QString& type);
    static QString codeParameter(const QString& type);
    static QString categoryParameter(const QString& type);
    // A FHIR date, dateTime or instant as ms since the epoch (the start of its precision).
    static std::optional<qint64> parseInstant(const QString& text);
    static QString formatInstant(qint64 msSinceEpoch);

    // Stores the next version of resource (it must have resourceType and id):
    // meta.versionId is the previous version + 1, meta.lastUpdated is
    // `lastUpdatedMs` or, when negative, the store clock (never before now,
    // strictly increasing).
    ResourcePtr put(QJsonObject resource, const QString& patient, qint64 lastUpdatedMs = -1);
    ResourcePtr get(const QString& type, const QString& id) const;
    // Removes the resource; removing a Patient removes its compartment too.
    bool remove(const QString& type, const QString& id);
    QList<ResourcePtr> search(const QString& type, const QString& patient) const;
    QStringList patientIds() const { return m_patients; }
    qsizetype size() const;

private:
    qint64 nextStamp();

    using SortKey = QPair<qint64, QString>;
    QHash<QString, QHash<QString, ResourcePtr>> m_byType;
    QHash<QString, QHash<QString, QMap<SortKey, ResourcePtr>>> m_byPatient; // patient -> type -> sorted
    QStringList m_patients; // in creation order, so "first" is stable
    qint64 m_lastStamp = 0;
};

} // namespace ondevice::sandbox
