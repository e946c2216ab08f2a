// ondevice: the desktop app. Composition root only: wiring, no logic.

#include "AppSetup.h"

#include "auth/ConnectionRegistry.h"
#include "services/ConnectionRecords.h"
#include "services/RecordsHub.h"
#include "services/Workspace.h"
#include "ui/Language.h"
#include "ui/MainWindow.h"
#include "ui/SingleInstance.h"
#include "ui/SystemBrowser.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStandardPaths>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    ondevice::app::configureApplication(app);
    ondevice::ui::installTranslations(); // the language chosen in Settings, else the system's
    QApplication::setApplicationDisplayName(QObject::tr("OnDevice Health"));
    QApplication::setDesktopFileName(QStringLiteral("org.ondevicehealth.OnDevice"));
    // The installed theme icon when there is one; else the bundled sizes, so that every scale factor (HiDPI
    // screens at 125 %, 200 %...) scales down from a sharp bitmap rather than up from a small one.
    QIcon bundled;
    for (const int size : { 48, 128, 256 })
        bundled.addFile(QStringLiteral(":/icons/org.ondevicehealth.OnDevice-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("org.ondevicehealth.OnDevice"), bundled));

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("Your health records, kept on this device."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
        QObject::tr("Offer the local ondevice-sandbox at <fhir-base> as the first provider."),
        QStringLiteral("fhir-base"));
    parser.addOption(sandbox);
    parser.process(app);

    const QString dataDirectory = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    ondevice::ui::SingleInstance instance(dataDirectory);
    switch (instance.claim()) {
    case ondevice::ui::SingleInstance::Role::Primary:
        break;
    case ondevice::ui::SingleInstance::Role::Secondary:
        return 0; // the running window comes forward instead
    case ondevice::ui::SingleInstance::Role::Unreachable:
        std::fputs(qPrintable(QObject::tr("OnDevice Health is already running but does not answer.\n")), stderr);
        return 1;
    }

    ondevice::services::Workspace workspace(
        { QString::fromLatin1(ondevice::app::kKeychainService), ondevice::auth::ConnectionRegistry::defaultPath(),
            dataDirectory + QStringLiteral("/locks"), ondevice::ui::systemBrowser() });
    // The records: records.sqlite next to connections.json, shared with ondevice-cli.
    ondevice::services::RecordsHub records(workspace, ondevice::services::defaultRecordsPath());
    ondevice::ui::MainWindow window(workspace);
    window.setRecords(records);
    window.setDataDirectory(dataDirectory);
    if (parser.isSet(sandbox))
        window.setSandboxPreset(QUrl(parser.value(sandbox)));
    QObject::connect(
        &instance, &ondevice::ui::SingleInstance::raiseRequested, &window, &ondevice::ui::MainWindow::raiseWindow);
    window.show();
    workspace.start();
    return QApplication::exec();
}
