// FhirClient against a real local HTTP server that misbehaves on purpose.

#include "fhir/FhirClient.h"
#include "fhir/RawJson.h"

#include "TestSupport.h"
#include "TinyHttpServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>

using namespace ondevice;
using namespace ondevice::fhir;
using ondevice::testing::TinyHttpServer;

namespace {

// The interface seam FhirClient talks to; the real one is auth::Session
// (exercised against the sandbox in tst_SyncEngine). Hands out "token-N".
class CountingTokens : public auth::AccessTokenProvider {
public:
    int issued = 0;
    QList<QByteArray> invalidated;
    QByteArray current = "token-0";
    void accessToken(QObject*, std::function<void(const auth::AccessToken&)> done) override
    {
        done(auth::AccessToken(current));
    }
    void invalidate(const QByteArray& rejected) override
    {
        invalidated << rejected;
        current = "token-" + QByteArray::number(++issued);
    }
};

// A provider whose tokens are bound to a key, as a DPoP Session is: its own scheme and a "proof" header that
// names the request and the nonce it has; a 401 that asks for a nonce is answered by keeping it.
class BoundTokens : public CountingTokens {
public:
    QByteArray nonce;
    QList<QByteArray> asked; // "GET <url>" per requestHeaders call
    Expected<auth::RequestHeaders, auth::AccessError> requestHeaders(
        const QByteArray& method, const QUrl& url, const QByteArray& token) override
    {
        asked << method + ' ' + url.toEncoded();
        return auth::RequestHeaders { { "Authorization", "DPoP " + token }, { "DPoP", "proof;nonce=" + nonce } };
    }
    bool serverAnswered(const QUrl&, int status, const QByteArray& dpopNonce, const QByteArray& challenge) override
    {
        if (!dpopNonce.isEmpty())
            nonce = dpopNonce;
        return status == 401 && challenge.contains("use_dpop_nonce") && !dpopNonce.isEmpty();
    }
};

QByteArray bundle(int entries, const QString& next = {})
{
    QJsonArray list;
    for (int i = 0; i < entries; ++i)
        list << QJsonObject { { "resource",
            QJsonObject { { "resourceType", "Observation" }, { "id", QStringLiteral("o%1").arg(i) } } } };
    QJsonObject b { { "resourceType", "Bundle" }, { "type", "searchset" }, { "total", entries }, { "entry", list } };
    if (!next.isEmpty())
        b["link"] = QJsonArray { QJsonObject { { "relation", "next" }, { "url", next } } };
    return QJsonDocument(b).toJson(QJsonDocument::Compact);
}

TinyHttpServer::Response ok(const QByteArray& body)
{
    return { 200, "application/fhir+json", body, { { "Date", "Sat, 28 Nov 2026 12:00:00 GMT" } } };
}

} // namespace

class tst_FhirClient : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    FhirClientOptions fastOptions()
    {
        FhirClientOptions o;
        o.backoffBaseMs = 20;
        o.backoffCapMs = 2000;
        return o;
    }

private Q_SLOTS:
    void initTestCase() { ondevice::testing::enterTestMode(); }

    void pageWithNextLinkAndServerDate()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        const QString next = server.url("/fhir/Observation?page=2").toString();
        server.setHandler([&](const TinyHttpServer::Request&) { return ok(bundle(3, next)); });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Observation?patient=p1")));
        QVERIFY(page && page->ok());
        QCOMPARE(page->value().resources.size(), 3);
        QCOMPARE(page->value().next.value(), QUrl(next));
        QCOMPARE(page->value().total.value(), 3);
        QCOMPARE(page->value().serverDate, QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC));
        QCOMPARE(server.requests().first().header("Authorization"), QByteArray("Bearer token-0"));
        QCOMPARE(server.requests().first().header("Accept"), QByteArray("application/fhir+json"));
    }

    // Records are kept as the bytes the server sent (pretty-printed, keys in its order, strings with braces,
    // quotes and escapes inside), one per entry with a resource; entries without one are skipped.
    void pageKeepsTheServersBytes()
    {
        const QByteArray first
            = "{\n    \"resourceType\": \"Observation\", \"id\": \"o1\",\n"
              "    \"note\": [ { \"text\": \"a } and a ] and a \\\" and a \\\\ and {\\\"x\\\": [1]}\" } ],\n"
              "    \"valueQuantity\": { \"value\": -1.5e2, \"unit\": \"\\u00b5g\" }, \"flag\": true, \"none\": null\n  "
              "}";
        const QByteArray second = "{\"id\":\"c1\",\"resourceType\":\"Condition\",\"code\":{\"text\":\"Fever [high]\"}}";
        const QByteArray body = "{ \"resourceType\" : \"Bundle\", \"type\": \"searchset\", \"total\": 2,\n"
                                "  \"link\": [ { \"relation\": \"self\", \"url\": \"x\" } ],\n"
                                "  \"entry\": [\n"
                                "    { \"fullUrl\": \"u1\", \"resource\" : "
            + first
            + ", \"search\": { \"mode\": \"match\" } },\n"
              "    { \"search\": { \"mode\": \"outcome\" }, \"resource\": { \"resourceType\": \"OperationOutcome\", "
              "\"id\": \"w\" } },\n"
              "    { \"fullUrl\": \"no resource here\" },\n"
              "    { \"resource\": "
            + second
            + " }\n"
              "  ]\n}\n";
        const auto spans = bundleEntryResources(body);
        QVERIFY(spans);
        QCOMPARE(spans->size(), 4);
        QCOMPARE(spans->at(0).toByteArray(), first);
        QVERIFY(spans->at(2).isEmpty());
        QCOMPARE(spans->at(3).toByteArray(), second);
        const auto page = FhirClient::parseBundle(body, OriginPolicy(QUrl("http://127.0.0.1:1/fhir")), 64);
        QVERIFY(page);
        QCOMPARE(page.value().resources, (QList<QByteArray> { first, second }));
        QCOMPARE(page.value().indexes.at(0).id, QStringLiteral("o1"));
        QCOMPARE(page.value().indexes.at(1).type, QStringLiteral("Condition"));
    }

    // What the slicer cannot be sure of, it leaves to QJsonDocument: a key written with escapes, a repeated
    // key, text that is not JSON. The page still holds each record, serialised from the parsed object.
    void pageFallsBackWhenTheTextIsAmbiguous_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("escaped key") << QByteArray("{\"resourceType\":\"Bundle\",\"entr\\u0079\":[{\"resource\":{"
                                                   "\"resourceType\":\"Patient\",\"id\":\"p\"}}]}");
        QTest::newRow("escaped resource key")
            << QByteArray("{\"resourceType\":\"Bundle\",\"entry\":[{\"r\\u0065source\":{\"resourceType\":\"Patient\","
                          "\"id\":\"p\"}}]}");
        QTest::newRow("repeated resource")
            << QByteArray("{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"id\":"
                          "\"x\"},\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p\"}}]}");
    }

    void pageFallsBackWhenTheTextIsAmbiguous()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!bundleEntryResources(body));
        const QJsonDocument parsed = QJsonDocument::fromJson(body);
        const auto page = FhirClient::parseBundle(body, OriginPolicy(QUrl("http://127.0.0.1:1/fhir")), 64);
        QVERIFY(page);
        QCOMPARE(page.value().resources.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(page.value().resources.first()).object(),
            parsed.object().value("entry").toArray().first().toObject().value("resource").toObject());
        QCOMPARE(page.value().indexes.first().id, QStringLiteral("p"));
    }

    void slicerRefusesWhatIsNotJson_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("cut off in a string") << QByteArray("{\"entry\":[{\"resource\":{\"id\":\"a}");
        QTest::newRow("cut off in the array") << QByteArray("{\"entry\":[{\"resource\":{\"id\":\"a\"}}");
        QTest::newRow("trailing text") << QByteArray("{\"entry\":[]} x");
        QTest::newRow("not an object") << QByteArray("[{\"entry\":[]}]");
        QTest::newRow("entry twice") << QByteArray("{\"entry\":[],\"entry\":[]}");
    }

    void slicerRefusesWhatIsNotJson()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!bundleEntryResources(body));
    }

    void nextLinkToAnotherOriginIsRefused()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TinyHttpServer::Request&) {
            return ok(bundle(2, "https://evil.example/fhir/Observation?page=2"));
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Observation")));
        QVERIFY(page && !page->ok());
        QVERIFY(page->code() == FhirError::OffOrigin);
        // And a request aimed elsewhere is never sent with the bearer.
        const auto direct = testing::await(client.search(QUrl("http://127.0.0.2:1/fhir/Observation")));
        QVERIFY(direct && direct->code() == FhirError::OffOrigin);
    }

    void redirectToAnotherHostNeverCarriesTheToken()
    {
        TinyHttpServer other;
        QVERIFY(other.listen());
        TinyHttpServer server;
        QVERIFY(server.listen());
        const QByteArray elsewhere = other.url("/steal").toEncoded();
        server.setHandler([&](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 302, "text/plain", {}, { { "Location", elsewhere } } };
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Observation")));
        QVERIFY(page && !page->ok());
        QVERIFY(page->code() == FhirError::OffOrigin);
        QTest::qWait(100);
        QVERIFY(other.requests().isEmpty());
    }

    // From https down to http, even on the same host, a bearer never follows: the redirect is refused and the
    // plain server sees nothing. The control request first shows that TLS to this server itself works.
    void redirectFromHttpsToHttpNeverCarriesTheToken()
    {
        TinyHttpServer plain;
        QVERIFY(plain.listen());
        TinyHttpServer secure;
        QVERIFY(secure.listenTls());
        secure.trustInThisProcess();
        const QByteArray downgrade = plain.url("/fhir/Observation").toEncoded();
        secure.setHandler([&](const TinyHttpServer::Request& request) {
            if (request.target.startsWith("/fhir/Patient"))
                return ok(bundle(1));
            return TinyHttpServer::Response { 302, "text/plain", {}, { { "Location", downgrade } } };
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, secure.url("/fhir"), fastOptions());
        const auto control = testing::await(client.search(client.url("Patient?_id=p1")));
        QVERIFY(control && control->ok());
        const auto page = testing::await(client.search(client.url("Observation")));
        QVERIFY(page && !page->ok());
        QVERIFY(page->code() == FhirError::OffOrigin);
        QTest::qWait(100);
        QVERIFY(plain.requests().isEmpty());
        QCOMPARE(secure.requests().size(), 2);
        QCOMPARE(secure.requests().last().header("Authorization"), QByteArray("Bearer token-0"));
    }

    // JSON in any of its FHIR spellings, or with no type at all, is read; HTML and XML are not, whatever the
    // body looks like, and the failure says so plainly after the retries.
    void contentTypes_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("read");
        const QByteArray json = bundle(2);
        QTest::newRow("fhir+json") << QByteArray("application/fhir+json") << json << true;
        QTest::newRow("fhir+json, charset, capitals")
            << QByteArray("Application/FHIR+JSON; charset=UTF-8") << json << true;
        QTest::newRow("json") << QByteArray("application/json") << json << true;
        QTest::newRow("json+fhir (DSTU2 spelling)") << QByteArray("application/json+fhir") << json << true;
        QTest::newRow("no content type") << QByteArray() << json << true;
        QTest::newRow("a portal's HTML") << QByteArray("text/html; charset=utf-8")
                                         << QByteArray("<html><body>Please sign in to the Wi-Fi</body></html>")
                                         << false;
        QTest::newRow("JSON labelled HTML") << QByteArray("text/html") << json << false;
        QTest::newRow("FHIR XML") << QByteArray("application/fhir+xml")
                                  << QByteArray(
                                         "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"searchset\"/></Bundle>")
                                  << false;
        QTest::newRow("plain text") << QByteArray("text/plain") << json << false;
    }

    void contentTypes()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(bool, read);
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 200, contentType, body, {} };
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Observation")), 30000);
        QVERIFY(page);
        if (read) {
            QVERIFY(page->ok());
            QCOMPARE(page->value().resources.size(), 2);
            QCOMPARE(server.requests().size(), 1);
        } else {
            QVERIFY(!page->ok());
            QVERIFY(page->code() == FhirError::Unreadable);
            QVERIFY(!page->failure().message.isEmpty());
            QCOMPARE(server.requests().size(), fastOptions().maxAttempts);
        }
    }

    void transientErrorsAreRetried()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        int calls = 0;
        server.setHandler([&](const TinyHttpServer::Request&) {
            ++calls;
            if (calls == 1)
                return TinyHttpServer::Response { 503, "text/plain", "busy", {} };
            if (calls == 2)
                return TinyHttpServer::Response { 500, "application/fhir+json", "{}", {} };
            return ok(bundle(1));
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Condition")));
        QVERIFY(page && page->ok());
        QCOMPARE(calls, 3);
    }

    void rateLimitHonoursRetryAfter()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        int calls = 0;
        server.setHandler([&](const TinyHttpServer::Request&) {
            if (++calls == 1)
                return TinyHttpServer::Response { 429, "text/plain", "slow down", { { "Retry-After", "1" } } };
            return ok(bundle(1));
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        QElapsedTimer clock;
        clock.start();
        const auto page = testing::await(client.search(client.url("Condition")));
        QVERIFY(page && page->ok());
        QCOMPARE(calls, 2);
        QVERIFY(clock.elapsed() >= 900); // waited as told (a floor, not a timing target)
    }

    void cancelReachesARequestWaitingToRetry()
    {
        // A 429 asks for 30 s of patience; Cancel answers at once, and the
        // request is not sent again when the wait would have ended.
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 429, "text/plain", "slow down", { { "Retry-After", "30" } } };
        });
        CountingTokens tokens;
        FhirClientOptions options = fastOptions();
        options.backoffCapMs = 60000;
        FhirClient client(m_network, tokens, server.url("/fhir"), options);
        const QFuture<FhirResult<BundlePage>> page = client.search(client.url("Condition"));
        QTRY_COMPARE(server.requests().size(), 1);
        QTest::qWait(100); // the answer handled: now waiting out Retry-After
        QVERIFY(!page.isFinished());
        client.cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(page.isFinished(), 1000);
        QVERIFY(page.result().code() == FhirError::Cancelled);
        QCOMPARE(server.requests().size(), 1);
    }

    void givesUpAfterMaxAttempts()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 503, "text/plain", "down", {} };
        });
        CountingTokens tokens;
        FhirClientOptions options = fastOptions();
        options.maxAttempts = 3;
        FhirClient client(m_network, tokens, server.url("/fhir"), options);
        const auto page = testing::await(client.search(client.url("Condition")));
        QVERIFY(page && !page->ok());
        QVERIFY(page->code() == FhirError::Server);
        QCOMPARE(server.requests().size(), 3);
    }

    void unauthorizedRefreshesOnceAndRetriesOnce()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TinyHttpServer::Request& r) {
            if (r.header("Authorization") == "Bearer token-0")
                return TinyHttpServer::Response { 401, "text/plain", "expired", {} };
            return ok(bundle(1));
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Condition")));
        QVERIFY(page && page->ok());
        QCOMPARE(tokens.invalidated, QList<QByteArray> { "token-0" });
        QCOMPARE(server.requests().size(), 2);

        // A server that refuses every token: one retry, then a clear error.
        server.setHandler([](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 401, "text/plain", "no", {} };
        });
        const int before = server.requests().size();
        const auto refused = testing::await(client.search(client.url("Condition")));
        QVERIFY(refused && refused->code() == FhirError::Unauthorized);
        QCOMPARE(server.requests().size(), before + 2);
    }

    void aNonceRequestIsAnsweredOnceWithoutANewToken()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        const QByteArray challenge = "DPoP error=\"use_dpop_nonce\"";
        server.setHandler([&](const TinyHttpServer::Request& r) {
            if (r.header("DPoP") != "proof;nonce=n1")
                return TinyHttpServer::Response { 401, "application/json", "{}",
                    { { "WWW-Authenticate", challenge }, { "DPoP-Nonce", "n1" } } };
            return ok(bundle(1));
        });
        BoundTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Condition?patient=p1")));
        QVERIFY(page && page->ok());
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(server.requests().at(1).header("Authorization"), QByteArray("DPoP token-0"));
        QVERIFY(tokens.invalidated.isEmpty()); // the token was fine: only the nonce was missing
        QCOMPARE(tokens.asked.size(), 2);
        QVERIFY(tokens.asked.first().startsWith(QByteArray("GET " + server.url("/fhir/Condition").toEncoded())));

        // A nonce from a 200 is used by the next request without a retry.
        server.setHandler([&](const TinyHttpServer::Request& r) {
            if (r.header("DPoP") != "proof;nonce=n2")
                return TinyHttpServer::Response { 401, "application/json", "{}",
                    { { "WWW-Authenticate", challenge }, { "DPoP-Nonce", "n2" } } };
            return TinyHttpServer::Response { 200, "application/fhir+json", bundle(1), { { "DPoP-Nonce", "n3" } } };
        });
        int before = server.requests().size();
        QVERIFY(testing::await(client.search(client.url("Condition")))->ok());
        QCOMPARE(server.requests().size(), before + 2);
        QCOMPARE(tokens.nonce, QByteArray("n3"));
        server.setHandler([&](const TinyHttpServer::Request& r) {
            return r.header("DPoP") == "proof;nonce=n3" ? ok(bundle(1))
                                                        : TinyHttpServer::Response { 400, "text/plain", "no", {} };
        });
        before = server.requests().size();
        QVERIFY(testing::await(client.search(client.url("Condition")))->ok());
        QCOMPARE(server.requests().size(), before + 1);

        // A server that asks for a new nonce every time: one nonce retry, then the ordinary 401 path (a
        // refresh and one more try), then a clear error; never a loop.
        int counter = 0;
        server.setHandler([&](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 401, "application/json", "{}",
                { { "WWW-Authenticate", challenge }, { "DPoP-Nonce", "x" + QByteArray::number(++counter) } } };
        });
        before = server.requests().size();
        const auto refused = testing::await(client.search(client.url("Condition")));
        QVERIFY(refused && refused->code() == FhirError::Unauthorized);
        QVERIFY(server.requests().size() - before <= 4);
    }

    void badBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("expected");
        QTest::newRow("not json") << QByteArray("{\"resourceType\":\"Bundle\",") << int(FhirError::Unreadable);
        QTest::newRow("not a bundle") << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"x\"}")
                                      << int(FhirError::Malformed);
        QTest::newRow("deep nesting") << QByteArray(1000, '[') << int(FhirError::Malformed);
        QTest::newRow("entry without id")
            << QByteArray("{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Condition\"}}]}")
            << int(FhirError::Malformed);
        QTest::newRow("huge") << QByteArray(4096, ' ') + bundle(1) << int(FhirError::TooLarge);
    }

    void badBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, expected);
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const TinyHttpServer::Request&) { return ok(body); });
        CountingTokens tokens;
        FhirClientOptions options = fastOptions();
        options.maxResponseBytes = 2048;
        FhirClient client(m_network, tokens, server.url("/fhir"), options);
        const auto page = testing::await(client.search(client.url("Condition")));
        QVERIFY(page && !page->ok());
        QCOMPARE(int(page->code()), expected);
        // A body that is not JSON at all may have been cut off: retried, up to
        // the limit. Anything else is the server's real answer: not retried.
        QCOMPARE(server.requests().size(), expected == int(FhirError::Unreadable) ? 5 : 1);
    }

    void forbiddenIsNotShared()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 403, "application/fhir+json",
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"forbidden\","
                "\"diagnostics\":\"scope\"}]}",
                {} };
        });
        CountingTokens tokens;
        FhirClient client(m_network, tokens, server.url("/fhir"), fastOptions());
        const auto page = testing::await(client.search(client.url("Coverage")));
        QVERIFY(page && page->code() == FhirError::Forbidden);
        QVERIFY(!page->failure().message.isEmpty());
    }

    void depthGuard_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("ok");
        QTest::newRow("flat") << QByteArray("{\"a\":[1,2,{\"b\":3}]}") << true;
        QTest::newRow("brackets in strings") << QByteArray("{\"a\":\"[[[[[[[[[[[[\\\"[[[[\"}") << true;
        QTest::newRow("too deep") << QByteArray(70, '[') + QByteArray(70, ']') << false;
    }

    void depthGuard()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, ok);
        QCOMPARE(FhirClient::withinDepth(json, 64), ok);
    }
};

QTEST_GUILESS_MAIN(tst_FhirClient)
#include "tst_FhirClient.moc"
