// The window without a server: welcome, the Connect dialog's presets and
// inline errors, the protection page, keyboard use and accessible names.

#include "services/Workspace.h"
#include "ui/ConnectDialog.h"
#include "ui/MainWindow.h"
#include "ui/MessageBar.h"
#include "ui/ProtectionDialog.h"
#include "ui/ProviderPresets.h"

#include <QAbstractButton>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice::services;
using namespace ondevice::ui;

class tst_MainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    WorkspaceOptions options() const
    {
        return { QStringLiteral("org.ondevicehealth.test.MainWindow"), m_dir.filePath("connections.json"),
            m_dir.filePath("locks"), [](const QUrl&) { qFatal("no browser in this test"); } };
    }

    static QStringList buttonsWithoutAccessibleNames(const QWidget* root)
    {
        QStringList missing;
        for (const QAbstractButton* b : root->findChildren<QAbstractButton*>())
            // Every button a keyboard user can reach (Qt's own table corner and
            // menu-bar extension buttons take no focus).
            if (b->accessibleName().isEmpty() && (b->focusPolicy() & Qt::TabFocus))
                missing << (b->objectName().isEmpty() ? QString::fromLatin1(b->metaObject()->className()) + "/"
                            + b->parent()->metaObject()->className() + "/" + b->text()
                                                      : b->objectName());
        return missing;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void welcomeSaysRecordsStayOnDevice()
    {
        Workspace workspace(options());
        MainWindow window(workspace);
        workspace.start();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.showsWelcome());
        auto* text = window.findChild<QLabel*>(QStringLiteral("welcomeText"));
        QVERIFY(text);
        QVERIFY(text->isVisible());
        QVERIFY(text->text().contains(QStringLiteral("only on this device")));
        QCOMPARE(text->textFormat(), Qt::PlainText);
        // The records layer's place exists, clearly named.
        QVERIFY(window.recordsArea());
        QCOMPARE(window.recordsArea()->objectName(), QStringLiteral("recordsArea"));
    }

    void connectButtonOpensTheDialogFromTheKeyboard()
    {
        Workspace workspace(options());
        MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* button = window.findChild<QPushButton*>(QStringLiteral("connectButton"));
        QVERIFY(button);
        QVERIFY(!button->accessibleName().isEmpty());
        QVERIFY(button->focusPolicy() & Qt::TabFocus);

        auto* presetLabel = window.findChild<QLabel*>(QStringLiteral("presetLabel"));
        QVERIFY(presetLabel && !presetLabel->isVisible());
        const QUrl sandbox(QStringLiteral("http://127.0.0.1:40123/fhir"));
        window.setSandboxPreset(sandbox);
        QVERIFY(presetLabel->isVisible());
        QVERIFY(presetLabel->text().contains(QStringLiteral("127.0.0.1:40123")));

        button->setFocus();
        QTest::keyClick(button, Qt::Key_Space); // keyboard, not only the mouse
        QTRY_VERIFY(window.connectDialog() && window.connectDialog()->isVisible());
        ConnectDialog* dialog = window.connectDialog();
        // The sandbox is first and selected, its address filled in.
        auto* url = dialog->findChild<QLineEdit*>(QStringLiteral("fhirUrlEdit"));
        QCOMPARE(url->text(), sandbox.toString());
        QCOMPARE(
            dialog->findChild<QLineEdit*>(QStringLiteral("clientIdEdit"))->text(), QStringLiteral("ondevice-demo"));
        QCOMPARE(buttonsWithoutAccessibleNames(dialog), QStringList());
        QCOMPARE(buttonsWithoutAccessibleNames(&window).join(","), QString());
        dialog->reject();
    }

    void presetsMarkTheOnesNeedingRegistration()
    {
        const QList<ProviderPreset> without = ProviderPresets::load(QUrl());
        QCOMPARE(without.size(), 3); // no sandbox without --sandbox
        const QList<ProviderPreset> presets = ProviderPresets::load(QUrl(QStringLiteral("http://127.0.0.1:1/fhir")));
        QCOMPARE(presets.size(), 4);
        QCOMPARE(presets.at(0).id, QStringLiteral("sandbox"));
        QCOMPARE(presets.at(1).fhirBase, QUrl(QStringLiteral("https://launch.smarthealthit.org/v/r4/fhir")));
        QCOMPARE(presets.at(1).clientId, QStringLiteral("ondevice-demo"));
        QVERIFY(!presets.at(1).needsRegistration);
        for (int i : { 2, 3 }) {
            QVERIFY(presets.at(i).needsRegistration);
            QVERIFY(presets.at(i).clientId.isEmpty());
            QCOMPARE(presets.at(i).fhirBase.scheme(), QStringLiteral("https"));
            QVERIFY(presets.at(i).note.contains(QStringLiteral("registration")));
        }
    }

    void missingClientIdIsAnInlineError()
    {
        Workspace workspace(options());
        MainWindow window(workspace);
        window.show();
        ConnectDialog* dialog = window.openConnectDialog();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto* list = dialog->findChild<QListView*>(QStringLiteral("presetList"));
        list->setCurrentIndex(list->model()->index(1, 0)); // Epic (no sandbox in this test)
        QVERIFY(
            dialog->findChild<QLineEdit*>(QStringLiteral("fhirUrlEdit"))->text().contains(QStringLiteral("epic.com")));
        dialog->checkServer();
        QVERIFY(dialog->page() == ConnectDialog::Page::Choose);
        QVERIFY(dialog->messageBar()->isVisible());
        QVERIFY(dialog->messageBar()->text().contains(QStringLiteral("client id")));
        dialog->reject();
    }

    void protectionPageSaysWhatIsWhereAndWhatRemainsAtRisk()
    {
        const QString html = ProtectionDialog::html(QStringLiteral("/data"), false);
        for (const char* needle : { "connections.json", "records.sqlite", "refresh token", "Malicious software",
                 "unlocked", "Backups", "patient portal", "no server of ours", "bound to a key made on this computer",
                 "leaked on its own", "does not tell apps apart" })
            QVERIFY2(html.contains(QLatin1String(needle), Qt::CaseInsensitive), needle);
        QVERIFY(html.contains(ondevice::auth::SecretStore::platformStoreName().toHtmlEscaped()));
        QVERIFY(ProtectionDialog::html(QStringLiteral("/data"), true).contains(QStringLiteral("temporary session")));
    }

    void sessionOnlyIsShown()
    {
        Workspace workspace(options());
        MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* label = window.findChild<QLabel*>(QStringLiteral("sessionOnlyLabel"));
        QVERIFY(label && !label->isVisible());
        workspace.continueSessionOnly();
        QVERIFY(workspace.isSessionOnly());
        QVERIFY(label->isVisible());
        QVERIFY(window.windowTitle().contains(QStringLiteral("temporary")));
        QVERIFY(!workspace.keychainProblem());
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
