#include "TokenClient.h"

#include "ClientRegistration.h"
#include "DeviceKey.h"
#include "Dpop.h"
#include "Http.h"
#include "Logging.h"
#include "core/Continuations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace ondevice::auth {

TokenClient::TokenClient(QNetworkAccessManager& network, QObject* parent)
    : QObject(parent)
    , m_network(network)
{
}

QFuture<HttpResult> TokenClient::post(const QUrl& endpoint, const QList<std::pair<QString, QString>>& fields,
    const RequestSigners& signers, const QString& clientId, const QString& assertionSubject, bool retried)
{
    const auto notSent = [](const QString& why) {
        HttpResult failed;
        failed.notSent = why;
        return QtFuture::makeReadyFuture(failed);
    };
    QList<std::pair<QString, QString>> form = fields;
    if (signers.client.key) {
        // A fresh assertion for every try: a server spends its jti even when it then asks for a DPoP nonce.
        auto assertion = makeClientAssertion(*signers.client.key, clientId, signers.client.tokenEndpoint,
            QDateTime::currentDateTimeUtc(), assertionSubject);
        if (!assertion)
            return notSent(assertion.failure().detail);
        if (assertionSubject.isEmpty())
            form << std::pair { QStringLiteral("client_assertion_type"), QString::fromLatin1(kClientAssertionType) }
                 << std::pair { QStringLiteral("client_assertion"), QString::fromLatin1(assertion.value()) };
        else
            form << std::pair { QStringLiteral("assertion"), QString::fromLatin1(assertion.value()) };
    }
    QNetworkRequest request = authRequest(endpoint, "application/json");
    const DpopSigner dpop = signers.dpop;
    if (dpop.key) {
        auto proof
            = makeDpopProof(*dpop.key, { QByteArrayLiteral("POST"), endpoint, {}, dpop.nonces->nonceFor(endpoint) },
                QDateTime::currentDateTimeUtc());
        if (!proof)
            return notSent(QStringLiteral("DPoP proof: ") + proof.failure().detail);
        request.setRawHeader("DPoP", proof.value());
    }
    // Continued on this object's thread, and only while it lives: it is the Session's, as are the nonces.
    const QPointer<TokenClient> self(this);
    return postForm(m_network, request, formEncode(form))
        .then(compat::continuationContext(),
            [self, endpoint, fields, signers, clientId, assertionSubject, retried](
                const HttpResult& result) -> QFuture<HttpResult> {
                if (!self || !signers.dpop.key)
                    return QtFuture::makeReadyFuture(result);
                // The newest nonce of any answer is kept; a refusal that asked for it is answered once.
                const bool newNonce = signers.dpop.nonces->remember(endpoint, result.dpopNonce);
                if (!retried && newNonce && asksForDpopNonce(result))
                    return self->post(endpoint, fields, signers, clientId, assertionSubject, true);
                return QtFuture::makeReadyFuture(result);
            })
        .unwrap();
}

QFuture<AuthResult<TokenResponse>> TokenClient::refresh(const QUrl& tokenEndpoint, const QString& clientId,
    const QByteArray& refreshToken, const QString& scope, const RequestSigners& signers)
{
    QList<std::pair<QString, QString>> form {
        { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken) },
        { QStringLiteral("client_id"), clientId },
    };
    if (!scope.isEmpty())
        form.append({ QStringLiteral("scope"), scope });
    qCInfo(lcAuth) << "refresh at" << tokenEndpoint.host() << "token length" << refreshToken.size();
    const bool registered = signers.client.key != nullptr;
    return post(tokenEndpoint, form, signers, clientId)
        .then([registered](const HttpResult& result) -> AuthResult<TokenResponse> {
            if (result.status != 200)
                return registered ? registeredClientFailure(result, QStringLiteral("refresh"))
                                  : tokenEndpointFailure(result, QStringLiteral("refresh"));
            return TokenResponse::parse(result.body);
        });
}

QFuture<AuthResult<TokenResponse>> TokenClient::jwtBearer(
    const QUrl& tokenEndpoint, const QString& clientId, const QString& subject, const DeviceKey& key, DpopSigner dpop)
{
    const QList<std::pair<QString, QString>> form {
        { QStringLiteral("grant_type"), QString::fromLatin1(kJwtBearerGrant) },
        { QStringLiteral("client_id"), clientId },
    };
    qCInfo(lcAuth) << "JWT-bearer grant at" << tokenEndpoint.host();
    return post(tokenEndpoint, form, RequestSigners { dpop, ClientSigner { &key, tokenEndpoint } }, clientId, subject)
        .then([](const HttpResult& result) -> AuthResult<TokenResponse> {
            if (result.status != 200)
                return registeredClientFailure(result, QStringLiteral("JWT-bearer grant"));
            return TokenResponse::parse(result.body);
        });
}

QFuture<AuthResult<Done>> TokenClient::revoke(const QUrl& revocationEndpoint, const QString& clientId,
    const QByteArray& token, const RequestSigners& signers, const QString& tokenTypeHint)
{
    const QList<std::pair<QString, QString>> form {
        { QStringLiteral("token"), QString::fromUtf8(token) },
        { QStringLiteral("token_type_hint"), tokenTypeHint },
        { QStringLiteral("client_id"), clientId },
    };
    return post(revocationEndpoint, form, signers, clientId).then([](const HttpResult& result) -> AuthResult<Done> {
        // RFC 7009 §2.2: 200 also for a token that was already invalid.
        if (result.status == 200)
            return Done {};
        return tokenEndpointFailure(result, QStringLiteral("revocation"));
    });
}

QFuture<AuthResult<Introspection>> TokenClient::introspect(const QUrl& introspectionEndpoint, const QString& clientId,
    const QByteArray& token, const QByteArray& accessToken, const ClientSigner& client)
{
    QNetworkRequest request = authRequest(introspectionEndpoint, "application/json");
    if (!accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + accessToken);
    QList<std::pair<QString, QString>> form {
        { QStringLiteral("token"), QString::fromUtf8(token) },
        { QStringLiteral("client_id"), clientId },
    };
    if (client.key) {
        auto assertion
            = makeClientAssertion(*client.key, clientId, client.tokenEndpoint, QDateTime::currentDateTimeUtc());
        if (!assertion)
            return QtFuture::makeReadyFuture(AuthResult<Introspection>(assertion.failure()));
        form << std::pair { QStringLiteral("client_assertion_type"), QString::fromLatin1(kClientAssertionType) }
             << std::pair { QStringLiteral("client_assertion"), QString::fromLatin1(assertion.value()) };
    }
    return postForm(m_network, request, formEncode(form))
        .then([](const HttpResult& result) -> AuthResult<Introspection> {
            if (result.status != 200)
                return tokenEndpointFailure(result, QStringLiteral("introspection"));
            const QJsonObject o = QJsonDocument::fromJson(result.body).object();
            if (!o.value(QLatin1String("active")).isBool())
                return AuthFailure { AuthError::InvalidResponse, QObject::tr("The provider sent an unreadable answer."),
                    QStringLiteral("introspection: no boolean active") };
            Introspection answer;
            answer.active = o.value(QLatin1String("active")).toBool();
            if (o.value(QLatin1String("exp")).isDouble())
                answer.expiresAt = QDateTime::fromSecsSinceEpoch(
                    static_cast<qint64>(o.value(QLatin1String("exp")).toDouble()), Qt::UTC);
            answer.scope = o.value(QLatin1String("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
            answer.patient = o.value(QLatin1String("patient")).toString();
            answer.clientId = o.value(QLatin1String("client_id")).toString();
            return answer;
        });
}

} // namespace ondevice::auth
