#pragma once

#include <QAbstractListModel>
#include <QStyledItemDelegate>

namespace ondevice::ui {

class Workspace;

// The connections in the left pane: provider host, patient, status chip.
class ConnectionListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        PatientRole,
        StatusTextRole,
        StatusColorRole,
        StatusKindRole,
    };

    explicit ConnectionListModel(Workspace& workspace, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    QModelIndex indexOf(const QString& id) const;
    // Re-evaluates every chip (the "ends in N days" ones change with time).
    void refreshAll();

private:
    Workspace& m_workspace;
    QStringList m_ids;
};

// Two lines (host, patient) and a chip on the right that carries its text.
class ConnectionDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ondevice::ui
