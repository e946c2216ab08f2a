#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ondevice::sandbox {

// Behaviours of real servers that a client must survive (DESIGN.md, "Things
// known about real servers"), each switched on by name with --quirks or
// PUT {admin_base}/quirks. docs/sandbox.md says which server shows each one.
struct Quirks {
    bool plain401 = false; // SMART launcher: 401 as text/plain, no WWW-Authenticate
    bool noRefreshGrantType = false; // refresh_token missing from grant_types_supported (refresh still works)
    bool noRevocation = false; // no revocation_endpoint; the endpoint 404s
    bool noOfflineScope = false; // Epic: the granted scope omits offline_access, a refresh token is still issued
    bool noRefreshToken = false; // no refresh token at all
    bool launchBase = false; // SMART launcher: FHIR base /v/r4/sim/<base64url json>/fhir
    bool refreshIdTokenNoAud = false; // SMART launcher: a refresh response's id_token has no aud
    bool stringExpiresIn = false; // expires_in as a JSON string ("3600")
    bool patientInIdTokenOnly = false; // no `patient` in the token response; only the id_token's fhirUser says who
    bool everythingExtraTypes
        = false; // SMART launcher: $everything also brings Claim, ExplanationOfBenefit, Organization, Practitioner
    bool noEverything = false; // Epic: no Patient/$everything for patient apps (not offered, 404)
    bool observationNeedsCategory = false; // Epic: Observation and DocumentReference searches need `category` (400)
    bool noLastUpdated = false; // Epic: `_lastUpdated` (and $everything's `_since`) refused with 400
    bool ignoresLastUpdated = false; // `_lastUpdated` and `_since` silently ignored: everything comes back
    bool outcomeEntries
        = false; // Epic: a searchset's first page carries an OperationOutcome entry (search.mode outcome)
    bool noDateHeader = false; // no Date response header
    bool skewedDateHeader = false; // the Date header is 3 hours ahead of the server's real clock
    bool narrowScopes = false; // Epic: no wildcards: patient/*.rs (or .read) is granted as a list of per-type scopes
    bool tinyPages = false; // _count ignored: pages of 10, and no Bundle.total
    bool pageLimit100 = false; // a _count above 100 refused with 400 (rather than capped)
    bool medicationReadOnly = false; // Medication read by id only: Medication?_id=a,b,c refused with 400
    bool ignoresNotModifier = false; // `category:not=` taken for an unknown parameter: ignored, everything matches
    bool notNeedsAValue = false; // `category:not=` leaves out records without a category (FHIR keeps them)
    // dpop_signing_alg_values_supported only in the issuer's RFC 8414 metadata, not in the SMART configuration
    // (nor the OpenID configuration): RFC 9449 section 5.1 names authorization-server metadata as its home
    bool dpopInIssuerMetadata = false;

    // A comma-separated list of quirk or preset names ("" or "none": no quirk); nullopt and why for an
    // unknown name. A preset switches on its quirks; quirks and presets combine.
    static std::optional<Quirks> parse(const QString& list, QString* error = nullptr);
    static const QStringList& names();
    struct Preset {
        QString name;
        QStringList quirks;
    };
    static const QList<Preset>& presets();
    QString toString() const; // the canonical list of quirks (never preset names), in names() order
};

} // namespace ondevice::sandbox
