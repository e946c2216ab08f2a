#pragma once

#include <QMap>
#include <QString>

namespace ondevice::sandbox {

// Counters behind GET {admin_base}/stats.
struct SandboxStats {
    int authorizeRequests = 0;
    int authorizationCodeRequests = 0;
    int refreshTokenRequests = 0;
    int revocations = 0;
    QMap<QString, int> fhirRequests; // resource type -> requests
};

} // namespace ondevice::sandbox
