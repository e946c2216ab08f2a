// Every screen, as assistive technology meets it: the accessibility tree (what a screen reader reads, through
// QAccessible, as AT-SPI gets it) of each main view and dialog with real records loaded, and Tab driven through
// each. Fails on a focusable or interactive element without a name, a label whose shown value a screen reader
// would not hear, a chart without a text alternative holding its latest value, a table or tree whose headers are
// numbers; on Tab staying inside one table, or never reaching a visible control.

#include "ConnectedWindow.h"

#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/AccessPanel.h"
#include "ui/CategoryModel.h"
#include "ui/ConnectDialog.h"
#include "ui/DirectoriesDialog.h"
#include "ui/LabsChartView.h"
#include "ui/Language.h"
#include "ui/MainWindow.h"
#include "ui/ProtectionDialog.h"
#include "ui/RecordDetailView.h"
#include "ui/RecordTableModel.h"
#include "ui/RecordsView.h"
#include "ui/ResourceRenderer.h"
#include "ui/SummaryView.h"
#include "ui/SystemBrowser.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAccessibleTableInterface>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTreeView>

using namespace ondevice::testing;
using namespace ondevice::services;
using namespace ondevice::ui;

namespace {

QString describe(const QObject* object)
{
    if (!object)
        return QStringLiteral("(no object)");
    QString path = QString::fromLatin1(object->metaObject()->className());
    if (!object->objectName().isEmpty())
        path += QLatin1Char('#') + object->objectName();
    for (const QObject* p = object->parent(); p; p = p->parent())
        if (!p->objectName().isEmpty())
            return path + QStringLiteral(" in ") + p->objectName();
    return path;
}

// What a label shows, as words: rich text as plain text, without the mnemonic's '&'.
QString shownText(const QLabel* label)
{
    QString text = label->text();
    if (Qt::mightBeRichText(text)) {
        QTextDocument document;
        document.setHtml(text);
        text = document.toPlainText();
    }
    text.remove(QRegularExpression(QStringLiteral("&(?=[^&\\s])")));
    return text.simplified();
}

bool isNumber(const QString& text)
{
    bool ok = false;
    text.trimmed().toInt(&ok);
    return ok;
}

// Roles that a user operates: each needs a name of its own.
bool isInteractive(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::Link:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::List:
    case QAccessible::PageTabList:
    case QAccessible::Chart:
        return true;
    default:
        return false;
    }
}

void audit(QAccessibleInterface* iface, QStringList& problems, int depth = 0)
{
    if (!iface || !iface->isValid() || depth > 60)
        return;
    const QAccessible::State state = iface->state();
    if (state.invisible)
        return;
    const QAccessible::Role role = iface->role();
    const QString name = iface->text(QAccessible::Name).trimmed();
    const QString heard = name + QLatin1Char('\n') + iface->text(QAccessible::Description) + QLatin1Char('\n')
        + iface->text(QAccessible::Value);
    QObject* object = iface->object();
    const bool focusable = state.focusable; // (a scroll area or a chart that takes focus too: Client)
    if ((focusable || isInteractive(role)) && name.isEmpty())
        problems << QStringLiteral("no name: %1 (role %2)").arg(describe(object)).arg(int(role));
    if (auto* label = qobject_cast<QLabel*>(object)) {
        const QString shown = shownText(label);
        if (!shown.isEmpty() && !heard.simplified().contains(shown))
            problems << QStringLiteral("value not heard: %1 shows \"%2\", is named \"%3\"")
                            .arg(describe(object), shown, name);
    }
    if (QAccessibleTableInterface* table = iface->tableInterface()) {
        // Lists have no headers to read; tables and trees do (a hidden header is still read out).
        if (role != QAccessible::Table && role != QAccessible::Tree)
            return;
        for (int c = 0; c < table->columnCount(); ++c)
            if (isNumber(table->columnDescription(c)))
                problems << QStringLiteral("numeric column header %1 in %2")
                                .arg(table->columnDescription(c), describe(object));
        for (int r = 0; r < std::min(table->rowCount(), 3); ++r)
            if (isNumber(table->rowDescription(r)))
                problems
                    << QStringLiteral("numeric row header %1 in %2").arg(table->rowDescription(r), describe(object));
        return; // its cells: the model's texts
    }
    if (role == QAccessible::List || role == QAccessible::Tree)
        return;
    for (int i = 0; i < iface->childCount(); ++i)
        audit(iface->child(i), problems, depth + 1);
}

QStringList auditWindow(QWidget* window)
{
    QStringList problems;
    audit(QAccessible::queryAccessibleInterface(window), problems);
    return problems;
}

// The visible controls Tab should reach.
QList<QWidget*> tabStops(QWidget* window)
{
    QList<QWidget*> stops;
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (!w->isVisible() || !w->isEnabled() || !(w->focusPolicy() & Qt::TabFocus) || w->focusProxy())
            continue;
        if (w->window() != window)
            continue;
        // A viewport or an editor inside a composite (spin box, combo box) is reached through its owner.
        if (qobject_cast<QAbstractItemView*>(w->parentWidget()) || qobject_cast<QComboBox*>(w->parentWidget())
            || qobject_cast<QAbstractSpinBox*>(w->parentWidget()))
            continue;
        stops << w;
    }
    return stops;
}

bool reached(const QWidget* stop, const QList<QWidget*>& visited)
{
    return std::any_of(visited.cbegin(), visited.cend(),
        [stop](const QWidget* w) { return w == stop || stop->isAncestorOf(w) || w->focusProxy() == stop; });
}

// Presses Tab round the window twice over and says where it got stuck or what it never reached.
QStringList tabProblems(QWidget* window, QWidget* start)
{
    QStringList problems;
    window->activateWindow();
    QApplication::setActiveWindow(window); // (the offscreen platform does not always pass activation on)
    if (!QTest::qWaitForWindowActive(window))
        return { QStringLiteral("window not active: %1").arg(describe(window)) };
    start->setFocus(Qt::TabFocusReason);
    if (!QApplication::focusWidget() || QApplication::focusWidget()->window() != window)
        return { QStringLiteral("focus not in %1").arg(describe(window)) };
    const QList<QWidget*> stops = tabStops(window);
    QList<QWidget*> visited { QApplication::focusWidget() };
    for (int i = 0; i < stops.size() * 2 + 4; ++i) {
        QWidget* before = QApplication::focusWidget();
        if (!before)
            return { QStringLiteral("focus lost after %1 presses").arg(i) };
        QTest::keyClick(before, Qt::Key_Tab);
        QWidget* after = QApplication::focusWidget();
        if (after == before && stops.size() > 1) {
            problems << QStringLiteral("Tab stays in %1").arg(describe(after));
            break;
        }
        visited << after;
    }
    for (QWidget* stop : stops)
        if (!reached(stop, visited))
            problems << QStringLiteral("never reached by Tab: %1").arg(describe(stop));
    return problems;
}

} // namespace

class tst_Accessibility : public QObject {
    Q_OBJECT

private:
    ConnectedWindow m_app;
    MainWindow* m_window = nullptr;
    Workspace* m_workspace = nullptr;

    RecordsView* view() const { return m_window->recordsView(); }

    void showCategory(RecordCategory category)
    {
        m_app.showCategory(category);
        QCOMPARE(view()->category(), category);
    }

    void selectFirstRecord()
    {
        QTRY_VERIFY(view()->proxy()->rowCount() > 0);
        view()->table()->setCurrentIndex(view()->proxy()->index(0, 0));
        QTRY_VERIFY(!view()->detail()->findChild<QPlainTextEdit*>(QStringLiteral("rawJson"))->toPlainText().isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QAccessible::setActive(true);
        // ctest runs this in English and in Spanish (ONDEVICE_TEST_LANGUAGE): names and Alt+letters in each.
        if (const QString language = qEnvironmentVariable("ONDEVICE_TEST_LANGUAGE"); !language.isEmpty())
            QCOMPARE(installTranslations(language).language(), QLocale(language).language());
        const QString opened = m_app.open(QStringLiteral("tst_Accessibility"), 400);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        m_window = &m_app.window();
        m_workspace = &m_app.workspace();
        m_window->resize(1200, 800);

        // The welcome page first, then the connect dialog's review page, then a real connection and sync.
        const QStringList welcome = auditWindow(m_window) + tabProblems(m_window, m_window);
        QVERIFY2(welcome.isEmpty(), qPrintable(welcome.join(QLatin1Char('\n'))));
        ConnectDialog* dialog = m_window->openConnectDialog();
        dialog->checkServer();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        const QStringList review = auditWindow(dialog);
        QVERIFY2(review.isEmpty(), qPrintable(QStringLiteral("connect dialog, review:\n") + review.join('\n')));
        const QString synced = m_app.connectAndSync();
        QVERIFY2(synced.isEmpty(), qPrintable(synced));
    }

    void summary()
    {
        showCategory(RecordCategory::Summary);
        QTRY_VERIFY(!view()->summary()->patientName().isEmpty());
        const QStringList problems = auditWindow(m_window) + tabProblems(m_window, m_window->categoryView());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void recordTables_data()
    {
        QTest::addColumn<RecordCategory>("category");
        for (RecordCategory category :
            { RecordCategory::Conditions, RecordCategory::Medications, RecordCategory::Allergies,
                RecordCategory::Immunizations, RecordCategory::LabsVitals, RecordCategory::Procedures,
                RecordCategory::Encounters, RecordCategory::Documents, RecordCategory::CarePlans })
            QTest::newRow(qPrintable(RecordCategories::title(category))) << category;
    }

    void recordTables()
    {
        QFETCH(RecordCategory, category);
        showCategory(category);
        view()->showChart(false);
        selectFirstRecord();
        QStringList problems = auditWindow(m_window) + tabProblems(m_window, m_window->categoryView());
        // The detail's other tab too.
        QTabWidget* tabs = view()->detail();
        tabs->setCurrentIndex(tabs->count() - 1);
        problems += auditWindow(m_window) + tabProblems(m_window, m_window->categoryView());
        tabs->setCurrentIndex(0);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void chart()
    {
        showCategory(RecordCategory::LabsVitals);
        view()->showChart(true);
        auto* codes = view()->chart()->findChild<QComboBox*>(QStringLiteral("chartCode"));
        QTRY_VERIFY(codes->count() > 0);
        QTRY_VERIFY(!view()->chart()->model().isEmpty()); // (its points are read on the records worker)
        QWidget* chart = view()->chart()->findChild<QWidget*>(QStringLiteral("chartView"));
        QVERIFY(chart);
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(chart);
        QVERIFY(iface);
        const QString description = iface->text(QAccessible::Description);
        // The latest point's value, as the chart's model has it.
        const QString latest = view()->chart()->model().latestValueText();
        QVERIFY(!latest.isEmpty());
        QVERIFY2(description.contains(latest), qPrintable(description + QStringLiteral(" / ") + latest));
        // The combo box is named for what it chooses, not for its current choice.
        QAccessibleInterface* combo = QAccessible::queryAccessibleInterface(codes);
        QVERIFY(combo->text(QAccessible::Name) != codes->currentText());
        QStringList problems = auditWindow(m_window) + tabProblems(m_window, m_window->categoryView());
        // Tab follows the screen: the Chart button, the test, "Show as table", the chart, then the record.
        QWidget* chartButton = view()->findChild<QWidget*>(QStringLiteral("chartButton"));
        chartButton->setFocus(Qt::TabFocusReason);
        QStringList order;
        for (int i = 0; i < 4; ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            order << QApplication::focusWidget()->objectName();
        }
        QCOMPARE(order.mid(0, 3), (QStringList { "chartCode", "chartAsTable", "chartView" }));
        QVERIFY2(view()->detail()->isAncestorOf(QApplication::focusWidget())
                || QApplication::focusWidget() == view()->detail(),
            qPrintable(describe(QApplication::focusWidget())));

        // "Show as table": the same points, newest first, the latest value in the first row.
        view()->chart()->showTable(true);
        QTableWidget* table = view()->chart()->table();
        QVERIFY(table->isVisible());
        QVERIFY(!chart->isVisible());
        const QList<ondevice::ui::ChartModel::Row> rows = view()->chart()->model().rows();
        QCOMPARE(table->rowCount(), rows.size());
        QVERIFY(rows.constFirst().values.value(0).has_value());
        QCOMPARE(table->item(0, 1)->text(), ResourceRenderer::number(*rows.constFirst().values.value(0)));
        QVERIFY2(latest.split(QLatin1Char(' ')).contains(table->item(0, 1)->text()), qPrintable(latest));
        problems += auditWindow(m_window) + tabProblems(m_window, m_window->categoryView());
        view()->chart()->showTable(false);
        QVERIFY(chart->isVisible());
        view()->showChart(false);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void accessPanel()
    {
        m_window->selectConnection(m_workspace->connectionIds().constFirst());
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        tabs->setCurrentWidget(m_window->accessPanel());
        QTRY_VERIFY(m_window->accessPanel()->isVisible());
        const QStringList problems = auditWindow(m_window) + tabProblems(m_window, m_window->categoryView());
        tabs->setCurrentIndex(0);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void dialogs()
    {
        QStringList problems;
        {
            ConnectDialog* dialog = m_window->openConnectDialog();
            QTRY_VERIFY(dialog->isVisible());
            problems += auditWindow(dialog) + tabProblems(dialog, dialog);
            dialog->reject();
        }
        {
            DirectoriesDialog dialog(m_workspace->brandSources(), m_window);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            problems += auditWindow(&dialog) + tabProblems(&dialog, &dialog);
        }
        {
            ProtectionDialog dialog(
                QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation), false, m_window);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            problems += auditWindow(&dialog) + tabProblems(&dialog, &dialog);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    // Enter checks the server until discovery succeeds, whatever the patient visited on the way (the advanced
    // settings, Cancel); then it signs in.
    void defaultButtonStaysCheckServer()
    {
        ConnectDialog* dialog = m_window->openConnectDialog();
        QTRY_VERIFY(dialog->isVisible());
        QApplication::setActiveWindow(dialog);
        QVERIFY(QTest::qWaitForWindowActive(dialog));
        auto* check = dialog->findChild<QPushButton*>(QStringLiteral("checkServerButton"));
        auto* advanced = dialog->findChild<QAbstractButton*>(QStringLiteral("advancedToggle"));
        QVERIFY(check && advanced);
        QVERIFY(check->isDefault());
        advanced->click();
        for (QWidget* w : tabStops(dialog)) // every control of the page, the advanced ones and Cancel among them
            w->setFocus(Qt::TabFocusReason);
        advanced->click();
        dialog->findChild<QLineEdit*>(QStringLiteral("fhirUrlEdit"))->setFocus(Qt::TabFocusReason);
        QVERIFY(check->isDefault());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        QVERIFY(dialog->findChild<QPushButton*>(QStringLiteral("signInButton"))->isDefault());
        dialog->reject();
    }

    // Alt+letter shortcuts on screen at one time never clash with each other or with the menus.
    void mnemonicsAreUnique()
    {
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        const auto clashes = [this](const QString& where, QWidget* window = nullptr) {
            if (!window)
                window = m_window;
            QHash<QChar, QStringList> byKey;
            const auto note = [&byKey](const QString& text, const QString& who) {
                const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("&([^&\\s])")).match(text);
                if (m.hasMatch())
                    byKey[m.captured(1).at(0).toLower()] << who;
            };
            if (window == m_window)
                for (QAction* menu : m_window->menuBar()->actions())
                    note(menu->text(), QStringLiteral("menu ") + menu->text());
            for (const QAbstractButton* b : window->findChildren<QAbstractButton*>())
                if (b->isVisible())
                    note(b->text(), describe(b));
            for (const QLabel* l : window->findChildren<QLabel*>())
                if (l->isVisible() && l->buddy())
                    note(l->text(), describe(l));
            QStringList found;
            for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
                if (it.value().size() > 1)
                    found << QStringLiteral("%1: Alt+%2: %3")
                                 .arg(where, it.key().toUpper(), it.value().join(QStringLiteral(", ")));
            return found;
        };
        QStringList problems;
        showCategory(RecordCategory::Summary);
        problems += clashes(QStringLiteral("Summary"));
        showCategory(RecordCategory::LabsVitals);
        view()->showChart(false);
        problems += clashes(QStringLiteral("Labs & Vitals"));
        view()->showChart(true);
        problems += clashes(QStringLiteral("chart"));
        view()->showChart(false);
        tabs->setCurrentWidget(m_window->accessPanel());
        problems += clashes(QStringLiteral("Access"));
        tabs->setCurrentIndex(0);
        // The connect dialog's first page, with its advanced settings open.
        ConnectDialog* dialog = m_window->openConnectDialog();
        QTRY_VERIFY(dialog->isVisible());
        dialog->findChild<QAbstractButton*>(QStringLiteral("advancedToggle"))->click();
        problems += clashes(QStringLiteral("connect dialog"), dialog);
        dialog->reject();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(tst_Accessibility)
#include "tst_Accessibility.moc"
