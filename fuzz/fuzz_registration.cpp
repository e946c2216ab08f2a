// What a server answers about a client registered for this computer: the registration response (RFC 7591
// section 3.2), and the token endpoint's refusals on both registered routes (private_key_jwt, JWT-bearer).

#include "FuzzInput.h"

#include "auth/ClientRegistration.h"
#include "auth/DeviceKey.h"
#include "auth/TokenResponse.h"

using namespace ondevice;
using namespace ondevice::auth;

namespace {

const DeviceKey& deviceKey()
{
    static const auto key = SoftwareDeviceKey::generate(jose::Curve::P384);
    return *key.value();
}

bool usableUri(const QUrl& url)
{
    return url.isEmpty()
        || (url.isValid() && !url.host().isEmpty()
            && (url.scheme() == QLatin1String("https")
                || (url.scheme() == QLatin1String("http") && isLoopbackHost(url.host()))));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);
    const DeviceKey& key = deviceKey();

    for (const int status : { 201, 200, 400, 401, 500 })
        for (const ClientRoute route : { ClientRoute::PrivateKeyJwt, ClientRoute::JwtBearer }) {
            HttpResult result;
            result.status = status;
            result.body = body;
            const auto registered = parseRegistrationResponse(result, route, key, {});
            if (status >= 400) {
                fuzz::require(!registered, "a refused registration is never a client");
                fuzz::require(!registered.failure().message.isEmpty(), "a refused registration says why");
                continue;
            }
            if (!registered) {
                fuzz::require(registered.failure().detail.size() < 300, "a registration failure detail stays short");
                continue;
            }
            const RegisteredClient& client = registered.value();
            fuzz::require(!client.clientId.isEmpty() && client.clientId.size() <= 512, "a client id, not too long");
            fuzz::require(usableUri(client.registrationClientUri), "the management URI is https or loopback");
        }

    // The token endpoint refusing a registered client: invalid_client means the registration is gone (a
    // reconnect), and every refusal has words for people.
    for (const int status : { 0, 400, 401, 503 }) {
        HttpResult result;
        result.status = status;
        result.body = body;
        if (status == 0)
            result.error = QNetworkReply::ConnectionRefusedError;
        for (const char* what : { "refresh", "JWT-bearer grant" }) {
            const AuthFailure failure = registeredClientFailure(result, QLatin1String(what));
            fuzz::require(!failure.message.isEmpty(), "a refusal has a user message");
            const auto oauth = status ? OAuthErrorBody::parse(body) : std::nullopt;
            fuzz::require((failure.code == AuthError::InvalidGrant)
                    == (oauth
                        && (oauth->error == QLatin1String("invalid_client")
                            || oauth->error == QLatin1String("invalid_grant"))),
                "only invalid_client and invalid_grant end the access");
        }
    }
    return 0;
}
