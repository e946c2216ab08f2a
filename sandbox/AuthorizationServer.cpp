#include "AuthorizationServer.h"

#include "BrandDirectory.h"
#include "Crypto.h"
#include "DpopVerifier.h"
#include "Faults.h"
#include "Http.h"
#include "Quirks.h"
#include "ResourceStore.h"
#include "SandboxStats.h"
#include "SigningKey.h"
#include "core/Base64Url.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>

namespace ondevice::sandbox {

Q_LOGGING_CATEGORY(lcAuth, "ondevice.sandbox.auth")

namespace {

constexpr char kJwtBearerGrant[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr char kClientAssertionType[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr char kRegistrationScope[] = "system/dynamicClient.register";

constexpr qint64 kConsentLifetimeMs = 10 * 60 * 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A short, one-way label for logs: never the token itself.
QString logLabel(const QString& hashHex)
{
    return QStringLiteral("sha256:") + hashHex.left(12);
}

QString stripOneSlash(const QString& url)
{
    return url.endsWith(QLatin1Char('/')) ? url.chopped(1) : url;
}

QString appendQuery(const QString& uri, const QList<QPair<QString, QString>>& params)
{
    QString out = uri;
    bool first = !uri.contains(QLatin1Char('?'));
    for (const auto& param : params) {
        out += first ? QLatin1Char('?') : QLatin1Char('&');
        first = false;
        out += QString::fromLatin1(FormData::encode(param.first) + '=' + FormData::encode(param.second));
    }
    return out;
}

// A patient's name and birth date, for the consent page.
QPair<QString, QString> patientNameAndBirthDate(const ResourcePtr& patient)
{
    const QJsonObject object = QJsonDocument::fromJson(patient->json).object();
    const QJsonObject name = object.value(QStringLiteral("name")).toArray().at(0).toObject();
    QStringList parts;
    for (const QJsonValue& given : name.value(QStringLiteral("given")).toArray())
        parts.append(given.toString());
    parts.append(name.value(QStringLiteral("family")).toString());
    QString display = parts.join(QLatin1Char(' ')).trimmed();
    if (display.isEmpty())
        display = name.value(QStringLiteral("text")).toString();
    if (display.isEmpty())
        display = QStringLiteral("Patient ") + patient->id;
    const QDate birth = QDate::fromString(object.value(QStringLiteral("birthDate")).toString(), Qt::ISODate);
    return { display, birth.isValid() ? birth.toString(QStringLiteral("d MMMM yyyy")) : QStringLiteral("unknown") };
}

QString plainType(const QString& type)
{
    static const QHash<QString, QString> names {
        { QStringLiteral("*"), QStringLiteral("all of your health records") },
        { QStringLiteral("Patient"), QStringLiteral("your name, birth date and address") },
        { QStringLiteral("Observation"), QStringLiteral("your lab results and vital signs") },
        { QStringLiteral("Condition"), QStringLiteral("your conditions and diagnoses") },
        { QStringLiteral("MedicationRequest"), QStringLiteral("your prescriptions") },
        { QStringLiteral("Medication"), QStringLiteral("details of your medicines") },
        { QStringLiteral("AllergyIntolerance"), QStringLiteral("your allergies") },
        { QStringLiteral("Immunization"), QStringLiteral("your immunizations") },
        { QStringLiteral("Procedure"), QStringLiteral("your procedures") },
        { QStringLiteral("DiagnosticReport"), QStringLiteral("your test reports") },
        { QStringLiteral("Encounter"), QStringLiteral("your visits") },
        { QStringLiteral("DocumentReference"), QStringLiteral("your clinical documents") },
        { QStringLiteral("Binary"), QStringLiteral("the contents of your documents") },
        { QStringLiteral("CarePlan"), QStringLiteral("your care plans") },
        { QStringLiteral("Goal"), QStringLiteral("your health goals") },
        { QStringLiteral("CareTeam"), QStringLiteral("your care team") },
        { QStringLiteral("Device"), QStringLiteral("your devices and implants") },
        { QStringLiteral("Coverage"), QStringLiteral("your insurance coverage") },
    };
    return names.value(type, QStringLiteral("your %1 records").arg(type));
}

// A scope in words a patient can judge (SMART scopes v1 and v2).
QString plainScope(const QString& scope)
{
    if (scope == QLatin1String("openid"))
        return QStringLiteral("Confirm to the app who you are");
    if (scope == QLatin1String("fhirUser") || scope == QLatin1String("profile"))
        return QStringLiteral("Tell the app which patient record is yours");
    if (scope == QLatin1String("launch/patient"))
        return QStringLiteral("Open the patient record you choose above");
    if (scope == QLatin1String("offline_access"))
        return QStringLiteral("Stay connected when you are not using the app (until access ends)");
    if (scope == QLatin1String("online_access"))
        return QStringLiteral("Stay connected while you are using the app");
    static const QRegularExpression resource(QStringLiteral("^patient/(\\*|[A-Za-z]+)\\.([^?]+)(?:\\?(.*))?$"));
    const QRegularExpressionMatch match = resource.match(scope);
    if (!match.hasMatch())
        return scope;
    const QString permissions = match.captured(2);
    QStringList verbs;
    if (permissions == QLatin1String("read")) {
        verbs = { QStringLiteral("see") };
    } else if (permissions == QLatin1String("write")) {
        verbs = { QStringLiteral("change") };
    } else if (permissions == QLatin1String("*")) {
        verbs = { QStringLiteral("see"), QStringLiteral("change") };
    } else {
        const std::pair<QChar, const char*> letters[] = { { QLatin1Char('r'), "see" }, { QLatin1Char('s'), "search" },
            { QLatin1Char('c'), "add to" }, { QLatin1Char('u'), "change" }, { QLatin1Char('d'), "delete" } };
        for (const auto& [letter, verb] : letters) {
            if (permissions.contains(letter))
                verbs.append(QString::fromLatin1(verb));
        }
    }
    QString text = verbs.size() > 1
        ? verbs.mid(0, verbs.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ") + verbs.constLast()
        : verbs.value(0);
    text[0] = text[0].toUpper();
    text += QLatin1Char(' ') + plainType(match.captured(1));
    if (!match.captured(3).isEmpty())
        text += QStringLiteral(" (only %1)")
                    .arg(match.captured(3)
                             .replace(QLatin1Char('='), QStringLiteral(": "))
                             .replace(QLatin1Char('&'), QStringLiteral(", ")));
    return text;
}

struct Duration {
    const char* value;
    const char* label;
    qint64 seconds; // 0: until revoked
};
constexpr Duration kDurations[] = {
    { "1h", "1 hour", 3600 },
    { "1d", "1 day", 24 * 3600 },
    { "90d", "90 days", 90 * 24 * 3600 },
    { "revoked", "Until I revoke it", 0 },
};

// RFC 7636 §4.1: 43..128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
bool isValidVerifier(const QString& verifier)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._~-]{43,128}$"));
    return pattern.match(verifier).hasMatch();
}

} // namespace

AuthorizationServer::AuthorizationServer(const SandboxOptions& options, const ResourceStore& store, SandboxStats& stats,
    const SigningKey& key, const Quirks& quirks, FaultInjector& faults, DpopVerifier& dpop)
    : m_options(options)
    , m_store(store)
    , m_stats(stats)
    , m_key(key)
    , m_quirks(quirks)
    , m_faults(faults)
    , m_dpop(dpop)
{
}

void AuthorizationServer::setBase(const QString& origin, const QString& fhirBase)
{
    m_origin = origin;
    m_fhirBase = fhirBase;
}

bool AuthorizationServer::redirectMatches(const QString& registered, const QString& requested)
{
    if (registered == requested)
        return true;
    // Only loopback IP literals get the any-port rule; `localhost` may resolve
    // elsewhere (RFC 8252 §8.3) and is compared exactly like any other URI.
    for (const QLatin1String host : { QLatin1String("http://127.0.0.1"), QLatin1String("http://[::1]") }) {
        if (!registered.startsWith(host) || !requested.startsWith(host))
            continue;
        const QStringView registeredRest = QStringView(registered).sliced(host.size());
        if (registeredRest.startsWith(QLatin1Char(':')))
            return false; // registered with a port: exact match only
        const QStringView requestedRest = QStringView(requested).sliced(host.size());
        if (!requestedRest.startsWith(QLatin1Char(':')))
            return false;
        qsizetype digits = 1;
        while (digits < requestedRest.size() && requestedRest.at(digits).isDigit())
            ++digits;
        bool ok = false;
        const uint port = requestedRest.sliced(1, digits - 1).toUInt(&ok);
        if (!ok || digits - 1 > 5 || port == 0 || port > 65535)
            return false;
        return requestedRest.sliced(digits) == registeredRest;
    }
    return false;
}

bool AuthorizationServer::knownClient(const QString& clientId) const
{
    for (const ClientRegistration& client : m_options.clients) {
        if (client.clientId == clientId)
            return true;
    }
    const ClientRegistry::Client* registered = m_registry.find(clientId);
    return registered && registered->kind == ClientRegistry::Kind::PrivateKeyJwt;
}

QList<ClientRegistry::Software> AuthorizationServer::software() const
{
    QList<ClientRegistry::Software> out;
    for (const ClientRegistration& client : m_options.clients)
        out.append({ client.clientId, client.redirectUris });
    return out;
}

bool AuthorizationServer::registeredRedirect(const QString& clientId, const QString& redirectUri) const
{
    for (const ClientRegistration& client : m_options.clients) {
        if (client.clientId != clientId)
            continue;
        for (const QString& registered : client.redirectUris) {
            if (redirectMatches(registered, redirectUri))
                return true;
        }
    }
    if (const ClientRegistry::Client* registered = m_registry.find(clientId))
        return std::any_of(registered->redirectUris.cbegin(), registered->redirectUris.cend(),
            [&redirectUri](const QString& r) { return redirectMatches(r, redirectUri); });
    return false;
}

QJsonObject AuthorizationServer::smartConfiguration() const
{
    const QString auth = m_origin + QStringLiteral("/auth");
    QJsonObject config {
        { QStringLiteral("issuer"), m_fhirBase },
        { QStringLiteral("jwks_uri"), QString(auth + QStringLiteral("/jwks")) },
        { QStringLiteral("authorization_endpoint"), QString(auth + QStringLiteral("/authorize")) },
        { QStringLiteral("token_endpoint"), QString(auth + QStringLiteral("/token")) },
        { QStringLiteral("revocation_endpoint"), QString(auth + QStringLiteral("/revoke")) },
        { QStringLiteral("introspection_endpoint"), QString(auth + QStringLiteral("/introspect")) },
        { QStringLiteral("token_endpoint_auth_methods_supported"), QJsonArray { QStringLiteral("none") } },
        { QStringLiteral("grant_types_supported"),
            QJsonArray { QStringLiteral("authorization_code"), QStringLiteral("refresh_token") } },
        { QStringLiteral("code_challenge_methods_supported"), QJsonArray { QStringLiteral("S256") } },
        // RFC 9207: every authorization response (code or error) carries iss.
        { QStringLiteral("authorization_response_iss_parameter_supported"), true },
        { QStringLiteral("response_types_supported"), QJsonArray { QStringLiteral("code") } },
        { QStringLiteral("scopes_supported"),
            QJsonArray { QStringLiteral("openid"), QStringLiteral("fhirUser"), QStringLiteral("launch/patient"),
                QStringLiteral("offline_access"), QStringLiteral("online_access"), QStringLiteral("patient/*.rs"),
                QStringLiteral("patient/*.read") } },
        { QStringLiteral("capabilities"),
            QJsonArray { QStringLiteral("launch-standalone"), QStringLiteral("client-public"),
                QStringLiteral("context-standalone-patient"), QStringLiteral("permission-patient"),
                QStringLiteral("permission-offline"), QStringLiteral("permission-online"),
                QStringLiteral("permission-v1"), QStringLiteral("permission-v2"),
                QStringLiteral("sso-openid-connect") } },
    };
    // RFC 9449 section 5.1: the algorithms a DPoP proof may be signed with, when DPoP is offered.
    if (offersDpop(m_options.binding) && !m_quirks.dpopInIssuerMetadata)
        config.insert(QStringLiteral("dpop_signing_alg_values_supported"), dpopAlgorithms());
    // Clients registered per device (RFC 7591): asymmetric ones (SMART client-confidential-asymmetric), and
    // ones registered with a first access token that then use the JWT-bearer grant.
    if (offersPrivateKeyJwt(m_options.binding) || offersJwtBearer(m_options.binding))
        config.insert(QStringLiteral("registration_endpoint"), QString(auth + QStringLiteral("/register")));
    if (offersPrivateKeyJwt(m_options.binding)) {
        config.insert(QStringLiteral("token_endpoint_auth_methods_supported"),
            QJsonArray { QStringLiteral("none"), QStringLiteral("private_key_jwt") });
        config.insert(QStringLiteral("token_endpoint_auth_signing_alg_values_supported"),
            QJsonArray { QStringLiteral("ES384"), QStringLiteral("ES256") });
        QJsonArray capabilities = config.value(QStringLiteral("capabilities")).toArray();
        capabilities.append(QStringLiteral("client-confidential-asymmetric"));
        config.insert(QStringLiteral("capabilities"), capabilities);
    }
    if (offersJwtBearer(m_options.binding)) {
        QJsonArray grants = config.value(QStringLiteral("grant_types_supported")).toArray();
        grants.append(QLatin1String(kJwtBearerGrant));
        config.insert(QStringLiteral("grant_types_supported"), grants);
        QJsonArray scopes = config.value(QStringLiteral("scopes_supported")).toArray();
        scopes.append(QLatin1String(kRegistrationScope));
        config.insert(QStringLiteral("scopes_supported"), scopes);
    }
    // SMART User Access Brands: where this server's brand is published, and which brand in it is this server's.
    config.insert(QStringLiteral("user_access_brand_bundle"), QString(m_origin + QStringLiteral("/brands")));
    config.insert(QStringLiteral("user_access_brand_identifier"), BrandDirectory::ownIdentifier());
    if (m_quirks.noRevocation)
        config.remove(QStringLiteral("revocation_endpoint"));
    // Some servers refresh without listing the grant type; a client must not
    // take the list as the last word.
    if (m_quirks.noRefreshGrantType)
        config.insert(QStringLiteral("grant_types_supported"), QJsonArray { QStringLiteral("authorization_code") });
    return config;
}

QJsonObject AuthorizationServer::openidConfiguration() const
{
    QJsonObject config = smartConfiguration();
    config.remove(QStringLiteral("capabilities"));
    config.insert(QStringLiteral("subject_types_supported"), QJsonArray { QStringLiteral("public") });
    config.insert(QStringLiteral("id_token_signing_alg_values_supported"), QJsonArray { QStringLiteral("RS256") });
    config.insert(QStringLiteral("claims_supported"),
        QJsonArray { QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("aud"), QStringLiteral("exp"),
            QStringLiteral("iat"), QStringLiteral("fhirUser"), QStringLiteral("nonce") });
    return config;
}

QJsonObject AuthorizationServer::authorizationServerMetadata() const
{
    QJsonObject config = smartConfiguration();
    config.remove(QStringLiteral("capabilities"));
    if (offersDpop(m_options.binding))
        config.insert(QStringLiteral("dpop_signing_alg_values_supported"), dpopAlgorithms());
    return config;
}

QJsonArray AuthorizationServer::dpopAlgorithms()
{
    return QJsonArray { QStringLiteral("ES256"), QStringLiteral("ES384") };
}

QJsonObject AuthorizationServer::jwks() const
{
    return QJsonObject { { QStringLiteral("keys"), QJsonArray { m_key.publicJwk() } } };
}

// --- authorize ---------------------------------------------------------------

QHttpServerResponse AuthorizationServer::authorizeError(
    const QString& redirectUri, const QString& error, const QString& description, const QString& state) const
{
    QList<QPair<QString, QString>> params { { QStringLiteral("error"), error },
        { QStringLiteral("error_description"), description } };
    if (!state.isEmpty())
        params.append({ QStringLiteral("state"), state });
    // RFC 9207: tell the client which server answered (mix-up defence).
    params.append({ QStringLiteral("iss"), m_fhirBase });
    qCInfo(lcAuth) << "authorize refused:" << error << description;
    return Http::redirect(appendQuery(redirectUri, params));
}

QHttpServerResponse AuthorizationServer::authorize(const QHttpServerRequest& request)
{
    ++m_stats.authorizeRequests;
    using Method = QHttpServerRequest::Method;
    if (request.method() != Method::Get && request.method() != Method::Post)
        return Http::html(QStringLiteral("Method not allowed"), QStringLiteral("<p>Use GET.</p>"),
            QHttpServerResponse::StatusCode::MethodNotAllowed);
    const FormData params = FormData::parse(request.method() == Method::Get ? Http::rawQuery(request) : request.body());

    // Until client_id and redirect_uri are verified, nothing is redirected
    // anywhere (RFC 6749 §4.1.2.1): the person sees an error page instead.
    const QString clientId = params.value(QStringLiteral("client_id"));
    const QString redirectUri = params.value(QStringLiteral("redirect_uri"));
    auto errorPage = [](const QString& why) {
        qCInfo(lcAuth) << "authorize error page:" << why;
        return Http::html(QStringLiteral("Authorization error"),
            QStringLiteral(
                "<p>%1</p><p>The application's request cannot be processed and you will not be sent back to it.</p>")
                .arg(why.toHtmlEscaped()),
            QHttpServerResponse::StatusCode::BadRequest);
    };
    if (params.count(QStringLiteral("client_id")) != 1 || clientId.isEmpty())
        return errorPage(QStringLiteral("client_id is missing or repeated."));
    if (!knownClient(clientId))
        return errorPage(QStringLiteral("Unknown client_id."));
    if (params.count(QStringLiteral("redirect_uri")) != 1 || redirectUri.isEmpty())
        return errorPage(QStringLiteral("redirect_uri is missing or repeated."));
    if (!registeredRedirect(clientId, redirectUri))
        return errorPage(QStringLiteral("redirect_uri is not registered for this client."));

    const QString state
        = params.count(QStringLiteral("state")) == 1 ? params.value(QStringLiteral("state")) : QString();
    const QString repeated = params.firstRepeated({ QStringLiteral("response_type"), QStringLiteral("scope"),
        QStringLiteral("state"), QStringLiteral("aud"), QStringLiteral("code_challenge"),
        QStringLiteral("code_challenge_method"), QStringLiteral("nonce"), QStringLiteral("launch") });
    if (!repeated.isEmpty())
        return authorizeError(
            redirectUri, QStringLiteral("invalid_request"), repeated + QStringLiteral(" is repeated"), state);
    const QString responseType = params.value(QStringLiteral("response_type"));
    if (responseType.isEmpty())
        return authorizeError(
            redirectUri, QStringLiteral("invalid_request"), QStringLiteral("response_type is required"), state);
    if (responseType != QLatin1String("code"))
        return authorizeError(
            redirectUri, QStringLiteral("unsupported_response_type"), QStringLiteral("only response_type=code"), state);
    if (state.isEmpty())
        return authorizeError(
            redirectUri, QStringLiteral("invalid_request"), QStringLiteral("state is required"), state);
    QString scopeError;
    const std::optional<ScopeSet> scopes = ScopeSet::parse(params.value(QStringLiteral("scope")), &scopeError);
    if (!scopes)
        return authorizeError(redirectUri, QStringLiteral("invalid_scope"), scopeError, state);
    // The registration scope: for a published client, where registration with an access token is offered.
    if (scopes->has(QLatin1String(kRegistrationScope))
        && (!offersJwtBearer(m_options.binding) || m_registry.find(clientId)))
        return authorizeError(redirectUri, QStringLiteral("invalid_scope"),
            QStringLiteral("system/dynamicClient.register is not offered to this client"), state);
    if (!params.has(QStringLiteral("aud")))
        return authorizeError(redirectUri, QStringLiteral("invalid_request"), QStringLiteral("aud is required"), state);
    if (stripOneSlash(params.value(QStringLiteral("aud"))) != m_fhirBase)
        return authorizeError(redirectUri, QStringLiteral("invalid_request"),
            QStringLiteral("aud is not this server's FHIR base"), state);
    const QString method = params.value(QStringLiteral("code_challenge_method"));
    const QString challenge = params.value(QStringLiteral("code_challenge"));
    if (challenge.isEmpty() || method.isEmpty())
        return authorizeError(redirectUri, QStringLiteral("invalid_request"),
            QStringLiteral("PKCE is required: code_challenge and code_challenge_method=S256"), state);
    if (method != QLatin1String("S256"))
        return authorizeError(redirectUri, QStringLiteral("invalid_request"),
            QStringLiteral("code_challenge_method must be S256"), state);
    static const QRegularExpression s256(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
    if (!s256.match(challenge).hasMatch())
        return authorizeError(redirectUri, QStringLiteral("invalid_request"),
            QStringLiteral("code_challenge is not a base64url SHA-256"), state);
    if (m_store.patientIds().isEmpty())
        return authorizeError(
            redirectUri, QStringLiteral("temporarily_unavailable"), QStringLiteral("no patients"), state);

    PendingAuthorization pending { clientId, redirectUri, state, challenge, params.value(QStringLiteral("nonce")),
        *scopes, nowMs() + kConsentLifetimeMs };
    if (!m_options.autoApprove.isEmpty()) {
        const QString patient = m_options.autoApprove == QLatin1String("first") ? m_store.patientIds().constFirst()
                                                                                : m_options.autoApprove;
        if (!m_store.get(QStringLiteral("Patient"), patient))
            return authorizeError(redirectUri, QStringLiteral("server_error"),
                QStringLiteral("the auto-approved patient does not exist"), state);
        return issueCode(pending, patient);
    }
    // Drop abandoned consent pages so the table cannot grow without bound.
    const qint64 now = nowMs();
    for (auto it = m_pending.begin(); it != m_pending.end();)
        it = it->expiresMs < now ? m_pending.erase(it) : std::next(it);
    const QString pendingId = Crypto::randomToken(16);
    m_pending.insert(pendingId, pending);
    return consentPage(pendingId, pending);
}

QHttpServerResponse AuthorizationServer::consentPage(
    const QString& pendingId, const PendingAuthorization& request) const
{
    QString patients;
    bool first = true;
    for (const QString& id : m_store.patientIds()) {
        const auto [name, born] = patientNameAndBirthDate(m_store.get(QStringLiteral("Patient"), id));
        patients
            += QStringLiteral("<label class=\"choice\"><input type=\"radio\" name=\"patient\" "
                              "value=\"%1\"%2><span><strong>%3</strong><br><small>born %4</small></span></label>\n")
                   .arg(id.toHtmlEscaped(), first ? QStringLiteral(" checked") : QString(), name.toHtmlEscaped(),
                       born.toHtmlEscaped());
        first = false;
    }
    QString scopes;
    for (const QString& scope : request.scopes.scopes()) {
        scopes += QStringLiteral("<label class=\"choice\"><input type=\"checkbox\" name=\"scope\" value=\"%1\" "
                                 "checked><span>%2 <code>%1</code></span></label>\n")
                      .arg(scope.toHtmlEscaped(), plainScope(scope).toHtmlEscaped());
    }
    QString durations;
    for (const Duration& duration : kDurations) {
        durations += QStringLiteral(
            "<label class=\"choice\"><input type=\"radio\" name=\"duration\" value=\"%1\"%2><span>%3</span></label>\n")
                         .arg(QLatin1String(duration.value),
                             std::string_view(duration.value) == "90d" ? QStringLiteral(" checked") : QString(),
                             QLatin1String(duration.label));
    }
    const QString body
        = QStringLiteral(
            "<p class=\"lead\">The app <strong>%1</strong> asks to connect to your health records on this server.</p>\n"
            "<form method=\"post\" action=\"%2/auth/authorize/decision\">\n"
            "<input type=\"hidden\" name=\"request_id\" value=\"%3\">\n"
            "<fieldset><legend>Whose records?</legend>\n<div class=\"grid\">%4</div></fieldset>\n"
            "<fieldset><legend>What the app may do</legend>\n<p class=\"hint\">Uncheck anything you do not want to "
            "allow.</p>\n%5</fieldset>\n"
            "<fieldset><legend>How long access lasts</legend>\n<div class=\"row\">%6</div>"
            "<p class=\"hint\">When the time is up, the app must ask you again. You can revoke access at any "
            "time.</p></fieldset>\n"
            "<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"approve\" "
            "class=\"primary\">Allow access</button>"
            "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></div>\n</form>")
              .arg(request.clientId.toHtmlEscaped(), m_origin.toHtmlEscaped(), pendingId, patients, scopes, durations);
    // Allow and Deny answer with a redirect to the app's registered redirect URI: the page's policy names its
    // origin (or, for a private-use scheme, the scheme), and nothing else is added.
    const QUrl redirect(request.redirectUri);
    const bool web = redirect.scheme() == QLatin1String("http") || redirect.scheme() == QLatin1String("https");
    const QString target = web
        ? redirect.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
              .toString()
        : redirect.scheme() + QLatin1Char(':');
    static const QRegularExpression sourceExpression(
        QStringLiteral("^([a-z][a-z0-9+.-]*:|https?://[A-Za-z0-9.:\\[\\]-]+)$"));
    return Http::html(QStringLiteral("Allow access to your health records?"), body, QHttpServerResponse::StatusCode::Ok,
        sourceExpression.match(target).hasMatch() ? QStringList { target } : QStringList {});
}

QJsonArray AuthorizationServer::patients() const
{
    QJsonArray list;
    for (const QString& id : m_store.patientIds()) {
        const auto [name, born] = patientNameAndBirthDate(m_store.get(QStringLiteral("Patient"), id));
        list.append(QJsonObject {
            { QStringLiteral("id"), id }, { QStringLiteral("name"), name }, { QStringLiteral("birth_date"), born } });
    }
    return list;
}

QHttpServerResponse AuthorizationServer::decide(const QHttpServerRequest& request)
{
    if (request.method() != QHttpServerRequest::Method::Post || !Http::isFormBody(request))
        return Http::html(QStringLiteral("Authorization error"), QStringLiteral("<p>Submit the consent form.</p>"),
            QHttpServerResponse::StatusCode::BadRequest);
    const FormData form = FormData::parse(request.body());
    // Single use: a reloaded or replayed form does not mint a second code.
    const auto it = m_pending.constFind(form.value(QStringLiteral("request_id")));
    if (it == m_pending.constEnd() || it->expiresMs < nowMs())
        return Http::html(QStringLiteral("Authorization error"),
            QStringLiteral("<p>This request has expired or was already answered.</p>"),
            QHttpServerResponse::StatusCode::BadRequest);
    const PendingAuthorization pending = *it;
    const QString decision = form.value(QStringLiteral("decision"));
    if (decision != QLatin1String("approve")) {
        m_pending.erase(it);
        return authorizeError(pending.redirectUri, QStringLiteral("access_denied"),
            QStringLiteral("the user denied access"), pending.state);
    }
    const QString patient = form.value(QStringLiteral("patient"));
    const QString durationValue = form.value(QStringLiteral("duration"));
    const Duration* duration = nullptr;
    for (const Duration& candidate : kDurations) {
        if (durationValue == QLatin1String(candidate.value))
            duration = &candidate;
    }
    // A form that is incomplete is shown an error; the request stays open for a correct one.
    if (!m_store.get(QStringLiteral("Patient"), patient))
        return Http::html(QStringLiteral("Authorization error"), QStringLiteral("<p>Choose one of the patients.</p>"),
            QHttpServerResponse::StatusCode::BadRequest);
    if (!duration)
        return Http::html(QStringLiteral("Authorization error"), QStringLiteral("<p>Choose how long access lasts.</p>"),
            QHttpServerResponse::StatusCode::BadRequest);
    m_pending.erase(it);

    // Unchecking narrows the grant; a box the page did not offer widens nothing.
    QStringList checked;
    for (const auto& item : form.items()) {
        if (item.first == QLatin1String("scope"))
            checked.append(item.second);
    }
    QStringList kept;
    for (const QString& scope : pending.scopes.scopes()) {
        if (checked.contains(scope))
            kept.append(scope);
    }
    if (kept.isEmpty())
        return authorizeError(pending.redirectUri, QStringLiteral("access_denied"),
            QStringLiteral("the user allowed none of the requested scopes"), pending.state);
    PendingAuthorization approved = pending;
    approved.scopes = *ScopeSet::parse(kept.join(QLatin1Char(' ')));
    const qint64 endsMs = duration->seconds > 0 ? nowMs() + duration->seconds * 1000 : 0;
    qCInfo(lcAuth) << "consent: approved" << kept.size() << "of" << pending.scopes.scopes().size() << "scopes for"
                   << (duration->seconds > 0 ? duration->label : "until revoked");
    return issueCode(approved, patient, endsMs);
}

QHttpServerResponse AuthorizationServer::issueCode(
    const PendingAuthorization& request, const QString& patient, qint64 grantEndsMs)
{
    const qint64 now = nowMs();
    for (auto it = m_codes.begin(); it != m_codes.end();) // forget codes long past their use
        it = it->request.expiresMs + 10 * 60 * 1000 < now ? m_codes.erase(it) : std::next(it);
    const QString code = Crypto::randomToken();
    CodeRecord record { request, patient, false, {}, grantEndsMs };
    record.request.expiresMs = now + m_options.codeLifetime * 1000;
    // Quirk narrow-scopes (Epic): no wildcard is ever granted. A patient/*.<permissions> becomes one scope per
    // type the app's registration lists (here: the clinical types an Epic patient app typically gets; not
    // CarePlan, Goal, CareTeam, Device or Coverage), in the version the app asked for.
    if (m_quirks.narrowScopes) {
        static const QStringList registered { QStringLiteral("Patient"), QStringLiteral("AllergyIntolerance"),
            QStringLiteral("Condition"), QStringLiteral("MedicationRequest"), QStringLiteral("Medication"),
            QStringLiteral("Observation"), QStringLiteral("Immunization"), QStringLiteral("Procedure"),
            QStringLiteral("DiagnosticReport"), QStringLiteral("DocumentReference"), QStringLiteral("Encounter") };
        QStringList granted;
        for (const QString& scope : request.scopes.scopes()) {
            if (!scope.startsWith(QLatin1String("patient/*."))) {
                granted << scope;
                continue;
            }
            for (const QString& type : registered)
                granted << QStringLiteral("patient/%1.%2").arg(type, scope.mid(10));
        }
        if (const auto narrowed = ScopeSet::parse(granted.join(QLatin1Char(' '))))
            record.request.scopes = *narrowed;
    }
    m_codes.insert(Crypto::sha256Hex(code), record);
    qCInfo(lcAuth) << "code issued" << logLabel(Crypto::sha256Hex(code)) << "client" << request.clientId;
    return Http::redirect(appendQuery(request.redirectUri,
        { { QStringLiteral("code"), code }, { QStringLiteral("state"), request.state },
            { QStringLiteral("iss"), m_fhirBase } }));
}

// --- token -------------------------------------------------------------------

std::optional<QHttpServerResponse> AuthorizationServer::checkClientRequest(
    const QHttpServerRequest& request, const FormData& form, bool clientRequired)
{
    if (request.method() != QHttpServerRequest::Method::Post)
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("use POST"));
    if (!Http::isFormBody(request))
        return Http::oauthError(
            QStringLiteral("invalid_request"), QStringLiteral("the body must be application/x-www-form-urlencoded"));
    // RFC 6749 §3.2: parameters sent without a value are treated as omitted,
    // and none may be repeated.
    for (const auto& item : form.items()) {
        if (form.count(item.first) > 1)
            return Http::oauthError(QStringLiteral("invalid_request"), item.first + QStringLiteral(" is repeated"));
    }
    // Public clients have no secret: presenting one is an authentication
    // method this server does not support (RFC 6749 §5.2 invalid_client).
    const QByteArray authorization = Http::header(request, "authorization");
    if (authorization.toLower().startsWith("basic ") || form.has(QStringLiteral("client_secret")))
        return Http::oauthError(
            QStringLiteral("invalid_client"), QStringLiteral("public clients do not authenticate with a secret"));
    const QString clientId = form.value(QStringLiteral("client_id"));
    if (clientRequired && clientId.isEmpty())
        return Http::oauthError(
            QStringLiteral("invalid_client"), QStringLiteral("client_id is required for public clients"));
    const ClientRegistry::Client* registered = m_registry.find(clientId);
    if (!clientId.isEmpty() && !knownClient(clientId) && !registered)
        return Http::oauthError(QStringLiteral("invalid_client"), QStringLiteral("unknown client_id"));
    // RFC 7523 section 2.2 (private_key_jwt): a registered client is not public, and proves it with every
    // request; a published public client has nothing to prove with.
    const QString assertionType = form.value(QStringLiteral("client_assertion_type"));
    const QString assertion = form.value(QStringLiteral("client_assertion"));
    if (!registered) {
        if (!assertionType.isEmpty() || !assertion.isEmpty())
            return Http::oauthError(
                QStringLiteral("invalid_client"), QStringLiteral("public clients do not authenticate"));
        return std::nullopt;
    }
    if (assertion.isEmpty() && registered->kind == ClientRegistry::Kind::JwtBearer
        && form.value(QStringLiteral("grant_type")) == QLatin1String(kJwtBearerGrant))
        return std::nullopt; // the grant's own assertion authenticates it
    if (assertionType != QLatin1String(kClientAssertionType) || assertion.isEmpty())
        return refuseClient({ 401, QStringLiteral("invalid_client"),
            QStringLiteral("this client must authenticate with a private_key_jwt client_assertion"),
            QStringLiteral("assertion_missing") });
    if (const auto failure = m_registry.checkAssertion(assertion.toLatin1(), *registered, assertionAudiences(request)))
        return refuseClient(*failure);
    return std::nullopt;
}

QStringList AuthorizationServer::assertionAudiences(const QHttpServerRequest& request) const
{
    QUrl endpoint = request.url().adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    return { m_origin + QStringLiteral("/auth/token"), m_fhirBase, endpoint.toString() };
}

QHttpServerResponse AuthorizationServer::refuseClient(const ClientRegistry::Failure& failure)
{
    ++m_stats.bindingFailures[failure.reason];
    qCInfo(lcAuth) << "client refused:" << failure.reason;
    QHttpServerResponse response = Http::json(
        { { QStringLiteral("error"), failure.error }, { QStringLiteral("error_description"), failure.description } },
        static_cast<QHttpServerResponse::StatusCode>(failure.status));
    if (failure.status == 401)
        response.setHeader(
            QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\""));
    Http::addNoStore(response);
    return response;
}

QHttpServerResponse AuthorizationServer::token(const QHttpServerRequest& request)
{
    const FormData form = FormData::parse(request.body());
    const QString grantType = form.value(QStringLiteral("grant_type"));
    if (grantType == QLatin1String("authorization_code"))
        ++m_stats.authorizationCodeRequests;
    else if (grantType == QLatin1String("refresh_token"))
        ++m_stats.refreshTokenRequests;
    else if (grantType == QLatin1String(kJwtBearerGrant))
        ++m_stats.jwtBearerRequests;
    if (auto refused = checkClientRequest(request, form, true))
        return std::move(*refused);
    const QString clientId = form.value(QStringLiteral("client_id"));
    if (grantType.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("grant_type is required"));
    const bool jwtBearer = grantType == QLatin1String(kJwtBearerGrant) && offersJwtBearer(m_options.binding);
    if (grantType != QLatin1String("authorization_code") && grantType != QLatin1String("refresh_token") && !jwtBearer)
        return Http::oauthError(QStringLiteral("unsupported_grant_type"),
            offersJwtBearer(m_options.binding) ? QStringLiteral("authorization_code, refresh_token and jwt-bearer only")
                                               : QStringLiteral("authorization_code and refresh_token only"));
    QString jkt;
    if (auto refused = checkTokenProof(request, form, grantType, &jkt))
        return std::move(*refused);
    // Counted by the client's route: a registered client by how it registered, the published one by its proof.
    const ClientRegistry::Client* registered = m_registry.find(clientId);
    ++m_stats.tokenRequestsByBinding[!registered ? (jkt.isEmpty() ? QStringLiteral("bearer") : QStringLiteral("dpop"))
            : registered->kind == ClientRegistry::Kind::JwtBearer ? QStringLiteral("jwt_bearer")
                                                                  : QStringLiteral("private_key_jwt")];
    QHttpServerResponse response = jwtBearer               ? jwtBearerGrant(form, clientId, jkt)
        : grantType == QLatin1String("authorization_code") ? exchangeCode(form, clientId, jkt)
                                                           : refresh(form, clientId);
    // RFC 9449 section 8: the nonce to use next rides on every answer, a success included.
    if (const QString nonce = m_dpop.currentNonce(); !nonce.isEmpty() && offersDpop(m_options.binding))
        response.setHeader(QByteArrayLiteral("DPoP-Nonce"), nonce.toLatin1());
    return response;
}

std::optional<QHttpServerResponse> AuthorizationServer::checkTokenProof(
    const QHttpServerRequest& request, const FormData& form, const QString& grantType, QString* jkt)
{
    // Not offered: a DPoP header means nothing here, as at a server that has never heard of it.
    if (!offersDpop(m_options.binding))
        return std::nullopt;
    // A refresh token of a DPoP grant is bound to its key: found without touching its state.
    QString bound;
    if (grantType == QLatin1String("refresh_token")) {
        const auto record = m_refreshTokens.constFind(Crypto::sha256Hex(form.value(QStringLiteral("refresh_token"))));
        if (record != m_refreshTokens.constEnd())
            bound = m_grants.value(record->grantId).jkt;
    }
    const auto refuse = [&](const DpopVerifier::Failure& failure) {
        ++m_stats.bindingFailures[failure.reason];
        qCInfo(lcAuth) << "token request refused: DPoP" << failure.reason;
        QHttpServerResponse response = Http::oauthError(failure.error, failure.description);
        if (const QString nonce = m_dpop.currentNonce(); !nonce.isEmpty())
            response.setHeader(QByteArrayLiteral("DPoP-Nonce"), nonce.toLatin1());
        Http::addNoStore(response);
        return response;
    };
    const QByteArray proof = Http::header(request, "dpop");
    if (proof.isEmpty()) {
        if (!bound.isEmpty())
            return refuse({ QStringLiteral("missing"), QStringLiteral("invalid_dpop_proof"),
                QStringLiteral("this refresh token is bound to a DPoP key: a proof is required") });
        if (m_options.binding == Binding::DpopRequired)
            return refuse({ QStringLiteral("missing"), QStringLiteral("invalid_dpop_proof"),
                QStringLiteral("this server requires DPoP-bound tokens: a proof is required") });
        return std::nullopt;
    }
    DpopVerifier::Accepted accepted;
    if (const auto failure = m_dpop.check(proof, "POST", request.url(), {}, bound, &accepted))
        return refuse(*failure);
    *jkt = accepted.jkt;
    return std::nullopt;
}

QHttpServerResponse AuthorizationServer::exchangeCode(const FormData& form, const QString& clientId, const QString& jkt)
{
    const QString code = form.value(QStringLiteral("code"));
    const QString redirectUri = form.value(QStringLiteral("redirect_uri"));
    const QString verifier = form.value(QStringLiteral("code_verifier"));
    if (code.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("code is required"));
    if (redirectUri.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("redirect_uri is required"));
    if (verifier.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("code_verifier is required"));
    if (!isValidVerifier(verifier))
        return Http::oauthError(
            QStringLiteral("invalid_request"), QStringLiteral("code_verifier must be 43..128 unreserved characters"));

    const QString codeHash = Crypto::sha256Hex(code);
    const auto it = m_codes.find(codeHash);
    if (it == m_codes.end())
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("unknown authorization code"));
    if (it->used) {
        // RFC 6749 §4.1.2: a replayed code revokes what it issued the first time.
        const QString issued = it->grantId;
        if (!issued.isEmpty())
            revokeGrant(issued, "authorization code replayed");
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("authorization code already used"));
    }
    // Spent on the first presentation, whatever its outcome: no guessing the verifier.
    it->used = true;
    if (it->request.expiresMs <= nowMs())
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("authorization code expired"));
    if (it->request.clientId != clientId)
        return Http::oauthError(
            QStringLiteral("invalid_grant"), QStringLiteral("authorization code was issued to another client"));
    if (it->request.redirectUri != redirectUri)
        return Http::oauthError(
            QStringLiteral("invalid_grant"), QStringLiteral("redirect_uri differs from the authorization request"));
    if (QString::fromLatin1(base64UrlEncode(Crypto::sha256(verifier.toLatin1()))) != it->request.challenge)
        return Http::oauthError(
            QStringLiteral("invalid_grant"), QStringLiteral("code_verifier does not match code_challenge"));

    Grant grant;
    grant.id = Crypto::randomToken(12);
    grant.clientId = clientId;
    grant.patient = it->patient;
    grant.scopes = it->request.scopes;
    grant.nonce = it->request.nonce;
    grant.createdMs = nowMs();
    grant.endsMs = it->grantEndsMs;
    grant.jkt = jkt;
    it->grantId = grant.id;
    // Quirk no-refresh-token: like servers that never offer persistent access.
    const QString refreshToken
        = grant.scopes.allowsRefresh() && !m_quirks.noRefreshToken ? mintRefreshToken(grant) : QString();
    m_grants.insert(grant.id, grant);
    qCInfo(lcAuth) << "grant" << grant.id << "created for client" << clientId;
    return tokenResponse(grant, grant.scopes, refreshToken, TokenGrant::Code);
}

QHttpServerResponse AuthorizationServer::jwtBearerGrant(
    const FormData& form, const QString& clientId, const QString& jkt)
{
    // RFC 7523 section 2.1: the assertion is the grant. Only a client registered with an access token has one,
    // for the patient and user of that token, within its scopes; no refresh token: the registration lasts.
    const ClientRegistry::Client* client = m_registry.find(clientId);
    if (!client || client->kind != ClientRegistry::Kind::JwtBearer)
        return Http::oauthError(QStringLiteral("unauthorized_client"),
            QStringLiteral("only a client registered with an access token may use the JWT-bearer grant"));
    const QString assertion = form.value(QStringLiteral("assertion"));
    if (assertion.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("assertion is required"));
    const QStringList audiences { m_origin + QStringLiteral("/auth/token"), m_fhirBase };
    if (const auto failure = m_registry.checkAssertion(assertion.toLatin1(), *client, audiences, client->subject))
        return refuseClient(*failure);
    const auto grant = m_grants.find(m_registrationGrants.value(clientId));
    if (grant == m_grants.end())
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("this registration was revoked"));
    // A proof binds this access token (and only it: there is no refresh token) to the proof's key.
    Grant bound = *grant;
    bound.jkt = jkt;
    return tokenResponse(bound, grant->scopes, QString(), TokenGrant::Refresh);
}

QString AuthorizationServer::mintRefreshToken(Grant& grant)
{
    const QString token = Crypto::randomToken();
    const QString hash = Crypto::sha256Hex(token);
    const qint64 now = nowMs();
    qint64 expiresMs = now + m_options.refreshTokenLifetime * 1000;
    // The duration the person chose bounds every refresh token of the grant.
    if (grant.endsMs > 0)
        expiresMs = std::min(expiresMs, grant.endsMs);
    m_refreshTokens.insert(hash, RefreshRecord { grant.id, now, expiresMs, RefreshState::Current });
    grant.currentRefreshHash = hash;
    qCInfo(lcAuth) << "refresh token issued" << logLabel(hash) << "grant" << grant.id;
    return token;
}

QHttpServerResponse AuthorizationServer::refresh(const FormData& form, const QString& clientId)
{
    const QString presented = form.value(QStringLiteral("refresh_token"));
    if (presented.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("refresh_token is required"));
    const QString hash = Crypto::sha256Hex(presented);
    const auto it = m_refreshTokens.find(hash);
    if (it == m_refreshTokens.end() || !m_grants.contains(it->grantId))
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("unknown or revoked refresh token"));
    Grant& grant = m_grants[it->grantId];
    if (grant.clientId != clientId)
        return Http::oauthError(
            QStringLiteral("invalid_grant"), QStringLiteral("refresh token was issued to another client"));
    if (it->state == RefreshState::RotatedOut) {
        if (m_options.refreshPolicy == RefreshPolicy::RotateDetectReuse) {
            // OAuth Security BCP §4.14.2: a rotated-out token coming back means
            // it leaked; end the whole grant so the thief's copy dies too.
            revokeGrant(grant.id, "rotated-out refresh token reused");
            return Http::oauthError(
                QStringLiteral("invalid_grant"), QStringLiteral("refresh token reuse detected; the grant is revoked"));
        }
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("refresh token was rotated out"));
    }
    if (grant.endsMs > 0 && grant.endsMs <= nowMs())
        return Http::oauthError(
            QStringLiteral("invalid_grant"), QStringLiteral("the access the patient granted has ended"));
    if (it->expiresMs <= nowMs())
        return Http::oauthError(QStringLiteral("invalid_grant"), QStringLiteral("refresh token expired"));

    ScopeSet scopes = grant.scopes;
    if (form.has(QStringLiteral("scope"))) {
        QString error;
        const std::optional<ScopeSet> requested = ScopeSet::parse(form.value(QStringLiteral("scope")), &error);
        if (!requested)
            return Http::oauthError(QStringLiteral("invalid_scope"), error);
        if (!requested->isSubsetOf(grant.scopes))
            return Http::oauthError(QStringLiteral("invalid_scope"),
                QStringLiteral("a refresh may narrow the granted scope, never widen it"));
        scopes = *requested;
    }

    QString newRefresh;
    switch (m_options.refreshPolicy) {
    case RefreshPolicy::NoRotate:
        break;
    case RefreshPolicy::Rotate:
    case RefreshPolicy::RotateDetectReuse:
    case RefreshPolicy::KeepOldValid: {
        const RefreshState retired = m_options.refreshPolicy == RefreshPolicy::KeepOldValid ? RefreshState::OldValid
                                                                                            : RefreshState::RotatedOut;
        it->state = retired;
        if (const auto current = m_refreshTokens.find(grant.currentRefreshHash); current != m_refreshTokens.end())
            current->state = retired;
        newRefresh = mintRefreshToken(grant);
        break;
    }
    }
    return tokenResponse(grant, scopes, newRefresh, TokenGrant::Refresh);
}

QHttpServerResponse AuthorizationServer::tokenResponse(
    const Grant& grant, const ScopeSet& scopes, const QString& refreshToken, TokenGrant kind)
{
    const QString accessToken = Crypto::randomToken();
    const qint64 now = nowMs();
    const QString accessHash = Crypto::sha256Hex(accessToken);
    qint64 expiresMs = now + m_options.accessTokenLifetime * 1000;
    if (grant.endsMs > 0)
        expiresMs = std::min(expiresMs, grant.endsMs);
    const qint64 expiresIn = (expiresMs - now) / 1000;
    // Fault early-expiry: the token dies at once while expires_in promises more.
    if (m_faults.drawEarlyExpiry())
        expiresMs = now;
    m_accessTokens.insert(accessHash, AccessRecord { grant.id, scopes, now, expiresMs, grant.jkt });
    qCInfo(lcAuth) << "access token issued" << logLabel(accessHash) << "grant" << grant.id;
    QString scopeText = scopes.toString();
    // Quirk no-offline-scope (Epic): the answer omits offline_access though a refresh token comes with it.
    if (m_quirks.noOfflineScope) {
        QStringList list = scopes.scopes();
        list.removeAll(QStringLiteral("offline_access"));
        scopeText = list.join(QLatin1Char(' '));
    }

    QJsonObject body {
        { QStringLiteral("access_token"), accessToken },
        // RFC 9449 section 5: a token bound to a key is of type DPoP.
        { QStringLiteral("token_type"), grant.jkt.isEmpty() ? QStringLiteral("Bearer") : QStringLiteral("DPoP") },
        // Quirk string-expires-in: the number as a JSON string, as some servers send it.
        { QStringLiteral("expires_in"),
            m_quirks.stringExpiresIn ? QJsonValue(QString::number(expiresIn)) : QJsonValue(expiresIn) },
        { QStringLiteral("scope"), scopeText },
        { QStringLiteral("need_patient_banner"), true },
        { QStringLiteral("smart_style_url"), QString(m_origin + QStringLiteral("/smart-style.json")) },
    };
    // Quirk patient-in-id-token-only: only the id_token's fhirUser says whose records these are.
    if (!m_quirks.patientInIdTokenOnly)
        body.insert(QStringLiteral("patient"), grant.patient);
    if (!refreshToken.isEmpty())
        body.insert(QStringLiteral("refresh_token"), refreshToken);
    if (scopes.has(QStringLiteral("openid"))) {
        QJsonObject claims {
            { QStringLiteral("iss"), m_fhirBase },
            { QStringLiteral("sub"), grant.patient },
            { QStringLiteral("aud"), grant.clientId },
            { QStringLiteral("iat"), now / 1000 },
            { QStringLiteral("exp"), now / 1000 + 3600 },
            { QStringLiteral("fhirUser"), QString(m_fhirBase + QStringLiteral("/Patient/") + grant.patient) },
        };
        if (!grant.nonce.isEmpty())
            claims.insert(QStringLiteral("nonce"), grant.nonce);
        // Quirk refresh-id-token-no-aud (SMART launcher, seen 2026-12): a refreshed id_token without aud.
        if (kind == TokenGrant::Refresh && m_quirks.refreshIdTokenNoAud)
            claims.remove(QStringLiteral("aud"));
        body.insert(QStringLiteral("id_token"), m_key.signJwt(claims));
    }
    QHttpServerResponse response = Http::json(body);
    Http::addNoStore(response);
    return response;
}

void AuthorizationServer::revokeGrant(const QString& grantId, const char* why)
{
    if (!m_grants.remove(grantId))
        return;
    // Everything the grant issued dies with it, access tokens included.
    m_refreshTokens.removeIf([&](const auto& entry) { return entry.value().grantId == grantId; });
    m_accessTokens.removeIf([&](const auto& entry) { return entry.value().grantId == grantId; });
    qCInfo(lcAuth) << "grant" << grantId << "revoked:" << why;
}

// --- revocation and introspection --------------------------------------------

QHttpServerResponse AuthorizationServer::revoke(const QHttpServerRequest& request)
{
    if (m_quirks.noRevocation)
        return Http::json(
            { { QStringLiteral("error"), QStringLiteral("not found") } }, QHttpServerResponse::StatusCode::NotFound);
    const FormData form = FormData::parse(request.body());
    if (auto refused = checkClientRequest(request, form, true))
        return std::move(*refused);
    const QString token = form.value(QStringLiteral("token"));
    if (token.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("token is required"));
    const QString hash = Crypto::sha256Hex(token);
    QString grantId;
    if (const auto access = m_accessTokens.constFind(hash); access != m_accessTokens.constEnd())
        grantId = access->grantId;
    else if (const auto refresh = m_refreshTokens.constFind(hash); refresh != m_refreshTokens.constEnd())
        grantId = refresh->grantId;
    if (auto refused = checkRevocationProof(request, m_grants.value(grantId).jkt))
        return std::move(*refused);
    ++m_stats.revocations;
    // RFC 7009 §2.2: unknown or already revoked tokens still get 200. A token
    // of another client is left alone, without telling the caller it exists.
    if (!grantId.isEmpty() && m_grants.value(grantId).clientId == form.value(QStringLiteral("client_id")))
        revokeGrant(grantId, "revocation request");
    QHttpServerResponse response(
        QByteArrayLiteral("application/json"), QByteArray(), QHttpServerResponse::StatusCode::Ok);
    Http::addNoStore(response);
    return response;
}

std::optional<QHttpServerResponse> AuthorizationServer::checkRevocationProof(
    const QHttpServerRequest& request, const QString& boundJkt)
{
    // RFC 9449 defines no proof for revocation, so none is required: ending a grant never needs the key. One
    // that comes is checked like any other (its key against the grant's) and counted. Only a proof that wants
    // a fresh nonce is refused, using nothing up, so that the client's retry revokes; any other bad proof is
    // counted and the token revoked all the same.
    const QByteArray proof = Http::header(request, "dpop");
    if (!offersDpop(m_options.binding) || proof.isEmpty()) {
        ++m_stats.revocationsByBinding[QStringLiteral("bearer")];
        return std::nullopt;
    }
    DpopVerifier::Accepted accepted;
    const auto failure = m_dpop.check(proof, "POST", request.url(), {}, boundJkt, &accepted);
    if (!failure) {
        ++m_stats.revocationsByBinding[QStringLiteral("dpop")];
        return std::nullopt;
    }
    ++m_stats.bindingFailures[failure->reason];
    if (failure->error != QLatin1String("use_dpop_nonce")) {
        qCInfo(lcAuth) << "revocation with a bad DPoP proof (" << failure->reason << "): revoked all the same";
        ++m_stats.revocationsByBinding[QStringLiteral("bearer")];
        return std::nullopt;
    }
    QHttpServerResponse response = Http::oauthError(failure->error, failure->description);
    response.setHeader(QByteArrayLiteral("DPoP-Nonce"), m_dpop.currentNonce().toLatin1());
    Http::addNoStore(response);
    return response;
}

QHttpServerResponse AuthorizationServer::registration(const QHttpServerRequest& request, const QString& path)
{
    using Method = QHttpServerRequest::Method;
    using Status = QHttpServerResponse::StatusCode;
    const auto unauthorised = [](const QString& description) {
        QHttpServerResponse response = Http::json({ { QStringLiteral("error"), QStringLiteral("invalid_token") },
                                                      { QStringLiteral("error_description"), description } },
            Status::Unauthorized);
        response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
            QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\", error=\"invalid_token\""));
        Http::addNoStore(response);
        return response;
    };
    if (!offersPrivateKeyJwt(m_options.binding) && !offersJwtBearer(m_options.binding))
        return Http::json({ { QStringLiteral("error"), QStringLiteral("not found") } }, Status::NotFound);
    const QString base = m_origin + QStringLiteral("/auth/register");

    if (path != QLatin1String("/auth/register")) {
        // RFC 7592: the registration access token, and nothing else, manages the client. An unknown client
        // and a wrong token get the same 401 (section 2).
        const QString clientId = path.mid(QStringLiteral("/auth/register/").size());
        const ClientRegistry::Client* client = m_registry.authorised(clientId, Http::bearerToken(request));
        if (!client)
            return unauthorised(QStringLiteral("unknown client or wrong registration access token"));
        if (request.method() == Method::Get) {
            QHttpServerResponse response = Http::json(ClientRegistry::metadata(*client, base + '/' + clientId));
            Http::addNoStore(response);
            return response;
        }
        if (request.method() != Method::Delete)
            return Http::json(
                { { QStringLiteral("error"), QStringLiteral("use GET or DELETE") } }, Status::MethodNotAllowed);
        // Everything the client was granted ends with it.
        QStringList grants;
        for (auto it = m_grants.cbegin(); it != m_grants.cend(); ++it)
            if (it->clientId == clientId)
                grants << it.key();
        for (const QString& grant : std::as_const(grants))
            revokeGrant(grant, "client registration deleted");
        m_registrationGrants.remove(clientId);
        m_registry.remove(clientId);
        qCInfo(lcAuth) << "client" << clientId << "deleted";
        return QHttpServerResponse(QByteArray(), QByteArray(), Status::NoContent);
    }

    if (request.method() != Method::Post)
        return Http::json({ { QStringLiteral("error"), QStringLiteral("use POST") } }, Status::MethodNotAllowed);
    QJsonParseError parseError {};
    const QJsonDocument body = QJsonDocument::fromJson(request.body(), &parseError);
    if (!body.isObject())
        return Http::json(
            { { QStringLiteral("error"), QStringLiteral("invalid_client_metadata") },
                { QStringLiteral("error_description"), QStringLiteral("the body must be a JSON object") } },
            Status::BadRequest);
    // With an access token that holds the registration scope: a client for that token's patient and user.
    // Without one: an open registration of an asymmetric client, where offered.
    std::optional<ClientRegistry::RegisteringToken> registering;
    if (const QString bearer = Http::bearerToken(request); !bearer.isEmpty()) {
        const std::optional<AccessContext> caller = validateAccessToken(bearer);
        if (!caller)
            return unauthorised(QStringLiteral("the access token is not valid"));
        if (!offersJwtBearer(m_options.binding) || !caller->scopes.has(QLatin1String(kRegistrationScope)))
            return unauthorised(QStringLiteral("the access token does not hold system/dynamicClient.register"));
        QStringList scopes = caller->scopes.scopes();
        for (const char* dropped : { kRegistrationScope, "offline_access", "online_access" })
            scopes.removeAll(QLatin1String(dropped));
        registering = ClientRegistry::RegisteringToken { caller->patient, caller->patient, scopes.join(' ') };
    } else if (!offersPrivateKeyJwt(m_options.binding)) {
        return unauthorised(QStringLiteral("registration needs an access token with system/dynamicClient.register"));
    }
    auto registered = m_registry.registerClient(body.object(), software(), registering);
    if (const auto* failure = std::get_if<ClientRegistry::Failure>(&registered)) {
        ++m_stats.bindingFailures[QStringLiteral("registration_") + failure->reason];
        return Http::json({ { QStringLiteral("error"), failure->error },
                              { QStringLiteral("error_description"), failure->description } },
            Status::BadRequest);
    }
    const auto& [client, registrationToken] = std::get<ClientRegistry::Registered>(registered);
    if (client.kind == ClientRegistry::Kind::JwtBearer) {
        Grant grant;
        grant.id = Crypto::randomToken(12);
        grant.clientId = client.clientId;
        grant.patient = client.patient;
        grant.scopes = ScopeSet::parse(client.scope).value_or(ScopeSet());
        grant.createdMs = nowMs();
        m_grants.insert(grant.id, grant);
        m_registrationGrants.insert(client.clientId, grant.id);
    }
    qCInfo(lcAuth) << "client" << client.clientId << "registered for software" << client.softwareId;
    QJsonObject answer = ClientRegistry::metadata(client, base + '/' + client.clientId);
    answer.insert(QStringLiteral("registration_access_token"), registrationToken);
    QHttpServerResponse response = Http::json(answer, Status::Created);
    Http::addNoStore(response);
    return response;
}

QHttpServerResponse AuthorizationServer::introspect(const QHttpServerRequest& request)
{
    const FormData form = FormData::parse(request.body());
    const QString bearer = Http::bearerToken(request);
    if (auto refused = checkClientRequest(request, form, bearer.isEmpty()))
        return std::move(*refused);
    QString callerClient = form.value(QStringLiteral("client_id"));
    if (!bearer.isEmpty()) {
        // SMART: a resource server or the app may authorise with an access token.
        const std::optional<AccessContext> caller = validateAccessToken(bearer);
        if (!caller) {
            QHttpServerResponse response = Http::json({ { QStringLiteral("error"), QStringLiteral("invalid_token") } },
                QHttpServerResponse::StatusCode::Unauthorized);
            response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
                QByteArrayLiteral("Bearer realm=\"ondevice-sandbox\", error=\"invalid_token\""));
            Http::addNoStore(response);
            return response;
        }
        if (!callerClient.isEmpty() && callerClient != caller->clientId)
            return Http::oauthError(
                QStringLiteral("invalid_client"), QStringLiteral("client_id differs from the bearer token's client"));
        callerClient = caller->clientId;
    }
    const QString token = form.value(QStringLiteral("token"));
    if (token.isEmpty())
        return Http::oauthError(QStringLiteral("invalid_request"), QStringLiteral("token is required"));
    QHttpServerResponse response = Http::json(introspection(token, callerClient));
    Http::addNoStore(response);
    return response;
}

QJsonObject AuthorizationServer::introspection(const QString& token, const QString& callerClientId) const
{
    const QJsonObject inactive { { QStringLiteral("active"), false } };
    const QString hash = Crypto::sha256Hex(token);
    const qint64 now = nowMs();
    QString grantId;
    QString tokenType;
    ScopeSet scopes;
    qint64 issuedMs = 0;
    qint64 expiresMs = 0;
    if (const auto access = m_accessTokens.constFind(hash); access != m_accessTokens.constEnd()) {
        grantId = access->grantId;
        tokenType = access->jkt.isEmpty() ? QStringLiteral("Bearer") : QStringLiteral("DPoP");
        scopes = access->scopes;
        issuedMs = access->issuedMs;
        expiresMs = access->expiresMs;
    } else if (const auto refresh = m_refreshTokens.constFind(hash); refresh != m_refreshTokens.constEnd()) {
        if (refresh->state == RefreshState::RotatedOut)
            return inactive;
        grantId = refresh->grantId;
        tokenType = QStringLiteral("refresh_token");
        scopes = m_grants.value(grantId).scopes;
        issuedMs = refresh->issuedMs;
        expiresMs = refresh->expiresMs;
    } else {
        return inactive;
    }
    const auto grant = m_grants.constFind(grantId);
    // A client learns nothing about another client's tokens.
    if (grant == m_grants.constEnd() || expiresMs <= now || grant->clientId != callerClientId)
        return inactive;
    QJsonObject result {
        { QStringLiteral("active"), true },
        { QStringLiteral("scope"), scopes.toString() },
        { QStringLiteral("client_id"), grant->clientId },
        { QStringLiteral("token_type"), tokenType },
        { QStringLiteral("exp"), expiresMs / 1000 },
        { QStringLiteral("iat"), issuedMs / 1000 },
        { QStringLiteral("iss"), m_fhirBase },
        { QStringLiteral("aud"), m_fhirBase },
        { QStringLiteral("sub"), grant->patient },
        { QStringLiteral("patient"), grant->patient },
    };
    if (scopes.has(QStringLiteral("fhirUser")))
        result.insert(QStringLiteral("fhirUser"), QString(m_fhirBase + QStringLiteral("/Patient/") + grant->patient));
    // RFC 9449 section 6.2: a bound token names its key's thumbprint.
    if (!grant->jkt.isEmpty())
        result.insert(QStringLiteral("cnf"), QJsonObject { { QStringLiteral("jkt"), grant->jkt } });
    return result;
}

std::optional<AccessContext> AuthorizationServer::validateAccessToken(const QString& token) const
{
    if (token.isEmpty())
        return std::nullopt;
    const auto access = m_accessTokens.constFind(Crypto::sha256Hex(token));
    if (access == m_accessTokens.constEnd() || access->expiresMs <= nowMs())
        return std::nullopt;
    const auto grant = m_grants.constFind(access->grantId);
    if (grant == m_grants.constEnd())
        return std::nullopt;
    return AccessContext { grant->id, grant->clientId, grant->patient, access->scopes, access->expiresMs / 1000,
        access->jkt };
}

// --- admin -------------------------------------------------------------------

int AuthorizationServer::dpopNonceRotations() const
{
    return m_dpop.rotations();
}

int AuthorizationServer::revokeAll()
{
    const QStringList ids = m_grants.keys();
    for (const QString& id : ids)
        revokeGrant(id, "revoke-all (admin)");
    return static_cast<int>(ids.size());
}

QJsonArray AuthorizationServer::liveGrants() const
{
    const qint64 now = nowMs();
    QList<const Grant*> grants;
    for (const Grant& grant : m_grants)
        grants.append(&grant);
    std::sort(grants.begin(), grants.end(), [](const Grant* a, const Grant* b) {
        return a->createdMs != b->createdMs ? a->createdMs < b->createdMs : a->id < b->id;
    });
    QJsonArray out;
    for (const Grant* grant : std::as_const(grants)) {
        // A grant lives while its refresh token or one of its access tokens does.
        qint64 expiresMs = 0;
        QJsonValue refreshHash = QJsonValue::Null;
        if (const auto refresh = m_refreshTokens.constFind(grant->currentRefreshHash);
            refresh != m_refreshTokens.constEnd() && refresh->expiresMs > now) {
            expiresMs = refresh->expiresMs;
            refreshHash = grant->currentRefreshHash;
        }
        for (const AccessRecord& access : m_accessTokens) {
            if (access.grantId == grant->id)
                expiresMs = std::max(expiresMs, access.expiresMs);
        }
        if (expiresMs <= now)
            continue;
        QJsonArray scopes;
        for (const QString& scope : grant->scopes.scopes())
            scopes.append(scope);
        out.append(QJsonObject {
            { QStringLiteral("id"), grant->id },
            { QStringLiteral("client_id"), grant->clientId },
            { QStringLiteral("patient"), grant->patient },
            { QStringLiteral("scopes"), scopes },
            { QStringLiteral("created_at"), ResourceStore::formatInstant(grant->createdMs) },
            { QStringLiteral("expires_at"), ResourceStore::formatInstant(expiresMs) },
            { QStringLiteral("ends_at"),
                grant->endsMs > 0 ? QJsonValue(ResourceStore::formatInstant(grant->endsMs))
                                  : QJsonValue(QJsonValue::Null) },
            { QStringLiteral("refresh_token_sha256"), refreshHash },
        });
    }
    return out;
}

int AuthorizationServer::liveGrantCount() const
{
    return static_cast<int>(liveGrants().size());
}

} // namespace ondevice::sandbox
