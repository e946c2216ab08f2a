#include "AppSetup.h"

#include "ondevice/Version.h"

#include <QCoreApplication>

namespace ondevice::app {

void configureApplication(QCoreApplication& app)
{
    Q_UNUSED(app)
    QCoreApplication::setOrganizationName(QStringLiteral("OnDeviceHealth"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("ondevicehealth.org"));
    QCoreApplication::setApplicationName(QStringLiteral("ondevice"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
}

} // namespace ondevice::app
