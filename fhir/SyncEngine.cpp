#include "SyncEngine.h"
#include "core/Continuations.h"

#include "Logging.h"
#include "store/ResourceStore.h"
#include "store/WriteTurn.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUrlQuery>

namespace ondevice::fhir {

namespace {

QString key(const QString& type, const char* what)
{
    return QStringLiteral("sync.%1.%2").arg(type, QLatin1String(what));
}

QString idOf(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object().value(QLatin1String("id")).toString();
}

// What the sync learnt about this server, kept with the connection's records.
const QString kLastUpdatedUnusable = QStringLiteral("server.lastUpdated-unusable");
const QString kPageSize = QStringLiteral("server.page-size"); // the largest _count it accepts, when it refused more
const QString kMedicationsByRead = QStringLiteral("server.medication-search-unusable");
// It offers Patient/$everything beside per-type searches (its CapabilityStatement said so at the last sync).
const QString kOffersBoth = QStringLiteral("server.offers-everything-and-searches");

// Pages as large as the server gives (it caps _count silently, or refuses: then pages of kSmallPage, remembered).
constexpr int kLargestPage = 1000;
constexpr int kSmallPage = 100;
// Referenced Medications asked for this many at a time (Medication?_id=a,b,c).
constexpr int kMedicationBatch = 100;
// Observation, the largest search, is split into chains side by side: its two largest categories, and the rest
// (`category:not=` each of them, which FHIR defines to include records without a category).
const QStringList kSplitCategories { QStringLiteral("laboratory"), QStringLiteral("vital-signs") };
const QString kOtherCategories = QStringLiteral("other");
const QString kSplitUnusable = QStringLiteral("server.category-split-unusable");
// The split was checked against the server's count of every Observation once, and held them all.
const QString kSplitVerified = QStringLiteral("server.category-split-verified");
const QString kSplitCount = QStringLiteral("count");
QString categoryRequiredKey(const QString& type)
{
    return QStringLiteral("server.category-required.") + type;
}

// The categories searched one by one where a server requires a category (Epic): every category of
// FHIR R4's observation-category code system, and US Core's clinical note for documents.
QStringList categoriesFor(const QString& type)
{
    if (type == QLatin1String("Observation"))
        return { QStringLiteral("laboratory"), QStringLiteral("vital-signs"), QStringLiteral("social-history"),
            QStringLiteral("survey"), QStringLiteral("exam"), QStringLiteral("imaging"), QStringLiteral("procedure"),
            QStringLiteral("activity"), QStringLiteral("therapy") };
    if (type == QLatin1String("DocumentReference"))
        return { QStringLiteral("clinical-note") };
    return {};
}

// Shared resources a patient's records name (no patient search of their own): what $everything adds.
const QStringList kSharedTypes { QStringLiteral("Medication"), QStringLiteral("Organization"),
    QStringLiteral("Practitioner"), QStringLiteral("PractitionerRole"), QStringLiteral("Location") };

} // namespace

// What a server's CapabilityStatement offers the sync.
struct SyncEngine::Offered {
    bool everything = false; // Patient/$everything
    QSet<QString> byPatient; // types it searches with a `patient` parameter
    QSet<QString> listed; // every type it names
};

SyncEngine::Offered SyncEngine::readStatement(const QByteArray& json)
{
    Offered offered;
    const auto isEverything = [](const QJsonValue& operation) {
        return operation.toObject().value(QLatin1String("name")).toString() == QLatin1String("everything");
    };
    for (const QJsonValue rest : QJsonDocument::fromJson(json).object().value(QLatin1String("rest")).toArray()) {
        const QJsonObject r = rest.toObject();
        for (const QJsonValue op : r.value(QLatin1String("operation")).toArray())
            offered.everything |= isEverything(op);
        for (const QJsonValue resource : r.value(QLatin1String("resource")).toArray()) {
            const QJsonObject res = resource.toObject();
            const QString type = res.value(QLatin1String("type")).toString();
            offered.listed.insert(type);
            if (type == QLatin1String("Patient"))
                for (const QJsonValue op : res.value(QLatin1String("operation")).toArray())
                    offered.everything |= isEverything(op);
            bool searches = false;
            for (const QJsonValue interaction : res.value(QLatin1String("interaction")).toArray())
                searches
                    |= interaction.toObject().value(QLatin1String("code")).toString() == QLatin1String("search-type");
            for (const QJsonValue param : res.value(QLatin1String("searchParam")).toArray())
                if (searches && param.toObject().value(QLatin1String("name")).toString() == QLatin1String("patient"))
                    offered.byPatient.insert(type);
        }
    }
    return offered;
}

QStringList syncedResourceTypes()
{
    return { QStringLiteral("Patient"), QStringLiteral("AllergyIntolerance"), QStringLiteral("Condition"),
        QStringLiteral("MedicationRequest"), QStringLiteral("Observation"), QStringLiteral("Immunization"),
        QStringLiteral("Procedure"), QStringLiteral("DiagnosticReport"), QStringLiteral("DocumentReference"),
        QStringLiteral("Encounter"), QStringLiteral("CarePlan"), QStringLiteral("Goal"), QStringLiteral("CareTeam"),
        QStringLiteral("Device"), QStringLiteral("Coverage") };
}

bool scopesAllowSearch(const QStringList& grantedScopes, const QString& type)
{
    for (const QString& scope : grantedScopes) {
        if (!scope.startsWith(QLatin1String("patient/")))
            continue;
        QString rest = scope.mid(8);
        rest = rest.left(rest.indexOf(QLatin1Char('?')) < 0 ? rest.size() : rest.indexOf(QLatin1Char('?')));
        const qsizetype dot = rest.lastIndexOf(QLatin1Char('.'));
        if (dot <= 0)
            continue;
        const QString scopeType = rest.left(dot);
        const QString permissions = rest.mid(dot + 1);
        if (scopeType != QLatin1String("*") && scopeType != type)
            continue;
        // v1: read or *; v2: a cruds subset that includes s (search).
        if (permissions == QLatin1String("read") || permissions == QLatin1String("*")
            || permissions.contains(QLatin1Char('s')))
            return true;
    }
    return false;
}

bool SyncReport::complete() const
{
    if (cancelled || aborted)
        return false;
    for (const TypeProgress& p : types)
        if (p.state != TypeProgress::State::Done && p.state != TypeProgress::State::NotShared
            && p.state != TypeProgress::State::NotOffered)
            return false;
    return true;
}

// The checkpoint name of the $everything chain.
const QString kEverything = QStringLiteral("$everything");

// One type searched in chains side by side (see kSplitCategories): what its parts found together.
struct SyncEngine::Split {
    QList<std::shared_ptr<TypeRun>> parts;
    QStringList seenIds; // full re-sync or a check (verify): the union of the parts'
    bool abandoned = false; // a part was refused or misread: one search of the whole type instead
    // Until a server's split is known to hold every record (`:not` with the records without a category, as FHIR
    // says): its parts' ids against its own count of the whole type, asked beside them. Not done till then.
    bool verify = false;
    bool counted = false;
    std::optional<qint64> count;
};

struct SyncEngine::TypeRun {
    QString type; // a resource type, or kEverything
    std::shared_ptr<Split> split; // one part of a type searched in chains side by side
    QStringList covers; // $everything: the types it brings (the plan's, or those named in _type)
    bool narrowed = false; // $everything?_type=covers alongside per-type searches
    QStringList reconciles; // narrowed: the covered types a full re-sync reconciles (searchable by patient)
    bool medicationSource = false; // names (or brings) Medications: see medicationSourceDone()
    QString part; // the category searched now, when the server requires one per search
    QStringList partsLeft; // the categories still to search after `part`
    bool usedParts = false;
    TypeProgress progress;
    QDateTime startDate; // the trusted Date of this search's first page (kept across a resume)
    QDateTime newestSeen; // the newest meta.lastUpdated among the records of this search
    QDateTime sentSince; // the _lastUpdated / _since bound this search was sent with
    bool firstPageSeen = false;
    bool searchResumed = false; // this search (this part) goes on from a checkpoint
    int searchPages = 0; // pages of this search (this part)
    QStringList seenIds; // full re-sync, or a split's check: what the server has (per-type runs)
    QMap<QString, QStringList> seenByType; // the same for the $everything chain
    bool restartedAfterExpiredCheckpoint = false;
    int count = 0; // the _count this search asks for
    enum class Retry { None, PageSize, Bound, Category } lastRetry = Retry::None; // how its first page was asked again
    bool done = false; // finishType() ran
    bool lastPageArrived = false; // its last page is here: no request of its own in flight (searchesInFlight())
    bool everything() const { return type == kEverything; }
    // The name of this search's checkpoint and bound: the type, or "type/category".
    QString checkpoint() const
    {
        if (narrowed)
            return type + QStringLiteral("?_type=") + covers.join(QLatin1Char(','));
        return part.isEmpty() ? type : type + QLatin1Char('/') + part;
    }
    // For notes: what was asked, and the name of its incremental bound.
    QString what() const { return everything() ? QStringLiteral("Patient/$everything") : type; }
    QString boundParameter() const { return everything() ? QStringLiteral("_since") : QStringLiteral("_lastUpdated"); }
    // Search one category at a time, from `from` (an interrupted run's part) or the first.
    void startParts(const QString& from = {})
    {
        partsLeft = categoriesFor(type);
        usedParts = true;
        while (!from.isEmpty() && partsLeft.size() > 1 && partsLeft.constFirst() != from)
            partsLeft.removeFirst(); // the parts before the interrupted one are done
        if (!from.isEmpty() && partsLeft.constFirst() != from)
            partsLeft = categoriesFor(type); // an unknown part: all of them again
        part = partsLeft.takeFirst();
    }
};

SyncEngine::SyncEngine(FhirClient& client, ResourceStore& store, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
{
}

SyncEngine::~SyncEngine()
{
    // Gone in the middle of a page: that page was not written (its checkpoint neither).
    if (m_writing)
        m_store.rollback();
    WriteTurn::withdraw(m_store.databasePath(), this);
    releaseTurn();
}

void SyncEngine::start(const SyncPlan& plan)
{
    if (m_running)
        return;
    m_plan = plan;
    m_report = SyncReport {};
    m_referencedMedications.clear();
    m_medicationSources = 1; // MedicationRequest's search, or the $everything chain
    m_offersBoth = false;
    m_earliestBound = QDateTime();
    m_steps.clear();
    m_pending = syncedResourceTypes();
    for (const QString& type : m_pending)
        m_report.types.insert(type, TypeProgress {});
    // The largest search first (Observation, in every record seen): it sets how long the sync takes. Searched per
    // type, it goes in chains side by side, unless the server needs a category on every search or misread the
    // split before.
    m_pending.removeOne(QStringLiteral("Observation"));
    m_split.reset();
    if (m_plan.strategy != SyncPlan::Strategy::Everything
        && !readState(categoryRequiredKey(QStringLiteral("Observation"))) && !readState(kSplitUnusable)) {
        m_split = std::make_shared<Split>();
        QStringList parts;
        for (const QString& part : kSplitCategories + QStringList { kOtherCategories })
            parts << QStringLiteral("Observation/") + part;
        bool bounded = false;
        for (const QString& part : std::as_const(parts))
            bounded |= !sinceFor(part).isEmpty();
        // Checked once per server, on a sync that fetches the whole type (the count has no bound).
        m_split->verify = !readState(kSplitVerified) && !bounded;
        if (m_split->verify)
            parts << QStringLiteral("Observation/") + kSplitCount;
        m_pending = parts + m_pending;
    } else {
        m_pending.prepend(QStringLiteral("Observation"));
    }
    m_started.clear();
    m_running = true;
    m_active = 0;
    m_lastPagesArrived = 0;
    // What an earlier sync learnt of this server's _lastUpdated, read once for the whole run.
    m_boundUnusable = readState(kLastUpdatedUnusable).has_value();
    m_pageSize = m_plan.pageSize > 0 ? m_plan.pageSize : readState(kPageSize).value_or(QByteArray()).toInt();
    if (m_pageSize <= 0)
        m_pageSize = kLargestPage;
    m_clock.start();
    qCInfo(lcFhir) << "sync started:" << m_pending.size() << "types," << (plan.full ? "full" : "incremental");
    chooseStrategy();
}

void SyncEngine::chooseStrategy()
{
    switch (m_plan.strategy) {
    case SyncPlan::Strategy::PerType:
        planPerType({});
        return;
    case SyncPlan::Strategy::Everything:
        startEverything();
        return;
    case SyncPlan::Strategy::Automatic:
        break;
    }
    // The changes since the last complete sync, where the server offers $everything too: one $everything?_since
    // chain (a few changes fit one page), not a search per type that each come back nearly empty.
    if (!m_plan.full && !m_boundUnusable && readState(kOffersBoth) && readState(key(kEverything, "since"))
        && !readState(key(kEverything, "next"))) {
        qCInfo(lcFhir) << "incremental: the changes since the last complete sync through one Patient/$everything "
                          "chain";
        startEverything();
        return;
    }
    // What does the server offer: searches by patient, Patient/$everything? Its CapabilityStatement says. Most
    // servers search per type, so the first searches start beside that request rather than after it.
    ++m_active;
    m_deciding = true;
    m_client.read(m_client.url(QStringLiteral("metadata")))
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const FhirResult<QByteArray>& statement) {
            --m_active;
            m_deciding = false;
            if (!m_running)
                return;
            const Offered offered = statement ? readStatement(statement.value()) : Offered {};
            const QStringList types = syncedResourceTypes();
            const bool perType = std::any_of(types.cbegin(), types.cend(), [&offered](const QString& type) {
                return type != QLatin1String("Patient") && offered.byPatient.contains(type);
            });
            if (offered.everything && !perType)
                startEverything(); // (the searches started beside it may be refused: the chain covers their types)
            else
                planPerType(offered);
        }));
    while (m_running && searchesInFlight() < std::max(1, m_plan.parallelTypes) && !m_pending.isEmpty())
        startType(m_pending.takeFirst());
}

void SyncEngine::planPerType(const Offered& offered)
{
    // Every type this connection holds is searched again, whether the plan names it or not; a type the server
    // cannot search by patient comes through the $everything chain, where there is one.
    QStringList chain;
    const auto searched = [this](const QString& type) {
        return m_started.contains(type) || m_pending.contains(type)
            || (type == QLatin1String("Observation") && m_split);
    };
    const auto stored = m_store.storedTypes();
    for (const QString& type : stored ? stored.value() : QStringList()) {
        if (searched(type) || type == QLatin1String("Medication"))
            continue; // Medications come by reference
        if (offered.byPatient.contains(type)) {
            m_pending << type;
            m_report.types.insert(type, TypeProgress {});
        } else if (offered.everything) {
            chain << type;
        } else {
            qCInfo(lcFhir) << type << "is stored, but this server offers no search for it: kept as it is";
        }
    }
    // With $everything there too, what only it would bring: the types searched by patient outside the plan
    // (Claim, ExplanationOfBenefit...) and the shared resources the records name (Organization, Practitioner...).
    if (offered.everything) {
        for (const QString& type : offered.byPatient)
            if (!searched(type) && type != QLatin1String("Patient"))
                chain << type;
        for (const QString& type : kSharedTypes)
            if (offered.listed.contains(type))
                chain << type;
    }
    chain.removeIf([this](const QString& type) { return !scopesAllowSearch(m_plan.grantedScopes, type); });
    chain.removeDuplicates();
    chain.sort();
    m_chainTypes = chain;
    m_offersBoth = offered.everything;
    if (!chain.isEmpty())
        m_pending.prepend(kEverything); // beside the largest search, which has started
    if (chain.contains(QStringLiteral("Medication")))
        ++m_medicationSources;
    if (offered.everything)
        qCInfo(lcFhir).noquote() << QStringLiteral(
            "%1 searches side by side, %2 at a time, rather than one Patient/$everything chain (a chain is "
            "one page at a time); $everything brings only %3")
                                        .arg(m_started.size() + m_pending.size() - (chain.isEmpty() ? 0 : 1))
                                        .arg(std::max(1, m_plan.parallelTypes))
                                        .arg(
                                            chain.isEmpty() ? QStringLiteral("nothing") : chain.join(QLatin1Char(',')));
    startNextTypes();
}

void SyncEngine::startEverything()
{
    m_report.usedEverything = true;
    if (m_split)
        m_split->verify = false; // the chain brings every Observation: no split to check
    auto run = std::make_shared<TypeRun>();
    run->type = kEverything;
    for (const QString& entry : m_started + std::exchange(m_pending, {})) {
        const QString type = entry.section(QLatin1Char('/'), 0, 0); // a part's type
        if (!run->covers.contains(type))
            run->covers << type;
    }
    run->medicationSource = true;
    ++m_active;
    for (const QString& type : std::as_const(run->covers))
        m_report.types[type].state = TypeProgress::State::Running;
    startSearch(run);
}

void SyncEngine::startChain()
{
    auto run = std::make_shared<TypeRun>();
    run->type = kEverything;
    run->narrowed = true;
    run->covers = m_chainTypes;
    run->medicationSource = m_chainTypes.contains(QStringLiteral("Medication"));
    for (const QString& type : std::as_const(m_chainTypes))
        if (!kSharedTypes.contains(type))
            run->reconciles << type;
    ++m_active;
    startSearch(run);
}

bool SyncEngine::medicationSourceDone(TypeRun& run)
{
    return std::exchange(run.medicationSource, false) && --m_medicationSources == 0;
}

void SyncEngine::finishEverything(std::shared_ptr<TypeRun> run)
{
    if (run->narrowed) {
        // Beside the per-type searches: the types that came are complete (and reconciled, on a full re-sync).
        for (const QString& type : std::as_const(run->covers)) {
            if (!m_report.types.contains(type))
                continue;
            TypeProgress& p = m_report.types[type];
            p.state = TypeProgress::State::Done;
            p.resumed = run->progress.resumed;
        }
        if (m_plan.full && !run->progress.resumed) {
            for (const QString& type : std::as_const(run->reconciles)) {
                const auto removed = m_store.retainOnly(type, run->seenByType.value(type));
                if (removed && removed.value() > 0)
                    m_report.types[type].removed = removed.value();
            }
        }
        if (medicationSourceDone(*run) && !m_referencedMedications.isEmpty()) {
            fetchMedications(run);
            return;
        }
        finishType(run, TypeProgress::State::Done);
        return;
    }
    // Each type the grant covers is complete; the others were not shared.
    QStringList types = run->covers;
    // Types the plan does not name but the server sent in the chain (Claim, Organization, Provenance...):
    // stored under their own type, complete with the chain. Nothing that arrives is dropped.
    QStringList uninvited;
    for (auto it = m_report.types.cbegin(); it != m_report.types.cend(); ++it) {
        if (!types.contains(it.key()) && it->state == TypeProgress::State::Pending && it->fetched > 0)
            uninvited << it.key();
    }
    if (!uninvited.isEmpty())
        qCInfo(lcFhir) << "$everything also brought" << uninvited.size()
                       << "types outside the plan; stored as other records";
    types << uninvited;
    for (const QString& type : std::as_const(types)) {
        TypeProgress& p = m_report.types[type];
        const bool allowed = uninvited.contains(type) || scopesAllowSearch(m_plan.grantedScopes, type);
        p.state = allowed ? TypeProgress::State::Done : TypeProgress::State::NotShared;
        p.resumed = run->progress.resumed;
        if (allowed && m_plan.full && !run->progress.resumed && type != QLatin1String("Patient")) {
            const auto removed = m_store.retainOnly(type, run->seenByType.value(type));
            if (removed)
                p.removed = removed.value();
        }
    }
    if (medicationSourceDone(*run) && !m_referencedMedications.isEmpty()) {
        fetchMedications(run);
        return;
    }
    run->done = true;
    if (run->lastPageArrived)
        --m_lastPagesArrived;
    --m_active;
    maybeFinish();
}

void SyncEngine::cancel()
{
    if (!m_running)
        return;
    m_report.cancelled = true;
    m_pending.clear();
    m_client.cancelAll(); // every future finishes as Cancelled; maybeFinish follows
}

void SyncEngine::startNextTypes()
{
    if (m_deciding)
        return; // the CapabilityStatement decides what comes next
    while (m_running && searchesInFlight() < std::max(1, m_plan.parallelTypes) && !m_pending.isEmpty())
        startType(m_pending.takeFirst());
    maybeFinish();
}

QString SyncEngine::sinceFor(const QString& checkpoint)
{
    if (m_plan.full || m_boundUnusable)
        return {};
    return QString::fromLatin1(readState(key(checkpoint, "since")).value_or(QByteArray()));
}

std::optional<QByteArray> SyncEngine::readState(const QString& name)
{
    const auto value = m_store.state(name);
    if (!value || !value.value() || value.value()->isEmpty())
        return std::nullopt;
    return *value.value();
}

bool SyncEngine::writeState(const QString& name, const QByteArray& value)
{
    return m_store.setState(name, value).ok();
}

void SyncEngine::noteServerDate(const QDateTime& date)
{
    if (!m_report.serverDate.isValid() && date.isValid())
        m_report.serverDate = date;
}

void SyncEngine::startType(const QString& type)
{
    if (type == kEverything) {
        startChain();
        return;
    }
    auto run = std::make_shared<TypeRun>();
    run->type = type.section(QLatin1Char('/'), 0, 0);
    run->medicationSource = type == QLatin1String("MedicationRequest");
    run->progress.state = TypeProgress::State::Running;
    m_started << run->type;
    ++m_active;
    if (type.endsWith(QLatin1Char('/') + kSplitCount) && m_split) {
        countSplitType(run->type); // its request holds this place in the budget till it is answered
        return;
    }
    if (run->type != type && m_split) { // a part of the split type
        run->split = m_split;
        run->part = type.section(QLatin1Char('/'), 1);
        m_split->parts << run;
        reportSplit();
        if (!scopesAllowSearch(m_plan.grantedScopes, run->type)) {
            finishType(run, TypeProgress::State::NotShared);
            return;
        }
        startSearch(run);
        return;
    }
    m_report.types[run->type] = run->progress;

    if (type == QLatin1String("Patient")) {
        if (!scopesAllowSearch(m_plan.grantedScopes, type)) {
            finishType(run, TypeProgress::State::NotShared);
            return;
        }
        m_client
            .read(m_client.url(
                QStringLiteral("Patient/") + QString::fromLatin1(QUrl::toPercentEncoding(m_plan.patientId))))
            .then(compat::continuationContext(),
                compat::ifAlive(this, [this, run](const FhirResult<QByteArray>& patient) {
                    if (!patient) {
                        arrived(run, patient.failure());
                        return;
                    }
                    BundlePage page;
                    page.resources << patient.value();
                    page.total = 1;
                    arrived(run, page);
                }));
        return;
    }
    if (!scopesAllowSearch(m_plan.grantedScopes, type)) {
        finishType(run, TypeProgress::State::NotShared);
        return;
    }
    // A server that requires a category for this type: one search per category, one after the other.
    if (readState(categoryRequiredKey(type)))
        run->startParts(QString::fromLatin1(readState(key(type, "part")).value_or(QByteArray())));
    startSearch(run);
}

void SyncEngine::startSearch(std::shared_ptr<TypeRun> run)
{
    // An interrupted run left a checkpoint: go on from the last committed page.
    run->searchPages = 0;
    if (const auto next = readState(key(run->checkpoint(), "next"))) {
        run->progress.resumed = true;
        run->searchResumed = true;
        if (const auto started = readState(key(run->checkpoint(), "started")))
            run->startDate = QDateTime::fromString(QString::fromLatin1(*started), Qt::ISODate);
        qCInfo(lcFhir) << run->type << ": resuming from a checkpoint";
        fetchPage(run, QUrl::fromEncoded(*next));
        return;
    }
    if (run->usedParts)
        writeState(key(run->type, "part"), run->part.toUtf8());
    run->searchResumed = false;
    run->startDate = QDateTime();
    run->newestSeen = QDateTime();
    run->firstPageSeen = false;
    const QString since = sinceFor(run->checkpoint());
    run->sentSince = QDateTime::fromString(since, Qt::ISODate);
    if (run->count <= 0)
        run->count = m_pageSize;
    QUrlQuery query;
    QUrl url;
    if (run->everything()) {
        if (run->narrowed)
            query.addQueryItem(QStringLiteral("_type"), run->covers.join(QLatin1Char(',')));
        query.addQueryItem(QStringLiteral("_count"), QString::number(run->count));
        if (!since.isEmpty())
            query.addQueryItem(QStringLiteral("_since"), since);
        url = m_client.url(QStringLiteral("Patient/") + QString::fromLatin1(QUrl::toPercentEncoding(m_plan.patientId))
            + QStringLiteral("/$everything"));
    } else {
        query.addQueryItem(QStringLiteral("patient"), m_plan.patientId);
        if (run->part == kOtherCategories && run->split) {
            for (const QString& category : kSplitCategories)
                query.addQueryItem(QStringLiteral("category:not"), category);
        } else if (!run->part.isEmpty()) {
            query.addQueryItem(QStringLiteral("category"), run->part);
        }
        query.addQueryItem(QStringLiteral("_count"), QString::number(run->count));
        if (!since.isEmpty())
            query.addQueryItem(QStringLiteral("_lastUpdated"), QStringLiteral("ge") + since);
        url = m_client.url(run->type);
    }
    url.setQuery(query);
    fetchPage(run, url);
}

void SyncEngine::boundUnusable(const char* how)
{
    m_boundUnusable = true;
    writeState(kLastUpdatedUnusable, QByteArray(how));
}

QString SyncEngine::positionNotSaved()
{
    return tr("Could not save the sync position.");
}

double SyncEngine::resourcesPerSecond() const
{
    const qint64 ms = m_clock.elapsed();
    return ms > 0 ? static_cast<double>(m_report.resources) * 1000.0 / static_cast<double>(ms) : 0;
}

void SyncEngine::note(const QString& text)
{
    if (m_report.notes.contains(text))
        return;
    qCInfo(lcFhir).noquote() << "note:" << text;
    m_report.notes << text;
}

bool SyncEngine::retryRefused(std::shared_ptr<TypeRun> run, const FhirFailure& failure)
{
    // Only a first page can be asked again differently; a refused later page is a failure.
    if (run->searchResumed || run->searchPages > 0 || run->type == QLatin1String("Patient"))
        return false;
    // First the page size, where this sync chose it: a server may refuse a _count above its maximum. Remembered
    // only when the smaller page is what it takes (handlePage).
    if (m_plan.pageSize <= 0 && run->count > kSmallPage && run->lastRetry == TypeRun::Retry::None) {
        run->lastRetry = TypeRun::Retry::PageSize;
        run->count = kSmallPage;
        startSearch(run);
        return true;
    }
    // Then the bound: without it the answer is complete anyway, so dropping it can lose nothing.
    if (run->sentSince.isValid()) {
        run->lastRetry = TypeRun::Retry::Bound;
        run->count = m_pageSize; // the page size was not it
        boundUnusable("refused");
        note(QStringLiteral("%1 refused %2 (%3): full searches instead, from now on")
                 .arg(run->what(), run->boundParameter(), failure.detail));
        startSearch(run);
        return true;
    }
    // A part of a split type, refused: one search of the whole type instead (and from now on).
    if (run->split) {
        abandonSplit(run->type, QStringLiteral("refused (%1)").arg(failure.detail));
        finishType(run, TypeProgress::State::Done);
        return true;
    }
    // $everything narrowed by _type, refused: the per-type searches hold the patient's records; what only the
    // chain would bring is not fetched this time.
    if (run->narrowed) {
        chainRefused(run, failure);
        return true;
    }
    // Then a category, for the types some servers search only by category.
    if (run->part.isEmpty() && !categoriesFor(run->type).isEmpty()) {
        run->lastRetry = TypeRun::Retry::Category;
        run->count = m_pageSize;
        writeState(categoryRequiredKey(run->type), QByteArrayLiteral("1"));
        note(QStringLiteral("%1 needs a category (%2): searched one category at a time, from now on")
                 .arg(run->what(), failure.detail));
        run->startParts();
        startSearch(run);
        return true;
    }
    // A category this server cannot search: it cannot hold records the app could fetch. Skip it.
    if (!run->part.isEmpty()) {
        note(QStringLiteral("%1 refused category %2 (%3): skipped").arg(run->what(), run->part, failure.detail));
        if (run->partsLeft.isEmpty()) {
            // A stale part would make the next sync start from it, skipping the categories before it.
            const bool cleared = m_store.removeState(key(run->type, "part")).ok();
            finishType(run, cleared ? TypeProgress::State::Done : TypeProgress::State::Failed,
                cleared ? QString() : positionNotSaved());
        } else {
            run->part = run->partsLeft.takeFirst();
            startSearch(run);
        }
        return true;
    }
    return false;
}

void SyncEngine::abandonSplit(const QString& type, const QString& why)
{
    if (std::exchange(m_split->abandoned, true))
        return;
    writeState(kSplitUnusable, QByteArrayLiteral("1"));
    note(QStringLiteral("%1 split by category: the server %2; one search of every %1 instead, from now on")
             .arg(type, why));
    m_pending.prepend(type); // its own run, reported and reconciled as any other
}

void SyncEngine::countSplitType(const QString& type)
{
    QUrl url = m_client.url(type);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("patient"), m_plan.patientId);
    query.addQueryItem(QStringLiteral("_summary"), QStringLiteral("count"));
    query.addQueryItem(QStringLiteral("_count"), QStringLiteral("0"));
    url.setQuery(query);
    m_client.search(url).then(
        compat::continuationContext(), compat::ifAlive(this, [this, type](const FhirResult<BundlePage>& page) {
            --m_active;
            if (!m_running)
                return;
            m_split->counted = true;
            if (page)
                m_split->count = page.value().total;
            settleSplit(type); // (a part still writing settles it when it is through)
            startNextTypes();
        }));
}

void SyncEngine::settleSplit(const QString& type)
{
    Split& split = *m_split;
    if (!split.verify || split.abandoned || !split.counted || split.parts.size() < kSplitCategories.size() + 1)
        return;
    for (const auto& part : std::as_const(split.parts))
        if (!part->done)
            return;
    const bool allDone = std::all_of(split.parts.cbegin(), split.parts.cend(),
        [](const auto& part) { return part->progress.state == TypeProgress::State::Done; });
    if (!allDone) { // not shared, or incomplete: nothing to check; the next sync that fetches it all checks
        split.verify = false;
        reportSplit();
        return;
    }
    // Distinct records: a record of both categories comes in two parts, a page may repeat one.
    QStringList ids = split.seenIds;
    ids.sort();
    const qsizetype found = std::unique(ids.begin(), ids.end()) - ids.begin();
    if (!split.count) {
        abandonSplit(type, QStringLiteral("gave no count to check it against"));
    } else if (found < *split.count) {
        abandonSplit(type,
            QStringLiteral("left out %1 of %2 records (category:not= without the records that have no category?)")
                .arg(*split.count - found)
                .arg(*split.count));
    } else {
        writeState(kSplitVerified, QByteArrayLiteral("1"));
        split.verify = false;
        reportSplit();
    }
    startNextTypes();
}

void SyncEngine::reportSplit()
{
    // The parts together, as one type: done when every part is, complete only then.
    const Split& split = *m_split;
    if (split.abandoned)
        return; // the search of the whole type reports
    TypeProgress total;
    total.state = TypeProgress::State::Done;
    bool allNotShared = true;
    bool allNotOffered = true;
    bool running = split.parts.size() < kSplitCategories.size() + 1;
    for (const auto& part : split.parts) {
        const TypeProgress& p = part->progress;
        total.fetched += p.fetched;
        total.pages += p.pages;
        total.resumed |= p.resumed;
        if (p.total)
            total.total = total.total.value_or(0) + *p.total;
        allNotShared &= p.state == TypeProgress::State::NotShared;
        allNotOffered &= p.state == TypeProgress::State::NotOffered;
        if (!part->done)
            running = true;
        else if (p.state == TypeProgress::State::Failed || p.state == TypeProgress::State::Cancelled) {
            total.state = p.state;
            total.error = p.error;
        }
    }
    running |= split.verify && !allNotShared; // not done before its check: nothing reconciled, nothing reported
    if (running)
        total.state = TypeProgress::State::Running;
    else if (allNotShared)
        total.state = TypeProgress::State::NotShared;
    else if (allNotOffered)
        total.state = TypeProgress::State::NotOffered;
    const QString type = split.parts.isEmpty() ? QStringLiteral("Observation") : split.parts.constFirst()->type;
    // A full re-sync reconciles the type once every part went through from its first page.
    if (!running && total.state == TypeProgress::State::Done && m_plan.full && !total.resumed) {
        const auto removed = m_store.retainOnly(type, split.seenIds);
        if (removed)
            total.removed = removed.value();
    }
    m_report.types[type] = total;
}

void SyncEngine::chainRefused(std::shared_ptr<TypeRun> run, const FhirFailure& failure)
{
    note(QStringLiteral("Patient/$everything?_type=%1 refused (%2): those types were not fetched")
             .arg(run->covers.join(QLatin1Char(',')), failure.detail));
    if (medicationSourceDone(*run) && !m_referencedMedications.isEmpty()) {
        fetchMedications(run);
        return;
    }
    finishType(run, TypeProgress::State::NotOffered);
}

void SyncEngine::fetchPage(std::shared_ptr<TypeRun> run, const QUrl& url)
{
    m_client.search(url).then(compat::continuationContext(),
        compat::ifAlive(this, [this, run](const FhirResult<BundlePage>& page) { arrived(run, page); }));
}

void SyncEngine::arrived(std::shared_ptr<TypeRun> run, const FhirResult<BundlePage>& result)
{
    if (!m_running)
        return;
    // The next page is asked for as this one arrives, before it waits for its turn to be written, unless pages
    // already wait (a server faster than the writes: then as this one's writing starts, so memory stays bounded).
    // A search's last page frees its place in the budget as it arrives: the next search starts while this one is
    // written (not a search that may go on to fetch the Medications it names: the budget is never exceeded).
    const bool askNow = m_steps.size() < std::max(2, m_plan.parallelTypes);
    if (result && result.value().next && !run->done && !m_report.aborted && !m_report.cancelled) {
        if (askNow)
            fetchPage(run, *result.value().next);
    } else if (result && run->partsLeft.isEmpty() && !run->medicationSource && !run->lastPageArrived && !run->done) {
        run->lastPageArrived = true;
        ++m_lastPagesArrived;
        startNextTypes();
    }
    whenWritten([this, run, result, askNow] { handlePage(run, result, askNow); });
}

void SyncEngine::whenWritten(const std::function<void()>& step)
{
    m_steps.enqueue(step);
    runSteps();
}

void SyncEngine::runSteps()
{
    if (m_holdsTurn || m_waitingForTurn || m_steps.isEmpty() || !m_running)
        return;
    // Steps write (a page, a checkpoint, a clean-up): other engines on this
    // thread that write the same file wait for their turn, and so does this one.
    m_waitingForTurn = true;
    WriteTurn::take(m_store.databasePath(), this, [this] {
        m_waitingForTurn = false;
        m_holdsTurn = true;
        const QPointer<SyncEngine> alive(this); // a step may end the sync, and whoever waits for that may delete this
        while (alive && !m_writing && !m_steps.isEmpty() && m_running)
            m_steps.dequeue()();
        if (alive && !m_writing)
            releaseTurn();
    });
}

void SyncEngine::releaseTurn()
{
    if (std::exchange(m_holdsTurn, false))
        WriteTurn::release(m_store.databasePath());
}

void SyncEngine::afterPage()
{
    releaseTurn();
    runSteps();
}

void SyncEngine::handlePage(std::shared_ptr<TypeRun> run, const FhirResult<BundlePage>& result, bool nextAsked)
{
    if (run->done)
        return; // e.g. the next page, cancelled after this type failed
    if (!result) {
        const FhirFailure& failure = result.failure();
        switch (failure.code) {
        case FhirError::Forbidden:
            finishType(run, TypeProgress::State::NotShared);
            return;
        case FhirError::Refused:
            if (retryRefused(run, failure))
                return;
            finishType(run, TypeProgress::State::Failed, failure.message);
            return;
        case FhirError::NeedsReconnect:
        case FhirError::Keychain:
        case FhirError::Unauthorized:
            abortAll(failure);
            finishType(run, TypeProgress::State::Failed, failure.message);
            return;
        case FhirError::Cancelled:
            finishType(run, TypeProgress::State::Cancelled);
            return;
        case FhirError::NotFound:
            // A checkpoint's next link can outlive the server's search
            // snapshot: start this type again from its first page, once.
            if (run->searchResumed && !run->restartedAfterExpiredCheckpoint) {
                run->restartedAfterExpiredCheckpoint = true;
                if (!m_store.removeState(key(run->checkpoint(), "next"))) { // else the next run resumes from it again
                    finishType(run, TypeProgress::State::Failed, positionNotSaved());
                    return;
                }
                run->progress.resumed = false;
                if (run->split) { // a part: the same part again, from its first page
                    run->progress = TypeProgress {};
                    run->progress.state = TypeProgress::State::Running;
                    run->seenIds.clear();
                    startSearch(run);
                    return;
                }
                --m_active;
                if (run->everything())
                    startEverything();
                else
                    startType(run->type);
                return;
            }
            // $everything offered but refused: the per-type searches still work.
            if (run->everything() && run->progress.pages == 0) {
                if (run->narrowed) {
                    chainRefused(run, failure);
                    return;
                }
                run->done = true;
                --m_active;
                m_report.usedEverything = false;
                (void)m_store.removeState(kOffersBoth); // (it was: next time its CapabilityStatement decides again)
                m_pending = run->covers;
                startNextTypes();
                return;
            }
            // A search the server does not know at all: it does not offer
            // this kind of record (many servers leave out Goal or Device).
            if (!run->progress.resumed && run->progress.pages == 0 && run->type != QLatin1String("Patient")) {
                finishType(run, TypeProgress::State::NotOffered);
                return;
            }
            [[fallthrough]];
        default:
            finishType(run, TypeProgress::State::Failed, failure.message);
            return;
        }
    }
    if (m_report.aborted || m_report.cancelled) {
        finishType(run, TypeProgress::State::Cancelled); // its checkpoint still points at this page
        return;
    }
    const BundlePage& page = result.value();
    noteServerDate(page.serverDate);
    // A first page that came only with a smaller _count: that is this server's limit, from now on.
    if (run->lastRetry == TypeRun::Retry::PageSize && run->searchPages == 0 && m_pageSize > run->count) {
        m_pageSize = run->count;
        writeState(kPageSize, QByteArray::number(m_pageSize));
        note(QStringLiteral("%1 refused _count=%2: pages of %3 from now on")
                 .arg(run->what())
                 .arg(kLargestPage)
                 .arg(m_pageSize));
    }
    // (The Patient is one read, not a search: no bound, no Date to judge.)
    if (!run->firstPageSeen && !run->searchResumed && run->type != QLatin1String("Patient")) {
        run->firstPageSeen = true;
        // The next bound comes from the server's clock, never from ours; ours only says whether the Date
        // header can be believed (a front end with a wrong clock, or none at all).
        const qint64 skew
            = page.serverDate.isValid() ? std::abs(page.serverDate.secsTo(QDateTime::currentDateTimeUtc())) : -1;
        if (skew >= 0 && skew <= kTrustedDateSkewSeconds)
            run->startDate = page.serverDate;
        else
            note(page.serverDate.isValid()
                    ? QStringLiteral("the server's Date header is %1 minutes off this computer's clock: the next "
                                     "incremental sync starts from the newest record's lastUpdated")
                          .arg((skew + 30) / 60)
                    : QStringLiteral("the server sends no Date header: the next incremental sync starts from the "
                                     "newest record's lastUpdated"));
    }
    for (const QString& warning : page.warnings)
        note(QStringLiteral("the server said, with the results: %1").arg(warning));
    // The page and its checkpoint in one transaction: a crash leaves either
    // both or neither. It is written a slice at a time (writeSlice), giving
    // the event loop back in between.
    m_writing = Writing { run, page, 0 };
    if (auto begun = m_store.begin(); !begun)
        return failWrite(begun.failure());
    if (page.next && !nextAsked)
        fetchPage(run, *page.next);
    QMetaObject::invokeMethod(this, &SyncEngine::writeSlice, Qt::QueuedConnection);
}

void SyncEngine::writeSlice()
{
    // ~0.5 ms of work at a time on the thread the engine lives on (the GUI's, in the app).
    constexpr qsizetype kSlice = 20;
    Writing& w = *m_writing;
    const BundlePage& page = w.page;
    const qsizetype n = std::min(kSlice, page.resources.size() - w.written);
    const auto upserted = page.indexes.size() == page.resources.size()
        ? m_store.upsert(page.resources.mid(w.written, n), page.indexes.mid(w.written, n))
        : m_store.upsert(page.resources.mid(w.written, n));
    if (!upserted) {
        const QPointer<SyncEngine> alive(this); // the sync may end here, and its owner delete this
        failWrite(upserted.failure());
        if (alive)
            afterPage();
        return;
    }
    w.written += n;
    if (w.written < page.resources.size()) {
        QMetaObject::invokeMethod(this, &SyncEngine::writeSlice, Qt::QueuedConnection);
        return;
    }
    pageWritten();
}

void SyncEngine::failWrite(const StoreFailure& failure)
{
    const std::shared_ptr<TypeRun> run = m_writing->run;
    m_store.rollback();
    // Still "writing" while the requests are cancelled, so their answers wait behind this type's failure.
    abortAll({ FhirError::Server, failure.message, failure.detail });
    m_writing.reset();
    finishType(run, TypeProgress::State::Failed, failure.message);
}

void SyncEngine::pageWritten()
{
    const std::shared_ptr<TypeRun> run = m_writing->run;
    const BundlePage page = m_writing->page;
    bool stateOk = true;
    for (const ResourceIndex& index : page.indexes)
        if (index.lastUpdated.isValid() && (!run->newestSeen.isValid() || index.lastUpdated > run->newestSeen))
            run->newestSeen = index.lastUpdated;
    const QString checkpoint = run->checkpoint();
    if (page.next) {
        stateOk = writeState(key(checkpoint, "next"), page.next->toEncoded());
        if (stateOk && run->startDate.isValid())
            stateOk = writeState(key(checkpoint, "started"), run->startDate.toUTC().toString(Qt::ISODate).toLatin1());
    } else {
        stateOk = m_store.removeState(key(checkpoint, "next")).ok();
        // Next time, ask only for what changed since this search began, by the server's clock, with 5 minutes
        // of overlap; without a Date to trust, since the newest record seen, with an hour. Neither: as before.
        const QDateTime bound = run->startDate.isValid() ? run->startDate.addSecs(-300)
            : run->newestSeen.isValid()                  ? run->newestSeen.addSecs(-3600)
                                                         : QDateTime();
        if (stateOk && bound.isValid()) {
            stateOk = writeState(key(checkpoint, "since"), bound.toUTC().toString(Qt::ISODate).toLatin1());
            if (!m_earliestBound.isValid() || bound < m_earliestBound)
                m_earliestBound = bound;
        }
    }
    auto committed = stateOk
        ? m_store.commit()
        : StoreResult<Done>(StoreFailure { StoreError::Io, positionNotSaved(), QStringLiteral("checkpoint write") });
    const QPointer<SyncEngine> alive(this);
    if (!committed) {
        failWrite(committed.failure());
    } else {
        m_writing.reset();
        pageStored(run, page);
    }
    if (alive)
        afterPage();
}

void SyncEngine::pageStored(std::shared_ptr<TypeRun> run, const BundlePage& page)
{
    run->progress.pages += 1;
    run->searchPages += 1;
    run->progress.fetched += page.resources.size();
    if (page.total && !run->progress.total)
        run->progress.total = page.total;
    m_report.resources += page.resources.size();
    m_report.bytes += page.bytes;
    if (run->everything()) {
        // One chain carries every type: count them where people look.
        for (qsizetype i = 0; i < page.resources.size(); ++i) {
            const QString type = i < page.indexes.size() ? page.indexes.at(i).type
                                                         : QJsonDocument::fromJson(page.resources.at(i))
                                                               .object()
                                                               .value(QLatin1String("resourceType"))
                                                               .toString();
            TypeProgress& p = m_report.types[type];
            p.fetched += 1;
            if (m_plan.full && !run->progress.resumed)
                run->seenByType[type] << (i < page.indexes.size() ? page.indexes.at(i).id : idOf(page.resources.at(i)));
        }
    } else if ((m_plan.full || (run->split && run->split->verify)) && !run->progress.resumed) {
        for (qsizetype i = 0; i < page.resources.size(); ++i) // the ids the parse worker read, not a parse here
            run->seenIds << (i < page.indexes.size() ? page.indexes.at(i).id : idOf(page.resources.at(i)));
    }
    // The rest of a split type must hold none of the categories searched beside it: a server that ignores or
    // misreads `:not` could otherwise leave records out. Then one search of the whole type.
    if (run->split && run->part == kOtherCategories && !run->split->abandoned) {
        for (const ResourceIndex& index : page.indexes) {
            const bool misread = std::any_of(index.categories.cbegin(), index.categories.cend(),
                [](const QString& c) { return kSplitCategories.contains(c.section(QLatin1Char('|'), -1)); });
            if (misread) {
                abandonSplit(run->type, QStringLiteral("answered category:not with records of those categories"));
                break;
            }
        }
    }
    for (const QString& reference : page.medicationReferences) // read on the parse worker
        m_referencedMedications.insert(reference);
    if (!run->everything())
        m_report.types[run->type] = run->progress;
    Q_EMIT progressed(run->type, run->progress, m_report.resources, resourcesPerSecond());

    // Asked for changes since a bound, and given older records: the server ignores the parameter. The answer
    // is then complete, so nothing is lost; later syncs stop sending it.
    if (run->sentSince.isValid() && !m_boundUnusable) {
        for (const ResourceIndex& index : page.indexes) {
            if (index.lastUpdated.isValid() && index.lastUpdated.addSecs(1) < run->sentSince) {
                boundUnusable("ignored");
                note(QStringLiteral("%1 ignored %2 (older records came back): full searches instead, from now on")
                         .arg(run->what(), run->boundParameter()));
                break;
            }
        }
    }
    if (page.next)
        return; // asked for when this page arrived
    if (run->everything()) {
        finishEverything(run);
        return;
    }
    if (!run->partsLeft.isEmpty()) { // the next category of this type
        run->part = run->partsLeft.takeFirst();
        startSearch(run);
        return;
    }
    if (run->usedParts && !m_store.removeState(key(run->type, "part"))) {
        finishType(run, TypeProgress::State::Failed, positionNotSaved());
        return;
    }
    // A type searched by category is not reconciled: records in a category outside the list must stay. (A split
    // type is, once every part is through: finishType.)
    if (m_plan.full && !run->progress.resumed && run->type != QLatin1String("Patient") && !run->usedParts
        && !run->split) {
        const auto removed = m_store.retainOnly(run->type, run->seenIds);
        if (removed)
            run->progress.removed = removed.value();
    }
    if (medicationSourceDone(*run) && !m_referencedMedications.isEmpty()) {
        fetchMedications(run);
        return;
    }
    finishType(run, TypeProgress::State::Done);
}

void SyncEngine::fetchMedications(std::shared_ptr<TypeRun> run)
{
    if (m_report.aborted || m_report.cancelled) {
        finishType(run, TypeProgress::State::Cancelled);
        return;
    }
    // Medications referenced by the requests and not stored yet.
    QStringList missing;
    for (const QString& reference : std::as_const(m_referencedMedications)) {
        const auto stored = m_store.get(QStringLiteral("Medication"), reference.mid(11));
        if (!stored || !stored.value())
            missing << reference;
    }
    if (missing.isEmpty()) {
        finishType(run, TypeProgress::State::Done);
        return;
    }
    // A few requests of up to kMedicationBatch ids each, side by side; a server that cannot search Medication by
    // _id gets one read per Medication (and is remembered for it).
    const bool byRead = readState(kMedicationsByRead).has_value();
    auto remaining = std::make_shared<int>(0);
    auto fetched = std::make_shared<QList<QByteArray>>();
    auto done = [this, run, remaining, fetched] {
        if (--*remaining > 0 || !m_running)
            return;
        whenWritten([this, run, fetched] {
            if (!fetched->isEmpty() && m_store.upsert(*fetched))
                m_report.resources += fetched->size();
            finishType(run, TypeProgress::State::Done);
        });
    };
    auto readOne = [this, remaining, fetched, done](const QString& reference) {
        ++*remaining;
        m_client.read(m_client.url(reference))
            .then(compat::continuationContext(),
                compat::ifAlive(this, [fetched, done](const FhirResult<QByteArray>& medication) {
                    if (medication)
                        *fetched << medication.value();
                    done();
                }));
    };
    if (byRead) {
        for (const QString& reference : std::as_const(missing))
            readOne(reference);
        return;
    }
    for (qsizetype at = 0; at < missing.size(); at += kMedicationBatch) {
        const QStringList batch = missing.mid(at, kMedicationBatch);
        QStringList ids;
        for (const QString& reference : batch)
            ids << reference.mid(11);
        QUrl url = m_client.url(QStringLiteral("Medication"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("_id"), ids.join(QLatin1Char(',')));
        query.addQueryItem(QStringLiteral("_count"), QString::number(batch.size()));
        url.setQuery(query);
        ++*remaining;
        m_client.search(url).then(compat::continuationContext(),
            compat::ifAlive(this, [this, batch, fetched, done, readOne](const FhirResult<BundlePage>& page) {
                if (page) {
                    *fetched << page.value().resources;
                    // A server that pages even this: the ones not on the first page are read by id.
                    if (page.value().next) {
                        QStringList got;
                        for (const QByteArray& json : page.value().resources)
                            got << QStringLiteral("Medication/") + idOf(json);
                        for (const QString& reference : batch)
                            if (!got.contains(reference))
                                readOne(reference);
                    }
                } else if (page.code() == FhirError::Refused || page.code() == FhirError::NotFound) {
                    if (!readState(kMedicationsByRead)) {
                        writeState(kMedicationsByRead, QByteArrayLiteral("1"));
                        note(QStringLiteral("Medication search by _id refused (%1): each Medication read by itself, "
                                            "from now on")
                                 .arg(page.failure().detail));
                    }
                    for (const QString& reference : batch)
                        readOne(reference);
                }
                done();
            }));
    }
}

void SyncEngine::finishType(std::shared_ptr<TypeRun> run, TypeProgress::State state, const QString& error)
{
    if (std::exchange(run->done, true))
        return;
    if (run->lastPageArrived)
        --m_lastPagesArrived;
    run->progress.state = state;
    run->progress.error = error;
    medicationSourceDone(*run); // (a failed source names no more: the others may fetch what is named)
    if (run->everything()) {
        // The chain stopped early: every type it was fetching stopped with it
        // (its checkpoint lets the next run go on).
        for (const QString& type : std::as_const(run->covers)) {
            if (run->narrowed && (!m_report.types.contains(type) || state == TypeProgress::State::NotOffered))
                continue; // beside the per-type searches, only the types that came are the chain's
            m_report.types[type].state = state;
            m_report.types[type].error = error;
        }
    } else if (run->split) {
        if (state == TypeProgress::State::Done && !run->progress.resumed)
            run->split->seenIds << run->seenIds;
        reportSplit();
        settleSplit(run->type);
    } else {
        m_report.types[run->type] = run->progress;
    }
    Q_EMIT progressed(run->type, run->progress, m_report.resources, resourcesPerSecond());
    --m_active;
    startNextTypes();
}

void SyncEngine::abortAll(const FhirFailure& failure)
{
    if (m_report.aborted)
        return;
    m_report.aborted = true;
    m_report.abortReason = failure.message;
    m_report.abortCode = failure.code;
    for (const QString& type : std::as_const(m_pending))
        if (type != kEverything)
            m_report.types[type].state = TypeProgress::State::Cancelled;
    m_pending.clear();
    m_client.cancelAll();
}

void SyncEngine::maybeFinish()
{
    if (!m_running || m_active > 0 || !m_pending.isEmpty() || m_writing)
        return;
    m_running = false;
    m_steps.clear(); // answers for types that already ended
    // A complete sync type by type, at a server that offers $everything too: the next incremental sync asks it for
    // what changed since the earliest of the searches' bounds (each type's own is later: nothing is missed).
    if (m_offersBoth && !m_report.usedEverything && m_report.complete() && m_earliestBound.isValid()) {
        writeState(kOffersBoth, QByteArrayLiteral("1"));
        writeState(key(kEverything, "since"), m_earliestBound.toUTC().toString(Qt::ISODate).toLatin1());
    }
    m_report.elapsedMs = m_clock.elapsed();
    qCInfo(lcFhir) << "sync finished:" << m_report.resources << "resources in" << m_report.elapsedMs << "ms"
                   << (m_report.complete() ? "complete" : "incomplete");
    Q_EMIT finished(m_report);
}

} // namespace ondevice::fhir
