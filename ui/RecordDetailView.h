#pragma once

#include "RecordTableModel.h"
#include "ResourceRenderer.h"

#include <QTabWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace ondevice::ui {

// The selected record: a human-readable rendering (references resolved to
// names where the referenced resource is on this device) and the raw FHIR
// JSON, pretty-printed. Everything from the resource is shown as plain text.
class RecordDetailView : public QTabWidget {
    Q_OBJECT

public:
    RecordDetailView(services::RecordsHub& hub, QWidget* parent = nullptr);

    // Renders on the records worker thread, then shows.
    void showRecord(const RecordRow& row);
    void showRendered(const RenderedDetail& detail, const QByteArray& json);
    void clear();

    // What the Details tab shows, as text (tests, copy).
    QString detailText() const { return m_text; }
    QPlainTextEdit* rawView() const { return m_raw; }

    // On the worker: the name of a referenced resource when it is in one of the stores.
    static QString resolve(services::WorkerStores& stores, const QList<services::RecordSource>& sources,
        const QString& preferredConnection, const QString& reference);

Q_SIGNALS:
    void rendered();

private:
    services::RecordsHub& m_hub;
    QLabel* m_title = nullptr;
    QLabel* m_kind = nullptr;
    QWidget* m_form = nullptr;
    QFormLayout* m_formLayout = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    QString m_text;
    quint64 m_generation = 0;
};

} // namespace ondevice::ui
