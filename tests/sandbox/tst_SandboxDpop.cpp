#include "DpopVerifier.h"
#include "SandboxHttp.h"

#include "auth/DeviceKey.h"
#include "auth/Dpop.h"
#include "core/Base64Url.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace ondevice;
using namespace ondevice::sandbox;

// The sandbox's DPoP proof checks, in process: the spec's own example, proofs made by the app's code (made
// apart from this checker), and one proof per way to be wrong.
class tst_SandboxDpop : public QObject {
    Q_OBJECT

private:
    QDateTime m_now = QDateTime::fromSecsSinceEpoch(1'790'000'000, Qt::UTC);
    std::unique_ptr<auth::SoftwareDeviceKey> m_key;
    std::unique_ptr<auth::SoftwareDeviceKey> m_other;
    const QUrl m_token { QStringLiteral("https://auth.example/token") };
    const QUrl m_fhir { QStringLiteral("https://fhir.example/r4/Observation?patient=1") };

    Clock clock()
    {
        return [this] { return m_now; };
    }

    QJsonObject claims(const QByteArray& method, const QUrl& url) const
    {
        return { { "jti", QString::fromLatin1(QByteArray::number(QRandomGenerator::global()->generate64())) },
            { "htm", QString::fromLatin1(method) }, { "htu", url.toString() }, { "iat", m_now.toSecsSinceEpoch() } };
    }

    QByteArray sign(const QJsonObject& claimSet, QJsonObject header = {}, const auth::DeviceKey* key = nullptr) const
    {
        key = key ? key : m_key.get();
        if (!header.contains("typ"))
            header.insert("typ", "dpop+jwt");
        if (!header.contains("jwk"))
            header.insert("jwk", key->publicJwk());
        auto jws = key->signJwt(header, claimSet);
        return jws ? jws.value() : QByteArray();
    }

    static QString reasonOf(DpopVerifier& verifier, const QByteArray& proof, const QByteArray& method, const QUrl& url,
        const QByteArray& token = {}, const QString& bound = {})
    {
        DpopVerifier::Accepted accepted;
        const auto failure = verifier.check(proof, method, url, token, bound, &accepted);
        return failure ? failure->reason : QStringLiteral("ok");
    }

    QByteArray proof(const QUrl& url, const QByteArray& method, const QByteArray& accessToken, const QByteArray& nonce,
        const auth::DeviceKey* key = nullptr) const
    {
        auto made = auth::makeDpopProof(key ? *key : *m_key, { method, url, accessToken, QString::fromLatin1(nonce) },
            QDateTime::currentDateTimeUtc());
        return made ? made.value() : QByteArray();
    }

    // Authorize (auto-approved) and exchange the code with a proof by `key`: the token response.
    QJsonObject login(testing::SandboxHttp& http, const auth::DeviceKey* key) const
    {
        return http.login(
            testing::SandboxHttp::defaultScope(), { { "DPoP", proof(http.authUrl("token"), "POST", {}, {}, key) } });
    }

    testing::HttpReply refresh(
        testing::SandboxHttp& http, const QString& refreshToken, const auth::DeviceKey* key) const
    {
        const QUrl tokenUrl = http.authUrl("token");
        return http.postForm(tokenUrl,
            { { "grant_type", "refresh_token" }, { "refresh_token", refreshToken }, { "client_id", "ondevice-demo" } },
            { { "DPoP", proof(tokenUrl, "POST", {}, {}, key) } });
    }

    testing::HttpReply fhirGet(
        testing::SandboxHttp& http, const QUrl& url, const QByteArray& accessToken, const auth::DeviceKey* key) const
    {
        return http.get(
            url, { { "Authorization", "DPoP " + accessToken }, { "DPoP", proof(url, "GET", accessToken, {}, key) } });
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto a = auth::SoftwareDeviceKey::generate(jose::Curve::P384);
        auto b = auth::SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(a && b);
        m_key = std::move(a).value();
        m_other = std::move(b).value();
    }

    void theSpecExampleIsAccepted()
    {
        // RFC 9449 section 4.1: the example proof of a token request, checked at its own time.
        const QByteArray proof
            = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpD"
              "a0"
              "RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6Il"
              "AtMj"
              "U2In19."
              "eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2"
              "VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-"
              "FNyJK70nfbV37xR"
              "ZT3Lg";
        m_now = QDateTime::fromSecsSinceEpoch(1'562'262'616 + 10, Qt::UTC);
        DpopVerifier verifier({}, clock());
        DpopVerifier::Accepted accepted;
        const auto failure = verifier.check(proof, "POST", QUrl("https://server.example.com/token"), {}, {}, &accepted);
        QVERIFY2(!failure, failure ? qPrintable(failure->description) : "");
        QCOMPARE(accepted.jkt, QStringLiteral("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
        m_now = QDateTime::fromSecsSinceEpoch(1'790'000'000, Qt::UTC);
    }

    void theAppsProofsAreAccepted()
    {
        DpopVerifier verifier({}, clock());
        auto tokenProof = auth::makeDpopProof(*m_key, { "POST", m_token, {}, {} }, m_now);
        QVERIFY(tokenProof);
        DpopVerifier::Accepted accepted;
        QVERIFY(!verifier.check(tokenProof.value(), "POST", m_token, {}, {}, &accepted));
        QCOMPARE(accepted.jkt, m_key->thumbprint());
        auto fhirProof = auth::makeDpopProof(*m_key, { "GET", m_fhir, "token-1", {} }, m_now);
        QVERIFY(fhirProof);
        QVERIFY(!verifier.check(fhirProof.value(), "GET", m_fhir, "token-1", m_key->thumbprint(), &accepted));
    }

    void eachWayToBeWrongIsRefused()
    {
        DpopVerifier::Options es384Only;
        es384Only.algorithms = { QStringLiteral("ES384") };
        DpopVerifier verifier(es384Only, clock());
        const QJsonObject good = claims("POST", m_token);
        QCOMPARE(reasonOf(verifier, sign(good), "POST", m_token), QStringLiteral("ok"));
        QCOMPARE(reasonOf(verifier, QByteArray(), "POST", m_token), QStringLiteral("missing"));
        QCOMPARE(reasonOf(verifier, "a.b", "POST", m_token), QStringLiteral("malformed"));
        QCOMPARE(
            reasonOf(verifier, sign(claims("POST", m_token)) + ", " + sign(claims("POST", m_token)), "POST", m_token),
            QStringLiteral("malformed"));
        QCOMPARE(reasonOf(verifier, sign(claims("POST", m_token), { { "typ", "JWT" } }), "POST", m_token),
            QStringLiteral("typ"));
        auto p256 = auth::SoftwareDeviceKey::generate(jose::Curve::P256);
        QVERIFY(p256);
        QCOMPARE(reasonOf(verifier, sign(claims("POST", m_token), {}, p256.value().get()), "POST", m_token),
            QStringLiteral("alg"));
        QJsonObject withPrivate = m_key->publicJwk();
        withPrivate.insert("d", "AAAA");
        QCOMPARE(reasonOf(verifier, sign(claims("POST", m_token), { { "jwk", withPrivate } }), "POST", m_token),
            QStringLiteral("private_key"));
        // Another key's jwk in the header: the signature does not verify with it.
        QCOMPARE(
            reasonOf(verifier, sign(claims("POST", m_token), { { "jwk", m_other->publicJwk() } }), "POST", m_token),
            QStringLiteral("signature"));
        QCOMPARE(reasonOf(verifier, sign(claims("GET", m_token)), "POST", m_token), QStringLiteral("htm"));
        QCOMPARE(reasonOf(verifier, sign(claims("POST", QUrl("https://auth.example/other"))), "POST", m_token),
            QStringLiteral("htu"));
        QCOMPARE(reasonOf(verifier, sign(claims("POST", QUrl("https://evil.example/token"))), "POST", m_token),
            QStringLiteral("htu"));
        QJsonObject old = claims("POST", m_token);
        old.insert("iat", m_now.toSecsSinceEpoch() - 301);
        QCOMPARE(reasonOf(verifier, sign(old), "POST", m_token), QStringLiteral("iat"));
        QJsonObject future = claims("POST", m_token);
        future.insert("iat", m_now.toSecsSinceEpoch() + 301);
        QCOMPARE(reasonOf(verifier, sign(future), "POST", m_token), QStringLiteral("iat"));
        QJsonObject noJti = claims("POST", m_token);
        noJti.remove("jti");
        QCOMPARE(reasonOf(verifier, sign(noJti), "POST", m_token), QStringLiteral("jti"));
        // A resource request: ath must be the token's hash; the key must be the one the token is bound to.
        QJsonObject noAth = claims("GET", m_fhir);
        QCOMPARE(reasonOf(verifier, sign(noAth), "GET", m_fhir, "token-1"), QStringLiteral("ath"));
        QJsonObject withAth = claims("GET", m_fhir);
        withAth.insert("ath", auth::accessTokenHash("token-2"));
        QCOMPARE(reasonOf(verifier, sign(withAth), "GET", m_fhir, "token-1"), QStringLiteral("ath"));
        withAth.insert("ath", auth::accessTokenHash("token-1"));
        QCOMPARE(reasonOf(verifier, sign(withAth), "GET", m_fhir, "token-1", m_other->thumbprint()),
            QStringLiteral("jkt_mismatch"));
        withAth.insert("jti", "fresh");
        QCOMPARE(
            reasonOf(verifier, sign(withAth), "GET", m_fhir, "token-1", m_key->thumbprint()), QStringLiteral("ok"));
    }

    void equivalentUrisMatchAndAProofIsUsedOnce()
    {
        DpopVerifier verifier({}, clock());
        // htu compared after normalisation: case, default port, dot segments, query and fragment.
        const QByteArray proof = sign(claims("POST", QUrl("HTTPS://Auth.Example:443/a/../token")));
        QCOMPARE(reasonOf(verifier, proof, "POST", QUrl("https://auth.example/token?x=1")), QStringLiteral("ok"));
        QCOMPARE(reasonOf(verifier, proof, "POST", QUrl("https://auth.example/token?x=1")), QStringLiteral("replay"));
    }

    void noncesAreDemandedRotatedAndTheLastOneStillCounts()
    {
        DpopVerifier::Options options;
        options.nonceSeconds = 2;
        DpopVerifier verifier(options, clock());
        QCOMPARE(reasonOf(verifier, sign(claims("POST", m_token)), "POST", m_token), QStringLiteral("use_dpop_nonce"));
        const QString first = verifier.currentNonce();
        QVERIFY(!first.isEmpty());
        QJsonObject withNonce = claims("POST", m_token);
        withNonce.insert("nonce", first);
        QCOMPARE(reasonOf(verifier, sign(withNonce), "POST", m_token), QStringLiteral("ok"));

        m_now = m_now.addSecs(2);
        const QString second = verifier.currentNonce();
        QVERIFY(second != first);
        withNonce = claims("POST", m_token);
        withNonce.insert("nonce", first); // in flight across the rotation
        QCOMPARE(reasonOf(verifier, sign(withNonce), "POST", m_token), QStringLiteral("ok"));

        m_now = m_now.addSecs(2);
        QVERIFY(verifier.currentNonce() != second);
        withNonce = claims("POST", m_token);
        withNonce.insert("nonce", first); // two rotations old
        QCOMPARE(reasonOf(verifier, sign(withNonce), "POST", m_token), QStringLiteral("use_dpop_nonce"));
        withNonce.insert("nonce", verifier.currentNonce());
        QCOMPARE(reasonOf(verifier, sign(withNonce), "POST", m_token), QStringLiteral("ok"));
        QCOMPARE(verifier.rotations(), 3);
        m_now = QDateTime::fromSecsSinceEpoch(1'790'000'000, Qt::UTC);
    }

    // --- the same checks at the running sandbox's token endpoint and FHIR API -------------------------------

    void aProofGetsBoundTokensAndOnlyTheKeyCanUseThem()
    {
        testing::SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first" }), QString());
        testing::SandboxHttp http(sandbox);
        const QJsonObject config = http.get(QUrl(http.fhirBase() + "/.well-known/smart-configuration")).json();
        QCOMPARE(config.value("dpop_signing_alg_values_supported").toArray(), (QJsonArray { "ES256", "ES384" }));

        const QJsonObject tokens = login(http, m_key.get());
        QCOMPARE(tokens.value("token_type").toString(), QStringLiteral("DPoP"));
        const QByteArray access = tokens.value("access_token").toString().toLatin1();
        const QUrl patient(http.fhirBase() + "/Patient/" + tokens.value("patient").toString());

        QCOMPARE(fhirGet(http, patient, access, m_key.get()).status, 200);
        // Presented as a Bearer token: refused, and the answer says why in the DPoP scheme.
        const auto asBearer = http.getBearer(patient, QString::fromLatin1(access));
        QCOMPARE(asBearer.status, 401);
        QVERIFY(auth::parseWwwAuthenticate(asBearer.header("www-authenticate")).value(0).scheme == "DPoP");
        // With a proof by another key: refused.
        QCOMPARE(fhirGet(http, patient, access, m_other.get()).status, 401);
        // Introspection names the key the token is bound to.
        const QJsonObject introspected
            = http.postForm(http.authUrl("introspect"),
                      { { "token", QString::fromLatin1(access) }, { "client_id", "ondevice-demo" } })
                  .json();
        QCOMPARE(introspected.value("token_type").toString(), QStringLiteral("DPoP"));
        QCOMPARE(introspected.value("cnf").toObject().value("jkt").toString(), m_key->thumbprint());

        // The refresh token, leaked alone: refused without a proof and with another key's; the key refreshes.
        const QString refreshToken = tokens.value("refresh_token").toString();
        const auto leaked = http.refresh(refreshToken);
        QCOMPARE(leaked.status, 400);
        QCOMPARE(leaked.json().value("error").toString(), QStringLiteral("invalid_dpop_proof"));
        QCOMPARE(refresh(http, refreshToken, m_other.get()).status, 400);
        const auto refreshed = refresh(http, refreshToken, m_key.get());
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(refreshed.json().value("token_type").toString(), QStringLiteral("DPoP"));

        const QJsonObject stats = http.get(QUrl(sandbox.adminBase().toString() + "/stats")).json();
        QCOMPARE(stats.value("token_requests_by_binding").toObject().value("dpop").toInt(), 2);
        QCOMPARE(stats.value("token_requests_by_binding").toObject().value("bearer").toInt(), 0);
        const QJsonObject failures = stats.value("binding_failures").toObject();
        QCOMPARE(failures.value("missing").toInt(), 1);
        QCOMPARE(failures.value("jkt_mismatch").toInt(), 2);
        QCOMPARE(failures.value("bearer_for_bound").toInt(), 1);
    }

    void withoutAProofTheTokensAreBearerUnlessProofsAreRequired()
    {
        {
            testing::SandboxProcess sandbox;
            QCOMPARE(sandbox.start({ "--auto-approve", "first" }), QString());
            testing::SandboxHttp http(sandbox);
            const QJsonObject tokens = http.login();
            QCOMPARE(tokens.value("token_type").toString(), QStringLiteral("Bearer"));
            QCOMPARE(http.refresh(tokens.value("refresh_token").toString()).status, 200);
        }
        {
            // Not offered: nothing in discovery, a proof is ignored, the leaked refresh token works alone.
            testing::SandboxProcess sandbox;
            QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "none" }), QString());
            testing::SandboxHttp http(sandbox);
            QVERIFY(!http.get(QUrl(http.fhirBase() + "/.well-known/smart-configuration"))
                         .json()
                         .contains("dpop_signing_alg_values_supported"));
            const QJsonObject tokens = login(http, m_key.get());
            QCOMPARE(tokens.value("token_type").toString(), QStringLiteral("Bearer"));
            QCOMPARE(http.refresh(tokens.value("refresh_token").toString()).status, 200);
        }
        {
            testing::SandboxProcess sandbox;
            QCOMPARE(sandbox.start({ "--auto-approve", "first", "--binding", "dpop-required" }), QString());
            testing::SandboxHttp http(sandbox);
            QVERIFY(http.login().isEmpty());
            QCOMPARE(login(http, m_key.get()).value("token_type").toString(), QStringLiteral("DPoP"));
        }
    }

    void aMissingNonceSpendsNothing()
    {
        testing::SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--dpop-nonce", "60" }), QString());
        testing::SandboxHttp http(sandbox);
        const QString verifier = testing::SandboxHttp::newVerifier();
        const auto redirect = http.authorize(
            http.authorizeParams(testing::SandboxHttp::defaultScope(), testing::SandboxHttp::challengeFor(verifier)));
        const QString code = redirect.locationParam("code");
        QVERIFY(!code.isEmpty());
        const testing::Params exchange { { "grant_type", "authorization_code" }, { "code", code },
            { "redirect_uri", testing::SandboxHttp::redirectUri() }, { "client_id", "ondevice-demo" },
            { "code_verifier", verifier } };
        const QUrl tokenUrl = http.authUrl("token");
        const auto first = http.postForm(tokenUrl, exchange, { { "DPoP", proof(tokenUrl, "POST", {}, {}) } });
        QCOMPARE(first.status, 400);
        QCOMPARE(first.json().value("error").toString(), QStringLiteral("use_dpop_nonce"));
        const QByteArray nonce = first.header("dpop-nonce");
        QVERIFY(auth::isValidDpopNonce(nonce));
        // The same code, now with the nonce: it was not spent by the first try.
        const auto second = http.postForm(tokenUrl, exchange, { { "DPoP", proof(tokenUrl, "POST", {}, nonce) } });
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json().value("token_type").toString(), QStringLiteral("DPoP"));
        QCOMPARE(second.header("dpop-nonce"), nonce);
    }

    void aRevocationNeedsNoProofAndChecksOneThatComes()
    {
        testing::SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--dpop-nonce", "60" }), QString());
        testing::SandboxHttp http(sandbox);
        const QUrl revokeUrl = http.authUrl("revoke");
        const auto revoke = [&](const QString& token, const QList<QPair<QByteArray, QByteArray>>& headers) {
            return http.postForm(revokeUrl,
                { { "token", token }, { "token_type_hint", "refresh_token" }, { "client_id", "ondevice-demo" } },
                headers);
        };
        const auto liveGrants = [&] {
            return http.get(QUrl(sandbox.adminBase().toString() + "/stats")).json().value("live_grants").toInt();
        };
        // Two bound grants, with the nonce every answer of the server carries.
        const QByteArray nonce = http.get(QUrl(http.fhirBase() + "/metadata")).header("dpop-nonce");
        QVERIFY(!nonce.isEmpty());
        const auto boundLogin = [&] {
            return http.login(
                testing::SandboxHttp::defaultScope(), { { "DPoP", proof(http.authUrl("token"), "POST", {}, nonce) } });
        };
        const QJsonObject first = boundLogin();
        const QJsonObject second = boundLogin();
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QCOMPARE(liveGrants(), 2);

        // A proof without the nonce: refused for it, nothing revoked; with it, revoked and counted as DPoP.
        const QString token = first.value("refresh_token").toString();
        const auto noNonce = revoke(token, { { "DPoP", proof(revokeUrl, "POST", {}, {}) } });
        QCOMPARE(noNonce.status, 400);
        QCOMPARE(noNonce.json().value("error").toString(), QStringLiteral("use_dpop_nonce"));
        QCOMPARE(liveGrants(), 2);
        QCOMPARE(revoke(token, { { "DPoP", proof(revokeUrl, "POST", {}, noNonce.header("dpop-nonce")) } }).status, 200);
        QCOMPARE(liveGrants(), 1);
        // No proof at all, for a bound grant: revoked all the same (none is required), counted as Bearer.
        QCOMPARE(revoke(second.value("refresh_token").toString(), {}).status, 200);
        QCOMPARE(liveGrants(), 0);
        const QJsonObject byBinding = http.get(QUrl(sandbox.adminBase().toString() + "/stats"))
                                          .json()
                                          .value("revocations_by_binding")
                                          .toObject();
        QCOMPARE(byBinding.value("dpop").toInt(), 1);
        QCOMPARE(byBinding.value("bearer").toInt(), 1);
    }

    void theIssuersOAuthMetadataNamesTheAlgorithms()
    {
        // RFC 8414 section 3.1: {origin}/.well-known/oauth-authorization-server{issuer path}. Under the quirk
        // only this document names the DPoP algorithms.
        testing::SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--quirks", "dpop-in-issuer-metadata" }), QString());
        testing::SandboxHttp http(sandbox);
        const QUrl base(http.fhirBase());
        QUrl metadataUrl = base;
        metadataUrl.setPath("/.well-known/oauth-authorization-server" + base.path());
        const QJsonObject metadata = http.get(metadataUrl).json();
        QCOMPARE(metadata.value("issuer").toString(), http.fhirBase());
        QCOMPARE(metadata.value("dpop_signing_alg_values_supported").toArray(), (QJsonArray { "ES256", "ES384" }));
        for (const char* document : { "/.well-known/smart-configuration", "/.well-known/openid-configuration" })
            QVERIFY(!http.get(QUrl(http.fhirBase() + document)).json().contains("dpop_signing_alg_values_supported"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxDpop)
#include "tst_SandboxDpop.moc"
