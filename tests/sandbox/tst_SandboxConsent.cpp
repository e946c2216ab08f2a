// The consent page a person sees without --auto-approve: its structure, and
// its form over plain HTTP (approve with narrowed scopes and a duration, deny).

#include "SandboxHttp.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

using namespace ondevice::testing;

namespace {

QStringList captures(const QString& html, const QString& pattern)
{
    QStringList out;
    auto it = QRegularExpression(pattern).globalMatch(html);
    while (it.hasNext())
        out.append(it.next().captured(1));
    return out;
}

const QString kScope
    = QStringLiteral("openid fhirUser launch/patient offline_access patient/Observation.rs patient/Condition.rs");

} // namespace

class tst_SandboxConsent : public QObject {
    Q_OBJECT

    struct Page {
        QString html;
        QString requestId;
        QStringList patients;
        QString verifier;
    };

    static Page open(SandboxHttp& http, const QString& scope = kScope)
    {
        Page page;
        page.verifier = SandboxHttp::newVerifier();
        const HttpReply reply = http.authorize(http.authorizeParams(scope, SandboxHttp::challengeFor(page.verifier)));
        page.html = QString::fromUtf8(reply.body);
        page.requestId = captures(page.html, QStringLiteral("name=\"request_id\" value=\"([^\"]+)\"")).value(0);
        page.patients = captures(page.html, QStringLiteral("name=\"patient\" value=\"([^\"]+)\""));
        return page;
    }

    static QJsonObject exchange(SandboxHttp& http, const HttpReply& redirect, const QString& verifier)
    {
        return http
            .postForm(http.authUrl(QStringLiteral("token")),
                { { "grant_type", "authorization_code" }, { "code", redirect.locationParam(QStringLiteral("code")) },
                    { "redirect_uri", SandboxHttp::redirectUri() }, { "client_id", "ondevice-demo" },
                    { "code_verifier", verifier } })
            .json();
    }

private Q_SLOTS:
    void pageStructure()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--patients", "4" }).isEmpty());
        SandboxHttp http(sandbox);
        const HttpReply reply
            = http.authorize(http.authorizeParams(kScope, SandboxHttp::challengeFor(SandboxHttp::newVerifier())));
        QCOMPARE(reply.status, 200);
        // Nothing loads, nothing runs, nothing frames it; the form may reach this server and, because Allow and
        // Deny answer with a redirect to it, the request's redirect origin (its port included), nothing else.
        const QByteArray policy = reply.header("content-security-policy");
        QVERIFY(policy.contains("default-src 'none'"));
        QVERIFY(policy.contains("frame-ancestors 'none'"));
        const QUrl redirect(SandboxHttp::redirectUri());
        QVERIFY(redirect.port() > 0);
        QVERIFY2(policy.contains(
                     QByteArray("form-action 'self' http://127.0.0.1:" + QByteArray::number(redirect.port()) + ";")),
            policy.constData());
        const QString html = QString::fromUtf8(reply.body);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("<html lang=\"en\">")));
        QVERIFY(html.contains(QStringLiteral("<meta name=\"viewport\"")));
        // No script and nothing loaded from elsewhere.
        QVERIFY(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
        QCOMPARE(html.count(QStringLiteral("<link"), Qt::CaseInsensitive), 1);
        QVERIFY(html.contains(QStringLiteral("<link rel=\"icon\" href=\"data:,\">"))); // no request for /favicon.ico
        QVERIFY(!html.contains(QStringLiteral("src="), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral("url("), Qt::CaseInsensitive));
        // Three groups, each with a legend.
        QCOMPARE(html.count(QStringLiteral("<fieldset>")), 3);
        QCOMPARE(html.count(QStringLiteral("<legend>")), 3);
        // Four patients with names and birth dates; the first is preselected.
        const QStringList patients = captures(html, QStringLiteral("name=\"patient\" value=\"([^\"]+)\""));
        QCOMPARE(patients.size(), 4);
        QCOMPARE(html.count(QStringLiteral("<small>born ")), 4);
        // One checked checkbox per requested scope, in words and as the scope itself.
        const QStringList scopes
            = captures(html, QStringLiteral("type=\"checkbox\" name=\"scope\" value=\"([^\"]+)\" checked"));
        QCOMPARE(scopes, kScope.split(QLatin1Char(' ')));
        QVERIFY(html.contains(QStringLiteral("See and search your lab results and vital signs")));
        QVERIFY(html.contains(QStringLiteral("See and search your conditions and diagnoses")));
        QVERIFY(html.contains(QStringLiteral("Stay connected when you are not using the app")));
        // Four durations, 90 days preselected.
        QCOMPARE(captures(html, QStringLiteral("name=\"duration\" value=\"([^\"]+)\"")),
            (QStringList { "1h", "1d", "90d", "revoked" }));
        QVERIFY(html.contains(QStringLiteral("name=\"duration\" value=\"90d\" checked")));
        // Every input is inside a label (no unlabeled controls), the buttons say what they do.
        QCOMPARE(html.count(QStringLiteral("<label class=\"choice\"><input")),
            html.count(QStringLiteral("<input")) - 1); // minus the hidden request_id
        QVERIFY(html.contains(QStringLiteral("value=\"approve\" class=\"primary\">Allow access</button>")));
        QVERIFY(html.contains(QStringLiteral("value=\"deny\">Deny</button>")));
    }

    void approveNarrowedForOneHour()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--access-token-lifetime", "7200" }).isEmpty());
        SandboxHttp http(sandbox);
        const Page page = open(http);
        QVERIFY(!page.requestId.isEmpty());
        // Uncheck openid and the Condition scope.
        Params form { { "request_id", page.requestId }, { "patient", page.patients.at(1) }, { "duration", "1h" },
            { "decision", "approve" } };
        for (const char* scope : { "fhirUser", "launch/patient", "offline_access", "patient/Observation.rs" })
            form.append({ QStringLiteral("scope"), scope });
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const HttpReply redirect = http.postForm(http.authUrl(QStringLiteral("authorize/decision")), form);
        QCOMPARE(redirect.status, 302);
        const QJsonObject token = exchange(http, redirect, page.verifier);
        QCOMPARE(token.value(QStringLiteral("patient")).toString(), page.patients.at(1));
        QCOMPARE(token.value(QStringLiteral("scope")).toString(),
            QStringLiteral("fhirUser launch/patient offline_access patient/Observation.rs"));
        QVERIFY(!token.contains(QStringLiteral("id_token"))); // openid was unchecked
        // The access token cannot outlive the chosen hour (its lifetime would be 2 h).
        QVERIFY(token.value(QStringLiteral("expires_in")).toInt() <= 3600);
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QString patient = token.value(QStringLiteral("patient")).toString();
        QCOMPARE(
            http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=") + patient), access).status,
            200);
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Condition?patient=") + patient), access).status,
            403);
        // The refresh token ends with the grant, and introspection says when.
        const QJsonObject introspection
            = http.introspect(token.value(QStringLiteral("refresh_token")).toString(), access).json();
        QCOMPARE(introspection.value(QStringLiteral("active")).toBool(), true);
        const qint64 exp = introspection.value(QStringLiteral("exp")).toInteger();
        QVERIFY2(exp >= before + 3600 - 5 && exp <= QDateTime::currentSecsSinceEpoch() + 3600,
            qPrintable(QString::number(exp - before)));
        // A refresh does not extend it.
        const HttpReply refreshed = http.refresh(token.value(QStringLiteral("refresh_token")).toString());
        QCOMPARE(refreshed.status, 200);
        QVERIFY(refreshed.json().value(QStringLiteral("expires_in")).toInt() <= 3600);
        QCOMPARE(http.introspect(refreshed.json().value(QStringLiteral("refresh_token")).toString(), access)
                     .json()
                     .value(QStringLiteral("exp"))
                     .toInteger(),
            exp);
        const QJsonArray grants
            = http.get(QUrl(sandbox.adminBase().toString() + QStringLiteral("/grants"))).jsonArray();
        QCOMPARE(grants.size(), 1);
        QCOMPARE(QDateTime::fromString(
                     grants.at(0).toObject().value(QStringLiteral("ends_at")).toString(), Qt::ISODateWithMs)
                     .toSecsSinceEpoch(),
            exp);
    }

    void durations_data()
    {
        QTest::addColumn<QString>("duration");
        QTest::addColumn<qint64>("seconds"); // the refresh token's lifetime
        QTest::addColumn<bool>("ends");
        QTest::newRow("1 hour") << "1h" << qint64(3600) << true;
        QTest::newRow("1 day") << "1d" << qint64(86400) << true;
        QTest::newRow("90 days") << "90d" << qint64(90 * 86400) << true;
        QTest::newRow("until revoked") << "revoked" << qint64(200 * 86400) << false; // --refresh-token-lifetime below
    }

    void durations()
    {
        QFETCH(QString, duration);
        QFETCH(qint64, seconds);
        QFETCH(bool, ends);
        SandboxProcess sandbox;
        QVERIFY(sandbox.start({ "--refresh-token-lifetime", QString::number(200 * 86400) }).isEmpty());
        SandboxHttp http(sandbox);
        const Page page = open(http);
        Params form { { "request_id", page.requestId }, { "patient", page.patients.at(0) }, { "duration", duration },
            { "decision", "approve" } };
        for (const QString& scope : kScope.split(QLatin1Char(' ')))
            form.append({ QStringLiteral("scope"), scope });
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const QJsonObject token
            = exchange(http, http.postForm(http.authUrl(QStringLiteral("authorize/decision")), form), page.verifier);
        const qint64 exp = http.introspect(token.value(QStringLiteral("refresh_token")).toString(),
                                   token.value(QStringLiteral("access_token")).toString())
                               .json()
                               .value(QStringLiteral("exp"))
                               .toInteger();
        QVERIFY2(exp >= before + seconds - 5 && exp <= QDateTime::currentSecsSinceEpoch() + seconds,
            qPrintable(QString::number(exp - before)));
        const QJsonObject grant
            = http.get(QUrl(sandbox.adminBase().toString() + QStringLiteral("/grants"))).jsonArray().at(0).toObject();
        QCOMPARE(grant.value(QStringLiteral("ends_at")).isNull(), !ends);
    }

    void deny()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start().isEmpty());
        SandboxHttp http(sandbox);
        const Page page = open(http);
        const HttpReply redirect = http.postForm(http.authUrl(QStringLiteral("authorize/decision")),
            { { "request_id", page.requestId }, { "patient", page.patients.at(0) }, { "duration", "1d" },
                { "scope", "openid" }, { "decision", "deny" } });
        QCOMPARE(redirect.status, 302);
        QCOMPARE(redirect.locationParam(QStringLiteral("error")), QStringLiteral("access_denied"));
        QCOMPARE(redirect.locationParam(QStringLiteral("state")), QStringLiteral("state-123"));
        QVERIFY(redirect.locationParam(QStringLiteral("code")).isEmpty());
        QVERIFY(redirect.location().toString().startsWith(SandboxHttp::redirectUri()));
    }

    void incompleteForms()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start().isEmpty());
        SandboxHttp http(sandbox);
        Page page = open(http);
        // No duration: an error page, and the request can still be answered properly.
        HttpReply reply = http.postForm(http.authUrl(QStringLiteral("authorize/decision")),
            { { "request_id", page.requestId }, { "patient", page.patients.at(0) }, { "scope", "openid" },
                { "decision", "approve" } });
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.header("location").isEmpty());
        // An error page has no form that leaves this server.
        QVERIFY2(reply.header("content-security-policy").contains("form-action 'self';"),
            reply.header("content-security-policy").constData());
        // A scope the app never asked for is not granted.
        reply = http.postForm(http.authUrl(QStringLiteral("authorize/decision")),
            { { "request_id", page.requestId }, { "patient", page.patients.at(0) }, { "duration", "1d" },
                { "scope", "launch/patient" }, { "scope", "patient/*.rs" }, { "scope", "patient/Observation.rs" },
                { "decision", "approve" } });
        QCOMPARE(reply.status, 302);
        QCOMPARE(exchange(http, reply, page.verifier).value(QStringLiteral("scope")).toString(),
            QStringLiteral("launch/patient patient/Observation.rs"));
        // Nothing checked: nothing is granted, and the app hears access_denied.
        page = open(http);
        reply = http.postForm(http.authUrl(QStringLiteral("authorize/decision")),
            { { "request_id", page.requestId }, { "patient", page.patients.at(0) }, { "duration", "1d" },
                { "decision", "approve" } });
        QCOMPARE(reply.status, 302);
        QCOMPARE(reply.locationParam(QStringLiteral("error")), QStringLiteral("access_denied"));
    }
};

QTEST_GUILESS_MAIN(tst_SandboxConsent)
#include "tst_SandboxConsent.moc"
