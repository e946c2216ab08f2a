#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace ondevice::sandbox {

// Behaviours of real servers that a client must survive (DESIGN.md, "Things
// known about real servers"), each switched on by name with --quirks or
// PUT {admin_base}/quirks.
struct Quirks {
    bool plain401 = false; // SMART launcher: 401 as text/plain, no WWW-Authenticate
    bool noRefreshGrantType = false; // refresh_token missing from grant_types_supported (refresh still works)
    bool noRevocation = false; // no revocation_endpoint; the endpoint 404s
    bool noOfflineScope = false; // Epic: the granted scope omits offline_access, a refresh token is still issued
    bool noRefreshToken = false; // no refresh token at all
    bool launchBase = false; // SMART launcher: FHIR base /v/r4/sim/<base64url json>/fhir

    // A comma-separated list of names ("" or "none": no quirk); nullopt and why for an unknown name.
    static std::optional<Quirks> parse(const QString& list, QString* error = nullptr);
    static const QStringList& names();
    QString toString() const; // the canonical list, in names() order
};

} // namespace ondevice::sandbox
