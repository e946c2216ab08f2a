#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QString>
#include <QStringList>

#include <memory>

namespace ondevice::sandbox {

struct SandboxOptions {
    quint16 port = 0;
    QHostAddress bind = QHostAddress::LocalHost;
    QString error; // set by parse() when the command line is wrong

    static SandboxOptions parse(const QStringList& arguments);
};

class SandboxServer {
public:
    explicit SandboxServer(SandboxOptions options);

    // Empty on success, else why listening failed.
    QString listen();
    quint16 port() const { return m_port; }
    QString origin() const;
    // {"fhir_base":...,"admin_base":...,"issuer":...,"pid":N}
    QString announcement() const;

private:
    SandboxOptions m_options;
    QHttpServer m_http;
    quint16 m_port = 0;
};

} // namespace ondevice::sandbox
