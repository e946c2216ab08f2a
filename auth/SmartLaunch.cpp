#include "SmartLaunch.h"

#include "ClientRegistration.h"
#include "DeviceKey.h"
#include "Dpop.h"
#include "Logging.h"
#include "LoopbackReplyHandler.h"
#include "QtCompat.h"
#include "core/Base64Url.h"
#include "core/Continuations.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QOAuth2AuthorizationCodeFlow>
#include <QPromise>
#include <QRandomGenerator>

namespace ondevice::auth {

class LaunchPromise {
public:
    QPromise<AuthResult<TokenResponse>> promise;
    bool done = false;
};

namespace {

// Decode whatever Qt put in (some values pre-encoded, some raw) and encode
// once, every byte outside the unreserved set. QUrlQuery keeps such escapes
// as they are, so the server decodes exactly the original value.
void reencode(QMultiMap<QString, QVariant>* parameters)
{
    for (auto& parameter : *parameters) {
        const QByteArray raw
            = parameter.typeId() == QMetaType::QByteArray ? parameter.toByteArray() : parameter.toString().toUtf8();
        parameter = QString::fromLatin1(QByteArray::fromPercentEncoding(raw).toPercentEncoding());
    }
}

// Qt 6.4's flow builds the code-exchange request itself and offers no hook for a header (a request modifier
// arrives in Qt 6.9): the flow is given this manager, which stamps a fresh DPoP proof, with the server's
// latest nonce, on each POST to the token endpoint and passes every other request through unchanged.
class DpopStampingManager : public QNetworkAccessManager {
public:
    DpopStampingManager(QUrl tokenEndpoint, const DeviceKey& key, DpopNonces& nonces, QObject* parent)
        : QNetworkAccessManager(parent)
        , m_tokenEndpoint(std::move(tokenEndpoint))
        , m_key(key)
        , m_nonces(nonces)
    {
    }

protected:
    QNetworkReply* createRequest(Operation op, const QNetworkRequest& request, QIODevice* data) override
    {
        if (op != PostOperation
            || request.url().adjusted(QUrl::RemoveQuery) != m_tokenEndpoint.adjusted(QUrl::RemoveQuery))
            return QNetworkAccessManager::createRequest(op, request, data);
        QNetworkRequest stamped(request);
        auto proof
            = makeDpopProof(m_key, { QByteArrayLiteral("POST"), request.url(), {}, m_nonces.nonceFor(request.url()) },
                QDateTime::currentDateTimeUtc());
        if (proof)
            stamped.setRawHeader("DPoP", proof.value());
        else
            qCWarning(lcAuth) << "no DPoP proof for the code exchange:" << proof.failure().detail;
        return QNetworkAccessManager::createRequest(op, stamped, data);
    }

private:
    QUrl m_tokenEndpoint;
    const DeviceKey& m_key;
    DpopNonces& m_nonces;
};

// The flow, with its code exchange callable again: Qt 6.4 keeps requestAccessToken() protected, and a DPoP
// server may refuse the first exchange for want of its nonce without spending the code.
class CodeFlow : public QOAuth2AuthorizationCodeFlow {
public:
    using QOAuth2AuthorizationCodeFlow::QOAuth2AuthorizationCodeFlow;
    using QOAuth2AuthorizationCodeFlow::requestAccessToken;
};

} // namespace

QString randomUrlSafe(int bytes)
{
    QByteArray buffer(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(buffer.begin(), buffer.end());
    return QString::fromLatin1(base64UrlEncode(buffer));
}

QString pkceChallenge(const QString& verifier)
{
    return QString::fromLatin1(
        base64UrlEncode(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)));
}

SmartLaunch::SmartLaunch(QNetworkAccessManager& network, UrlOpener openBrowser, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_openBrowser(std::move(openBrowser))
    , m_timeLimit(std::chrono::minutes(5))
{
}

SmartLaunch::~SmartLaunch()
{
    if (m_pending && !m_pending->done)
        finish(
            AuthFailure { AuthError::Cancelled, tr("The sign-in was cancelled."), QStringLiteral("launch destroyed") });
}

void SmartLaunch::setTimeLimit(std::chrono::milliseconds limit)
{
    m_timeLimit = limit;
    if (m_handler)
        m_handler->setTimeLimit(limit);
}

QString SmartLaunch::redirectUri() const
{
    if (const LoopbackReplyHandler* handler = m_handler.data())
        return handler->callback();
    return {};
}

QFuture<AuthResult<TokenResponse>> SmartLaunch::start(const LaunchRequest& request)
{
    if (m_pending && !m_pending->done)
        finish(
            AuthFailure { AuthError::Cancelled, tr("A new sign-in replaced this one."), QStringLiteral("restarted") });
    delete m_flow;
    delete m_handler;
    delete m_stamping;
    m_pending = std::make_shared<LaunchPromise>();
    m_pending->promise.start();
    QFuture<AuthResult<TokenResponse>> future = m_pending->promise.future();

    m_handler = new LoopbackReplyHandler(this);
    m_handler->setTimeLimit(m_timeLimit);
    if (const QString error = m_handler->listen(request.redirectPort); !error.isEmpty()) {
        finish(AuthFailure { AuthError::Network, error, QStringLiteral("loopback listen failed") });
        return future;
    }

    const SmartConfiguration& config = request.configuration;
    QNetworkAccessManager* network = &m_network;
    if (request.dpopKey && request.dpopNonces) {
        m_stamping = new DpopStampingManager(config.tokenEndpoint, *request.dpopKey, *request.dpopNonces, this);
        m_handler->setDpopNonces(request.dpopNonces, config.tokenEndpoint);
        network = m_stamping;
    }
    m_flow = new CodeFlow(network, this);
    m_flow->setClientIdentifier(request.clientId);
    m_flow->setAuthorizationUrl(config.authorizationEndpoint);
    m_flow->setAccessTokenUrl(config.tokenEndpoint);
    m_flow->setScope(request.scope.isEmpty() ? config.defaultScope() : request.scope);
    m_flow->setReplyHandler(m_handler);

    // Qt 6.4 generates a short, time-seeded state and reuses it across grants.
    const QString state = randomUrlSafe(32);
    m_flow->setState(state);
    m_handler->setExpectedState(state);
    m_handler->setExpectedIssuer(config.issuer, config.authorizationResponseIss);

    const QString verifier = randomUrlSafe(32); // 43 characters, RFC 7636 §4.1
    const QString challenge = pkceChallenge(verifier);
    const QString audience = config.fhirBase.toString();
    const DeviceKey* clientKey = request.clientKey;
    const QString clientId = request.clientId;
    const QUrl tokenEndpoint = config.tokenEndpoint;
    compat::enableNativePkce(*m_flow);
    m_flow->setModifyParametersFunction([verifier, challenge, audience, clientKey, clientId, tokenEndpoint](
                                            QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant>* parameters) {
        if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
            parameters->insert(QStringLiteral("aud"), audience);
            if (!compat::kNativePkce) {
                parameters->insert(QStringLiteral("code_challenge"), challenge);
                parameters->insert(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
            }
        } else if (stage == QAbstractOAuth::Stage::RequestingAccessToken) {
            if (!compat::kNativePkce)
                parameters->insert(QStringLiteral("code_verifier"), verifier);
            // A registered client authenticates the exchange; a fresh assertion for each try (a retry for a
            // DPoP nonce must not replay a jti the server has spent).
            if (clientKey) {
                auto assertion
                    = makeClientAssertion(*clientKey, clientId, tokenEndpoint, QDateTime::currentDateTimeUtc());
                if (assertion) {
                    parameters->insert(
                        QStringLiteral("client_assertion_type"), QString::fromLatin1(kClientAssertionType));
                    parameters->insert(QStringLiteral("client_assertion"), QString::fromLatin1(assertion.value()));
                } else {
                    qCWarning(lcAuth) << "no client assertion for the code exchange:" << assertion.failure().detail;
                }
            }
        }
        reencode(parameters);
    });

    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl& url) {
        Q_EMIT authorizationUrlReady(url);
        if (m_openBrowser)
            m_openBrowser(url);
    });
    connect(m_flow, &QAbstractOAuth::granted, this, [this] {
        auto tokens = m_handler ? m_handler->takeTokenResponse() : std::nullopt;
        if (!tokens) {
            finish(AuthFailure { AuthError::InvalidResponse, tr("The sign-in did not complete."),
                QStringLiteral("granted without a token response") });
            return;
        }
        finish(std::move(*tokens));
    });
    connect(
        m_flow, &QAbstractOAuth2::error, this, [this](const QString& error, const QString& description, const QUrl&) {
            const QString detail = QStringLiteral("authorize error %1 %2").arg(error.left(64), description.left(200));
            if (error == QLatin1String("access_denied"))
                finish(AuthFailure { AuthError::AccessDenied,
                    tr("Access was not granted. Nothing was stored. You can try again at any time."), detail });
            else
                finish(AuthFailure {
                    AuthError::OAuth, tr("The provider refused the sign-in (%1).").arg(error.left(64)), detail });
        });
    connect(m_flow, &QAbstractOAuth::requestFailed, this, [this](QAbstractOAuth::Error error) {
        finish(AuthFailure { AuthError::Server, tr("The sign-in failed."),
            QStringLiteral("flow reported error %1").arg(static_cast<int>(error)) });
    });
    connect(m_handler, &LoopbackReplyHandler::tokenRequestFailed, this,
        [this](const AuthFailure& failure) { finish(failure); });
    connect(m_handler, &LoopbackReplyHandler::rejectedCallback, this, &SmartLaunch::callbackRejected);
    // The token endpoint asked for its DPoP nonce before spending the code: the same code once more.
    connect(m_handler, &LoopbackReplyHandler::nonceRequested, this, [this] {
        if (m_flow && m_handler)
            static_cast<CodeFlow*>(m_flow.data())->requestAccessToken(m_handler->code());
    });
    connect(m_handler, &LoopbackReplyHandler::timedOut, this, [this] {
        finish(AuthFailure { AuthError::TimedOut,
            tr("No answer came back from the browser in time. Start the connection again."),
            QStringLiteral("loopback time limit") });
    });

    qCInfo(lcAuth) << "launch: authorize at" << config.authorizationEndpoint.host() << "redirect port"
                   << m_handler->port();
    m_flow->grant();
    return future;
}

void SmartLaunch::cancel()
{
    finish(AuthFailure { AuthError::Cancelled, tr("The sign-in was cancelled."), QStringLiteral("cancelled") });
}

void SmartLaunch::finishBrowser(bool success, const QString& message)
{
    if (m_handler)
        m_handler->finishBrowser(success, message);
}

void SmartLaunch::finish(AuthResult<TokenResponse> result)
{
    if (!m_pending || m_pending->done)
        return;
    m_pending->done = true;
    if (!result.ok() && m_handler) {
        m_handler->finishBrowser(false, result.failure().message);
        m_handler->cancel(); // stops listening
    }
    auto pending = m_pending; // keep alive while continuations run
    pending->promise.addResult(std::move(result));
    pending->promise.finish();
}

} // namespace ondevice::auth
