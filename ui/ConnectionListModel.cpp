#include "ConnectionListModel.h"

#include "BrandLogos.h"
#include "ConnectionStatus.h"
#include "services/Workspace.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace ondevice::ui {

ConnectionListModel::ConnectionListModel(services::Workspace& workspace, QObject* parent)
    : QAbstractListModel(parent)
    , m_workspace(workspace)
    , m_ids(workspace.connectionIds())
{
    connect(&m_workspace, &services::Workspace::connectionsChanged, this, [this] {
        beginResetModel();
        m_ids = m_workspace.connectionIds();
        endResetModel();
    });
    connect(&m_workspace, &services::Workspace::connectionChanged, this, [this](const QString& id) {
        const QModelIndex i = indexOf(id);
        if (i.isValid())
            Q_EMIT dataChanged(i, i);
    });
}

int ConnectionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

QModelIndex ConnectionListModel::indexOf(const QString& id) const
{
    const qsizetype row = m_ids.indexOf(id);
    return row < 0 ? QModelIndex() : index(static_cast<int>(row));
}

void ConnectionListModel::refreshAll()
{
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_ids.size()) - 1));
}

void ConnectionListModel::setPatientNames(const QHash<QString, QString>& names)
{
    if (names == m_patientNames)
        return;
    m_patientNames = names;
    refreshAll();
}

void ConnectionListModel::setLogos(BrandLogos* logos)
{
    m_logos = logos;
    connect(m_logos, &BrandLogos::ready, this, [this](const QUrl& url) {
        for (const QString& id : std::as_const(m_ids))
            if (const auto c = m_workspace.connection(id); c && c->brandLogo == url)
                Q_EMIT dataChanged(indexOf(id), indexOf(id), { Qt::DecorationRole });
    });
    refreshAll();
}

QString ConnectionListModel::patient(const auth::Connection& c) const
{
    const QString name = m_patientNames.value(c.id);
    return name.isEmpty() ? tr("Patient %1").arg(c.patientId) : name;
}

QVariant ConnectionListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_ids.size())
        return {};
    const QString id = m_ids.at(index.row());
    const auto c = m_workspace.connection(id);
    if (!c)
        return {};
    const ConnectionStatus status
        = ConnectionStatus::of(*c, m_workspace.isSyncing(id), QDateTime::currentDateTimeUtc());
    switch (role) {
    case Qt::DisplayRole:
        return c->displayName();
    case PatientRole:
        return patient(*c);
    case Qt::DecorationRole:
        return m_logos && c->brandLogo.isValid() ? QVariant(m_logos->logo(c->brandLogo)) : QVariant();
    case Qt::ToolTipRole:
        return c->fhirBase.toDisplayString();
    case Qt::AccessibleTextRole:
        return tr("%1, %2, %3").arg(c->displayName(), patient(*c), status.text);
    case IdRole:
        return id;
    case StatusTextRole:
        return status.text;
    case StatusColorRole:
        return status.chipColor();
    case StatusKindRole:
        return static_cast<int>(status.kind);
    default:
        return {};
    }
}

void ConnectionDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon(); // the logo is drawn below, at the row's size
    opt.features &= ~QStyleOptionViewItem::HasDecoration;
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    painter->save();
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    painter->setPen(option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect area = option.rect.adjusted(8, 4, -8, -4);

    // The chip first, so the text knows how much room is left.
    const QString chipText = index.data(ConnectionListModel::StatusTextRole).toString();
    QFont chipFont = option.font;
    chipFont.setPointSizeF(chipFont.pointSizeF() * 0.85);
    chipFont.setBold(true);
    const QFontMetrics chipMetrics(chipFont);
    const QSize chipSize(chipMetrics.horizontalAdvance(chipText) + 14, chipMetrics.height() + 4);
    const QRect chip(area.right() - chipSize.width(), area.top() + (area.height() - chipSize.height()) / 2,
        chipSize.width(), chipSize.height());
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath pill;
    pill.addRoundedRect(chip, chip.height() / 2.0, chip.height() / 2.0);
    painter->fillPath(pill, index.data(ConnectionListModel::StatusColorRole).value<QColor>());
    painter->setFont(chipFont);
    painter->setPen(Qt::white); // on the chip's own dark colour, in any palette
    painter->drawText(chip, Qt::AlignCenter, chipText);

    int textLeft = area.left();
    if (const auto logo = index.data(Qt::DecorationRole).value<QImage>(); !logo.isNull()) {
        const QRect tile(area.topLeft(), QSize(area.height(), area.height()));
        QRect target(QPoint(), logo.size().scaled(tile.size(), Qt::KeepAspectRatio));
        target.moveCenter(tile.center());
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(target, logo);
        textLeft = tile.right() + 8;
    }
    const QRect textArea(textLeft, area.top(), chip.left() - textLeft - 8, area.height());
    QFont hostFont = option.font;
    hostFont.setBold(true);
    painter->setFont(hostFont);
    painter->setPen(option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    const QFontMetrics hostMetrics(hostFont);
    const QString host
        = hostMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle, textArea.width());
    painter->drawText(textArea.adjusted(0, 0, 0, -textArea.height() / 2), Qt::AlignLeft | Qt::AlignBottom, host);
    painter->setFont(option.font);
    if (!selected)
        painter->setPen(option.palette.color(group, QPalette::PlaceholderText));
    const QString patient = option.fontMetrics.elidedText(
        index.data(ConnectionListModel::PatientRole).toString(), Qt::ElideRight, textArea.width());
    painter->drawText(textArea.adjusted(0, textArea.height() / 2, 0, 0), Qt::AlignLeft | Qt::AlignTop, patient);
    painter->restore();
}

QSize ConnectionDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    Q_UNUSED(index)
    return QSize(240, option.fontMetrics.height() * 2 + 16);
}

} // namespace ondevice::ui
