#include "auth/ConnectionManager.h"
#include "auth/DeviceKey.h"
#include "auth/Dpop.h"
#include "auth/Session.h"
#include "auth/TokenClient.h"
#include "fhir/FhirClient.h"

#include "AppTestEnvironment.h"
#include "SandboxHttp.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTest>

using namespace ondevice;
using namespace ondevice::auth;
using namespace ondevice::fhir;

// DPoP (RFC 9449) in the app against the sandbox: the token client refreshes a bound grant with a proof by its
// key through the server's nonces; a bound connection's Session reads its key from the keychain, refreshes and
// syncs through rotating nonces; its refresh token alone is refused; Forget removes the key.
class tst_DpopBinding : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    testing::AppTestEnvironment m_env;
    std::unique_ptr<SoftwareDeviceKey> m_key;

    // A DPoP-bound grant for the first patient: the first code exchange is refused for want of a nonce (the
    // sandbox demands them), the second carries the one it was given.
    QJsonObject boundLogin(testing::SandboxHttp& http, DpopNonces& nonces) const
    {
        const QUrl tokenUrl = http.authUrl("token");
        for (int attempt = 0; attempt < 3; ++attempt) {
            auto proof = makeDpopProof(
                *m_key, { "POST", tokenUrl, {}, nonces.nonceFor(tokenUrl) }, QDateTime::currentDateTimeUtc());
            if (!proof)
                return {};
            const QString verifier = testing::SandboxHttp::newVerifier();
            const auto redirect = http.authorize(http.authorizeParams(
                testing::SandboxHttp::defaultScope(), testing::SandboxHttp::challengeFor(verifier)));
            const auto reply = http.postForm(tokenUrl,
                { { "grant_type", "authorization_code" }, { "code", redirect.locationParam("code") },
                    { "redirect_uri", testing::SandboxHttp::redirectUri() }, { "client_id", "ondevice-demo" },
                    { "code_verifier", verifier } },
                { { "DPoP", proof.value() } });
            nonces.remember(tokenUrl, reply.header("dpop-nonce"));
            if (reply.status == 200)
                return reply.json();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_env.setUp(); // a private HOME that ondevice-cli shares
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
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
        const QJsonObject tokens = boundLogin(http, nonces);
        QCOMPARE(tokens.value("token_type").toString(), QStringLiteral("DPoP"));
        const QByteArray refreshToken = tokens.value("refresh_token").toString().toLatin1();

        // With the key: refreshed, DPoP again, and the nonce of the answer kept.
        DpopNonces fresh; // no nonce yet: the server asks, the client answers once
        const auto refreshed = testing::await(
            client.refresh(tokenUrl, "ondevice-demo", refreshToken, {}, DpopSigner { m_key.get(), &fresh }));
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

    void aConnectionIsBoundAtConnectAndRefreshesSyncsAndForgetsWithItsKey()
    {
        testing::SandboxProcess sandbox;
        QCOMPARE(sandbox.start({ "--auto-approve", "first", "--dpop-nonce", "2" }), QString());
        testing::SandboxHttp http(sandbox);
        // Connect binds: the code exchange (asked again for the server's nonce) carried a proof by a key made
        // here, the tokens are DPoP, and the key is the connection's third keychain item.
        const auto outcome = m_env.connect(sandbox);
        QVERIFY(outcome);
        const Connection connected = outcome->connection;
        QVERIFY(outcome->deviceKey);
        const auto stored = m_env.stored(connected.id);
        QVERIFY(stored && stored->isDpopBound());
        QCOMPARE(stored->keyThumbprint, outcome->deviceKey->thumbprint());
        QCOMPARE(stored->keyAlgorithm, QStringLiteral("ES384"));
        const auto keyItem = testing::await(m_env.secrets().read(connected.deviceKeyKey()));
        QVERIFY(keyItem && keyItem->ok());
        auto readBack = SoftwareDeviceKey::fromKeychainValue(keyItem->value());
        QVERIFY(readBack && readBack.value()->thumbprint() == stored->keyThumbprint);

        // A new Session reads the key from the keychain and refreshes with it.
        Session session(*stored, m_env.services());
        const auto refreshed = testing::await(session.refresh());
        QVERIFY2(
            refreshed && refreshed->ok(), refreshed && !refreshed->ok() ? qPrintable(refreshed->failure().detail) : "");

        // Four searches at a time, in three rounds across nonce rotations: all arrive.
        FhirClient client(m_env.network(), session, stored->fhirBase);
        const QStringList types { "Observation", "Condition", "Encounter", "Immunization" };
        for (int round = 0; round < 3; ++round) {
            QList<QFuture<FhirResult<BundlePage>>> pages;
            for (const QString& type : types)
                pages << client.search(client.url(type + "?patient=" + stored->patientId));
            for (auto& page : pages) {
                const auto result = testing::await(page);
                QVERIFY2(result && result->ok(), result && !result->ok() ? qPrintable(result->failure().detail) : "");
            }
            QTest::qWait(2100);
        }
        const QJsonObject stats = http.get(QUrl(sandbox.adminBase().toString() + "/stats")).json();
        const int rotations = stats.value("dpop_nonce_rotations").toInt();
        const int nonceRefusals = stats.value("binding_failures").toObject().value("use_dpop_nonce").toInt();
        QVERIFY(rotations >= 2);
        qInfo("%d nonce rotations, %d use_dpop_nonce refusals (12 searches, 4 at a time)", rotations, nonceRefusals);
        // The code exchange and the refresh may each meet one; the searches at most four a rotation.
        QVERIFY2(nonceRefusals <= (rotations + 1) * 4 + 2,
            qPrintable(QStringLiteral("%1 nonce refusals over %2 rotations").arg(nonceRefusals).arg(rotations)));
        // Every token request went the bound route: the code exchange and the refresh (the exchange's first try,
        // refused for its nonce, counts as a binding failure); none as Bearer.
        QCOMPARE(stats.value("token_requests_by_binding").toObject().value("dpop").toInt(), 2);
        QCOMPARE(stats.value("token_requests_by_binding").toObject().value("bearer").toInt(), 0);

        // The refresh token read out of the keychain and presented without the key: refused.
        const auto token = testing::await(m_env.secrets().read(connected.refreshTokenKey()));
        QVERIFY(token && token->ok());
        const auto leaked = http.refresh(QString::fromLatin1(token->value()));
        QCOMPARE(leaked.status, 400);
        QCOMPARE(leaked.json().value("error").toString(), QStringLiteral("invalid_dpop_proof"));

        // ondevice-cli names the route and the key (its thumbprint, never the key).
        const testing::CliRun status = m_env.cli({ "status", "--json" }, this);
        QVERIFY2(status.exitCode == 0, status.err.constData());
        const QJsonObject entry
            = QJsonDocument::fromJson(status.out).object().value("connections").toArray().first().toObject();
        QVERIFY2(entry.value("binding").toString() == QLatin1String("dpop"), status.out.constData());
        QCOMPARE(entry.value("dpop").toBool(), true);
        QCOMPARE(entry.value("key_thumbprint").toString(), stored->keyThumbprint);
        QVERIFY(!status.out.contains(keyItem->value()));

        // Forget leaves no keychain item behind, the device key included.
        ConnectionManager manager(m_env.services(), [](const QUrl&) {});
        QVERIFY(testing::await(manager.forget(connected.id))->ok());
        for (const QString& item : { connected.refreshTokenKey(), connected.dataKeyKey(), connected.deviceKeyKey() }) {
            const auto read = testing::await(m_env.secrets().read(item));
            QVERIFY(read && !read->ok() && read->code() == SecretError::NotFound);
        }
    }
};

QTEST_GUILESS_MAIN(tst_DpopBinding)
#include "tst_DpopBinding.moc"
