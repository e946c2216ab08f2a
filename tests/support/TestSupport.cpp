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
