#include "ServerProbe.h"

#include "FhirClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>

#include <memory>

namespace ondevice::fhir {

namespace {

QNetworkRequest anonymousRequest(const QUrl& url)
{
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/fhir+json, application/json;q=0.9");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setTransferTimeout(20000);
    return request;
}

QUrl below(const QUrl& base, const QString& path)
{
    QUrl url = base;
    url.setPath(base.path() + QLatin1Char('/') + path);
    return url;
}

void readCapabilities(ServerFacts& facts, const QByteArray& body)
{
    const QJsonObject statement = QJsonDocument::fromJson(body).object();
    if (statement.value(QLatin1String("resourceType")).toString() != QLatin1String("CapabilityStatement")) {
        facts.problem = QStringLiteral("{base}/metadata is not a CapabilityStatement");
        return;
    }
    facts.reached = true;
    facts.fhirVersion = statement.value(QLatin1String("fhirVersion")).toString();
    facts.software
        = statement.value(QLatin1String("software")).toObject().value(QLatin1String("name")).toString().left(80);
    facts.implementation = statement.value(QLatin1String("implementation"))
                               .toObject()
                               .value(QLatin1String("description"))
                               .toString()
                               .left(80);
    facts.publisher = statement.value(QLatin1String("publisher")).toString().left(80);
    for (const QJsonValue restValue : statement.value(QLatin1String("rest")).toArray()) {
        const QJsonObject rest = restValue.toObject();
        for (const QJsonValue op : rest.value(QLatin1String("operation")).toArray())
            facts.offersEverything
                |= op.toObject().value(QLatin1String("name")).toString() == QLatin1String("everything");
        for (const QJsonValue resourceValue : rest.value(QLatin1String("resource")).toArray()) {
            const QJsonObject resource = resourceValue.toObject();
            const QString type = resource.value(QLatin1String("type")).toString();
            if (!type.isEmpty())
                facts.resourceTypes << type;
            if (type != QLatin1String("Patient"))
                continue;
            for (const QJsonValue op : resource.value(QLatin1String("operation")).toArray())
                facts.offersEverything
                    |= op.toObject().value(QLatin1String("name")).toString() == QLatin1String("everything");
        }
    }
}

} // namespace

QStringList ServerFacts::knownBehaviours() const
{
    QStringList seen;
    if (reached && !offersEverything)
        seen << QStringLiteral("no-everything");
    if (unauthenticatedStatus == 401 && !wwwAuthenticate && unauthenticatedType == "text/plain")
        seen << QStringLiteral("plain-401");
    if (reached && !dateHeader)
        seen << QStringLiteral("no-date-header");
    if (dateSkewSeconds && std::abs(*dateSkewSeconds) > kTrustedDateSkewSeconds)
        seen << QStringLiteral("skewed-date-header");
    return seen;
}

QFuture<ServerFacts> probeServer(QNetworkAccessManager& network, const QUrl& fhirBase)
{
    auto promise = std::make_shared<QPromise<ServerFacts>>();
    promise->start();
    auto facts = std::make_shared<ServerFacts>();
    QNetworkReply* metadata = network.get(anonymousRequest(below(fhirBase, QStringLiteral("metadata"))));
    QObject::connect(metadata, &QNetworkReply::finished, metadata, [&network, fhirBase, metadata, promise, facts] {
        metadata->deleteLater();
        const int status = metadata->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (metadata->hasRawHeader("Date")) {
            facts->dateHeader = true;
            const QDateTime at = parseHttpDate(metadata->rawHeader("Date"));
            if (at.isValid())
                facts->dateSkewSeconds = QDateTime::currentDateTimeUtc().secsTo(at);
        }
        if (status != 200) {
            facts->problem = status == 0 ? QStringLiteral("not reachable (%1)").arg(metadata->errorString())
                                         : QStringLiteral("{base}/metadata answered HTTP %1").arg(status);
            promise->addResult(*facts);
            promise->finish();
            return;
        }
        readCapabilities(*facts, metadata->read(qint64 { 4 } * 1024 * 1024));
        // How it answers a request without a token: the shape a 401 takes later, when an access token expires.
        QUrl patients = below(fhirBase, QStringLiteral("Patient"));
        patients.setQuery(QStringLiteral("_count=1"));
        QNetworkReply* anonymous = network.get(anonymousRequest(patients));
        QObject::connect(anonymous, &QNetworkReply::finished, anonymous, [anonymous, promise, facts] {
            anonymous->deleteLater();
            facts->unauthenticatedStatus = anonymous->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray type = anonymous->header(QNetworkRequest::ContentTypeHeader).toByteArray();
            facts->unauthenticatedType
                = type.left(type.indexOf(';') < 0 ? type.size() : type.indexOf(';')).trimmed().toLower();
            facts->wwwAuthenticate = anonymous->hasRawHeader("WWW-Authenticate");
            promise->addResult(*facts);
            promise->finish();
        });
    });
    return promise->future();
}

} // namespace ondevice::fhir
