#include "BundleLoader.h"

#include "ResourceStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QUuid>

namespace ondevice::sandbox {

namespace {

struct Pending {
    QJsonObject resource;
    QString patient;
};

bool isValidId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9\\-.]{1,64}$"));
    return pattern.match(id).hasMatch();
}

// Rewrites every {"reference":"urn:uuid:…"} under value that names an entry of the bundle.
QJsonValue rewriteReferences(const QJsonValue& value, const QHash<QString, QString>& byFullUrl)
{
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array.replace(i, rewriteReferences(array.at(i), byFullUrl));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == QLatin1String("reference") && it.value().isString()) {
            const auto target = byFullUrl.constFind(it.value().toString());
            if (target != byFullUrl.constEnd())
                it.value() = *target;
        } else if (it.value().isObject() || it.value().isArray()) {
            it.value() = rewriteReferences(it.value(), byFullUrl);
        }
    }
    return object;
}

} // namespace

BundleLoader::BundleLoader(ResourceStore& store)
    : m_store(store)
{
}

QString BundleLoader::load(const QString& directory)
{
    const QDir dir(directory);
    if (!QFileInfo(directory).isDir())
        return directory + QStringLiteral(": not a directory");
    const QFileInfoList files
        = dir.entryInfoList({ QStringLiteral("*.json") }, QDir::Files | QDir::Readable, QDir::Name);
    if (files.isEmpty())
        return directory + QStringLiteral(": no *.json files");

    QList<Pending> pending;
    QStringList patients; // known so far: loaded from earlier files and already in the store
    QMap<QString, int> skipped;
    for (const QFileInfo& info : files) {
        const QString name = info.fileName();
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly))
            return name + QStringLiteral(": cannot be read: ") + file.errorString();
        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return name
                + QStringLiteral(": not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        const QJsonObject bundle = document.object();
        if (bundle.value(QStringLiteral("resourceType")).toString() != QLatin1String("Bundle"))
            return name
                + QStringLiteral(": not a FHIR Bundle (resourceType is '%1')")
                      .arg(bundle.value(QStringLiteral("resourceType")).toString());
        const QString bundleType = bundle.value(QStringLiteral("type")).toString();
        if (bundleType != QLatin1String("collection") && bundleType != QLatin1String("transaction"))
            return name + QStringLiteral(": Bundle.type must be collection or transaction, not '%1'").arg(bundleType);
        const QJsonArray entries = bundle.value(QStringLiteral("entry")).toArray();
        if (entries.isEmpty())
            return name + QStringLiteral(": the Bundle has no entries");

        // First pass: ids, and what each fullUrl stands for.
        QHash<QString, QString> byFullUrl;
        QList<QJsonObject> resources;
        for (qsizetype i = 0; i < entries.size(); ++i) {
            const QJsonObject entry = entries.at(i).toObject();
            QJsonObject resource = entry.value(QStringLiteral("resource")).toObject();
            const QString type = resource.value(QStringLiteral("resourceType")).toString();
            if (type.isEmpty())
                return name + QStringLiteral(": entry %1: no resource with a resourceType").arg(i);
            const QString fullUrl = entry.value(QStringLiteral("fullUrl")).toString();
            if (!resource.contains(QStringLiteral("id"))) {
                // Transaction entries often carry their identity only in fullUrl.
                const QString id = fullUrl.startsWith(QLatin1String("urn:uuid:"))
                    ? fullUrl.mid(9)
                    : QUuid::createUuidV5(QUuid(), name + QLatin1Char('#') + QString::number(i))
                          .toString(QUuid::WithoutBraces);
                resource.insert(QStringLiteral("id"), id);
            }
            const QString id = resource.value(QStringLiteral("id")).toString();
            if (!isValidId(id))
                return name + QStringLiteral(": entry %1: invalid id '%2'").arg(i).arg(id);
            if (!fullUrl.isEmpty())
                byFullUrl.insert(fullUrl, type + QLatin1Char('/') + id);
            resources.append(resource);
        }
        // Second pass: references, compartments, supported types.
        for (qsizetype i = 0; i < resources.size(); ++i) {
            QJsonObject resource = rewriteReferences(resources.at(i), byFullUrl).toObject();
            const QString type = resource.value(QStringLiteral("resourceType")).toString();
            if (!ResourceStore::isSupportedType(type)) {
                ++skipped[type];
                continue;
            }
            const QString id = resource.value(QStringLiteral("id")).toString();
            QString patient;
            if (type == QLatin1String("Patient")) {
                patient = id;
                patients.append(id);
            } else if (const QString element = ResourceStore::compartmentElement(type); !element.isEmpty()) {
                const QString reference
                    = resource.value(element).toObject().value(QStringLiteral("reference")).toString();
                if (!reference.startsWith(QLatin1String("Patient/")))
                    return name
                        + QStringLiteral(": entry %1: %2/%3 has no %4 reference to a Patient")
                              .arg(i)
                              .arg(type, id, element);
                patient = reference.mid(8);
                if (!patients.contains(patient) && !m_store.get(QStringLiteral("Patient"), patient))
                    return name
                        + QStringLiteral(": entry %1: %2/%3 points at %4, which is not in the bundle")
                              .arg(i)
                              .arg(type, id, reference);
            }
            QJsonObject meta = resource.value(QStringLiteral("meta")).toObject();
            meta.remove(QStringLiteral("versionId"));
            meta.remove(QStringLiteral("lastUpdated"));
            resource.insert(QStringLiteral("meta"), meta);
            pending.append({ resource, patient });
        }
    }

    // Everything is valid: Patients first, so "first" and the consent page see them in file order.
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
        return (a.resource.value(QStringLiteral("resourceType")).toString() == QLatin1String("Patient"))
            > (b.resource.value(QStringLiteral("resourceType")).toString() == QLatin1String("Patient"));
    });
    for (const Pending& item : std::as_const(pending))
        m_store.put(item.resource, item.patient);
    QStringList skippedText;
    for (auto it = skipped.cbegin(); it != skipped.cend(); ++it)
        skippedText.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    m_summary = QStringLiteral("loaded %1 resources (%2 patients) from %3 files")
                    .arg(pending.size())
                    .arg(patients.size())
                    .arg(files.size());
    if (!skippedText.isEmpty())
        m_summary += QStringLiteral("; skipped unsupported types: ") + skippedText.join(QStringLiteral(", "));
    return {};
}

} // namespace ondevice::sandbox
