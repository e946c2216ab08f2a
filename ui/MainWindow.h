#pragma once

#include <QMainWindow>
#include <QUrl>

class QPushButton;
class QLabel;

namespace ondevice::ui {

// The window a patient lives in. Until a provider is connected it shows the
// welcome screen: what the app does, and that records stay on this device.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    // The local sandbox, offered first on the welcome screen (set by `./dev demo`).
    void setSandboxPreset(const QUrl& fhirBase);
    QUrl sandboxPreset() const { return m_sandboxPreset; }

Q_SIGNALS:
    void connectRequested(const QUrl& fhirBase);

private:
    QWidget* buildWelcome();

    QUrl m_sandboxPreset;
    QLabel* m_presetLabel = nullptr;
    QPushButton* m_connectButton = nullptr;
};

} // namespace ondevice::ui
