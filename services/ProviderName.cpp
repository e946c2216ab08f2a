#include "ProviderName.h"

#include "auth/Http.h"
#include "core/Continuations.h"
#include "fhir/ServerProbe.h"
#include "fhir/UserAccessBrands.h"

#include <QNetworkAccessManager>

namespace ondevice::services {

namespace {

QFuture<ProviderName> fromCapabilityStatement(QNetworkAccessManager& network, const QUrl& fhirBase)
{
    return fhir::probeServer(network, fhirBase).then([](const fhir::ServerFacts& facts) {
        ProviderName name;
        for (const QString& candidate : { facts.software, facts.implementation, facts.publisher })
            if (name.serverName.isEmpty() && !candidate.trimmed().isEmpty())
                name.serverName = candidate.trimmed();
        return name;
    });
}

} // namespace

QFuture<ProviderName> nameProvider(QNetworkAccessManager& network, const auth::SmartConfiguration& configuration)
{
    const QUrl fhirBase = configuration.fhirBase;
    if (!configuration.brandBundle.isValid() || configuration.brandIdentifierValue.isEmpty())
        return fromCapabilityStatement(network, fhirBase);
    const QUrl bundle = configuration.brandBundle;
    const QString system = configuration.brandIdentifierSystem;
    const QString value = configuration.brandIdentifierValue;
    QNetworkAccessManager* manager = &network;
    // A large publisher's bundle may be several megabytes.
    return auth::get(network, auth::authRequest(bundle, "application/fhir+json, application/json"),
        auth::HttpOptions { 30000, 64LL << 20 })
        .then(compat::continuationContext(),
            [manager, fhirBase, bundle, system, value](const auth::HttpResult& result) {
                if (result.status == 200) {
                    const auto brands = fhir::parseBrandBundle(result.body, bundle);
                    const int own = brands ? fhir::findBrandByIdentifier(brands.value(), system, value) : -1;
                    if (own >= 0)
                        return QtFuture::makeReadyFuture(
                            ProviderName { brands.value()[own].name, brands.value()[own].logo, {} });
                }
                return fromCapabilityStatement(*manager, fhirBase);
            })
        .unwrap();
}

bool ProviderName::applyTo(auth::Connection& c) const
{
    bool changed = false;
    if (c.brand.isEmpty() && !brand.isEmpty()) {
        c.brand = brand;
        c.brandLogo = brandLogo;
        changed = true;
    }
    if (!serverName.isEmpty() && c.serverName != serverName) {
        c.serverName = serverName;
        changed = true;
    }
    return changed;
}

bool applyProviderName(auth::ConnectionRegistry& registry, const QString& connectionId, const ProviderName& name)
{
    bool changed = false;
    const auto saved = registry.update([&](QList<auth::Connection>& list) {
        for (auth::Connection& c : list)
            if (c.id == connectionId)
                changed = name.applyTo(c);
    });
    return saved && changed;
}

} // namespace ondevice::services
