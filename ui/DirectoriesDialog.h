#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace ondevice::services {
class BrandSources;
}

namespace ondevice::ui {

// The provider directories (User Access Brands bundles) the patient added: each with its number of providers,
// when it was last fetched and what went wrong last time; add one (https), remove one, ask all again now.
class DirectoriesDialog : public QDialog {
    Q_OBJECT

public:
    DirectoriesDialog(services::BrandSources& sources, QWidget* parent = nullptr);

    void add(const QString& address);
    void refreshNow();

Q_SIGNALS:
    void changed();

private:
    void showSources();

    services::BrandSources& m_sources;
    QListWidget* m_list = nullptr;
    QLineEdit* m_address = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace ondevice::ui
