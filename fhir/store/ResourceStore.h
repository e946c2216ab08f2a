#pragma once

#include "fhir/store/RecordCipher.h"
#include "fhir/store/ResourceIndex.h"
#include "fhir/store/StoreError.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace ondevice::fhir {

struct StoredResource {
    QString type;
    QString id;
    QString versionId;
    QDateTime lastUpdated; // UTC, invalid when the server sent none
    QDateTime sortDate; // UTC, see ResourceIndex::sortDate
    QByteArray json; // the bytes as the server sent them
};

struct ResourceQuery {
    QString type; // required
    std::optional<QString> code; // "system|code" (a blood pressure panel is also found by its component codes)
    std::optional<QString> category; // "system|code"
    QDateTime from, to; // on sortDate, inclusive; invalid = open. A bound leaves out rows without a sortDate.
    bool newestFirst = true; // rows without a sortDate come last when newest first
    int limit = 200; // <= 0 gives no rows
    int offset = 0;

    // `ResourceQuery q { type }` trips -Wmissing-field-initializers; this (or designated initializers) doesn't.
    static ResourceQuery forType(const QString& type)
    {
        ResourceQuery q;
        q.type = type;
        return q;
    }
};

struct UpsertStats {
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
    int skippedOlder = 0;
};

// The encrypted local store of one connection's FHIR resources, in `records.sqlite` (Qt Sql, QSQLITE).
//
// What is on disk (DESIGN.md, "Local data is encrypted at rest"): each resource is sealed with
// AES-256-GCM under a subkey of the connection's data key (RecordCipher), with associated data that
// binds the connection id, the type and the id, so a row copied elsewhere does not decrypt. Type, id
// and every "system|code" are kept only as HMAC tags; lastUpdated and sortDate are the only clear values.
// Each connection has a key-check value, so a wrong key is told apart from damaged rows.
//
// Threading: an object is bound to the thread that opened it (a QSqlDatabase connection may be used only
// from the thread that made it). Open one per thread; sync code opens its own in its worker thread.
// Several objects, for one or several connections, may share a file (WAL, a busy timeout).
class ResourceStore {
public:
    static constexpr int SchemaVersion = 1;

    // Opens (creating if needed) the database file (mode 0600, WAL) and binds this object to one connection
    // and its 32-byte data key. A key that does not match what this connection's rows were written with
    // -> StoreError::WrongKey (clear message), never a crash, never a new key, nothing written.
    static StoreResult<std::unique_ptr<ResourceStore>> open(
        const QString& databasePath, const QString& connectionId, const QByteArray& dataKey);
    // The same with a cipher made elsewhere. For bench/store's unencrypted baseline, which must run the very
    // same code path; product code calls open() above.
    static StoreResult<std::unique_ptr<ResourceStore>> openWithCipher(
        const QString& databasePath, const QString& connectionId, std::unique_ptr<RecordCipher> cipher);

    ~ResourceStore();
    ResourceStore(const ResourceStore&) = delete;
    ResourceStore& operator=(const ResourceStore&) = delete;

    // One transaction per call (a page; a savepoint inside begin()/commit()). Every JSON is checked first:
    // one that is not a FHIR resource fails the call with InvalidResource and nothing of the page is written.
    // Versioned upsert by (connection, type, id): a newer lastUpdated (or, when equal or absent, a higher
    // numeric versionId, or else a different version) replaces; the same versionId (same content when there
    // is no versionId) is "unchanged"; an older one is skipped. Each write seals with a fresh random nonce.
    StoreResult<UpsertStats> upsert(const QList<QByteArray>& resourceJsons);
    // The same with each resource's index already made (FhirClient makes it on
    // its worker thread while parsing the page), so nothing is parsed twice.
    // indexes[i] must describe resourceJsons[i].
    StoreResult<UpsertStats> upsert(const QList<QByteArray>& resourceJsons, const QList<ResourceIndex>& indexes);
    // true when a row was removed.
    StoreResult<bool> remove(const QString& type, const QString& id);
    StoreResult<std::optional<StoredResource>> get(const QString& type, const QString& id);
    // Decrypts only the rows of the requested page.
    StoreResult<QList<StoredResource>> query(const ResourceQuery& q);
    StoreResult<qint64> count(
        const QString& type, std::optional<QString> code = {}, std::optional<QString> category = {});
    // Every type this connection holds at least one record of: the FHIR R4 types found by their tags, and any
    // other type a server sent (remembered, encrypted, when first written). Export and "Other records" use it.
    StoreResult<QStringList> storedTypes();
    // Every id of a type (decrypts each row of that type). For deletion reconciliation after a full re-sync.
    StoreResult<QStringList> ids(const QString& type);
    // Deletion reconciliation without decrypting: removes every row of `type` whose id is not in keepIds.
    // Returns how many rows went.
    StoreResult<int> retainOnly(const QString& type, const QStringList& keepIds);

    // Small encrypted key/value for sync checkpoints (names are tagged, values sealed: they may hold URLs
    // with patient ids).
    StoreResult<Done> setState(const QString& name, const QByteArray& value);
    StoreResult<std::optional<QByteArray>> state(const QString& name);
    StoreResult<bool> removeState(const QString& name);

    // Forget provider: deletes every row of this connection and truncates the WAL (secure_delete zeroes the
    // freed pages). Needs no key: the caller deletes the key in the keychain. Close this connection's stores
    // first. A file that does not exist has nothing to forget.
    static StoreResult<Done> forget(const QString& databasePath, const QString& connectionId);

    // For sync code that must be transactional across several calls; upsert() and the other writes inside
    // become savepoints. begin() while a transaction is open fails.
    StoreResult<Done> begin();
    StoreResult<Done> commit();
    void rollback();
    bool inTransaction() const;

    QString connectionId() const;
    QString databasePath() const;

private:
    ResourceStore();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace ondevice::fhir
