#include "TokenResponse.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace ondevice::auth {

namespace {

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::auth::TokenResponse)
};

AuthFailure invalid(const QString& detail)
{
    return { AuthError::InvalidResponse,
        Text::tr("The provider's sign-in server sent an answer that does not follow the OAuth standard."), detail };
}

// Some servers send numbers as strings ("3600"); accept those, nothing looser.
std::optional<qint64> integerMember(const QJsonValue& value, bool* wrongType)
{
    *wrongType = false;
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d >= 0 && d < 1e12 && d == static_cast<double>(static_cast<qint64>(d)))
            return static_cast<qint64>(d);
    } else if (value.isString()) {
        bool ok = false;
        const qint64 parsed = value.toString().toLongLong(&ok);
        if (ok && parsed >= 0)
            return parsed;
    }
    *wrongType = true;
    return std::nullopt;
}

} // namespace

AuthResult<TokenResponse> TokenResponse::parse(const QByteArray& body)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(QStringLiteral("token response is not a JSON object (%1)").arg(error.errorString()));
    const QJsonObject o = document.object();

    const auto stringMember = [&o](const char* name, bool* wrongType) -> QString {
        const QJsonValue v = o.value(QLatin1String(name));
        *wrongType = !(v.isUndefined() || v.isNull() || v.isString());
        return v.toString();
    };

    TokenResponse r;
    bool wrong = false;
    r.accessToken = stringMember("access_token", &wrong).toUtf8();
    if (wrong || r.accessToken.isEmpty())
        return invalid(QStringLiteral("access_token missing or not a string"));
    const QString tokenType = stringMember("token_type", &wrong);
    if (!wrong && tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0)
        r.tokenType = Type::DPoP;
    else if (wrong || tokenType.compare(QLatin1String("Bearer"), Qt::CaseInsensitive) != 0)
        return invalid(QStringLiteral("token_type is neither Bearer nor DPoP (%1 characters)").arg(tokenType.size()));
    r.refreshToken = stringMember("refresh_token", &wrong).toUtf8();
    if (wrong)
        return invalid(QStringLiteral("refresh_token is not a string"));
    r.idToken = stringMember("id_token", &wrong).toUtf8();
    if (wrong)
        return invalid(QStringLiteral("id_token is not a string"));
    r.expiresIn = integerMember(o.value(QLatin1String("expires_in")), &wrong);
    if (wrong)
        r.warnings << QStringLiteral("expires_in is not a non-negative integer; taken as absent");
    const QJsonValue scope = o.value(QLatin1String("scope"));
    if (scope.isString())
        r.scope = scope.toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    else if (!scope.isUndefined() && !scope.isNull())
        r.warnings << QStringLiteral("scope is not a string; taken as absent");
    r.patient = stringMember("patient", &wrong);
    if (wrong)
        r.warnings << QStringLiteral("patient is not a string; taken as absent");
    r.encounter = stringMember("encounter", &wrong);
    r.smartStyleUrl = stringMember("smart_style_url", &wrong);
    r.needPatientBanner = o.value(QLatin1String("need_patient_banner")).toBool();
    return r;
}

std::optional<OAuthErrorBody> OAuthErrorBody::parse(const QByteArray& body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject o = document.object();
    const QJsonValue error = o.value(QLatin1String("error"));
    if (!error.isString() || error.toString().isEmpty())
        return std::nullopt;
    // Printable ASCII only (RFC 6749 §5.2); keep it short for messages and logs.
    const auto clean = [](QString text) {
        text.truncate(300);
        for (QChar& c : text)
            if (c.unicode() < 0x20 || c.unicode() > 0x7e)
                c = QLatin1Char('?');
        return text;
    };
    return OAuthErrorBody { clean(error.toString()), clean(o.value(QLatin1String("error_description")).toString()),
        clean(o.value(QLatin1String("error_uri")).toString()) };
}

std::optional<AuthFailure> TokenResponse::typeMismatch(bool requestedDpop) const
{
    if (requestedDpop && tokenType != Type::DPoP)
        return AuthFailure { AuthError::InvalidResponse,
            Text::tr("The provider did not bind the sign-in to this computer's key as it said it would, so it was not "
                     "used."),
            QStringLiteral("token_type Bearer after a DPoP proof") };
    if (!requestedDpop && tokenType == Type::DPoP)
        return AuthFailure { AuthError::InvalidResponse,
            Text::tr("The provider bound the sign-in to a key this app did not offer, so it cannot be used."),
            QStringLiteral("token_type DPoP without a DPoP proof") };
    return std::nullopt;
}

bool asksForDpopNonce(const HttpResult& result)
{
    const auto oauth = result.status == 400 ? OAuthErrorBody::parse(result.body) : std::nullopt;
    return oauth && oauth->error == QLatin1String("use_dpop_nonce");
}

AuthFailure tokenEndpointFailure(const HttpResult& result, const QString& what)
{
    if (result.tooLarge)
        return { AuthError::Server, Text::tr("The provider's sign-in server sent far too much data."),
            QStringLiteral("%1: response over the size limit").arg(what) };
    if (!result.notSent.isEmpty())
        return { AuthError::Keychain,
            Text::tr("This computer's key for the provider could not sign the request, so nothing was sent. Try again; "
                     "if it keeps happening, reconnect."),
            QStringLiteral("%1: not sent: %2").arg(what, result.notSent) };
    if (!result.reachedServer())
        return { AuthError::Network,
            Text::tr("Could not reach the provider's sign-in server. Check your internet connection, then try again."),
            QStringLiteral("%1: network error %2").arg(what).arg(static_cast<int>(result.error)) };
    if (const auto oauth = OAuthErrorBody::parse(result.body)) {
        const QString detail
            = QStringLiteral("%1: HTTP %2 %3%4")
                  .arg(what)
                  .arg(result.status)
                  .arg(oauth->error,
                      oauth->description.isEmpty() ? QString() : QString(QStringLiteral(": ") + oauth->description));
        if (oauth->error == QLatin1String("invalid_grant"))
            return { AuthError::InvalidGrant,
                Text::tr("Your provider has ended this app's access. Reconnect to continue; your records stay on this "
                         "device."),
                detail };
        if (result.status >= 500 || oauth->error == QLatin1String("temporarily_unavailable")
            || oauth->error == QLatin1String("server_error"))
            return { AuthError::Server,
                Text::tr("The provider's sign-in server had a problem. Try again in a few minutes."), detail };
        return { AuthError::OAuth,
            Text::tr("The provider's sign-in server refused the request (%1).").arg(oauth->error), detail };
    }
    if (result.status >= 500 || result.status == 429)
        return { AuthError::Server,
            Text::tr("The provider's sign-in server had a problem. Try again in a few minutes."),
            QStringLiteral("%1: HTTP %2").arg(what).arg(result.status) };
    return { AuthError::Server, Text::tr("The provider's sign-in server sent an unexpected answer."),
        QStringLiteral("%1: HTTP %2 without an OAuth error body").arg(what).arg(result.status) };
}

AuthFailure codeExchangeFailure(const HttpResult& result)
{
    AuthFailure failure = tokenEndpointFailure(result, QStringLiteral("code exchange"));
    if (failure.code != AuthError::InvalidGrant && failure.code != AuthError::OAuth)
        return failure;
    const auto oauth = OAuthErrorBody::parse(result.body);
    const QString said
        = oauth->description.isEmpty() ? oauth->error : QStringLiteral("%1: %2").arg(oauth->error, oauth->description);
    return { AuthError::OAuth,
        Text::tr("The provider refused this sign-in (%1). Nothing was stored; start the connection again.").arg(said),
        failure.detail };
}

} // namespace ondevice::auth
