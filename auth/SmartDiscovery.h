#pragma once

#include "SmartConfiguration.h"

#include <QFuture>
#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace ondevice::auth {

// Finds a FHIR server's SMART authorization server: first
// {base}/.well-known/smart-configuration, then the CapabilityStatement's
// oauth-uris extension at {base}/metadata.
class SmartDiscovery : public QObject {
    Q_OBJECT

public:
    explicit SmartDiscovery(QNetworkAccessManager& network, DiscoveryOptions options = {}, QObject* parent = nullptr);

    QFuture<AuthResult<SmartConfiguration>> discover(const QUrl& fhirBase);

private:
    // RFC 9449 section 5.1 puts dpop_signing_alg_values_supported in the authorization server's metadata. A
    // SMART configuration without it may leave it to the issuer's own (OpenID, then RFC 8414): read there for
    // this list only, in the order given, and never a reason to fail discovery.
    void dpopFromIssuer(SmartConfiguration config, QList<QUrl> metadataUrls,
        const std::function<void(AuthResult<SmartConfiguration>)>& answer);

    QNetworkAccessManager& m_network;
    DiscoveryOptions m_options;
};

} // namespace ondevice::auth
