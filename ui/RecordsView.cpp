#include "RecordsView.h"

#include "LabsChartView.h"
#include "RecordDetailView.h"
#include "RecordTableModel.h"
#include "SummaryView.h"
#include "services/RecordsHub.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace ondevice::ui {

RecordsView::RecordsView(services::RecordsHub& hub, QWidget* parent)
    : QWidget(parent)
    , m_hub(hub)
{
    setObjectName(QStringLiteral("recordsView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    auto* placeholder = new QLabel(tr("Your records will appear here after the first sync."), this);
    placeholder->setObjectName(QStringLiteral("recordsPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    m_placeholder = placeholder;
    m_pages->addWidget(m_placeholder);

    m_summary = new SummaryView(hub, this);
    m_pages->addWidget(m_summary);

    m_tablePage = new QWidget(this);
    auto* pageLayout = new QVBoxLayout(m_tablePage);
    pageLayout->setContentsMargins(6, 6, 6, 0);
    auto* bar = new QHBoxLayout;
    m_filter = new QLineEdit(m_tablePage);
    m_filter->setObjectName(QStringLiteral("recordFilter"));
    m_filter->setPlaceholderText(tr("Find in this list (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Find in this list"));
    m_filter->setClearButtonEnabled(true);
    bar->addWidget(m_filter, 1);
    m_useDates = new QCheckBox(tr("&Dates from"), m_tablePage);
    m_useDates->setObjectName(QStringLiteral("useDateRange"));
    m_useDates->setAccessibleName(tr("Limit to a date range"));
    bar->addWidget(m_useDates);
    m_from = new QDateEdit(QDate::currentDate().addYears(-1), m_tablePage);
    m_from->setObjectName(QStringLiteral("dateFrom"));
    m_from->setAccessibleName(tr("From date"));
    m_from->setCalendarPopup(true);
    m_from->setEnabled(false);
    bar->addWidget(m_from);
    auto* toLabel = new QLabel(tr("to"), m_tablePage);
    bar->addWidget(toLabel);
    m_to = new QDateEdit(QDate::currentDate(), m_tablePage);
    m_to->setObjectName(QStringLiteral("dateTo"));
    m_to->setAccessibleName(tr("To date"));
    m_to->setCalendarPopup(true);
    m_to->setEnabled(false);
    toLabel->setBuddy(m_to);
    bar->addWidget(m_to);
    m_chartButton = new QToolButton(m_tablePage);
    m_chartButton->setObjectName(QStringLiteral("chartButton"));
    m_chartButton->setText(tr("&Chart"));
    m_chartButton->setToolTip(tr("Show the values of one test over time"));
    m_chartButton->setAccessibleName(tr("Show as a chart"));
    m_chartButton->setCheckable(true);
    m_chartButton->setFocusPolicy(Qt::StrongFocus);
    bar->addWidget(m_chartButton);
    pageLayout->addLayout(bar);

    auto* splitter = new QSplitter(Qt::Vertical, m_tablePage);
    splitter->setChildrenCollapsible(false);
    m_tableOrChart = new QStackedWidget(splitter);
    auto* tableBox = new QWidget(m_tableOrChart);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    m_model = new RecordTableModel(hub, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RecordTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_table = new QTableView(tableBox);
    m_table->setObjectName(QStringLiteral("recordTable"));
    m_table->setAccessibleName(tr("Records"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setTabKeyNavigation(false); // one Tab stop in the page: the arrow keys move inside it
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // One line per row, as in any list (offscreen styles default to 30 px).
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setHighlightSections(false);
    tableLayout->addWidget(m_table, 1);
    m_countLabel = new QLabel(tableBox);
    m_countLabel->setObjectName(QStringLiteral("recordCount"));
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);
    tableLayout->addWidget(m_countLabel);
    m_tableOrChart->addWidget(tableBox);
    m_chart = new LabsChartView(hub, m_tableOrChart);
    m_tableOrChart->addWidget(m_chart);
    m_detail = new RecordDetailView(hub, splitter);
    splitter->addWidget(m_tableOrChart);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    pageLayout->addWidget(splitter, 1);
    m_pages->addWidget(m_tablePage);

    setTabOrder(m_filter, m_useDates);
    setTabOrder(m_useDates, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, m_chartButton);
    // The screen's order: the bar, then the table or the chart (its test, "Show as table", the chart or its
    // table), then the selected record. Hidden ones are skipped.
    setTabOrder(m_chartButton, m_table);
    setTabOrder(m_table, m_chart->codePicker());
    setTabOrder(m_chart->codePicker(), m_chart->tableToggle());
    setTabOrder(m_chart->tableToggle(), m_chart->chartView());
    setTabOrder(m_chart->chartView(), m_chart->table());
    setTabOrder(m_chart->table(), m_detail);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text);
        updateCountLabel();
        // Fewer matches than a screenful: the view asks for more pages.
        if (m_proxy->rowCount() < RecordTableModel::PageSize && m_model->canFetchMore({}))
            m_model->fetchMore({});
    });
    connect(m_useDates, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        applyFilter();
    });
    connect(m_from, &QDateEdit::dateChanged, this, &RecordsView::applyFilter);
    connect(m_to, &QDateEdit::dateChanged, this, &RecordsView::applyFilter);
    connect(m_chartButton, &QToolButton::toggled, this, &RecordsView::showChart);
    connect(m_model, &RecordTableModel::pageLoaded, this, [this] {
        updateCountLabel();
        // A filter that hides most rows: keep reading until a screenful matches.
        if (!m_filter->text().isEmpty() && m_proxy->rowCount() < RecordTableModel::PageSize
            && m_model->canFetchMore({}))
            m_model->fetchMore({});
    });
    connect(m_model, &RecordTableModel::modelReset, this, [this] {
        m_detail->clear();
        updateCountLabel();
    });
    connect(
        m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column, Qt::SortOrder order) {
            // The date column reads the store in that order, so the first page is
            // the newest or the oldest of all, not only of the loaded rows.
            if (column == RecordCategories::dateColumn(m_category)
                && m_model->filter().newestFirst != (order == Qt::DescendingOrder)) {
                RecordFilter f = m_model->filter();
                f.newestFirst = order == Qt::DescendingOrder;
                m_model->setFilter(f);
            }
        });
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            const RecordRow* row = m_model->row(m_proxy->mapToSource(current).row());
            if (row)
                m_detail->showRecord(*row);
            else
                m_detail->clear();
        });
    connect(&m_hub, &services::RecordsHub::recordsChanged, this, &RecordsView::recordsChanged);
    connect(&m_hub, &services::RecordsHub::sourcesChanged, this, [this] {
        updatePlaceholder();
        if (m_category != RecordCategory::Summary)
            m_model->reload();
        if (m_category == RecordCategory::LabsVitals)
            m_chart->refresh();
    });
    showCategory(RecordCategory::Summary);
}

bool RecordsView::showsPlaceholder() const
{
    return m_pages->currentWidget() == m_placeholder;
}

void RecordsView::updatePlaceholder()
{
    if (m_hub.sources().isEmpty())
        m_pages->setCurrentWidget(m_placeholder);
    else
        m_pages->setCurrentWidget(
            m_category == RecordCategory::Summary ? static_cast<QWidget*>(m_summary) : m_tablePage);
}

void RecordsView::showCategory(RecordCategory category)
{
    m_category = category;
    updatePlaceholder();
    if (category == RecordCategory::Summary) {
        m_summary->refresh();
        return;
    }
    m_chartButton->setVisible(category == RecordCategory::LabsVitals);
    if (category != RecordCategory::LabsVitals)
        m_chartButton->setChecked(false);
    m_stale = false;
    RecordFilter f;
    f.category = category;
    f.newestFirst = true;
    if (m_useDates->isChecked()) {
        f.from = m_from->date().startOfDay();
        f.to = m_to->date().endOfDay();
    }
    {
        const QSignalBlocker block(m_table->horizontalHeader());
        m_table->sortByColumn(RecordCategories::dateColumn(category), Qt::DescendingOrder);
    }
    m_model->setFilter(f);
    // The name takes what the other columns leave; dates fit a short date.
    QHeaderView* header = m_table->horizontalHeader();
    const int columns = m_model->columnCount();
    const int dateWidth
        = m_table->fontMetrics().horizontalAdvance(QLocale().toString(QDate(2000, 12, 28), QLocale::ShortFormat)) + 24;
    for (int c = 0; c < columns; ++c) {
        header->setSectionResizeMode(c, c == 0 ? QHeaderView::Stretch : QHeaderView::Interactive);
        if (c > 0)
            m_table->setColumnWidth(c, c == RecordCategories::dateColumn(category) ? dateWidth : 110);
    }
    if (m_chartButton->isChecked())
        m_chart->refresh();
}

void RecordsView::showChart(bool chart)
{
    if (m_chartButton->isChecked() != chart)
        m_chartButton->setChecked(chart); // comes back here through toggled
    m_tableOrChart->setCurrentWidget(chart ? static_cast<QWidget*>(m_chart) : m_tableOrChart->widget(0));
    m_filter->setEnabled(!chart);
    if (chart)
        m_chart->refresh();
}

void RecordsView::setDateRange(const QDate& from, const QDate& to)
{
    const QSignalBlocker a(m_from), b(m_to), c(m_useDates);
    const bool on = from.isValid() || to.isValid();
    m_useDates->setChecked(on);
    m_from->setEnabled(on);
    m_to->setEnabled(on);
    if (from.isValid())
        m_from->setDate(from);
    if (to.isValid())
        m_to->setDate(to);
    applyFilter();
}

void RecordsView::applyFilter()
{
    if (m_category == RecordCategory::Summary)
        return;
    RecordFilter f = m_model->filter();
    f.from = m_useDates->isChecked() ? m_from->date().startOfDay() : QDateTime();
    f.to = m_useDates->isChecked() ? m_to->date().endOfDay() : QDateTime();
    m_model->setFilter(f);
}

void RecordsView::focusFilter()
{
    if (m_category == RecordCategory::Summary)
        return;
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void RecordsView::updateCountLabel()
{
    const int shown = m_proxy->rowCount();
    const int loaded = m_model->rowCount();
    QString text = m_filter->text().isEmpty() ? tr("%n record(s) loaded", nullptr, loaded)
                                              : tr("%1 of %n loaded record(s) match", nullptr, loaded).arg(shown);
    if (m_model->canFetchMore({}))
        text += tr("; scroll down for more");
    m_countLabel->setText(text);
}

void RecordsView::recordsChanged()
{
    if (m_category == RecordCategory::Summary)
        return; // the summary listens by itself
    // Past the first page the user is reading: do not pull the rows from
    // under them while a sync runs; read again when it ends.
    if (m_model->rowCount() <= RecordTableModel::PageSize || !m_hub.isSyncing()) {
        m_stale = false;
        m_model->reload();
    } else {
        m_stale = true;
    }
    if (m_category == RecordCategory::LabsVitals && m_chartButton->isChecked() && !m_hub.isSyncing())
        m_chart->refresh();
}

} // namespace ondevice::ui
