#pragma once

#include "services/RecordsHub.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace ondevice::ui {

struct SummaryItem {
    QString text;
    QString detail;
    QString source;
};

// What the Summary page shows, read on the records worker thread.
struct SummaryData {
    QString patientName;
    QString patientFacts; // born, gender
    QString identifiers; // the providers' medical record numbers: shown
    // Every other identifier (social security, driver's licence, passport...), masked (***-**-8616) and shown
    // only on request: the screen is shown at demos and read over shoulders.
    QStringList otherIdentifiers;
    QList<SummaryItem> problems;
    QList<SummaryItem> medications;
    QList<SummaryItem> allergies;
    QList<SummaryItem> vitals; // the newest value of each vital sign, over every connection
    QHash<QString, QString> patientNames; // connection id -> the name in its Patient record
};

// The Summary: a patient banner, then active problems, active medications,
// allergies and the latest vitals, each list bounded (the newest rows of a
// few small queries, never the whole store).
class SummaryView : public QWidget {
    Q_OBJECT

public:
    // Newest rows read per list: enough for what is current, small enough
    // that a store of tens of thousands opens as fast as an empty one.
    static constexpr int ScanLimit = 150;
    static constexpr int VitalsScanLimit = 100; // a few visits hold every vital sign
    static constexpr int ShowLimit = 50; // items shown per list

    explicit SummaryView(services::RecordsHub& hub, QWidget* parent = nullptr);

    void refresh();
    // Reads the Summary from the records (and keeps each connection's part, sealed in its store, for the next
    // start); readCached() gives that kept Summary, or nothing unless every connection has one.
    static SummaryData read(services::WorkerStores& stores, const QList<services::RecordSource>& sources);
    static std::optional<SummaryData> readCached(
        services::WorkerStores& stores, const QList<services::RecordSource>& sources);

    QString patientName() const;
    // The name in each connection's Patient record, as of the last refresh (held in memory only).
    QTreeWidget* list(const QString& objectName) const;

Q_SIGNALS:
    void refreshed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void readFresh();
    void display(const SummaryData& summary);
    QTreeWidget* makeList(const QString& objectName, const QString& title, const QStringList& columns, QWidget* parent);

    services::RecordsHub& m_hub;
    QLabel* m_name = nullptr;
    QLabel* m_facts = nullptr;
    QLabel* m_identifiers = nullptr;
    QPushButton* m_showIdentifiers = nullptr;
    QLabel* m_otherIdentifiers = nullptr;
    QTreeWidget* m_problems = nullptr;
    QTreeWidget* m_medications = nullptr;
    QTreeWidget* m_allergies = nullptr;
    QTreeWidget* m_vitals = nullptr;
    bool m_busy = false;
    bool m_stale = true;
    bool m_again = false;
    bool m_triedCache = false;
};

} // namespace ondevice::ui
