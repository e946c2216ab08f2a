// ondevice: the desktop app. Composition root only: wiring, no logic.

#include "AppSetup.h"

#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    ondevice::app::configureApplication(app);
    QApplication::setApplicationDisplayName(QObject::tr("OnDevice Health"));
    QApplication::setDesktopFileName(QStringLiteral("org.ondevicehealth.OnDevice"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("org.ondevicehealth.OnDevice"),
        QIcon(QStringLiteral(":/icons/org.ondevicehealth.OnDevice-256.png"))));

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("Your health records, kept on this device."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
        QObject::tr("Offer the local ondevice-sandbox at <fhir-base> as the first provider."), QStringLiteral("fhir-base"));
    parser.addOption(sandbox);
    parser.process(app);

    ondevice::ui::MainWindow window;
    if (parser.isSet(sandbox))
        window.setSandboxPreset(QUrl(parser.value(sandbox)));
    window.show();
    return QApplication::exec();
}
