#pragma once

#include "fhir/store/ResourceStore.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>

#include <optional>

namespace ondevice::ui {

// A code that can be charted: "system|code", its display text, how many rows had it.
struct ChartCode {
    QString code;
    QString display;
    int count = 0;
};

struct ChartSeries {
    QString name;
    QList<QPointF> points; // x: milliseconds since the epoch (UTC), y: value; oldest first
};

// The reference range over time: one low and one high point per observation that carries a range.
struct ChartBand {
    QList<QPointF> low;
    QList<QPointF> high;
};

// The data behind the Labs & Vitals chart, apart from any widget: given the
// Observations of one code, the series to draw (blood pressure as systolic
// and diastolic), the unit, and the reference range as a band.
class ChartModel {
    Q_DECLARE_TR_FUNCTIONS(ChartModel)

public:
    static constexpr auto BloodPressurePanel = "85354-9";
    static constexpr auto Systolic = "8480-6";
    static constexpr auto Diastolic = "8462-4";

    // Distinct chartable codes among `observations` (with a numeric value or
    // the blood pressure components), by display text.
    static QList<ChartCode> codes(const QList<fhir::StoredResource>& observations);

    // `code` is "system|code".
    void setObservations(const QString& code, const QList<fhir::StoredResource>& observations);

    QString title() const { return m_title; }
    QString unit() const { return m_unit; }
    QList<ChartSeries> series() const { return m_series; }
    std::optional<ChartBand> band() const { return m_band; }
    bool isEmpty() const;

    // The chart in words, for a screen reader (the chart's accessible description): the test, how many results
    // over which dates, the latest result with its unit and where it lies against its reference range.
    QString description() const;
    // The latest result as description() says it: "2.5 mg/dL", "Systolic 120 mmHg, Diastolic 80 mmHg".
    QString latestValueText() const;

    // The same points as rows, newest first: "Show as table".
    struct Row {
        qint64 at = 0; // ms since the epoch, UTC
        QList<std::optional<double>> values; // one per series
        std::optional<double> low;
        std::optional<double> high;
    };
    QList<Row> rows() const;
    // A row's reference range in words: "60 to 120", "≥ 60", "≤ 200".
    static QString rangeText(const Row& row);

private:
    QString valueText(const Row& row) const; // a row's values with the unit

    QString m_title;
    QString m_unit;
    QList<ChartSeries> m_series;
    std::optional<ChartBand> m_band; // drawn: a limit the range lacks is filled in (0, or the other limit)
    QMap<qint64, std::pair<std::optional<double>, std::optional<double>>> m_ranges; // as recorded, by time
};

} // namespace ondevice::ui
