#include "TestSupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QUuid>

namespace ondevice::testing {

void enterTestMode()
{
    QStandardPaths::setTestModeEnabled(true);
}

QString usePrivateHome(const QString& home)
{
    if (home.isEmpty())
        return QStringLiteral("no temporary home directory");
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return QStringLiteral("run through ./dev test: it provides the private keyring session");
    qputenv("HOME", QFile::encodeName(home));
    qputenv("XDG_DATA_HOME", QFile::encodeName(home + QStringLiteral("/data")));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home + QStringLiteral("/config")));
    qputenv("XDG_CACHE_HOME", QFile::encodeName(home + QStringLiteral("/cache")));
    return {};
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

QJsonObject HttpAnswer::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpAnswer httpRequest(const QByteArray& verb, const QUrl& url, const QByteArray& body,
    const QList<std::pair<QByteArray, QByteArray>>& headers)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    if (!body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setRawHeader("Content-Type", "application/json");
    QNetworkReply* reply = network.sendCustomRequest(request, verb, body);
    QDeadlineTimer deadline(30000);
    while (!reply->isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    HttpAnswer answer { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll() };
    delete reply;
    return answer;
}

} // namespace ondevice::testing
