#pragma once

#include "core/Clock.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace ondevice::sandbox {

// The sandbox's reading of a DPoP proof (RFC 9449 section 4.3), strict in every check the spec names, for
// the token endpoint and the FHIR API alike. Written apart from the app's proof maker on purpose: a
// misreading shared by both sides would pass every test.
class DpopVerifier {
public:
    struct Options {
        QStringList algorithms { QStringLiteral("ES256"), QStringLiteral("ES384") };
        int nonceSeconds = 0; // 0: no nonce is demanded; otherwise one is, rotated this often
        int iatWindowSeconds = 300; // how far `iat` may be from now, either way
    };

    // Why a proof was refused: the name counted in /admin/stats binding_failures, and the OAuth error the
    // answer carries (`use_dpop_nonce` for a missing or stale nonce, `invalid_dpop_proof` for the rest).
    struct Failure {
        QString reason;
        QString error;
        QString description;
    };

    // A proof that passed: the thumbprint of its key, to bind tokens to (cnf.jkt) or compare with theirs.
    struct Accepted {
        QString jkt;
    };

    explicit DpopVerifier(Options options, Clock clock = systemClock());

    // Checks the DPoP header value of a request. `accessToken` is the token the request presents (FHIR API)
    // or empty (token endpoint); `boundJkt`, when not empty, is the thumbprint the token or grant is bound to.
    // Returns the failure, or nothing with *accepted filled.
    std::optional<Failure> check(const QByteArray& proof, const QByteArray& method, const QUrl& requestUrl,
        const QByteArray& accessToken, const QString& boundJkt, Accepted* accepted);

    // The nonce the next answer carries in DPoP-Nonce (empty when nonces are off); rotated every
    // nonceSeconds. The one before it is still accepted, so that a request already in flight at a rotation
    // is not refused.
    QString currentNonce();
    int rotations() const { return m_rotations; }

    // RFC 3986 sections 6.2.2 and 6.2.3, as this server compares `htu` with the URL it was asked.
    static QString normalisedUri(const QUrl& url);

private:
    void rotate();

    Options m_options;
    Clock m_clock;
    QString m_nonce;
    QString m_previousNonce;
    QDateTime m_nonceIssued;
    int m_rotations = 0;
    QHash<QString, QDateTime> m_seenJti; // jti -> when it may be forgotten
};

} // namespace ondevice::sandbox
