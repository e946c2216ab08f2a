#pragma once

#include "core/Expected.h"

namespace ondevice::fhir {

enum class FhirError {
    Network, // the server could not be reached (after retries)
    Server, // 5xx or 429 after retries, or an answer that is not FHIR
    Unauthorized, // 401 even with a freshly refreshed token
    NeedsReconnect, // the grant is gone (from the token provider)
    Keychain, // the token provider could not read the keychain
    Forbidden, // 403: outside the granted scopes ("not shared")
    Refused, // 400 or another 4xx: the server will not run this request as asked (a parameter it lacks)
    NotFound,
    TooLarge, // over the response size limit
    Malformed, // too deep, not the resource or Bundle expected
    Unreadable, // a body that is not JSON at all (cut off, an HTML page): retried
    OffOrigin, // a next link or redirect that leaves the FHIR base's origin
    Cancelled,
};

template <typename T> using FhirResult = Expected<T, FhirError>;
using FhirFailure = Failure<FhirError>;

} // namespace ondevice::fhir
