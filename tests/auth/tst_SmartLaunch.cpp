// The browser leg and the code exchange, with the Qt 6.4 workarounds, against
// a real local HTTP token endpoint and a raw-socket "browser".

#include "auth/SmartLaunch.h"

#include "TestSupport.h"
#include "TinyHttpServer.h"

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace ondevice::auth;
using ondevice::testing::TinyHttpServer;

namespace {

// Plain literals: moc's tokenizer trips over raw strings with quotes in them.
const QByteArray kTokenJson = "{\"access_token\":\"at-1\",\"token_type\":\"bearer\",\"expires_in\":300,"
                              "\"refresh_token\":\"rt+1/x=\",\"patient\":\"p1\",\"scope\":\"openid patient/*.rs\"}";
const QByteArray kInvalidGrantJson = "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}";

// What a browser does with the redirect: one GET, returns the raw answer (or
// nothing when none comes within waitMs).
QByteArray browserGet(quint16 port, const QByteArray& target, int waitMs = 3000, const QByteArray& host = {})
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (!socket.waitForConnected(3000))
        return "CONNECT FAILED";
    socket.write("GET " + target + " HTTP/1.1\r\nHost: "
        + (host.isEmpty() ? "127.0.0.1:" + QByteArray::number(port) : host) + "\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    QDeadlineTimer deadline(waitMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        QTest::qWait(20);
        answer += socket.readAll();
    }
    answer += socket.readAll();
    return answer;
}

} // namespace

class tst_SmartLaunch : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    TinyHttpServer m_server;
    QList<QUrl> m_opened;

    SmartConfiguration configuration() const
    {
        SmartConfiguration c;
        c.fhirBase = m_server.url(QStringLiteral("/fhir"));
        c.authorizationEndpoint = m_server.url(QStringLiteral("/authorize"));
        c.tokenEndpoint = m_server.url(QStringLiteral("/token"));
        c.codeChallengeMethods = { QStringLiteral("S256") };
        c.capabilities = { QStringLiteral("permission-v2") };
        return c;
    }

    std::unique_ptr<SmartLaunch> makeLaunch()
    {
        return std::make_unique<SmartLaunch>(m_network, [this](const QUrl& url) { m_opened << url; });
    }

    static QUrlQuery queryOf(const QUrl& url) { return QUrlQuery(url.query(QUrl::FullyEncoded)); }
    static QString param(const QUrl& url, const QString& name)
    {
        return queryOf(url).queryItemValue(name, QUrl::FullyDecoded);
    }
    int tokenRequests() const
    {
        int n = 0;
        for (const auto& r : m_server.requests())
            n += r.target.startsWith("/token") ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        ondevice::testing::enterTestMode();
        QVERIFY(m_server.listen());
        m_server.setHandler([](const TinyHttpServer::Request& r) {
            if (r.target == "/token")
                return TinyHttpServer::Response { 200, "application/json", kTokenJson, {} };
            return TinyHttpServer::Response { 404, "text/plain", "no", {} };
        });
    }

    void init() { m_opened.clear(); }

    void authorizationUrlCarriesPkceStateAndAudience()
    {
        auto launch = makeLaunch();
        auto future = launch->start({ configuration(), QStringLiteral("my-client"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const QUrl url = m_opened.first();
        QCOMPARE(url.path(), QStringLiteral("/authorize"));
        QCOMPARE(param(url, QStringLiteral("response_type")), QStringLiteral("code"));
        QCOMPARE(param(url, QStringLiteral("client_id")), QStringLiteral("my-client"));
        QCOMPARE(param(url, QStringLiteral("aud")), configuration().fhirBase.toString());
        QCOMPARE(param(url, QStringLiteral("scope")),
            QStringLiteral("openid fhirUser launch/patient offline_access patient/*.rs"));
        QCOMPARE(param(url, QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(param(url, QStringLiteral("code_challenge")).size(), 43);
        // >= 128 bits: 43 base64url characters carry 256.
        QVERIFY(param(url, QStringLiteral("state")).size() >= 22);
        const QUrl redirect(param(url, QStringLiteral("redirect_uri")));
        QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(redirect.path(), QStringLiteral("/callback"));
        QVERIFY(redirect.port() > 0);
        QCOMPARE(launch->redirectUri(), redirect.toString());
        // Each parameter exactly once (no double PKCE on any Qt version).
        // A server decodes the query as a form: "+" is a space there, so
        // a "+" or "&" in a value must arrive percent-encoded.
        auto odd = makeLaunch();
        odd->start({ configuration(), QStringLiteral("id+with&odd=chars"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 2);
        QCOMPARE(
            TinyHttpServer::formField(m_opened.last().query(QUrl::FullyEncoded).toUtf8(), QStringLiteral("client_id")),
            QStringLiteral("id+with&odd=chars"));
        odd->cancel();
        QCOMPARE(queryOf(url).allQueryItemValues(QStringLiteral("code_challenge")).size(), 1);
        launch->cancel();
        QTRY_VERIFY(future.isFinished());
        QVERIFY(future.result().code() == AuthError::Cancelled);
    }

    void everyGrantGetsAFreshState()
    {
        auto launch = makeLaunch();
        launch->start({ configuration(), QStringLiteral("c"), 0, {} });
        launch->start({ configuration(), QStringLiteral("c"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 2);
        QVERIFY(param(m_opened[0], QStringLiteral("state")) != param(m_opened[1], QStringLiteral("state")));
        QVERIFY(param(m_opened[0], QStringLiteral("code_challenge"))
            != param(m_opened[1], QStringLiteral("code_challenge")));
    }

    void badCallbacksNeverReachTheTokenEndpoint_data()
    {
        QTest::addColumn<QByteArray>("query"); // %STATE% is replaced by the real state
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("wrong state") << QByteArray("code=abc&state=not-the-state") << QByteArray("/callback") << 400;
        QTest::newRow("missing state") << QByteArray("code=abc") << QByteArray("/callback") << 400;
        QTest::newRow("empty state") << QByteArray("code=abc&state=") << QByteArray("/callback") << 400;
        QTest::newRow("error with wrong state")
            << QByteArray("error=access_denied&state=forged") << QByteArray("/callback") << 400;
        QTest::newRow("state twice") << QByteArray("code=abc&state=%STATE%&state=%STATE%") << QByteArray("/callback")
                                     << 400;
        QTest::newRow("prefix path") << QByteArray("code=abc&state=%STATE%") << QByteArray("/callbackx") << 404;
        QTest::newRow("sub path") << QByteArray("code=abc&state=%STATE%") << QByteArray("/callback/x") << 404;
        QTest::newRow("other path") << QByteArray("code=abc&state=%STATE%") << QByteArray("/") << 404;
    }

    void badCallbacksNeverReachTheTokenEndpoint()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, path);
        QFETCH(int, status);
        const int before = tokenRequests();
        auto launch = makeLaunch();
        QStringList rejected;
        connect(launch.get(), &SmartLaunch::callbackRejected, this, [&](const QString& why) { rejected << why; });
        auto future = launch->start({ configuration(), QStringLiteral("c"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const quint16 port = static_cast<quint16>(QUrl(launch->redirectUri()).port());
        query.replace("%STATE%", param(m_opened.first(), QStringLiteral("state")).toLatin1());

        const QByteArray answer = browserGet(port, path + '?' + query);
        QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))), answer.left(40).constData());
        QCOMPARE(rejected.size(), 1);
        QTest::qWait(100);
        QCOMPARE(tokenRequests(), before);
        QVERIFY(!future.isFinished()); // still waiting for the real callback
    }

    void wrongHostHeaderIsRejected()
    {
        auto launch = makeLaunch();
        launch->start({ configuration(), QStringLiteral("c"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const quint16 port = static_cast<quint16>(QUrl(launch->redirectUri()).port());
        const QByteArray state = param(m_opened.first(), QStringLiteral("state")).toLatin1();
        const QByteArray answer
            = browserGet(port, "/callback?code=x&state=" + state, 3000, "evil.example:" + QByteArray::number(port));
        QVERIFY(answer.startsWith("HTTP/1.1 400"));
    }

    void deniedWithTheRightStateIsAClearError()
    {
        const int before = tokenRequests();
        auto launch = makeLaunch();
        auto future = launch->start({ configuration(), QStringLiteral("c"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const quint16 port = static_cast<quint16>(QUrl(launch->redirectUri()).port());
        const QByteArray state = param(m_opened.first(), QStringLiteral("state")).toLatin1();
        const QByteArray answer
            = browserGet(port, "/callback?error=access_denied&error_description=User+said+no&state=" + state);
        QVERIFY(answer.startsWith("HTTP/1.1 400"));
        QVERIFY(answer.contains("Not connected"));
        QTRY_VERIFY(future.isFinished());
        QVERIFY(future.result().code() == AuthError::AccessDenied);
        QVERIFY(!future.result().failure().message.isEmpty());
        QCOMPARE(tokenRequests(), before);
    }

    void codeExchangeEncodesValuesExactlyOnce()
    {
        auto launch = makeLaunch();
        auto future = launch->start({ configuration(), QStringLiteral("client id+1"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const QUrl authorize = m_opened.first();
        const quint16 port = static_cast<quint16>(QUrl(launch->redirectUri()).port());
        const QByteArray state = param(authorize, QStringLiteral("state")).toLatin1();
        const int before = m_server.requests().size();

        // The code, as the server sends it form-encoded in the redirect:
        // "a+b/c%d e" -> a%2Bb%2Fc%25d+e
        QTcpSocket browser;
        browser.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        QVERIFY(browser.waitForConnected(3000));
        browser.write("GET /callback?code=a%2Bb%2Fc%25d+e&state=" + state
            + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n\r\n");

        QTRY_VERIFY(future.isFinished());
        QVERIFY2(future.result().ok(), qPrintable(future.result().ok() ? QString() : future.result().failure().detail));
        const TokenResponse tokens = future.result().value();
        QCOMPARE(tokens.accessToken, QByteArray("at-1"));
        QCOMPARE(tokens.refreshToken, QByteArray("rt+1/x="));
        QCOMPARE(tokens.patient, QStringLiteral("p1"));

        QCOMPARE(m_server.requests().size(), before + 1);
        const auto& request = m_server.requests().last();
        QCOMPARE(request.method, QByteArray("POST"));
        QVERIFY(request.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
        const QByteArray body = request.body;
        QCOMPARE(TinyHttpServer::formField(body, QStringLiteral("grant_type")), QStringLiteral("authorization_code"));
        QCOMPARE(TinyHttpServer::formField(body, QStringLiteral("code")), QStringLiteral("a+b/c%d e"));
        QCOMPARE(TinyHttpServer::formField(body, QStringLiteral("client_id")), QStringLiteral("client id+1"));
        QCOMPARE(TinyHttpServer::formField(body, QStringLiteral("redirect_uri")), launch->redirectUri());
        const QString verifier = TinyHttpServer::formField(body, QStringLiteral("code_verifier"));
        QCOMPARE(verifier.size(), 43);
        QCOMPARE(pkceChallenge(verifier), param(authorize, QStringLiteral("code_challenge")));
        int verifierCount = 0;
        for (const auto& [k, v] : TinyHttpServer::formFields(body))
            verifierCount += k == QLatin1String("code_verifier") ? 1 : 0;
        QCOMPARE(verifierCount, 1);

        // The browser tab is answered only once the caller says how it ended.
        QTest::qWait(200);
        QVERIFY(browser.readAll().isEmpty());
        launch->finishBrowser(true, QStringLiteral("All set"));
        QTRY_VERIFY(browser.bytesAvailable() > 0 || browser.state() != QAbstractSocket::ConnectedState);
        browser.waitForReadyRead(1000);
        const QByteArray answer = browser.readAll();
        QVERIFY(answer.startsWith("HTTP/1.1 200"));
        QVERIFY(answer.contains("All set"));

        // The listener closed after the first good callback.
        QCOMPARE(browserGet(port, "/callback?code=x&state=" + state, 500), QByteArray("CONNECT FAILED"));
    }

    void tokenEndpointErrorsSurface()
    {
        TinyHttpServer failing;
        QVERIFY(failing.listen());
        failing.setHandler([](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 400, "application/json", kInvalidGrantJson, {} };
        });
        SmartConfiguration c = configuration();
        c.tokenEndpoint = failing.url(QStringLiteral("/token"));
        auto launch = makeLaunch();
        auto future = launch->start({ c, QStringLiteral("c"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const quint16 port = static_cast<quint16>(QUrl(launch->redirectUri()).port());
        const QByteArray state = param(m_opened.first(), QStringLiteral("state")).toLatin1();
        const QByteArray answer = browserGet(port, "/callback?code=abc&state=" + state, 5000);
        QVERIFY(answer.startsWith("HTTP/1.1 400")); // the browser hears the truth
        QTRY_VERIFY(future.isFinished());
        // At the code exchange there is no grant to end yet: a refused code is a refused sign-in, in the
        // server's words, never "your provider has ended this app's access".
        QVERIFY(future.result().code() == AuthError::OAuth);
        QVERIFY(future.result().failure().detail.contains(QStringLiteral("code expired")));
        const QString message = future.result().failure().message;
        QVERIFY2(message.contains(QStringLiteral("refused this sign-in (invalid_grant: code expired)")),
            qPrintable(message));
        QVERIFY(!message.contains(QStringLiteral("ended")));
        QVERIFY(answer.contains("refused this sign-in"));
        // The page the browser gets loads and runs nothing.
        QVERIFY(answer.contains("\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src "
                                "data:; form-action 'none';"));
    }

    void authorizationResponseIssuer_data()
    {
        QTest::addColumn<bool>("required"); // authorization_response_iss_parameter_supported
        QTest::addColumn<QByteArray>("iss"); // the callback's iss, percent-encoded; "-" for none
        QTest::addColumn<bool>("exchanged");
        const QByteArray issuer = "https%3A%2F%2Fehr.example%2Ffhir";
        QTest::newRow("the issuer") << true << issuer << true;
        QTest::newRow("another server") << false << QByteArray("https%3A%2F%2Fevil.example%2Ffhir") << false;
        QTest::newRow("a trailing slash more") << false << QByteArray(issuer + "%2F") << false;
        QTest::newRow("none, not promised") << false << QByteArray("-") << true;
        QTest::newRow("none, promised") << true << QByteArray("-") << false;
    }

    // RFC 9207: a response from another server than the one discovered (mix-up) is never exchanged.
    void authorizationResponseIssuer()
    {
        QFETCH(bool, required);
        QFETCH(QByteArray, iss);
        QFETCH(bool, exchanged);
        SmartConfiguration c = configuration();
        c.issuer = QStringLiteral("https://ehr.example/fhir");
        c.authorizationResponseIss = required;
        auto launch = makeLaunch();
        auto future = launch->start({ c, QStringLiteral("c"), 0, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        const quint16 port = static_cast<quint16>(QUrl(launch->redirectUri()).port());
        const QByteArray state = param(m_opened.first(), QStringLiteral("state")).toLatin1();
        const int before = m_server.requests().size();
        const QByteArray answer
            = browserGet(port, "/callback?code=abc&state=" + state + (iss == "-" ? QByteArray() : "&iss=" + iss), 5000);
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result().ok(), exchanged);
        QCOMPARE(m_server.requests().size(), before + (exchanged ? 1 : 0));
        if (!exchanged) {
            QVERIFY(future.result().code() == AuthError::IssuerMismatch);
            QVERIFY(
                future.result().failure().message.contains(QStringLiteral("did not come from the server you chose")));
            QVERIFY(answer.startsWith("HTTP/1.1 400"));
        }
    }

    void listensOnLoopbackOnlyAndTheRegisteredPort()
    {
        // Find a free port, then ask for exactly it.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 wanted = probe.serverPort();
        probe.close();
        auto launch = makeLaunch();
        launch->start({ configuration(), QStringLiteral("c"), wanted, {} });
        QTRY_COMPARE(m_opened.size(), 1);
        QCOMPARE(QUrl(launch->redirectUri()).port(), int(wanted));
        // 127.0.0.2 is loopback too, but not the address we bound.
        QTcpSocket other;
        other.connectToHost(QHostAddress(QStringLiteral("127.0.0.2")), wanted);
        QVERIFY(!other.waitForConnected(1000));
    }

    void registeredPortInUseIsAClearError()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        auto launch = makeLaunch();
        auto future = launch->start({ configuration(), QStringLiteral("c"), squatter.serverPort(), {} });
        QTRY_VERIFY(future.isFinished());
        QVERIFY(!future.result().ok());
        QVERIFY(future.result().failure().message.contains(QString::number(squatter.serverPort())));
        QVERIFY(m_opened.isEmpty()); // no browser for a launch that cannot finish
    }

    void timeLimitClosesTheListener()
    {
        auto launch = makeLaunch();
        launch->setTimeLimit(std::chrono::milliseconds(300));
        auto future = launch->start({ configuration(), QStringLiteral("c"), 0, {} });
        QTRY_VERIFY(future.isFinished());
        QVERIFY(future.result().code() == AuthError::TimedOut);
    }
};

QTEST_GUILESS_MAIN(tst_SmartLaunch)
#include "tst_SmartLaunch.moc"
