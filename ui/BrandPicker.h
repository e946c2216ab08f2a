#pragma once

#include "fhir/UserAccessBrands.h"

#include <QStyledItemDelegate>
#include <QUrl>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStandardItemModel;

namespace ondevice::services {
class BrandSources;
}

namespace ondevice::ui {

class BrandLogos;

// "Find your provider": as-you-type search over the patient's provider directories (User Access Brands), shown
// as cards with each brand's logo, name, portal, city and number of locations. Reading the directories, building
// the index and every search run on worker threads; the field never waits for them. A brand without an endpoint
// is shown greyed with its portal link; one with several offers a choice of endpoint.
class BrandPicker : public QWidget {
    Q_OBJECT

public:
    static constexpr int kCards = 50; // shown at a time: the best matches first

    enum Role {
        BrandRole = Qt::UserRole + 1, // index into the index's brands
        DetailRole, // the card's second line
        LogoUrlRole,
        CanConnectRole,
    };

    // `demoDirectory`: the sandbox's directory, offered with one button when there is no directory yet (set by
    // `ondevice --sandbox URL`); invalid otherwise.
    BrandPicker(services::BrandSources& sources, BrandLogos& logos, QUrl demoDirectory, QWidget* parent);

    // Reads the cached directories (worker thread), then asks the due ones again (at most daily).
    void reload();

    std::optional<fhir::Brand> currentBrand() const;
    QUrl currentFhirBase() const; // the endpoint picked for the current brand; invalid when it has none
    int cardCount() const;
    bool isReady() const { return m_index != nullptr; } // the directories are read and searchable
    QLineEdit* searchField() const { return m_search; }
    QListView* cardList() const { return m_cards; }

Q_SIGNALS:
    void picked(); // a brand that can connect is current, or its endpoint changed
    void unpicked(); // the current card went away, or cannot connect
    void manageDirectories();
    void directoriesChanged();

private:
    void search();
    void showCards(const QList<int>& hits);
    void cardChanged();
    void showStatus();
    void useDemoDirectory();

    services::BrandSources& m_sources;
    BrandLogos& m_logos;
    QUrl m_demoDirectory;
    std::shared_ptr<const fhir::BrandIndex> m_index;
    quint64 m_generation = 0;
    QString m_refreshProblem;
    bool m_hasSources = false; // as of the last reload()

    QLineEdit* m_search = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_useDemo = nullptr;
    QPushButton* m_directories = nullptr;
    QListView* m_cards = nullptr;
    QStandardItemModel* m_model = nullptr;
    QLabel* m_endpointLabel = nullptr;
    QComboBox* m_endpoint = nullptr;
    QLabel* m_portalNote = nullptr;
};

// A card: the logo (or the brand's initial on a tile), the name in bold, the details below; greyed when the
// brand cannot connect.
class BrandCardDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ondevice::ui
