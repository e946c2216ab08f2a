#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QStyledItemDelegate>

namespace ondevice::auth {
struct Connection;
}

namespace ondevice::services {
class Workspace;
}

namespace ondevice::ui {

class BrandLogos;

// The connections in the left pane: the provider's logo (when it was picked by brand) and name, the patient,
// the status chip.
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

    explicit ConnectionListModel(services::Workspace& workspace, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    QModelIndex indexOf(const QString& id) const;
    // Re-evaluates every chip (the "ends in N days" ones change with time).
    void refreshAll();
    // The patient's name per connection id, read from the records (never written to connections.json,
    // which holds no health data); until it is known a row says "Patient <id>".
    void setPatientNames(const QHash<QString, QString>& names);
    // Where brand logos come from (Qt::DecorationRole); none: no logos.
    void setLogos(BrandLogos* logos);

private:
    QString patient(const auth::Connection& c) const;
    services::Workspace& m_workspace;
    QStringList m_ids;
    QHash<QString, QString> m_patientNames;
    BrandLogos* m_logos = nullptr;
};

// The logo, two lines (provider, patient) and a chip on the right that carries its text.
class ConnectionDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ondevice::ui
