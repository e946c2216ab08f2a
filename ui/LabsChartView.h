#pragma once

#include "ChartModel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QToolButton;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace ondevice::services {
class RecordsHub;
}

namespace ondevice::ui {

// Labs & Vitals over time: pick a test, see its values as a line (blood
// pressure as two), with the reference range as a band when the results carry
// one. The data comes from ChartModel, read on the records worker thread.
class LabsChartView : public QWidget {
    Q_OBJECT

public:
    // The newest Observations scanned for the list of codes.
    static constexpr int CodeScanLimit = 3000;
    // The most points drawn for one code.
    static constexpr int PointLimit = 2000;

    explicit LabsChartView(services::RecordsHub& hub, QWidget* parent = nullptr);

    // Reads the codes present (again).
    void refresh();
    void selectCode(const QString& code);
    QString currentCode() const;
    const ChartModel& model() const { return m_model; }
    QComboBox* codePicker() const { return m_codes; }
    // The same points as a table instead of the chart ("Show as table").
    void showTable(bool table);
    QTableWidget* table() const { return m_table; }
    QToolButton* tableToggle() const { return m_asTable; }
    QWidget* chartView() const;

Q_SIGNALS:
    void codesLoaded();
    void chartShown();

protected:
    void changeEvent(QEvent* event) override;

private:
    void loadCode(const QString& code);
    void draw();
    void fillTable();
    void updateVisibility();

    services::RecordsHub& m_hub;
    QComboBox* m_codes = nullptr;
    QLabel* m_empty = nullptr;
    QChartView* m_view = nullptr;
    QToolButton* m_asTable = nullptr;
    QTableWidget* m_table = nullptr;
    ChartModel m_model;
    QString m_wanted; // a code asked for before the list had it
    quint64 m_generation = 0;
};

} // namespace ondevice::ui
