// ondevice-cli: the same connections as the app, for scripts. It never prompts.
// Exit codes: 0 ok, 2 needs reconnect, 3 keychain unavailable, 4 offline or
// server error, 1 anything else (docs/cli.md).

#include "AppSetup.h"
#include "Cli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    ondevice::app::configureApplication(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr(
        "OnDevice Health from the command line.\n\nCommands:\n"
        "  connect --fhir URL --client-id ID [--port N] [--scope S] [--no-browser]\n"
        "  connect --brand NAME --client-id ID [--fhir URL] ...   a provider from your directories\n"
        "  directory add URL | remove URL | list | search TEXT [--json]   provider directories (User Access Brands)\n"
        "  status [--json]              every connection and its state; never a secret\n"
        "  refresh [ID]                 one silent refresh per connection\n"
        "  disconnect [ID] [--forget]   sign out (revoke); --forget also deletes the key and records\n"
        "  sync [ID] [--full]           fetch new and changed records (silent refresh as needed)\n"
        "  export [ID] --out FILE       the records of a connection as a FHIR R4 collection Bundle\n"
        "  probe --fhir URL             what a server offers, what the app will do, which known behaviours it shows"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QObject::tr("The command to run."));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.process(app);
    if (parser.positionalArguments().isEmpty()) {
        QTextStream(stderr) << parser.helpText();
        return ondevice::app::kExitOther;
    }

    ondevice::app::Cli cli;
    const int immediate = cli.start(QStringList { QCoreApplication::applicationName() } + parser.positionalArguments());
    if (immediate >= 0)
        return immediate;
    return QCoreApplication::exec();
}
