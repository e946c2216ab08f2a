#pragma once

#include "AuthError.h"
#include "SmartConfiguration.h"
#include "TokenResponse.h"

#include <QFuture>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QOAuth2AuthorizationCodeFlow;

namespace ondevice::auth {

class DeviceKey;
class DpopNonces;
class LoopbackReplyHandler;
class LaunchPromise;

struct LaunchRequest {
    SmartConfiguration configuration;
    QString clientId;
    quint16 redirectPort = 0; // the port registered with this server; 0 = any (RFC 8252)
    QString scope; // empty: configuration.defaultScope()
    // DPoP: the code exchange carries a proof by this key, with the nonces the server hands out (both must
    // outlive the launch); null: no proof.
    const DeviceKey* dpopKey = nullptr;
    DpopNonces* dpopNonces = nullptr;
    // A client registered for this computer (clientId is its id): the code exchange authenticates with a
    // fresh private_key_jwt assertion by this key (must outlive the launch); null: a public client.
    const DeviceKey* clientKey = nullptr;
};

// Opens a URL in the user's browser (QDesktopServices in the app, xdg-open in
// the CLI, a hook in tests).
using UrlOpener = std::function<void(const QUrl&)>;

// The SMART standalone launch: the browser leg and the code exchange, through
// QOAuth2AuthorizationCodeFlow with our LoopbackReplyHandler.
//
// Workarounds for Qt 6.4 NetworkAuth, each with a test in tst_SmartLaunch:
//  - PKCE S256 is added through the modify-parameters hook (Qt < 6.8) or the
//    native API (6.8+), never both (compat::kNativePkce);
//  - the state is set before every grant, 256 bits from the system CSPRNG,
//    because Qt's own is 8 characters from a time-seeded PRNG and is reused;
//  - every value of the token request is decoded fully and re-encoded once,
//    because Qt pre-encodes some values and not others (a "+" would arrive as a
//    space, a percent-encoded code double-encoded);
//  - token-endpoint errors are surfaced by the reply handler.
class SmartLaunch : public QObject {
    Q_OBJECT

public:
    SmartLaunch(QNetworkAccessManager& network, UrlOpener openBrowser, QObject* parent = nullptr);
    ~SmartLaunch() override;

    // Finishes when the code exchange has an answer, or the launch failed,
    // was cancelled or timed out. One launch per object at a time.
    QFuture<AuthResult<TokenResponse>> start(const LaunchRequest& request);
    void cancel();

    // Tells the waiting browser tab how it ended, once the caller has checked
    // and stored the tokens (or refused them). Failures answer it themselves.
    void finishBrowser(bool success, const QString& message);

    QString redirectUri() const;
    void setTimeLimit(std::chrono::milliseconds limit);

Q_SIGNALS:
    void authorizationUrlReady(const QUrl& url);
    void callbackRejected(const QString& reason);

private:
    void finish(AuthResult<TokenResponse> result);

    QNetworkAccessManager& m_network;
    UrlOpener m_openBrowser;
    QPointer<QOAuth2AuthorizationCodeFlow> m_flow;
    QPointer<QNetworkAccessManager> m_stamping; // the flow's manager when the exchange carries a DPoP proof
    QPointer<LoopbackReplyHandler> m_handler;
    std::shared_ptr<LaunchPromise> m_pending;
    std::chrono::milliseconds m_timeLimit;
};

// base64url without padding of n bytes from the system CSPRNG.
QString randomUrlSafe(int bytes);
// RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))).
QString pkceChallenge(const QString& verifier);

} // namespace ondevice::auth
