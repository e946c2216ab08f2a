#pragma once

#include <QMainWindow>
#include <QMessageBox>

#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <functional>

class QLabel;
class QListView;
class QMenu;
class QProgressBar;
class QToolButton;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTreeView;

namespace ondevice::services {
class RecordsHub;
class Workspace;
} // namespace ondevice::services

namespace ondevice::ui {

class BrandLogos;
class AccessPanel;
class CategoryModel;
class ConnectDialog;
class RecordsView;
class ConnectionListModel;
class MessageBar;

// The window a patient lives in. With no connection it shows the welcome
// screen; otherwise the connections on the left (with their status chips and
// the record categories), and on the right the records area (filled by the
// records layer) and the Access panel of the selected connection.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(services::Workspace& workspace, QWidget* parent = nullptr);

    // The local sandbox, offered first (set by `ondevice --sandbox URL`).
    void setSandboxPreset(const QUrl& fhirBase);
    QUrl sandboxPreset() const { return m_sandboxPreset; }
    // Where connections.json and records.sqlite live, for the protection page.
    void setDataDirectory(const QString& directory) { m_dataDirectory = directory; }

    bool showsWelcome() const;
    QString selectedConnection() const;
    void selectConnection(const QString& id);
    MessageBar* messageBar() const { return m_messages; }
    AccessPanel* accessPanel() const { return m_access; }
    // The records layer puts its views here.
    QWidget* recordsArea() const { return m_recordsArea; }
    // Fills the records area, the categories and the status bar's sync
    // indicators from `records` (composition: app/main.cpp, tests).
    void setRecords(services::RecordsHub& records);
    RecordsView* recordsView() const { return m_recordsView; }
    CategoryModel* categoryModel() const { return m_categoryModel; }
    QTreeView* categoryView() const { return m_categories; }
    void showRecords();
    ConnectDialog* connectDialog() const;

public Q_SLOTS:
    ConnectDialog* openConnectDialog();
    void reconnect(const QString& id);
    void refreshNow(const QString& id);
    void confirmSignOut(const QString& id);
    void confirmForget(const QString& id);
    void confirmDestructive(const QString& objectName, QMessageBox::Icon icon, const QString& question,
        const QString& details, const QString& confirmText, std::function<void()> onConfirm);
    void showProtection();
    // A second `ondevice` asked us to come forward.
    void raiseWindow();

private:
    QWidget* buildWelcome();
    QWidget* buildMain();
    void buildMenus();
    void updateView();
    void updateWarnings();
    void updateSyncStatus();
    void showActionMessage(
        int kind, const QString& text, const QString& actionText = {}, std::function<void()> action = {});

    services::Workspace& m_workspace;
    QUrl m_sandboxPreset;
    QString m_dataDirectory;
    MessageBar* m_messages = nullptr;
    bool m_actionMessageShown = false; // the outcome of something the user did wins over standing warnings
    QStackedWidget* m_stack = nullptr;
    QLabel* m_presetLabel = nullptr;
    QPushButton* m_connectButton = nullptr;
    ConnectionListModel* m_connections = nullptr;
    BrandLogos* m_logos = nullptr;
    QListView* m_connectionList = nullptr;
    QTreeView* m_categories = nullptr;
    QTabWidget* m_tabs = nullptr;
    QWidget* m_recordsArea = nullptr;
    AccessPanel* m_access = nullptr;
    QLabel* m_sessionLabel = nullptr;
    services::RecordsHub* m_records = nullptr;
    RecordsView* m_recordsView = nullptr;
    CategoryModel* m_categoryModel = nullptr;
    QLabel* m_syncLabel = nullptr;
    QProgressBar* m_syncProgress = nullptr;
    QToolButton* m_cancelSync = nullptr;
    QLabel* m_offlineLabel = nullptr;
    QMenu* m_recordsMenu = nullptr;
    QPointer<ConnectDialog> m_connectDialog;
    QTimer m_minuteTick;
};

} // namespace ondevice::ui
