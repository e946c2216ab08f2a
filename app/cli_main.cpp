// ondevice-cli: the same connections as the app, for scripts. It never prompts.
// Exit codes: 0 ok, 2 needs reconnect, 3 keychain unavailable, 4 offline or
// server error, 1 anything else.

#include "AppSetup.h"

#include "auth/ConnectionRegistry.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace {

enum ExitCode { Ok = 0, Other = 1 };

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err()
{
    static QTextStream stream(stderr);
    return stream;
}

int status(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), QObject::tr("Print JSON (schema: docs/cli.md)."));
    parser.addOption(json);
    if (!parser.parse(arguments)) {
        err() << parser.errorText() << Qt::endl;
        return Other;
    }
    const ondevice::auth::ConnectionRegistry registry(ondevice::auth::ConnectionRegistry::defaultPath());
    const auto loaded = registry.load();
    if (!loaded) {
        err() << loaded.failure().message << Qt::endl;
        return Other;
    }
    const auto& connections = loaded.value();
    if (parser.isSet(json)) {
        QJsonArray entries;
        for (const auto& connection : connections)
            entries << connection.toJson();
        out() << QJsonDocument(QJsonObject { { QStringLiteral("connections"), entries } }).toJson(QJsonDocument::Indented);
        return Ok;
    }
    if (connections.isEmpty()) {
        out() << QObject::tr("No providers connected.") << Qt::endl;
        return Ok;
    }
    for (const auto& c : connections) {
        out() << c.id << "  " << c.issuer.toString() << "  patient " << c.patientId << "  "
              << ondevice::auth::toString(c.state) << Qt::endl;
    }
    return Ok;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    ondevice::app::configureApplication(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("OnDevice Health from the command line.\n\nCommands:\n"
                                                 "  status [--json]   every connection and its state; never a secret"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QObject::tr("The command to run."));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        err() << parser.helpText();
        return Other;
    }
    const QString command = positional.first();
    const QStringList rest = QStringList { QCoreApplication::applicationName() } + positional.mid(1);
    if (command == QLatin1String("status"))
        return status(rest);
    err() << QObject::tr("Unknown command: %1").arg(command) << Qt::endl;
    return Other;
}
