#pragma once

#include "RecordCategory.h"

#include <QAbstractTableModel>

namespace ondevice::services {
class RecordsHub;
}

namespace ondevice::ui {

// The left pane's record categories with their counts over every connection
// (ResourceStore::count, which reads only tags: nothing is decrypted). Counts
// are read on the records worker thread; "—" until the first answer.
class CategoryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Role { CategoryRole = Qt::UserRole + 1, CountRole };

    explicit CategoryModel(services::RecordsHub& hub, QObject* parent = nullptr);

    RecordCategory category(const QModelIndex& index) const;
    QModelIndex indexOf(RecordCategory category) const;
    // -1 while unknown.
    qint64 count(RecordCategory category) const;
    void refresh();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void countsChanged();

private:
    services::RecordsHub& m_hub;
    QList<RecordCategory> m_categories;
    QList<qint64> m_counts;
    bool m_refreshing = false;
    bool m_again = false;
};

} // namespace ondevice::ui
