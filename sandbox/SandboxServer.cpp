#include "SandboxServer.h"

#include "DataGenerator.h"
#include "Http.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace ondevice::sandbox {

Q_LOGGING_CATEGORY(lcServer, "ondevice.sandbox")

using Status = QHttpServerResponse::StatusCode;

SandboxServer::SandboxServer(SandboxOptions options)
    : m_options(std::move(options))
    , m_auth(m_options, m_store, m_stats, m_key)
    , m_fhir(m_store, m_auth, m_stats)
    , m_admin(m_store, m_auth, m_stats)
{
}

QString SandboxServer::start()
{
    if (!m_key.isValid())
        return QStringLiteral("cannot generate the RSA signing key");
    QElapsedTimer timer;
    timer.start();
    DataGenerator(m_options.seed).generate(m_store, m_options.patients, m_options.resourcesPerPatient);
    qCInfo(lcServer) << "generated" << m_store.size() << "resources in" << timer.elapsed() << "ms";
    if (!m_options.autoApprove.isEmpty() && m_options.autoApprove != QLatin1String("first")
        && !m_store.get(QStringLiteral("Patient"), m_options.autoApprove))
        return QStringLiteral("--auto-approve names an unknown patient: ") + m_options.autoApprove;

    m_http.setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        dispatch(request).write(std::move(responder));
    });
    m_port = m_http.listen(m_options.bind, m_options.port);
    if (m_port == 0)
        return QStringLiteral("cannot listen on %1:%2").arg(m_options.bind.toString()).arg(m_options.port);
    m_auth.setBase(origin(), fhirBase());
    m_fhir.setBase(fhirBase());
    return {};
}

QString SandboxServer::origin() const
{
    // A wildcard bind is reached through loopback from this machine.
    QHostAddress host = m_options.bind;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    const QString text = host.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(host.toString()) : host.toString();
    return QStringLiteral("http://%1:%2").arg(text).arg(m_port);
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

QHttpServerResponse SandboxServer::dispatch(const QHttpServerRequest& request)
{
    const QString path = request.url().path();
    // The path only: queries carry states, challenges and patient ids.
    qCDebug(lcServer) << request.method() << path;
    using Method = QHttpServerRequest::Method;
    if (path == QLatin1String("/fhir") || path.startsWith(QLatin1String("/fhir/")))
        return m_fhir.handle(request, path.mid(5));
    if (path == QLatin1String("/auth/authorize"))
        return m_auth.authorize(request);
    if (path == QLatin1String("/auth/authorize/decision"))
        return m_auth.decide(request);
    if (path == QLatin1String("/auth/token"))
        return m_auth.token(request);
    if (path == QLatin1String("/auth/revoke"))
        return m_auth.revoke(request);
    if (path == QLatin1String("/auth/introspect"))
        return m_auth.introspect(request);
    if (path == QLatin1String("/auth/jwks"))
        return request.method() == Method::Get ? Http::json(m_auth.jwks()) : Http::json({ { QStringLiteral("error"), QStringLiteral("use GET") } }, Status::MethodNotAllowed);
    if (path == QLatin1String("/admin") || path.startsWith(QLatin1String("/admin/"))) {
        // The admin API can revoke and rewrite everything: this machine only.
        if (!request.remoteAddress().isLoopback())
            return Http::json({ { QStringLiteral("error"), QStringLiteral("the admin API answers loopback peers only") } }, Status::Forbidden);
        return m_admin.handle(request, path.mid(6));
    }
    if (path == QLatin1String("/smart-style.json"))
        return Http::json({ { QStringLiteral("color_background"), QStringLiteral("#f6f8fa") }, { QStringLiteral("color_highlight"), QStringLiteral("#1f6feb") },
            { QStringLiteral("font_family_base"), QStringLiteral("sans-serif") }, { QStringLiteral("dim_border_radius"), QStringLiteral("6px") } });
    if (path == QLatin1String("/"))
        return Http::html(QStringLiteral("ondevice-sandbox"), QStringLiteral("<p>FHIR base: <code>%1</code></p>").arg(fhirBase().toHtmlEscaped()));
    return Http::json({ { QStringLiteral("error"), QStringLiteral("not found") } }, Status::NotFound);
}

} // namespace ondevice::sandbox
