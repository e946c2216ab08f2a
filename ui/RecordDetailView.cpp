#include "RecordDetailView.h"
#include "core/Continuations.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace ondevice::ui {

namespace {

QLabel* plainLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(parent);
    // Resource text is data, never markup: "<b>" stays "<b>".
    label->setTextFormat(Qt::PlainText);
    label->setText(text);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

} // namespace

RecordDetailView::RecordDetailView(services::RecordsHub& hub, QWidget* parent)
    : QTabWidget(parent)
    , m_hub(hub)
{
    setObjectName(QStringLiteral("recordDetail"));
    setAccessibleName(tr("Selected record"));
    setDocumentMode(true);

    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("detailScroll"));
    scroll->setFocusPolicy(Qt::NoFocus); // its values are the Tab stops (and scroll into view)
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* page = new QWidget(scroll);
    auto* layout = new QVBoxLayout(page);
    m_title = plainLabel(QString(), page);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setAccessibleDescription(tr("Record")); // heard as its text, the record's title
    layout->addWidget(m_title);
    m_kind = plainLabel(QString(), page);
    m_kind->setObjectName(QStringLiteral("detailKind"));
    m_kind->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_kind);
    m_form = new QWidget(page);
    m_formLayout = new QFormLayout(m_form);
    m_formLayout->setContentsMargins(0, 4, 0, 0);
    m_formLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_formLayout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    layout->addWidget(m_form);
    layout->addStretch(1);
    scroll->setWidget(page);
    addTab(scroll, tr("Details"));

    m_raw = new QPlainTextEdit(this);
    m_raw->setObjectName(QStringLiteral("rawJson"));
    m_raw->setAccessibleName(tr("Raw FHIR JSON"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    addTab(m_raw, tr("Raw FHIR JSON"));
    clear();
}

void RecordDetailView::clear()
{
    ++m_generation;
    m_title->setText(tr("Select a record to see it here."));
    m_kind->clear();
    m_kind->setVisible(false);
    while (m_formLayout->rowCount() > 0)
        m_formLayout->removeRow(0);
    m_raw->clear();
    m_text.clear();
}

void RecordDetailView::showRecord(const RecordRow& row)
{
    const quint64 generation = ++m_generation;
    QString host;
    for (const services::RecordSource& s : m_hub.sources())
        if (s.connectionId == row.connectionId)
            host = s.host;
    m_hub
        .onWorker([row, host](services::WorkerStores& stores, const QList<services::RecordSource>& sources) {
            const QJsonObject object = QJsonDocument::fromJson(row.json).object();
            return ResourceRenderer::detail(object, host,
                [&](const QString& reference) { return resolve(stores, sources, row.connectionId, reference); });
        })
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, generation, json = row.json](const RenderedDetail& detail) {
                if (generation == m_generation)
                    showRendered(detail, json);
            }));
}

void RecordDetailView::showRendered(const RenderedDetail& detail, const QByteArray& json)
{
    ++m_generation;
    m_title->setText(detail.title);
    m_kind->setText(detail.kind);
    m_kind->setVisible(!detail.kind.isEmpty()); // (an empty line would be an unnamed stop for a screen reader)
    while (m_formLayout->rowCount() > 0)
        m_formLayout->removeRow(0);
    for (const DetailField& field : detail.fields) {
        QLabel* value = plainLabel(field.value, m_form);
        // A caption may come from the server ("Sodium & Potassium"): with a buddy, a lone '&' would be taken
        // for an Alt+letter shortcut, so it is doubled to show as itself.
        QLabel* label = plainLabel(QString(field.label).replace(QLatin1Char('&'), QStringLiteral("&&")), m_form);
        label->setBuddy(value); // heard as the value's label; the value as its text
        label->setWordWrap(false);
        label->setForegroundRole(QPalette::PlaceholderText);
        m_formLayout->addRow(label, value);
    }
    m_raw->setPlainText(QString::fromUtf8(QJsonDocument::fromJson(json).toJson(QJsonDocument::Indented)));
    m_text = ResourceRenderer::detailText(detail);
    Q_EMIT rendered();
}

QString RecordDetailView::resolve(services::WorkerStores& stores, const QList<services::RecordSource>& sources,
    const QString& preferredConnection, const QString& reference)
{
    // "Practitioner/123" or an absolute URL ending in it; "urn:uuid:" names no type.
    const QStringList parts = reference.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() < 2 || reference.startsWith(QLatin1String("urn:")))
        return {};
    const QString& type = parts.at(parts.size() - 2);
    const QString& id = parts.constLast();
    QList<services::RecordSource> ordered;
    for (const services::RecordSource& s : sources)
        if (s.connectionId == preferredConnection)
            ordered.prepend(s); // the record's own provider first
        else
            ordered.append(s);
    for (const services::RecordSource& s : ordered) {
        fhir::ResourceStore* store = stores.store(s);
        if (!store)
            continue;
        const auto found = store->get(type, id);
        if (!found || !found.value())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(found.value()->json).object();
        QString name = ResourceRenderer::title(object);
        const QString when = ResourceRenderer::when(object);
        if (type == QLatin1String("Observation"))
            name = tr("%1: %2 (%3)").arg(name, ResourceRenderer::value(object), when);
        else if (type == QLatin1String("Encounter") && !when.isEmpty())
            name = tr("%1, %2").arg(name, when);
        return name;
    }
    return {};
}

} // namespace ondevice::ui
