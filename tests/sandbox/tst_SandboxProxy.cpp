// The fault proxy in front of the server: the announced URLs use its port,
// it adds latency, drops connections mid-body and truncates bodies, never
// faults the admin API, and draws from the seed like the server does.

#include "SandboxHttp.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace ondevice::testing;

class tst_SandboxProxy : public QObject {
    Q_OBJECT

    SandboxProcess m_sandbox;
    QString m_access;
    QString m_patient;

    QUrl admin(const QString& path) const { return QUrl(m_sandbox.adminBase().toString() + path); }
    QUrl search() const
    {
        return QUrl(m_sandbox.fhirBase().toString() + QStringLiteral("/Observation?_count=20&patient=") + m_patient);
    }

    void setFaults(const QByteArray& spec)
    {
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.put(admin(QStringLiteral("/faults")), spec);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("proxy")).toBool(), true);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sandbox.start({ "--auto-approve", "first", "--fault-proxy", "--seed", "4" }).isEmpty());
        SandboxHttp http(m_sandbox);
        // Everything works through the proxy: discovery, authorize, token, FHIR, admin.
        const QJsonObject token = http.login();
        m_access = token.value(QStringLiteral("access_token")).toString();
        m_patient = token.value(QStringLiteral("patient")).toString();
        QVERIFY(!m_access.isEmpty());
    }

    void urlsNameTheProxy()
    {
        const int port = m_sandbox.fhirBase().port();
        QCOMPARE(m_sandbox.adminBase().port(), port);
        QCOMPARE(m_sandbox.issuer().port(), port);
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.getBearer(search(), m_access);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("connection").toLower(), QByteArray("close"));
        // `next` links stay on the announced (proxy) origin.
        for (const QJsonValue& link : reply.json().value(QStringLiteral("link")).toArray())
            QCOMPARE(QUrl(link.toObject().value(QStringLiteral("url")).toString()).port(), port);
        const QJsonObject config
            = http.get(QUrl(http.fhirBase() + QStringLiteral("/.well-known/smart-configuration"))).json();
        QCOMPARE(QUrl(config.value(QStringLiteral("token_endpoint")).toString()).port(), port);
    }

    void latency()
    {
        setFaults("latency=400ms");
        SandboxHttp http(m_sandbox);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(http.getBearer(search(), m_access).status, 200);
        // A generous floor: the proxy waits 400 ms; allow for timer slack.
        QVERIFY2(timer.elapsed() >= 350, qPrintable(QString::number(timer.elapsed())));
        const RawExchange raw = SandboxHttp::rawGet(search(), m_access);
        QCOMPARE(raw.status(), 200);
        QVERIFY(raw.elapsedMs >= 350);
        setFaults("none");
    }

    // Jitter varies each answer's latency within latency +/- jitter; never earlier than latency - jitter.
    void jitter()
    {
        SandboxHttp http(m_sandbox);
        const HttpReply set = http.put(admin(QStringLiteral("/faults")), "latency=300ms,jitter=100ms");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json().value(QStringLiteral("spec")).toString(), QStringLiteral("latency=300ms,jitter=100ms"));
        for (int i = 0; i < 4; ++i) {
            const RawExchange raw = SandboxHttp::rawGet(search(), m_access);
            QCOMPARE(raw.status(), 200);
            QVERIFY2(raw.elapsedMs >= 190, qPrintable(QString::number(raw.elapsedMs)));
        }
        setFaults("none");
    }

    // A bandwidth makes an answer take its bytes' time on the link, and answers in flight share the link: two
    // at once take about twice as long as one.
    void bandwidth()
    {
        const RawExchange clean = SandboxHttp::rawGet(search(), m_access);
        QCOMPARE(clean.status(), 200);
        const qint64 bytes = clean.body().size();
        QVERIFY(bytes > 4000);
        SandboxHttp http(m_sandbox);
        const HttpReply set = http.put(admin(QStringLiteral("/faults")), "bandwidth=160kbit");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json().value(QStringLiteral("spec")).toString(), QStringLiteral("bandwidth=160kbit"));
        const qint64 oneMs = bytes * 8 * 1000 / 160000; // 20 kB/s
        const RawExchange slow = SandboxHttp::rawGet(search(), m_access);
        QCOMPARE(slow.status(), 200);
        QCOMPARE(slow.body().size(), clean.body().size()); // (each search has its own page token)
        QVERIFY2(
            slow.elapsedMs >= oneMs * 9 / 10, qPrintable(QStringLiteral("%1 < %2").arg(slow.elapsedMs).arg(oneMs)));
        // Two requests in flight: the second answer waits for the first one's bytes.
        QElapsedTimer both;
        both.start();
        auto first = QtConcurrent::run([this] { return SandboxHttp::rawGet(search(), m_access); });
        auto second = QtConcurrent::run([this] { return SandboxHttp::rawGet(search(), m_access); });
        QCOMPARE(first.result().status(), 200);
        QCOMPARE(second.result().status(), 200);
        QVERIFY2(both.elapsed() >= oneMs * 2 * 9 / 10,
            qPrintable(QStringLiteral("%1 < 2 x %2").arg(both.elapsed()).arg(oneMs)));
        setFaults("none");
    }

    void dropMidBody()
    {
        const RawExchange clean = SandboxHttp::rawGet(search(), m_access);
        QCOMPARE(clean.status(), 200);
        QCOMPARE(clean.body().size(), clean.contentLength());
        setFaults("drop=1");
        const RawExchange dropped = SandboxHttp::rawGet(search(), m_access);
        QVERIFY(dropped.closedByServer);
        QCOMPARE(dropped.status(), 200);
        // The head promised the whole body; the connection ended halfway.
        QCOMPARE(dropped.contentLength(), clean.contentLength());
        QVERIFY(dropped.body().size() > 0);
        QVERIFY(dropped.body().size() < dropped.contentLength());
        // A Qt client sees a network error.
        SandboxHttp http(m_sandbox);
        const HttpReply reply = http.getBearer(search(), m_access);
        QVERIFY(!reply.networkError.isEmpty() || QJsonDocument::fromJson(reply.body).isNull());
        // The admin API and discovery are not faulted.
        QCOMPARE(http.get(admin(QStringLiteral("/faults"))).status, 200);
        QCOMPARE(http.get(QUrl(http.fhirBase() + QStringLiteral("/metadata"))).status, 200);
        setFaults("none");
    }

    void truncateBody()
    {
        const RawExchange clean = SandboxHttp::rawGet(search(), m_access);
        setFaults("truncate=1");
        const RawExchange cut = SandboxHttp::rawGet(search(), m_access);
        QCOMPARE(cut.status(), 200);
        // Complete by its own Content-Length, but not the whole answer and not JSON.
        QCOMPARE(cut.body().size(), cut.contentLength());
        QVERIFY(cut.contentLength() < clean.contentLength());
        QJsonParseError error {};
        QJsonDocument::fromJson(cut.body(), &error);
        QVERIFY(error.error != QJsonParseError::NoError);
        setFaults("none");
    }

    void proxyFaultsAreRepeatable()
    {
        auto run = [this] {
            QString out;
            for (int i = 0; i < 24; ++i) {
                const RawExchange raw = SandboxHttp::rawGet(search(), m_access);
                out += raw.body().size() < raw.contentLength()     ? QLatin1Char('D')
                    : raw.contentLength() < 0                      ? QLatin1Char('?')
                    : QJsonDocument::fromJson(raw.body()).isNull() ? QLatin1Char('T')
                                                                   : QLatin1Char('O');
            }
            return out;
        };
        setFaults("drop=0.3,truncate=0.3");
        const QString first = run();
        setFaults("drop=0.3,truncate=0.3");
        QCOMPARE(run(), first);
        QVERIFY2(
            first.contains(QLatin1Char('D')) && first.contains(QLatin1Char('T')) && first.contains(QLatin1Char('O')),
            qPrintable(first));
        setFaults("none");
    }

    void proxyFaultsAtStart()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--faults", "latency=10ms" }).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject state = http.get(QUrl(sandbox.adminBase().toString() + QStringLiteral("/faults"))).json();
        QCOMPARE(state.value(QStringLiteral("proxy")).toBool(), true);
        QCOMPARE(state.value(QStringLiteral("spec")).toString(), QStringLiteral("latency=10ms"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxProxy)
#include "tst_SandboxProxy.moc"
