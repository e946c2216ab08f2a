#include "FhirApi.h"

#include "DpopVerifier.h"

#include "AuthorizationServer.h"
#include "Crypto.h"
#include "Http.h"
#include "Quirks.h"
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
    // Partial dates (a year, a month, a day) cover their whole span, in UTC.
    static const QRegularExpression partial(QStringLiteral("^(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?$"));
    if (const QRegularExpressionMatch m = partial.match(text); m.hasMatch()) {
        const int year = m.capturedView(1).toInt();
        const int month = m.capturedView(2).isEmpty() ? 1 : m.capturedView(2).toInt();
        const int day = m.capturedView(3).isEmpty() ? 1 : m.capturedView(3).toInt();
        const QDate date(year, month, day);
        if (!date.isValid())
            return std::nullopt;
        const QDate end = !m.capturedView(3).isEmpty() ? date.addDays(1)
            : !m.capturedView(2).isEmpty()             ? date.addMonths(1)
                                                       : date.addYears(1);
        return TimeRange { QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(),
            QDateTime(end, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() };
    }
    // A time needs a zone in FHIR (Z or ±hh:mm); seconds are required here.
    static const QRegularExpression dateTime(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$"));
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
using ResourceFilter = std::function<bool(const StoredResource&)>;

// A date parameter: an optional prefix (eq, ne, gt, ge, lt, le) and a FHIR
// date, dateTime or instant compared at its own precision.
std::optional<TimeFilter> parseDateParameter(const QString& name, const QString& value, QString* error)
{
    static const QStringList prefixes { QStringLiteral("gt"), QStringLiteral("ge"), QStringLiteral("lt"),
        QStringLiteral("le"), QStringLiteral("eq"), QStringLiteral("ne") };
    QString prefix = QStringLiteral("eq");
    QString rest = value;
    if (value.size() > 2 && value.at(0).isLetter()) {
        prefix = value.left(2);
        rest = value.mid(2);
        if (!prefixes.contains(prefix)) {
            *error = name + QStringLiteral(" supports the prefixes eq, ne, gt, ge, lt and le");
            return std::nullopt;
        }
    }
    const std::optional<TimeRange> range = parseFhirTime(rest);
    if (!range) {
        *error = name + QStringLiteral(" is not a FHIR date, dateTime or instant: ") + rest;
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
    if (prefix == QLatin1String("ne"))
        return TimeFilter([r](qint64 t) { return t < r.from || t >= r.to; });
    return TimeFilter([r](qint64 t) { return t >= r.from && t < r.to; });
}

// A token parameter: comma-separated alternatives, each `system|code`,
// `system|` (any code of the system), `|code` (a code without system) or
// `code` (the code in any system).
std::optional<std::function<bool(const QStringList&)>> parseTokenParameter(
    const QString& name, const QString& value, QString* error)
{
    QStringList exact;
    QStringList systems;
    QStringList bareCodes;
    for (const QString& alternative : value.split(QLatin1Char(','))) {
        if (alternative.isEmpty() || alternative == QLatin1String("|")) {
            *error = name + QStringLiteral(" needs a code, system|code or system|");
            return std::nullopt;
        }
        const qsizetype bar = alternative.indexOf(QLatin1Char('|'));
        if (bar < 0)
            bareCodes.append(QLatin1Char('|') + alternative);
        else if (bar == alternative.size() - 1)
            systems.append(alternative);
        else
            exact.append(alternative);
    }
    return std::function<bool(const QStringList&)>([exact, systems, bareCodes](const QStringList& tokens) {
        for (const QString& token : tokens) {
            if (exact.contains(token))
                return true;
            for (const QString& system : systems) {
                if (token.startsWith(system))
                    return true;
            }
            for (const QString& code : bareCodes) {
                if (token.endsWith(code))
                    return true;
            }
        }
        return false;
    });
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

QHttpServerResponse forbidden(const QString& description)
{
    QHttpServerResponse response = Http::operationOutcome(Status::Forbidden, QStringLiteral("forbidden"), description);
    response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
        QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\", error=\"insufficient_scope\""));
    return response;
}

QHttpServerResponse fhirResponse(const QByteArray& body, Status status = Status::Ok)
{
    return QHttpServerResponse(kFhirJson, body, status);
}

QHttpServerResponse badRequest(const QString& diagnostics)
{
    return Http::operationOutcome(Status::BadRequest, QStringLiteral("invalid"), diagnostics);
}

QString quoteJson(const QString& text)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact).sliced(1).chopped(1));
}

// One searchset entry that matched: its absolute fullUrl, the stored bytes, search.mode match.
QByteArray matchEntry(const QByteArray& fhirBase, const ResourcePtr& resource)
{
    return "{\"fullUrl\":\"" + fhirBase + '/' + resource->type.toUtf8() + '/' + resource->id.toUtf8()
        + "\",\"resource\":" + resource->json + ",\"search\":{\"mode\":\"match\"}}";
}

} // namespace

FhirApi::FhirApi(ResourceStore& store, const AuthorizationServer& auth, SandboxStats& stats, const Quirks& quirks,
    DpopVerifier& dpop)
    : m_store(store)
    , m_auth(auth)
    , m_stats(stats)
    , m_quirks(quirks)
    , m_dpop(dpop)
{
}

QHttpServerResponse FhirApi::unauthorized(const QString& description, bool invalidToken) const
{
    // smart-launcher-v2: a bare text/plain 401 with no WWW-Authenticate.
    if (m_quirks.plain401)
        return QHttpServerResponse(
            QByteArrayLiteral("text/plain"), QByteArrayLiteral("Unauthorized"), Status::Unauthorized);
    QHttpServerResponse response = Http::operationOutcome(Status::Unauthorized, QStringLiteral("login"), description);
    response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
        invalidToken ? QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\", error=\"invalid_token\", "
                                         "error_description=\"The access token is unknown, expired or revoked\"")
                     : QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\""));
    return response;
}

QHttpServerResponse FhirApi::dpopUnauthorized(const DpopVerifier::Failure& failure)
{
    ++m_stats.bindingFailures[failure.reason];
    QHttpServerResponse response
        = Http::operationOutcome(Status::Unauthorized, QStringLiteral("login"), failure.description);
    response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
        QByteArrayLiteral("DPoP algs=\"ES256 ES384\", error=\"") + failure.error.toLatin1() + "\", error_description=\""
            + failure.description.toLatin1() + '"');
    if (const QString nonce = m_dpop.currentNonce(); !nonce.isEmpty())
        response.setHeader(QByteArrayLiteral("DPoP-Nonce"), nonce.toLatin1());
    return response;
}

QHttpServerResponse FhirApi::capabilityStatement() const
{
    const QJsonObject smart = m_auth.smartConfiguration();
    auto uri = [](const QString& name, const QJsonValue& value) {
        return QJsonObject { { QStringLiteral("url"), name }, { QStringLiteral("valueUri"), value } };
    };
    QJsonArray resources;
    QStringList types = everythingTypes() + ResourceStore::readOnlyTypes();
    auto param = [](const QString& name, const char* type) {
        return QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("type"), QLatin1String(type) } };
    };
    for (const QString& type : std::as_const(types)) {
        QJsonObject resource { { QStringLiteral("type"), type } };
        QJsonArray interactions { QJsonObject { { QStringLiteral("code"), QStringLiteral("read") } } };
        if (searchableByPatient(type)) {
            interactions.append(QJsonObject { { QStringLiteral("code"), QStringLiteral("search-type") } });
            QJsonArray params { param(QStringLiteral("_lastUpdated"), "date"),
                param(QStringLiteral("_count"), "number"), param(QStringLiteral("_sort"), "special") };
            if (type == QLatin1String("Patient"))
                params.append(param(QStringLiteral("_id"), "token"));
            else
                params.append(param(ResourceStore::compartmentElement(type) == QLatin1String("beneficiary")
                        ? QStringLiteral("beneficiary")
                        : QStringLiteral("patient"),
                    "reference"));
            if (const QString name = ResourceStore::dateParameter(type); !name.isEmpty())
                params.append(param(name, "date"));
            if (const QString name = ResourceStore::codeParameter(type); !name.isEmpty())
                params.append(param(name, "token"));
            if (const QString name = ResourceStore::categoryParameter(type); !name.isEmpty())
                params.append(param(name, "token"));
            resource.insert(QStringLiteral("searchParam"), params);
        }
        resource.insert(QStringLiteral("interaction"), interactions);
        if (type == QLatin1String("Patient") && !m_quirks.noEverything)
            resource.insert(QStringLiteral("operation"),
                QJsonArray { QJsonObject { { QStringLiteral("name"), QStringLiteral("everything") },
                    { QStringLiteral("definition"),
                        QStringLiteral("http://hl7.org/fhir/OperationDefinition/Patient-everything") } } });
        resources.append(resource);
    }
    const QJsonObject statement {
        { QStringLiteral("resourceType"), QStringLiteral("CapabilityStatement") },
        { QStringLiteral("status"), QStringLiteral("active") },
        { QStringLiteral("date"), QStringLiteral("2025-01-01") },
        { QStringLiteral("kind"), QStringLiteral("instance") },
        { QStringLiteral("software"), QJsonObject { { QStringLiteral("name"), QStringLiteral("ondevice-sandbox") } } },
        { QStringLiteral("implementation"),
            QJsonObject { { QStringLiteral("description"), QStringLiteral("OnDevice Health sandbox") },
                { QStringLiteral("url"), m_fhirBase } } },
        { QStringLiteral("fhirVersion"), QStringLiteral("4.0.1") },
        { QStringLiteral("format"), QJsonArray { QStringLiteral("json") } },
        { QStringLiteral("rest"),
            QJsonArray { QJsonObject {
                { QStringLiteral("mode"), QStringLiteral("server") },
                { QStringLiteral("security"),
                    QJsonObject {
                        { QStringLiteral("service"),
                            QJsonArray { QJsonObject { { QStringLiteral("coding"),
                                QJsonArray { QJsonObject {
                                    { QStringLiteral("system"),
                                        QStringLiteral(
                                            "http://terminology.hl7.org/CodeSystem/restful-security-service") },
                                    { QStringLiteral("code"), QStringLiteral("SMART-on-FHIR") } } } } } } },
                        { QStringLiteral("extension"),
                            QJsonArray { QJsonObject {
                                { QStringLiteral("url"),
                                    QStringLiteral(
                                        "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris") },
                                { QStringLiteral("extension"),
                                    QJsonArray { uri(QStringLiteral("authorize"),
                                                     smart.value(QStringLiteral("authorization_endpoint"))),
                                        uri(QStringLiteral("token"), smart.value(QStringLiteral("token_endpoint"))),
                                        uri(QStringLiteral("introspect"),
                                            smart.value(QStringLiteral("introspection_endpoint"))) } },
                            } } },
                    } },
                { QStringLiteral("resource"), resources },
            } } },
    };
    // The revoke URI only when there is one (the no-revocation quirk has none).
    if (smart.contains(QStringLiteral("revocation_endpoint"))) {
        QJsonObject rest = statement.value(QStringLiteral("rest")).toArray().at(0).toObject();
        QJsonObject security = rest.value(QStringLiteral("security")).toObject();
        QJsonArray extensions = security.value(QStringLiteral("extension")).toArray();
        QJsonObject oauth = extensions.at(0).toObject();
        QJsonArray uris = oauth.value(QStringLiteral("extension")).toArray();
        uris.append(uri(QStringLiteral("revoke"), smart.value(QStringLiteral("revocation_endpoint"))));
        oauth.insert(QStringLiteral("extension"), uris);
        extensions.replace(0, oauth);
        security.insert(QStringLiteral("extension"), extensions);
        rest.insert(QStringLiteral("security"), security);
        QJsonObject withRevoke = statement;
        withRevoke.insert(QStringLiteral("rest"), QJsonArray { rest });
        return fhirResponse(QJsonDocument(withRevoke).toJson(QJsonDocument::Compact));
    }
    return fhirResponse(QJsonDocument(statement).toJson(QJsonDocument::Compact));
}

QHttpServerResponse FhirApi::handle(const QHttpServerRequest& request, const QString& path)
{
    if (request.method() != QHttpServerRequest::Method::Get)
        return Http::operationOutcome(Status::MethodNotAllowed, QStringLiteral("not-supported"),
            QStringLiteral("this server is read-only: use GET"));
    // Discovery is public: a client needs it before it has a token.
    if (path == QLatin1String("/metadata"))
        return capabilityStatement();
    if (path == QLatin1String("/.well-known/smart-configuration"))
        return Http::json(m_auth.smartConfiguration());
    if (path == QLatin1String("/.well-known/openid-configuration"))
        return Http::json(m_auth.openidConfiguration());

    const QStringList segments = path.mid(1).split(QLatin1Char('/'));
    if (path.isEmpty() || segments.size() > 3 || segments.contains(QString()))
        return Http::operationOutcome(
            Status::NotFound, QStringLiteral("not-found"), QStringLiteral("no such FHIR endpoint"));
    const bool everything = segments.size() == 3;
    if (everything && (segments.at(0) != QLatin1String("Patient") || segments.at(2) != QLatin1String("$everything")))
        return Http::operationOutcome(
            Status::NotFound, QStringLiteral("not-found"), QStringLiteral("no such FHIR endpoint"));
    const QString type = segments.at(0);

    // Authenticate before saying anything about what exists.
    const QByteArray authorization = Http::header(request, "authorization");
    const qsizetype space = authorization.indexOf(' ');
    const QByteArray scheme = space > 0 ? authorization.first(space).toLower() : QByteArray();
    const QString token = scheme == "bearer" || scheme == "dpop"
        ? QString::fromLatin1(authorization.sliced(space + 1).trimmed())
        : QString();
    if (token.isEmpty())
        return unauthorized(QStringLiteral("a bearer access token is required"), false);
    const std::optional<AccessContext> context = m_auth.validateAccessToken(token);
    if (!context)
        return unauthorized(QStringLiteral("the access token is unknown, expired or revoked"), true);
    // RFC 9449 section 7: a DPoP-bound token comes only with the DPoP scheme and a proof by its key; a Bearer
    // token never with the DPoP scheme.
    if (!context->jkt.isEmpty() || scheme == "dpop") {
        std::optional<DpopVerifier::Failure> failure;
        if (context->jkt.isEmpty())
            failure = DpopVerifier::Failure { QStringLiteral("dpop_for_bearer"), QStringLiteral("invalid_token"),
                QStringLiteral("a Bearer token presented with the DPoP scheme") };
        else if (scheme != "dpop")
            failure = DpopVerifier::Failure { QStringLiteral("bearer_for_bound"), QStringLiteral("invalid_token"),
                QStringLiteral("a DPoP-bound token presented as a Bearer token") };
        else
            failure = m_dpop.check(
                Http::header(request, "dpop"), "GET", request.url(), token.toLatin1(), context->jkt, nullptr);
        if (failure)
            return dpopUnauthorized(*failure);
    }
    if (!serves(type))
        return Http::operationOutcome(
            Status::NotFound, QStringLiteral("not-supported"), QStringLiteral("resource type not supported: ") + type);
    ++m_stats.fhirRequests[everything ? QStringLiteral("$everything") : type];

    if (everything && m_quirks.noEverything)
        return Http::operationOutcome(
            Status::NotFound, QStringLiteral("not-supported"), QStringLiteral("Patient/$everything is not supported"));
    if (everything)
        return this->everything(request, segments.at(1), *context);
    if (segments.size() == 1) {
        if (!searchableByPatient(type)) {
            // Shared resources (Medication): by id only, several at once with _id=a,b,c.
            const FormData params = FormData::parse(Http::rawQuery(request));
            if (params.has(QStringLiteral("_id")) && !m_quirks.medicationReadOnly)
                return byIds(type, params.value(QStringLiteral("_id")).split(QLatin1Char(',')), *context);
            return Http::operationOutcome(Status::BadRequest, QStringLiteral("not-supported"),
                type + QStringLiteral(" is read by id only (follow the reference)"));
        }
        if (!context->scopes.allows(type, ScopeSet::Interaction::Search))
            return forbidden(QStringLiteral("the granted scope does not allow searching ") + type);
        return search(request, type, *context);
    }
    return read(request, type, segments.at(1), *context);
}

QHttpServerResponse FhirApi::byIds(const QString& type, const QStringList& ids, const AccessContext& context) const
{
    if (!context.scopes.allows(type, ScopeSet::Interaction::Read))
        return forbidden(QStringLiteral("the granted scope does not allow reading ") + type);
    if (ids.size() > kMaxCount)
        return badRequest(QStringLiteral("at most %1 ids at once").arg(kMaxCount));
    QByteArray entries;
    int found = 0;
    for (const QString& id : ids) {
        const ResourcePtr resource = m_store.get(type, id.trimmed());
        if (!resource || (!resource->patient.isEmpty() && resource->patient != context.patient))
            continue; // unknown, or someone else's: not a match
        if (found++ > 0)
            entries += ',';
        entries += matchEntry(m_fhirBase.toUtf8(), resource);
    }
    return fhirResponse("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":" + QByteArray::number(found)
        + (found > 0 ? ",\"entry\":[" + entries + "]}" : QByteArray("}")));
}

QHttpServerResponse FhirApi::read(
    const QHttpServerRequest& request, const QString& type, const QString& id, const AccessContext& context) const
{
    if (!context.scopes.allows(type, ScopeSet::Interaction::Read))
        return forbidden(QStringLiteral("the granted scope does not allow reading ") + type);
    const ResourcePtr resource = m_store.get(type, id);
    if (!resource)
        return Http::operationOutcome(
            Status::NotFound, QStringLiteral("not-found"), QStringLiteral("%1/%2 is not known").arg(type, id));
    // Shared resources (Medication) have no compartment; the rest must be the token's patient's.
    if (!resource->patient.isEmpty() && resource->patient != context.patient)
        return forbidden(QStringLiteral("the resource is outside the patient compartment of this token"));
    const QByteArray etag = "W/\"" + QByteArray::number(resource->version) + '"';
    const QByteArray lastModified = QDateTime::fromMSecsSinceEpoch(resource->lastUpdatedMs, Qt::UTC)
                                        .toString(QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                                        .toLatin1();
    // A conditional read of the current version: 304 without a body (RFC 9110 §13.1.2).
    const QByteArray ifNoneMatch = Http::header(request, "if-none-match");
    if (!ifNoneMatch.isEmpty()
        && (ifNoneMatch == "*" || ifNoneMatch.split(',').contains(etag) || ifNoneMatch == etag.sliced(2))) {
        QHttpServerResponse response(QByteArray(), QByteArray(), Status::NotModified);
        response.setHeader(QByteArrayLiteral("ETag"), etag);
        return response;
    }
    QHttpServerResponse response = fhirResponse(resource->json);
    // Binary: the raw content when the client asks for something other than FHIR JSON.
    if (type == QLatin1String("Binary")) {
        const QByteArray accept = Http::header(request, "accept");
        if (!accept.isEmpty() && !accept.contains("json") && !accept.contains("*/*")) {
            const QJsonObject binary = QJsonDocument::fromJson(resource->json).object();
            response = QHttpServerResponse(binary.value(QStringLiteral("contentType")).toString().toLatin1(),
                QByteArray::fromBase64(binary.value(QStringLiteral("data")).toString().toLatin1()), Status::Ok);
        }
    }
    response.setHeader(QByteArrayLiteral("ETag"), etag);
    response.setHeader(QByteArrayLiteral("Last-Modified"), lastModified);
    return response;
}

std::optional<int> FhirApi::parseCount(const FormData& params, QString* error)
{
    if (!params.has(QStringLiteral("_count")))
        return kDefaultCount;
    bool ok = false;
    const int count = params.value(QStringLiteral("_count")).toInt(&ok);
    if (!ok || count < 0) {
        *error = QStringLiteral("_count must be a non-negative integer");
        return std::nullopt;
    }
    return std::min(count, kMaxCount);
}

QHttpServerResponse FhirApi::continuePaging(
    const FormData& params, const QString& kind, int count, const AccessContext& context) const
{
    bool ok = false;
    const qsizetype offset = params.value(QStringLiteral("_offset")).toLongLong(&ok);
    if (!ok || offset < 0)
        return badRequest(QStringLiteral("_offset must be a non-negative integer"));
    return page(kind, params.value(QStringLiteral("_getpages")), offset, count, context);
}

QHttpServerResponse FhirApi::search(
    const QHttpServerRequest& request, const QString& type, const AccessContext& context)
{
    const FormData params = FormData::parse(Http::rawQuery(request));
    QString error;
    const std::optional<int> count = parseCount(params, &error);
    if (!count)
        return badRequest(error);
    if (m_quirks.pageLimit100 && *count > 100) // quirk: refused, not capped
        return badRequest(QStringLiteral("_count must not exceed 100"));
    // A page of an earlier search: the snapshot decides the content.
    if (params.has(QStringLiteral("_getpages")))
        return continuePaging(params, type, *count, context);

    // Quirks of Epic's searches: a category is required for some types, and _lastUpdated is refused.
    if (m_quirks.observationNeedsCategory
        && (type == QLatin1String("Observation") || type == QLatin1String("DocumentReference"))
        && !params.has(QStringLiteral("category")))
        return Http::operationOutcome(
            Status::BadRequest, QStringLiteral("required"), QStringLiteral("Must have a category parameter."));
    // ...and only the categories it supports (here: what its data has, and social-history).
    if (m_quirks.observationNeedsCategory && params.has(QStringLiteral("category"))) {
        static const QStringList supported { QStringLiteral("laboratory"), QStringLiteral("vital-signs"),
            QStringLiteral("social-history"), QStringLiteral("clinical-note") };
        const QString category = params.value(QStringLiteral("category")).section(QLatin1Char('|'), -1);
        if (!supported.contains(category))
            return Http::operationOutcome(
                Status::BadRequest, QStringLiteral("not-supported"), QStringLiteral("The category is not supported."));
    }
    if (m_quirks.noLastUpdated && params.has(QStringLiteral("_lastUpdated")))
        return Http::operationOutcome(Status::BadRequest, QStringLiteral("not-supported"),
            QStringLiteral("The search parameter _lastUpdated is not supported."));

    const QString patient = context.patient;
    QString requested;
    if (type == QLatin1String("Patient")) {
        requested = params.has(QStringLiteral("_id")) ? params.value(QStringLiteral("_id")) : patient;
    } else {
        const QString element = ResourceStore::compartmentElement(type);
        QString name;
        for (const QString& candidate :
            { QStringLiteral("patient"), QStringLiteral("subject"), QStringLiteral("beneficiary") }) {
            if (name.isEmpty() && params.has(candidate)
                && (candidate != QLatin1String("beneficiary") || element == candidate))
                name = candidate;
        }
        if (name.isEmpty())
            return Http::operationOutcome(Status::BadRequest, QStringLiteral("required"),
                QStringLiteral("search %1 by patient: the patient parameter is required").arg(type));
        requested = patientIdOf(params.value(name), m_fhirBase);
    }
    if (requested != patient)
        return forbidden(QStringLiteral("the search reaches outside the patient compartment of this token"));

    // Every known parameter narrows the result (repeats AND, commas OR);
    // unknown parameters are ignored, as FHIR servers usually do.
    const QString dateName = ResourceStore::dateParameter(type);
    const QString codeName = ResourceStore::codeParameter(type);
    const QString categoryName = ResourceStore::categoryParameter(type);
    QList<ResourceFilter> filters;
    QString sort;
    for (const auto& item : params.items()) {
        const QString& name = item.first;
        if (name == QLatin1String("_lastUpdated") || (!dateName.isEmpty() && name == dateName)) {
            const std::optional<TimeFilter> filter = parseDateParameter(name, item.second, &error);
            if (!filter)
                return badRequest(error);
            if (name == QLatin1String("_lastUpdated")) {
                if (!m_quirks.ignoresLastUpdated) // quirk: accepted, then not applied
                    filters.append([f = *filter](const StoredResource& r) { return f(r.lastUpdatedMs); });
            } else
                filters.append([f = *filter](const StoredResource& r) {
                    return r.dateMs != StoredResource::kNoDate && f(r.dateMs);
                });
        } else if ((!codeName.isEmpty() && name == codeName) || (!categoryName.isEmpty() && name == categoryName)
            || (!categoryName.isEmpty() && name == categoryName + QStringLiteral(":not")
                && !m_quirks.ignoresNotModifier)) {
            const auto filter = parseTokenParameter(name, item.second, &error);
            if (!filter)
                return badRequest(error);
            if (name == categoryName)
                filters.append([f = *filter](const StoredResource& r) { return f(r.categories); });
            else if (name != codeName) // :not matches what has none of the codes, and what has no category at all
                filters.append([f = *filter, needsValue = m_quirks.notNeedsAValue](const StoredResource& r) {
                    return !f(r.categories) && (!needsValue || !r.categories.isEmpty());
                });
            else
                filters.append([f = *filter](const StoredResource& r) { return f(r.codes); });
        } else if (name == QLatin1String("_sort")) {
            if (!sort.isEmpty())
                return badRequest(QStringLiteral("_sort is repeated"));
            sort = item.second;
            static const QStringList keys { QStringLiteral("_lastUpdated"), QStringLiteral("-_lastUpdated"),
                QStringLiteral("date"), QStringLiteral("-date"), QStringLiteral("_id"), QStringLiteral("-_id") };
            if (!keys.contains(sort))
                return badRequest(
                    QStringLiteral("_sort supports one of _lastUpdated, -_lastUpdated, date, -date, _id and -_id"));
        }
    }

    Snapshot snapshot { type, type, patient, { type }, {} };
    const QList<ResourcePtr> all = type == QLatin1String("Patient") ? QList<ResourcePtr> { m_store.get(type, patient) }
                                                                    : m_store.search(type, patient);
    snapshot.entries.reserve(all.size());
    for (const ResourcePtr& resource : all) {
        if (!resource)
            continue;
        if (std::all_of(filters.cbegin(), filters.cend(), [&](const ResourceFilter& f) { return f(*resource); }))
            snapshot.entries.append(resource);
    }
    sortEntries(snapshot.entries, sort);
    // Every search is snapshotted, so its `next` links keep returning exactly
    // what matched at the first request, whatever is added or changed later.
    const QString id = keepSnapshot(std::move(snapshot));
    return page(type, id, 0, *count, context);
}

void FhirApi::sortEntries(QList<ResourcePtr>& entries, const QString& sort)
{
    // The store's order, (lastUpdated, id), is the default and the tie-breaker.
    if (sort.isEmpty() || sort == QLatin1String("_lastUpdated"))
        return;
    if (sort == QLatin1String("-_lastUpdated")) {
        std::reverse(entries.begin(), entries.end());
    } else if (sort == QLatin1String("_id") || sort == QLatin1String("-_id")) {
        const bool descending = sort.startsWith(QLatin1Char('-'));
        std::stable_sort(entries.begin(), entries.end(), [descending](const ResourcePtr& a, const ResourcePtr& b) {
            return descending ? b->id < a->id : a->id < b->id;
        });
    } else {
        // Resources without a date go last in either direction.
        const bool descending = sort.startsWith(QLatin1Char('-'));
        std::stable_sort(entries.begin(), entries.end(), [descending](const ResourcePtr& a, const ResourcePtr& b) {
            const bool aNone = a->dateMs == StoredResource::kNoDate;
            const bool bNone = b->dateMs == StoredResource::kNoDate;
            if (aNone || bNone)
                return !aNone && bNone;
            return descending ? b->dateMs < a->dateMs : a->dateMs < b->dateMs;
        });
    }
}

QHttpServerResponse FhirApi::everything(
    const QHttpServerRequest& request, const QString& id, const AccessContext& context)
{
    if (id != context.patient)
        return forbidden(QStringLiteral("$everything reaches outside the patient compartment of this token"));
    const FormData params = FormData::parse(Http::rawQuery(request));
    QString error;
    const std::optional<int> count = parseCount(params, &error);
    if (!count)
        return badRequest(error);
    if (m_quirks.pageLimit100 && *count > 100) // quirk: refused, not capped
        return badRequest(QStringLiteral("_count must not exceed 100"));
    if (params.has(QStringLiteral("_getpages")))
        return continuePaging(params, QStringLiteral("$everything"), *count, context);

    // Every type a patient's $everything brings, or those `_type` names (then also the Medications the
    // patient's requests name, when it names Medication).
    QStringList types = everythingTypes();
    if (params.has(QStringLiteral("_type"))) {
        QStringList wanted;
        for (const auto& item : params.items()) {
            if (item.first != QLatin1String("_type"))
                continue;
            for (const QString& type : item.second.split(QLatin1Char(','))) {
                if (!types.contains(type) && type != QLatin1String("Medication"))
                    return badRequest(
                        QStringLiteral("_type names a type this server cannot give for a patient: ") + type);
                wanted.append(type);
            }
        }
        types = wanted;
        types.removeDuplicates();
    }
    if (m_quirks.noLastUpdated && params.has(QStringLiteral("_since")))
        return Http::operationOutcome(Status::BadRequest, QStringLiteral("not-supported"),
            QStringLiteral("The parameter _since is not supported."));
    std::optional<qint64> since;
    if (params.has(QStringLiteral("_since")) && !m_quirks.ignoresLastUpdated) {
        const std::optional<TimeRange> range = parseFhirTime(params.value(QStringLiteral("_since")));
        if (!range)
            return badRequest(
                QStringLiteral("_since is not a FHIR instant: ") + params.value(QStringLiteral("_since")));
        since = range->from;
    }
    // Exactly what the per-type searches this token may run would return:
    // types it may not search are left out, not refused.
    types = allowedTypes(types, context.scopes);
    if (types.isEmpty())
        return forbidden(QStringLiteral("the granted scope allows searching none of the requested types"));

    Snapshot snapshot { QStringLiteral("$everything"), QStringLiteral("Patient/%1/$everything").arg(id),
        context.patient, types, everythingFor(id, types, since) };
    const QString snapshotId = keepSnapshot(std::move(snapshot));
    return page(QStringLiteral("$everything"), snapshotId, 0, *count, context);
}

QStringList FhirApi::everythingTypes() const
{
    QStringList types = ResourceStore::compartmentTypes();
    types.prepend(QStringLiteral("Patient"));
    if (m_quirks.everythingExtraTypes)
        types << ResourceStore::billingTypes() << QStringLiteral("Organization") << QStringLiteral("Practitioner");
    return types;
}

bool FhirApi::searchableByPatient(const QString& type) const
{
    return ResourceStore::isSearchableType(type)
        || (m_quirks.everythingExtraTypes && ResourceStore::billingTypes().contains(type));
}

bool FhirApi::serves(const QString& type) const
{
    return ResourceStore::isSupportedType(type) || everythingTypes().contains(type);
}

QStringList FhirApi::allowedTypes(QStringList types, const ScopeSet& scopes) const
{
    types.removeIf([&](const QString& type) {
        return !scopes.allows(
            type, searchableByPatient(type) ? ScopeSet::Interaction::Search : ScopeSet::Interaction::Read);
    });
    return types;
}

QList<ResourcePtr> FhirApi::everythingFor(
    const QString& patient, const QStringList& types, std::optional<qint64> since) const
{
    QList<ResourcePtr> entries;
    const auto add = [&](const ResourcePtr& resource) {
        if (resource && (!since || resource->lastUpdatedMs >= *since))
            entries.append(resource);
    };
    // The shared resources the patient's records name: what real servers add to $everything.
    const auto named = [&](const QStringList& from, const QString& type) {
        QSet<QString> ids; // each once, however many records name it
        for (const QString& source : from) {
            for (const ResourcePtr& resource : m_store.search(source, patient)) {
                const QJsonObject o = QJsonDocument::fromJson(resource->json).object();
                const QString references[] = {
                    o.value(QStringLiteral("medicationReference"))
                        .toObject()
                        .value(QStringLiteral("reference"))
                        .toString(),
                    o.value(QStringLiteral("provider")).toObject().value(QStringLiteral("reference")).toString(),
                    o.value(QStringLiteral("careTeam"))
                        .toArray()
                        .first()
                        .toObject()
                        .value(QStringLiteral("provider"))
                        .toObject()
                        .value(QStringLiteral("reference"))
                        .toString(),
                };
                for (const QString& reference : references) {
                    const QString id = reference.section(QLatin1Char('/'), 1);
                    if (reference.section(QLatin1Char('/'), 0, 0) == type && !ids.contains(id)) {
                        ids.insert(id);
                        add(m_store.get(type, id));
                    }
                }
            }
        }
    };
    for (const QString& type : types) {
        if (type == QLatin1String("Patient"))
            add(m_store.get(type, patient));
        else if (type == QLatin1String("Medication"))
            named({ QStringLiteral("MedicationRequest") }, type);
        else if (type == QLatin1String("Organization") || type == QLatin1String("Practitioner"))
            named(ResourceStore::billingTypes(), type); // quirk everything-extra-types: named by the billing records
        else
            for (const ResourcePtr& resource : m_store.search(type, patient))
                add(resource);
    }
    return entries;
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

QHttpServerResponse FhirApi::page(
    const QString& kind, const QString& snapshotId, qsizetype offset, int count, const AccessContext& context) const
{
    const auto it = m_snapshots.constFind(snapshotId);
    if (it == m_snapshots.constEnd())
        return Http::operationOutcome(
            Status::Gone, QStringLiteral("not-found"), QStringLiteral("this search has expired: search again"));
    if (it->kind != kind || it->patient != context.patient)
        return forbidden(QStringLiteral("this page belongs to another search"));
    // A page is only for a token that may still run the searches behind it.
    for (const QString& type : it->types) {
        if (!context.scopes.allows(type, ScopeSet::Interaction::Search))
            return forbidden(QStringLiteral("the granted scope does not allow searching ") + type);
    }
    const QList<ResourcePtr>& entries = it->entries;
    const qsizetype total = entries.size();
    if (m_quirks.tinyPages && count > 0) // quirk: _count ignored
        count = 10;
    const qsizetype end = std::min(total, offset + count);

    const QString pathBase = m_fhirBase + QLatin1Char('/') + it->path;
    auto pageUrl = [&](qsizetype at) {
        return QStringLiteral("%1?_getpages=%2&_offset=%3&_count=%4").arg(pathBase, snapshotId).arg(at).arg(count);
    };
    QByteArray body;
    body.reserve(256 + (end > offset ? (end - offset) * (entries.at(offset)->json.size() + 128) : 0));
    body += "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",";
    if (!m_quirks.tinyPages) // quirk tiny-pages: no total either
        body += "\"total\":" + QByteArray::number(total) + ',';
    body += "\"link\":[";
    body += "{\"relation\":\"self\",\"url\":" + quoteJson(pageUrl(offset)).toUtf8() + '}';
    // `next` is absolute and on this server's origin; it exists only when
    // there is more to read (and never when _count=0 asks for the total only).
    if (count > 0 && end < total)
        body += ",{\"relation\":\"next\",\"url\":" + quoteJson(pageUrl(end)).toUtf8() + '}';
    body += ']';
    // Quirk outcome-entries (Epic): the first page also carries a warning as an OperationOutcome entry.
    const bool outcome = m_quirks.outcomeEntries && offset == 0;
    if (end > offset || outcome)
        body += ",\"entry\":[";
    if (outcome) {
        body += "{\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"warning\",\"code\":"
                "\"informational\","
                "\"details\":{\"text\":\"Some results may not be available to "
                "patients.\"}}]},\"search\":{\"mode\":\"outcome\"}}";
        if (end > offset)
            body += ',';
    }
    const QByteArray base = m_fhirBase.toUtf8();
    for (qsizetype i = offset; i < end; ++i) {
        const ResourcePtr& resource = entries.at(i);
        if (i > offset)
            body += ',';
        body += matchEntry(base, resource);
    }
    body += end > offset || outcome ? "]}" : "}";
    return fhirResponse(body);
}

} // namespace ondevice::sandbox
