// The window and the connect dialog on small screens, with large text, in Spanish: ctest runs this four times
// (QT_SCALE_FACTOR 1.5 on a 1600x1000 screen, a 1366x768 screen, 1366x768 with the largest font the system offers,
// and 1366x768 in Spanish; see CMakeLists.txt). Fails when a window is larger than the screen's free area, smaller
// than its own layout needs, when a visible control is cut off by the window or by the widget that holds it, or
// (in Spanish) when a shown text is still the English of a translated message.

#include "ConnectedWindow.h"
#include "TsFile.h"

#include "ui/Language.h"

#include "ui/AccessPanel.h"
#include "ui/ConnectDialog.h"
#include "ui/LabsChartView.h"
#include "ui/RecordTableModel.h"
#include "ui/RecordsView.h"
#include "ui/SummaryView.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QRegularExpression>
#include <QScreen>
#include <QSet>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace ondevice::testing;
using namespace ondevice::ui;

namespace {

QString describe(const QWidget* w)
{
    QString name = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        name += QLatin1Char('#') + w->objectName();
    if (const auto* b = qobject_cast<const QAbstractButton*>(w); b && !b->text().isEmpty())
        name += QStringLiteral(" \"%1\"").arg(b->text());
    return name;
}

QRect inWindow(const QWidget* w, const QWidget* window)
{
    return QRect(w->mapTo(window, QPoint(0, 0)), w->size());
}

// Parts of a composite control (a spin box's editor, a line edit's clear button, a tab bar's scroll arrows) are
// not checked on their own.
bool checkedOnItsOwn(const QWidget* w, const QWidget* window)
{
    for (const QWidget* p = w->parentWidget(); p && p != window; p = p->parentWidget())
        if (qobject_cast<const QComboBox*>(p) || qobject_cast<const QAbstractSpinBox*>(p)
            || qobject_cast<const QLineEdit*>(p) || qobject_cast<const QTabBar*>(p))
            return false;
    if (const auto* label = qobject_cast<const QLabel*>(w))
        return !label->wordWrap() && !label->text().isEmpty();
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QLineEdit*>(w)
        || qobject_cast<const QComboBox*>(w) || qobject_cast<const QAbstractSpinBox*>(w);
}

bool isViewport(const QWidget* w)
{
    const auto* area = qobject_cast<const QAbstractScrollArea*>(w->parentWidget());
    return area && area->viewport() == w;
}

QStringList problems(QWidget* window)
{
    QStringList found;
    const QRect available = window->screen()->availableGeometry();
    if (!available.contains(window->frameGeometry()))
        found << QStringLiteral("%1 (%2x%3) is larger than the screen's free area (%4x%5)")
                     .arg(describe(window))
                     .arg(window->frameGeometry().width())
                     .arg(window->frameGeometry().height())
                     .arg(available.width())
                     .arg(available.height());
    const QSize needs = window->minimumSizeHint();
    if (window->width() < needs.width() || window->height() < needs.height())
        found << QStringLiteral("%1 is %2x%3, its layout needs %4x%5")
                     .arg(describe(window))
                     .arg(window->width())
                     .arg(window->height())
                     .arg(needs.width())
                     .arg(needs.height());
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->window() != window)
            continue;
        // Wrapped text needs its height, in a scroll area too.
        if (const auto* label = qobject_cast<const QLabel*>(w); label && label->wordWrap() && !label->text().isEmpty()
            && label->height() + 1 < label->heightForWidth(label->width())) {
            found << QStringLiteral("%1 is %2 px high, its text needs %3")
                         .arg(describe(w))
                         .arg(label->height())
                         .arg(label->heightForWidth(label->width()));
            continue;
        }
        if (!checkedOnItsOwn(w, window))
            continue;
        // It must fit in each widget that holds it, up to the window, or up to the page of a scroll area it is
        // on (a page larger than its view scrolls).
        const QRect r = inWindow(w, window);
        bool scrolled = false;
        for (const QWidget* p = w->parentWidget(); p && p != window; p = p->parentWidget()) {
            if (isViewport(p)) {
                scrolled = true;
                break;
            }
            if (!inWindow(p, window).contains(r)) {
                found << QStringLiteral("%1 is cut off by %2").arg(describe(w), describe(p));
                break;
            }
        }
        if (!scrolled && !window->rect().contains(r))
            found << QStringLiteral("%1 goes past the window's edge").arg(describe(w));
        if (qobject_cast<QAbstractButton*>(w) && w->width() < w->minimumSizeHint().width())
            found << QStringLiteral("%1 is narrower than its text").arg(describe(w));
    }
    return found;
}

QString withoutAccelerator(QString text)
{
    return text.remove(QRegularExpression(QStringLiteral("&(?=[^&\\s])"))).trimmed();
}

// The English texts that the translation file gives other words for.
QSet<QString> translatedEnglish(const QString& language)
{
    QString error;
    QSet<QString> english;
    for (const TsMessage& m : readTs(translationsDirectory() + QStringLiteral("ondevice_%1.ts").arg(language), error))
        if (!m.numerus && !m.translations.isEmpty() && m.translations.constFirst() != m.source)
            english << withoutAccelerator(m.source);
    return english;
}

// Visible texts still in English where a translation exists: a message looked up in a context the translation
// file does not have, or a text that never went through tr().
QStringList untranslated(QWidget* window, const QSet<QString>& english)
{
    QStringList found;
    const auto check = [&](const QString& text, const QWidget* w) {
        if (english.contains(withoutAccelerator(text)))
            found << QStringLiteral("\"%1\" in %2").arg(text, describe(w));
    };
    check(window->windowTitle(), window);
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->window() != window)
            continue;
        if (const auto* label = qobject_cast<const QLabel*>(w))
            check(label->text(), w);
        else if (const auto* button = qobject_cast<const QAbstractButton*>(w))
            check(button->text(), w);
        else if (const auto* edit = qobject_cast<const QLineEdit*>(w))
            check(edit->placeholderText(), w);
        else if (const auto* tabs = qobject_cast<const QTabBar*>(w))
            for (int i = 0; i < tabs->count(); ++i)
                check(tabs->tabText(i), w);
        else if (const auto* menus = qobject_cast<const QMenuBar*>(w))
            for (const QAction* menu : menus->actions())
                check(menu->text(), w);
        else if (const auto* header = qobject_cast<const QHeaderView*>(w); header && header->model())
            for (int i = 0; i < header->count(); ++i)
                check(header->model()->headerData(i, header->orientation()).toString(), w);
    }
    return found;
}

} // namespace

class tst_Layout : public QObject {
    Q_OBJECT

private:
    ConnectedWindow m_app;
    QSet<QString> m_english; // when the test runs in another language: the English it must not show

    RecordsView* view() { return m_app.window().recordsView(); }

    void check(QWidget* window, const QString& where)
    {
        QTest::qWait(100); // layouts settle (posted layout requests)
        // ONDEVICE_LAYOUT_SHOTS=dir: a picture of each state, to look at.
        if (const QString shots = qEnvironmentVariable("ONDEVICE_LAYOUT_SHOTS"); !shots.isEmpty())
            window->grab().save(
                QStringLiteral("%1/%2-%3.png")
                    .arg(shots, qEnvironmentVariable("ONDEVICE_TEST_SCREEN"),
                        QString(where).replace(QRegularExpression(QStringLiteral("\\W+")), QStringLiteral("_"))));
        const QStringList found = problems(window) + untranslated(window, m_english);
        QVERIFY2(found.isEmpty(), qPrintable(where + QStringLiteral(":\n") + found.join(QLatin1Char('\n'))));
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The screen ctest asked for (a configuration the platform ignored would test nothing).
        const QStringList screen = qEnvironmentVariable("ONDEVICE_TEST_SCREEN").split(QLatin1Char('x'));
        QCOMPARE(screen.size(), 2);
        const QScreen* primary = QGuiApplication::primaryScreen();
        // (a scale factor rounds the screen's size in device-independent pixels: 1600 / 1.5 is 1067)
        QVERIFY(qAbs(primary->geometry().width() * primary->devicePixelRatio() - screen.at(0).toInt()) <= 1);
        QVERIFY(qAbs(primary->geometry().height() * primary->devicePixelRatio() - screen.at(1).toInt()) <= 1);
        if (const double points = qEnvironmentVariable("ONDEVICE_TEST_FONT_POINTS").toDouble(); points > 0) {
            QFont font = QApplication::font();
            font.setPointSizeF(points);
            QApplication::setFont(font);
        }
        if (const QString language = qEnvironmentVariable("ONDEVICE_TEST_LANGUAGE"); !language.isEmpty()) {
            QCOMPARE(installTranslations(language).language(), QLocale(language).language());
            m_english = translatedEnglish(language);
            QVERIFY(m_english.size() > 500);
        }
        const QString opened = m_app.open(QStringLiteral("tst_Layout"), 150);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
    }

    void welcome() { check(&m_app.window(), QStringLiteral("welcome")); }

    void connectDialog()
    {
        ConnectDialog* dialog = m_app.window().openConnectDialog();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        check(dialog, QStringLiteral("connect dialog"));
        dialog->findChild<QAbstractButton*>(QStringLiteral("advancedToggle"))->click();
        check(dialog, QStringLiteral("connect dialog, advanced settings"));
        dialog->checkServer();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        check(dialog, QStringLiteral("connect dialog, what the server offers"));
    }

    void mainViews()
    {
        const QString synced = m_app.connectAndSync();
        QVERIFY2(synced.isEmpty(), qPrintable(synced));
        MainWindow& window = m_app.window();
        // Each view with its records in (they are read on the records worker).
        m_app.showCategory(RecordCategory::Summary);
        QTRY_VERIFY(!view()->summary()->patientName().isEmpty()
            && view()->summary()->patientName() != SummaryView::tr("No records yet"));
        check(&window, QStringLiteral("Summary"));
        m_app.showCategory(RecordCategory::LabsVitals);
        view()->showChart(false);
        QTRY_VERIFY(view()->tableModel()->rowCount() > 0);
        check(&window, QStringLiteral("Labs & Vitals"));
        view()->showChart(true);
        QTRY_VERIFY(!view()->chart()->model().isEmpty());
        check(&window, QStringLiteral("chart"));
        view()->chart()->showTable(true);
        QTRY_VERIFY(view()->chart()->table()->isVisible() && view()->chart()->table()->rowCount() > 0);
        check(&window, QStringLiteral("chart as a table"));
        view()->chart()->showTable(false);
        view()->showChart(false);
        window.selectConnection(m_app.workspace().connectionIds().constFirst());
        window.findChild<QTabWidget*>(QStringLiteral("mainTabs"))->setCurrentWidget(window.accessPanel());
        check(&window, QStringLiteral("Access"));
    }
};

QTEST_MAIN(tst_Layout)
#include "tst_Layout.moc"
