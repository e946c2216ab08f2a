#include "DpopVerifier.h"

#include "Crypto.h"
#include "EcJws.h"
#include "core/Base64Url.h"
#include "core/Jose.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace ondevice::sandbox {

namespace {

DpopVerifier::Failure invalid(const QString& reason, const QString& description)
{
    return { reason, QStringLiteral("invalid_dpop_proof"), description };
}

} // namespace

DpopVerifier::DpopVerifier(Options options, Clock clock)
    : m_options(std::move(options))
    , m_clock(std::move(clock))
{
}

QString DpopVerifier::normalisedUri(const QUrl& url)
{
    // Scheme and host are lower case in QUrl already; resolving against the root removes dot segments
    // (RFC 3986 section 5.2.4) and QUrl decodes percent-encoded unreserved characters.
    QUrl base = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443
        : url.scheme() == QLatin1String("http")                    ? 80
                                                                   : -1;
    if (base.port() == defaultPort)
        base.setPort(-1);
    base.setPath(QStringLiteral("/"));
    const QString path = url.path(QUrl::FullyEncoded);
    QUrl relative;
    relative.setPath(path.isEmpty() ? QStringLiteral("/") : path, QUrl::TolerantMode);
    return base.resolved(relative).toString(QUrl::FullyEncoded | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

void DpopVerifier::rotate()
{
    m_previousNonce = m_nonce;
    m_nonce = Crypto::randomToken(16);
    m_nonceIssued = m_clock();
    ++m_rotations;
}

QString DpopVerifier::currentNonce()
{
    if (m_options.nonceSeconds <= 0)
        return {};
    if (m_nonce.isEmpty() || m_nonceIssued.secsTo(m_clock()) >= m_options.nonceSeconds)
        rotate();
    return m_nonce;
}

std::optional<DpopVerifier::Failure> DpopVerifier::check(const QByteArray& proof, const QByteArray& method,
    const QUrl& requestUrl, const QByteArray& accessToken, const QString& boundJkt, Accepted* accepted)
{
    if (proof.isEmpty())
        return invalid(QStringLiteral("missing"), QStringLiteral("a DPoP proof is required"));
    if (proof.contains(','))
        return invalid(QStringLiteral("malformed"), QStringLiteral("exactly one DPoP header is allowed"));
    QString why;
    const std::optional<EcJws> jws = EcJws::parse(proof, &why);
    if (!jws)
        return invalid(QStringLiteral("malformed"), QStringLiteral("the DPoP proof: ") + why);
    const QJsonObject& header = jws->header();
    const QJsonObject& claims = jws->claims();

    if (header.value(QLatin1String("typ")).toString() != QLatin1String("dpop+jwt"))
        return invalid(QStringLiteral("typ"), QStringLiteral("typ must be dpop+jwt"));
    const QJsonObject jwk = header.value(QLatin1String("jwk")).toObject();
    QString reason;
    if (!jws->signedBy(jwk, m_options.algorithms, &reason, &why)) {
        if (reason == QLatin1String("jwk"))
            return invalid(jwk.contains(QLatin1String("d")) ? QStringLiteral("private_key") : QStringLiteral("jwk"),
                QStringLiteral("the proof's jwk is not a public EC key: %1").arg(why));
        return invalid(reason,
            reason == QLatin1String("signature") ? QStringLiteral("the proof's signature does not verify") : why);
    }

    if (claims.value(QLatin1String("htm")).toString() != QString::fromLatin1(method))
        return invalid(QStringLiteral("htm"), QStringLiteral("htm does not match the request method"));
    const QUrl htu(claims.value(QLatin1String("htu")).toString(), QUrl::StrictMode);
    if (!htu.isValid() || normalisedUri(htu) != normalisedUri(requestUrl))
        return invalid(QStringLiteral("htu"), QStringLiteral("htu does not match the request URI"));
    const QJsonValue iat = claims.value(QLatin1String("iat"));
    const QDateTime now = m_clock();
    if (!iat.isDouble()
        || std::abs(static_cast<double>(now.toSecsSinceEpoch()) - iat.toDouble()) > m_options.iatWindowSeconds)
        return invalid(QStringLiteral("iat"), QStringLiteral("iat is missing or too far from now"));
    const QString jti = claims.value(QLatin1String("jti")).toString();
    if (jti.isEmpty() || jti.size() > 256)
        return invalid(QStringLiteral("jti"), QStringLiteral("jti is missing"));

    if (!accessToken.isEmpty()) {
        const QString ath
            = QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash(accessToken, QCryptographicHash::Sha256)));
        if (claims.value(QLatin1String("ath")).toString() != ath)
            return invalid(QStringLiteral("ath"), QStringLiteral("ath does not match the access token"));
    }
    const QString jkt = jose::thumbprint(jwk);
    if (!boundJkt.isEmpty() && jkt != boundJkt)
        return invalid(
            QStringLiteral("jkt_mismatch"), QStringLiteral("the proof's key is not the one the token is bound to"));

    // The nonce after every check of the proof itself, and before the jti is spent: a client answering
    // use_dpop_nonce retries with a fresh proof, and a stale nonce uses nothing up.
    if (m_options.nonceSeconds > 0) {
        const QString current = currentNonce();
        const QString nonce = claims.value(QLatin1String("nonce")).toString();
        if (nonce.isEmpty() || (nonce != current && nonce != m_previousNonce))
            return Failure { QStringLiteral("use_dpop_nonce"), QStringLiteral("use_dpop_nonce"),
                QStringLiteral("Authorization server requires nonce in DPoP proof") };
    }

    // Replay: a jti is remembered for as long as its iat would still be accepted.
    for (auto it = m_seenJti.begin(); it != m_seenJti.end();)
        it = it.value() < now ? m_seenJti.erase(it) : std::next(it);
    const QString replayKey = jkt + QLatin1Char(' ') + jti;
    if (m_seenJti.contains(replayKey))
        return invalid(QStringLiteral("replay"), QStringLiteral("this proof was already used"));
    m_seenJti.insert(replayKey, now.addSecs(2 * qint64 { m_options.iatWindowSeconds }));

    if (accepted)
        accepted->jkt = jkt;
    return std::nullopt;
}

} // namespace ondevice::sandbox
