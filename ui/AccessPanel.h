#pragma once

#include <QHash>
#include <QTimer>
#include <QWidget>

class QFormLayout;
class QLabel;
class QPushButton;
class QTableView;

namespace ondevice::services {
class Workspace;
}

namespace ondevice::ui {

class TimelineModel;

// Persistent access, visible: how this connection signs in, where its
// refresh token is kept, how long the access token lasts (counting down),
// the last silent refresh, the granted scopes in plain words, when the grant
// ends, the buttons that act on it, and the protocol timeline.
class AccessPanel : public QWidget {
    Q_OBJECT

public:
    explicit AccessPanel(services::Workspace& workspace, QWidget* parent = nullptr);

    void setConnection(const QString& id);
    // Patients' names from their records, by connection id: the title names the patient once known.
    void setPatientNames(const QHash<QString, QString>& names);
    QString connectionId() const { return m_id; }

Q_SIGNALS:
    void refreshRequested(const QString& id);
    void reconnectRequested(const QString& id);
    void signOutRequested(const QString& id);
    void forgetRequested(const QString& id);

private:
    void updateAll();
    void updateCountdown();
    QLabel* addRow(QFormLayout* form, const QString& label, const QString& objectName);

    services::Workspace& m_workspace;
    QString m_id;
    QHash<QString, QString> m_patientNames;
    QLabel* m_title = nullptr;
    QLabel* m_clientType = nullptr;
    QLabel* m_tokenStore = nullptr;
    QLabel* m_binding = nullptr;
    QLabel* m_accessToken = nullptr;
    QLabel* m_lastRefresh = nullptr;
    QLabel* m_scopes = nullptr;
    QLabel* m_grantEnd = nullptr;
    QLabel* m_revocation = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_reconnect = nullptr;
    QPushButton* m_signOut = nullptr;
    QPushButton* m_forget = nullptr;
    TimelineModel* m_timeline = nullptr;
    QTableView* m_timelineView = nullptr;
    QTimer m_tick;
};

} // namespace ondevice::ui
