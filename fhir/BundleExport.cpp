#include "BundleExport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSaveFile>

namespace ondevice::fhir {

StoreResult<qint64> exportBundle(ResourceStore& store, const QString& path)
{
    const auto stored = store.storedTypes();
    if (!stored)
        return stored.failure();
    const QStringList& types = stored.value();
    const auto failed = [&path](const QString& detail) {
        return StoreFailure { StoreError::Io,
            QCoreApplication::translate("ondevice::fhir::BundleExport", "Could not write %1.").arg(path), detail };
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failed(file.errorString());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(R"({"resourceType":"Bundle","type":"collection","timestamp":")"
        + QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toLatin1() + R"(","entry":[)");
    qint64 written = 0;
    constexpr int kPage = 500;
    for (const QString& type : types) {
        for (int offset = 0;; offset += kPage) {
            ResourceQuery query;
            query.type = type;
            query.newestFirst = false;
            query.limit = kPage;
            query.offset = offset;
            const auto page = store.query(query);
            if (!page)
                return page.failure();
            for (const StoredResource& resource : page.value()) {
                file.write(written == 0 ? "\n{\"resource\":" : ",\n{\"resource\":");
                file.write(resource.json);
                file.write("}");
                ++written;
            }
            if (page.value().size() < kPage)
                break;
        }
    }
    file.write("\n]}\n");
    if (!file.commit())
        return failed(file.errorString());
    return written;
}

} // namespace ondevice::fhir
