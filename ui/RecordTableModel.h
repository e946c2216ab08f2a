#pragma once

#include "RecordCategory.h"
#include "services/RecordsHub.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace ondevice::ui {

// One row of a record table, rendered on the worker thread.
struct RecordRow {
    QString connectionId;
    QString type;
    QString id;
    QDateTime sortDate;
    QStringList cells;
    QByteArray json;
};

// Where a paged read across several connections and types stands: one stream
// per (connection, type), merged by date so rows of all providers interleave.
struct RecordCursor {
    struct Stream {
        services::RecordSource source;
        QString type;
        int offset = 0;
        bool exhausted = false;
        QList<fhir::StoredResource> buffer;
    };
    QList<Stream> streams;
};

struct RecordPage {
    QList<RecordRow> rows;
    RecordCursor cursor;
    bool exhausted = false;
    QString error;
};

struct RecordFilter {
    RecordCategory category = RecordCategory::Conditions;
    QDateTime from, to; // on the store's sortDate; invalid = open
    bool newestFirst = true;
    std::optional<QString> code; // "system|code"
};

// A category's records from every connection, as a table. It never holds the
// whole store: pages are read and decrypted on the records worker thread
// (fetchMore/canFetchMore), and the view asks for the next page as it scrolls.
// The first page is a screenful (FirstPageSize), so the first rows show as soon
// as possible; later pages hold PageSize rows. Text filtering and sorting by column happen in a
// QSortFilterProxyModel over the rows loaded so far.
class RecordTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int FirstPageSize = 50;
    static constexpr int PageSize = 100;
    enum Role {
        SortRole = Qt::UserRole + 1,
        ConnectionRole,
        TypeRole,
        IdRole,
        JsonRole,
    };

    explicit RecordTableModel(services::RecordsHub& hub, QObject* parent = nullptr);

    void setFilter(const RecordFilter& filter);
    RecordFilter filter() const { return m_filter; }
    // Reads again from the first page (new records arrived, a store went away).
    void reload();
    bool isLoading() const { return m_loading; }
    const RecordRow* row(int index) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // The worker-side read, public for tests and the summary: the next page of `filter` after `cursor`.
    static RecordPage readPage(
        services::WorkerStores& stores, RecordCursor cursor, const RecordFilter& filter, int pageSize);
    static RecordCursor startCursor(const QList<services::RecordSource>& sources, const RecordFilter& filter);

Q_SIGNALS:
    void pageLoaded(int rows);
    void loadingChanged(bool loading);
    void loadFailed(const QString& message);

private:
    void requestPage();

    services::RecordsHub& m_hub;
    RecordFilter m_filter;
    QStringList m_columns;
    QList<RecordRow> m_rows;
    RecordCursor m_cursor;
    bool m_started = false;
    bool m_exhausted = false;
    bool m_loading = false;
    quint64 m_generation = 0; // a page of an older query is dropped
};

} // namespace ondevice::ui
