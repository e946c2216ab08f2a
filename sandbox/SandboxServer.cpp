#include "SandboxServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace ondevice::sandbox {

SandboxOptions SandboxOptions::parse(const QStringList& arguments)
{
    SandboxOptions options;
    QCommandLineParser parser;
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port (0 = a free port)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption bind(QStringLiteral("bind"), QStringLiteral("Address to bind."), QStringLiteral("ADDR"), QStringLiteral("127.0.0.1"));
    parser.addOptions({ port, bind });
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        options.error = QStringLiteral("--port must be 0..65535");
        return options;
    }
    options.port = static_cast<quint16>(portValue);
    if (!options.bind.setAddress(parser.value(bind)))
        options.error = QStringLiteral("--bind must be an IP address");
    return options;
}

SandboxServer::SandboxServer(SandboxOptions options)
    : m_options(std::move(options))
{
}

QString SandboxServer::listen()
{
    m_port = m_http.listen(m_options.bind, m_options.port);
    if (m_port == 0)
        return QStringLiteral("cannot listen on %1:%2").arg(m_options.bind.toString()).arg(m_options.port);
    return {};
}

QString SandboxServer::origin() const
{
    return QStringLiteral("http://%1:%2").arg(m_options.bind.toString()).arg(m_port);
}

QString SandboxServer::announcement() const
{
    const QJsonObject line {
        { QStringLiteral("fhir_base"), QString(origin() + QStringLiteral("/fhir")) },
        { QStringLiteral("admin_base"), QString(origin() + QStringLiteral("/admin")) },
        { QStringLiteral("issuer"), QString(origin() + QStringLiteral("/fhir")) },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
    };
    return QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

} // namespace ondevice::sandbox
