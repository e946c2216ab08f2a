#include "FhirApi.h"

#include "AuthorizationServer.h"
#include "Crypto.h"
#include "Http.h"
#include "SandboxStats.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <optional>

namespace ondevice::sandbox {

namespace {

using Status = QHttpServerResponse::StatusCode;

constexpr int kDefaultCount = 50;
constexpr int kMaxCount = 1000;
constexpr qsizetype kMaxSnapshots = 256;

const QByteArray kFhirJson = QByteArrayLiteral("application/fhir+json");

// An instant range [from, to) that a FHIR date/dateTime/instant value covers
// at its own precision (a day, a second, a millisecond).
struct TimeRange {
    qint64 from = 0;
    qint64 to = 0;
};

std::optional<TimeRange> parseFhirTime(const QString& text)
{
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        const qint64 from = QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        return TimeRange { from, from + 24LL * 3600 * 1000 };
    }
    // A time needs a zone in FHIR (Z or ±hh:mm); seconds are required here.
    static const QRegularExpression dateTime(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$"));
    const QRegularExpressionMatch match = dateTime.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    const qint64 from = parsed.toMSecsSinceEpoch();
    return TimeRange { from, from + (match.capturedView(1).isEmpty() ? 1000 : 1) };
}

using TimeFilter = std::function<bool(qint64)>;

std::optional<TimeFilter> parseLastUpdated(const QString& value, QString* error)
{
    static const QStringList prefixes { QStringLiteral("gt"), QStringLiteral("ge"), QStringLiteral("lt"), QStringLiteral("le"), QStringLiteral("eq") };
    QString prefix = QStringLiteral("eq");
    QString rest = value;
    if (value.size() > 2 && value.at(0).isLetter()) {
        prefix = value.left(2);
        rest = value.mid(2);
        if (!prefixes.contains(prefix)) {
            *error = QStringLiteral("_lastUpdated supports the prefixes gt, ge, lt, le and eq");
            return std::nullopt;
        }
    }
    const std::optional<TimeRange> range = parseFhirTime(rest);
    if (!range) {
        *error = QStringLiteral("_lastUpdated is not a FHIR date, dateTime or instant: ") + rest;
        return std::nullopt;
    }
    const TimeRange r = *range;
    if (prefix == QLatin1String("gt"))
        return TimeFilter([r](qint64 t) { return t >= r.to; });
    if (prefix == QLatin1String("ge"))
        return TimeFilter([r](qint64 t) { return t >= r.from; });
    if (prefix == QLatin1String("lt"))
        return TimeFilter([r](qint64 t) { return t < r.from; });
    if (prefix == QLatin1String("le"))
        return TimeFilter([r](qint64 t) { return t < r.to; });
    return TimeFilter([r](qint64 t) { return t >= r.from && t < r.to; });
}

// "123", "Patient/123" or "{base}/Patient/123" -> "123"; empty when it names another type.
QString patientIdOf(const QString& reference, const QString& fhirBase)
{
    QString value = reference;
    if (value.startsWith(fhirBase + QLatin1Char('/')))
        value = value.mid(fhirBase.size() + 1);
    if (value.startsWith(QLatin1String("Patient/")))
        return value.mid(8);
    return value.contains(QLatin1Char('/')) ? QString() : value;
}

QHttpServerResponse unauthorized(const QString& description, bool invalidToken)
{
    QHttpServerResponse response = Http::operationOutcome(Status::Unauthorized, QStringLiteral("login"), description);
    response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
        invalidToken ? QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\", error=\"invalid_token\", error_description=\"The access token is unknown, expired or revoked\"")
                     : QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\""));
    return response;
}

QHttpServerResponse forbidden(const QString& description)
{
    QHttpServerResponse response = Http::operationOutcome(Status::Forbidden, QStringLiteral("forbidden"), description);
    response.setHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\", error=\"insufficient_scope\""));
    return response;
}

QHttpServerResponse fhirResponse(const QByteArray& body, Status status = Status::Ok)
{
    return QHttpServerResponse(kFhirJson, body, status);
}

} // namespace

FhirApi::FhirApi(ResourceStore& store, const AuthorizationServer& auth, SandboxStats& stats)
    : m_store(store)
    , m_auth(auth)
    , m_stats(stats)
{
}

QHttpServerResponse FhirApi::capabilityStatement() const
{
    const QJsonObject smart = m_auth.smartConfiguration();
    auto uri = [](const QString& name, const QJsonValue& value) { return QJsonObject { { QStringLiteral("url"), name }, { QStringLiteral("valueUri"), value } }; };
    QJsonArray resources;
    QStringList types = ResourceStore::compartmentTypes();
    types.prepend(QStringLiteral("Patient"));
    for (const QString& type : std::as_const(types)) {
        QJsonArray params { QJsonObject { { QStringLiteral("name"), QStringLiteral("_lastUpdated") }, { QStringLiteral("type"), QStringLiteral("date") } },
            QJsonObject { { QStringLiteral("name"), QStringLiteral("_count") }, { QStringLiteral("type"), QStringLiteral("number") } } };
        if (type != QLatin1String("Patient"))
            params.append(QJsonObject { { QStringLiteral("name"), QStringLiteral("patient") }, { QStringLiteral("type"), QStringLiteral("reference") } });
        else
            params.append(QJsonObject { { QStringLiteral("name"), QStringLiteral("_id") }, { QStringLiteral("type"), QStringLiteral("token") } });
        resources.append(QJsonObject {
            { QStringLiteral("type"), type },
            { QStringLiteral("interaction"), QJsonArray { QJsonObject { { QStringLiteral("code"), QStringLiteral("read") } }, QJsonObject { { QStringLiteral("code"), QStringLiteral("search-type") } } } },
            { QStringLiteral("searchParam"), params },
        });
    }
    const QJsonObject statement {
        { QStringLiteral("resourceType"), QStringLiteral("CapabilityStatement") },
        { QStringLiteral("status"), QStringLiteral("active") },
        { QStringLiteral("date"), QStringLiteral("2025-01-01") },
        { QStringLiteral("kind"), QStringLiteral("instance") },
        { QStringLiteral("software"), QJsonObject { { QStringLiteral("name"), QStringLiteral("ondevice-sandbox") } } },
        { QStringLiteral("implementation"), QJsonObject { { QStringLiteral("description"), QStringLiteral("OnDevice Health sandbox") }, { QStringLiteral("url"), m_fhirBase } } },
        { QStringLiteral("fhirVersion"), QStringLiteral("4.0.1") },
        { QStringLiteral("format"), QJsonArray { QStringLiteral("json") } },
        { QStringLiteral("rest"),
            QJsonArray { QJsonObject {
                { QStringLiteral("mode"), QStringLiteral("server") },
                { QStringLiteral("security"),
                    QJsonObject {
                        { QStringLiteral("service"), QJsonArray { QJsonObject { { QStringLiteral("coding"), QJsonArray { QJsonObject { { QStringLiteral("system"), QStringLiteral("http://terminology.hl7.org/CodeSystem/restful-security-service") }, { QStringLiteral("code"), QStringLiteral("SMART-on-FHIR") } } } } } } },
                        { QStringLiteral("extension"),
                            QJsonArray { QJsonObject {
                                { QStringLiteral("url"), QStringLiteral("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris") },
                                { QStringLiteral("extension"),
                                    QJsonArray { uri(QStringLiteral("authorize"), smart.value(QStringLiteral("authorization_endpoint"))),
                                        uri(QStringLiteral("token"), smart.value(QStringLiteral("token_endpoint"))),
                                        uri(QStringLiteral("revoke"), smart.value(QStringLiteral("revocation_endpoint"))),
                                        uri(QStringLiteral("introspect"), smart.value(QStringLiteral("introspection_endpoint"))) } },
                            } } },
                    } },
                { QStringLiteral("resource"), resources },
            } } },
    };
    return fhirResponse(QJsonDocument(statement).toJson(QJsonDocument::Compact));
}

QHttpServerResponse FhirApi::handle(const QHttpServerRequest& request, const QString& path)
{
    if (request.method() != QHttpServerRequest::Method::Get)
        return Http::operationOutcome(Status::MethodNotAllowed, QStringLiteral("not-supported"), QStringLiteral("this server is read-only: use GET"));
    // Discovery is public: a client needs it before it has a token.
    if (path == QLatin1String("/metadata"))
        return capabilityStatement();
    if (path == QLatin1String("/.well-known/smart-configuration"))
        return Http::json(m_auth.smartConfiguration());
    if (path == QLatin1String("/.well-known/openid-configuration"))
        return Http::json(m_auth.openidConfiguration());

    const QStringList segments = path.mid(1).split(QLatin1Char('/'));
    if (path.isEmpty() || segments.size() > 2 || segments.contains(QString()))
        return Http::operationOutcome(Status::NotFound, QStringLiteral("not-found"), QStringLiteral("no such FHIR endpoint"));
    const QString type = segments.at(0);

    // Authenticate before saying anything about what exists.
    const QString token = Http::bearerToken(request);
    if (token.isEmpty())
        return unauthorized(QStringLiteral("a bearer access token is required"), false);
    const std::optional<AccessContext> context = m_auth.validateAccessToken(token);
    if (!context)
        return unauthorized(QStringLiteral("the access token is unknown, expired or revoked"), true);
    if (!ResourceStore::isSupportedType(type))
        return Http::operationOutcome(Status::NotFound, QStringLiteral("not-supported"), QStringLiteral("resource type not supported: ") + type);
    ++m_stats.fhirRequests[type];

    if (segments.size() == 1) {
        if (!context->scopes.allows(type, ScopeSet::Interaction::Search))
            return forbidden(QStringLiteral("the granted scope does not allow searching ") + type);
        return search(request, type, context->patient);
    }
    if (!context->scopes.allows(type, ScopeSet::Interaction::Read))
        return forbidden(QStringLiteral("the granted scope does not allow reading ") + type);
    const ResourcePtr resource = m_store.get(type, segments.at(1));
    if (!resource)
        return Http::operationOutcome(Status::NotFound, QStringLiteral("not-found"), QStringLiteral("%1/%2 is not known").arg(type, segments.at(1)));
    if (resource->patient != context->patient)
        return forbidden(QStringLiteral("the resource is outside the patient compartment of this token"));
    QHttpServerResponse response = fhirResponse(resource->json);
    response.setHeader(QByteArrayLiteral("ETag"), QStringLiteral("W/\"%1\"").arg(resource->version).toLatin1());
    response.setHeader(QByteArrayLiteral("Last-Modified"), QDateTime::fromMSecsSinceEpoch(resource->lastUpdatedMs, Qt::UTC).toString(QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1());
    return response;
}

QHttpServerResponse FhirApi::search(const QHttpServerRequest& request, const QString& type, const QString& patient)
{
    const FormData params = FormData::parse(Http::rawQuery(request));
    int count = kDefaultCount;
    if (params.has(QStringLiteral("_count"))) {
        bool ok = false;
        count = params.value(QStringLiteral("_count")).toInt(&ok);
        if (!ok || count < 0)
            return Http::operationOutcome(Status::BadRequest, QStringLiteral("invalid"), QStringLiteral("_count must be a non-negative integer"));
        count = std::min(count, kMaxCount);
    }

    // A page of an earlier search: the snapshot decides the content.
    if (params.has(QStringLiteral("_getpages"))) {
        bool ok = false;
        const qsizetype offset = params.value(QStringLiteral("_offset")).toLongLong(&ok);
        if (!ok || offset < 0)
            return Http::operationOutcome(Status::BadRequest, QStringLiteral("invalid"), QStringLiteral("_offset must be a non-negative integer"));
        return page(type, params.value(QStringLiteral("_getpages")), offset, count, patient);
    }

    QString requested;
    if (type == QLatin1String("Patient")) {
        requested = params.has(QStringLiteral("_id")) ? params.value(QStringLiteral("_id")) : patient;
    } else {
        const QString name = params.has(QStringLiteral("patient")) ? QStringLiteral("patient") : QStringLiteral("subject");
        if (!params.has(name))
            return Http::operationOutcome(Status::BadRequest, QStringLiteral("required"), QStringLiteral("search %1 by patient: the patient parameter is required").arg(type));
        requested = patientIdOf(params.value(name), m_fhirBase);
    }
    if (requested != patient)
        return forbidden(QStringLiteral("the search reaches outside the patient compartment of this token"));

    QList<TimeFilter> filters;
    for (const auto& item : params.items()) {
        if (item.first != QLatin1String("_lastUpdated"))
            continue;
        QString error;
        const std::optional<TimeFilter> filter = parseLastUpdated(item.second, &error);
        if (!filter)
            return Http::operationOutcome(Status::BadRequest, QStringLiteral("invalid"), error);
        filters.append(*filter);
    }

    Snapshot snapshot { type, patient, {} };
    const QList<ResourcePtr> all = type == QLatin1String("Patient") ? QList<ResourcePtr> { m_store.get(type, patient) } : m_store.search(type, patient);
    for (const ResourcePtr& resource : all) {
        if (!resource)
            continue;
        if (std::all_of(filters.cbegin(), filters.cend(), [&](const TimeFilter& f) { return f(resource->lastUpdatedMs); }))
            snapshot.entries.append(resource);
    }
    // Every search is snapshotted, so its `next` links keep returning exactly
    // what matched at the first request, whatever is added or changed later.
    const QString id = keepSnapshot(std::move(snapshot));
    return page(type, id, 0, count, patient);
}

QString FhirApi::keepSnapshot(Snapshot snapshot)
{
    const QString id = Crypto::randomToken(12);
    m_snapshots.insert(id, std::move(snapshot));
    m_snapshotOrder.append(id);
    while (m_snapshotOrder.size() > kMaxSnapshots)
        m_snapshots.remove(m_snapshotOrder.takeFirst());
    return id;
}

QHttpServerResponse FhirApi::page(const QString& type, const QString& snapshotId, qsizetype offset, int count, const QString& patient) const
{
    const auto it = m_snapshots.constFind(snapshotId);
    if (it == m_snapshots.constEnd())
        return Http::operationOutcome(Status::Gone, QStringLiteral("not-found"), QStringLiteral("this search has expired: search again"));
    if (it->type != type || it->patient != patient)
        return forbidden(QStringLiteral("this page belongs to another search"));
    const QList<ResourcePtr>& entries = it->entries;
    const qsizetype total = entries.size();
    const qsizetype end = std::min(total, offset + count);

    auto pageUrl = [&](qsizetype at) {
        return QStringLiteral("%1/%2?_getpages=%3&_offset=%4&_count=%5").arg(m_fhirBase, type, snapshotId).arg(at).arg(count);
    };
    QByteArray body;
    body.reserve(256 + (end > offset ? (end - offset) * (entries.at(offset)->json.size() + 128) : 0));
    body += "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":" + QByteArray::number(total) + ",\"link\":[";
    body += "{\"relation\":\"self\",\"url\":" + QJsonDocument(QJsonArray { pageUrl(offset) }).toJson(QJsonDocument::Compact).sliced(1).chopped(1) + '}';
    // `next` is absolute and on this server's origin; it exists only when
    // there is more to read (and never when _count=0 asks for the total only).
    if (count > 0 && end < total)
        body += ",{\"relation\":\"next\",\"url\":" + QJsonDocument(QJsonArray { pageUrl(end) }).toJson(QJsonDocument::Compact).sliced(1).chopped(1) + '}';
    body += ']';
    if (end > offset)
        body += ",\"entry\":[";
    for (qsizetype i = offset; i < end; ++i) {
        const ResourcePtr& resource = entries.at(i);
        if (i > offset)
            body += ',';
        body += "{\"fullUrl\":\"" + QString(m_fhirBase + QLatin1Char('/') + resource->type + QLatin1Char('/') + resource->id).toUtf8() + "\",\"resource\":";
        body += resource->json;
        body += ",\"search\":{\"mode\":\"match\"}}";
    }
    body += end > offset ? "]}" : "}";
    return fhirResponse(body);
}

} // namespace ondevice::sandbox
