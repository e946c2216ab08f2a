// ondevice-sandbox: a local SMART App Launch authorization server and FHIR R4
// server with synthetic patients. Shares no code with auth/ or fhir/.

#include "SandboxServer.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ondevice-sandbox"));

    auto options = ondevice::sandbox::SandboxOptions::parse(QCoreApplication::arguments());
    // Usage goes to stderr too: stdout carries the one JSON line and nothing else.
    if (!options.help.isEmpty()) {
        QTextStream(stderr) << options.help;
        return 0;
    }
    if (!options.error.isEmpty()) {
        QTextStream(stderr) << "ondevice-sandbox: " << options.error << Qt::endl;
        return 2;
    }
    ondevice::sandbox::SandboxServer server(options);
    const QString failure = server.start();
    if (!failure.isEmpty()) {
        QTextStream(stderr) << "ondevice-sandbox: " << failure << Qt::endl;
        return server.failureExitCode();
    }
    // The one line on stdout, flushed; nothing else ever goes there.
    QTextStream out(stdout);
    out << server.announcement() << Qt::endl;
    return QCoreApplication::exec();
}
