// SMART discovery documents from the network: {base}/.well-known/smart-configuration
// and, for SMART 1 servers, the CapabilityStatement's oauth-uris extension.
// Both parsers run on every input, with and without the developer setting that
// allows http, against an https base and a loopback base.

#include "FuzzInput.h"

#include "auth/Http.h"
#include "auth/SmartConfiguration.h"

#include <QUrl>

using namespace ondevice;
using namespace ondevice::auth;

namespace {

bool secureOrLoopback(const QUrl& url)
{
    if (url.isEmpty())
        return true;
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("https") || (scheme == QLatin1String("http") && isLoopbackHost(url.host()));
}

void check(const AuthResult<SmartConfiguration>& result, const DiscoveryOptions& options)
{
    if (!result) {
        fuzz::require(!result.failure().message.isEmpty(), "a discovery failure has a user message");
        return;
    }
    const SmartConfiguration& c = result.value();
    // What validated() promises every caller.
    fuzz::require(c.authorizationEndpoint.isValid() && c.tokenEndpoint.isValid(), "both endpoints present");
    fuzz::require(c.codeChallengeMethods.contains(QStringLiteral("S256")), "S256 offered");
    if (!options.allowInsecureHttp) {
        for (const QUrl& url : { c.fhirBase, c.authorizationEndpoint, c.tokenEndpoint, c.revocationEndpoint,
                 c.introspectionEndpoint, c.jwksUri })
            fuzz::require(secureOrLoopback(url), "no plain http to a host that is not loopback");
    }
    (void)c.defaultScope();
    (void)c.offersOfflineAccess();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json = fuzz::bytes(data, size);
    static const QUrl bases[] = {
        QUrl(QStringLiteral("https://ehr.example/fhir/r4/")),
        QUrl(QStringLiteral("http://127.0.0.1:8080/fhir")),
    };
    for (const QUrl& base : bases) {
        const QUrl wellKnown = base.resolved(QUrl(QStringLiteral(".well-known/smart-configuration")));
        const QUrl metadata = base.resolved(QUrl(QStringLiteral("metadata")));
        for (const bool insecure : { false, true }) {
            const DiscoveryOptions options { insecure };
            check(SmartConfiguration::fromWellKnown(json, base, wellKnown, options), options);
            check(SmartConfiguration::fromCapabilityStatement(json, base, metadata, options), options);
        }
    }
    return 0;
}
