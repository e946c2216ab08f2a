#pragma once

#include "auth/ConnectionRegistry.h"
#include "auth/SmartConfiguration.h"

#include <QFuture>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::services {

// What a provider is called where the patient did not pick it by brand.
struct ProviderName {
    QString brand; // the brand the server names as its own in its User Access Brands bundle
    QUrl brandLogo;
    QString serverName; // else what its CapabilityStatement calls it (software.name, implementation.description,
                        // publisher); empty: the host

    // Into a connection's record (a brand the patient picked stays). False when nothing changed.
    bool applyTo(auth::Connection& connection) const;
};

// Finds it: the bundle the SMART configuration names (user_access_brand_bundle) and the one brand in it with
// user_access_brand_identifier, else the CapabilityStatement. Public documents, fetched without a token; a
// server that offers neither, or answers badly, gets an empty name (the host shows), never an error.
QFuture<ProviderName> nameProvider(QNetworkAccessManager& network, const auth::SmartConfiguration& configuration);

// Writes it into the connection's record in the registry. False when nothing changed or it could not be saved.
bool applyProviderName(auth::ConnectionRegistry& registry, const QString& connectionId, const ProviderName& name);

} // namespace ondevice::services
