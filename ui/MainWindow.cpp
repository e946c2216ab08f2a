#include "MainWindow.h"
#include "core/Continuations.h"

#include "AccessPanel.h"
#include "BrandLogos.h"
#include "CategoryModel.h"
#include "ConnectDialog.h"
#include "ConnectionListModel.h"
#include "ConnectionStatus.h"
#include "DirectoriesDialog.h"
#include "Language.h"
#include "MessageBar.h"
#include "ProtectionDialog.h"
#include "RecordsView.h"
#include "ScreenFit.h"
#include "SummaryView.h"
#include "services/RecordsHub.h"
#include "services/Workspace.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace ondevice::ui {

using namespace ondevice::auth;

MainWindow::MainWindow(services::Workspace& workspace, QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_dataDirectory(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
{
    setWindowTitle(tr("OnDevice Health"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_messages = new MessageBar(central);
    layout->addWidget(m_messages);
    m_stack = new QStackedWidget(central);
    m_stack->addWidget(buildWelcome());
    m_stack->addWidget(buildMain());
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    buildMenus();

    m_sessionLabel = new QLabel(tr("Temporary session: nothing is saved on this computer"), this);
    m_sessionLabel->setObjectName(QStringLiteral("sessionOnlyLabel"));
    m_sessionLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_sessionLabel);

    connect(m_messages, &MessageBar::dismissed, this, [this] {
        m_actionMessageShown = false;
        updateWarnings();
    });
    connect(&m_workspace, &services::Workspace::connectionsChanged, this, &MainWindow::updateView);
    connect(&m_workspace, &services::Workspace::connectionChanged, this, &MainWindow::updateWarnings);
    connect(&m_workspace, &services::Workspace::sessionOnlyChanged, this, [this](bool on) {
        m_sessionLabel->setVisible(on);
        setWindowTitle(on ? tr("OnDevice Health (temporary session)") : tr("OnDevice Health"));
    });
    connect(
        &m_workspace, &services::Workspace::refreshFailed, this, [this](const QString& id, const AuthFailure& failure) {
            // Needs-reconnect is a standing warning (updateWarnings); offline
            // retries by itself; a keychain failure needs the user.
            if (failure.code == AuthError::Keychain) {
                const auto c = m_workspace.connection(id);
                showActionMessage(static_cast<int>(MessageBar::Kind::Error),
                    tr("%1: %2").arg(c ? c->displayName() : id, failure.message));
            }
        });
    // "Access ends in N days" and the warnings move with the clock.
    m_minuteTick.setInterval(60 * 1000);
    connect(&m_minuteTick, &QTimer::timeout, this, [this] {
        m_connections->refreshAll();
        updateWarnings();
    });
    m_minuteTick.start();
    resize(fittingSize(this, QSize(1100, 700)));
    updateView();
}

QWidget* MainWindow::buildWelcome()
{
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("welcomePage"));
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(48, 24, 48, 24);
    layout->addStretch(1);

    auto* icon = new QLabel(page);
    icon->setObjectName(QStringLiteral("welcomeIcon"));
    // Rendered for this screen's pixel ratio: sharp on HiDPI.
    icon->setPixmap(QApplication::windowIcon().pixmap(QSize(96, 96), devicePixelRatioF()));
    icon->setAlignment(Qt::AlignCenter);
    icon->setVisible(!QApplication::windowIcon().isNull());
    layout->addWidget(icon);
    layout->addSpacing(8);

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
    // A fixed reading width: a wrapped label given only an alignment gets
    // too little room and clips its second line.
    blurb->setFixedWidth(560);
    blurb->setMinimumHeight(blurb->heightForWidth(560));
    layout->addWidget(blurb, 0, Qt::AlignHCenter);
    layout->addSpacing(16);

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
    m_connectButton->setAutoDefault(true);
    connect(m_connectButton, &QPushButton::clicked, this, &MainWindow::openConnectDialog);
    layout->addWidget(m_connectButton, 0, Qt::AlignHCenter);

    auto* protects = new QPushButton(tr("How this app protects your data"), page);
    protects->setObjectName(QStringLiteral("welcomeProtectsButton"));
    protects->setAccessibleName(tr("How this app protects your data"));
    protects->setFlat(true);
    connect(protects, &QPushButton::clicked, this, &MainWindow::showProtection);
    layout->addWidget(protects, 0, Qt::AlignHCenter);

    layout->addStretch(2);
    return page;
}

QWidget* MainWindow::buildMain()
{
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainPage"));
    splitter->setChildrenCollapsible(false);

    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(8, 8, 4, 8);
    auto* providersLabel = new QLabel(tr("&Providers"), left);
    QFont bold = providersLabel->font();
    bold.setBold(true);
    providersLabel->setFont(bold);
    leftLayout->addWidget(providersLabel);
    m_connections = new ConnectionListModel(m_workspace, this);
    m_logos = new BrandLogos(m_workspace.network(), m_workspace.brandDirectory() + QStringLiteral("/logos"), this);
    m_connections->setLogos(m_logos);
    m_connectionList = new QListView(left);
    m_connectionList->setObjectName(QStringLiteral("connectionList"));
    m_connectionList->setAccessibleName(tr("Connected providers"));
    m_connectionList->setModel(m_connections);
    m_connectionList->setItemDelegate(new ConnectionDelegate(m_connectionList));
    m_connectionList->setUniformItemSizes(true);
    providersLabel->setBuddy(m_connectionList);
    leftLayout->addWidget(m_connectionList, 1);
    auto* add = new QPushButton(tr("Connect a provider…"), left);
    add->setObjectName(QStringLiteral("addProviderButton"));
    add->setAccessibleName(tr("Connect another provider"));
    connect(add, &QPushButton::clicked, this, &MainWindow::openConnectDialog);
    leftLayout->addWidget(add);

    auto* recordsLabel = new QLabel(tr("R&ecords"), left); // (Alt+R: the Records menu)
    recordsLabel->setFont(bold);
    leftLayout->addWidget(recordsLabel);
    // Placeholder categories: the records layer replaces this model with one
    // that counts what is stored; until then every count is "—".
    auto* categories = new QStandardItemModel(0, 2, this);
    categories->setHorizontalHeaderLabels({ tr("Category"), tr("Count") });
    for (const QString& name :
        { tr("Summary"), tr("Conditions"), tr("Medications"), tr("Allergies"), tr("Immunizations"), tr("Labs & Vitals"),
            tr("Procedures"), tr("Encounters"), tr("Documents"), tr("Care plans") }) {
        auto* nameItem = new QStandardItem(name);
        nameItem->setEditable(false);
        auto* count = new QStandardItem(QStringLiteral("—"));
        count->setEditable(false);
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setData(tr("not synced yet"), Qt::AccessibleTextRole);
        categories->appendRow({ nameItem, count });
    }
    m_categories = new QTreeView(left);
    m_categories->setObjectName(QStringLiteral("categoryList"));
    m_categories->setAccessibleName(tr("Record categories"));
    m_categories->setModel(categories);
    m_categories->setRootIsDecorated(false);
    m_categories->setHeaderHidden(true);
    m_categories->header()->setStretchLastSection(false);
    m_categories->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_categories->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    recordsLabel->setBuddy(m_categories);
    leftLayout->addWidget(m_categories, 1);
    connect(m_categories, &QTreeView::activated, this, [this] { m_tabs->setCurrentWidget(m_recordsArea); });

    m_tabs = new QTabWidget(splitter);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setAccessibleName(tr("Records and access"));
    m_tabs->setDocumentMode(true);
    // RECORDS AREA: the records layer (sync engine, store, record views) owns
    // what goes in here; this placeholder only says what will.
    m_recordsArea = new QWidget(m_tabs);
    m_recordsArea->setObjectName(QStringLiteral("recordsArea"));
    auto* recordsLayout = new QVBoxLayout(m_recordsArea);
    auto* placeholder = new QLabel(tr("Your records will appear here after the first sync."), m_recordsArea);
    placeholder->setObjectName(QStringLiteral("recordsPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    recordsLayout->addWidget(placeholder);
    m_tabs->addTab(m_recordsArea, tr("Records"));
    m_access = new AccessPanel(m_workspace, m_tabs);
    m_tabs->addTab(m_access, tr("Access"));

    splitter->addWidget(left);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 320, 780 });

    connect(m_connectionList->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) {
            m_access->setConnection(current.data(ConnectionListModel::IdRole).toString());
        });
    connect(m_connectionList, &QListView::activated, this, [this] { m_tabs->setCurrentWidget(m_access); });
    connect(m_access, &AccessPanel::refreshRequested, this, &MainWindow::refreshNow);
    connect(m_access, &AccessPanel::reconnectRequested, this, &MainWindow::reconnect);
    connect(m_access, &AccessPanel::signOutRequested, this, &MainWindow::confirmSignOut);
    connect(m_access, &AccessPanel::forgetRequested, this, &MainWindow::confirmForget);
    return splitter;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* connectAction = file->addAction(tr("&Connect a provider…"));
    connectAction->setShortcut(QKeySequence::New);
    connect(connectAction, &QAction::triggered, this, &MainWindow::openConnectDialog);
    QAction* directories = file->addAction(tr("Provider &directories…"));
    connect(directories, &QAction::triggered, this, [this] {
        auto* dialog = new DirectoriesDialog(m_workspace.brandSources(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    // The language: the system's, or one the app speaks. It is used from the next start: every window is built in it.
    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    QMenu* languages = settings->addMenu(tr("&Language"));
    auto* languageGroup = new QActionGroup(languages);
    QList<Language> choices { { QString(), tr("System language") } };
    choices << availableLanguages();
    for (const Language& language : std::as_const(choices)) {
        QAction* action = languages->addAction(language.name);
        action->setCheckable(true);
        action->setChecked(language.code == chosenLanguage());
        action->setData(language.code);
        languageGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, code = language.code] {
            if (code == chosenLanguage())
                return;
            chooseLanguage(code);
            m_messages->showMessage(
                MessageBar::Kind::Info, tr("The new language is used the next time OnDevice Health starts."));
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* protects = help->addAction(tr("How this app &protects your data"));
    protects->setShortcut(QKeySequence::HelpContents);
    connect(protects, &QAction::triggered, this, &MainWindow::showProtection);
    QAction* about = help->addAction(tr("&About OnDevice Health"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About OnDevice Health"),
            tr("<p><b>OnDevice Health %1</b></p><p>Your health records from your providers, kept on this device.</p>"
               "<p>Licensed under the GNU GPL, version 3 or later.</p>")
                .arg(QApplication::applicationVersion().toHtmlEscaped()));
    });
}

void MainWindow::setRecords(services::RecordsHub& records)
{
    if (m_records)
        return;
    m_records = &records;

    // The categories, counted in the store.
    QAbstractItemModel* placeholderModel = m_categories->model();
    m_categoryModel = new CategoryModel(records, this);
    m_categories->setModel(m_categoryModel);
    delete placeholderModel;
    m_categories->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_categories->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(
        m_categories->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
            if (!current.isValid())
                return;
            m_recordsView->showCategory(m_categoryModel->category(current));
            m_tabs->setCurrentWidget(m_recordsArea);
        });

    // The records area: its placeholder gives way to the records view.
    for (QWidget* old : m_recordsArea->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly))
        delete old;
    m_recordsView = new RecordsView(records, m_recordsArea);
    m_recordsArea->layout()->setContentsMargins(0, 0, 0, 0);
    m_recordsArea->layout()->addWidget(m_recordsView);
    // The connection list and the Access panel name each patient as their records do, as soon as they arrive.
    const auto showPatientNames = [this] {
        m_connections->setPatientNames(m_records->patientNames());
        m_access->setPatientNames(m_records->patientNames());
    };
    connect(&records, &services::RecordsHub::patientNamesChanged, this, showPatientNames);
    showPatientNames();

    // The status bar: sync progress with counts and Cancel, and Offline.
    m_offlineLabel = new QLabel(tr("Offline: showing the records kept on this computer"), this);
    m_offlineLabel->setObjectName(QStringLiteral("offlineIndicator"));
    m_offlineLabel->setAccessibleName(tr("Offline"));
    m_offlineLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_offlineLabel);
    m_syncLabel = new QLabel(this);
    m_syncLabel->setObjectName(QStringLiteral("syncLabel"));
    statusBar()->addPermanentWidget(m_syncLabel);
    m_syncProgress = new QProgressBar(this);
    m_syncProgress->setObjectName(QStringLiteral("syncProgress"));
    m_syncProgress->setAccessibleName(tr("Sync progress"));
    m_syncProgress->setMaximumWidth(180);
    m_syncProgress->setTextVisible(false);
    statusBar()->addPermanentWidget(m_syncProgress);
    m_cancelSync = new QToolButton(this);
    m_cancelSync->setObjectName(QStringLiteral("cancelSyncButton"));
    m_cancelSync->setText(tr("Cancel"));
    m_cancelSync->setAccessibleName(tr("Cancel sync"));
    m_cancelSync->setFocusPolicy(Qt::StrongFocus);
    connect(m_cancelSync, &QToolButton::clicked, &records, &services::RecordsHub::cancelSync);
    statusBar()->addPermanentWidget(m_cancelSync);

    // Records menu: Sync now (F5), Find (Ctrl+F), Cancel.
    m_recordsMenu = new QMenu(tr("&Records"), this);
    menuBar()->insertMenu(menuBar()->actions().value(1), m_recordsMenu);
    QAction* syncNow = m_recordsMenu->addAction(tr("&Sync now"));
    syncNow->setObjectName(QStringLiteral("syncNowAction"));
    syncNow->setShortcuts({ QKeySequence::Refresh, QKeySequence(Qt::CTRL | Qt::Key_R) });
    connect(syncNow, &QAction::triggered, this, [this] { m_records->syncNow(); });
    QAction* cancel = m_recordsMenu->addAction(tr("&Cancel sync"));
    cancel->setObjectName(QStringLiteral("cancelSyncAction"));
    connect(cancel, &QAction::triggered, &records, &services::RecordsHub::cancelSync);
    m_recordsMenu->addSeparator();
    QAction* find = m_recordsMenu->addAction(tr("&Find in list"));
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_recordsArea);
        if (m_recordsView->category() == RecordCategory::Summary)
            m_categories->setCurrentIndex(m_categoryModel->indexOf(RecordCategory::Conditions));
        m_recordsView->focusFilter();
    });
    QAction* summary = m_recordsMenu->addAction(tr("S&ummary"));
    summary->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(summary, &QAction::triggered, this, [this] {
        m_categories->setCurrentIndex(m_categoryModel->indexOf(RecordCategory::Summary));
        showRecords();
    });

    connect(&records, &services::RecordsHub::syncStateChanged, this, &MainWindow::updateSyncStatus);
    connect(&m_workspace, &services::Workspace::connectionChanged, this, &MainWindow::updateSyncStatus);
    connect(&records, &services::RecordsHub::syncFailed, this,
        [this](const QString& id, const QString& message, services::SyncAction action) {
            if (action == services::SyncAction::Reconnect)
                showActionMessage(static_cast<int>(MessageBar::Kind::Warning), message, tr("Reconnect…"),
                    [this, id] { reconnect(id); });
            else
                showActionMessage(static_cast<int>(MessageBar::Kind::Error), message, tr("Retry"),
                    [this, id] { m_records->syncNow(id); });
        });
    connect(&records, &services::RecordsHub::storeFailed, this, [this](const QString&, const QString& message) {
        showActionMessage(static_cast<int>(MessageBar::Kind::Error), message);
    });
    connect(&records, &services::RecordsHub::syncSucceeded, this, [this] {
        // A retried sync that worked clears its error.
        if (m_actionMessageShown && m_messages->actionButton()->text() == tr("Retry")) {
            m_actionMessageShown = false;
            updateWarnings();
        }
    });
    m_categories->setCurrentIndex(m_categoryModel->indexOf(RecordCategory::Summary));
    if (!m_workspace.connectionIds().isEmpty())
        m_tabs->setCurrentWidget(m_recordsArea);
    updateSyncStatus();
}

void MainWindow::showRecords()
{
    m_tabs->setCurrentWidget(m_recordsArea);
}

void MainWindow::updateSyncStatus()
{
    if (!m_records)
        return;
    const bool syncing = m_records->isSyncing();
    const qint64 fetched = m_records->syncFetched();
    const qint64 expected = m_records->syncExpected();
    m_syncLabel->setVisible(syncing);
    m_syncProgress->setVisible(syncing);
    m_cancelSync->setVisible(syncing);
    if (syncing) {
        if (expected > 0) {
            m_syncProgress->setRange(0, 1000);
            m_syncProgress->setValue(static_cast<int>(std::min<qint64>(1000, fetched * 1000 / expected)));
            m_syncLabel->setText(tr("Syncing: %1 of %Ln record(s)", nullptr, static_cast<int>(expected))
                                     .arg(QLocale().toString(fetched)));
        } else {
            m_syncProgress->setRange(0, 0); // busy: the server gave no total
            m_syncLabel->setText(tr("Syncing: %Ln record(s)", nullptr, static_cast<int>(fetched)));
        }
    }
    m_offlineLabel->setVisible(m_records->isOffline());
}

void MainWindow::setSandboxPreset(const QUrl& fhirBase)
{
    m_sandboxPreset = fhirBase;
    m_presetLabel->setText(tr("Local sandbox: %1").arg(fhirBase.toDisplayString()));
    m_presetLabel->setVisible(fhirBase.isValid());
}

bool MainWindow::showsWelcome() const
{
    return m_stack->currentIndex() == 0;
}

QString MainWindow::selectedConnection() const
{
    return m_connectionList->currentIndex().data(ConnectionListModel::IdRole).toString();
}

void MainWindow::selectConnection(const QString& id)
{
    const QModelIndex index = m_connections->indexOf(id);
    if (index.isValid())
        m_connectionList->setCurrentIndex(index);
    m_tabs->setCurrentWidget(m_access);
}

void MainWindow::updateView()
{
    const QStringList ids = m_workspace.connectionIds();
    m_stack->setCurrentIndex(ids.isEmpty() ? 0 : 1);
    if (!m_workspace.registryError().isEmpty())
        showActionMessage(static_cast<int>(MessageBar::Kind::Error), m_workspace.registryError());
    if (!ids.isEmpty() && !m_connectionList->currentIndex().isValid())
        m_connectionList->setCurrentIndex(m_connections->index(0));
    m_access->setConnection(selectedConnection());
    updateWarnings();
    updateSyncStatus();
}

void MainWindow::updateWarnings()
{
    if (m_actionMessageShown)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString& id : m_workspace.connectionIds()) {
        const auto c = m_workspace.connection(id);
        if (!c)
            continue;
        if (const auto warning = ConnectionStatus::warning(*c, now)) {
            m_messages->showMessage(
                MessageBar::Kind::Warning, *warning, tr("Reconnect…"), [this, id] { reconnect(id); });
            return;
        }
    }
    m_messages->clear();
}

void MainWindow::showActionMessage(
    int kind, const QString& text, const QString& actionText, std::function<void()> action)
{
    m_actionMessageShown = true;
    m_messages->showMessage(static_cast<MessageBar::Kind>(kind), text, actionText, std::move(action));
}

ConnectDialog* MainWindow::connectDialog() const
{
    return m_connectDialog.data();
}

ConnectDialog* MainWindow::openConnectDialog()
{
    if (m_connectDialog) {
        m_connectDialog->raise();
        m_connectDialog->activateWindow();
        return m_connectDialog;
    }
    auto* dialog = new ConnectDialog(m_workspace, m_sandboxPreset, this, m_logos);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_connectDialog = dialog;
    connect(dialog, &ConnectDialog::connected, this, [this](const QString& id, bool isNew) {
        selectConnection(id);
        const auto c = m_workspace.connection(id);
        m_actionMessageShown = false;
        if (c && !c->staysConnected())
            showActionMessage(static_cast<int>(MessageBar::Kind::Warning),
                tr("Connected to %1, but it did not let this app stay signed in: you will need to sign in again on %2.")
                    .arg(c->displayName(), QLocale().toString(c->accessExpiry.toLocalTime(), QLocale::ShortFormat)));
        else if (c)
            showActionMessage(static_cast<int>(MessageBar::Kind::Info),
                isNew ? tr("Connected to %1. The app stays connected by itself from now on.").arg(c->displayName())
                      : tr("Reconnected to %1.").arg(c->displayName()));
    });
    dialog->open();
    return dialog;
}

void MainWindow::reconnect(const QString& id)
{
    const auto c = m_workspace.connection(id);
    if (!c)
        return;
    if (ConnectDialog* dialog = openConnectDialog())
        dialog->startReconnect(*c);
}

void MainWindow::refreshNow(const QString& id)
{
    const auto c = m_workspace.connection(id);
    if (!c)
        return;
    const QString host = c->displayName();
    m_workspace.refreshNow(id).then(
        compat::continuationContext(), compat::ifAlive(this, [this, host](const AuthResult<Done>& result) {
            if (result) {
                showActionMessage(
                    static_cast<int>(MessageBar::Kind::Info), tr("%1: access refreshed silently.").arg(host));
                return;
            }
            if (result.code() == AuthError::InvalidGrant) {
                // The standing "needs reconnect" warning says it, with its action.
                m_actionMessageShown = false;
                updateWarnings();
                return;
            }
            showActionMessage(
                static_cast<int>(MessageBar::Kind::Error), tr("%1: %2").arg(host, result.failure().message));
        }));
}

void MainWindow::confirmSignOut(const QString& id)
{
    const auto c = m_workspace.connection(id);
    if (!c)
        return;
    const QString host = c->displayName();
    confirmDestructive(QStringLiteral("signOutConfirm"), QMessageBox::Question, tr("Sign out of %1?").arg(host),
        (c->revocationEndpoint.isValid() ? tr("The app asks %1 to end its access, then deletes the sign-in from %2.")
                                         : tr("%1 offers no way for apps to end access, so the app only deletes the "
                                              "sign-in from %2; end access in its patient portal too."))
                .arg(host, SecretStore::platformStoreName())
            + QStringLiteral("\n\n")
            + tr("Your records stay on this computer and stay readable. You can reconnect at any time."),
        tr("Sign out"), [this, id, host] {
            m_workspace.signOut(id).then(compat::continuationContext(),
                compat::ifAlive(this, [this, host](const AuthResult<SignOutOutcome>& result) {
                    if (!result) {
                        showActionMessage(static_cast<int>(MessageBar::Kind::Error), result.failure().message);
                        return;
                    }
                    if (result.value().revokedAtServer)
                        showActionMessage(static_cast<int>(MessageBar::Kind::Info),
                            tr("Signed out of %1: access ended at the provider. Your records stay on this computer.")
                                .arg(host));
                    else if (const QUrl manage = result.value().managementEndpoint; manage.isValid())
                        showActionMessage(static_cast<int>(MessageBar::Kind::Warning),
                            tr("Signed out of %1 on this computer. It offers no way for apps to end access: end it at "
                               "%2.")
                                .arg(host, manage.toDisplayString()),
                            tr("Open"), [manage] { QDesktopServices::openUrl(manage); });
                    else
                        showActionMessage(static_cast<int>(MessageBar::Kind::Warning),
                            tr("Signed out of %1 on this computer. It offers no way for apps to end access: end it in "
                               "its "
                               "patient portal.")
                                .arg(host));
                }));
        });
}

void MainWindow::confirmForget(const QString& id)
{
    const auto c = m_workspace.connection(id);
    if (!c)
        return;
    const QString host = c->displayName();
    confirmDestructive(QStringLiteral("forgetConfirm"), QMessageBox::Warning, tr("Forget %1?").arg(host),
        tr("This deletes from this computer:\n"
           "• the sign-in to %1 (kept in %2),\n"
           "• the key to this connection's records, and the records stored on this computer,\n"
           "• the connection itself (patient %3).\n\n"
           "The app also asks %1 to end its access where it can. This cannot be undone; to see "
           "these records again you would connect and download them again.")
            .arg(host, SecretStore::platformStoreName(), c->patientId),
        tr("Forget provider"), [this, id, host] {
            m_workspace.forget(id).then(compat::continuationContext(),
                compat::ifAlive(this, [this, host](const AuthResult<SignOutOutcome>& result) {
                    if (!result) {
                        showActionMessage(static_cast<int>(MessageBar::Kind::Error), result.failure().message);
                        return;
                    }
                    showActionMessage(static_cast<int>(MessageBar::Kind::Info),
                        result.value().revokedAtServer ? tr("%1 forgotten: access ended at the provider; the sign-in, "
                                                            "the key and the records are deleted "
                                                            "from this computer.")
                                                             .arg(host)
                                                       : tr("%1 forgotten on this computer. It may still list this "
                                                            "app: end access in its patient portal.")
                                                             .arg(host));
                }));
        });
}

void MainWindow::confirmDestructive(const QString& objectName, QMessageBox::Icon icon, const QString& question,
    const QString& details, const QString& confirmText, std::function<void()> onConfirm)
{
    // Destructive choices are the one place for a modal box; opened, never exec'd.
    auto* box = new QMessageBox(icon, question, question, QMessageBox::NoButton, this);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(details);
    QPushButton* confirm = box->addButton(confirmText, QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmButton"));
    confirm->setAccessibleName(confirmText);
    QPushButton* cancel = box->addButton(QMessageBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    box->setDefaultButton(cancel);
    connect(
        box, &QMessageBox::buttonClicked, this, [confirm, onConfirm = std::move(onConfirm)](QAbstractButton* clicked) {
            if (clicked == confirm)
                onConfirm();
        });
    box->open();
}

void MainWindow::showProtection()
{
    auto* dialog = new ProtectionDialog(m_dataDirectory, m_workspace.isSessionOnly(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::raiseWindow()
{
    if (isMinimized())
        showNormal();
    show();
    raise();
    activateWindow();
}

} // namespace ondevice::ui
