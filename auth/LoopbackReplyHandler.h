#pragma once

#include "AuthError.h"
#include "Dpop.h"
#include "TokenResponse.h"

#include <QOAuthOobReplyHandler>
#include <QPointer>
#include <QTimer>

#include <optional>

class QTcpServer;
class QTcpSocket;

namespace ondevice::auth {

// The parsed head of one HTTP request from the browser.
struct CallbackRequest {
    QByteArray method;
    QString path; // decoded path, without the query
    QString host; // the Host header
    QList<std::pair<QString, QString>> query; // fully decoded, in order, duplicates kept

    // Parses "GET /callback?code=..&state=.. HTTP/1.1\r\nHost: ..\r\n..\r\n\r\n".
    // Query values are decoded as application/x-www-form-urlencoded ("+" is a
    // space, then percent-decoding), which is how RFC 6749 §4.1.2 adds them.
    static std::optional<CallbackRequest> parse(const QByteArray& head);
};

// Receives the browser's redirect on http://127.0.0.1:<port>/callback and
// hands the token-endpoint answer to QOAuth2AuthorizationCodeFlow.
//
// Replaces Qt 6.4's QOAuthHttpServerReplyHandler, which listens on every
// interface, answers the browser 200 before the state is checked, matches the
// path as a prefix, keeps listening after the callback, and reports
// 127.0.0.1 whatever it bound. This one:
//  - listens on 127.0.0.1 only, on the registered port (0 = any);
//  - accepts exactly GET /callback with Host 127.0.0.1:<port>; any other
//    request gets 404 or 400;
//  - a missing or wrong state, repeated parameters, or an error= callback with
//    a wrong state get HTTP 400 and never reach the flow;
//  - stops listening after the first good callback, on cancel(), or after the
//    time limit (5 minutes);
//  - holds the browser's connection open and answers it only when
//    finishBrowser() says how the whole exchange ended;
//  - surfaces token-endpoint errors (Qt 6.4 drops them silently).
class LoopbackReplyHandler : public QOAuthOobReplyHandler {
    Q_OBJECT

public:
    explicit LoopbackReplyHandler(QObject* parent = nullptr);
    ~LoopbackReplyHandler() override;

    // Empty on success, else why (port in use, ...).
    QString listen(quint16 port);
    quint16 port() const;
    bool isListening() const;

    // The state the next callback must carry (set before each grant).
    void setExpectedState(const QString& state) { m_expectedState = state; }
    // RFC 9207 mix-up defence: an `iss` in the authorization response (code or error) must be exactly the
    // discovered issuer (never a FHIR-base fallback; not checked when discovery named none), and when the
    // server says it always sends one, a response without it is refused. A refused response is never
    // handed to the flow: its code is not exchanged.
    void setExpectedIssuer(const QString& issuer, bool required)
    {
        m_expectedIssuer = issuer;
        m_issuerRequired = required;
    }
    void setTimeLimit(std::chrono::milliseconds limit) { m_timeLimit.setInterval(limit); }
    // The code exchange carries a DPoP proof (SmartLaunch stamps it): the answer's DPoP-Nonce is kept in
    // `nonces`, one `use_dpop_nonce` refusal asks for the exchange again (nonceRequested), and a Bearer
    // answer is not an error (the connection stays unbound).
    void setDpopNonces(DpopNonces* nonces, const QUrl& tokenEndpoint)
    {
        m_dpopNonces = nonces;
        m_tokenEndpoint = tokenEndpoint;
    }
    QString code() const { return m_code; }

    // The redirect URI for a port: http://127.0.0.1:PORT/callback, or without a port for 0 (RFC 8252 section
    // 7.3: a loopback redirect registered without a port matches any).
    static QString callbackFor(quint16 port);
    QString callback() const override;
    void networkReplyFinished(QNetworkReply* reply) override;

    // The last successful token response; consumed (moved out) by the caller.
    std::optional<TokenResponse> takeTokenResponse();

    // Answer the waiting browser tab and close it.
    void finishBrowser(bool success, const QString& message);
    void cancel();

Q_SIGNALS:
    void tokenRequestFailed(const ondevice::auth::AuthFailure& failure);
    void nonceRequested(); // the token endpoint wants the exchange again with its new DPoP nonce
    void rejectedCallback(const QString& reason); // for the protocol timeline and tests
    void timedOut();

private:
    QString issuerProblem(const QVariantMap& values) const;
    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void respond(QTcpSocket* socket, int status, const QByteArray& reason, const QString& text);
    void stopListening();

    QTcpServer* m_server = nullptr;
    quint16 m_port = 0;
    QString m_expectedState;
    QString m_expectedIssuer;
    bool m_issuerRequired = false;
    QPointer<QTcpSocket> m_browser; // the tab waiting for the outcome
    QTimer m_timeLimit;
    std::optional<TokenResponse> m_tokenResponse;
    bool m_callbackAccepted = false;
    QString m_code; // of the accepted callback, for a code exchange asked again with a DPoP nonce
    DpopNonces* m_dpopNonces = nullptr;
    QUrl m_tokenEndpoint;
    bool m_nonceRequested = false;
};

} // namespace ondevice::auth
