#include "CategoryModel.h"
#include "core/Continuations.h"

#include "services/RecordsHub.h"

#include <QLocale>

namespace ondevice::ui {

CategoryModel::CategoryModel(services::RecordsHub& hub, QObject* parent)
    : QAbstractTableModel(parent)
    , m_hub(hub)
    , m_categories(RecordCategories::all())
    , m_counts(m_categories.size(), -1)
{
    // Queued: the records worker takes one task at a time, and the page in view (a table, the Summary) asks in
    // the same turn of the event loop; the counts in the side bar can come a moment after the first record.
    connect(&m_hub, &services::RecordsHub::recordsChanged, this, &CategoryModel::refresh, Qt::QueuedConnection);
    connect(&m_hub, &services::RecordsHub::sourcesChanged, this, &CategoryModel::refresh, Qt::QueuedConnection);
    refresh();
}

RecordCategory CategoryModel::category(const QModelIndex& index) const
{
    return m_categories.value(index.row(), RecordCategory::Summary);
}

QModelIndex CategoryModel::indexOf(RecordCategory category) const
{
    return index(static_cast<int>(m_categories.indexOf(category)), 0);
}

qint64 CategoryModel::count(RecordCategory category) const
{
    return m_counts.value(m_categories.indexOf(category), -1);
}

void CategoryModel::refresh()
{
    // One count at a time; a request during one runs once it is done.
    if (m_refreshing) {
        m_again = true;
        return;
    }
    m_refreshing = true;
    const QList<RecordCategory> categories = m_categories;
    m_hub
        .onWorker([categories](services::WorkerStores& stores, const QList<services::RecordSource>& sources) {
            QList<qint64> counts;
            for (RecordCategory category : categories) {
                qint64 sum = 0;
                for (const services::RecordSource& source : sources) {
                    fhir::ResourceStore* store = stores.store(source);
                    if (!store)
                        continue;
                    for (const QString& type : RecordCategories::types(category))
                        if (const auto n = store->count(type))
                            sum += n.value();
                }
                counts << (sources.isEmpty() ? -1 : sum);
            }
            return counts;
        })
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const QList<qint64>& counts) {
            m_refreshing = false;
            if (counts != m_counts) {
                m_counts = counts;
                Q_EMIT dataChanged(index(0, 1), index(rowCount() - 1, 1));
                Q_EMIT countsChanged();
            }
            if (std::exchange(m_again, false))
                refresh();
        }));
}

int CategoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_categories.size());
}

int CategoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant CategoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_categories.size())
        return {};
    const RecordCategory category = m_categories.at(index.row());
    const qint64 n = m_counts.value(index.row(), -1);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == 0)
            return RecordCategories::title(category);
        if (category == RecordCategory::Summary)
            return QString();
        return n < 0 ? QStringLiteral("—") : QLocale().toString(n);
    case Qt::AccessibleTextRole:
        if (index.column() == 0)
            return RecordCategories::title(category);
        if (category == RecordCategory::Summary)
            return QString();
        return n < 0 ? tr("not synced yet") : tr("%n record(s)", nullptr, static_cast<int>(n));
    case Qt::TextAlignmentRole:
        return index.column() == 1 ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case CategoryRole:
        return static_cast<int>(category);
    case CountRole:
        return n;
    default:
        return {};
    }
}

QVariant CategoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    // The view hides its header; a screen reader still reads these as the columns' names (never "1", "2").
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Category") : section == 1 ? tr("Count") : QVariant();
}

} // namespace ondevice::ui
