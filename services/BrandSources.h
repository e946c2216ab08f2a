#pragma once

#include "auth/Http.h"
#include "core/Expected.h"
#include "fhir/UserAccessBrands.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::services {

// The provider directory's sources: User Access Brands bundles the patient added (https, or loopback), each
// cached on disk beside connections.json (public data, not secret) with its ETag and Last-Modified, refreshed
// at most once a day or when asked, read offline from the cache. Nothing is fetched from a source the patient
// did not add.
class BrandSources : public QObject {
    Q_OBJECT

public:
    struct Source {
        QUrl url;
        QDateTime fetched; // invalid: never fetched
        int brands = 0;
        QString problem; // why the last fetch was not used (the copy before it stays), empty when it was
        bool namedByServer = false; // a connected server's own directory: it wins for the brands it has
    };
    enum Origin { AddedByPatient, NamedByServer };
    struct Report {
        int fetched = 0; // sources that brought a new copy
        int unchanged = 0; // answered 304, or not due
        QStringList problems; // one line per source whose copy could not be refreshed
    };

    // `directory`: where the list and the cached bundles live (<AppLocalData>/brands by default).
    BrandSources(QNetworkAccessManager& network, QString directory, QObject* parent = nullptr);
    static QString defaultDirectory();

    QList<Source> sources() const;
    // https only, loopback http excepted; the URL is kept, and fetched at the next refresh.
    // A source that is already there keeps its place; one a server names is marked so (and wins from then on).
    Expected<Done, QString> add(const QUrl& url, Origin origin = AddedByPatient);
    bool remove(const QUrl& url); // and its cached copy

    // Fetches every source that is due (older than a day, or never fetched), or every one with `force`; a bad
    // or truncated answer keeps the copy before it and says why.
    QFuture<Report> refresh(bool force = false);

    // Every cached source's brands as one list (mergeBrands): the directories connected servers name as their own
    // first, then the others in the order they were added; a `preferred` source wins over all of them.
    QList<fhir::Brand> brands(const QUrl& preferred = {}) const;
    // The same, read and parsed on a worker thread: a large directory is megabytes of JSON.
    QFuture<QList<fhir::Brand>> brandsInBackground(const QUrl& preferred = {}) const;

private:
    // A fetched copy, checked: how many brands it has, or why it is not used.
    struct Checked {
        auth::HttpResult result;
        int brands = 0;
        QString problem;
    };
    static Checked check(const auth::HttpResult& result, const QUrl& url);
    QString listPath() const;
    QString cachePath(const QUrl& url) const;
    QList<Source> load() const;
    // Each source's URL and cached file; read, parsed and merged by readCached (on any thread).
    QList<std::pair<QUrl, QString>> cachedFiles() const;
    static QList<fhir::Brand> readCached(const QList<std::pair<QUrl, QString>>& files, const QUrl& preferred);
    void save(const QList<Source>& list) const;

    QNetworkAccessManager& m_network;
    QString m_directory;
};

} // namespace ondevice::services
