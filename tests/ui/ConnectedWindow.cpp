#include "ConnectedWindow.h"

#include "TestSupport.h"

#include "ui/CategoryModel.h"
#include "ui/ConnectDialog.h"
#include "ui/RecordsView.h"
#include "ui/SystemBrowser.h"

#include <QDesktopServices>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

namespace ondevice::testing {

ConnectedWindow::ConnectedWindow() = default;

ConnectedWindow::~ConnectedWindow()
{
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    m_window.reset();
    m_records.reset();
    m_workspace.reset();
}

QString ConnectedWindow::open(const QString& testName, int resources)
{
    if (const QString problem = usePrivateHome(m_home.isValid() ? m_home.path() : QString()); !problem.isEmpty())
        return problem;
    enterTestMode();
    QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_handler, "open");
    QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_handler, "open");
    if (const QString problem
        = m_sandbox.start({ "--auto-approve", "first", "--resources-per-patient", QString::number(resources) });
        !problem.isEmpty())
        return problem;
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    m_workspace = std::make_unique<services::Workspace>(services::WorkspaceOptions {
        uniqueKeychainService(testName), dataDir + "/connections.json", dataDir + "/locks", ui::systemBrowser() });
    m_records = std::make_unique<services::RecordsHub>(*m_workspace, dataDir + "/records.sqlite");
    m_window = std::make_unique<ui::MainWindow>(*m_workspace);
    m_window->setRecords(*m_records);
    m_window->setSandboxPreset(m_sandbox.fhirBase());
    m_window->show();
    m_workspace->start();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return QStringLiteral("the window was not shown");
    return {};
}

QString ConnectedWindow::connectAndSync()
{
    int synced = 0;
    QObject context;
    QObject::connect(m_records.get(), &services::RecordsHub::syncSucceeded, &context, [&synced] { ++synced; });
    // A fresh dialog: one left open by a test may still be finding its server.
    if (ui::ConnectDialog* open = m_window->connectDialog()) {
        open->reject();
        if (!QTest::qWaitFor([this] { return !m_window->connectDialog(); }))
            return QStringLiteral("the connect dialog left open did not close");
    }
    ui::ConnectDialog* dialog = m_window->openConnectDialog();
    dialog->checkServer();
    if (!QTest::qWaitFor([dialog] { return dialog->page() == ui::ConnectDialog::Page::Review; }, 15000))
        return QStringLiteral("discovery did not finish");
    dialog->signIn();
    if (!QTest::qWaitFor([this] { return m_workspace->connectionIds().size() == 1; }, 60000))
        return QStringLiteral("no connection");
    if (!QTest::qWaitFor([&synced, this] { return synced >= 1 && !m_records->isSyncing(); }, 60000))
        return QStringLiteral("the first sync did not finish");
    return {};
}

void ConnectedWindow::showCategory(ui::RecordCategory category)
{
    m_window->showRecords();
    m_window->categoryView()->setCurrentIndex(m_window->categoryModel()->indexOf(category));
}

} // namespace ondevice::testing
