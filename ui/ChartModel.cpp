#include "ChartModel.h"

#include "ResourceRenderer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMap>

#include <algorithm>

namespace ondevice::ui {

namespace {

QString codeOf(const QJsonObject& coding)
{
    return coding.value(QLatin1String("system")).toString() + QLatin1Char('|')
        + coding.value(QLatin1String("code")).toString();
}

bool hasCode(const QJsonObject& codeConcept, const char* code)
{
    for (const QJsonValue c : codeConcept.value(QLatin1String("coding")).toArray())
        if (c.toObject().value(QLatin1String("code")).toString() == QLatin1String(code))
            return true;
    return false;
}

std::optional<double> quantityValue(const QJsonObject& quantity)
{
    const QJsonValue v = quantity.value(QLatin1String("value"));
    if (!v.isDouble())
        return std::nullopt;
    return v.toDouble();
}

QString unitOf(const QJsonObject& quantity)
{
    return ResourceRenderer::quantity(quantity).section(QLatin1Char(' '), 1);
}

qint64 timeOf(const fhir::StoredResource& r)
{
    return r.sortDate.isValid() ? r.sortDate.toMSecsSinceEpoch() : 0;
}

} // namespace

QList<ChartCode> ChartModel::codes(const QList<fhir::StoredResource>& observations)
{
    QMap<QString, ChartCode> found;
    for (const fhir::StoredResource& r : observations) {
        const QJsonObject o = QJsonDocument::fromJson(r.json).object();
        const bool numeric
            = o.value(QLatin1String("valueQuantity")).toObject().value(QLatin1String("value")).isDouble();
        const QJsonObject codeConcept = o.value(QLatin1String("code")).toObject();
        const bool bloodPressure = hasCode(codeConcept, BloodPressurePanel);
        if (!numeric && !bloodPressure)
            continue;
        const QJsonArray codings = codeConcept.value(QLatin1String("coding")).toArray();
        if (codings.isEmpty())
            continue;
        QJsonObject coding = codings.first().toObject();
        if (bloodPressure)
            for (const QJsonValue c : codings)
                if (c.toObject().value(QLatin1String("code")).toString() == QLatin1String(BloodPressurePanel))
                    coding = c.toObject();
        const QString key = codeOf(coding);
        ChartCode& entry = found[key];
        entry.code = key;
        if (entry.display.isEmpty())
            entry.display = bloodPressure ? tr("Blood pressure") : ResourceRenderer::conceptText(codeConcept);
        ++entry.count;
    }
    QList<ChartCode> list = found.values();
    std::sort(list.begin(), list.end(),
        [](const ChartCode& a, const ChartCode& b) { return a.display.localeAwareCompare(b.display) < 0; });
    return list;
}

void ChartModel::setObservations(const QString& code, const QList<fhir::StoredResource>& observations)
{
    m_title.clear();
    m_unit.clear();
    m_series.clear();
    m_band.reset();
    m_ranges.clear();
    QList<fhir::StoredResource> rows = observations;
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return timeOf(a) < timeOf(b); });
    const bool bloodPressure = code.section(QLatin1Char('|'), 1) == QLatin1String(BloodPressurePanel);
    if (bloodPressure) {
        m_title = tr("Blood pressure");
        ChartSeries systolic { tr("Systolic"), {} };
        ChartSeries diastolic { tr("Diastolic"), {} };
        for (const fhir::StoredResource& r : rows) {
            if (!r.sortDate.isValid())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(r.json).object();
            for (const QJsonValue c : o.value(QLatin1String("component")).toArray()) {
                const QJsonObject component = c.toObject();
                const QJsonObject quantity = component.value(QLatin1String("valueQuantity")).toObject();
                const auto value = quantityValue(quantity);
                if (!value)
                    continue;
                const QJsonObject codeConcept = component.value(QLatin1String("code")).toObject();
                if (hasCode(codeConcept, Systolic))
                    systolic.points << QPointF(static_cast<qreal>(timeOf(r)), *value);
                else if (hasCode(codeConcept, Diastolic))
                    diastolic.points << QPointF(static_cast<qreal>(timeOf(r)), *value);
                else
                    continue;
                if (m_unit.isEmpty())
                    m_unit = unitOf(quantity);
            }
        }
        m_series = { systolic, diastolic };
        return;
    }
    ChartSeries values;
    ChartBand band;
    for (const fhir::StoredResource& r : rows) {
        if (!r.sortDate.isValid())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(r.json).object();
        const QJsonObject quantity = o.value(QLatin1String("valueQuantity")).toObject();
        const auto value = quantityValue(quantity);
        if (!value)
            continue;
        if (m_title.isEmpty())
            m_title = ResourceRenderer::conceptText(o.value(QLatin1String("code")));
        if (m_unit.isEmpty())
            m_unit = unitOf(quantity);
        const auto x = static_cast<qreal>(timeOf(r));
        values.points << QPointF(x, *value);
        const QJsonArray ranges = o.value(QLatin1String("referenceRange")).toArray();
        if (ranges.isEmpty())
            continue;
        const QJsonObject range = ranges.first().toObject();
        const auto low = quantityValue(range.value(QLatin1String("low")).toObject());
        const auto high = quantityValue(range.value(QLatin1String("high")).toObject());
        if (!low && !high)
            continue;
        // A range with only an upper limit starts at zero (cholesterol "≤ 200").
        m_ranges.insert(static_cast<qint64>(x), { low, high });
        band.low << QPointF(x, low.value_or(0.0));
        band.high << QPointF(x, high.value_or(low.value_or(0.0)));
    }
    values.name = m_title;
    m_series = { values };
    if (!band.low.isEmpty())
        m_band = band;
}

bool ChartModel::isEmpty() const
{
    for (const ChartSeries& s : m_series)
        if (!s.points.isEmpty())
            return false;
    return true;
}

QList<ChartModel::Row> ChartModel::rows() const
{
    QMap<qint64, Row> byTime;
    for (qsizetype s = 0; s < m_series.size(); ++s)
        for (const QPointF& p : m_series.at(s).points) {
            Row& row = byTime[static_cast<qint64>(p.x())];
            row.at = static_cast<qint64>(p.x());
            row.values.resize(m_series.size());
            row.values[s] = p.y();
        }
    for (auto range = m_ranges.cbegin(); range != m_ranges.cend(); ++range)
        if (auto it = byTime.find(range.key()); it != byTime.end())
            std::tie(it->low, it->high) = range.value();
    QList<Row> rows = byTime.values();
    std::reverse(rows.begin(), rows.end());
    return rows;
}

QString ChartModel::rangeText(const Row& row)
{
    if (row.low && row.high)
        return tr("%1 to %2").arg(ResourceRenderer::number(*row.low), ResourceRenderer::number(*row.high));
    if (row.low)
        return ResourceRenderer::tr("≥ %1").arg(ResourceRenderer::number(*row.low));
    if (row.high)
        return ResourceRenderer::tr("≤ %1").arg(ResourceRenderer::number(*row.high));
    return {};
}

QString ChartModel::latestValueText() const
{
    const QList<Row> all = rows();
    return all.isEmpty() ? QString() : valueText(all.constFirst());
}

QString ChartModel::valueText(const Row& latest) const
{
    const auto withUnit = [this](double value) {
        const QString number = ResourceRenderer::number(value);
        return m_unit.isEmpty() ? number : tr("%1 %2", "a value and its unit").arg(number, m_unit);
    };
    if (m_series.size() == 1)
        return latest.values.value(0) ? withUnit(*latest.values.value(0)) : QString();
    QStringList parts;
    for (qsizetype s = 0; s < m_series.size(); ++s)
        if (latest.values.value(s))
            parts << tr("%1 %2", "a series' name and its value")
                         .arg(m_series.at(s).name, withUnit(*latest.values.value(s)));
    return parts.join(tr(", "));
}

QString ChartModel::description() const
{
    const QList<Row> all = rows();
    if (all.isEmpty())
        return tr("No values to chart yet.");
    const auto day = [](qint64 ms) {
        return QLocale().toString(
            QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toLocalTime().date(), QLocale::LongFormat);
    };
    const Row& latest = all.constFirst();
    QString text = all.size() == 1 ? tr("%1: one result, on %2.").arg(m_title, day(latest.at))
                                   : tr("%1: %n results from %2 to %3.", nullptr, static_cast<int>(all.size()))
                                         .arg(m_title, day(all.constLast().at), day(latest.at));
    text += QLatin1Char(' ') + tr("Latest: %1.").arg(valueText(latest));
    const std::optional<double> value = latest.values.value(0);
    if (m_series.size() == 1 && value && (latest.low || latest.high)) {
        const QString range = rangeText(latest);
        if (latest.high && *value > *latest.high)
            text += QLatin1Char(' ') + tr("Above the reference range (%1).").arg(range);
        else if (latest.low && *value < *latest.low)
            text += QLatin1Char(' ') + tr("Below the reference range (%1).").arg(range);
        else
            text += QLatin1Char(' ') + tr("Within the reference range (%1).").arg(range);
    }
    return text;
}

} // namespace ondevice::ui
