#include "LabsChartView.h"
#include "NamedComboBox.h"
#include "ResourceRenderer.h"
#include "core/Continuations.h"

#include "services/RecordsHub.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <array>

namespace ondevice::ui {

namespace {

// Chart colours stay fixed (they must stay readable on light and dark
// backgrounds alike); everything else follows the palette.
const std::array<QColor, 2> kSeriesColors = { QColor(0x2f, 0x7e, 0xd8), QColor(0xd6, 0x4f, 0x2a) };
const QColor kBandColor(0x3c, 0xb3, 0x71, 70);

} // namespace

LabsChartView::LabsChartView(services::RecordsHub& hub, QWidget* parent)
    : QWidget(parent)
    , m_hub(hub)
{
    setObjectName(QStringLiteral("labsChart"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    auto* label = new QLabel(tr("&Test:"), this);
    m_codes = new NamedComboBox(this);
    m_codes->setObjectName(QStringLiteral("chartCode"));
    m_codes->setAccessibleName(tr("Test to chart"));
    m_codes->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    label->setBuddy(m_codes);
    bar->addWidget(label);
    bar->addWidget(m_codes, 1);
    m_asTable = new QToolButton(this);
    m_asTable->setObjectName(QStringLiteral("chartAsTable"));
    m_asTable->setText(tr("Show as ta&ble"));
    m_asTable->setAccessibleName(tr("Show the values as a table"));
    m_asTable->setCheckable(true);
    m_asTable->setFocusPolicy(Qt::StrongFocus);
    connect(m_asTable, &QToolButton::toggled, this, &LabsChartView::updateVisibility);
    bar->addWidget(m_asTable);
    layout->addLayout(bar);

    m_empty = new QLabel(tr("No values to chart yet."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setVisible(false);
    layout->addWidget(m_empty);

    m_view = new QChartView(this);
    m_view->setObjectName(QStringLiteral("chartView"));
    m_view->setAccessibleName(tr("Chart of the selected test over time"));
    m_view->setRenderHint(QPainter::Antialiasing);
    // Tab stops on the view's viewport: it carries the chart's name and description as well.
    m_view->viewport()->setAccessibleName(m_view->accessibleName());
    m_view->setChart(new QChart);
    layout->addWidget(m_view, 1);

    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("chartTable"));
    m_table->setAccessibleName(tr("Values of the selected test"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false); // one stop in the page; the arrow keys move inside
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8); // one line per row
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setVisible(false);
    layout->addWidget(m_table, 1);

    connect(m_codes, &QComboBox::currentIndexChanged, this, [this] {
        if (!currentCode().isEmpty())
            loadCode(currentCode());
    });
}

QString LabsChartView::currentCode() const
{
    return m_codes->currentData().toString();
}

void LabsChartView::selectCode(const QString& code)
{
    const int index = m_codes->findData(code);
    if (index >= 0) {
        if (index == m_codes->currentIndex())
            loadCode(code);
        else
            m_codes->setCurrentIndex(index);
    } else {
        m_wanted = code;
    }
}

void LabsChartView::refresh()
{
    m_hub
        .onWorker([](services::WorkerStores& stores, const QList<services::RecordSource>& sources) {
            // Codes are tags in the store; their names are inside the
            // records: read the newest Observations and collect them.
            QList<fhir::StoredResource> rows;
            for (const services::RecordSource& s : sources)
                if (fhir::ResourceStore* store = stores.store(s)) {
                    fhir::ResourceQuery q = fhir::ResourceQuery::forType(QStringLiteral("Observation"));
                    q.limit = CodeScanLimit;
                    if (auto page = store->query(q))
                        rows += std::move(page).value();
                }
            return ChartModel::codes(rows);
        })
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const QList<ChartCode>& codes) {
            const QString keep = m_wanted.isEmpty() ? currentCode() : m_wanted;
            {
                const QSignalBlocker block(m_codes);
                m_codes->clear();
                for (const ChartCode& c : codes)
                    m_codes->addItem(tr("%1 (%n result(s))", nullptr, c.count).arg(c.display), c.code);
            }
            int index = m_codes->findData(keep);
            if (index < 0 && !codes.isEmpty())
                index = 0;
            if (index >= 0 && index == m_codes->findData(m_wanted))
                m_wanted.clear();
            m_codes->setCurrentIndex(index);
            if (index >= 0)
                loadCode(currentCode());
            else
                draw();
            Q_EMIT codesLoaded();
        }));
}

void LabsChartView::loadCode(const QString& code)
{
    const quint64 generation = ++m_generation;
    m_hub
        .onWorker([code](services::WorkerStores& stores, const QList<services::RecordSource>& sources) {
            QList<fhir::StoredResource> rows;
            for (const services::RecordSource& s : sources)
                if (fhir::ResourceStore* store = stores.store(s)) {
                    fhir::ResourceQuery q = fhir::ResourceQuery::forType(QStringLiteral("Observation"));
                    q.code = code;
                    q.limit = PointLimit;
                    if (auto page = store->query(q))
                        rows += std::move(page).value();
                }
            ChartModel model;
            model.setObservations(code, rows);
            return model;
        })
        .then(compat::continuationContext(), compat::ifAlive(this, [this, generation](const ChartModel& model) {
            if (generation != m_generation)
                return;
            m_model = model;
            draw();
            Q_EMIT chartShown();
        }));
}

void LabsChartView::draw()
{
    auto* chart = new QChart;
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette().brush(QPalette::Base));
    chart->setTitleBrush(palette().brush(QPalette::Text));
    chart->legend()->setLabelColor(palette().color(QPalette::Text));
    chart->setTitle(m_model.unit().isEmpty() ? m_model.title() : tr("%1 (%2)").arg(m_model.title(), m_model.unit()));
    chart->legend()->setAlignment(Qt::AlignBottom);

    auto* x = new QDateTimeAxis;
    x->setFormat(QLocale().dateFormat(QLocale::ShortFormat));
    x->setTitleText(tr("Date"));
    auto* y = new QValueAxis;
    y->setTitleText(m_model.unit());
    for (QAbstractAxis* axis : { static_cast<QAbstractAxis*>(x), static_cast<QAbstractAxis*>(y) }) {
        axis->setLabelsColor(palette().color(QPalette::Text));
        axis->setTitleBrush(palette().brush(QPalette::Text));
    }
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);

    double minY = std::numeric_limits<double>::max();
    double maxY = std::numeric_limits<double>::lowest();
    qint64 minX = std::numeric_limits<qint64>::max();
    qint64 maxX = std::numeric_limits<qint64>::lowest();
    auto extend = [&](const QList<QPointF>& points) {
        for (const QPointF& p : points) {
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
            minX = std::min(minX, static_cast<qint64>(p.x()));
            maxX = std::max(maxX, static_cast<qint64>(p.x()));
        }
    };
    if (const auto band = m_model.band()) {
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        upper->append(band->high);
        lower->append(band->low);
        auto* area = new QAreaSeries(upper, lower);
        // An area series does not own its edges: they go with it.
        upper->setParent(area);
        lower->setParent(area);
        area->setName(tr("Reference range"));
        area->setColor(kBandColor);
        area->setBorderColor(kBandColor);
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
        extend(band->high);
        extend(band->low);
    }
    std::size_t colour = 0;
    for (const ChartSeries& s : m_model.series()) {
        auto* line = new QLineSeries;
        line->setName(s.name);
        line->append(s.points);
        QPen pen(kSeriesColors.at(colour++ % kSeriesColors.size()));
        pen.setWidthF(2);
        line->setPen(pen);
        line->setPointsVisible(s.points.size() < 200);
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        extend(s.points);
    }
    if (minX <= maxX) {
        const double pad = std::max((maxY - minY) * 0.08, 1.0);
        y->setRange(std::max(0.0, minY - pad), maxY + pad);
        y->applyNiceNumbers();
        const qint64 spread = std::max<qint64>((maxX - minX) / 20, 12LL * 3600 * 1000);
        x->setRange(QDateTime::fromMSecsSinceEpoch(minX - spread), QDateTime::fromMSecsSinceEpoch(maxX + spread));
    }
    QChart* old = m_view->chart();
    m_view->setChart(chart);
    delete old;
    // What the chart shows, in words (a screen reader has no other way to it).
    const QString words = m_model.description();
    for (QWidget* named : { static_cast<QWidget*>(m_view), m_view->viewport(), static_cast<QWidget*>(m_table) })
        named->setAccessibleDescription(words);
    fillTable();
    updateVisibility();
}

QWidget* LabsChartView::chartView() const
{
    return m_view;
}

void LabsChartView::showTable(bool table)
{
    m_asTable->setChecked(table); // (toggled: updateVisibility)
}

void LabsChartView::updateVisibility()
{
    const bool empty = m_model.isEmpty();
    const bool table = m_asTable->isChecked();
    m_empty->setVisible(empty);
    m_view->setVisible(!empty && !table);
    m_table->setVisible(!empty && table);
}

void LabsChartView::fillTable()
{
    const QList<ChartSeries> series = m_model.series();
    QStringList headers { tr("Date") };
    for (const ChartSeries& s : series)
        headers << (m_model.unit().isEmpty() ? s.name : tr("%1 (%2)").arg(s.name, m_model.unit()));
    const bool ranged = m_model.band().has_value();
    if (ranged)
        headers << tr("Reference range");
    const QList<ChartModel::Row> rows = m_model.rows();
    m_table->clear();
    m_table->setColumnCount(static_cast<int>(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(static_cast<int>(rows.size()));
    const auto cell = [this](int row, int column, const QString& text) {
        auto* item = new QTableWidgetItem(text);
        if (column > 0)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, column, item);
    };
    QStringList dates; // also each row's (hidden) header: what a screen reader says a row is
    for (int r = 0; r < rows.size(); ++r) {
        const ChartModel::Row& row = rows.at(r);
        dates << QLocale().toString(
            QDateTime::fromMSecsSinceEpoch(row.at, Qt::UTC).toLocalTime(), QLocale::ShortFormat);
        cell(r, 0, dates.constLast());
        for (int s = 0; s < row.values.size(); ++s)
            cell(r, s + 1, row.values.at(s) ? ResourceRenderer::number(*row.values.at(s)) : QString());
        if (ranged && (row.low || row.high))
            cell(r, static_cast<int>(headers.size()) - 1, ChartModel::rangeText(row));
    }
    m_table->setVerticalHeaderLabels(dates);
    m_table->resizeColumnsToContents();
}

void LabsChartView::changeEvent(QEvent* event)
{
    // Dark mode switched while running: redraw with the new palette.
    if (event->type() == QEvent::PaletteChange && m_view)
        draw();
    QWidget::changeEvent(event);
}

} // namespace ondevice::ui
