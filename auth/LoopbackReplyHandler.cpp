#include "LoopbackReplyHandler.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>

namespace ondevice::auth {

namespace {

constexpr qsizetype kMaxHead = qsizetype { 8 } * 1024;
constexpr auto kDefaultTimeLimit = std::chrono::minutes(5);

QString formDecode(QByteArray value)
{
    value.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(value));
}

} // namespace

std::optional<CallbackRequest> CallbackRequest::parse(const QByteArray& head)
{
    const qsizetype lineEnd = head.indexOf("\r\n");
    if (lineEnd <= 0)
        return std::nullopt;
    const QList<QByteArray> parts = head.left(lineEnd).split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1."))
        return std::nullopt;
    CallbackRequest request;
    request.method = parts[0];
    const QByteArray& target = parts[1];
    if (!target.startsWith('/')) // origin-form only; browsers send nothing else here
        return std::nullopt;
    const qsizetype queryStart = target.indexOf('?');
    const QByteArray rawPath = queryStart < 0 ? target : target.left(queryStart);
    request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath));
    if (queryStart >= 0) {
        QByteArray query = target.mid(queryStart + 1);
        if (const qsizetype fragment = query.indexOf('#'); fragment >= 0)
            query.truncate(fragment);
        for (const QByteArray& pair : query.split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            request.query.append(
                { formDecode(eq < 0 ? pair : pair.left(eq)), formDecode(eq < 0 ? QByteArray() : pair.mid(eq + 1)) });
        }
    }
    for (const QByteArray& line : head.mid(lineEnd + 2).split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.toLower().startsWith("host:"))
            request.host = QString::fromLatin1(trimmed.mid(5).trimmed());
    }
    return request;
}

LoopbackReplyHandler::LoopbackReplyHandler(QObject* parent)
    : QOAuthOobReplyHandler(parent)
{
    m_timeLimit.setSingleShot(true);
    m_timeLimit.setInterval(kDefaultTimeLimit);
    connect(&m_timeLimit, &QTimer::timeout, this, [this] {
        qCInfo(lcAuth) << "no browser callback within the time limit; loopback listener closed";
        stopListening();
        finishBrowser(false, tr("This sign-in took too long and was stopped. Start again from OnDevice Health."));
        Q_EMIT timedOut();
    });
}

LoopbackReplyHandler::~LoopbackReplyHandler()
{
    finishBrowser(false, tr("OnDevice Health stopped waiting for this sign-in."));
}

QString LoopbackReplyHandler::listen(quint16 port)
{
    stopListening();
    m_server = new QTcpServer(this);
    // 127.0.0.1 only: QHostAddress::LocalHost, never Any. RFC 8252 §7.3 and
    // §8.3: loopback IP literal, not "localhost".
    if (!m_server->listen(QHostAddress(QHostAddress::LocalHost), port)) {
        const QString error = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return port == 0 ? tr("Could not open a local port for the sign-in (%1).").arg(error)
                         : tr("Port %1 on this computer is in use, and this provider only accepts sign-ins on that "
                              "port. Close the program using it and try again.")
                               .arg(port);
    }
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackReplyHandler::onNewConnection);
    m_port = m_server->serverPort();
    m_callbackAccepted = false;
    m_tokenResponse.reset();
    m_timeLimit.start();
    return {};
}

quint16 LoopbackReplyHandler::port() const
{
    // Kept after the listener closes: the code exchange repeats the redirect_uri.
    return m_port;
}

bool LoopbackReplyHandler::isListening() const
{
    return m_server && m_server->isListening();
}

QString LoopbackReplyHandler::callbackFor(quint16 port)
{
    return port == 0 ? QStringLiteral("http://127.0.0.1/callback")
                     : QStringLiteral("http://127.0.0.1:%1/callback").arg(port);
}

QString LoopbackReplyHandler::callback() const
{
    return callbackFor(port());
}

void LoopbackReplyHandler::stopListening()
{
    m_timeLimit.stop();
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
}

void LoopbackReplyHandler::cancel()
{
    stopListening();
    finishBrowser(false, tr("The sign-in was cancelled in OnDevice Health."));
}

void LoopbackReplyHandler::onNewConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket* socket = m_server->nextPendingConnection();
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // A connection that never sends a full request head is dropped.
        QTimer::singleShot(10000, socket, [socket] {
            if (!socket->property("answered").toBool())
                socket->abort();
        });
    }
}

void LoopbackReplyHandler::onReadyRead(QTcpSocket* socket)
{
    if (socket->property("answered").toBool() || socket == m_browser)
        return;
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    if (buffer.size() > kMaxHead) {
        respond(socket, 431, "Request Header Fields Too Large", tr("This request is too large."));
        return;
    }
    if (!buffer.contains("\r\n\r\n")) {
        socket->setProperty("buffer", buffer);
        return;
    }
    const auto request = CallbackRequest::parse(buffer.left(buffer.indexOf("\r\n\r\n") + 4));
    const auto reject = [&](int status, const QByteArray& reason, const QString& why) {
        qCInfo(lcAuth) << "loopback request rejected:" << why;
        Q_EMIT rejectedCallback(why);
        respond(socket, status, reason,
            status == 404 ? tr("Not found.")
                          : tr("This sign-in response does not belong to the sign-in OnDevice Health is waiting "
                               "for. Nothing was sent to your provider. Start again from OnDevice Health if needed."));
    };
    if (!request)
        return reject(400, "Bad Request", QStringLiteral("malformed request"));
    if (request->path != QLatin1String("/callback"))
        return reject(404, "Not Found", QStringLiteral("wrong path"));
    if (request->method != "GET")
        return reject(405, "Method Not Allowed", QStringLiteral("method %1").arg(QString::fromLatin1(request->method)));
    // A page on another origin that points the browser here (DNS rebinding)
    // carries another Host.
    if (request->host != QStringLiteral("127.0.0.1:%1").arg(port()) || port() == 0)
        return reject(400, "Bad Request", QStringLiteral("unexpected Host header"));
    if (m_callbackAccepted)
        return reject(400, "Bad Request", QStringLiteral("a second callback"));

    QVariantMap values;
    for (const auto& [key, value] : request->query) {
        if (values.contains(key)) // RFC 6749 §3.1: parameters must not repeat
            return reject(400, "Bad Request", QStringLiteral("parameter %1 repeated").arg(key));
        values.insert(key, value);
    }
    const QString state = values.value(QStringLiteral("state")).toString();
    if (state.isEmpty())
        return reject(400, "Bad Request", QStringLiteral("state missing"));
    if (m_expectedState.isEmpty() || state != m_expectedState)
        return reject(400, "Bad Request", QStringLiteral("state does not match"));

    // The one good callback: stop listening, keep this tab until the outcome is known.
    m_callbackAccepted = true;
    m_browser = socket;
    stopListening();
    if (const QString why = issuerProblem(values); !why.isEmpty()) {
        qCInfo(lcAuth) << "authorization response refused:" << why;
        Q_EMIT tokenRequestFailed(AuthFailure { AuthError::IssuerMismatch,
            tr("The answer to this sign-in did not come from the server you chose to connect to, so it was not "
               "used and nothing was stored. Start the connection again; if this repeats, tell your provider."),
            why });
        return;
    }
    m_code = values.value(QStringLiteral("code")).toString();
    Q_EMIT callbackReceived(values);
}

QString LoopbackReplyHandler::issuerProblem(const QVariantMap& values) const
{
    if (!values.contains(QStringLiteral("iss")))
        return m_issuerRequired ? QStringLiteral("no iss, though the server says it always sends one (RFC 9207)")
                                : QString();
    // Compared exactly: RFC 9207 §2.4 (simple string comparison), no trailing-slash leniency.
    if (!m_expectedIssuer.isEmpty() && values.value(QStringLiteral("iss")).toString() != m_expectedIssuer)
        return QStringLiteral("iss is not the discovered issuer (RFC 9207 mix-up defence)");
    return {};
}

void LoopbackReplyHandler::networkReplyFinished(QNetworkReply* reply)
{
    // Replaces QOAuthOobReplyHandler's, which ignores any error silently in Qt 6.4.
    HttpResult result;
    result.error = reply->error();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    if (m_dpopNonces) {
        const bool newNonce = m_dpopNonces->remember(m_tokenEndpoint, reply->rawHeader("DPoP-Nonce"));
        // The server checks the proof before it spends the code: the same code goes again, once.
        if (newNonce && !m_nonceRequested && asksForDpopNonce(result)) {
            m_nonceRequested = true;
            Q_EMIT nonceRequested();
            return;
        }
    }
    if (result.error != QNetworkReply::NoError || result.status != 200) {
        Q_EMIT tokenRequestFailed(codeExchangeFailure(result));
        return;
    }
    auto parsed = TokenResponse::parse(result.body);
    if (!parsed) {
        Q_EMIT tokenRequestFailed(parsed.failure());
        return;
    }
    TokenResponse tokens = std::move(parsed).value();
    // Without a proof, a DPoP token would be bound to a key this app does not have. With one, a Bearer answer
    // only means the server did not bind: the connection stays unbound (ConnectionManager).
    if (const auto mismatch = tokens.typeMismatch(false); mismatch && !m_dpopNonces) {
        Q_EMIT tokenRequestFailed(*mismatch);
        return;
    }
    // The flow needs only enough to mark itself Granted; the refresh token and
    // id_token stay with us and never enter the flow's object.
    QVariantMap forFlow {
        { QStringLiteral("access_token"), QString::fromUtf8(tokens.accessToken) },
        { QStringLiteral("token_type"), QStringLiteral("Bearer") },
    };
    if (tokens.expiresIn)
        forFlow.insert(QStringLiteral("expires_in"), static_cast<int>(*tokens.expiresIn));
    m_tokenResponse = std::move(tokens);
    Q_EMIT tokensReceived(forFlow);
}

std::optional<TokenResponse> LoopbackReplyHandler::takeTokenResponse()
{
    return std::exchange(m_tokenResponse, std::nullopt);
}

void LoopbackReplyHandler::finishBrowser(bool success, const QString& message)
{
    if (!m_browser)
        return;
    respond(m_browser, success ? 200 : 400, success ? "OK" : "Bad Request", message);
    m_browser = nullptr;
}

void LoopbackReplyHandler::respond(QTcpSocket* socket, int status, const QByteArray& reason, const QString& text)
{
    socket->setProperty("answered", true);
    const QString title = status == 200 ? tr("Connected") : tr("Not connected");
    const QByteArray body = QStringLiteral("<!doctype html><html><head><meta charset=\"utf-8\"><title>%1</title>"
                                           "<link rel=\"icon\" href=\"data:,\">"
                                           "<style>body{font-family:sans-serif;max-width:36em;margin:4em auto;"
                                           "line-height:1.5}</style></head><body><h1>%1</h1><p>%2</p>"
                                           "<p>%3</p></body></html>")
                                .arg(title.toHtmlEscaped(), text.toHtmlEscaped(),
                                    tr("You can close this tab and return to OnDevice Health.").toHtmlEscaped())
                                .toUtf8();
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    response += "Content-Type: text/html; charset=utf-8\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    // The page loads nothing and runs nothing: its one inline stylesheet and its empty icon (which stops a
    // request for /favicon.ico to a listener that has closed) are all the policy allows.
    response
        += "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
           "frame-ancestors 'none'; base-uri 'none'\r\n";
    response += "X-Content-Type-Options: nosniff\r\n";
    response += "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
    response += body;
    socket->write(response);
    socket->flush(); // small and local: written now, even if the process ends next
    socket->disconnectFromHost();
}

} // namespace ondevice::auth
