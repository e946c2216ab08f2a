#include "BrandPicker.h"
#include "NamedComboBox.h"

#include "BrandLogos.h"
#include "core/Continuations.h"
#include "services/BrandSources.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ondevice::ui {

namespace {

constexpr int kMargin = 6;

QString placeOf(const fhir::Brand& brand)
{
    const fhir::BrandLocation where = brand.locations.value(0);
    if (where.city.isEmpty() || where.state.isEmpty())
        return where.city.isEmpty() ? where.state : where.city;
    return BrandPicker::tr("%1, %2", "city, state").arg(where.city, where.state);
}

QString detailOf(const fhir::Brand& brand)
{
    QStringList parts;
    for (const fhir::BrandPortal& portal : brand.portals) {
        if (!portal.name.isEmpty() && portal.name != brand.name) {
            parts << portal.name;
            break;
        }
    }
    if (const QString place = placeOf(brand); !place.isEmpty())
        parts << place;
    if (brand.locations.size() > 1)
        parts << BrandPicker::tr("%n locations", "", static_cast<int>(brand.locations.size()));
    if (!brand.canConnect())
        parts << BrandPicker::tr("not available in this app");
    return parts.join(QStringLiteral(" · "));
}

// What an endpoint is called in the choice: the portal that reaches it, else its address.
QString endpointLabel(const fhir::Brand& brand, const QUrl& base)
{
    for (const fhir::BrandPortal& portal : brand.portals)
        if (portal.fhirBases.contains(base) && !portal.name.isEmpty())
            return BrandPicker::tr("%1 (%2)").arg(portal.name, base.toDisplayString());
    return base.toDisplayString();
}

} // namespace

BrandPicker::BrandPicker(services::BrandSources& sources, BrandLogos& logos, QUrl demoDirectory, QWidget* parent)
    : QWidget(parent)
    , m_sources(sources)
    , m_logos(logos)
    , m_demoDirectory(std::move(demoDirectory))
{
    setObjectName(QStringLiteral("brandPicker"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* searchRow = new QHBoxLayout;
    auto* searchLabel = new QLabel(tr("&Find your provider"), this);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("brandSearch"));
    m_search->setAccessibleName(tr("Find your provider"));
    m_search->setPlaceholderText(tr("Name, city or state"));
    m_search->setClearButtonEnabled(true);
    searchLabel->setBuddy(m_search);
    searchRow->addWidget(searchLabel);
    searchRow->addWidget(m_search, 1);
    m_directories = new QPushButton(tr("&Directories…"), this);
    m_directories->setObjectName(QStringLiteral("manageDirectoriesButton"));
    m_directories->setAccessibleName(tr("Provider directories"));
    m_directories->setAutoDefault(false);
    searchRow->addWidget(m_directories);
    layout->addLayout(searchRow);

    auto* statusRow = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("brandStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    statusRow->addWidget(m_status, 1);
    m_useDemo = new QPushButton(tr("Use the de&mo directory"), this);
    m_useDemo->setObjectName(QStringLiteral("useDemoDirectoryButton"));
    m_useDemo->setAccessibleName(tr("Use the demo directory"));
    m_useDemo->setAutoDefault(false);
    m_useDemo->hide();
    statusRow->addWidget(m_useDemo);
    layout->addLayout(statusRow);

    m_model = new QStandardItemModel(this);
    m_cards = new QListView(this);
    m_cards->setObjectName(QStringLiteral("brandCards"));
    m_cards->setAccessibleName(tr("Providers found"));
    m_cards->setModel(m_model);
    m_cards->setItemDelegate(new BrandCardDelegate(m_cards));
    m_cards->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_cards->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_cards->setMinimumHeight(3 * (2 * fontMetrics().height() + 3 * kMargin));
    layout->addWidget(m_cards, 1);

    auto* endpointRow = new QHBoxLayout;
    m_endpointLabel = new QLabel(tr("Connect &through"), this);
    m_endpoint = new NamedComboBox(this);
    m_endpoint->setObjectName(QStringLiteral("brandEndpoint"));
    m_endpoint->setAccessibleName(tr("Connect through"));
    m_endpointLabel->setBuddy(m_endpoint);
    endpointRow->addWidget(m_endpointLabel);
    endpointRow->addWidget(m_endpoint, 1);
    layout->addLayout(endpointRow);
    m_endpointLabel->hide();
    m_endpoint->hide();

    m_portalNote = new QLabel(this);
    m_portalNote->setObjectName(QStringLiteral("brandPortalNote"));
    m_portalNote->setWordWrap(true);
    m_portalNote->setTextFormat(Qt::RichText);
    m_portalNote->setOpenExternalLinks(true);
    m_portalNote->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_portalNote->hide();
    layout->addWidget(m_portalNote);

    connect(m_search, &QLineEdit::textChanged, this, &BrandPicker::search);
    connect(m_cards->selectionModel(), &QItemSelectionModel::currentChanged, this, &BrandPicker::cardChanged);
    connect(m_endpoint, &QComboBox::currentIndexChanged, this, [this] {
        if (m_endpoint->count() > 1 && currentFhirBase().isValid())
            Q_EMIT picked();
    });
    connect(m_directories, &QPushButton::clicked, this, &BrandPicker::manageDirectories);
    connect(m_useDemo, &QPushButton::clicked, this, &BrandPicker::useDemoDirectory);
    connect(&m_logos, &BrandLogos::ready, this, [this](const QUrl& url) {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            QStandardItem* item = m_model->item(row);
            if (item->data(LogoUrlRole).toUrl() == url)
                item->setData(m_logos.logo(url), Qt::DecorationRole);
        }
    });
    m_hasSources = !m_sources.sources().isEmpty();
    showStatus();
}

void BrandPicker::reload()
{
    // Read once here, not at every keystroke's status line: sources.json is on disk.
    m_hasSources = !m_sources.sources().isEmpty();
    m_status->setText(tr("Reading your provider directories…"));
    const auto load = [this] {
        m_sources.brandsInBackground()
            .then(QtFuture::Launch::Async,
                [](const QList<fhir::Brand>& brands) { return std::make_shared<const fhir::BrandIndex>(brands); })
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this](const std::shared_ptr<const fhir::BrandIndex>& index) {
                    m_index = index;
                    showStatus();
                    search();
                }));
    };
    load();
    // Directories the patient added are asked again when due (daily); a new copy is read again.
    m_sources.refresh().then(compat::continuationContext(),
        compat::ifAlive(this, [this, load](const services::BrandSources::Report& report) {
            m_refreshProblem = report.problems.join(QLatin1Char('\n'));
            if (report.fetched > 0)
                load();
            else
                showStatus();
        }));
}

void BrandPicker::useDemoDirectory()
{
    if (m_sources.add(m_demoDirectory)) {
        Q_EMIT directoriesChanged();
        reload();
    }
}

void BrandPicker::showStatus()
{
    m_useDemo->setVisible(!m_hasSources && m_demoDirectory.isValid());
    if (!m_hasSources) {
        m_status->setText(tr("Add a provider directory to find your provider by name, or choose below."));
        return;
    }
    if (!m_index)
        return;
    const int total = static_cast<int>(m_index->brands().size());
    const QString query = m_search->text().trimmed();
    const int shown = m_model->rowCount();
    QString text = query.isEmpty() ? tr("%n providers in your directories.", "", total)
        : shown == 0               ? tr("No provider matches “%1”.").arg(query)
        : shown == kCards          ? tr("The first %n providers that match “%1”.", "", shown).arg(query)
                                   : tr("%n providers match “%1”.", "", shown).arg(query);
    if (!m_refreshProblem.isEmpty())
        text += QLatin1Char(' ') + tr("Some directories could not be updated; the copies from before are used.");
    m_status->setText(text);
    m_status->setToolTip(m_refreshProblem);
}

void BrandPicker::search()
{
    if (!m_index)
        return;
    const quint64 generation = ++m_generation;
    QtConcurrent::run([index = m_index, query = m_search->text()] {
        return index->search(query, kCards);
    }).then(compat::continuationContext(), compat::ifAlive(this, [this, generation](const QList<int>& hits) {
        if (generation == m_generation) // a newer search is on its way
            showCards(hits);
    }));
}

void BrandPicker::showCards(const QList<int>& hits)
{
    const QString previous = currentBrand() ? currentBrand()->id : QString();
    m_model->clear();
    int keep = -1;
    for (const int i : hits) {
        const fhir::Brand& brand = m_index->brands().at(i);
        auto* item = new QStandardItem(brand.name);
        item->setEditable(false);
        const QString detail = detailOf(brand);
        item->setData(i, BrandRole);
        item->setData(detail, DetailRole);
        item->setData(brand.logo, LogoUrlRole);
        item->setData(brand.canConnect(), CanConnectRole);
        item->setData(detail.isEmpty() ? brand.name : tr("%1, %2").arg(brand.name, detail), Qt::AccessibleTextRole);
        item->setToolTip(brand.aliases.isEmpty() ? QString() : tr("Also known as %1").arg(brand.aliases.join(", ")));
        if (const QImage logo = m_logos.logo(brand.logo); !logo.isNull())
            item->setData(logo, Qt::DecorationRole);
        if (brand.id == previous)
            keep = m_model->rowCount();
        m_model->appendRow(item);
    }
    if (keep >= 0)
        m_cards->setCurrentIndex(m_model->index(keep, 0));
    else
        cardChanged();
    showStatus();
}

void BrandPicker::cardChanged()
{
    const auto brand = currentBrand();
    const QSignalBlocker quiet(m_endpoint);
    m_endpoint->clear();
    m_endpointLabel->hide();
    m_endpoint->hide();
    m_portalNote->hide();
    if (!brand) {
        Q_EMIT unpicked();
        return;
    }
    if (!brand->canConnect()) {
        QUrl portal = brand->website;
        for (const fhir::BrandPortal& p : brand->portals)
            if (p.url.isValid())
                portal = p.url;
        const QString link = portal.isValid()
            ? QStringLiteral("<a href=\"%1\">%2</a>")
                  .arg(portal.toString(QUrl::FullyEncoded).toHtmlEscaped(), portal.toDisplayString().toHtmlEscaped())
            : QString();
        m_portalNote->setText(link.isEmpty()
                ? tr("%1 does not offer a connection this app can use.").arg(brand->name.toHtmlEscaped())
                : tr("%1 does not offer a connection this app can use. Its patient portal: %2")
                      .arg(brand->name.toHtmlEscaped(), link));
        m_portalNote->show();
        Q_EMIT unpicked();
        return;
    }
    for (const QUrl& base : brand->fhirBases)
        m_endpoint->addItem(endpointLabel(*brand, base), base);
    const bool choice = brand->fhirBases.size() > 1;
    m_endpointLabel->setVisible(choice);
    m_endpoint->setVisible(choice);
    Q_EMIT picked();
}

std::optional<fhir::Brand> BrandPicker::currentBrand() const
{
    const QModelIndex current = m_cards->currentIndex();
    if (!current.isValid() || !m_index)
        return std::nullopt;
    return m_index->brands().value(current.data(BrandRole).toInt());
}

QUrl BrandPicker::currentFhirBase() const
{
    return m_endpoint->currentData().toUrl();
}

int BrandPicker::cardCount() const
{
    return m_model->rowCount();
}

void BrandCardDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    opt.features &= ~QStyleOptionViewItem::HasDecoration;
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect area = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const int side = area.height();
    const QRect tile(area.topLeft(), QSize(side, side));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    const auto logo = index.data(Qt::DecorationRole).value<QImage>();
    const bool canConnect = index.data(BrandPicker::CanConnectRole).toBool();
    if (!logo.isNull()) {
        QRect target(QPoint(), logo.size().scaled(tile.size(), Qt::KeepAspectRatio));
        target.moveCenter(tile.center());
        if (!canConnect)
            painter->setOpacity(0.45);
        painter->drawImage(target, logo);
        painter->setOpacity(1.0);
    } else {
        // Until the logo is here, or when there is none: the first letter on a tile.
        QPainterPath path;
        path.addRoundedRect(tile, side / 5.0, side / 5.0);
        painter->fillPath(path, option.palette.color(QPalette::Mid));
        QFont initialFont = option.font;
        initialFont.setBold(true);
        initialFont.setPixelSize(std::max(8, side / 2));
        painter->setFont(initialFont);
        painter->setPen(option.palette.color(QPalette::Base));
        painter->drawText(tile, Qt::AlignCenter, index.data(Qt::DisplayRole).toString().left(1).toUpper());
    }
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = canConnect ? QPalette::Normal : QPalette::Disabled;
    painter->setPen(option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect text = area.adjusted(side + 2 * kMargin, 0, 0, 0);
    QFont nameFont = option.font;
    nameFont.setBold(true);
    const QFontMetrics nameMetrics(nameFont);
    painter->setFont(nameFont);
    painter->drawText(text.adjusted(0, 0, 0, -text.height() / 2), Qt::AlignLeft | Qt::AlignBottom,
        nameMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, text.width()));
    painter->setFont(option.font);
    if (!selected)
        painter->setPen(option.palette.color(group, QPalette::PlaceholderText));
    painter->drawText(text.adjusted(0, text.height() / 2, 0, 0), Qt::AlignLeft | Qt::AlignTop,
        option.fontMetrics.elidedText(index.data(BrandPicker::DetailRole).toString(), Qt::ElideRight, text.width()));
    painter->restore();
}

QSize BrandCardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& /*index*/) const
{
    QFont bold = option.font;
    bold.setBold(true);
    const int height = QFontMetrics(bold).height() + option.fontMetrics.height() + 3 * kMargin;
    return { std::max(option.rect.width(), 20 * option.fontMetrics.averageCharWidth()), std::max(height, 40) };
}

} // namespace ondevice::ui
