#pragma once

#include "AuthError.h"

#include <QStringList>
#include <QUrl>

namespace ondevice::auth {

struct DiscoveryOptions {
    // Developer setting: allow http:// for hosts that are not loopback.
    bool allowInsecureHttp = false;
};

// What a FHIR server says about its SMART authorization server, checked.
struct SmartConfiguration {
    QUrl fhirBase; // without a trailing slash
    QString issuer; // may be empty when the server offers no OpenID Connect
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl revocationEndpoint; // optional
    QUrl introspectionEndpoint; // optional
    QUrl managementEndpoint; // optional: where the patient manages grants
    QUrl jwksUri; // optional; required to verify an id_token
    QUrl registrationEndpoint; // optional: RFC 7591 dynamic client registration
    QStringList tokenEndpointAuthMethods; // token_endpoint_auth_methods_supported
    QStringList tokenEndpointAuthSigningAlgorithms; // token_endpoint_auth_signing_alg_values_supported
    // SMART User Access Brands: the bundle that holds this server's brand, and which brand in it is its own.
    QUrl brandBundle;
    QString brandIdentifierSystem;
    QString brandIdentifierValue;
    QStringList capabilities;
    QStringList codeChallengeMethods;
    QStringList grantTypes;
    QStringList scopesSupported;
    bool viaCapabilityStatement = false; // the older oauth-uris extension was used
    // RFC 9207: the server promises `iss` in every authorization response, so one without it is refused.
    bool authorizationResponseIss = false;
    // RFC 9449 section 5.1: the algorithms the server accepts DPoP proofs in; empty when it offers no DPoP.
    QStringList dpopAlgorithms;
    // Where dpopAlgorithms came from when the SMART configuration left them out: the issuer's OpenID or
    // RFC 8414 metadata (issuerMetadataUrls()). Empty when they came with the SMART configuration, or not at all.
    QUrl dpopAlgorithmsSource;
    // DPoP is used when the server lists an algorithm this app signs with (ES384 or ES256); a list of others
    // only (RS256, PS256) leaves the connection unbound rather than failing it.
    bool offersDpop() const
    {
        return dpopAlgorithms.contains(QLatin1String("ES384")) || dpopAlgorithms.contains(QLatin1String("ES256"));
    }

    // A client registered for this computer that authenticates with private_key_jwt (RFC 7591 + RFC 7523,
    // SMART client-confidential-asymmetric), signing ES384: the only algorithm this app's P-384 key signs.
    bool offersAsymmetricRegistration() const
    {
        return registrationEndpoint.isValid() && tokenEndpointAuthMethods.contains(QLatin1String("private_key_jwt"))
            && tokenEndpointAuthSigningAlgorithms.contains(QLatin1String("ES384"))
            && has(QStringLiteral("client-confidential-asymmetric"));
    }
    // Registration with the first access token (scope system/dynamicClient.register), then the JWT-bearer grant.
    bool offersJwtBearerRegistration() const
    {
        return registrationEndpoint.isValid()
            && grantTypes.contains(QLatin1String("urn:ietf:params:oauth:grant-type:jwt-bearer"))
            && scopesSupported.contains(QLatin1String("system/dynamicClient.register"));
    }

    bool has(const QString& capability) const { return capabilities.contains(capability); }
    bool offersOfflineAccess() const;
    // v2 scopes (patient/*.rs) unless the server lists only permission-v1.
    bool usesV1Scopes() const;
    QString defaultScope() const;
    // Behaviours of real servers this configuration shows, by the sandbox's quirk names (docs/interop.md):
    // launch-base, no-revocation, no-refresh-grant-type, dpop-in-issuer-metadata.
    QStringList knownBehaviours() const;

    // Where the issuer publishes its authorization-server metadata, in the order they are tried: OpenID
    // Connect Discovery's {issuer}/.well-known/openid-configuration, then RFC 8414's
    // {origin}/.well-known/oauth-authorization-server{issuer path}. Empty for an issuer that is not an https
    // URL (or loopback http, or any http when `options` allow it).
    static QList<QUrl> issuerMetadataUrls(const QString& issuer, const DiscoveryOptions& options);
    // dpop_signing_alg_values_supported of such a document. Empty when it is not a JSON object, lacks the
    // list, or names another issuer (RFC 8414 section 3.3: such metadata must not be used).
    static QStringList dpopAlgorithmsFromIssuerMetadata(const QByteArray& json, const QString& issuer);

    // {base}/.well-known/smart-configuration, fetched from documentUrl.
    static AuthResult<SmartConfiguration> fromWellKnown(
        const QByteArray& json, const QUrl& fhirBase, const QUrl& documentUrl, const DiscoveryOptions& options);
    // The CapabilityStatement's oauth-uris extension (SMART 1 servers).
    static AuthResult<SmartConfiguration> fromCapabilityStatement(
        const QByteArray& json, const QUrl& fhirBase, const QUrl& documentUrl, const DiscoveryOptions& options);

    static QUrl normalisedBase(const QUrl& base);

private:
    AuthResult<SmartConfiguration> validated(const DiscoveryOptions& options) &&;
};

} // namespace ondevice::auth
