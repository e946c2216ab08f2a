#pragma once

#include "BrowserHook.h"
#include "SandboxProcess.h"

#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/MainWindow.h"
#include "ui/RecordCategory.h"

#include <QTemporaryDir>

#include <memory>

namespace ondevice::testing {

// The app's main window as a patient has it after connecting once: a sandbox started with `resources` records
// per patient, a real connection through the sandbox's sign-in (the browser leg hooked), and the first sync done.
// For the widget tests that look at every view with records loaded.
class ConnectedWindow {
public:
    ConnectedWindow();
    ~ConnectedWindow();
    ConnectedWindow(const ConnectedWindow&) = delete;
    ConnectedWindow& operator=(const ConnectedWindow&) = delete;

    // Opens the window at the size it chooses for itself (not connected yet: the welcome page); empty, or why not.
    QString open(const QString& testName, int resources);
    // Connects and waits for the first sync; empty, or why not.
    QString connectAndSync();

    ui::MainWindow& window() { return *m_window; }
    services::Workspace& workspace() { return *m_workspace; }
    services::RecordsHub& records() { return *m_records; }
    SandboxProcess& sandbox() { return m_sandbox; }
    void showCategory(ui::RecordCategory category);

private:
    QTemporaryDir m_home;
    BrowserHook m_handler;
    SandboxProcess m_sandbox;
    std::unique_ptr<services::Workspace> m_workspace;
    std::unique_ptr<services::RecordsHub> m_records;
    std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace ondevice::testing
