#include "BrandSources.h"

#include "auth/Http.h"
#include "core/Continuations.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>

namespace ondevice::services {

namespace {

constexpr qint64 kMaxBundleBytes = 64LL << 20; // a large publisher's directory is several megabytes
constexpr qint64 kRefreshSeconds = 24LL * 3600;

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

} // namespace

BrandSources::Checked BrandSources::check(const auth::HttpResult& result, const QUrl& url)
{
    Checked checked { result, 0, {} };
    if (result.status == 304)
        return checked;
    if (result.status != 200) {
        checked.problem
            = result.reachedServer() ? QStringLiteral("HTTP %1").arg(result.status) : QStringLiteral("not reachable");
        return checked;
    }
    const auto brands = fhir::parseBrandBundle(result.body, url);
    if (brands)
        checked.brands = static_cast<int>(brands.value().size());
    else
        checked.problem = brands.failure().detail;
    return checked;
}

BrandSources::BrandSources(QNetworkAccessManager& network, QString directory, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_directory(std::move(directory))
{
}

QString BrandSources::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/brands");
}

QString BrandSources::listPath() const
{
    return m_directory + QStringLiteral("/sources.json");
}

QString BrandSources::cachePath(const QUrl& url) const
{
    const QByteArray hash = QCryptographicHash::hash(url.toString().toUtf8(), QCryptographicHash::Sha256).toHex();
    return m_directory + QLatin1Char('/') + QString::fromLatin1(hash.left(24));
}

QList<BrandSources::Source> BrandSources::load() const
{
    QList<Source> list;
    for (const QJsonValue v : readJson(listPath()).value(QLatin1String("sources")).toArray()) {
        const QJsonObject o = v.toObject();
        list << Source { QUrl(o.value(QLatin1String("url")).toString()),
            QDateTime::fromString(o.value(QLatin1String("fetched")).toString(), Qt::ISODate),
            o.value(QLatin1String("brands")).toInt(), o.value(QLatin1String("problem")).toString(),
            o.value(QLatin1String("named_by_server")).toBool() };
    }
    return list;
}

void BrandSources::save(const QList<Source>& list) const
{
    QJsonArray out;
    for (const Source& s : list)
        out << QJsonObject { { QStringLiteral("url"), s.url.toString() },
            { QStringLiteral("fetched"), s.fetched.toString(Qt::ISODate) }, { QStringLiteral("brands"), s.brands },
            { QStringLiteral("problem"), s.problem }, { QStringLiteral("named_by_server"), s.namedByServer } };
    QDir().mkpath(m_directory);
    writeFile(listPath(), QJsonDocument(QJsonObject { { QStringLiteral("sources"), out } }).toJson());
}

QList<BrandSources::Source> BrandSources::sources() const
{
    return load();
}

Expected<Done, QString> BrandSources::add(const QUrl& url, Origin origin)
{
    const QString scheme = url.scheme().toLower();
    const bool secure = url.isValid() && !url.host().isEmpty()
        && (scheme == QLatin1String("https") || (scheme == QLatin1String("http") && auth::isLoopbackHost(url.host())));
    if (!secure)
        return Failure<QString> { QString(), tr("A provider directory must be an https address."),
            QStringLiteral("not https and not loopback") };
    QList<Source> list = load();
    const auto it = std::find_if(list.begin(), list.end(), [&url](const Source& s) { return s.url == url; });
    if (it == list.end())
        list << Source { url, {}, 0, {}, origin == NamedByServer };
    else if (origin == NamedByServer)
        it->namedByServer = true;
    save(list);
    return Done {};
}

bool BrandSources::remove(const QUrl& url)
{
    QList<Source> list = load();
    const auto removed = list.removeIf([&url](const Source& s) { return s.url == url; });
    if (removed == 0)
        return false;
    save(list);
    QFile::remove(cachePath(url));
    QFile::remove(cachePath(url) + QStringLiteral(".meta"));
    return true;
}

QFuture<BrandSources::Report> BrandSources::refresh(bool force)
{
    auto promise = std::make_shared<QPromise<Report>>();
    promise->start();
    auto report = std::make_shared<Report>();
    const QList<Source> list = load();
    auto pending = std::make_shared<int>(0);
    const auto done = [promise, report, pending] {
        if (--*pending > 0)
            return;
        promise->addResult(*report);
        promise->finish();
    };
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Source> due;
    for (const Source& s : list) {
        if (!force && s.fetched.isValid() && s.fetched.secsTo(now) < kRefreshSeconds && s.problem.isEmpty())
            ++report->unchanged;
        else
            due << s;
    }
    if (due.isEmpty()) {
        promise->addResult(*report);
        promise->finish();
        return promise->future();
    }
    *pending = static_cast<int>(due.size());
    for (const Source& source : std::as_const(due)) {
        QNetworkRequest request = auth::authRequest(source.url, "application/fhir+json, application/json");
        // Conditional: a directory that did not change costs a 304.
        const QJsonObject meta = readJson(cachePath(source.url) + QStringLiteral(".meta"));
        if (QFile::exists(cachePath(source.url))) {
            if (const QString etag = meta.value(QLatin1String("etag")).toString(); !etag.isEmpty())
                request.setRawHeader("If-None-Match", etag.toLatin1());
            if (const QString modified = meta.value(QLatin1String("last_modified")).toString(); !modified.isEmpty())
                request.setRawHeader("If-Modified-Since", modified.toLatin1());
        }
        const QUrl url = source.url;
        auth::get(m_network, request, auth::HttpOptions { 30000, kMaxBundleBytes })
            // Checked before it replaces anything (a bad or truncated copy never does), on a worker thread: a
            // large directory is megabytes of JSON.
            .then(QThreadPool::globalInstance(), [url](const auth::HttpResult& result) { return check(result, url); })
            .then(
                compat::continuationContext(), compat::ifAlive(this, [this, url, report, done](const Checked& checked) {
                    QList<Source> current = load();
                    auto it = std::find_if(
                        current.begin(), current.end(), [&url](const Source& s) { return s.url == url; });
                    if (it == current.end()) { // removed meanwhile
                        done();
                        return;
                    }
                    const QDateTime at = QDateTime::currentDateTimeUtc();
                    const auth::HttpResult& result = checked.result;
                    if (result.status == 304) {
                        it->fetched = at;
                        it->problem.clear();
                        ++report->unchanged;
                    } else if (!checked.problem.isEmpty()) {
                        it->problem = checked.problem;
                        report->problems << tr("%1: kept the copy from before (%2)").arg(url.toString(), it->problem);
                    } else {
                        QDir().mkpath(m_directory);
                        writeFile(cachePath(url), result.body);
                        writeFile(cachePath(url) + QStringLiteral(".meta"),
                            QJsonDocument(
                                QJsonObject { { QStringLiteral("etag"), QString::fromLatin1(result.etag) },
                                    { QStringLiteral("last_modified"), QString::fromLatin1(result.lastModified) } })
                                .toJson());
                        it->fetched = at;
                        it->brands = checked.brands;
                        it->problem.clear();
                        ++report->fetched;
                    }
                    save(current);
                    done();
                }));
    }
    return promise->future();
}

QList<std::pair<QUrl, QString>> BrandSources::cachedFiles() const
{
    QList<Source> list = load();
    std::stable_partition(list.begin(), list.end(), [](const Source& s) { return s.namedByServer; });
    QList<std::pair<QUrl, QString>> out;
    for (const Source& s : std::as_const(list))
        out.append({ s.url, cachePath(s.url) });
    return out;
}

QList<fhir::Brand> BrandSources::readCached(const QList<std::pair<QUrl, QString>>& files, const QUrl& preferred)
{
    QList<QList<fhir::Brand>> all;
    for (const auto& [url, path] : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        if (auto parsed = fhir::parseBrandBundle(file.readAll(), url))
            all << std::move(parsed).value();
    }
    return fhir::mergeBrands(all, preferred);
}

QFuture<QList<fhir::Brand>> BrandSources::brandsInBackground(const QUrl& preferred) const
{
    // Only the files' names go to the worker, not this object.
    return QtConcurrent::run(&BrandSources::readCached, cachedFiles(), preferred);
}

QList<fhir::Brand> BrandSources::brands(const QUrl& preferred) const
{
    return readCached(cachedFiles(), preferred);
}

} // namespace ondevice::services
