#pragma once

#include "services/Workspace.h"

#include <QAbstractTableModel>

namespace ondevice::ui {

// The protocol timeline of one connection: time, step, outcome.
class TimelineModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, StepColumn, OutcomeColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(const QList<services::TimelineEvent>& events);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<services::TimelineEvent> m_events; // newest first
};

} // namespace ondevice::ui
