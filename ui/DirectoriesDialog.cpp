#include "DirectoriesDialog.h"

#include "core/Continuations.h"
#include "services/BrandSources.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace ondevice::ui {

DirectoriesDialog::DirectoriesDialog(services::BrandSources& sources, QWidget* parent)
    : QDialog(parent)
    , m_sources(sources)
{
    setObjectName(QStringLiteral("directoriesDialog"));
    setWindowTitle(tr("Provider directories"));
    setAccessibleName(tr("Provider directories"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Provider directories list health systems by the names patients know, with the "
                                "address this app connects to. They are public lists, published by record system "
                                "vendors and providers; this app asks only the ones you add here, at most once a "
                                "day, and keeps a copy so that search works offline."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("directoryList"));
    m_list->setAccessibleName(tr("Your provider directories"));
    m_list->setWordWrap(true);
    layout->addWidget(m_list, 1);

    auto* addRow = new QHBoxLayout;
    auto* addressLabel = new QLabel(tr("&Address"), this);
    m_address = new QLineEdit(this);
    m_address->setObjectName(QStringLiteral("directoryAddress"));
    m_address->setAccessibleName(tr("Directory address"));
    m_address->setPlaceholderText(tr("https://example.org/brands.json"));
    addressLabel->setBuddy(m_address);
    m_add = new QPushButton(tr("A&dd"), this);
    m_add->setObjectName(QStringLiteral("addDirectoryButton"));
    m_add->setAccessibleName(tr("Add directory"));
    addRow->addWidget(addressLabel);
    addRow->addWidget(m_address, 1);
    addRow->addWidget(m_add);
    layout->addLayout(addRow);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("directoryMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    layout->addWidget(m_message);

    auto* buttons = new QHBoxLayout;
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeDirectoryButton"));
    m_remove->setAccessibleName(tr("Remove the selected directory"));
    m_refresh = new QPushButton(tr("&Update now"), this);
    m_refresh->setObjectName(QStringLiteral("refreshDirectoriesButton"));
    m_refresh->setAccessibleName(tr("Update every directory now"));
    auto* close = new QPushButton(tr("Close"), this);
    close->setAccessibleName(tr("Close"));
    buttons->addWidget(m_remove);
    buttons->addWidget(m_refresh);
    buttons->addStretch(1);
    buttons->addWidget(close);
    layout->addLayout(buttons);

    // Enter in the address adds it; no button is a default button that Enter would press as well.
    for (QPushButton* b : { m_add, m_remove, m_refresh, close })
        b->setAutoDefault(false);
    connect(m_add, &QPushButton::clicked, this, [this] { add(m_address->text()); });
    connect(m_address, &QLineEdit::returnPressed, this, [this] { add(m_address->text()); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = m_list->currentItem(); item && m_sources.remove(item->data(Qt::UserRole).toUrl())) {
            showSources();
            Q_EMIT changed();
        }
    });
    connect(m_refresh, &QPushButton::clicked, this, &DirectoriesDialog::refreshNow);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    resize(620, 420);
    showSources();
}

void DirectoriesDialog::showSources()
{
    m_list->clear();
    for (const services::BrandSources::Source& s : m_sources.sources()) {
        QString state = !s.fetched.isValid()
            ? tr("not fetched yet")
            : tr("%n providers, updated %1", "", s.brands)
                  .arg(QLocale().toString(s.fetched.toLocalTime(), QLocale::ShortFormat));
        if (!s.problem.isEmpty())
            state += QLatin1Char('\n') + tr("Last update failed (%1); the copy from before is used.").arg(s.problem);
        auto* item = new QListWidgetItem(s.url.toDisplayString() + QLatin1Char('\n') + state, m_list);
        item->setData(Qt::UserRole, s.url);
        item->setData(Qt::AccessibleTextRole, QString(s.url.toDisplayString() + QStringLiteral(", ") + state));
    }
    m_remove->setEnabled(m_list->count() > 0);
    m_refresh->setEnabled(m_list->count() > 0);
}

void DirectoriesDialog::add(const QString& address)
{
    const QUrl url = QUrl::fromUserInput(address.trimmed());
    const auto added = m_sources.add(url);
    if (!added) {
        m_message->setText(added.failure().message);
        return;
    }
    m_address->clear();
    m_message->clear();
    showSources();
    Q_EMIT changed();
    refreshNow();
}

void DirectoriesDialog::refreshNow()
{
    m_refresh->setEnabled(false);
    m_message->setText(tr("Updating…"));
    m_sources.refresh(true).then(
        compat::continuationContext(), compat::ifAlive(this, [this](const services::BrandSources::Report& report) {
            m_message->setText(report.problems.isEmpty() ? tr("Up to date.") : report.problems.join(QLatin1Char('\n')));
            showSources();
            Q_EMIT changed();
        }));
}

} // namespace ondevice::ui
