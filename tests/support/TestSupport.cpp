#include "TestSupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QStandardPaths>
#include <QUuid>

namespace ondevice::testing {

void enterTestMode()
{
    QStandardPaths::setTestModeEnabled(true);
}

QString uniqueKeychainService(const QString& testName)
{
    return QStringLiteral("org.ondevicehealth.test.%1.%2")
        .arg(testName, QUuid::createUuid().toString(QUuid::WithoutBraces).left(8));
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace ondevice::testing
