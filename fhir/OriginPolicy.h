#pragma once

#include <QUrl>

#include <optional>

namespace ondevice::fhir {

// Where a bearer token may go. A FHIR server decides the URLs in Bundle `next`
// links; a hostile or misconfigured one could point them at another host and
// collect the patient's access token. We only follow links on the origin
// (scheme, host, port) of the FHIR base the user connected to.
class OriginPolicy {
public:
    explicit OriginPolicy(QUrl fhirBase);

    QUrl fhirBase() const { return m_base; }

    // Same scheme, same host (case-insensitive), same effective port.
    bool allows(const QUrl& url) const;

    // A Bundle `next` link, resolved against the base when relative; nothing
    // when it leaves the base's origin or is not http(s).
    std::optional<QUrl> resolveNextLink(const QString& link) const;

private:
    QUrl m_base;
};

} // namespace ondevice::fhir
