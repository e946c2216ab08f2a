#include "Dpop.h"

#include "core/Base64Url.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QRandomGenerator>

#include <array>

namespace ondevice::auth {

namespace {

constexpr qsizetype kMaxChallengeBytes = qsizetype { 8 } * 1024;
constexpr int kMaxChallenges = 16;

// RFC 9110 section 5.6.2 tchar, plus the token68 characters (section 11.2) that tchar lacks.
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~/").contains(c);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

// RFC 3986 section 5.2.4 remove_dot_segments. (QUrl::NormalizePathSegments in Qt 6.4 leaves an empty
// segment behind: "/a/./b/../c" becomes "/a//c".)
QString removeDotSegments(QString input)
{
    QString output;
    while (!input.isEmpty()) {
        if (input.startsWith(QLatin1String("../"))) {
            input.remove(0, 3);
        } else if (input.startsWith(QLatin1String("./")) || input.startsWith(QLatin1String("/./"))) {
            input.remove(0, 2); // "./x" becomes "x", "/./x" becomes "/x"
        } else if (input == QLatin1String("/.")) {
            input = QStringLiteral("/");
        } else if (input.startsWith(QLatin1String("/../")) || input == QLatin1String("/..")) {
            input = QLatin1Char('/') + input.mid(input.size() == 3 ? 3 : 4);
            output.truncate(std::max<qsizetype>(output.lastIndexOf(QLatin1Char('/')), 0));
        } else if (input == QLatin1String(".") || input == QLatin1String("..")) {
            input.clear();
        } else {
            const qsizetype next = input.indexOf(QLatin1Char('/'), 1);
            const qsizetype length = next < 0 ? input.size() : next;
            output += input.left(length);
            input.remove(0, length);
        }
    }
    return output;
}

} // namespace

QString dpopTargetUri(const QUrl& url)
{
    QUrl target = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    target.setPath(removeDotSegments(target.path(QUrl::FullyEncoded)), QUrl::TolerantMode);
    // QUrl already keeps scheme and host in lower case; a default port is noise to a server comparing.
    const QString scheme = target.scheme();
    if ((scheme == QLatin1String("https") && target.port() == 443)
        || (scheme == QLatin1String("http") && target.port() == 80))
        target.setPort(-1);
    if (target.path().isEmpty())
        target.setPath(QStringLiteral("/"));
    return target.toString(QUrl::FullyEncoded);
}

QString accessTokenHash(const QByteArray& accessToken)
{
    return QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash(accessToken, QCryptographicHash::Sha256)));
}

Expected<QByteArray, DeviceKeyError> makeDpopProof(
    const DeviceKey& key, const DpopProofRequest& request, const QDateTime& now)
{
    std::array<quint32, 4> random {};
    QRandomGenerator::system()->fillRange(random.data(), random.size());
    const QByteArray jti = base64UrlEncode(
        QByteArrayView(reinterpret_cast<const char*>(random.data()), sizeof(quint32) * random.size()));

    const QJsonObject header { { QStringLiteral("typ"), QStringLiteral("dpop+jwt") },
        { QStringLiteral("jwk"), key.publicJwk() } };
    QJsonObject claims { { QStringLiteral("jti"), QString::fromLatin1(jti) },
        { QStringLiteral("htm"), QString::fromLatin1(request.method) },
        { QStringLiteral("htu"), dpopTargetUri(request.url) }, { QStringLiteral("iat"), now.toSecsSinceEpoch() } };
    if (!request.accessToken.isEmpty())
        claims.insert(QStringLiteral("ath"), accessTokenHash(request.accessToken));
    if (!request.nonce.isEmpty())
        claims.insert(QStringLiteral("nonce"), request.nonce);
    return key.signJwt(header, claims);
}

bool isValidDpopNonce(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > kMaxDpopNonceBytes)
        return false;
    for (const char c : value)
        if (c < 0x21 || c > 0x7e || c == '"' || c == '\\')
            return false;
    return true;
}

QString DpopNonces::origin(const QUrl& url)
{
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toString(QUrl::FullyEncoded);
}

QString DpopNonces::nonceFor(const QUrl& url) const
{
    return m_nonces.value(origin(url));
}

bool DpopNonces::remember(const QUrl& url, const QByteArray& headerValue)
{
    const QByteArray value = headerValue.trimmed();
    if (value.isEmpty() || !isValidDpopNonce(value))
        return false;
    QString& kept = m_nonces[origin(url)];
    if (kept == QLatin1String(value))
        return false;
    kept = QString::fromLatin1(value);
    return true;
}

QList<AuthChallenge> parseWwwAuthenticate(QByteArrayView header)
{
    const QByteArrayView text = header.first(std::min(header.size(), kMaxChallengeBytes));
    QList<AuthChallenge> challenges;
    qsizetype pos = 0;
    bool sawComma = true;
    const auto skipSpace = [&] {
        while (pos < text.size() && isSpace(text[pos]))
            ++pos;
    };
    const auto readToken = [&] {
        const qsizetype start = pos;
        while (pos < text.size() && isTokenChar(text[pos]))
            ++pos;
        return QString::fromLatin1(text.sliced(start, pos - start));
    };
    while (pos < text.size()) {
        skipSpace();
        if (pos >= text.size())
            break;
        if (text[pos] == ',') {
            sawComma = true;
            ++pos;
            continue;
        }
        const QString token = readToken();
        if (token.isEmpty()) {
            ++pos; // a character no challenge can hold: skipped
            continue;
        }
        skipSpace();
        if (pos < text.size() && text[pos] == '=') {
            // `name=value`, unless the '='s are a token68's padding (followed by the end or a comma).
            qsizetype after = pos;
            while (after < text.size() && text[after] == '=')
                ++after;
            qsizetype next = after;
            while (next < text.size() && isSpace(text[next]))
                ++next;
            const bool padding = (after - pos > 1 || next >= text.size() || text[next] == ',') && !challenges.isEmpty()
                && !sawComma && challenges.last().params.isEmpty() && challenges.last().token68.isEmpty();
            if (padding) {
                challenges.last().token68 = token + QString(after - pos, QLatin1Char('='));
                pos = after;
                continue;
            }
            ++pos;
            skipSpace();
            QString value;
            if (pos < text.size() && text[pos] == '"') {
                ++pos;
                while (pos < text.size() && text[pos] != '"') {
                    if (text[pos] == '\\' && pos + 1 < text.size())
                        ++pos;
                    value += QLatin1Char(text[pos]);
                    ++pos;
                }
                ++pos; // the closing quote (or past the end of a cut value)
            } else {
                value = readToken();
            }
            if (!challenges.isEmpty() && !challenges.last().params.contains(token.toLower()))
                challenges.last().params.insert(token.toLower(), value);
            sawComma = false;
            continue;
        }
        if (!challenges.isEmpty() && !sawComma && challenges.last().params.isEmpty()
            && challenges.last().token68.isEmpty()) {
            challenges.last().token68 = token;
            continue;
        }
        if (challenges.size() == kMaxChallenges)
            break;
        challenges.append(AuthChallenge { token, {}, {} });
        sawComma = false;
    }
    return challenges;
}

bool asksForDpopNonce(QByteArrayView wwwAuthenticate)
{
    for (const AuthChallenge& challenge : parseWwwAuthenticate(wwwAuthenticate))
        if (challenge.scheme.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0
            && challenge.params.value(QStringLiteral("error")) == QLatin1String("use_dpop_nonce"))
            return true;
    return false;
}

} // namespace ondevice::auth
