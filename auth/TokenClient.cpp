#include "TokenClient.h"

#include "Http.h"
#include "Logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ondevice::auth {

TokenClient::TokenClient(QNetworkAccessManager& network, QObject* parent)
    : QObject(parent)
    , m_network(network)
{
}

QFuture<AuthResult<TokenResponse>> TokenClient::refresh(
    const QUrl& tokenEndpoint, const QString& clientId, const QByteArray& refreshToken, const QString& scope)
{
    QList<std::pair<QString, QString>> form {
        { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken) },
        { QStringLiteral("client_id"), clientId },
    };
    if (!scope.isEmpty())
        form.append({ QStringLiteral("scope"), scope });
    qCInfo(lcAuth) << "refresh at" << tokenEndpoint.host() << "token length" << refreshToken.size();
    return postForm(m_network, authRequest(tokenEndpoint, "application/json"), formEncode(form))
        .then([](const HttpResult& result) -> AuthResult<TokenResponse> {
            if (result.status != 200)
                return tokenEndpointFailure(result, QStringLiteral("refresh"));
            return TokenResponse::parse(result.body);
        });
}

QFuture<AuthResult<Done>> TokenClient::revoke(
    const QUrl& revocationEndpoint, const QString& clientId, const QByteArray& token)
{
    const QList<std::pair<QString, QString>> form {
        { QStringLiteral("token"), QString::fromUtf8(token) },
        { QStringLiteral("token_type_hint"), QStringLiteral("refresh_token") },
        { QStringLiteral("client_id"), clientId },
    };
    return postForm(m_network, authRequest(revocationEndpoint, "application/json"), formEncode(form))
        .then([](const HttpResult& result) -> AuthResult<Done> {
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
