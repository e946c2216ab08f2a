// The records half of the window against the real sandbox and the real
// keychain (./dev test's private gnome-keyring): connect and sync fills the
// tables, a restart shows the stored records with no browser and no network,
// the chart model holds known values, resource text shows literally, Sign out
// keeps the records and Forget deletes them.

#include "BrowserHook.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/AccessPanel.h"
#include "ui/CategoryModel.h"
#include "ui/ConnectDialog.h"
#include "ui/ConnectionListModel.h"
#include "ui/LabsChartView.h"
#include "ui/MainWindow.h"
#include "ui/MessageBar.h"
#include "ui/RecordDetailView.h"
#include "ui/RecordTableModel.h"
#include "ui/RecordsView.h"
#include "ui/SummaryView.h"
#include "ui/SystemBrowser.h"

#include "fhir/store/ResourceStore.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDesktopServices>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace ondevice::auth;
using namespace ondevice::fhir;
using namespace ondevice::testing;
using namespace ondevice::services;
using namespace ondevice::ui;

namespace {

const QString kTestCode = QStringLiteral("http://loinc.org|99999-9");

QJsonObject observation(const QString& patient, const QString& when, double value, const QString& note = {})
{
    QJsonObject o {
        { "resourceType", "Observation" },
        { "status", "final" },
        { "category",
            QJsonArray { QJsonObject { { "coding",
                QJsonArray { QJsonObject { { "system", "http://terminology.hl7.org/CodeSystem/observation-category" },
                    { "code", "laboratory" } } } } } } },
        { "code",
            QJsonObject { { "coding",
                QJsonArray { QJsonObject {
                    { "system", "http://loinc.org" }, { "code", "99999-9" }, { "display", "Test analyte" } } } } } },
        { "subject", QJsonObject { { "reference", QString("Patient/" + patient) } } },
        { "effectiveDateTime", when },
        { "valueQuantity", QJsonObject { { "value", value }, { "unit", "mg/dL" } } },
        { "referenceRange",
            QJsonArray { QJsonObject { { "low", QJsonObject { { "value", 1.0 }, { "unit", "mg/dL" } } },
                { "high", QJsonObject { { "value", 3.0 }, { "unit", "mg/dL" } } } } } },
    };
    if (!note.isEmpty())
        o.insert("note", QJsonArray { QJsonObject { { "text", note } } });
    return o;
}

} // namespace

class tst_RecordsWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_service;
    BrowserHook m_handler; // stands where the system browser would
    SandboxProcess m_sandbox;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RecordsHub> m_records;
    std::unique_ptr<MainWindow> m_window;
    QString m_id;
    int m_succeeded = 0;
    int m_failed = 0;
    bool m_sawSyncingChip = false;

    QString dataDir() const { return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation); }
    QString recordsPath() const { return dataDir() + "/records.sqlite"; }

    void openApp()
    {
        m_window.reset();
        m_records.reset();
        m_workspace.reset();
        m_succeeded = m_failed = 0;
        m_workspace = std::make_unique<Workspace>(WorkspaceOptions {
            m_service, dataDir() + "/connections.json", dataDir() + "/locks", ondevice::ui::systemBrowser() });
        m_records = std::make_unique<RecordsHub>(*m_workspace, recordsPath());
        connect(m_records.get(), &RecordsHub::syncSucceeded, this, [this] { ++m_succeeded; });
        connect(m_records.get(), &RecordsHub::syncFailed, this, [this] { ++m_failed; });
        connect(m_workspace.get(), &Workspace::connectionChanged, this,
            [this](const QString& id) { m_sawSyncingChip = m_sawSyncingChip || m_workspace->isSyncing(id); });
        m_window = std::make_unique<MainWindow>(*m_workspace);
        m_window->setRecords(*m_records);
        m_window->setSandboxPreset(m_sandbox.fhirBase());
        m_window->show();
        m_workspace->start();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    RecordsView* view() const { return m_window->recordsView(); }

    void showCategory(RecordCategory category)
    {
        m_window->categoryView()->setCurrentIndex(m_window->categoryModel()->indexOf(category));
        QCOMPARE(view()->category(), category);
    }

    // Reads every page the way a view scrolling to the end does.
    void loadAll(RecordTableModel* model)
    {
        QTRY_VERIFY(!model->isLoading());
        while (model->canFetchMore({})) {
            model->fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 15000);
        }
    }

    std::unique_ptr<ResourceStore> openStore()
    {
        const auto key = await(SecretStore(m_service).read(m_id + "/data-key"));
        if (!key || !key->ok())
            return nullptr;
        auto store = ResourceStore::open(recordsPath(), m_id, key->value());
        return store ? std::move(store).value() : nullptr;
    }

    qint64 stored(const QStringList& types)
    {
        auto store = openStore();
        if (!store)
            return -1;
        qint64 sum = 0;
        for (const QString& t : types)
            sum += store->count(t).value();
        return sum;
    }

    void syncNowAndWait()
    {
        const int before = m_succeeded;
        m_window->findChild<QAction*>("syncNowAction")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_succeeded > before, 60000);
        QTRY_VERIFY(!m_records->isSyncing());
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = usePrivateHome(m_home.isValid() ? m_home.path() : QString());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        enterTestMode();
        m_service = uniqueKeychainService(QStringLiteral("tst_RecordsWindow"));
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_handler, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_handler, "open");
        QVERIFY(m_sandbox.start({ "--auto-approve", "first", "--resources-per-patient", "600" }).isEmpty());
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        m_window.reset();
        m_records.reset();
        m_workspace.reset();
    }

    void connectAndSyncShowsRecords()
    {
        openApp();
        QVERIFY(view()->showsPlaceholder());
        ConnectDialog* dialog = m_window->openConnectDialog();
        dialog->checkServer();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        dialog->signIn();
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->connectionIds().size() == 1, 60000);
        m_id = m_workspace->connectionIds().constFirst();
        // The first sync starts by itself, shows on the chip, and ends.
        QTRY_VERIFY_WITH_TIMEOUT(m_succeeded == 1, 60000);
        QVERIFY(m_sawSyncingChip);
        QCOMPARE(m_failed, 0);
        QTRY_COMPARE(m_window->findChild<QListView*>("connectionList")
                         ->model()
                         ->index(0, 0)
                         .data(ConnectionListModel::StatusTextRole)
                         .toString(),
            QStringLiteral("Up to date"));
        QVERIFY(!view()->showsPlaceholder());
        // The list and the Access panel (on screen after a connect) name the patient as soon as the first sync
        // brought their record; before, they said "Patient <id>" until a restart or a visit to the Summary.
        QVERIFY(m_window->accessPanel()->isVisible());
        const QString name = httpRequest("GET", QUrl(m_sandbox.adminBase().toString() + "/patients"))
                                 .json()
                                 .value("patients")
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value("name")
                                 .toString();
        QVERIFY(!name.isEmpty());
        auto* list = m_window->findChild<QListView*>("connectionList");
        const QModelIndex listed = list->model()->index(0, 0);
        QTRY_COMPARE(listed.data(ConnectionListModel::PatientRole).toString(), name);
        QVERIFY(listed.data(Qt::AccessibleTextRole).toString().contains(name));
        // The provider is shown by the brand the server names as its own (its User Access Brands bundle), not
        // by its host.
        QTRY_COMPARE(listed.data(Qt::DisplayRole).toString(), QStringLiteral("Sandbox Labs"));
        QTRY_COMPARE(m_window->accessPanel()->findChild<QLabel*>("accessTitle")->text(),
            QStringLiteral("Sandbox Labs — ") + name);

        // Each category's count and table match the store.
        const QList<RecordCategory> checked { RecordCategory::Conditions, RecordCategory::Medications,
            RecordCategory::Immunizations, RecordCategory::Encounters, RecordCategory::CarePlans };
        for (RecordCategory category : checked) {
            const qint64 expected = stored(RecordCategories::types(category));
            QVERIFY2(expected > 0, qPrintable(RecordCategories::title(category)));
            QTRY_COMPARE(m_window->categoryModel()->count(category), expected);
            showCategory(category);
            loadAll(view()->tableModel());
            QCOMPARE(view()->tableModel()->rowCount(), static_cast<int>(expected));
        }
        // The source is on each row.
        QTRY_COMPARE(view()->tableModel()->index(0, view()->tableModel()->columnCount() - 1).data().toString(),
            QStringLiteral("Sandbox Labs"));

        // The patient record replaced by one shaped as Synthea writes it (a Synthea id, the hospital's MRN, a
        // social security number, a driver's licence, a passport), then synced.
        const auto typed = [](const char* code, const char* display, const char* system, const char* value) {
            return QJsonObject {
                { "type",
                    QJsonObject {
                        { "coding",
                            QJsonArray { QJsonObject { { "system", "http://terminology.hl7.org/CodeSystem/v2-0203" },
                                { "code", code }, { "display", display } } } },
                        { "text", display } } },
                { "system", system }, { "value", value }
            };
        };
        const QJsonObject synthea { { "resourceType", "Patient" }, { "id", m_workspace->connection(m_id)->patientId },
            { "identifier",
                QJsonArray { QJsonObject { { "system", "https://github.com/synthetichealth/synthea" },
                                 { "value", "5f0c1a4e-73b2-4d4c-9c1e-2b1d0c5e8a17" } },
                    typed("MR", "Medical Record Number", "http://hospital.smarthealthit.org",
                        "5f0c1a4e-73b2-4d4c-9c1e-2b1d0c5e8a17"),
                    typed("SS", "Social Security Number", "http://hl7.org/fhir/sid/us-ssn", "999-41-8616"),
                    typed("DL", "Driver's license number", "urn:oid:2.16.840.1.113883.4.3.25", "S99931047"),
                    typed("PPN", "Passport Number",
                        "http://standardhealthrecord.org/fhir/StructureDefinition/passportNumber", "X27349581X") } },
            { "name",
                QJsonArray { QJsonObject { { "use", "official" }, { "family", "Quintero" },
                    { "given", QJsonArray { "Rosa" } }, { "prefix", QJsonArray { "Mrs." } } } } },
            { "gender", "female" }, { "birthDate", "1961-04-09" } };
        const HttpAnswer replaced = httpRequest("POST",
            QUrl(m_sandbox.adminBase().toString() + "/patients/" + synthea.value("id").toString() + "/resources"),
            QJsonDocument(synthea).toJson(QJsonDocument::Compact), { { "Content-Type", "application/fhir+json" } });
        QVERIFY2(replaced.status / 100 == 2, replaced.body.constData());
        syncNowAndWait();

        // The summary: banner and lists.
        showCategory(RecordCategory::Summary);
        QTRY_VERIFY(
            !view()->summary()->patientName().isEmpty() && view()->summary()->patientName() != "No records yet");
        QTRY_VERIFY(view()->summary()->list("latestVitals")->topLevelItemCount() > 1);
        QVERIFY(view()->summary()->findChild<QLabel*>("patientFacts")->text().contains("Born"));
        // A patient-safe banner: the record number shows; the social security and licence numbers (which the
        // sandbox's patients carry, as Synthea's do) do not, until asked, and then only masked.
        SummaryView* summary = view()->summary();
        QTRY_COMPARE(view()->summary()->patientName(), QStringLiteral("Mrs. Rosa Quintero"));
        QVERIFY(summary->findChild<QLabel*>("patientIdentifiers")
                    ->text()
                    .startsWith("MRN 5f0c1a4e-73b2-4d4c-9c1e-2b1d0c5e8a17"));
        auto* others = summary->findChild<QLabel*>("otherIdentifiers");
        auto* showOthers = summary->findChild<QPushButton*>("showIdentifiers");
        QVERIFY(others && showOthers);
        QVERIFY(!others->isVisible());
        QVERIFY(showOthers->isVisible());
        const QRegularExpression fullSsn(QStringLiteral("999-\\d\\d-\\d{4}"));
        for (const QLabel* label : summary->findChildren<QLabel*>())
            if (label->isVisible())
                QVERIFY2(!label->text().contains(fullSsn), qPrintable(label->text()));
        showOthers->click();
        QTRY_VERIFY(others->isVisible());
        QVERIFY2(others->text().contains(QRegularExpression(QStringLiteral("\\*\\*\\*-\\*\\*-\\d{4}"))),
            qPrintable(others->text()));
        QVERIFY(!others->text().contains(fullSsn));
        // The licence and passport numbers too: only their last four characters.
        QVERIFY2(others->text().contains("1047") && !others->text().contains("S99931047")
                && !others->text().contains("X27349581X"),
            qPrintable(others->text()));
        QCOMPARE(showOthers->text(), QStringLiteral("Show other identifiers (4)"));
        showOthers->click();
        QTRY_VERIFY(!others->isVisible());
        // The connection list names the patient as the records do (not "Patient <id>").
        const QModelIndex row = m_window->findChild<QListView*>("connectionList")->model()->index(0, 0);
        QTRY_COMPARE(row.data(ConnectionListModel::PatientRole).toString(), view()->summary()->patientName());
        QVERIFY(row.data(Qt::AccessibleTextRole).toString().contains(view()->summary()->patientName()));
    }

    void tableModelPages()
    {
        showCategory(RecordCategory::LabsVitals);
        RecordTableModel* model = view()->tableModel();
        QTRY_VERIFY(!model->isLoading() && model->rowCount() > 0);
        // A first page, not the store (about 300 Observations here); then a page at a time.
        QCOMPARE(model->rowCount(), RecordTableModel::FirstPageSize);
        QVERIFY(model->canFetchMore({}));
        model->fetchMore({});
        QTRY_COMPARE(model->rowCount(), RecordTableModel::FirstPageSize + RecordTableModel::PageSize);
        // Newest first across types: dates never go up.
        for (int i = 1; i < model->rowCount(); ++i)
            QVERIFY(!(model->row(i)->sortDate > model->row(i - 1)->sortDate));

        // Text filter on what is shown; date range re-queries the store.
        view()->filterEdit()->setText(QStringLiteral("glucose"));
        QTRY_VERIFY(view()->proxy()->rowCount() > 0);
        for (int i = 0; i < view()->proxy()->rowCount(); ++i)
            QVERIFY(view()->proxy()->index(i, 0).data().toString().contains("Glucose", Qt::CaseInsensitive));
        view()->filterEdit()->clear();
        view()->setDateRange(QDate(1900, 1, 1), QDate(1900, 12, 31));
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(model->rowCount(), 0);
        view()->setDateRange({}, {});
        QTRY_COMPARE(model->rowCount(), RecordTableModel::FirstPageSize);
    }

    void chartModelHoldsKnownPoints()
    {
        const QString patient = m_workspace->connection(m_id)->patientId;
        const QJsonObject bundle { { "resourceType", "Bundle" }, { "type", "transaction" },
            { "entry",
                QJsonArray {
                    QJsonObject { { "resource", observation(patient, "2020-01-15T10:00:00Z", 1.5) } },
                    QJsonObject { { "resource", observation(patient, "2020-02-15T10:00:00Z", 2.5) } },
                    QJsonObject { { "resource",
                        observation(
                            patient, "2020-03-15T10:00:00Z", 3.5, "<script>alert(1)</script> <b>not bold</b>") } },
                } } };
        const HttpAnswer posted
            = httpRequest("POST", QUrl(m_sandbox.adminBase().toString() + "/patients/" + patient + "/resources"),
                QJsonDocument(bundle).toJson(QJsonDocument::Compact), { { "Content-Type", "application/fhir+json" } });
        QVERIFY2(posted.status / 100 == 2, posted.body.constData());
        syncNowAndWait();

        showCategory(RecordCategory::LabsVitals);
        view()->showChart(true);
        LabsChartView* chart = view()->chart();
        QTRY_VERIFY(chart->codePicker()->findData(kTestCode) >= 0);
        chart->selectCode(kTestCode);
        QTRY_COMPARE_WITH_TIMEOUT(chart->model().title(), QStringLiteral("Test analyte"), 10000);
        const ChartModel& model = chart->model();
        QCOMPARE(model.unit(), QStringLiteral("mg/dL"));
        QCOMPARE(model.series().size(), 1);
        const QList<QPointF> points = model.series().constFirst().points;
        QCOMPARE(points.size(), 3);
        const double jan
            = static_cast<double>(QDateTime(QDate(2020, 1, 15), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(points.at(0), QPointF(jan, 1.5));
        QCOMPARE(points.at(1).y(), 2.5);
        QCOMPARE(points.at(2).y(), 3.5);
        QVERIFY(model.band().has_value());
        QCOMPARE(model.band()->low,
            (QList<QPointF> { { points.at(0).x(), 1 }, { points.at(1).x(), 1 }, { points.at(2).x(), 1 } }));
        QCOMPARE(model.band()->high.at(2), QPointF(points.at(2).x(), 3));

        // Blood pressure: two series from the panel's components.
        chart->selectCode(QStringLiteral("http://loinc.org|85354-9"));
        QTRY_COMPARE(chart->model().title(), QStringLiteral("Blood pressure"));
        QCOMPARE(chart->model().series().size(), 2);
        QCOMPARE(chart->model().series().at(0).name, QStringLiteral("Systolic"));
        QCOMPARE(chart->model().series().at(1).name, QStringLiteral("Diastolic"));
        QVERIFY(!chart->model().series().at(0).points.isEmpty());
        QCOMPARE(chart->model().series().at(0).points.size(), chart->model().series().at(1).points.size());
        QCOMPARE(chart->model().unit(), QStringLiteral("mmHg"));
        view()->showChart(false);
    }

    void detailShowsResourceTextLiterally()
    {
        showCategory(RecordCategory::LabsVitals);
        view()->filterEdit()->setText(QStringLiteral("Test analyte"));
        QTRY_COMPARE_WITH_TIMEOUT(view()->proxy()->rowCount(), 3, 15000);
        view()->table()->sortByColumn(RecordCategories::dateColumn(RecordCategory::LabsVitals), Qt::DescendingOrder);
        QTRY_COMPARE_WITH_TIMEOUT(view()->proxy()->rowCount(), 3, 15000);
        view()->table()->setCurrentIndex(view()->proxy()->index(0, 0));
        RecordDetailView* detail = view()->detail();
        QTRY_VERIFY(detail->detailText().contains("Test analyte"));
        QVERIFY(detail->detailText().contains("<script>alert(1)</script> <b>not bold</b>"));
        QVERIFY(detail->detailText().contains("3.5 mg/dL"));
        QVERIFY(detail->detailText().contains(QString::fromUtf8("1–3 mg/dL")));
        bool found = false;
        for (const QLabel* label : detail->findChildren<QLabel*>()) {
            QVERIFY(label->textFormat() == Qt::PlainText);
            found = found || label->text() == "<script>alert(1)</script> <b>not bold</b>";
        }
        QVERIFY(found);
        QVERIFY(detail->rawView()->toPlainText().contains("\"effectiveDateTime\": \"2020-03-15T10:00:00Z\""));
        view()->filterEdit()->clear();
    }

    // Types a server sends beyond the plan (the launcher's Claims and ExplanationOfBenefits, with the
    // Organization and Practitioner they name) are listed under "Other records", named in words.
    void otherRecordsListTypesOutsideThePlan()
    {
        // Devices and coverage, which no other category lists, are here from the first sync.
        const qint64 before = stored({ "Device", "Coverage" });
        QVERIFY(before > 0);
        QTRY_COMPARE(m_window->categoryModel()->count(RecordCategory::Other), before);
        QCOMPARE(httpRequest("PUT", QUrl(m_sandbox.adminBase().toString() + "/quirks"),
                     "everything-extra-types,outcome-entries")
                     .status,
            200);
        syncNowAndWait();
        // What the server said with its results is a note in the connection's protocol timeline, not a record.
        bool noted = false;
        for (const TimelineEvent& e : m_workspace->timeline(m_id))
            noted = noted
                || (e.step == QLatin1String("sync")
                    && e.outcome.contains(QStringLiteral("Some results may not be available")));
        QVERIFY(noted);
        QCOMPARE(stored({ "Claim", "ExplanationOfBenefit", "Organization", "Practitioner" }), 3 + 3 + 1 + 1);
        const qint64 expected = before + 8;
        QCOMPARE(stored(RecordCategories::types(RecordCategory::Other)), expected);
        QTRY_COMPARE(m_window->categoryModel()->count(RecordCategory::Other), expected);
        showCategory(RecordCategory::Other);
        loadAll(view()->tableModel());
        QCOMPARE(view()->tableModel()->rowCount(), static_cast<int>(expected));
        QStringList kinds;
        for (int row = 0; row < view()->tableModel()->rowCount(); ++row)
            kinds << view()->tableModel()->index(row, 1).data().toString();
        QCOMPARE(kinds.count(QStringLiteral("Insurance claim")), 3);
        QCOMPARE(kinds.count(QStringLiteral("Explanation of benefit")), 3);
        QVERIFY(kinds.contains(QStringLiteral("Clinician")));
        QCOMPARE(httpRequest("PUT", QUrl(m_sandbox.adminBase().toString() + "/quirks"), "none").status, 200);
    }

    void accessibleNamesPresent()
    {
        for (const QAbstractButton* b : m_window->findChildren<QAbstractButton*>())
            if (b->focusPolicy() & Qt::TabFocus)
                QVERIFY2(!b->accessibleName().isEmpty(), qPrintable(b->objectName() + " " + b->text()));
        for (const char* name : { "recordTable", "recordFilter", "dateFrom", "dateTo", "categoryList", "chartCode",
                 "rawJson", "syncProgress", "activeProblems", "latestVitals", "recordDetail" }) {
            const QWidget* w = m_window->findChild<QWidget*>(QString::fromLatin1(name));
            QVERIFY2(w, name);
            QVERIFY2(!w->accessibleName().isEmpty(), name);
        }
        // Ctrl+F reaches the filter.
        QVERIFY(m_window->findChild<QAction*>("findAction")->shortcut() == QKeySequence(QKeySequence::Find));
        m_window->findChild<QAction*>("findAction")->trigger();
        QVERIFY(view()->category() != RecordCategory::Summary);
    }

    void restartShowsStoredRecordsWithoutNetwork()
    {
        const qint64 conditions = stored({ "Condition" });
        const int browserCalls = m_handler.calls();
        // The provider cannot be reached: no refresh, no sync.
        QCOMPARE(httpRequest("PUT", QUrl(m_sandbox.adminBase().toString() + "/faults"), "token-down=1").status, 200);
        openApp();
        showCategory(RecordCategory::Conditions);
        QTRY_COMPARE_WITH_TIMEOUT(view()->tableModel()->rowCount(),
            static_cast<int>(std::min<qint64>(conditions, RecordTableModel::FirstPageSize)), 15000);
        QCOMPARE(m_succeeded, 0);
        QTRY_COMPARE(m_window->categoryModel()->count(RecordCategory::Conditions), conditions);
        QCOMPARE(m_handler.calls(), browserCalls);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QLabel*>("offlineIndicator")->isVisible(), 20000);
        QCOMPARE(m_succeeded, 0);

        // The provider is back: Sync now works without a browser.
        QCOMPARE(httpRequest("PUT", QUrl(m_sandbox.adminBase().toString() + "/faults"), "none").status, 200);
        syncNowAndWait();
        QCOMPARE(m_handler.calls(), browserCalls);
    }

    void signOutKeepsRecords()
    {
        const qint64 conditions = stored({ "Condition" });
        m_window->confirmSignOut(m_id);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>("signOutConfirm")));
        box->findChild<QPushButton*>("confirmButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_workspace->connection(m_id)->state == ConnectionState::SignedOut, true, 15000);
        showCategory(RecordCategory::Conditions);
        QTRY_VERIFY(!view()->tableModel()->isLoading());
        QCOMPARE(view()->tableModel()->rowCount(),
            static_cast<int>(std::min<qint64>(conditions, RecordTableModel::FirstPageSize)));
        QCOMPARE(stored({ "Condition" }), conditions);
        // Sync now says what to do instead of failing silently.
        m_window->findChild<QAction*>("syncNowAction")->trigger();
        QVERIFY(!m_records->isSyncing());
    }

    void forgetDeletesRecords()
    {
        m_window->confirmForget(m_id);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>("forgetConfirm")));
        box->findChild<QPushButton*>("confirmButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->connectionIds().isEmpty(), 15000);
        QTRY_VERIFY(view()->showsPlaceholder());
        QTRY_COMPARE(m_window->categoryModel()->count(RecordCategory::Conditions), -1);
        // The rows are gone from the file (counted without the key: none left
        // for this connection under any key).
        QTRY_VERIFY_WITH_TIMEOUT(
            [this] {
                auto store = ResourceStore::open(recordsPath(), m_id, QByteArray(32, 'k'));
                return store && store.value()->count("Condition").value() == 0
                    && store.value()->count("Observation").value() == 0;
            }(),
            15000);
    }

    // No usable keychain: the patient chose "this session only". The records still sync and show, kept in a
    // temporary file of their own (encrypted under keys held in memory) that is gone when the app closes;
    // records.sqlite is not touched.
    void sessionOnlyKeepsRecordsUntilTheAppCloses()
    {
        openApp();
        QFile file(recordsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();
        // What a crashed temporary session left behind goes when the next one starts; the file of a process
        // that still runs (another profile's window) stays.
        const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
        QProcess gone;
        gone.start("true", QStringList());
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished());
        QVERIFY(deadPid > 0);
        QFile stale(runtime + QStringLiteral("/ondevice-session-%1-0badc0de.sqlite").arg(deadPid));
        QFile live(runtime + QStringLiteral("/ondevice-session-1-0badc0de.sqlite")); // pid 1 always runs
        for (QFile* f : { &stale, &live }) {
            QVERIFY(f->open(QIODevice::WriteOnly));
            f->write("sealed pages");
            f->close();
        }
        m_workspace->continueSessionOnly();
        QVERIFY(!stale.exists());
        QVERIFY(live.exists());
        live.remove();
        QVERIFY(m_workspace->isSessionOnly());
        const QString session = m_records->databasePath();
        QVERIFY(session != recordsPath());

        ConnectDialog* dialog = m_window->openConnectDialog();
        dialog->checkServer();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->page() == ConnectDialog::Page::Review, 15000);
        dialog->signIn();
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->connectionIds().size() == 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_succeeded == 1, 60000);
        QVERIFY(QFile::exists(session));
        QTRY_VERIFY(m_window->categoryModel()->count(RecordCategory::Conditions) > 0);
        showCategory(RecordCategory::Conditions);
        QTRY_VERIFY(view()->tableModel()->rowCount() > 0);

        m_window.reset();
        m_records.reset();
        m_workspace.reset();
        for (const char* suffix : { "", "-wal", "-shm" })
            QVERIFY2(!QFile::exists(session + QLatin1String(suffix)), suffix);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == before);
    }
};

QTEST_MAIN(tst_RecordsWindow)
#include "tst_RecordsWindow.moc"
