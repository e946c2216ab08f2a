#include "TokenClient.h"

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

QFuture<HttpResult> TokenClient::post(const QUrl& endpoint, const QByteArray& form, DpopSigner dpop, bool retried)
{
    QNetworkRequest request = authRequest(endpoint, "application/json");
    if (dpop.key) {
        auto proof
            = makeDpopProof(*dpop.key, { QByteArrayLiteral("POST"), endpoint, {}, dpop.nonces->nonceFor(endpoint) },
                QDateTime::currentDateTimeUtc());
        if (!proof) {
            HttpResult failed;
            failed.notSent = QStringLiteral("DPoP proof: ") + proof.failure().detail;
            return QtFuture::makeReadyFuture(failed);
        }
        request.setRawHeader("DPoP", proof.value());
    }
    // Continued on this object's thread, and only while it lives: it is the Session's, as are the nonces.
    const QPointer<TokenClient> self(this);
    return postForm(m_network, request, form)
        .then(compat::continuationContext(),
            [self, endpoint, form, dpop, retried](const HttpResult& result) -> QFuture<HttpResult> {
                if (!self || !dpop.key)
                    return QtFuture::makeReadyFuture(result);
                // The newest nonce of any answer is kept; a refusal that asked for it is answered once.
                const bool newNonce = dpop.nonces->remember(endpoint, result.dpopNonce);
                if (!retried && newNonce && asksForDpopNonce(result))
                    return self->post(endpoint, form, dpop, true);
                return QtFuture::makeReadyFuture(result);
            })
        .unwrap();
}

QFuture<AuthResult<TokenResponse>> TokenClient::refresh(const QUrl& tokenEndpoint, const QString& clientId,
    const QByteArray& refreshToken, const QString& scope, DpopSigner dpop)
{
    QList<std::pair<QString, QString>> form {
        { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken) },
        { QStringLiteral("client_id"), clientId },
    };
    if (!scope.isEmpty())
        form.append({ QStringLiteral("scope"), scope });
    qCInfo(lcAuth) << "refresh at" << tokenEndpoint.host() << "token length" << refreshToken.size();
    return post(tokenEndpoint, formEncode(form), dpop).then([](const HttpResult& result) -> AuthResult<TokenResponse> {
        if (result.status != 200)
            return tokenEndpointFailure(result, QStringLiteral("refresh"));
        return TokenResponse::parse(result.body);
    });
}

QFuture<AuthResult<Done>> TokenClient::revoke(
    const QUrl& revocationEndpoint, const QString& clientId, const QByteArray& token, DpopSigner dpop)
{
    const QList<std::pair<QString, QString>> form {
        { QStringLiteral("token"), QString::fromUtf8(token) },
        { QStringLiteral("token_type_hint"), QStringLiteral("refresh_token") },
        { QStringLiteral("client_id"), clientId },
    };
    return post(revocationEndpoint, formEncode(form), dpop).then([](const HttpResult& result) -> AuthResult<Done> {
        // RFC 7009 §2.2: 200 also for a token that was already invalid.
        if (result.status == 200)
            return Done {};
        return tokenEndpointFailure(result, QStringLiteral("revocation"));
    });
}

QFuture<AuthResult<Introspection>> TokenClient::introspect(
    const QUrl& introspectionEndpoint, const QString& clientId, const QByteArray& token, const QByteArray& accessToken)
{
    QNetworkRequest request = authRequest(introspectionEndpoint, "application/json");
    if (!accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + accessToken);
    const QList<std::pair<QString, QString>> form {
        { QStringLiteral("token"), QString::fromUtf8(token) },
        { QStringLiteral("client_id"), clientId },
    };
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
