#include "ui/MainWindow.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using ondevice::ui::MainWindow;

class tst_MainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void welcomeSaysRecordsStayOnDevice()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* text = window.findChild<QLabel*>(QStringLiteral("welcomeText"));
        QVERIFY(text);
        QVERIFY(text->isVisible());
        QVERIFY(text->text().contains(QStringLiteral("only on this device")));
        QCOMPARE(text->textFormat(), Qt::PlainText);
    }

    void connectButtonIsAccessibleAndCarriesThePreset()
    {
        MainWindow window;
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

        QSignalSpy requested(&window, &MainWindow::connectRequested);
        button->setFocus();
        QTest::keyClick(button, Qt::Key_Space); // keyboard, not only the mouse
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().first().toUrl(), sandbox);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
