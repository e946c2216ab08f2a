#include "SmartConfiguration.h"

#include "Http.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace ondevice::auth {

namespace {

constexpr char kOauthUrisExtension[] = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::auth::SmartConfiguration)
};

AuthFailure unusable(const QString& message, const QString& detail)
{
    return { AuthError::Discovery, message, detail };
}

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const auto& entry : value.toArray())
        if (entry.isString())
            out << entry.toString();
    return out;
}

// Relative endpoint URLs are resolved against the document that named them.
QUrl endpoint(const QJsonValue& value, const QUrl& documentUrl)
{
    if (!value.isString() || value.toString().isEmpty())
        return {};
    const QUrl url(value.toString(), QUrl::StrictMode);
    if (!url.isValid())
        return {};
    return url.isRelative() ? documentUrl.resolved(url) : url;
}

} // namespace

QUrl SmartConfiguration::normalisedBase(const QUrl& base)
{
    return base.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveFragment);
}

bool SmartConfiguration::offersOfflineAccess() const
{
    return has(QStringLiteral("permission-offline")) || scopesSupported.contains(QStringLiteral("offline_access"));
}

bool SmartConfiguration::usesV1Scopes() const
{
    return has(QStringLiteral("permission-v1")) && !has(QStringLiteral("permission-v2"));
}

QString SmartConfiguration::defaultScope() const
{
    return usesV1Scopes() ? QStringLiteral("openid fhirUser launch/patient offline_access patient/*.read")
                          : QStringLiteral("openid fhirUser launch/patient offline_access patient/*.rs");
}

QStringList SmartConfiguration::knownBehaviours() const
{
    QStringList seen;
    // The SMART launcher's FHIR base carries its launch options: /v/<version>/sim/<base64url JSON>/fhir.
    static const QRegularExpression launcherBase(QStringLiteral("/v/r[0-9]+/sim/[A-Za-z0-9_=-]+/fhir$"));
    if (launcherBase.match(fhirBase.path()).hasMatch())
        seen << QStringLiteral("launch-base");
    if (!revocationEndpoint.isValid())
        seen << QStringLiteral("no-revocation");
    if (!grantTypes.isEmpty() && !grantTypes.contains(QStringLiteral("refresh_token")))
        seen << QStringLiteral("no-refresh-grant-type");
    if (dpopAlgorithmsSource.isValid())
        seen << QStringLiteral("dpop-in-issuer-metadata");
    return seen;
}

QList<QUrl> SmartConfiguration::issuerMetadataUrls(const QString& issuer, const DiscoveryOptions& options)
{
    const QUrl url(issuer, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool secure = scheme == QLatin1String("https")
        || (scheme == QLatin1String("http") && (isLoopbackHost(url.host()) || options.allowInsecureHttp));
    // An issuer has no query or fragment (RFC 8414 section 2).
    if (!url.isValid() || url.host().isEmpty() || !secure || url.hasQuery() || url.hasFragment())
        return {};
    const QString path = url.adjusted(QUrl::StripTrailingSlash).path();
    QUrl openid = url;
    openid.setPath(path + QStringLiteral("/.well-known/openid-configuration"));
    QUrl oauth = url;
    oauth.setPath(QStringLiteral("/.well-known/oauth-authorization-server") + path);
    return { openid, oauth };
}

QStringList SmartConfiguration::dpopAlgorithmsFromIssuerMetadata(const QByteArray& json, const QString& issuer)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.value(QLatin1String("issuer")).toString() != issuer)
        return {};
    return stringList(o.value(QLatin1String("dpop_signing_alg_values_supported")));
}

AuthResult<SmartConfiguration> SmartConfiguration::fromWellKnown(
    const QByteArray& json, const QUrl& fhirBase, const QUrl& documentUrl, const DiscoveryOptions& options)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject())
        return unusable(Text::tr("The server's SMART configuration could not be read."),
            QStringLiteral("smart-configuration is not a JSON object: %1").arg(error.errorString()));
    const QJsonObject o = document.object();
    SmartConfiguration c;
    c.fhirBase = normalisedBase(fhirBase);
    c.issuer = o.value(QLatin1String("issuer")).toString();
    c.authorizationEndpoint = endpoint(o.value(QLatin1String("authorization_endpoint")), documentUrl);
    c.tokenEndpoint = endpoint(o.value(QLatin1String("token_endpoint")), documentUrl);
    c.revocationEndpoint = endpoint(o.value(QLatin1String("revocation_endpoint")), documentUrl);
    c.introspectionEndpoint = endpoint(o.value(QLatin1String("introspection_endpoint")), documentUrl);
    c.managementEndpoint = endpoint(o.value(QLatin1String("management_endpoint")), documentUrl);
    c.jwksUri = endpoint(o.value(QLatin1String("jwks_uri")), documentUrl);
    c.registrationEndpoint = endpoint(o.value(QLatin1String("registration_endpoint")), documentUrl);
    c.brandBundle = endpoint(o.value(QLatin1String("user_access_brand_bundle")), documentUrl);
    const QJsonObject brand = o.value(QLatin1String("user_access_brand_identifier")).toObject();
    c.brandIdentifierSystem = brand.value(QLatin1String("system")).toString();
    c.brandIdentifierValue = brand.value(QLatin1String("value")).toString();
    c.tokenEndpointAuthMethods = stringList(o.value(QLatin1String("token_endpoint_auth_methods_supported")));
    c.tokenEndpointAuthSigningAlgorithms
        = stringList(o.value(QLatin1String("token_endpoint_auth_signing_alg_values_supported")));
    c.capabilities = stringList(o.value(QLatin1String("capabilities")));
    c.codeChallengeMethods = stringList(o.value(QLatin1String("code_challenge_methods_supported")));
    c.grantTypes = stringList(o.value(QLatin1String("grant_types_supported")));
    c.scopesSupported = stringList(o.value(QLatin1String("scopes_supported")));
    c.authorizationResponseIss = o.value(QLatin1String("authorization_response_iss_parameter_supported")).toBool();
    c.dpopAlgorithms = stringList(o.value(QLatin1String("dpop_signing_alg_values_supported")));
    return std::move(c).validated(options);
}

AuthResult<SmartConfiguration> SmartConfiguration::fromCapabilityStatement(
    const QByteArray& json, const QUrl& fhirBase, const QUrl& documentUrl, const DiscoveryOptions& options)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.value(QLatin1String("resourceType")).toString() != QLatin1String("CapabilityStatement"))
        return unusable(Text::tr("This address does not look like a FHIR server."),
            QStringLiteral("neither smart-configuration nor a CapabilityStatement was found"));
    SmartConfiguration c;
    c.fhirBase = normalisedBase(fhirBase);
    c.viaCapabilityStatement = true;
    for (const auto& rest : o.value(QLatin1String("rest")).toArray()) {
        const QJsonObject security = rest.toObject().value(QLatin1String("security")).toObject();
        for (const auto& ext : security.value(QLatin1String("extension")).toArray()) {
            const QJsonObject extension = ext.toObject();
            if (extension.value(QLatin1String("url")).toString() != QLatin1String(kOauthUrisExtension))
                continue;
            for (const auto& inner : extension.value(QLatin1String("extension")).toArray()) {
                const QJsonObject item = inner.toObject();
                const QString name = item.value(QLatin1String("url")).toString();
                const QUrl url = endpoint(item.value(QLatin1String("valueUri")), documentUrl);
                if (name == QLatin1String("authorize"))
                    c.authorizationEndpoint = url;
                else if (name == QLatin1String("token"))
                    c.tokenEndpoint = url;
                else if (name == QLatin1String("revoke"))
                    c.revocationEndpoint = url;
                else if (name == QLatin1String("introspect"))
                    c.introspectionEndpoint = url;
                else if (name == QLatin1String("manage"))
                    c.managementEndpoint = url;
            }
        }
    }
    return std::move(c).validated(options);
}

AuthResult<SmartConfiguration> SmartConfiguration::validated(const DiscoveryOptions& options) &&
{
    if (!authorizationEndpoint.isValid() || !tokenEndpoint.isValid())
        return unusable(Text::tr("This server does not say where to sign in, so OnDevice Health cannot connect to it."),
            QStringLiteral("authorization_endpoint or token_endpoint missing"));
    // A public client has nothing but PKCE to bind the code to itself.
    if (!codeChallengeMethods.contains(QStringLiteral("S256")))
        return unusable(
            Text::tr("This server does not offer PKCE (S256), which OnDevice Health needs to connect safely."),
            viaCapabilityStatement
                ? QStringLiteral("only the CapabilityStatement oauth-uris extension was found; it cannot list "
                                 "code_challenge_methods_supported")
                : QStringLiteral("code_challenge_methods_supported lacks S256"));
    const QList<std::pair<const char*, QUrl>> urls = {
        { "fhir base", fhirBase },
        { "authorization_endpoint", authorizationEndpoint },
        { "token_endpoint", tokenEndpoint },
        { "revocation_endpoint", revocationEndpoint },
        { "introspection_endpoint", introspectionEndpoint },
        { "jwks_uri", jwksUri },
    };
    const auto secure = [&options](const QUrl& url) {
        const QString scheme = url.scheme().toLower();
        return scheme == QLatin1String("https")
            || (scheme == QLatin1String("http") && (isLoopbackHost(url.host()) || options.allowInsecureHttp));
    };
    // Registration is optional: one offered over plain http is not used, and costs nothing else.
    if (registrationEndpoint.isValid() && !secure(registrationEndpoint))
        registrationEndpoint = QUrl();
    for (const auto& [name, url] : urls) {
        if (url.isEmpty() || secure(url))
            continue;
        return unusable(
            Text::tr("This server does not use a secure (https) connection, so OnDevice Health will not send "
                     "your sign-in to it."),
            QStringLiteral("%1 is not https and not loopback").arg(QLatin1String(name)));
    }
    return std::move(*this);
}

} // namespace ondevice::auth
