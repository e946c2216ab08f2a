#pragma once

#include <QMap>
#include <QString>

namespace ondevice::sandbox {

// Counters behind GET {admin_base}/stats.
struct SandboxStats {
    int authorizeRequests = 0;
    int authorizationCodeRequests = 0;
    int refreshTokenRequests = 0;
    int jwtBearerRequests = 0;
    int revocations = 0;
    QMap<QString, int> fhirRequests; // resource type -> requests
    // Token requests by how they were bound: "dpop" (a valid proof) or "bearer" (none). A refused proof counts
    // in bindingFailures under its reason instead ("use_dpop_nonce", "htu", "replay", ...).
    QMap<QString, int> tokenRequestsByBinding;
    QMap<QString, int> bindingFailures;
    // Revocations by whether they carried a valid DPoP proof ("dpop") or not ("bearer"); none needs one.
    QMap<QString, int> revocationsByBinding;
    // GET /brands and GET /brands/logos/...: what a provider directory costs the server, and proof that an app
    // asks only when the patient added the directory.
    int brandBundleRequests = 0;
    int brandLogoRequests = 0;
    // FHIR requests in flight at once, as the fault proxy sees them (so only behind it: --faults, --fault-proxy):
    // how many requests a client keeps going side by side.
    int fhirInFlight = 0;
    int fhirMostInFlight = 0;
};

} // namespace ondevice::sandbox
