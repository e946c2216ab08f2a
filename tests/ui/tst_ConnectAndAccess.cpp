// The GUI's connect, restart, needs-reconnect, sign-out and forget paths,
// against the real sandbox and the real keychain (the private gnome-keyring
// of ./dev test). The browser is a QDesktopServices URL handler that routes
// into BrowserHook, so the product's own openUrl path is the one exercised.

#include "BrowserHook.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include "services/BrandSources.h"
#include "services/Workspace.h"
#include "ui/AccessPanel.h"
#include "ui/BrandPicker.h"
#include "ui/ConnectDialog.h"
#include "ui/ConnectionListModel.h"
#include "ui/MainWindow.h"
#include "ui/MessageBar.h"
#include "ui/SystemBrowser.h"

#include <QAbstractButton>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::auth;
using namespace ondevice::testing;
using namespace ondevice::services;
using namespace ondevice::ui;

class tst_ConnectAndAccess : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_service;
    BrowserHook m_handler; // stands where the system browser would
    SandboxProcess m_sandbox;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;
    QString m_id;

    void openApp()
    {
        m_window.reset();
        m_workspace.reset();
        const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
        m_workspace = std::make_unique<Workspace>(
            WorkspaceOptions { m_service, data + "/connections.json", data + "/locks", ondevice::ui::systemBrowser() });
        m_window = std::make_unique<MainWindow>(*m_workspace);
        m_window->setSandboxPreset(m_sandbox.fhirBase());
        m_window->show();
        m_workspace->start();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    QJsonObject stats() { return httpRequest("GET", QUrl(m_sandbox.adminBase().toString() + "/stats")).json(); }

    QString chip() const
    {
        auto* list = m_window->findChild<QListView*>("connectionList");
        return list->model()->index(0, 0).data(ConnectionListModel::StatusTextRole).toString();
    }

    template <typename T> T* child(QWidget* root, const char* name)
    {
        T* found = root->findChild<T*>(QString::fromLatin1(name));
        if (!found)
            qWarning("no child %s", name);
        return found;
    }

    QMessageBox* confirmation(const char* name)
    {
        for (QMessageBox* box : m_window->findChildren<QMessageBox*>(QString::fromLatin1(name)))
            if (box->isVisible())
                return box;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = usePrivateHome(m_home.isValid() ? m_home.path() : QString());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        enterTestMode();
        m_service = uniqueKeychainService(QStringLiteral("tst_ConnectAndAccess"));
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_handler, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_handler, "open");
        QVERIFY(m_sandbox.start({ "--auto-approve", "first" }).isEmpty());
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        m_window.reset();
        m_workspace.reset();
    }

    // A patient who knows the provider's name only: the demo directory, a search, a card, the normal sign-in.
    void findTheProviderByNameAndConnect()
    {
        openApp();
        child<QPushButton>(m_window.get(), "connectButton")->click();
        QTRY_VERIFY(m_window->connectDialog() && m_window->connectDialog()->isVisible());
        ConnectDialog* dialog = m_window->connectDialog();
        BrandPicker* picker = dialog->brandPicker();
        // Nothing is asked before the patient accepts a directory.
        QCOMPARE(stats().value("brand_bundle_requests").toInt(), 0);
        auto* useDemo = child<QPushButton>(dialog, "useDemoDirectoryButton");
        QTRY_VERIFY(useDemo->isVisible());
        useDemo->click();
        QTRY_VERIFY_WITH_TIMEOUT(picker->isReady() && picker->cardCount() == 7, 15000);
        QCOMPARE(m_workspace->brandSources().sources().size(), 1);

        // As the patient types: a city finds the regional system and its affiliates.
        QTest::keyClicks(picker->searchField(), "springf");
        QTRY_COMPARE(picker->cardCount(), 2);
        QCOMPARE(picker->cardList()->model()->index(0, 0).data().toString(), QStringLiteral("Riverbend Health"));
        picker->searchField()->clear();
        QTest::keyClicks(picker->searchField(), "sandbox lab");
        QTRY_COMPARE(picker->cardCount(), 1);
        const QModelIndex card = picker->cardList()->model()->index(0, 0);
        QCOMPARE(card.data().toString(), QStringLiteral("Sandbox Labs"));
        QVERIFY(card.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("4 locations")));
        // The logo comes from the sandbox (an SVG), fetched when the card is shown.
        QTRY_VERIFY_WITH_TIMEOUT(
            !picker->cardList()->model()->index(0, 0).data(Qt::DecorationRole).value<QImage>().isNull(), 10000);

        picker->cardList()->setCurrentIndex(card);
        QCOMPARE(dialog->brandName(), QStringLiteral("Sandbox Labs"));
        QCOMPARE(QUrl(child<QLineEdit>(dialog, "fhirUrlEdit")->text()), m_sandbox.fhirBase());
        QVERIFY(!child<QLineEdit>(dialog, "clientIdEdit")->text().isEmpty()); // the sandbox preset's
        child<QPushButton>(dialog, "checkServerButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        child<QPushButton>(dialog, "signInButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->connectionIds().size() == 1, 60000);
        QTRY_VERIFY(!m_window->connectDialog());

        // The connection is called by the brand the patient picked, with its logo.
        const QString id = m_workspace->connectionIds().constFirst();
        QCOMPARE(m_workspace->connection(id)->brand, QStringLiteral("Sandbox Labs"));
        auto* list = m_window->findChild<QListView*>("connectionList");
        QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("Sandbox Labs"));
        QTRY_VERIFY_WITH_TIMEOUT(!list->model()->index(0, 0).data(Qt::DecorationRole).value<QImage>().isNull(), 10000);
        // The server names the same directory as its own: it is marked so, not added twice.
        const auto sources = m_workspace->brandSources().sources();
        QCOMPARE(sources.size(), 1);
        QVERIFY(sources.constFirst().namedByServer);

        QVERIFY(await(m_workspace->forget(id)));
        QVERIFY(m_workspace->connectionIds().isEmpty());
    }

    void connectThroughTheDialog()
    {
        const int callsBefore = m_handler.calls(); // the sign-in by brand above
        openApp();
        QVERIFY(m_window->showsWelcome());
        child<QPushButton>(m_window.get(), "connectButton")->click();
        QTRY_VERIFY(m_window->connectDialog() && m_window->connectDialog()->isVisible());
        ConnectDialog* dialog = m_window->connectDialog();

        child<QPushButton>(dialog, "checkServerButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        // What discovery found, before any browser opens.
        QCOMPARE(m_handler.calls(), callsBefore);
        QCOMPARE(child<QLabel>(dialog, "discoveredServer")->text(), QStringLiteral("127.0.0.1"));
        QVERIFY(child<QLabel>(dialog, "discoveredOffline")->text().startsWith(QStringLiteral("Offered")));
        QVERIFY(child<QLabel>(dialog, "discoveredPkce")->text().contains(QStringLiteral("S256")));
        QVERIFY(child<QLabel>(dialog, "discoveredRevocation")->text().startsWith(QStringLiteral("Supported")));
        QVERIFY(child<QLabel>(dialog, "discoveredBinding")->text().startsWith(QStringLiteral("Yes (DPoP)")));
        QVERIFY(child<QLabel>(dialog, "discoveredScope")->text().contains(QStringLiteral("Read all your records")));

        child<QPushButton>(dialog, "signInButton")->click();
        QVERIFY(dialog->page() == ConnectDialog::Page::Waiting);
        QVERIFY(child<QLabel>(dialog, "waitingText")->text().contains(QStringLiteral("approve in your browser")));
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->connectionIds().size() == 1, 60000);
        QTRY_VERIFY(!m_window->connectDialog());
        QCOMPARE(m_handler.calls(), callsBefore + 1);
        QTRY_VERIFY(m_handler.finished());
        QCOMPARE(m_handler.lastStatus(), 200);

        m_id = m_workspace->connectionIds().constFirst();
        QVERIFY(!m_window->showsWelcome());
        QCOMPARE(chip(), QStringLiteral("Up to date"));
        AccessPanel* panel = m_window->accessPanel();
        QCOMPARE(panel->connectionId(), m_id);
        QVERIFY(child<QLabel>(panel, "grantedScopes")->text().contains(QStringLiteral("Read all your records")));
        QVERIFY(child<QLabel>(panel, "grantedScopes")->text().contains(QStringLiteral("Stay connected")));
        QVERIFY(child<QLabel>(panel, "tokenStore")->text().contains(SecretStore::platformStoreName()));
        QVERIFY(child<QLabel>(panel, "clientType")->text().contains(QStringLiteral("S256")));
        QVERIFY(child<QLabel>(panel, "accessTokenExpiry")->text().startsWith(QStringLiteral("Expires in")));
        // The sandbox's introspection says when the grant ends.
        QVERIFY(m_workspace->connection(m_id)->grantEnd.isValid());
        QVERIFY(child<QLabel>(panel, "grantEnd")->text().contains(QStringLiteral("as the provider set it")));

        // The timeline: discovery, authorize, code exchange, id_token; no secret.
        QStringList steps;
        for (const TimelineEvent& e : m_workspace->timeline(m_id))
            steps << e.step;
        for (const char* step : { "discovery", "authorize", "code exchange", "id_token" })
            QVERIFY2(steps.contains(QLatin1String(step)), step);
        // Discovery ran once: the sign-in used what the dialog had checked and shown.
        QCOMPARE(steps.count(QStringLiteral("discovery")), 1);
        auto* timeline = child<QTableView>(panel, "timelineView");
        QVERIFY(timeline->model()->rowCount() >= 4);

        // Countdown moves by itself.
        const QString before = child<QLabel>(panel, "accessTokenExpiry")->text();
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(panel, "accessTokenExpiry")->text() != before, 3000);

        // Every button a keyboard user can reach has an accessible name.
        for (const QAbstractButton* b : m_window->findChildren<QAbstractButton*>())
            if (b->focusPolicy() & Qt::TabFocus)
                QVERIFY2(!b->accessibleName().isEmpty(), qPrintable(b->objectName() + " " + b->text()));
    }

    void restartRefreshesSilentlyWithoutABrowser()
    {
        QVERIFY(!m_id.isEmpty());
        const int authorizeBefore = stats().value("authorize_requests").toInt();
        const int refreshBefore = stats().value("token_requests").toObject().value("refresh_token").toInt();
        const int callsBefore = m_handler.calls();
        openApp(); // a fresh Workspace and window, as after a restart
        QVERIFY(!m_window->showsWelcome());
        QCOMPARE(m_workspace->connectionIds(), QStringList { m_id });
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->session(m_id)->hasAccessToken(), 15000);
        QCOMPARE(chip(), QStringLiteral("Up to date"));
        QCOMPARE(m_handler.calls(), callsBefore);
        QCOMPARE(stats().value("authorize_requests").toInt(), authorizeBefore);
        QCOMPARE(stats().value("token_requests").toObject().value("refresh_token").toInt(), refreshBefore + 1);
        QVERIFY(m_workspace->connection(m_id)->lastRefreshResult.startsWith(QStringLiteral("ok")));
        QVERIFY(child<QLabel>(m_window->accessPanel(), "lastRefresh")->text().contains(QStringLiteral("succeeded")));
    }

    void syncingChipIsDrivenFromOutside()
    {
        m_workspace->setSyncing(m_id, true);
        QCOMPARE(chip(), QStringLiteral("Syncing"));
        m_workspace->setSyncing(m_id, false);
        QCOMPARE(chip(), QStringLiteral("Up to date"));
    }

    void revokedAtThePortalNeedsReconnect()
    {
        QCOMPARE(httpRequest("POST", QUrl(m_sandbox.adminBase().toString() + "/revoke-all")).status, 200);
        child<QPushButton>(m_window->accessPanel(), "refreshButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(chip(), QStringLiteral("Needs reconnect"), 15000);
        MessageBar* bar = m_window->messageBar();
        QTRY_VERIFY(bar->isVisible());
        QVERIFY(bar->text().contains(QStringLiteral("reconnect")));
        QVERIFY(bar->actionButton()->isVisible());
        QCOMPARE(bar->actionButton()->accessibleName(), QStringLiteral("Reconnect…"));

        // The bar's one action: reconnect, the same patient, the same connection.
        const int callsBefore = m_handler.calls();
        bar->actionButton()->click();
        QTRY_VERIFY(m_window->connectDialog());
        ConnectDialog* dialog = m_window->connectDialog();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        child<QPushButton>(dialog, "signInButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->connectDialog(), 60000);
        QCOMPARE(m_handler.calls(), callsBefore + 1);
        QCOMPARE(m_workspace->connectionIds(), QStringList { m_id });
        QTRY_COMPARE(chip(), QStringLiteral("Up to date"));
    }

    void signOutKeepsTheConnection()
    {
        QCOMPARE(stats().value("live_grants").toInt(), 1);
        child<QPushButton>(m_window->accessPanel(), "signOutButton")->click();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = confirmation("signOutConfirm")));
        QVERIFY(box->informativeText().contains(QStringLiteral("records stay on this computer")));
        child<QPushButton>(box, "confirmButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(chip(), QStringLiteral("Signed out"), 15000);
        QCOMPARE(m_workspace->connectionIds(), QStringList { m_id });
        QCOMPARE(stats().value("live_grants").toInt(), 0);
        QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("access ended at the provider")));
        QVERIFY(!child<QPushButton>(m_window->accessPanel(), "signOutButton")->isEnabled());
    }

    void forgetRemovesTheConnection()
    {
        child<QPushButton>(m_window->accessPanel(), "forgetButton")->click();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = confirmation("forgetConfirm")));
        const QString text = box->informativeText();
        QVERIFY(text.contains(QStringLiteral("the sign-in")));
        QVERIFY(text.contains(QStringLiteral("the key to this connection's records, and the records")));
        QVERIFY(text.contains(QStringLiteral("the connection itself")));
        // Cancel first: nothing happens.
        box->button(QMessageBox::Cancel)->click();
        QTest::qWait(200);
        QCOMPARE(m_workspace->connectionIds(), QStringList { m_id });

        child<QPushButton>(m_window->accessPanel(), "forgetButton")->click();
        QTRY_VERIFY((box = confirmation("forgetConfirm")));
        child<QPushButton>(box, "confirmButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->connectionIds().isEmpty(), 15000);
        QVERIFY(m_window->showsWelcome());
        const auto item = await(SecretStore(m_service).read(m_id + "/data-key"));
        QVERIFY(item && !item->ok());
    }
};

QTEST_MAIN(tst_ConnectAndAccess)
#include "tst_ConnectAndAccess.moc"
