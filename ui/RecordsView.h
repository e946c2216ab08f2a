#pragma once

#include "RecordCategory.h"

#include <QWidget>

class QCheckBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace ondevice::services {
class RecordsHub;
}

namespace ondevice::ui {

class LabsChartView;
class RecordDetailView;
class RecordTableModel;
class SummaryView;

// The Records tab: the Summary, or a category's table (text filter, date
// range, sortable columns) above the selected record's detail; for Labs &
// Vitals also the chart.
class RecordsView : public QWidget {
    Q_OBJECT

public:
    explicit RecordsView(services::RecordsHub& hub, QWidget* parent = nullptr);

    void showCategory(RecordCategory category);
    RecordCategory category() const { return m_category; }
    void showChart(bool chart);
    // Empty dates: open ends.
    void setDateRange(const QDate& from, const QDate& to);
    void focusFilter();

    bool showsPlaceholder() const;
    RecordTableModel* tableModel() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    RecordDetailView* detail() const { return m_detail; }
    SummaryView* summary() const { return m_summary; }
    LabsChartView* chart() const { return m_chart; }
    QLineEdit* filterEdit() const { return m_filter; }

private:
    void applyFilter();
    void updateCountLabel();
    void recordsChanged();
    void updatePlaceholder();

    services::RecordsHub& m_hub;
    RecordCategory m_category = RecordCategory::Summary;
    QStackedWidget* m_pages = nullptr;
    QWidget* m_placeholder = nullptr;
    SummaryView* m_summary = nullptr;
    QWidget* m_tablePage = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_useDates = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_to = nullptr;
    QToolButton* m_chartButton = nullptr;
    QLabel* m_countLabel = nullptr;
    QStackedWidget* m_tableOrChart = nullptr;
    RecordTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    LabsChartView* m_chart = nullptr;
    RecordDetailView* m_detail = nullptr;
    bool m_stale = false; // new records arrived while the user was past the first page
};

} // namespace ondevice::ui
