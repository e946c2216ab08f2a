#include "auth/DeviceKey.h"
#include "auth/Dpop.h"
#include "auth/TokenClient.h"

#include "SandboxHttp.h"
#include "TestSupport.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace ondevice;
using namespace ondevice::auth;

// The token client's DPoP (RFC 9449) against the sandbox: a refresh of a bound grant carries a proof by its
// key, keeps the server's nonce and answers a nonce request once; without the key the grant is refused.
class tst_TokenClient : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    std::unique_ptr<SoftwareDeviceKey> m_key;

private Q_SLOTS:
    void initTestCase()
    {
        testing::enterTestMode();
        auto made = SoftwareDeviceKey::generate(jose::Curve::P384);
        QVERIFY(made);
        m_key = std::move(made).value();
    }

    void aBoundGrantRefreshesWithItsKeyAndTheServersNonce()
    {
        testing::SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--dpop-nonce", "60" }), QString());
        testing::SandboxHttp http(sandbox);
        const QUrl tokenUrl = http.authUrl("token");
        DpopNonces nonces;
        TokenClient client(m_network);
        // A bound grant: the first code exchange is refused for want of a nonce, the second carries it.
        QJsonObject tokens;
        for (int attempt = 0; attempt < 2 && tokens.isEmpty(); ++attempt) {
            auto proof = makeDpopProof(
                *m_key, { "POST", tokenUrl, {}, nonces.nonceFor(tokenUrl) }, QDateTime::currentDateTimeUtc());
            QVERIFY(proof);
            const QString verifier = testing::SandboxHttp::newVerifier();
            const auto redirect = http.authorize(http.authorizeParams(
                testing::SandboxHttp::defaultScope(), testing::SandboxHttp::challengeFor(verifier)));
            const auto reply = http.postForm(tokenUrl,
                { { "grant_type", "authorization_code" }, { "code", redirect.locationParam("code") },
                    { "redirect_uri", testing::SandboxHttp::redirectUri() }, { "client_id", "ondevice-demo" },
                    { "code_verifier", verifier } },
                { { "DPoP", proof.value() } });
            QVERIFY(nonces.remember(tokenUrl, reply.header("dpop-nonce")));
            if (reply.status == 200)
                tokens = reply.json();
        }
        QCOMPARE(tokens.value("token_type").toString(), QStringLiteral("DPoP"));
        const QByteArray refreshToken = tokens.value("refresh_token").toString().toLatin1();

        // With the key: refreshed, DPoP again, and the nonce of the answer kept.
        DpopNonces fresh; // no nonce yet: the server asks, the client answers once
        const auto refreshed
            = testing::await(client.refresh(tokenUrl, "ondevice-demo", refreshToken, {}, { m_key.get(), &fresh }));
        QVERIFY(refreshed && refreshed->ok());
        QCOMPARE(refreshed->value().tokenType, TokenResponse::Type::DPoP);
        QVERIFY(!refreshed->value().typeMismatch(true));
        QVERIFY(!fresh.nonceFor(tokenUrl).isEmpty());

        // The refresh token alone, as if leaked: refused.
        const auto leaked
            = testing::await(client.refresh(tokenUrl, "ondevice-demo", refreshed->value().refreshToken, {}, {}));
        QVERIFY(leaked && !leaked->ok());
        QVERIFY(leaked->failure().detail.contains(QLatin1String("invalid_dpop_proof")));

        const QJsonObject stats = http.get(QUrl(sandbox.adminBase().toString() + "/stats")).json();
        // One refusal for the code exchange that had no nonce, one for the refresh that had none.
        QCOMPARE(stats.value("binding_failures").toObject().value("use_dpop_nonce").toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_TokenClient)
#include "tst_TokenClient.moc"
