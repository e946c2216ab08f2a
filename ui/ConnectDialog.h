#pragma once

#include "ProviderPresets.h"

#include "auth/ConnectionRegistry.h"
#include "auth/SmartConfiguration.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QStandardItemModel;
class QToolButton;

namespace ondevice::services {
class Workspace;
}

namespace ondevice::ui {

class BrandLogos;
class BrandPicker;
class MessageBar;

// "Connect a provider": find the provider by name in the patient's provider
// directories (or pick a preset, or enter a FHIR server), see what its
// discovery document offers, then approve in the browser. Errors show in the
// dialog's own message bar, with the one action that helps.
class ConnectDialog : public QDialog {
    Q_OBJECT

public:
    enum class Page { Choose, Review, Waiting };

    // `logos`: shared with the window's connection list; the dialog makes its own when there is none.
    ConnectDialog(
        services::Workspace& workspace, const QUrl& sandbox, QWidget* parent = nullptr, BrandLogos* logos = nullptr);

    // Reconnect an existing connection: its server, client id and port, and
    // the connection it must match (another patient is refused and shown).
    void startReconnect(const auth::Connection& connection);

    Page page() const;
    MessageBar* messageBar() const { return m_messages; }
    BrandPicker* brandPicker() const { return m_brands; }
    // The brand the connection will be named after (picked from a card), empty otherwise.
    QString brandName() const { return m_brandName; }

    // Discovery for what is entered now (the "Check server" button).
    void checkServer();
    // Opens the browser (the "Sign in with your browser" button).
    void signIn();

Q_SIGNALS:
    void connected(const QString& id, bool isNew);

public Q_SLOTS:
    void reject() override;

private:
    QWidget* buildChoosePage();
    QWidget* buildReviewPage();
    QWidget* buildWaitingPage();
    void selectPreset(int row);
    void pickBrand();
    void manageDirectories();
    void showPage(Page page);
    void showReview(const auth::SmartConfiguration& configuration);
    void showKeychainChoice(const QString& why, bool thenSignIn);
    auth::DiscoveryOptions discoveryOptions() const;
    QUrl enteredUrl() const;

    services::Workspace& m_workspace;
    QList<ProviderPreset> m_presets;
    std::optional<QString> m_reconnectId;
    std::optional<auth::SmartConfiguration> m_configuration;
    QString m_brandName;
    QUrl m_brandLogo;
    bool m_waiting = false;

    MessageBar* m_messages = nullptr;
    BrandLogos* m_logos = nullptr;
    BrandPicker* m_brands = nullptr;
    QStackedWidget* m_pages = nullptr;
    QStandardItemModel* m_presetModel = nullptr;
    QListView* m_presetList = nullptr;
    QLabel* m_presetNote = nullptr;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_clientId = nullptr;
    QSpinBox* m_port = nullptr;
    QToolButton* m_advancedToggle = nullptr;
    QWidget* m_advanced = nullptr;
    QLineEdit* m_scope = nullptr;
    QCheckBox* m_allowHttp = nullptr;
    QPushButton* m_check = nullptr;

    QLabel* m_server = nullptr;
    QLabel* m_offline = nullptr;
    QLabel* m_pkce = nullptr;
    QLabel* m_signInAt = nullptr;
    QLabel* m_identity = nullptr;
    QLabel* m_binding = nullptr;
    QLabel* m_revocation = nullptr;
    QLabel* m_scopeToRequest = nullptr;
    QLabel* m_reviewNote = nullptr;
    QPushButton* m_signIn = nullptr;

    QLabel* m_waitingText = nullptr;
};

} // namespace ondevice::ui
