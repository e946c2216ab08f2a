// ondevice-screenshots: renders the main screens with the real widgets
// against a running sandbox (started with --auto-approve first) and saves
// them as PNGs. tools/screenshots.sh runs it under Xvfb in a private
// keyring session. A developer tool, never shipped.
//
//   ondevice-screenshots --fhir-base URL --out DIR

#include "BrowserHook.h"

#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/BrandPicker.h"
#include "ui/CategoryModel.h"
#include "ui/ConnectDialog.h"
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

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDesktopServices>
#include <QDir>
#include <QLineEdit>
#include <QListView>
#include <QPalette>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <cstdio>

using namespace ondevice::services;
using namespace ondevice::ui;

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QTest::qWait(20);
    return done();
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2d, 0x2d, 0x30), base(0x1e, 0x1e, 0x1e), text(0xe8, 0xe8, 0xe8), dim(0x9a, 0x9a, 0x9a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x38, 0x38, 0x3c));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::PlaceholderText, dim);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x55));
    p.setColor(QPalette::Mid, QColor(0x40, 0x40, 0x44));
    p.setColor(QPalette::Dark, QColor(0x20, 0x20, 0x22));
    p.setColor(QPalette::Disabled, QPalette::Text, dim);
    p.setColor(QPalette::Disabled, QPalette::WindowText, dim);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, dim);
    return p;
}

bool save(QWidget* widget, const QString& path)
{
    QTest::qWait(300); // let layouts settle and the countdown tick
    const bool ok = widget->grab().save(path);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("OnDeviceHealth"));
    QApplication::setApplicationName(QStringLiteral("ondevice-screenshots"));
    QCommandLineParser parser;
    const QCommandLineOption fhir(
        QStringLiteral("fhir-base"), QStringLiteral("Sandbox FHIR base."), QStringLiteral("url"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output directory."), QStringLiteral("dir"));
    const QCommandLineOption language(QStringLiteral("language"),
        QStringLiteral("The app's language (es: Spanish); the pictures' names end in -CODE."), QStringLiteral("code"));
    parser.addOptions({ fhir, out, language });
    parser.addHelpOption();
    parser.process(app);
    if (!parser.isSet(fhir) || !parser.isSet(out))
        parser.showHelp(2);
    const QDir dir(parser.value(out));
    QDir().mkpath(dir.path());
    const QUrl sandbox(parser.value(fhir));
    const QString suffix = parser.isSet(language) ? QLatin1Char('-') + parser.value(language) : QString();
    // English unless asked: the docs' pictures do not follow this computer's language.
    ondevice::ui::installTranslations(parser.isSet(language) ? parser.value(language) : QStringLiteral("en"));
    const auto shot = [&dir, &suffix](const char* name) {
        return dir.filePath(QString::fromLatin1(name) + suffix + QStringLiteral(".png"));
    };

    ondevice::testing::BrowserHook handler;
    QDesktopServices::setUrlHandler(QStringLiteral("http"), &handler, "open");
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    Workspace workspace({ QStringLiteral("org.ondevicehealth.screenshots"), data + QStringLiteral("/connections.json"),
        data + QStringLiteral("/locks"), ondevice::ui::systemBrowser() });
    RecordsHub records(workspace, data + QStringLiteral("/records.sqlite"));
    bool synced = false;
    QObject::connect(&records, &RecordsHub::syncSucceeded, &app, [&synced] { synced = true; });
    MainWindow window(workspace);
    window.setRecords(records);
    window.setDataDirectory(data);
    window.setSandboxPreset(sandbox);
    window.resize(1100, 700);
    window.show();
    workspace.start();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    bool ok = save(&window, shot("welcome"));

    ConnectDialog* dialog = window.openConnectDialog();
    if (!QTest::qWaitForWindowExposed(dialog))
        return 1;
    // Found by name: the demo directory, a search as the patient types it, the cards with their logos.
    BrandPicker* picker = dialog->brandPicker();
    if (auto* useDemo = dialog->findChild<QPushButton*>(QStringLiteral("useDemoDirectoryButton")))
        useDemo->click();
    if (!waitFor([picker] { return picker->isReady() && picker->cardCount() > 0; }))
        return 1;
    QTest::keyClicks(picker->searchField(), QStringLiteral("h"));
    waitFor([picker] {
        const QAbstractItemModel* cards = picker->cardList()->model();
        for (int row = 0; row < cards->rowCount(); ++row)
            if (cards->index(row, 0).data(Qt::DecorationRole).isNull())
                return false;
        return cards->rowCount() > 1 && cards->rowCount() < picker->cardCount() + 1
            && cards->index(0, 0).data().toString().startsWith(QLatin1Char('H'));
    });
    picker->cardList()->setCurrentIndex(picker->cardList()->model()->index(0, 0));
    ok = save(dialog, shot("connect-brand")) && ok;
    // The directories the patient added.
    if (auto* manage = dialog->findChild<QPushButton*>(QStringLiteral("manageDirectoriesButton"))) {
        manage->click();
        if (auto* directories = dialog->findChild<QDialog*>(QStringLiteral("directoriesDialog"))) {
            ok = QTest::qWaitForWindowExposed(directories) && ok;
            ok = save(directories, shot("directories")) && ok;
            directories->close();
        }
    }
    picker->searchField()->setText(QStringLiteral("sandbox labs"));
    if (!waitFor([picker] { return picker->cardCount() == 1; }))
        return 1;
    picker->cardList()->setCurrentIndex(picker->cardList()->model()->index(0, 0));
    dialog->checkServer();
    if (!waitFor([dialog] { return dialog->page() == ConnectDialog::Page::Review; }))
        return 1;
    ok = save(dialog, shot("connect")) && ok;
    dialog->signIn();
    if (!waitFor([&] { return !window.connectDialog() && !workspace.connectionIds().isEmpty(); }, 60000))
        return 1;
    const QString id = workspace.connectionIds().constFirst();
    // A refresh, so the timeline shows rotation too.
    workspace.refreshNow(id);
    waitFor([&] { return workspace.connection(id)->lastRefresh.isValid(); });
    window.selectConnection(id);
    ok = save(&window, shot("access")) && ok;

    // The records, once the first sync is done.
    if (!waitFor([&] { return synced && !records.isSyncing(); }, 120000))
        return 1;
    RecordsView* view = window.recordsView();
    auto show = [&](RecordCategory category) {
        window.categoryView()->setCurrentIndex(window.categoryModel()->indexOf(category));
        window.showRecords();
    };
    show(RecordCategory::Summary);
    waitFor([&] {
        return view->summary()->patientName() != SummaryView::tr("No records yet")
            && !view->summary()->patientName().isEmpty();
    });
    ok = save(&window, shot("summary")) && ok;

    show(RecordCategory::Conditions);
    waitFor([&] { return view->tableModel()->rowCount() > 0; });
    view->table()->setCurrentIndex(view->proxy()->index(0, 0));
    waitFor([&] { return !view->detail()->detailText().isEmpty(); });
    ok = save(&window, shot("conditions")) && ok;

    // A lab result with a reference range and a flag, in detail.
    show(RecordCategory::LabsVitals);
    view->filterEdit()->setText(QStringLiteral("glucose"));
    waitFor([&] { return view->proxy()->rowCount() > 0; });
    view->table()->setCurrentIndex(view->proxy()->index(0, 0));
    waitFor([&] { return view->detail()->detailText().contains(ResourceRenderer::tr("Reference range")); });
    ok = save(&window, shot("detail")) && ok;
    view->filterEdit()->clear();

    view->showChart(true);
    LabsChartView* chart = view->chart();
    waitFor([&] { return chart->codePicker()->count() > 0; });
    chart->selectCode(QStringLiteral("http://loinc.org|2339-0"));
    waitFor([&] { return chart->model().title().startsWith(QStringLiteral("Glucose")); });
    ok = save(&window, shot("labs-chart")) && ok;

    // What a server sent beyond the plan (the sandbox runs with everything-extra-types), in words.
    view->showChart(false);
    show(RecordCategory::Other);
    waitFor([&] { return view->tableModel()->rowCount() > 0; });
    view->table()->setCurrentIndex(view->proxy()->index(0, 0));
    waitFor([&] { return !view->detail()->detailText().isEmpty(); });
    ok = save(&window, shot("other-records")) && ok;
    show(RecordCategory::LabsVitals);
    view->showChart(true);

    // Dark mode: the palette a dark desktop theme hands the app (Fusion's colours for it). Nothing in the
    // window is told; every screen must follow the palette change by itself.
    QApplication::setPalette(darkPalette());
    view->showChart(false);
    show(RecordCategory::Summary);
    ok = save(&window, shot("summary-dark")) && ok;
    show(RecordCategory::LabsVitals);
    view->showChart(true);
    ok = save(&window, shot("labs-chart-dark")) && ok;
    QApplication::setPalette(QApplication::style()->standardPalette());

    ProtectionDialog protects(data, false, &window);
    protects.show();
    if (!QTest::qWaitForWindowExposed(&protects))
        return 1;
    ok = save(&protects, shot("protects")) && ok;

    // Leave nothing behind in the keyring of the session.
    bool forgotten = false;
    workspace.forget(id).then(&app, [&forgotten](const auto&) { forgotten = true; });
    waitFor([&] { return forgotten; });
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
    return ok ? 0 : 1;
}
