// The one HTTP path of every auth request (auth/Http.h) against real local servers, plain and TLS:
// a refresh token or an authorization code never follows a redirect to another origin, and never from
// https down to http.

#include "auth/Http.h"

#include "TestSupport.h"
#include "TinyHttpServer.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace ondevice;
using ondevice::testing::TinyHttpServer;

class tst_AuthHttp : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    const QByteArray m_form = auth::formEncode({ { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), QStringLiteral("rt-secret-value") },
        { QStringLiteral("client_id"), QStringLiteral("app") } });

    TinyHttpServer::Response tokenAnswer()
    {
        return { 200, "application/json", R"({"access_token":"at","token_type":"Bearer","expires_in":3600})", {} };
    }

private Q_SLOTS:
    void initTestCase() { ondevice::testing::enterTestMode(); }

    void postOverTlsReachesTheServer()
    {
        TinyHttpServer secure;
        QVERIFY(secure.listenTls());
        secure.trustInThisProcess();
        secure.setHandler([&](const TinyHttpServer::Request&) { return tokenAnswer(); });
        const auto result = testing::await(
            auth::postForm(m_network, auth::authRequest(secure.url("/token"), "application/json"), m_form));
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(secure.requests().size(), 1);
        QCOMPARE(TinyHttpServer::formField(secure.requests().first().body, QStringLiteral("refresh_token")),
            QStringLiteral("rt-secret-value"));
    }

    // 307 and 308 repeat a POST with its body: followed, they would hand the refresh token to whoever the
    // Location names.
    void redirectsNeverCarryTheRefreshToken_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<int>("status");
        QTest::newRow("https to http, 307") << true << 307;
        QTest::newRow("https to http, 308") << true << 308;
        QTest::newRow("https to http, 302") << true << 302;
        QTest::newRow("http to another port, 307") << false << 307;
    }

    void redirectsNeverCarryTheRefreshToken()
    {
        QFETCH(bool, tls);
        QFETCH(int, status);
        TinyHttpServer target;
        QVERIFY(target.listen());
        target.setHandler([&](const TinyHttpServer::Request&) { return tokenAnswer(); });
        TinyHttpServer server;
        QVERIFY(tls ? server.listenTls() : server.listen());
        if (tls)
            server.trustInThisProcess();
        const QByteArray location = target.url("/token").toEncoded();
        server.setHandler([&](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { status, "text/plain", {}, { { "Location", location } } };
        });
        const auto result = testing::await(
            auth::postForm(m_network, auth::authRequest(server.url("/token"), "application/json"), m_form));
        QVERIFY(result);
        // The answer was the redirect itself (so TLS worked), refused as an insecure redirect.
        QCOMPARE(result->status, status);
        QVERIFY(result->error == QNetworkReply::InsecureRedirectError);
        QCOMPARE(server.requests().size(), 1);
        QTest::qWait(100);
        QVERIFY(target.requests().isEmpty());
    }

    void getRedirectFromHttpsToHttpIsNotFollowed()
    {
        TinyHttpServer target;
        QVERIFY(target.listen());
        TinyHttpServer server;
        QVERIFY(server.listenTls());
        server.trustInThisProcess();
        const QByteArray location = target.url("/.well-known/smart-configuration").toEncoded();
        server.setHandler([&](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 301, "text/plain", {}, { { "Location", location } } };
        });
        const auto result = testing::await(auth::get(
            m_network, auth::authRequest(server.url("/.well-known/smart-configuration"), "application/json")));
        QVERIFY(result);
        QVERIFY(result->status != 200);
        QCOMPARE(server.requests().size(), 1);
        QTest::qWait(100);
        QVERIFY(target.requests().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_AuthHttp)
#include "tst_AuthHttp.moc"
