// bench_ui: issue 7's two GUI figures, measured with the real widgets.
//
//   (a) longest GUI-thread stall during a 10,000-resource sync: a 5 ms QTimer
//       on the GUI thread records the longest gap between its ticks while the
//       window syncs from the sandbox (target <= 50 ms);
//   (b) start-up to the first record shown (the Labs & Vitals table's first
//       page painted, and the Summary filled) with 10,000 cached records vs
//       an empty store, the provider unreachable in both so only the local
//       read counts (target: ratio <= 1.3).
//
//   bench_ui [--resources N] [--runs N] [--json-out FILE]
//
// Needs a Secret Service session (./dev bench runs it in a private one).

#include "BrowserHook.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/CategoryModel.h"
#include "ui/ConnectDialog.h"
#include "ui/MainWindow.h"
#include "ui/RecordTableModel.h"
#include "ui/RecordsView.h"
#include "ui/SummaryView.h"
#include "ui/SystemBrowser.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDesktopServices>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <algorithm>
#include <cstdio>

using namespace ondevice::testing;
using namespace ondevice::services;
using namespace ondevice::ui;

class UrlHandler : public QObject {
    Q_OBJECT

public:
    BrowserHook browser;

public Q_SLOTS:
    void open(const QUrl& url) { browser.open(url); }
};

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QTest::qWait(1);
    return done();
}

// The longest gap between ticks of a 5 ms timer: how long the GUI thread was busy.
class Watchdog : public QObject {
public:
    Watchdog()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_longest = std::max(m_longest, now - m_last);
            m_last = now;
            ++m_ticks;
        });
    }
    void start()
    {
        m_longest = 0;
        m_ticks = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double longestMs() const { return static_cast<double>(m_longest) / 1e6; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
    int m_ticks = 0;
};

struct App {
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<RecordsHub> records;
    std::unique_ptr<MainWindow> window;
};

App makeApp(const QString& service, const QString& data, const QString& recordsPath)
{
    App app;
    app.workspace = std::make_unique<Workspace>(WorkspaceOptions { service, data + QStringLiteral("/connections.json"),
        data + QStringLiteral("/locks"), ondevice::ui::systemBrowser() });
    app.records = std::make_unique<RecordsHub>(*app.workspace, recordsPath);
    app.window = std::make_unique<MainWindow>(*app.workspace);
    app.window->setRecords(*app.records);
    app.window->resize(1100, 700);
    return app;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("ONDEVICE_SANDBOX_EXE"))
        qputenv("ONDEVICE_SANDBOX_EXE", ONDEVICE_SANDBOX_DEFAULT);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("OnDeviceHealth"));
    QApplication::setApplicationName(QStringLiteral("bench_ui"));
    QCommandLineParser parser;
    const QCommandLineOption resourcesOption(QStringLiteral("resources"), QStringLiteral("Resources of the patient."),
        QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Start-ups measured per store (the median is reported)."), QStringLiteral("n"),
        QStringLiteral("15"));
    const QCommandLineOption jsonOut(
        QStringLiteral("json-out"), QStringLiteral("Also write the JSON here."), QStringLiteral("file"));
    parser.addOptions({ resourcesOption, runsOption, jsonOut });
    parser.addHelpOption();
    parser.process(app);
    const int resources = parser.value(resourcesOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());

    QTemporaryDir home;
    if (const QString problem = usePrivateHome(home.isValid() ? home.path() : QString()); !problem.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(problem));
        return 1;
    }
    enterTestMode();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    const QString service = uniqueKeychainService(QStringLiteral("bench_ui"));
    QJsonObject out;
    auto fail = [&](const QString& why) {
        out.insert(QStringLiteral("error"), why);
        std::fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        return 1;
    };

    SandboxProcess sandbox;
    if (const QString error = sandbox.start(
            { QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--patients"),
                QStringLiteral("1"), QStringLiteral("--resources-per-patient"), QString::number(resources) },
            60000);
        !error.isEmpty())
        return fail(error);
    UrlHandler handler;
    QDesktopServices::setUrlHandler(QStringLiteral("http"), &handler, "open");

    // (a) Connect, then the first sync runs by itself; the watchdog runs from
    // the moment the connection exists until the sync has finished.
    const QString cached = data + QStringLiteral("/records.sqlite");
    QString id;
    {
        App a = makeApp(service, data, cached);
        a.window->setSandboxPreset(sandbox.fhirBase());
        a.window->show();
        a.workspace->start();
        if (!QTest::qWaitForWindowExposed(a.window.get()))
            return fail(QStringLiteral("the window was not shown"));
        ConnectDialog* dialog = a.window->openConnectDialog();
        dialog->checkServer();
        if (!waitFor([dialog] { return dialog->page() == ConnectDialog::Page::Review; }, 30000))
            return fail(QStringLiteral("discovery did not finish"));
        Watchdog watchdog;
        bool finished = false;
        qint64 stored = 0;
        QObject::connect(a.records.get(), &RecordsHub::syncSucceeded, &app, [&](const QString&, qint64 n) {
            finished = true;
            stored = n;
        });
        QObject::connect(a.records.get(), &RecordsHub::syncFailed, &app, [&](const QString&, const QString& message) {
            std::fprintf(stderr, "sync failed: %s\n", qPrintable(message));
            finished = true;
        });
        // The Labs & Vitals table is what a user watches fill during a sync.
        a.window->categoryView()->setCurrentIndex(a.window->categoryModel()->indexOf(RecordCategory::LabsVitals));
        QElapsedTimer syncClock;
        QObject::connect(a.workspace.get(), &Workspace::connectionsChanged, &app, [&] {
            if (!a.workspace->connectionIds().isEmpty() && syncClock.isValid() == false) {
                watchdog.start();
                syncClock.start();
            }
        });
        dialog->signIn();
        if (!waitFor([&] { return finished; }, 600000))
            return fail(QStringLiteral("the sync did not finish"));
        watchdog.stop();
        id = a.workspace->connectionIds().value(0);
        out.insert(QStringLiteral("longest_stall_ms"), std::round(watchdog.longestMs() * 10) / 10);
        out.insert(QStringLiteral("watchdog_ticks"), watchdog.ticks());
        out.insert(QStringLiteral("sync_resources"), stored);
        out.insert(QStringLiteral("sync_ms"), syncClock.elapsed());
        waitFor([&] { return !a.records->isSyncing(); }, 10000);
    }

    // (b) Start-up to the first record shown. The provider is unreachable, so
    // neither start-up refreshes or syncs: what is measured is the local read.
    httpRequest("PUT", QUrl(sandbox.adminBase().toString() + QStringLiteral("/faults")), "token-down=1");
    const QString empty = data + QStringLiteral("/empty.sqlite");
    auto startUp = [&](const QString& recordsPath, bool summary) -> double {
        QElapsedTimer clock;
        clock.start();
        App a = makeApp(service, data, recordsPath);
        if (!summary)
            a.window->categoryView()->setCurrentIndex(a.window->categoryModel()->indexOf(RecordCategory::LabsVitals));
        a.window->show();
        a.workspace->start();
        bool shown = false;
        RecordsView* view = a.window->recordsView();
        if (summary)
            QObject::connect(view->summary(), &SummaryView::refreshed, &app, [&] {
                if (!a.records->sources().isEmpty())
                    shown = true;
            });
        else
            QObject::connect(view->tableModel(), &RecordTableModel::pageLoaded, &app, [&] {
                if (!a.records->sources().isEmpty())
                    shown = true;
            });
        if (!waitFor([&] { return shown; }, 60000))
            return -1;
        // Painted, not only loaded.
        a.window->repaint();
        const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        return ms;
    };
    for (const bool summary : { false, true }) {
        QList<double> full, none;
        for (int i = 0; i < runs; ++i) {
            full << startUp(cached, summary);
            none << startUp(empty, summary);
        }
        const QString prefix = summary ? QStringLiteral("summary_") : QString();
        out.insert(prefix + QStringLiteral("startup_cached_ms"), std::round(median(full) * 10) / 10);
        out.insert(prefix + QStringLiteral("startup_empty_ms"), std::round(median(none) * 10) / 10);
        out.insert(prefix + QStringLiteral("startup_ratio"),
            median(none) > 0 ? std::round(median(full) / median(none) * 100) / 100 : 0);
    }
    out.insert(QStringLiteral("resources"), resources);
    out.insert(QStringLiteral("runs"), runs);

    // Leave nothing in the keyring of the session.
    {
        httpRequest("PUT", QUrl(sandbox.adminBase().toString() + QStringLiteral("/faults")), "none");
        App a = makeApp(service, data, cached);
        a.workspace->start();
        bool forgotten = false;
        a.workspace->forget(id).then(&app, [&forgotten](const auto&) { forgotten = true; });
        waitFor([&] { return forgotten; }, 30000);
    }
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    std::fprintf(stdout, "%s\n", json.constData());
    if (parser.isSet(jsonOut)) {
        QFile file(parser.value(jsonOut));
        if (file.open(QIODevice::WriteOnly))
            file.write(json + '\n');
    }
    return 0;
}

#include "bench_ui.moc"
