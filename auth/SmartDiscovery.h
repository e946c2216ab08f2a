#pragma once

#include "SmartConfiguration.h"

#include <QFuture>
#include <QObject>

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
    QNetworkAccessManager& m_network;
    DiscoveryOptions m_options;
};

} // namespace ondevice::auth
