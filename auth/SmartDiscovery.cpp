#include "SmartDiscovery.h"
#include "core/Continuations.h"

#include "Http.h"
#include "Logging.h"
#include "TokenResponse.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QPromise>

#include <memory>

namespace ondevice::auth {

namespace {

QUrl below(const QUrl& base, const QString& path)
{
    QUrl url = base;
    url.setPath(base.path() + path);
    return url;
}

} // namespace

SmartDiscovery::SmartDiscovery(QNetworkAccessManager& network, DiscoveryOptions options, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_options(options)
{
}

QFuture<AuthResult<SmartConfiguration>> SmartDiscovery::discover(const QUrl& fhirBaseIn)
{
    const QUrl fhirBase = SmartConfiguration::normalisedBase(fhirBaseIn);
    auto promise = std::make_shared<QPromise<AuthResult<SmartConfiguration>>>();
    promise->start();
    const auto answer = [promise](AuthResult<SmartConfiguration> result) {
        promise->addResult(std::move(result));
        promise->finish();
    };
    if (!fhirBase.isValid() || fhirBase.isRelative() || fhirBase.host().isEmpty()) {
        answer(AuthFailure { AuthError::Discovery, tr("That is not a web address of a FHIR server."),
            QStringLiteral("invalid FHIR base") });
        return promise->future();
    }

    const QUrl wellKnown = below(fhirBase, QStringLiteral("/.well-known/smart-configuration"));
    const QUrl metadata = below(fhirBase, QStringLiteral("/metadata"));
    const DiscoveryOptions options = m_options;
    QNetworkAccessManager* network = &m_network;

    get(m_network, authRequest(wellKnown, "application/json"))
        .then(compat::continuationContext(), compat::ifAlive(this, [=, this](const HttpResult& result) {
            if (!result.reachedServer()) {
                answer(tokenEndpointFailure(result, QStringLiteral("discovery")));
                return;
            }
            // A readable document decides, good or bad; only a missing or
            // unreadable one falls back to the CapabilityStatement.
            if (result.status == 200 && QJsonDocument::fromJson(result.body).isObject()) {
                auto config = SmartConfiguration::fromWellKnown(result.body, fhirBase, wellKnown, options);
                if (!config || !config.value().dpopAlgorithms.isEmpty()) {
                    answer(std::move(config));
                    return;
                }
                auto urls = SmartConfiguration::issuerMetadataUrls(config.value().issuer, options);
                dpopFromIssuer(std::move(config).value(), std::move(urls), answer);
                return;
            }
            qCInfo(lcAuth) << "no usable smart-configuration (HTTP" << result.status
                           << "); trying the CapabilityStatement";
            get(*network, authRequest(metadata, "application/fhir+json"))
                .then(compat::continuationContext(), compat::ifAlive(this, [=](const HttpResult& meta) {
                    if (!meta.reachedServer()) {
                        answer(tokenEndpointFailure(meta, QStringLiteral("discovery")));
                        return;
                    }
                    if (meta.status != 200) {
                        answer(AuthFailure { AuthError::Discovery,
                            tr("This server does not publish a SMART configuration, so OnDevice Health cannot "
                               "connect to it."),
                            QStringLiteral("metadata answered HTTP %1").arg(meta.status) });
                        return;
                    }
                    answer(SmartConfiguration::fromCapabilityStatement(meta.body, fhirBase, metadata, options));
                }));
        }));
    return promise->future();
}

void SmartDiscovery::dpopFromIssuer(SmartConfiguration config, QList<QUrl> metadataUrls,
    const std::function<void(AuthResult<SmartConfiguration>)>& answer)
{
    if (metadataUrls.isEmpty()) {
        answer(std::move(config));
        return;
    }
    const QUrl url = metadataUrls.takeFirst();
    get(m_network, authRequest(url, "application/json"))
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, config, metadataUrls, answer, url](const HttpResult& result) mutable {
                // Liberal: an issuer without such metadata, or with an unreadable one, only leaves DPoP off.
                const QStringList algorithms = result.status == 200
                    ? SmartConfiguration::dpopAlgorithmsFromIssuerMetadata(result.body, config.issuer)
                    : QStringList();
                if (algorithms.isEmpty()) {
                    dpopFromIssuer(std::move(config), std::move(metadataUrls), answer);
                    return;
                }
                qCInfo(lcAuth) << "DPoP algorithms read from the issuer's metadata at" << url.toDisplayString();
                config.dpopAlgorithms = algorithms;
                config.dpopAlgorithmsSource = url;
                answer(std::move(config));
            }));
}

} // namespace ondevice::auth
