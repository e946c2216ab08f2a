#include "services/BrandSources.h"

#include "TestSupport.h"
#include "TinyHttpServer.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice;
using namespace ondevice::services;
using namespace ondevice::testing;

namespace {

QByteArray bundleOf(const QString& name)
{
    return QStringLiteral("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"fullUrl\":"
                          "\"https://d.example/Organization/a\",\"resource\":{\"resourceType\":\"Organization\","
                          "\"id\":\"a\",\"name\":\"%1\",\"identifier\":[{\"system\":\"urn:ietf:rfc:3986\","
                          "\"value\":\"https://a.example\"}]}}]}")
        .arg(name)
        .toUtf8();
}

} // namespace

// The provider directory's sources: only https (or loopback), cached with their validators, asked again
// conditionally, refreshed once a day unless forced, and never replaced by a bad or truncated copy.
class tst_BrandSources : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void onlySecureSources()
    {
        QTemporaryDir dir;
        BrandSources sources(m_network, dir.path());
        QVERIFY(!sources.add(QUrl("http://directory.example/brands.json")));
        QVERIFY(!sources.add(QUrl("file:///etc/passwd")));
        QVERIFY(sources.add(QUrl("https://directory.example/brands.json")));
        QVERIFY(sources.add(QUrl("http://127.0.0.1:9/brands.json")));
        QCOMPARE(sources.sources().size(), 2);
        QVERIFY(sources.remove(QUrl("https://directory.example/brands.json")));
        QCOMPARE(sources.sources().size(), 1);
    }

    void aBadCopyKeepsTheOneBefore()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        QByteArray served = bundleOf("Valley Health");
        server.setHandler([&served](const TinyHttpServer::Request& request) {
            if (request.header("if-none-match") == "\"v1\"" && served == bundleOf("Valley Health"))
                return TinyHttpServer::Response { 304, "application/json", {}, {} };
            return TinyHttpServer::Response { 200, "application/fhir+json", served, { { "ETag", "\"v1\"" } } };
        });
        QTemporaryDir dir;
        BrandSources sources(m_network, dir.path());
        QVERIFY(sources.add(server.url("/brands.json")));
        auto report = await(sources.refresh());
        QVERIFY(report && report->fetched == 1 && report->problems.isEmpty());
        QCOMPARE(sources.brands().first().name, QStringLiteral("Valley Health"));
        const auto background = await(sources.brandsInBackground());
        QVERIFY(background && background->size() == 1);
        QCOMPARE(background->first().name, QStringLiteral("Valley Health"));

        // Not due again today; forced, it asks with the ETag and the server says nothing changed.
        report = await(sources.refresh());
        QVERIFY(report && report->unchanged == 1);
        QCOMPARE(server.requests().size(), 1);
        report = await(sources.refresh(true));
        QVERIFY(report && report->unchanged == 1);
        QCOMPARE(server.requests().last().header("if-none-match"), QByteArray("\"v1\""));

        // A truncated answer: the copy before stays, and the source says why.
        served = bundleOf("Valley Health Renamed");
        served.chop(40);
        report = await(sources.refresh(true));
        QVERIFY(report && report->fetched == 0 && report->problems.size() == 1);
        QVERIFY(report->problems.first().contains(QStringLiteral("kept the copy from before")));
        QCOMPARE(sources.brands().first().name, QStringLiteral("Valley Health"));
        QVERIFY(!sources.sources().first().problem.isEmpty());
        // A server error too.
        served = QByteArray();
        server.setHandler([](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 503, "text/plain", "down", {} };
        });
        report = await(sources.refresh(true));
        QVERIFY(report && report->problems.size() == 1);
        QCOMPARE(sources.brands().first().name, QStringLiteral("Valley Health"));
    }

    // Two directories list the same brand (same identifier) under different names: the one a connected server
    // names as its own wins, whichever was added first; adding it again keeps one source.
    void theServersOwnDirectoryWins()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TinyHttpServer::Request& request) {
            return TinyHttpServer::Response { 200, "application/fhir+json",
                bundleOf(request.target.contains("own") ? "Valley Health (as the server says)" : "Valley Health"), {} };
        });
        QTemporaryDir dir;
        BrandSources sources(m_network, dir.path());
        QVERIFY(sources.add(server.url("/aggregator.json")));
        QVERIFY(sources.add(server.url("/own.json"), BrandSources::NamedByServer));
        QVERIFY(await(sources.refresh()));
        QCOMPARE(sources.brands().size(), 1);
        QCOMPARE(sources.brands().first().name, QStringLiteral("Valley Health (as the server says)"));
        // The patient adding the server's directory by hand does not unmark it.
        QVERIFY(sources.add(server.url("/own.json")));
        QCOMPARE(sources.sources().size(), 2);
        QVERIFY(sources.sources().last().namedByServer);
        QVERIFY(!sources.sources().first().namedByServer);
    }
};

QTEST_GUILESS_MAIN(tst_BrandSources)
#include "tst_BrandSources.moc"
