#include "MainWindow.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ondevice::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("OnDevice Health"));
    setCentralWidget(buildWelcome());
    resize(960, 640);
}

QWidget* MainWindow::buildWelcome()
{
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("welcomePage"));
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);

    auto* title = new QLabel(tr("Your health records, on your computer"), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);

    auto* blurb = new QLabel(tr("OnDevice Health connects to your providers once, then keeps your records up to date "
                                "by itself. Your records and the key that unlocks them stay only on this device."),
        page);
    blurb->setObjectName(QStringLiteral("welcomeText"));
    blurb->setWordWrap(true);
    blurb->setAlignment(Qt::AlignCenter);
    blurb->setTextFormat(Qt::PlainText);
    layout->addWidget(blurb);

    m_presetLabel = new QLabel(page);
    m_presetLabel->setObjectName(QStringLiteral("presetLabel"));
    m_presetLabel->setAlignment(Qt::AlignCenter);
    m_presetLabel->setTextFormat(Qt::PlainText);
    m_presetLabel->hide();
    layout->addWidget(m_presetLabel);

    m_connectButton = new QPushButton(tr("Connect a provider…"), page);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    m_connectButton->setAccessibleName(tr("Connect a provider"));
    m_connectButton->setDefault(true);
    connect(m_connectButton, &QPushButton::clicked, this, [this] { Q_EMIT connectRequested(m_sandboxPreset); });
    layout->addWidget(m_connectButton, 0, Qt::AlignHCenter);

    layout->addStretch(2);
    return page;
}

void MainWindow::setSandboxPreset(const QUrl& fhirBase)
{
    m_sandboxPreset = fhirBase;
    m_presetLabel->setText(tr("Local sandbox: %1").arg(fhirBase.toDisplayString()));
    m_presetLabel->setVisible(fhirBase.isValid());
}

} // namespace ondevice::ui
