#include "SummaryView.h"
#include "core/Continuations.h"

#include "ResourceRenderer.h"
#include "fhir/HumanName.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ondevice::ui {

namespace {

// The newest rows of a type; none, and `failed` set, when the store could not be read.
QList<fhir::StoredResource> newest(services::WorkerStores& stores, const services::RecordSource& source, bool& failed,
    const QString& type, std::optional<QString> category = {}, int limit = SummaryView::ScanLimit)
{
    fhir::ResourceStore* store = stores.store(source);
    if (!store) {
        failed = true;
        return {};
    }
    fhir::ResourceQuery q = fhir::ResourceQuery::forType(type);
    q.category = std::move(category);
    q.limit = limit;
    auto rows = store->query(q);
    if (!rows)
        failed = true;
    return rows ? std::move(rows).value() : QList<fhir::StoredResource>();
}

// The code of the first coding of the CodeableConcept `key` (clinicalStatus, code).
QString firstCode(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key))
        .toObject()
        .value(QLatin1String("coding"))
        .toArray()
        .first()
        .toObject()
        .value(QLatin1String("code"))
        .toString();
}

QLabel* plain(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

SummaryView::SummaryView(services::RecordsHub& hub, QWidget* parent)
    : QWidget(parent)
    , m_hub(hub)
{
    setObjectName(QStringLiteral("summaryView"));
    auto* layout = new QVBoxLayout(this);
    auto* banner = new QFrame(this);
    banner->setObjectName(QStringLiteral("patientBanner"));
    banner->setFrameShape(QFrame::StyledPanel);
    banner->setAutoFillBackground(true);
    banner->setBackgroundRole(QPalette::AlternateBase);
    auto* bannerLayout = new QVBoxLayout(banner);
    m_name = plain(banner);
    m_name->setObjectName(QStringLiteral("patientName"));
    m_name->setAccessibleDescription(tr("Patient name")); // heard as its text, the name
    QFont big = m_name->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_name->setFont(big);
    bannerLayout->addWidget(m_name);
    m_facts = plain(banner);
    m_facts->setObjectName(QStringLiteral("patientFacts"));
    m_facts->setAccessibleDescription(tr("Birth date and gender"));
    bannerLayout->addWidget(m_facts);
    m_identifiers = plain(banner);
    m_identifiers->setObjectName(QStringLiteral("patientIdentifiers"));
    m_identifiers->setAccessibleDescription(tr("Identifiers"));
    m_identifiers->setForegroundRole(QPalette::PlaceholderText);
    bannerLayout->addWidget(m_identifiers);
    m_showIdentifiers = new QPushButton(banner);
    m_showIdentifiers->setObjectName(QStringLiteral("showIdentifiers"));
    m_showIdentifiers->setCheckable(true);
    m_showIdentifiers->setFlat(true);
    m_showIdentifiers->setAccessibleName(tr("Show other identifiers"));
    m_showIdentifiers->setAccessibleDescription(tr("Shows the patient's other identifiers, partly hidden"));
    auto* identifierRow = new QHBoxLayout;
    identifierRow->addWidget(m_showIdentifiers);
    identifierRow->addStretch(1);
    bannerLayout->addLayout(identifierRow);
    m_otherIdentifiers = plain(banner);
    m_otherIdentifiers->setObjectName(QStringLiteral("otherIdentifiers"));
    m_otherIdentifiers->setAccessibleDescription(tr("Other identifiers, partly hidden"));
    m_otherIdentifiers->setVisible(false);
    bannerLayout->addWidget(m_otherIdentifiers);
    connect(m_showIdentifiers, &QPushButton::toggled, m_otherIdentifiers, &QWidget::setVisible);
    layout->addWidget(banner);

    auto* grid = new QGridLayout;
    m_problems = makeList(
        QStringLiteral("activeProblems"), tr("Active problems"), { tr("Condition"), tr("Since"), tr("Source") }, this);
    m_medications = makeList(QStringLiteral("activeMedications"), tr("Active medications"),
        { tr("Medication"), tr("Dosage"), tr("Source") }, this);
    m_allergies = makeList(
        QStringLiteral("allergies"), tr("Allergies"), { tr("Substance"), tr("Criticality"), tr("Source") }, this);
    m_vitals = makeList(
        QStringLiteral("latestVitals"), tr("Latest vitals"), { tr("Vital sign"), tr("Value"), tr("Date") }, this);
    const QList<QTreeWidget*> lists { m_problems, m_medications, m_allergies, m_vitals };
    for (int i = 0; i < lists.size(); ++i) {
        auto* box = new QWidget(this);
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        auto* title = new QLabel(lists.at(i)->accessibleName(), box);
        QFont bold = title->font();
        bold.setBold(true);
        title->setFont(bold);
        title->setBuddy(lists.at(i));
        boxLayout->addWidget(title);
        boxLayout->addWidget(lists.at(i), 1);
        grid->addWidget(box, i / 2, i % 2);
    }
    layout->addLayout(grid, 1);
    connect(&m_hub, &services::RecordsHub::recordsChanged, this, &SummaryView::refresh);
    connect(&m_hub, &services::RecordsHub::sourcesChanged, this, &SummaryView::refresh);
}

QTreeWidget* SummaryView::makeList(
    const QString& objectName, const QString& title, const QStringList& columns, QWidget* parent)
{
    auto* list = new QTreeWidget(parent);
    list->setObjectName(objectName);
    list->setAccessibleName(title);
    list->setRootIsDecorated(false);
    list->setHeaderLabels(columns);
    list->setAlternatingRowColors(true);
    // One line per row; and the columns sized from the rows in view (precision 0) rather than from every row,
    // so a full Summary lays out about as fast as an empty one.
    list->setUniformRowHeights(true);
    list->header()->setResizeContentsPrecision(0);
    list->header()->setStretchLastSection(false);
    list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    list->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    return list;
}

void SummaryView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

QString SummaryView::patientName() const
{
    return m_name->text();
}

QTreeWidget* SummaryView::list(const QString& objectName) const
{
    return findChild<QTreeWidget*>(objectName);
}

void SummaryView::refresh()
{
    // Hidden, it reads nothing: the table in view gets the worker first.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    if (m_busy) {
        m_again = true;
        return;
    }
    m_busy = true;
    // The first time there are records, the Summary kept from the last run shows at once, and the one read
    // from the records replaces it a moment later (they differ only if records changed while the app was closed).
    if (!m_triedCache && !m_hub.sources().isEmpty()) {
        m_triedCache = true;
        m_hub
            .onWorker([](services::WorkerStores& stores, const QList<services::RecordSource>& sources) {
                return readCached(stores, sources);
            })
            .then(
                compat::continuationContext(), compat::ifAlive(this, [this](const std::optional<SummaryData>& cached) {
                    if (!cached) {
                        readFresh();
                        return;
                    }
                    display(*cached);
                    Q_EMIT refreshed();
                    // The window paints the kept Summary first; the records are read a moment later.
                    QTimer::singleShot(100, this, &SummaryView::readFresh);
                }));
        return;
    }
    readFresh();
}

void SummaryView::readFresh()
{
    m_hub
        .onWorker([](services::WorkerStores& stores, const QList<services::RecordSource>& sources) {
            return read(stores, sources);
        })
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const SummaryData& summary) {
            m_busy = false;
            display(summary);
            if (std::exchange(m_again, false))
                refresh();
            Q_EMIT refreshed();
        }));
}

namespace {

// One connection's part of the Summary. Items carry the connection's host as their source; a vital sign
// carries its code and date, so that the newest value over all connections can be picked.
struct Vital {
    QString code;
    QDateTime date;
    SummaryItem item;
};

struct SourceSummary {
    QString name;
    QString facts;
    QStringList identifiers; // medical record numbers
    QStringList otherIdentifiers; // masked
    QList<SummaryItem> problems, medications, allergies;
    QList<Vital> vitals; // one per code, this source's newest
    bool readFailed = false; // a query failed: shown, but not kept as the cache
};

// The Summary's cache: this source's part, sealed in its own store's state table like a checkpoint (the
// same key, the same protection as the records), so that a restart shows it before anything is read.
const QString kCacheState = QStringLiteral("ui.summary.v3");

QJsonArray itemsToJson(const QList<SummaryItem>& items)
{
    QJsonArray out;
    for (const SummaryItem& i : items)
        out << QJsonArray { i.text, i.detail, i.source };
    return out;
}

QList<SummaryItem> itemsFromJson(const QJsonValue& value)
{
    QList<SummaryItem> out;
    for (const QJsonValue v : value.toArray()) {
        const QJsonArray a = v.toArray();
        out << SummaryItem { a.at(0).toString(), a.at(1).toString(), a.at(2).toString() };
    }
    return out;
}

QByteArray toCache(const SourceSummary& s)
{
    QJsonArray vitals;
    for (const Vital& v : s.vitals)
        vitals << QJsonArray { v.code, v.date.toMSecsSinceEpoch(), v.item.text, v.item.detail, v.item.source };
    return QJsonDocument(
        QJsonObject { { QStringLiteral("name"), s.name }, { QStringLiteral("facts"), s.facts },
            { QStringLiteral("identifiers"), QJsonArray::fromStringList(s.identifiers) },
            { QStringLiteral("other_identifiers"), QJsonArray::fromStringList(s.otherIdentifiers) },
            { QStringLiteral("problems"), itemsToJson(s.problems) },
            { QStringLiteral("medications"), itemsToJson(s.medications) },
            { QStringLiteral("allergies"), itemsToJson(s.allergies) }, { QStringLiteral("vitals"), vitals } })
        .toJson(QJsonDocument::Compact);
}

std::optional<SourceSummary> fromCache(const QByteArray& json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty())
        return std::nullopt;
    SourceSummary s;
    s.name = o.value(QLatin1String("name")).toString();
    s.facts = o.value(QLatin1String("facts")).toString();
    for (const QJsonValue v : o.value(QLatin1String("identifiers")).toArray())
        s.identifiers << v.toString();
    for (const QJsonValue v : o.value(QLatin1String("other_identifiers")).toArray())
        s.otherIdentifiers << v.toString();
    s.problems = itemsFromJson(o.value(QLatin1String("problems")));
    s.medications = itemsFromJson(o.value(QLatin1String("medications")));
    s.allergies = itemsFromJson(o.value(QLatin1String("allergies")));
    for (const QJsonValue v : o.value(QLatin1String("vitals")).toArray()) {
        const QJsonArray a = v.toArray();
        s.vitals << Vital { a.at(0).toString(), QDateTime::fromMSecsSinceEpoch(qint64(a.at(1).toDouble()), Qt::UTC),
            SummaryItem { a.at(2).toString(), a.at(3).toString(), a.at(4).toString() } };
    }
    return s;
}

SourceSummary readSource(services::WorkerStores& stores, const services::RecordSource& s)
{
    SourceSummary d;
    for (const fhir::StoredResource& r : newest(stores, s, d.readFailed, QStringLiteral("Patient"), {}, 1)) {
        const QJsonObject p = QJsonDocument::fromJson(r.json).object();
        d.name = fhir::humanName(p.value(QLatin1String("name")));
        QStringList f;
        if (const QString born = p.value(QLatin1String("birthDate")).toString(); !born.isEmpty())
            f << SummaryView::tr("Born %1").arg(ResourceRenderer::date(born));
        if (const QString gender = p.value(QLatin1String("gender")).toString(); !gender.isEmpty())
            f << ResourceRenderer::codeWord(gender);
        d.facts = f.join(QStringLiteral(" · "));
        // The provider's medical record number is shown; every other identifier only masked, on request.
        for (const QJsonValue i : p.value(QLatin1String("identifier")).toArray()) {
            const QJsonObject id = i.toObject();
            const QString value = id.value(QLatin1String("value")).toString();
            if (value.isEmpty())
                continue;
            bool recordNumber = false;
            for (const QJsonValue c :
                id.value(QLatin1String("type")).toObject().value(QLatin1String("coding")).toArray())
                recordNumber
                    = recordNumber || c.toObject().value(QLatin1String("code")).toString() == QLatin1String("MR");
            if (recordNumber) {
                d.identifiers << SummaryView::tr("MRN %1 (%2)").arg(value, s.host);
                continue;
            }
            QString label = ResourceRenderer::conceptText(id.value(QLatin1String("type")));
            if (label.isEmpty())
                label = SummaryView::tr("ID");
            d.otherIdentifiers << SummaryView::tr("%1 %2").arg(label, ResourceRenderer::masked(value));
        }
    }
    QSet<QString> seen; // a problem recorded at each visit is listed once
    auto once = [&seen](const QString& key) {
        if (seen.contains(key))
            return false;
        seen.insert(key);
        return true;
    };
    for (const fhir::StoredResource& r : newest(stores, s, d.readFailed, QStringLiteral("Condition"))) {
        const QJsonObject o = QJsonDocument::fromJson(r.json).object();
        const QString status = firstCode(o, "clinicalStatus");
        if ((status == QLatin1String("active") || status == QLatin1String("recurrence")
                || status == QLatin1String("relapse"))
            && once(QStringLiteral("C|") + ResourceRenderer::title(o)))
            d.problems << SummaryItem { ResourceRenderer::title(o),
                ResourceRenderer::day(o.value(QLatin1String("onsetDateTime")).toString()), s.host };
    }
    for (const fhir::StoredResource& r : newest(stores, s, d.readFailed, QStringLiteral("MedicationRequest"))) {
        const QJsonObject o = QJsonDocument::fromJson(r.json).object();
        if (o.value(QLatin1String("status")).toString() == QLatin1String("active")
            && once(QStringLiteral("M|") + ResourceRenderer::title(o)))
            d.medications << SummaryItem { ResourceRenderer::title(o),
                o.value(QLatin1String("dosageInstruction"))
                    .toArray()
                    .first()
                    .toObject()
                    .value(QLatin1String("text"))
                    .toString(),
                s.host };
    }
    for (const fhir::StoredResource& r : newest(stores, s, d.readFailed, QStringLiteral("AllergyIntolerance"))) {
        const QJsonObject o = QJsonDocument::fromJson(r.json).object();
        const QString status = firstCode(o, "clinicalStatus");
        if ((status.isEmpty() || status == QLatin1String("active"))
            && once(QStringLiteral("A|") + ResourceRenderer::title(o)))
            d.allergies << SummaryItem { ResourceRenderer::title(o),
                ResourceRenderer::codeWord(o.value(QLatin1String("criticality")).toString()), s.host };
    }
    for (const fhir::StoredResource& r : newest(stores, s, d.readFailed, QStringLiteral("Observation"),
             QStringLiteral("http://terminology.hl7.org/CodeSystem/observation-category|vital-signs"),
             SummaryView::VitalsScanLimit)) {
        // Newest first: the first row of each code is this source's latest value.
        const QJsonObject o = QJsonDocument::fromJson(r.json).object();
        const QString code = firstCode(o, "code");
        if (code.isEmpty() || !once(QStringLiteral("V|") + code))
            continue;
        d.vitals << Vital { code, r.sortDate,
            SummaryItem {
                code == QLatin1String("85354-9") ? SummaryView::tr("Blood pressure") : ResourceRenderer::title(o),
                ResourceRenderer::value(o),
                ResourceRenderer::day(o.value(QLatin1String("effectiveDateTime")).toString()) } };
    }
    return d;
}

// The sources' parts as one Summary: every list in source order; each vital sign's newest value over all.
SummaryData merge(const QList<services::RecordSource>& sources, const QList<SourceSummary>& parts)
{
    SummaryData d;
    QStringList names, facts, identifiers, others;
    QHash<QString, Vital> latestVitals; // by code
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const SourceSummary& part = parts.at(i);
        if (!part.name.isEmpty())
            d.patientNames.insert(sources.at(i).connectionId, part.name);
        if (!names.contains(part.name))
            names << part.name;
        if (!part.facts.isEmpty() && !facts.contains(part.facts))
            facts << part.facts;
        identifiers << part.identifiers;
        for (const QString& other : part.otherIdentifiers)
            if (!others.contains(other))
                others << other;
        d.problems << part.problems;
        d.medications << part.medications;
        d.allergies << part.allergies;
        for (const Vital& v : part.vitals) {
            const auto known = latestVitals.constFind(v.code);
            if (known == latestVitals.constEnd() || known->date < v.date)
                latestVitals.insert(v.code, v);
        }
    }
    for (const Vital& v : std::as_const(latestVitals))
        d.vitals << v.item;
    std::sort(d.vitals.begin(), d.vitals.end(),
        [](const SummaryItem& a, const SummaryItem& b) { return a.text.localeAwareCompare(b.text) < 0; });
    names.removeAll(QString());
    d.patientName = names.isEmpty() ? (sources.isEmpty() ? QString() : SummaryView::tr("Patient"))
                                    : names.join(QStringLiteral(" / "));
    d.patientFacts = facts.join(QStringLiteral("   "));
    d.identifiers = identifiers.mid(0, 6).join(QStringLiteral("   "));
    d.otherIdentifiers = others;
    return d;
}

} // namespace

SummaryData SummaryView::read(services::WorkerStores& stores, const QList<services::RecordSource>& sources)
{
    QList<SourceSummary> parts;
    for (const services::RecordSource& s : sources) {
        parts << readSource(stores, s);
        // Kept for the next start, written only when it changed, and never from a read that failed.
        if (fhir::ResourceStore* store = parts.constLast().readFailed ? nullptr : stores.store(s)) {
            const QByteArray cache = toCache(parts.constLast());
            const auto cached = store->state(kCacheState);
            // The cache only makes the next start quicker: a write that fails is dropped on purpose (the next
            // start shows the older Summary for a moment, then the one read from the records).
            if (!cached || !cached.value() || *cached.value() != cache)
                (void)store->setState(kCacheState, cache);
        }
    }
    return merge(sources, parts);
}

std::optional<SummaryData> SummaryView::readCached(
    services::WorkerStores& stores, const QList<services::RecordSource>& sources)
{
    QList<SourceSummary> parts;
    for (const services::RecordSource& s : sources) {
        fhir::ResourceStore* store = stores.store(s);
        if (!store)
            return std::nullopt;
        const auto cached = store->state(kCacheState);
        std::optional<SourceSummary> part = cached && cached.value() ? fromCache(*cached.value()) : std::nullopt;
        if (!part)
            return std::nullopt;
        parts << *part;
    }
    if (parts.isEmpty())
        return std::nullopt;
    return merge(sources, parts);
}

void SummaryView::display(const SummaryData& summary)
{
    m_name->setText(summary.patientName.isEmpty() ? tr("No records yet") : summary.patientName);
    m_facts->setText(summary.patientFacts);
    m_identifiers->setText(summary.identifiers);
    m_identifiers->setVisible(!summary.identifiers.isEmpty());
    m_otherIdentifiers->setText(summary.otherIdentifiers.join(QStringLiteral("   ")));
    m_showIdentifiers->setText(
        tr("Show other identifiers (%n)", "", static_cast<int>(summary.otherIdentifiers.size())));
    m_showIdentifiers->setAccessibleName(m_showIdentifiers->text());
    m_showIdentifiers->setVisible(!summary.otherIdentifiers.isEmpty());
    m_otherIdentifiers->setVisible(m_showIdentifiers->isChecked() && !summary.otherIdentifiers.isEmpty());
    auto fill = [](QTreeWidget* list, const QList<SummaryItem>& items, const QString& none) {
        list->clear();
        // Active lists may be long; the summary shows the newest. One insertion for all rows: the view lays
        // out once, not once per row.
        QList<QTreeWidgetItem*> rows;
        for (const SummaryItem& item : items.mid(0, ShowLimit))
            rows << new QTreeWidgetItem(QStringList { item.text, item.detail, item.source });
        if (items.isEmpty()) {
            auto* empty = new QTreeWidgetItem(QStringList { none });
            empty->setFlags(Qt::NoItemFlags);
            rows << empty;
        }
        list->addTopLevelItems(rows);
    };
    fill(m_problems, summary.problems, tr("No active problems recorded"));
    fill(m_medications, summary.medications, tr("No active medications recorded"));
    fill(m_allergies, summary.allergies, tr("No allergies recorded"));
    fill(m_vitals, summary.vitals, tr("No vital signs recorded"));
}

} // namespace ondevice::ui
