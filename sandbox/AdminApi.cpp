#include "AdminApi.h"

#include "AuthorizationServer.h"
#include "Crypto.h"
#include "FhirApi.h"
#include "Http.h"
#include "ResourceStore.h"
#include "SandboxStats.h"
#include "ScopeSet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUuid>

namespace ondevice::sandbox {

Q_LOGGING_CATEGORY(lcAdmin, "ondevice.sandbox.admin")

namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse adminError(Status status, const QString& message)
{
    return Http::json({ { QStringLiteral("error"), message } }, status);
}

bool isValidId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9\\-.]{1,64}$"));
    return pattern.match(id).hasMatch();
}

} // namespace

AdminApi::AdminApi(ResourceStore& store, AuthorizationServer& auth, const FhirApi& fhir, const SandboxStats& stats,
    AdminControls controls)
    : m_store(store)
    , m_auth(auth)
    , m_fhir(fhir)
    , m_stats(stats)
    , m_controls(std::move(controls))
{
}

QHttpServerResponse AdminApi::setting(const QHttpServerRequest& request, const char* key,
    const std::function<QJsonObject()>& get, const std::function<QString(const QString&)>& set)
{
    using Method = QHttpServerRequest::Method;
    if (request.method() == Method::Get)
        return Http::json(get());
    if (request.method() != Method::Put)
        return adminError(Status::MethodNotAllowed, QStringLiteral("use GET or PUT"));
    QString text = QString::fromUtf8(request.body()).trimmed();
    if (text.startsWith(QLatin1Char('{'))) {
        const QJsonValue value = QJsonDocument::fromJson(request.body()).object().value(QLatin1String(key));
        if (!value.isString())
            return adminError(
                Status::BadRequest, QStringLiteral("a JSON body must be {\"%1\": \"...\"}").arg(QLatin1String(key)));
        text = value.toString();
    }
    if (const QString error = set(text); !error.isEmpty()) {
        // A fault that needs the proxy cannot start without it: the URLs are already announced.
        const bool conflict = error.contains(QLatin1String("--fault-proxy"));
        return adminError(conflict ? Status::Conflict : Status::BadRequest, error);
    }
    return Http::json(get());
}

QHttpServerResponse AdminApi::handle(const QHttpServerRequest& request, const QString& path)
{
    using Method = QHttpServerRequest::Method;
    const Method method = request.method();
    const QStringList segments = path.mid(1).split(QLatin1Char('/'));
    if (path == QLatin1String("/stats"))
        return method == Method::Get ? stats() : adminError(Status::MethodNotAllowed, QStringLiteral("use GET"));
    if (path == QLatin1String("/grants"))
        return method == Method::Get
            ? Http::jsonBytes(QJsonDocument(m_auth.liveGrants()).toJson(QJsonDocument::Compact))
            : adminError(Status::MethodNotAllowed, QStringLiteral("use GET"));
    if (path == QLatin1String("/patients"))
        return method == Method::Get ? Http::json({ { QStringLiteral("patients"), m_auth.patients() } })
                                     : adminError(Status::MethodNotAllowed, QStringLiteral("use GET"));
    if (path == QLatin1String("/revoke-all")) {
        if (method != Method::Post)
            return adminError(Status::MethodNotAllowed, QStringLiteral("use POST"));
        const int revoked = m_auth.revokeAll();
        qCInfo(lcAdmin) << "revoke-all:" << revoked << "grants";
        return Http::json({ { QStringLiteral("revoked"), revoked } });
    }
    if (path == QLatin1String("/faults"))
        return setting(request, "spec", m_controls.faults, m_controls.setFaults);
    if (path == QLatin1String("/quirks"))
        return setting(request, "quirks", m_controls.quirks, m_controls.setQuirks);
    if (segments.size() == 3 && segments.at(0) == QLatin1String("patients")
        && segments.at(2) == QLatin1String("resources")) {
        if (method == Method::Get)
            return coveredResources(
                segments.at(1), FormData::parse(Http::rawQuery(request)).value(QStringLiteral("scope")));
        if (method != Method::Post)
            return adminError(Status::MethodNotAllowed, QStringLiteral("use GET or POST"));
        return addResources(segments.at(1), request.body());
    }
    if (segments.size() == 2 && method == Method::Delete) {
        if (!ResourceStore::isSupportedType(segments.at(0)))
            return adminError(Status::NotFound, QStringLiteral("unsupported resource type"));
        if (!m_store.remove(segments.at(0), segments.at(1)))
            return adminError(Status::NotFound, QStringLiteral("no such resource"));
        qCInfo(lcAdmin) << "deleted" << segments.at(0);
        return QHttpServerResponse(Status::NoContent);
    }
    return adminError(Status::NotFound, QStringLiteral("no such admin endpoint"));
}

QHttpServerResponse AdminApi::coveredResources(const QString& patient, const QString& scopeText) const
{
    if (!m_store.get(QStringLiteral("Patient"), patient))
        return adminError(Status::NotFound, QStringLiteral("no such patient"));
    QString error;
    const std::optional<ScopeSet> scopes
        = ScopeSet::parse(scopeText.isEmpty() ? QStringLiteral("patient/*.rs") : scopeText, &error);
    if (!scopes)
        return adminError(Status::BadRequest, error);
    // What a client holding these scopes can fetch for this patient: what $everything gives (the Patient,
    // every compartment resource of a type it may search, and what the quirks add), and the Medications its
    // MedicationRequests reference.
    const QStringList types = m_fhir.allowedTypes(m_fhir.everythingTypes() << QStringLiteral("Medication"), *scopes);
    QStringList covered;
    for (const ResourcePtr& resource : m_fhir.everythingFor(patient, types, std::nullopt))
        covered.append(resource->type + QLatin1Char('/') + resource->id);
    return Http::json({ { QStringLiteral("resources"), QJsonArray::fromStringList(covered) } });
}

QHttpServerResponse AdminApi::stats() const
{
    const auto object = [](const QMap<QString, int>& counts) {
        QJsonObject out;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            out.insert(it.key(), it.value());
        return out;
    };
    // Both routes always named, a zero included.
    const auto byBinding = [&object](const QMap<QString, int>& counts) {
        QJsonObject out { { QStringLiteral("dpop"), 0 }, { QStringLiteral("bearer"), 0 } };
        const QJsonObject seen = object(counts);
        for (auto it = seen.constBegin(); it != seen.constEnd(); ++it)
            out.insert(it.key(), it.value());
        return out;
    };
    return Http::json(QJsonObject {
        { QStringLiteral("authorize_requests"), m_stats.authorizeRequests },
        { QStringLiteral("token_requests"),
            QJsonObject { { QStringLiteral("authorization_code"), m_stats.authorizationCodeRequests },
                { QStringLiteral("refresh_token"), m_stats.refreshTokenRequests },
                { QStringLiteral("jwt_bearer"), m_stats.jwtBearerRequests } } },
        { QStringLiteral("revocations"), m_stats.revocations },
        { QStringLiteral("fhir_requests"), object(m_stats.fhirRequests) },
        { QStringLiteral("token_requests_by_binding"), byBinding(m_stats.tokenRequestsByBinding) },
        { QStringLiteral("revocations_by_binding"), byBinding(m_stats.revocationsByBinding) },
        { QStringLiteral("binding_failures"), object(m_stats.bindingFailures) },
        { QStringLiteral("dpop_nonce_rotations"), m_auth.dpopNonceRotations() },
        { QStringLiteral("live_grants"), m_auth.liveGrantCount() },
        { QStringLiteral("registered_clients"), m_auth.registeredClientCount() },
        { QStringLiteral("brand_bundle_requests"), m_stats.brandBundleRequests },
        { QStringLiteral("brand_logo_requests"), m_stats.brandLogoRequests },
        { QStringLiteral("fhir_most_in_flight"), m_stats.fhirMostInFlight },
    });
}

QHttpServerResponse AdminApi::addResources(const QString& patient, const QByteArray& body)
{
    if (!isValidId(patient))
        return adminError(Status::BadRequest, QStringLiteral("invalid patient id"));
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject())
        return adminError(
            Status::BadRequest, QStringLiteral("the body must be a FHIR resource or Bundle (JSON object)"));
    QList<QJsonObject> resources;
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("resourceType")).toString() == QLatin1String("Bundle")) {
        for (const QJsonValue& entry : root.value(QStringLiteral("entry")).toArray())
            resources.append(entry.toObject().value(QStringLiteral("resource")).toObject());
    } else {
        resources.append(root);
    }

    // Validate everything first: a bad entry changes nothing.
    bool patientInBody = false;
    for (QJsonObject& resource : resources) {
        const QString type = resource.value(QStringLiteral("resourceType")).toString();
        if (!ResourceStore::isSupportedType(type))
            return adminError(Status::BadRequest, QStringLiteral("unsupported resourceType: ") + type);
        if (!resource.contains(QStringLiteral("id")))
            resource.insert(QStringLiteral("id"),
                type == QLatin1String("Patient") ? patient : QUuid::createUuid().toString(QUuid::WithoutBraces));
        const QString id = resource.value(QStringLiteral("id")).toString();
        if (!isValidId(id))
            return adminError(Status::BadRequest, QStringLiteral("invalid id for ") + type);
        if (type == QLatin1String("Patient")) {
            if (id != patient)
                return adminError(
                    Status::BadRequest, QStringLiteral("a Patient in the body must have the id of the URL"));
            patientInBody = true;
            continue;
        }
        if (const ResourcePtr existing = m_store.get(type, id); existing && existing->patient != patient)
            return adminError(Status::Conflict, QStringLiteral("%1/%2 belongs to another patient").arg(type, id));
        const QString element = ResourceStore::compartmentElement(type);
        if (element.isEmpty())
            continue; // shared (Medication) or read by reference (Binary): stored under the patient all the same
        resource.insert(
            element, QJsonObject { { QStringLiteral("reference"), QString(QStringLiteral("Patient/") + patient) } });
    }
    if (!patientInBody && !m_store.get(QStringLiteral("Patient"), patient))
        return adminError(
            Status::NotFound, QStringLiteral("no such patient (include a Patient resource to create one)"));

    // Patients first, so a new patient exists before its records.
    std::stable_sort(resources.begin(), resources.end(), [](const QJsonObject& a, const QJsonObject& b) {
        return (a.value(QStringLiteral("resourceType")).toString() == QLatin1String("Patient"))
            > (b.value(QStringLiteral("resourceType")).toString() == QLatin1String("Patient"));
    });
    QJsonArray entries;
    for (QJsonObject resource : std::as_const(resources)) {
        QJsonObject meta = resource.value(QStringLiteral("meta")).toObject();
        meta.remove(QStringLiteral("versionId"));
        meta.remove(QStringLiteral("lastUpdated"));
        resource.insert(QStringLiteral("meta"), meta);
        const ResourcePtr stored = m_store.put(resource, patient);
        entries.append(QJsonObject {
            { QStringLiteral("response"),
                QJsonObject {
                    { QStringLiteral("status"),
                        stored->version == 1 ? QStringLiteral("201 Created") : QStringLiteral("200 OK") },
                    { QStringLiteral("location"),
                        QStringLiteral("%1/%2/_history/%3").arg(stored->type, stored->id).arg(stored->version) },
                    { QStringLiteral("etag"), QStringLiteral("W/\"%1\"").arg(stored->version) },
                    { QStringLiteral("lastModified"), ResourceStore::formatInstant(stored->lastUpdatedMs) },
                } },
        });
    }
    qCInfo(lcAdmin) << "stored" << entries.size() << "resources";
    return Http::json(QJsonObject {
        { QStringLiteral("resourceType"), QStringLiteral("Bundle") },
        { QStringLiteral("type"), QStringLiteral("transaction-response") },
        { QStringLiteral("entry"), entries },
    });
}

} // namespace ondevice::sandbox
