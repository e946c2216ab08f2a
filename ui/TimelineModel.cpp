#include "TimelineModel.h"

#include <QLocale>

#include <algorithm>

namespace ondevice::ui {

void TimelineModel::setEvents(const QList<services::TimelineEvent>& events)
{
    beginResetModel();
    m_events = events;
    std::reverse(m_events.begin(), m_events.end());
    endResetModel();
}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const services::TimelineEvent& e = m_events.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(e.at.time(), QStringLiteral("HH:mm:ss"));
        case StepColumn:
            return e.step;
        case OutcomeColumn:
            return e.outcome;
        default:
            break;
        }
    }
    if (role == Qt::ToolTipRole)
        return QLocale().toString(e.at, QLocale::LongFormat);
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case StepColumn:
        return tr("Step");
    case OutcomeColumn:
        return tr("Outcome");
    default:
        return {};
    }
}

} // namespace ondevice::ui
