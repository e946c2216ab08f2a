#pragma once

// DPoP (RFC 9449): the proof a request carries to show it comes from the holder of the connection's device
// key, the server nonces those proofs must echo, and the server answers that ask for a nonce. Pure functions
// and one small store; the token client and the FHIR client call them (auth/DeviceKey.h signs).

#include "DeviceKey.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QUrl>

namespace ondevice::auth {

// The `htu` of a request to `url` (RFC 9449 section 4.2): the URI without query and fragment, normalised as
// a server compares it (RFC 3986 sections 6.2.2 and 6.2.3: scheme and host in lower case, no default port,
// "/" for an empty path, dot segments removed, percent-encoding in one case).
QString dpopTargetUri(const QUrl& url);

// The `ath` of a request that carries `accessToken`: base64url(SHA-256) of its ASCII bytes.
QString accessTokenHash(const QByteArray& accessToken);

struct DpopProofRequest {
    QByteArray method; // "POST", "GET"
    QUrl url;
    QByteArray accessToken; // empty on token requests; set on resource requests (adds `ath`)
    QString nonce; // the server's latest DPoP-Nonce for this origin, empty when it gave none
};

// The DPoP header value for one request: a JWT with header typ "dpop+jwt", alg and the key's public jwk, and
// claims jti (128 random bits), htm, htu, iat (`now`), and ath and nonce where the request has them.
Expected<QByteArray, DeviceKeyError> makeDpopProof(
    const DeviceKey& key, const DpopProofRequest& request, const QDateTime& now);

// RFC 9449 section 8.1: nonce = 1*NQCHAR (printable ASCII without space, '"' and '\'). Longer than this
// many bytes is refused too: a server has no reason to send more.
inline constexpr qsizetype kMaxDpopNonceBytes = 1024;
bool isValidDpopNonce(QByteArrayView value);

// The latest DPoP nonce of each server, keyed by origin (scheme, host, port): one for the authorization
// server, one for each FHIR origin. A new DPoP-Nonce header on any response, a 200 included, replaces the
// stored one; the next proof to that origin carries it without a retry.
class DpopNonces {
public:
    QString nonceFor(const QUrl& url) const;
    // Takes the value of a response's DPoP-Nonce header. true when it is a new nonce for that origin (a
    // refusal that brought one is worth one more try); false, and nothing changed, for the nonce already
    // kept, an absent header (empty value) or a value that is not a nonce.
    bool remember(const QUrl& url, const QByteArray& headerValue);

private:
    static QString origin(const QUrl& url);
    QHash<QString, QString> m_nonces;
};

// One challenge of a WWW-Authenticate header (RFC 9110 section 11.6.1): the scheme, and its parameters with
// lower-case names (a token68 challenge keeps its value in token68).
struct AuthChallenge {
    QString scheme;
    QHash<QString, QString> params;
    QString token68;
};

// Every challenge of a WWW-Authenticate value, read liberally: unreadable parts are skipped, a value over
// 8 KiB or past 16 challenges is cut there.
QList<AuthChallenge> parseWwwAuthenticate(QByteArrayView header);

// The FHIR server's way to ask for a nonce: a 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"`.
bool asksForDpopNonce(QByteArrayView wwwAuthenticate);

} // namespace ondevice::auth
