// The token, revocation, introspection and JWKS endpoints: RFC 6749 §4.1.3,
// §5 and §6, RFC 7636, RFC 7009, RFC 7662, the refresh policies and an
// id_token whose RS256 signature is checked here with OpenSSL.

#include "SandboxHttp.h"

#include <QJsonDocument>
#include <QTest>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace ondevice::testing;

namespace {

const QString kDemo = QStringLiteral("ondevice-demo");

Params edited(Params params, const QStringList& edits, const QHash<QString, QString>& values)
{
    for (QString edit : edits) {
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            edit.replace(it.key(), it.value());
        if (edit.startsWith(QLatin1Char('-'))) {
            params.removeIf([&](const auto& p) { return p.first == edit.mid(1); });
            continue;
        }
        const bool add = edit.startsWith(QLatin1Char('+'));
        const QString body = add ? edit.mid(1) : edit;
        const QString name = body.section(QLatin1Char('='), 0, 0);
        const QString value = body.section(QLatin1Char('='), 1);
        bool replaced = false;
        for (auto& p : params) {
            if (!add && p.first == name) {
                p.second = value;
                replaced = true;
            }
        }
        if (!replaced)
            params.append({ name, value });
    }
    return params;
}

// A code for `clientId` through the auto-approving authorize endpoint.
QString obtainCode(SandboxHttp& http, const QString& verifier, const QString& clientId = kDemo,
    const QString& scope = SandboxHttp::defaultScope(), const QString& nonce = {})
{
    Params params = http.authorizeParams(scope, SandboxHttp::challengeFor(verifier));
    for (auto& p : params) {
        if (p.first == QLatin1String("client_id"))
            p.second = clientId;
    }
    if (!nonce.isEmpty())
        params.append({ QStringLiteral("nonce"), nonce });
    return http.authorize(params).locationParam(QStringLiteral("code"));
}

Params exchangeParams(const QString& code, const QString& verifier)
{
    return { { QStringLiteral("grant_type"), QStringLiteral("authorization_code") }, { QStringLiteral("code"), code },
        { QStringLiteral("redirect_uri"), SandboxHttp::redirectUri() }, { QStringLiteral("client_id"), kDemo },
        { QStringLiteral("code_verifier"), verifier } };
}

void verifyOAuthError(const HttpReply& reply, int status, const QString& error)
{
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.json().value(QStringLiteral("error")).toString(), error);
    QVERIFY(reply.header("content-type").startsWith("application/json"));
    QCOMPARE(reply.header("cache-control"), QByteArray("no-store"));
    if (status == 401)
        QVERIFY(!reply.header("www-authenticate").isEmpty());
}

QByteArray fromBase64Url(const QString& text)
{
    return QByteArray::fromBase64(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
}

// RS256 check with a public key built from the JWK's n and e.
bool verifyRs256(const QJsonObject& jwk, const QByteArray& signingInput, const QByteArray& signature)
{
    const QByteArray n = fromBase64Url(jwk.value(QStringLiteral("n")).toString());
    const QByteArray e = fromBase64Url(jwk.value(QStringLiteral("e")).toString());
    BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.constData()), static_cast<int>(n.size()), nullptr);
    BIGNUM* be = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.constData()), static_cast<int>(e.size()), nullptr);
    OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, bn);
    OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, be);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
    EVP_PKEY_CTX* keyContext = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* key = nullptr;
    bool ok = EVP_PKEY_fromdata_init(keyContext) == 1
        && EVP_PKEY_fromdata(keyContext, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    ok = ok && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1
        && EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.constData()),
               static_cast<size_t>(signature.size()), reinterpret_cast<const unsigned char*>(signingInput.constData()),
               static_cast<size_t>(signingInput.size()))
            == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(keyContext);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(builder);
    BN_free(bn);
    BN_free(be);
    return ok;
}

} // namespace

class tst_SandboxToken : public QObject {
    Q_OBJECT

    SandboxProcess m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_sandbox.start({ QStringLiteral("--auto-approve"), QStringLiteral("first"),
            QStringLiteral("--client"), QStringLiteral("other=http://127.0.0.1/callback") });
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void codeExchange()
    {
        SandboxHttp http(m_sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        const HttpReply reply = http.postForm(
            http.authUrl(QStringLiteral("token")), exchangeParams(obtainCode(http, verifier), verifier));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("cache-control"), QByteArray("no-store"));
        QCOMPARE(reply.header("pragma"), QByteArray("no-cache"));
        const QJsonObject token = reply.json();
        QVERIFY(token.value(QStringLiteral("access_token")).toString().size() >= 43);
        QCOMPARE(token.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(token.value(QStringLiteral("expires_in")).toInt(), 3600);
        QCOMPARE(token.value(QStringLiteral("scope")).toString(), SandboxHttp::defaultScope());
        QVERIFY(!token.value(QStringLiteral("refresh_token")).toString().isEmpty());
        QVERIFY(!token.value(QStringLiteral("patient")).toString().isEmpty());
        QCOMPARE(token.value(QStringLiteral("need_patient_banner")).toBool(), true);
        QVERIFY(token.value(QStringLiteral("smart_style_url")).toString().startsWith(http.origin().toString()));
        QVERIFY(!token.value(QStringLiteral("id_token")).toString().isEmpty());
        // URL-safe tokens: nothing a form or a URL would mangle.
        for (const char* key : { "access_token", "refresh_token" })
            QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]+$"))
                        .match(token.value(QLatin1String(key)).toString())
                        .hasMatch());
    }

    void refreshTokenOnlyWithOfflineOrOnlineAccess_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<bool>("refresh");
        QTest::addColumn<bool>("idToken");
        QTest::newRow("offline_access") << "launch/patient offline_access patient/*.rs" << true << false;
        QTest::newRow("online_access") << "launch/patient online_access patient/*.rs" << true << false;
        QTest::newRow("neither") << "openid fhirUser launch/patient patient/*.rs" << false << true;
    }

    void refreshTokenOnlyWithOfflineOrOnlineAccess()
    {
        QFETCH(QString, scope);
        QFETCH(bool, refresh);
        QFETCH(bool, idToken);
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login(scope);
        QVERIFY(!token.isEmpty());
        QCOMPARE(token.contains(QStringLiteral("refresh_token")), refresh);
        QCOMPARE(token.contains(QStringLiteral("id_token")), idToken);
    }

    void tokenRequestRules_data()
    {
        QTest::addColumn<QStringList>("edits");
        QTest::addColumn<QString>("mode"); // "", "basic", "json", "get"
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");

        QTest::newRow("valid") << QStringList {} << "" << 200 << "";
        QTest::newRow("no client_id") << QStringList { "-client_id" } << "" << 401 << "invalid_client";
        QTest::newRow("unknown client") << QStringList { "client_id=nobody" } << "" << 401 << "invalid_client";
        QTest::newRow("client_secret") << QStringList { "client_secret=s3cret" } << "" << 401 << "invalid_client";
        QTest::newRow("basic auth") << QStringList {} << "basic" << 401 << "invalid_client";
        QTest::newRow("other client") << QStringList { "client_id=other" } << "" << 400 << "invalid_grant";
        QTest::newRow("no grant_type") << QStringList { "-grant_type" } << "" << 400 << "invalid_request";
        QTest::newRow("password grant") << QStringList { "grant_type=password" } << "" << 400
                                        << "unsupported_grant_type";
        QTest::newRow("client_credentials")
            << QStringList { "grant_type=client_credentials" } << "" << 400 << "unsupported_grant_type";
        QTest::newRow("no code") << QStringList { "-code" } << "" << 400 << "invalid_request";
        QTest::newRow("unknown code") << QStringList { "code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } << "" << 400
                                      << "invalid_grant";
        QTest::newRow("repeated code") << QStringList { "+code={code}" } << "" << 400 << "invalid_request";
        QTest::newRow("no redirect_uri") << QStringList { "-redirect_uri" } << "" << 400 << "invalid_request";
        QTest::newRow("other loopback port")
            << QStringList { "redirect_uri=http://127.0.0.1:49153/callback" } << "" << 400 << "invalid_grant";
        QTest::newRow("no code_verifier") << QStringList { "-code_verifier" } << "" << 400 << "invalid_request";
        QTest::newRow("short verifier") << QStringList { "code_verifier=abc" } << "" << 400 << "invalid_request";
        QTest::newRow("42 chars") << QStringList { "code_verifier=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } << ""
                                  << 400 << "invalid_request";
        QTest::newRow("129 chars") << QStringList { QStringLiteral("code_verifier=") + QString(129, QLatin1Char('a')) }
                                   << "" << 400 << "invalid_request";
        QTest::newRow("reserved char") << QStringList { "code_verifier=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" }
                                       << "" << 400 << "invalid_request";
        QTest::newRow("wrong verifier") << QStringList {
            "code_verifier=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        } << "" << 400 << "invalid_grant";
        QTest::newRow("challenge as verifier (plain)")
            << QStringList { "code_verifier={challenge}" } << "" << 400 << "invalid_grant";
        QTest::newRow("JSON body") << QStringList {} << "json" << 400 << "invalid_request";
        QTest::newRow("GET") << QStringList {} << "get" << 400 << "invalid_request";
    }

    void tokenRequestRules()
    {
        QFETCH(QStringList, edits);
        QFETCH(QString, mode);
        QFETCH(int, status);
        QFETCH(QString, error);
        SandboxHttp http(m_sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        const QString code = obtainCode(http, verifier);
        QVERIFY(!code.isEmpty());
        const Params params = edited(exchangeParams(code, verifier), edits,
            { { QStringLiteral("{code}"), code },
                { QStringLiteral("{challenge}"), SandboxHttp::challengeFor(verifier) } });
        HttpReply reply;
        if (mode == QLatin1String("basic")) {
            reply = http.postForm(http.authUrl(QStringLiteral("token")), params,
                { { "Authorization", "Basic " + QByteArray("ondevice-demo:x").toBase64() } });
        } else if (mode == QLatin1String("json")) {
            QJsonObject body;
            for (const auto& p : params)
                body.insert(p.first, p.second);
            reply = http.post(http.authUrl(QStringLiteral("token")), QJsonDocument(body).toJson(), "application/json");
        } else if (mode == QLatin1String("get")) {
            QUrl url = http.authUrl(QStringLiteral("token"));
            url.setQuery(QString::fromLatin1(SandboxHttp::formEncode(params)));
            reply = http.get(url);
        } else {
            reply = http.postForm(http.authUrl(QStringLiteral("token")), params);
        }
        if (status == 200) {
            QCOMPARE(reply.status, 200);
            QVERIFY(!reply.json().value(QStringLiteral("access_token")).toString().isEmpty());
            return;
        }
        verifyOAuthError(reply, status, error);
    }

    void codeIsSingleUseAndReplayRevokes()
    {
        SandboxHttp http(m_sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        const Params exchange = exchangeParams(obtainCode(http, verifier), verifier);
        const HttpReply first = http.postForm(http.authUrl(QStringLiteral("token")), exchange);
        QCOMPARE(first.status, 200);
        const QJsonObject token = first.json();
        const QUrl patientUrl(
            http.fhirBase() + QStringLiteral("/Patient/") + token.value(QStringLiteral("patient")).toString());
        QCOMPARE(http.getBearer(patientUrl, token.value(QStringLiteral("access_token")).toString()).status, 200);

        verifyOAuthError(
            http.postForm(http.authUrl(QStringLiteral("token")), exchange), 400, QStringLiteral("invalid_grant"));
        // Everything the first exchange issued is gone.
        QCOMPARE(http.getBearer(patientUrl, token.value(QStringLiteral("access_token")).toString()).status, 401);
        verifyOAuthError(http.refresh(token.value(QStringLiteral("refresh_token")).toString()), 400,
            QStringLiteral("invalid_grant"));
    }

    void failedExchangeSpendsTheCode()
    {
        SandboxHttp http(m_sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        Params exchange = exchangeParams(obtainCode(http, verifier), verifier);
        Params wrong = edited(exchange, { QStringLiteral("code_verifier=") + SandboxHttp::newVerifier() }, {});
        verifyOAuthError(
            http.postForm(http.authUrl(QStringLiteral("token")), wrong), 400, QStringLiteral("invalid_grant"));
        verifyOAuthError(
            http.postForm(http.authUrl(QStringLiteral("token")), exchange), 400, QStringLiteral("invalid_grant"));
    }

    void expiredCode()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox
                    .start({ QStringLiteral("--auto-approve"), QStringLiteral("first"),
                        QStringLiteral("--code-lifetime"), QStringLiteral("0") })
                    .isEmpty());
        SandboxHttp http(sandbox);
        const QString verifier = SandboxHttp::newVerifier();
        const QString code = obtainCode(http, verifier);
        QVERIFY(!code.isEmpty());
        verifyOAuthError(http.postForm(http.authUrl(QStringLiteral("token")), exchangeParams(code, verifier)), 400,
            QStringLiteral("invalid_grant"));
    }

    void refreshPolicies_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("newTokenIssued");
        QTest::addColumn<bool>("oldStillWorks");
        QTest::addColumn<bool>("reuseRevokesGrant");
        QTest::newRow("rotate") << "rotate" << true << false << false;
        QTest::newRow("rotate-detect-reuse") << "rotate-detect-reuse" << true << false << true;
        QTest::newRow("no-rotate") << "no-rotate" << false << true << false;
        QTest::newRow("keep-old-valid") << "keep-old-valid" << true << true << false;
    }

    void refreshPolicies()
    {
        QFETCH(QString, policy);
        QFETCH(bool, newTokenIssued);
        QFETCH(bool, oldStillWorks);
        QFETCH(bool, reuseRevokesGrant);
        SandboxProcess sandbox;
        QStringList args { QStringLiteral("--auto-approve"), QStringLiteral("first") };
        if (policy != QLatin1String("rotate-detect-reuse")) // the default
            args << QStringLiteral("--refresh-policy") << policy;
        QVERIFY(sandbox.start(args).isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject login = http.login();
        const QString first = login.value(QStringLiteral("refresh_token")).toString();
        QVERIFY(!first.isEmpty());

        const HttpReply refreshed = http.refresh(first);
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(refreshed.header("cache-control"), QByteArray("no-store"));
        const QJsonObject body = refreshed.json();
        QVERIFY(!body.value(QStringLiteral("access_token")).toString().isEmpty());
        QCOMPARE(body.contains(QStringLiteral("refresh_token")), newTokenIssued);
        const QString second = body.value(QStringLiteral("refresh_token")).toString();
        if (newTokenIssued)
            QVERIFY(second != first);
        const QString secondAccess = body.value(QStringLiteral("access_token")).toString();

        const HttpReply again = http.refresh(first);
        if (oldStillWorks) {
            QCOMPARE(again.status, 200);
        } else {
            verifyOAuthError(again, 400, QStringLiteral("invalid_grant"));
        }
        if (!newTokenIssued)
            return;
        const QUrl patientUrl(
            http.fhirBase() + QStringLiteral("/Patient/") + login.value(QStringLiteral("patient")).toString());
        const HttpReply withSecond = http.refresh(second);
        if (reuseRevokesGrant) {
            // Reuse of a rotated-out token ended the grant: the current refresh
            // token and every access token die with it.
            verifyOAuthError(withSecond, 400, QStringLiteral("invalid_grant"));
            QCOMPARE(http.getBearer(patientUrl, secondAccess).status, 401);
        } else {
            QCOMPARE(withSecond.status, 200);
            QCOMPARE(http.getBearer(patientUrl, secondAccess).status, 200);
        }
    }

    void downScoping_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("same") << "launch/patient offline_access patient/Observation.rs patient/Condition.rs" << 200
                              << "";
        QTest::newRow("subset") << "launch/patient patient/Observation.rs" << 200 << "";
        QTest::newRow("form plus as space") << "launch/patient+patient/Observation.rs" << 200 << "";
        QTest::newRow("wider type") << "patient/*.rs" << 400 << "invalid_scope";
        QTest::newRow("one more") << "patient/Observation.rs openid" << 400 << "invalid_scope";
        QTest::newRow("v1 form of a v2 grant") << "patient/Observation.read" << 400 << "invalid_scope";
        QTest::newRow("malformed") << "patient/Observation.rs  launch/patient" << 400 << "invalid_scope";
    }

    void downScoping()
    {
        QFETCH(QString, requested);
        QFETCH(int, status);
        QFETCH(QString, error);
        SandboxHttp http(m_sandbox);
        const QJsonObject login
            = http.login(QStringLiteral("launch/patient offline_access patient/Observation.rs patient/Condition.rs"));
        const QString refreshToken = login.value(QStringLiteral("refresh_token")).toString();
        QVERIFY(!refreshToken.isEmpty());
        // Sent by hand so a `+` stays a `+` on the wire.
        QByteArray body = "grant_type=refresh_token&client_id=ondevice-demo&refresh_token=" + refreshToken.toLatin1()
            + "&scope=" + QUrl::toPercentEncoding(requested, "+");
        const HttpReply reply
            = http.post(http.authUrl(QStringLiteral("token")), body, "application/x-www-form-urlencoded");
        if (status != 200) {
            verifyOAuthError(reply, status, error);
            return;
        }
        QCOMPARE(reply.status, 200);
        const QString granted = reply.json().value(QStringLiteral("scope")).toString();
        QCOMPARE(granted, QString(requested).replace(QLatin1Char('+'), QLatin1Char(' ')));
        const QString access = reply.json().value(QStringLiteral("access_token")).toString();
        const QString patient = login.value(QStringLiteral("patient")).toString();
        const int conditions
            = http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Condition?patient=") + patient), access).status;
        QCOMPARE(conditions, granted.contains(QLatin1String("Condition")) ? 200 : 403);
        QCOMPARE(
            http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Observation?patient=") + patient), access).status,
            200);
    }

    void formValuesAreFullyDecoded()
    {
        SandboxHttp http(m_sandbox);
        const QString refreshToken = http.login().value(QStringLiteral("refresh_token")).toString();
        // Every byte percent-encoded, as some clients do: still the same token.
        QByteArray encoded;
        for (const char c : refreshToken.toLatin1())
            encoded += '%' + QByteArray(1, c).toHex().toUpper();
        HttpReply reply = http.post(http.authUrl(QStringLiteral("token")),
            "grant_type=refresh_token&client_id=ondevice-demo&refresh_token=" + encoded,
            "application/x-www-form-urlencoded");
        QCOMPARE(reply.status, 200);
        // A raw `+` is a space, so an appended `+` makes a different, unknown token.
        const QString next = reply.json().value(QStringLiteral("refresh_token")).toString();
        reply = http.post(http.authUrl(QStringLiteral("token")),
            "grant_type=refresh_token&client_id=ondevice-demo&refresh_token=" + next.toLatin1() + "+",
            "application/x-www-form-urlencoded");
        verifyOAuthError(reply, 400, QStringLiteral("invalid_grant"));
        // ...while %2B is not a space either: also unknown, and the real one still works.
        reply = http.post(http.authUrl(QStringLiteral("token")),
            "grant_type=refresh_token&client_id=ondevice-demo&refresh_token=" + next.toLatin1() + "%2B",
            "application/x-www-form-urlencoded");
        verifyOAuthError(reply, 400, QStringLiteral("invalid_grant"));
        QCOMPARE(http.refresh(next).status, 200);
    }

    void refreshNeedsTheRightClient()
    {
        SandboxHttp http(m_sandbox);
        const QString refreshToken = http.login().value(QStringLiteral("refresh_token")).toString();
        verifyOAuthError(http.refresh(refreshToken, {}, QString()), 401, QStringLiteral("invalid_client"));
        verifyOAuthError(http.refresh(refreshToken, {}, QStringLiteral("other")), 400, QStringLiteral("invalid_grant"));
        verifyOAuthError(http.refresh(QStringLiteral("not-a-token")), 400, QStringLiteral("invalid_grant"));
        QCOMPARE(http.refresh(refreshToken).status, 200); // none of that revoked the grant
    }

    void expiredTokens()
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox
                    .start({ QStringLiteral("--auto-approve"), QStringLiteral("first"),
                        QStringLiteral("--access-token-lifetime"), QStringLiteral("0"),
                        QStringLiteral("--refresh-token-lifetime"), QStringLiteral("0") })
                    .isEmpty());
        SandboxHttp http(sandbox);
        const QJsonObject token = http.login();
        QCOMPARE(token.value(QStringLiteral("expires_in")).toInt(-1), 0);
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const HttpReply fhir = http.getBearer(
            QUrl(http.fhirBase() + QStringLiteral("/Patient/") + token.value(QStringLiteral("patient")).toString()),
            access);
        QCOMPARE(fhir.status, 401);
        QVERIFY(fhir.header("www-authenticate").contains("invalid_token"));
        verifyOAuthError(http.refresh(token.value(QStringLiteral("refresh_token")).toString()), 400,
            QStringLiteral("invalid_grant"));
        const HttpReply introspection = http.postForm(http.authUrl(QStringLiteral("introspect")),
            { { QStringLiteral("token"), access }, { QStringLiteral("client_id"), kDemo } });
        QCOMPARE(introspection.status, 200);
        QCOMPARE(introspection.json(), QJsonObject({ { QStringLiteral("active"), false } }));
    }

    void revocation_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("hint");
        QTest::newRow("refresh token") << "refresh_token"
                                       << "refresh_token";
        QTest::newRow("access token") << "access_token"
                                      << "access_token";
        QTest::newRow("refresh token, wrong hint") << "refresh_token"
                                                   << "access_token";
        QTest::newRow("access token, no hint") << "access_token"
                                               << "";
    }

    void revocation()
    {
        QFETCH(QString, which);
        QFETCH(QString, hint);
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login();
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QString refresh = token.value(QStringLiteral("refresh_token")).toString();
        Params params { { QStringLiteral("token"), token.value(which).toString() },
            { QStringLiteral("client_id"), kDemo } };
        if (!hint.isEmpty())
            params.append({ QStringLiteral("token_type_hint"), hint });
        const HttpReply reply = http.postForm(http.authUrl(QStringLiteral("revoke")), params);
        QCOMPARE(reply.status, 200);
        // The whole grant is gone, whichever token was revoked.
        QCOMPARE(http.getBearer(QUrl(http.fhirBase() + QStringLiteral("/Patient/")
                                    + token.value(QStringLiteral("patient")).toString()),
                         access)
                     .status,
            401);
        verifyOAuthError(http.refresh(refresh), 400, QStringLiteral("invalid_grant"));
        // Revoking again, or an unknown token, is still 200 (RFC 7009 §2.2).
        QCOMPARE(http.postForm(http.authUrl(QStringLiteral("revoke")), params).status, 200);
    }

    void revocationRules()
    {
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login();
        const QString refresh = token.value(QStringLiteral("refresh_token")).toString();
        QCOMPARE(
            http.postForm(http.authUrl(QStringLiteral("revoke")),
                    { { QStringLiteral("token"), QStringLiteral("unknown") }, { QStringLiteral("client_id"), kDemo } })
                .status,
            200);
        verifyOAuthError(
            http.postForm(http.authUrl(QStringLiteral("revoke")), { { QStringLiteral("token"), refresh } }), 401,
            QStringLiteral("invalid_client"));
        verifyOAuthError(
            http.postForm(http.authUrl(QStringLiteral("revoke")), { { QStringLiteral("client_id"), kDemo } }), 400,
            QStringLiteral("invalid_request"));
        // Another client cannot revoke this client's grant.
        QCOMPARE(
            http.postForm(http.authUrl(QStringLiteral("revoke")),
                    { { QStringLiteral("token"), refresh }, { QStringLiteral("client_id"), QStringLiteral("other") } })
                .status,
            200);
        QCOMPARE(http.refresh(refresh).status, 200);
    }

    void introspection()
    {
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login();
        const QString access = token.value(QStringLiteral("access_token")).toString();
        const QString refresh = token.value(QStringLiteral("refresh_token")).toString();

        HttpReply reply = http.introspect(access, access);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("cache-control"), QByteArray("no-store"));
        QJsonObject result = reply.json();
        QCOMPARE(result.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(result.value(QStringLiteral("scope")).toString(), SandboxHttp::defaultScope());
        QCOMPARE(result.value(QStringLiteral("client_id")).toString(), kDemo);
        QCOMPARE(result.value(QStringLiteral("patient")).toString(), token.value(QStringLiteral("patient")).toString());
        QCOMPARE(result.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(result.value(QStringLiteral("exp")).toInteger() > now + 3000);

        result = http.introspect(refresh, access).json();
        QCOMPARE(result.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(result.value(QStringLiteral("token_type")).toString(), QStringLiteral("refresh_token"));
        QVERIFY(result.value(QStringLiteral("exp")).toInteger() > now + 80LL * 24 * 3600);

        // client_id instead of a bearer token.
        reply = http.postForm(http.authUrl(QStringLiteral("introspect")),
            { { QStringLiteral("token"), access }, { QStringLiteral("client_id"), kDemo } });
        QCOMPARE(reply.json().value(QStringLiteral("active")).toBool(), true);

        QCOMPARE(http.introspect(QStringLiteral("unknown"), access).json(),
            QJsonObject({ { QStringLiteral("active"), false } }));
        QCOMPARE(
            http.postForm(http.authUrl(QStringLiteral("introspect")), { { QStringLiteral("token"), access } }).status,
            401);
        const HttpReply badBearer = http.introspect(access, QStringLiteral("bogus"));
        QCOMPARE(badBearer.status, 401);
        QVERIFY(badBearer.header("www-authenticate").startsWith("Bearer"));
        verifyOAuthError(http.postForm(http.authUrl(QStringLiteral("introspect")), {},
                             { { "Authorization", "Bearer " + access.toLatin1() } }),
            400, QStringLiteral("invalid_request"));

        // A rotated-out refresh token is inactive; after revocation all are.
        const QJsonObject rotated = http.refresh(refresh).json();
        const QString newAccess = rotated.value(QStringLiteral("access_token")).toString();
        QCOMPARE(http.introspect(refresh, newAccess).json(), QJsonObject({ { QStringLiteral("active"), false } }));
        QCOMPARE(http.postForm(http.authUrl(QStringLiteral("revoke")),
                         { { QStringLiteral("token"), newAccess }, { QStringLiteral("client_id"), kDemo } })
                     .status,
            200);
        reply = http.postForm(http.authUrl(QStringLiteral("introspect")),
            { { QStringLiteral("token"), rotated.value(QStringLiteral("refresh_token")).toString() },
                { QStringLiteral("client_id"), kDemo } });
        QCOMPARE(reply.json(), QJsonObject({ { QStringLiteral("active"), false } }));
    }

    void idTokenIsSignedWithTheJwksKey()
    {
        SandboxHttp http(m_sandbox);
        const HttpReply jwks = http.get(http.authUrl(QStringLiteral("jwks")));
        QCOMPARE(jwks.status, 200);
        const QJsonObject jwk = jwks.json().value(QStringLiteral("keys")).toArray().at(0).toObject();
        QCOMPARE(jwk.value(QStringLiteral("kty")).toString(), QStringLiteral("RSA"));
        QVERIFY(!jwk.value(QStringLiteral("kid")).toString().isEmpty());
        QVERIFY(!jwk.contains(QStringLiteral("d"))); // public only
        QCOMPARE(fromBase64Url(jwk.value(QStringLiteral("n")).toString()).size(), 256); // 2048 bits

        const QString verifier = SandboxHttp::newVerifier();
        const QString code = obtainCode(http, verifier, kDemo, SandboxHttp::defaultScope(), QStringLiteral("nonce-42"));
        const QJsonObject token
            = http.postForm(http.authUrl(QStringLiteral("token")), exchangeParams(code, verifier)).json();
        const QStringList parts = token.value(QStringLiteral("id_token")).toString().split(QLatin1Char('.'));
        QCOMPARE(parts.size(), 3);
        const QJsonObject header = QJsonDocument::fromJson(fromBase64Url(parts.at(0))).object();
        QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("RS256"));
        QCOMPARE(header.value(QStringLiteral("kid")).toString(), jwk.value(QStringLiteral("kid")).toString());
        const QByteArray signingInput = parts.at(0).toLatin1() + '.' + parts.at(1).toLatin1();
        QVERIFY(verifyRs256(jwk, signingInput, fromBase64Url(parts.at(2))));
        QVERIFY(!verifyRs256(jwk, signingInput + 'x', fromBase64Url(parts.at(2))));

        const QJsonObject claims = QJsonDocument::fromJson(fromBase64Url(parts.at(1))).object();
        const QString patient = token.value(QStringLiteral("patient")).toString();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), m_sandbox.issuer().toString());
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), http.fhirBase());
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), kDemo);
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), patient);
        QCOMPARE(claims.value(QStringLiteral("fhirUser")).toString(),
            QString(http.fhirBase() + QStringLiteral("/Patient/") + patient));
        QCOMPARE(claims.value(QStringLiteral("nonce")).toString(), QStringLiteral("nonce-42"));
        const qint64 iat = claims.value(QStringLiteral("iat")).toInteger();
        QVERIFY(iat > 0 && claims.value(QStringLiteral("exp")).toInteger() > iat);

        // A refresh brings a new id_token for the same subject.
        const QJsonObject refreshed = http.refresh(token.value(QStringLiteral("refresh_token")).toString()).json();
        const QStringList again = refreshed.value(QStringLiteral("id_token")).toString().split(QLatin1Char('.'));
        QCOMPARE(again.size(), 3);
        QVERIFY(verifyRs256(jwk, again.at(0).toLatin1() + '.' + again.at(1).toLatin1(), fromBase64Url(again.at(2))));
        QCOMPARE(QJsonDocument::fromJson(fromBase64Url(again.at(1))).object().value(QStringLiteral("sub")).toString(),
            patient);
    }

    void noTokenValueReachesTheLog()
    {
        SandboxHttp http(m_sandbox);
        const QJsonObject token = http.login();
        const QJsonObject refreshed = http.refresh(token.value(QStringLiteral("refresh_token")).toString()).json();
        QTest::qWait(100); // let the sandbox's stderr reach the pipe
        const QByteArray log = m_sandbox.standardError();
        QVERIFY(!log.isEmpty());
        for (const QJsonObject& t : { token, refreshed }) {
            for (const char* key : { "access_token", "refresh_token", "id_token" }) {
                const QByteArray value = t.value(QLatin1String(key)).toString().toLatin1();
                if (!value.isEmpty())
                    QVERIFY2(!log.contains(value), key);
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_SandboxToken)
#include "tst_SandboxToken.moc"
