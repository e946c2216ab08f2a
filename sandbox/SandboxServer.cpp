#include "SandboxServer.h"

#include "BrandDirectory.h"
#include "BundleLoader.h"
#include "Crypto.h"
#include "DataGenerator.h"
#include "Http.h"
#include "core/Base64Url.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>

namespace ondevice::sandbox {

Q_LOGGING_CATEGORY(lcServer, "ondevice.sandbox")

using Status = QHttpServerResponse::StatusCode;

namespace {

QHostAddress loopbackFor(const QHostAddress& bind)
{
    // A wildcard bind is reached through loopback from this machine.
    if (bind == QHostAddress::Any || bind == QHostAddress::AnyIPv4)
        return QHostAddress::LocalHost;
    if (bind == QHostAddress::AnyIPv6)
        return QHostAddress::LocalHostIPv6;
    return bind;
}

// Qt HttpServer 6.4 writes a response's head and body in separate writes;
// with Nagle's algorithm on, the body waits for the client's delayed ACK
// (about 40 ms) whenever a keep-alive client sends its next request only
// after reading the answer. Every accepted socket gets TCP_NODELAY.
class NoDelayTcpServer : public QTcpServer {
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace

quint16 SandboxServer::listenHttp(const QHostAddress& address, quint16 port)
{
    auto* server = new NoDelayTcpServer;
    if (!server->listen(address, port)) {
        delete server;
        return 0;
    }
    m_http.bind(server); // the HTTP server takes ownership
    return server->serverPort();
}

SandboxServer::SandboxServer(SandboxOptions options)
    : m_options(std::move(options))
    , m_quirks(m_options.quirks)
    , m_faults(m_options.seed)
    , m_dpop(DpopVerifier::Options {
          { QStringLiteral("ES256"), QStringLiteral("ES384") }, m_options.dpopNonceSeconds, 300 })
    , m_auth(m_options, m_store, m_stats, m_key, m_quirks, m_faults, m_dpop)
    , m_fhir(m_store, m_auth, m_stats, m_quirks, m_dpop)
    , m_admin(m_store, m_auth, m_fhir, m_stats,
          AdminControls {
              [this] { return m_faults.state(); },
              [this](const QString& spec) { return setFaults(spec); },
              [this] { return quirksState(); },
              [this](const QString& list) { return setQuirks(list); },
          })
{
    m_faults.setSpec(m_options.faults);
}

QString SandboxServer::start()
{
    if (!m_key.isValid())
        return QStringLiteral("cannot generate the RSA signing key");
    QElapsedTimer timer;
    timer.start();
    DataGenerator(m_options.seed).generate(m_store, m_options.patients, m_options.resourcesPerPatient);
    qCInfo(lcServer) << "generated" << m_store.size() << "resources in" << timer.elapsed() << "ms";
    if (!m_options.loadDirectory.isEmpty()) {
        BundleLoader loader(m_store);
        if (const QString error = loader.load(m_options.loadDirectory); !error.isEmpty()) {
            m_failureExitCode = 2;
            return QStringLiteral("--load: ") + error;
        }
        qCInfo(lcServer).noquote() << loader.summary();
    }
    if (m_quirks.everythingExtraTypes) // the records the quirk brings along must exist for every patient
        DataGenerator::addBillingRecords(m_store);
    if (!m_options.autoApprove.isEmpty() && m_options.autoApprove != QLatin1String("first")
        && !m_store.get(QStringLiteral("Patient"), m_options.autoApprove))
        return QStringLiteral("--auto-approve names an unknown patient: ") + m_options.autoApprove;

    m_http.setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        QHttpServerResponse response = dispatch(request);
        // RFC 9110 §6.6.1: an origin server with a clock sends Date. Clients
        // base incremental sync on it (never on their own clock). Quirks: none
        // at all, or one from a front end whose clock is 3 hours ahead.
        if (!m_quirks.noDateHeader) {
            const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(m_quirks.skewedDateHeader ? 3 * 3600 : 0);
            response.setHeader(QByteArrayLiteral("Date"),
                QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1());
        }
        response.write(std::move(responder));
    });
    const bool proxied = m_options.faultProxy || m_options.faults.needsProxy();
    if (proxied) {
        // The server moves to a free loopback port; the proxy takes the announced one.
        const QHostAddress loopback = loopbackFor(m_options.bind);
        m_httpPort = listenHttp(loopback, 0);
        if (m_httpPort == 0)
            return QStringLiteral("cannot listen on %1 behind the fault proxy").arg(loopback.toString());
        m_proxy = std::make_unique<FaultProxy>(
            m_faults, [this](const QString& path) { return classify(path); }, m_stats);
        if (!m_proxy->listen(m_options.bind, m_options.port, loopback, m_httpPort))
            return QStringLiteral("cannot listen on %1:%2").arg(m_options.bind.toString()).arg(m_options.port);
        m_port = m_proxy->port();
        m_faults.setProxyRunning(true);
    } else {
        m_port = m_httpPort = listenHttp(m_options.bind, m_options.port);
        if (m_port == 0)
            return QStringLiteral("cannot listen on %1:%2").arg(m_options.bind.toString()).arg(m_options.port);
    }
    applyBase();
    return {};
}

QString SandboxServer::origin() const
{
    const QHostAddress host = loopbackFor(m_options.bind);
    const QString text = host.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(host.toString())
                                                                          : host.toString();
    return QStringLiteral("http://%1:%2").arg(text).arg(m_port);
}

QString SandboxServer::fhirPath() const
{
    if (!m_quirks.launchBase)
        return QStringLiteral("/fhir");
    // smart-launcher-v2 encodes its launch options into the base path; the
    // segment is opaque to a client, which must use the base as given.
    static const QByteArray launch
        = base64UrlEncode(QByteArrayLiteral("{\"launch_type\":\"patient-standalone\",\"client_type\":\"public\","
                                            "\"pkce\":\"always\",\"sim\":\"ondevice-sandbox\"}"));
    return QStringLiteral("/v/r4/sim/") + QString::fromLatin1(launch) + QStringLiteral("/fhir");
}

void SandboxServer::applyBase()
{
    m_auth.setBase(origin(), fhirBase());
    m_fhir.setBase(fhirBase());
}

QString SandboxServer::announcement() const
{
    // The issuer is the FHIR base (SMART: iss of the id_token = the FHIR base URL).
    const QJsonObject line {
        { QStringLiteral("fhir_base"), fhirBase() },
        { QStringLiteral("admin_base"), QString(origin() + QStringLiteral("/admin")) },
        { QStringLiteral("issuer"), m_auth.issuer() },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
    };
    return QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

FaultTarget SandboxServer::classify(const QString& path) const
{
    const QString fhir = fhirPath();
    if (path == fhir + QStringLiteral("/metadata") || path.startsWith(fhir + QStringLiteral("/.well-known/"))
        || path.startsWith(QLatin1String("/.well-known/")))
        return FaultTarget::Discovery;
    if (path == fhir || path.startsWith(fhir + QLatin1Char('/')))
        return FaultTarget::Fhir;
    if (path.startsWith(QLatin1String("/auth/")))
        return FaultTarget::Auth;
    return FaultTarget::Never; // admin, the home page, the SMART style
}

QString SandboxServer::setFaults(const QString& spec)
{
    QString error;
    const std::optional<FaultSpec> parsed = FaultSpec::parse(spec, &error);
    if (!parsed)
        return error;
    if (parsed->needsProxy() && !m_proxy)
        return QStringLiteral("latency, drop and truncate need the fault proxy: start the sandbox with --fault-proxy "
                              "(or with them in --faults)");
    m_faults.setSpec(*parsed);
    qCInfo(lcServer).noquote() << "faults:" << parsed->toString();
    return {};
}

QString SandboxServer::setQuirks(const QString& list)
{
    QString error;
    const std::optional<Quirks> parsed = Quirks::parse(list, &error);
    if (!parsed)
        return error;
    m_quirks = *parsed;
    applyBase(); // launch-base moves the FHIR base and the issuer
    if (m_quirks.everythingExtraTypes)
        DataGenerator::addBillingRecords(m_store);
    qCInfo(lcServer).noquote() << "quirks:"
                               << (m_quirks.toString().isEmpty() ? QStringLiteral("none") : m_quirks.toString());
    return {};
}

QJsonObject SandboxServer::quirksState() const
{
    return QJsonObject {
        { QStringLiteral("quirks"), m_quirks.toString() },
        { QStringLiteral("fhir_base"), fhirBase() },
        { QStringLiteral("issuer"), m_auth.issuer() },
    };
}

QHttpServerResponse SandboxServer::injectServerFault(
    FaultInjector::ServerFault fault, const QHttpServerRequest& request)
{
    const QByteArray retryAfter = QByteArray::number(m_faults.spec().retryAfterSeconds);
    switch (fault) {
    case FaultInjector::ServerFault::None:
        break;
    case FaultInjector::ServerFault::Error500:
        return Http::operationOutcome(Status::InternalServerError, QStringLiteral("exception"),
            QStringLiteral("injected fault: internal server error"));
    case FaultInjector::ServerFault::Error503: {
        QHttpServerResponse response = Http::operationOutcome(Status::ServiceUnavailable, QStringLiteral("transient"),
            QStringLiteral("injected fault: service unavailable"));
        response.setHeader(QByteArrayLiteral("Retry-After"), retryAfter);
        return response;
    }
    case FaultInjector::ServerFault::Rate429: {
        QHttpServerResponse response = Http::operationOutcome(
            Status::TooManyRequests, QStringLiteral("throttled"), QStringLiteral("injected fault: too many requests"));
        response.setHeader(QByteArrayLiteral("Retry-After"), retryAfter);
        return response;
    }
    case FaultInjector::ServerFault::Malformed: {
        // The real answer is computed (so its side effects happen), then its
        // body is broken: a 200 that does not parse as JSON.
        const QHttpServerResponse real = route(request, request.url().path());
        QByteArray body = real.data();
        body = body.left(body.size() / 2) + "<!-- injected fault: malformed -->";
        return QHttpServerResponse(
            real.mimeType().isEmpty() ? QByteArrayLiteral("application/fhir+json") : real.mimeType(), body,
            real.statusCode());
    }
    }
    return Http::operationOutcome(
        Status::InternalServerError, QStringLiteral("exception"), QStringLiteral("unknown fault"));
}

QHttpServerResponse SandboxServer::dispatch(const QHttpServerRequest& request)
{
    const QString path = request.url().path();
    // The path only: queries carry states, challenges and patient ids.
    qCDebug(lcServer) << request.method() << path;

    // Server-side faults: one draw per request they may reach, in arrival order.
    const FaultTarget target = classify(path);
    if (path == QLatin1String("/auth/token") && m_faults.drawTokenDown()) {
        QHttpServerResponse response(QByteArrayLiteral("text/html"),
            QByteArrayLiteral("<html><body><h1>503 Service Unavailable</h1></body></html>"),
            Status::ServiceUnavailable);
        response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(m_faults.spec().retryAfterSeconds));
        return response;
    }
    if (const FaultInjector::ServerFault fault = m_faults.drawServer(target); fault != FaultInjector::ServerFault::None)
        return injectServerFault(fault, request);
    return route(request, path);
}

QHttpServerResponse SandboxServer::route(const QHttpServerRequest& request, const QString& path)
{
    using Method = QHttpServerRequest::Method;
    const QString fhir = fhirPath();
    if (path == fhir || path.startsWith(fhir + QLatin1Char('/'))) {
        QHttpServerResponse response = m_fhir.handle(request, path.mid(fhir.size()));
        // RFC 9449 section 9: the resource server's nonce rides on its answers too.
        if (const QString nonce = !offersDpop(m_options.binding) ? QString() : m_dpop.currentNonce(); !nonce.isEmpty())
            response.setHeader(QByteArrayLiteral("DPoP-Nonce"), nonce.toLatin1());
        return response;
    }
    // RFC 8414 section 3.1: the issuer's path goes after the well-known name.
    if (path == QStringLiteral("/.well-known/oauth-authorization-server") + QUrl(m_auth.issuer()).path())
        return Http::json(m_auth.authorizationServerMetadata());
    // SMART User Access Brands: public, like discovery.
    if (path == QLatin1String("/brands")) {
        ++m_stats.brandBundleRequests;
        return Http::json(BrandDirectory::bundle(origin(), fhirBase(), m_options.brandsCount));
    }
    if (path.startsWith(QLatin1String("/brands/logos/")) && path.endsWith(QLatin1String(".svg"))) {
        ++m_stats.brandLogoRequests;
        const QByteArray svg = BrandDirectory::logo(path.mid(14).chopped(4));
        if (!svg.isEmpty())
            return QHttpServerResponse(QByteArrayLiteral("image/svg+xml"), svg);
    }
    if (path == QLatin1String("/auth/authorize"))
        return m_auth.authorize(request);
    if (path == QLatin1String("/auth/authorize/decision"))
        return m_auth.decide(request);
    if (path == QLatin1String("/auth/token"))
        return m_auth.token(request);
    if (path == QLatin1String("/auth/register") || path.startsWith(QLatin1String("/auth/register/")))
        return m_auth.registration(request, path);
    if (path == QLatin1String("/auth/revoke"))
        return m_auth.revoke(request);
    if (path == QLatin1String("/auth/introspect"))
        return m_auth.introspect(request);
    if (path == QLatin1String("/auth/jwks"))
        return request.method() == Method::Get
            ? Http::json(m_auth.jwks())
            : Http::json({ { QStringLiteral("error"), QStringLiteral("use GET") } }, Status::MethodNotAllowed);
    if (path == QLatin1String("/admin") || path.startsWith(QLatin1String("/admin/"))) {
        // The admin API can revoke and rewrite everything: this machine only.
        if (!request.remoteAddress().isLoopback())
            return Http::json(
                { { QStringLiteral("error"), QStringLiteral("the admin API answers loopback peers only") } },
                Status::Forbidden);
        return m_admin.handle(request, path.mid(6));
    }
    if (path == QLatin1String("/smart-style.json"))
        return Http::json({ { QStringLiteral("color_background"), QStringLiteral("#f6f8fa") },
            { QStringLiteral("color_highlight"), QStringLiteral("#1f6feb") },
            { QStringLiteral("font_family_base"), QStringLiteral("sans-serif") },
            { QStringLiteral("dim_border_radius"), QStringLiteral("6px") } });
    if (path == QLatin1String("/"))
        return Http::html(QStringLiteral("ondevice-sandbox"),
            QStringLiteral("<p>FHIR base: <code>%1</code></p>").arg(fhirBase().toHtmlEscaped()));
    return Http::json({ { QStringLiteral("error"), QStringLiteral("not found") } }, Status::NotFound);
}

} // namespace ondevice::sandbox
