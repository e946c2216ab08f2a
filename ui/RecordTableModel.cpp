#include "RecordTableModel.h"
#include "core/Continuations.h"

#include "ResourceRenderer.h"

#include <QJsonDocument>

namespace ondevice::ui {

RecordTableModel::RecordTableModel(services::RecordsHub& hub, QObject* parent)
    : QAbstractTableModel(parent)
    , m_hub(hub)
{
    m_columns = RecordCategories::columns(m_filter.category);
}

void RecordTableModel::setFilter(const RecordFilter& filter)
{
    m_filter = filter;
    reload();
}

void RecordTableModel::reload()
{
    beginResetModel();
    ++m_generation;
    m_columns = RecordCategories::columns(m_filter.category);
    m_rows.clear();
    m_cursor = startCursor(m_hub.sources(), m_filter);
    m_started = true;
    m_exhausted = m_cursor.streams.isEmpty();
    if (m_loading) {
        m_loading = false;
        Q_EMIT loadingChanged(false);
    }
    endResetModel();
    // The first page without waiting for a view to ask.
    requestPage();
}

const RecordRow* RecordTableModel::row(int index) const
{
    return index >= 0 && index < m_rows.size() ? &m_rows.at(index) : nullptr;
}

int RecordTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RecordTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant RecordTableModel::data(const QModelIndex& index, int role) const
{
    const RecordRow* r = row(index.row());
    if (!r)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return r->cells.value(index.column());
    case SortRole:
        if (index.column() == RecordCategories::dateColumn(m_filter.category))
            return r->sortDate.isValid() ? r->sortDate.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
        return r->cells.value(index.column()).toLower();
    case ConnectionRole:
        return r->connectionId;
    case TypeRole:
        return r->type;
    case IdRole:
        return r->id;
    case JsonRole:
        return r->json;
    default:
        return {};
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return m_columns.value(section);
    return {}; // no row numbers: a screen reader would read them as each row's header
}

bool RecordTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_started && !m_exhausted;
}

void RecordTableModel::fetchMore(const QModelIndex& parent)
{
    if (!parent.isValid())
        requestPage();
}

void RecordTableModel::requestPage()
{
    if (m_loading || m_exhausted)
        return;
    m_loading = true;
    Q_EMIT loadingChanged(true);
    const quint64 generation = m_generation;
    m_hub
        .onWorker([cursor = m_cursor, filter = m_filter, size = m_rows.isEmpty() ? FirstPageSize : PageSize](
                      services::WorkerStores& stores, const QList<services::RecordSource>&) {
            return readPage(stores, cursor, filter, size);
        })
        .then(compat::continuationContext(), compat::ifAlive(this, [this, generation](const RecordPage& page) {
            if (generation != m_generation)
                return; // the query changed meanwhile
            m_loading = false;
            m_cursor = page.cursor;
            m_exhausted = page.exhausted;
            if (!page.rows.isEmpty()) {
                beginInsertRows(
                    {}, static_cast<int>(m_rows.size()), static_cast<int>(m_rows.size() + page.rows.size() - 1));
                m_rows += page.rows;
                endInsertRows();
            }
            Q_EMIT loadingChanged(false);
            if (!page.error.isEmpty())
                Q_EMIT loadFailed(page.error);
            Q_EMIT pageLoaded(static_cast<int>(page.rows.size()));
        }));
}

RecordCursor RecordTableModel::startCursor(const QList<services::RecordSource>& sources, const RecordFilter& filter)
{
    RecordCursor cursor;
    for (const services::RecordSource& source : sources)
        for (const QString& type : RecordCategories::types(filter.category)) {
            RecordCursor::Stream stream;
            stream.source = source;
            stream.type = type;
            cursor.streams << stream;
        }
    return cursor;
}

RecordPage RecordTableModel::readPage(
    services::WorkerStores& stores, RecordCursor cursor, const RecordFilter& filter, int pageSize)
{
    RecordPage page;
    auto refill = [&](RecordCursor::Stream& s) {
        if (s.exhausted || !s.buffer.isEmpty())
            return;
        QString error;
        fhir::ResourceStore* store = stores.store(s.source, &error);
        if (!store) {
            s.exhausted = true;
            page.error = error;
            return;
        }
        fhir::ResourceQuery q = fhir::ResourceQuery::forType(s.type);
        q.code = filter.code;
        q.from = filter.from;
        q.to = filter.to;
        q.newestFirst = filter.newestFirst;
        // Each stream reads its share of a page at a time; one that runs dry
        // refills. A page from two types thus decrypts about one page of rows.
        q.limit = std::max(
            25, (pageSize + static_cast<int>(cursor.streams.size()) - 1) / static_cast<int>(cursor.streams.size()));
        q.offset = s.offset;
        auto rows = store->query(q);
        if (!rows) {
            s.exhausted = true;
            page.error = rows.failure().message;
            return;
        }
        s.buffer = std::move(rows).value();
        s.offset += static_cast<int>(s.buffer.size());
        if (s.buffer.size() < q.limit)
            s.exhausted = true; // a short page is the last one
    };
    // A row without a date sorts last in either direction, as the store does.
    auto before = [&](const fhir::StoredResource& a, const fhir::StoredResource& b) {
        if (!a.sortDate.isValid())
            return false;
        if (!b.sortDate.isValid())
            return true;
        return filter.newestFirst ? a.sortDate > b.sortDate : a.sortDate < b.sortDate;
    };
    while (page.rows.size() < pageSize) {
        int best = -1;
        for (int i = 0; i < cursor.streams.size(); ++i) {
            auto& s = cursor.streams[i];
            refill(s);
            if (s.buffer.isEmpty())
                continue;
            if (best < 0 || before(s.buffer.constFirst(), cursor.streams.at(best).buffer.constFirst()))
                best = i;
        }
        if (best < 0)
            break;
        auto& s = cursor.streams[best];
        const fhir::StoredResource r = s.buffer.takeFirst();
        const QJsonObject object = QJsonDocument::fromJson(r.json).object();
        page.rows << RecordRow { s.source.connectionId, r.type, r.id, r.sortDate,
            ResourceRenderer::cells(filter.category, object, s.source.host), r.json };
    }
    page.exhausted = true;
    for (auto& s : cursor.streams)
        if (!s.exhausted || !s.buffer.isEmpty())
            page.exhausted = false;
    page.cursor = std::move(cursor);
    return page;
}

} // namespace ondevice::ui
