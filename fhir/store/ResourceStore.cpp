#include "fhir/store/ResourceStore.h"

#include "fhir/Logging.h"
#include "fhir/ResourceTypes.h"
#include "fhir/store/WalCheckpointer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include <array>
#include <atomic>

namespace ondevice::fhir {

namespace {

// The state row that remembers resource types outside FHIR R4, newline-separated.
const QString kUnlistedTypes = QStringLiteral("stored-types/unlisted");

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::fhir::ResourceStore)
};

using TagKind = RecordCipher::TagKind;

constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString uniqueConnectionName()
{
    static std::atomic<quint64> counter { 0 };
    return QStringLiteral("ondevice.store.%1").arg(++counter);
}

// SQLite's messages name tables and columns, never bound values, so they are safe as a detail.
StoreFailure ioFailure(const char* what, const QString& sqliteError)
{
    return StoreFailure { StoreError::Io,
        Text::tr("The records database on this computer could not be read or written."),
        QString(QLatin1String(what) + QStringLiteral(": ") + sqliteError) };
}

StoreFailure ioFailure(const QSqlQuery& query, const char* what)
{
    return ioFailure(what, query.lastError().text());
}

// One statement of the write path on the store's own SQLite connection, through SQLite's C API: prepared
// once, bound and stepped per record, reset after each use (so a COMMIT never meets a statement in progress).
// Qt Sql's QVariant binding costs more than the SQL itself on a page of records. Blobs are bound without a
// copy: the bytes must outlive the step (they are the caller's locals).
class Statement {
public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(m_statement); }

    bool prepare(sqlite3* db, const char* sql)
    {
        m_db = db;
        return db && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr) == SQLITE_OK;
    }
    void bind(int at, qint64 value) { sqlite3_bind_int64(m_statement, at, value); }
    void bind(int at, const QByteArray& value)
    {
        sqlite3_bind_blob64(m_statement, at, value.constData(), sqlite3_uint64(value.size()), SQLITE_STATIC);
    }
    void bind(int at, const std::optional<qint64>& value)
    {
        if (value)
            sqlite3_bind_int64(m_statement, at, *value);
        else
            sqlite3_bind_null(m_statement, at);
    }
    // Runs it: true with a row to read (row()), false when done or failed (failed() tells).
    bool step()
    {
        const int rc = sqlite3_step(m_statement);
        m_failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
        if (m_failed)
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return rc == SQLITE_ROW;
    }
    bool failed() const { return m_failed; }
    qint64 integer(int column) const { return sqlite3_column_int64(m_statement, column); }
    bool isNull(int column) const { return sqlite3_column_type(m_statement, column) == SQLITE_NULL; }
    QByteArray blob(int column) const
    {
        const void* data = sqlite3_column_blob(m_statement, column);
        return QByteArray(static_cast<const char*>(data), sqlite3_column_bytes(m_statement, column));
    }
    qint64 lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
    void reset()
    {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
    }
    StoreFailure failure(const char* what) const { return ioFailure(what, m_error); }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_statement = nullptr;
    bool m_failed = false;
    QString m_error;
};

// The SQLite connection under a QSqlDatabase of the QSQLITE driver (Qt links the system's libsqlite3 too).
sqlite3* sqliteHandle(const QSqlDatabase& db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

std::optional<qint64> msOrNothing(const QDateTime& date)
{
    return date.isValid() ? std::optional<qint64>(date.toMSecsSinceEpoch()) : std::nullopt;
}

StoreFailure cryptoFailure(const QString& detail)
{
    return StoreFailure { StoreError::Crypto,
        Text::tr("A stored record could not be decrypted. The records database may be damaged or altered."), detail };
}

StoreFailure encryptFailure()
{
    return StoreFailure { StoreError::Crypto, Text::tr("A record could not be encrypted, so it was not saved."),
        QStringLiteral("AES-256-GCM encryption or the random number generator failed") };
}

StoreFailure badQuery(const QString& detail)
{
    return StoreFailure { StoreError::InvalidResource, Text::tr("The records could not be looked up."), detail };
}

bool execSql(QSqlDatabase& db, const QString& sql, QSqlQuery* out = nullptr)
{
    QSqlQuery query(db);
    const bool ok = query.exec(sql);
    if (out)
        *out = std::move(query);
    return ok;
}

QDateTime dateFromMs(const QVariant& value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

// The tag inputs join values with NUL: a type name never holds one, so the joins cannot collide.
QByteArray joined(QByteArrayView a, QByteArrayView b)
{
    QByteArray out;
    out.reserve(a.size() + b.size() + 1);
    out.append(a);
    out.append('\0');
    out.append(b);
    return out;
}

// Plaintext inside the seal: u32 id length | id | u32 versionId length | versionId | the resource JSON.
// The id lives only here (the row holds its tag), so a page of query results can name its resources.
void appendU32(QByteArray& out, quint32 value)
{
    out.append(char(value >> 24)).append(char(value >> 16)).append(char(value >> 8)).append(char(value));
}

bool readU32(QByteArrayView in, qsizetype& pos, quint32& value)
{
    if (in.size() - pos < 4)
        return false;
    const auto* p = reinterpret_cast<const unsigned char*>(in.data()) + pos;
    value = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
    pos += 4;
    return true;
}

QByteArray encodePayload(QByteArrayView id, QByteArrayView versionId, QByteArrayView json)
{
    QByteArray out;
    out.reserve(8 + id.size() + versionId.size() + json.size());
    appendU32(out, quint32(id.size()));
    out.append(id);
    appendU32(out, quint32(versionId.size()));
    out.append(versionId);
    out.append(json);
    return out;
}

struct Payload {
    QString id;
    QString versionId;
    QByteArray json;
};

std::optional<Payload> decodePayload(const QByteArray& plain)
{
    qsizetype pos = 0;
    quint32 idLen = 0;
    quint32 versionLen = 0;
    if (!readU32(plain, pos, idLen) || idLen > quint32(plain.size() - pos))
        return std::nullopt;
    Payload payload;
    payload.id = QString::fromUtf8(plain.constData() + pos, qsizetype(idLen));
    pos += qsizetype(idLen);
    if (!readU32(plain, pos, versionLen) || versionLen > quint32(plain.size() - pos))
        return std::nullopt;
    payload.versionId = QString::fromUtf8(plain.constData() + pos, qsizetype(versionLen));
    pos += qsizetype(versionLen);
    payload.json = plain.sliced(pos);
    return payload;
}

// A versionId that is a plain counter (HAPI, the sandbox, most servers) can be ordered.
std::optional<qulonglong> numericVersion(const QString& versionId)
{
    bool ok = false;
    const qulonglong value = versionId.toULongLong(&ok);
    return ok ? std::optional<qulonglong>(value) : std::nullopt;
}

void setOwnerOnly(const QString& databasePath)
{
    // SQLite creates -wal and -shm with the main file's mode; this makes sure of it, also for files an
    // older build may have left with the umask's mode.
    for (const QString& path : { databasePath, QString(databasePath + QStringLiteral("-wal")),
             QString(databasePath + QStringLiteral("-shm")), QString(databasePath + QStringLiteral("-journal")) }) {
        if (QFileInfo::exists(path) && QFile::permissions(path) != kOwnerOnly)
            QFile::setPermissions(path, kOwnerOnly);
    }
}

// Schema migrations: step N takes the schema from version N-1 to N inside the open transaction.
// Add a step for every change; never edit one that has shipped.
bool migrateTo1(QSqlDatabase& db, QString& error)
{
    const std::array statements = {
        QStringLiteral("CREATE TABLE connections ("
                       " id INTEGER PRIMARY KEY,"
                       " name TEXT NOT NULL UNIQUE," // the connection id: already a hash of (issuer, patient)
                       " key_check BLOB NOT NULL)"),
        QStringLiteral("CREATE TABLE resources ("
                       " rid INTEGER PRIMARY KEY,"
                       " conn INTEGER NOT NULL,"
                       " type_tag BLOB NOT NULL,"
                       " id_tag BLOB NOT NULL,"
                       " version_tag BLOB NOT NULL,"
                       " last_updated INTEGER," // ms since the epoch, UTC
                       " sort_date INTEGER," // ms since the epoch, UTC
                       " body BLOB NOT NULL)"), // RecordCipher seal of the payload
        QStringLiteral("CREATE UNIQUE INDEX resources_key ON resources(conn, type_tag, id_tag)"),
        // Newest-first pages of one type walk this index and stop after `limit` rows.
        QStringLiteral("CREATE INDEX resources_by_date ON resources(conn, type_tag, sort_date)"),
        QStringLiteral("CREATE TABLE resource_tags ("
                       " resource INTEGER NOT NULL,"
                       " tag BLOB NOT NULL," // HMAC of (kind, type, "system|code")
                       " conn INTEGER NOT NULL,"
                       " sort_date INTEGER,"
                       " PRIMARY KEY (resource, tag)) WITHOUT ROWID"),
        QStringLiteral("CREATE INDEX resource_tags_by_date ON resource_tags(conn, tag, sort_date)"),
        QStringLiteral("CREATE TABLE state ("
                       " conn INTEGER NOT NULL,"
                       " name_tag BLOB NOT NULL,"
                       " value BLOB NOT NULL,"
                       " PRIMARY KEY (conn, name_tag)) WITHOUT ROWID"),
    };
    for (const QString& sql : statements) {
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            error = query.lastError().text();
            return false;
        }
    }
    return true;
}

using Migration = bool (*)(QSqlDatabase&, QString&);
constexpr std::array<Migration, ResourceStore::SchemaVersion> kMigrations = { &migrateTo1 };

// Brings the file to SchemaVersion. BEGIN IMMEDIATE so that two processes opening a new file at once
// do not both create the tables.
StoreResult<Done> migrate(QSqlDatabase& db)
{
    QSqlQuery query(db);
    // The common case reads only: a store opened by the UI must not wait for a sync's write transaction.
    if (query.exec(QStringLiteral("PRAGMA user_version")) && query.next()
        && query.value(0).toInt() == ResourceStore::SchemaVersion)
        return Done {};
    query.finish();
    if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return ioFailure(query, "begin migration");
    auto fail = [&db](StoreFailure failure) {
        execSql(db, QStringLiteral("ROLLBACK"));
        return failure;
    };
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return fail(ioFailure(query, "read user_version"));
    const int version = query.value(0).toInt();
    query.finish();
    if (version > ResourceStore::SchemaVersion || version < 0)
        return fail(StoreFailure { StoreError::Schema,
            Text::tr(
                "The records database was written by a newer version of OnDevice Health. Update the app to open it."),
            QStringLiteral("schema version %1, this build knows up to %2")
                .arg(version)
                .arg(ResourceStore::SchemaVersion) });
    for (int next = version + 1; next <= ResourceStore::SchemaVersion; ++next) {
        QString error;
        if (!kMigrations[size_t(next - 1)](db, error))
            return fail(StoreFailure { StoreError::Schema, Text::tr("The records database could not be upgraded."),
                QStringLiteral("migration to %1: %2").arg(next).arg(error) });
    }
    if (version != ResourceStore::SchemaVersion
        && !query.exec(QStringLiteral("PRAGMA user_version = %1").arg(ResourceStore::SchemaVersion)))
        return fail(ioFailure(query, "write user_version"));
    if (!query.exec(QStringLiteral("COMMIT")))
        return fail(ioFailure(query, "commit migration"));
    if (version != ResourceStore::SchemaVersion)
        qCInfo(lcStore) << "schema migrated from" << version << "to" << ResourceStore::SchemaVersion;
    return Done {};
}

StoreFailure openFailure(const QString& detail)
{
    return StoreFailure { StoreError::Open,
        Text::tr(
            "The records database on this computer could not be opened. It may be damaged, or the disk may be full "
            "or read-only."),
        detail };
}

// Creates the file with mode 0600 before SQLite sees it, so it never exists readable by others.
StoreResult<Done> prepareFile(const QString& databasePath)
{
    const QFileInfo info(databasePath);
    QDir dir = info.absoluteDir();
    if (!dir.exists()) {
        if (!dir.mkpath(QStringLiteral(".")))
            return openFailure(QStringLiteral("cannot create the directory"));
        QFile::setPermissions(dir.absolutePath(), kOwnerOnly | QFileDevice::ExeOwner);
    }
    if (!info.exists()) {
        QFile file(databasePath);
        if (!file.open(QIODevice::ReadWrite, kOwnerOnly))
            return openFailure(QStringLiteral("cannot create the file: ") + file.errorString());
    }
    setOwnerOnly(databasePath);
    return Done {};
}

// Opens a QSqlDatabase with the pragmas every user of the file needs.
StoreResult<Done> openDatabase(QSqlDatabase& db, const QString& databasePath)
{
    db.setDatabaseName(databasePath);
    if (!db.open())
        return openFailure(db.lastError().text());
    QSqlQuery query(db);
    // WAL lets the UI read while a sync writes. synchronous=NORMAL is safe against corruption in WAL mode;
    // a power cut may lose the last pages, which the next (resumable) sync fetches again.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next()
        || query.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
        return openFailure(QStringLiteral("journal_mode=WAL: ") + query.lastError().text());
    query.finish();
    // secure_delete zeroes freed pages, so a forgotten provider's ciphertext does not linger in free space;
    // temp_store keeps sort spills out of /tmp. Checkpoints run on a thread of their own (WalCheckpointer), not
    // inside a writer's COMMIT; journal_size_limit trims a log that a long sync let grow.
    for (const char* pragma : { "PRAGMA synchronous=NORMAL", "PRAGMA secure_delete=ON", "PRAGMA temp_store=MEMORY",
             "PRAGMA busy_timeout=10000", "PRAGMA wal_autocheckpoint=0", "PRAGMA journal_size_limit=33554432" }) {
        if (!query.exec(QLatin1String(pragma)))
            return openFailure(QString(QLatin1String(pragma) + QStringLiteral(": ") + query.lastError().text()));
        query.finish();
    }
    return Done {};
}

} // namespace

struct ResourceStore::Private {
    // The hot statements of upsert(), prepared once per object.
    struct Statements {
        Statement lookup;
        Statement insert;
        Statement update;
        Statement body;
        Statement deleteTags;
        Statement insertTag;
        // Each slice of a sync's page is a savepoint inside the page's transaction.
        Statement savepoint;
        Statement release;
    };

    QString m_sqlName;
    QString m_path;
    QString m_connectionId;
    QByteArray m_connectionIdUtf8;
    qint64 m_conn = 0;
    std::unique_ptr<RecordCipher> m_cipher;
    QSqlDatabase m_db;
    std::unique_ptr<Statements> m_statements;
    QHash<QString, QByteArray> m_typeTags; // a dozen types: tag each once
    bool m_inTransaction = false;
    // Since the last checkpoint request: sealed bodies written (the bulk of what a sync adds to the WAL) and
    // top-level commits (each also rewrites the index pages it touched, which the bodies do not count).
    qint64 m_uncheckpointed = 0;
    int m_commitsSinceCheckpoint = 0;
    std::unique_ptr<WalCheckpointer> m_checkpointer;

    // After each top-level COMMIT: a checkpoint on the checkpointer's thread, so this thread never waits for
    // its fsyncs, once ~4 MB of bodies (SQLite's own default is 1,000 pages of 4 KiB) or 32 commits went in,
    // whichever comes first: the WAL stays bounded with large records and with small ones alike.
    void committed()
    {
        if (m_uncheckpointed < qint64 { 4 } * 1024 * 1024 && ++m_commitsSinceCheckpoint < 32)
            return;
        m_uncheckpointed = 0;
        m_commitsSinceCheckpoint = 0;
        if (!m_checkpointer)
            m_checkpointer = std::make_unique<WalCheckpointer>(m_path);
        if (!m_checkpointer->request())
            execSql(m_db, QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
    }

    QByteArray typeTag(const QString& type)
    {
        auto it = m_typeTags.constFind(type);
        if (it != m_typeTags.constEnd())
            return *it;
        QByteArray tag = m_cipher->tag(TagKind::ResourceType, type.toUtf8());
        if (!tag.isEmpty())
            m_typeTags.insert(type, tag);
        return tag;
    }

    QByteArray idTag(const QString& type, const QString& id)
    {
        return m_cipher->tag(TagKind::ResourceId, joined(type.toUtf8(), id.toUtf8()));
    }

    QByteArray resourceAad(const QString& type, const QByteArray& idTagValue) const
    {
        // Binds the row to its connection, type and id (through the id's tag, which the row is found by):
        // a sealed body copied to another connection, type or id fails to open.
        QByteArray aad = QByteArrayLiteral("ondevice/resource/v1");
        aad.append('\0');
        aad.append(m_connectionIdUtf8);
        aad.append('\0');
        aad.append(type.toUtf8());
        aad.append('\0');
        aad.append(idTagValue);
        return aad;
    }

    QByteArray stateAad(const QByteArray& nameTag) const
    {
        QByteArray aad = QByteArrayLiteral("ondevice/state/v1");
        aad.append('\0');
        aad.append(m_connectionIdUtf8);
        aad.append('\0');
        aad.append(nameTag);
        return aad;
    }

    StoreResult<Payload> open(const QString& type, const QByteArray& idTagValue, const QByteArray& body)
    {
        const std::optional<QByteArray> plain = m_cipher->decrypt(body, resourceAad(type, idTagValue));
        if (!plain)
            return cryptoFailure(QStringLiteral("a %1 row failed authentication").arg(type));
        std::optional<Payload> payload = decodePayload(*plain);
        if (!payload)
            return cryptoFailure(QStringLiteral("a %1 row has a malformed payload").arg(type));
        return std::move(*payload);
    }

    StoreResult<StoredResource> toStored(const QString& type, const QByteArray& idTagValue, const QVariant& lastUpdated,
        const QVariant& sortDate, const QByteArray& body)
    {
        auto payload = open(type, idTagValue, body);
        if (!payload)
            return payload.failure();
        Payload p = std::move(payload).value();
        return StoredResource { type, std::move(p.id), std::move(p.versionId), dateFromMs(lastUpdated),
            dateFromMs(sortDate), std::move(p.json) };
    }

    bool prepare()
    {
        m_statements = std::make_unique<Statements>();
        Statements& s = *m_statements;
        sqlite3* db = sqliteHandle(m_db);
        return s.lookup.prepare(db,
                   "SELECT rid, version_tag, last_updated FROM resources WHERE conn = ? AND type_tag = ? AND id_tag = "
                   "?")
            && s.insert.prepare(db,
                "INSERT INTO resources (conn, type_tag, id_tag, version_tag, last_updated, sort_date, body) VALUES (?, "
                "?, ?, ?, ?, ?, ?)")
            && s.update.prepare(
                db, "UPDATE resources SET version_tag = ?, last_updated = ?, sort_date = ?, body = ? WHERE rid = ?")
            && s.body.prepare(db, "SELECT body FROM resources WHERE rid = ?")
            && s.deleteTags.prepare(db, "DELETE FROM resource_tags WHERE resource = ?")
            && s.insertTag.prepare(
                db, "INSERT OR IGNORE INTO resource_tags (resource, tag, conn, sort_date) VALUES (?, ?, ?, ?)")
            && s.savepoint.prepare(db, "SAVEPOINT page") && s.release.prepare(db, "RELEASE page");
    }

    // A write that is atomic on its own: its own transaction, or a savepoint inside begin()/commit().
    class WriteScope {
    public:
        explicit WriteScope(Private& p)
            : m_p(p)
        {
        }
        ~WriteScope()
        {
            if (m_open)
                abort();
        }
        WriteScope(const WriteScope&) = delete;
        WriteScope& operator=(const WriteScope&) = delete;

        StoreResult<Done> start()
        {
            if (m_p.m_inTransaction && m_p.m_statements) { // the hot path: a slice of a page
                Statement& savepoint = m_p.m_statements->savepoint;
                savepoint.step();
                savepoint.reset();
                if (savepoint.failed())
                    return savepoint.failure("begin");
                m_open = true;
                return Done {};
            }
            QSqlQuery query(m_p.m_db);
            // IMMEDIATE takes the write lock up front: a deferred transaction that later needs it can fail
            // with SQLITE_BUSY without waiting for the busy timeout.
            if (!query.exec(m_p.m_inTransaction ? QStringLiteral("SAVEPOINT page") : QStringLiteral("BEGIN IMMEDIATE")))
                return ioFailure(query, "begin");
            m_open = true;
            return Done {};
        }
        StoreResult<Done> finish()
        {
            if (m_p.m_inTransaction && m_p.m_statements) {
                Statement& release = m_p.m_statements->release;
                release.step();
                release.reset();
                if (release.failed()) {
                    StoreFailure failure = release.failure("commit");
                    abort();
                    return failure;
                }
                m_open = false;
                return Done {};
            }
            QSqlQuery query(m_p.m_db);
            if (!query.exec(m_p.m_inTransaction ? QStringLiteral("RELEASE page") : QStringLiteral("COMMIT"))) {
                StoreFailure failure = ioFailure(query, "commit");
                abort();
                return failure;
            }
            m_open = false;
            if (!m_p.m_inTransaction)
                m_p.committed();
            return Done {};
        }
        void abort()
        {
            m_open = false;
            if (m_p.m_inTransaction) {
                execSql(m_p.m_db, QStringLiteral("ROLLBACK TO page"));
                execSql(m_p.m_db, QStringLiteral("RELEASE page"));
            } else {
                execSql(m_p.m_db, QStringLiteral("ROLLBACK"));
            }
        }

    private:
        Private& m_p;
        bool m_open = false;
    };

    StoreResult<Done> writeOne(const ResourceIndex& index, const QByteArray& json, UpsertStats& stats);
};

ResourceStore::ResourceStore()
    : d(std::make_unique<Private>())
{
}

ResourceStore::~ResourceStore()
{
    if (d->m_inTransaction)
        rollback();
    // Every QSqlQuery and QSqlDatabase handle must be gone before removeDatabase(), or Qt warns and
    // keeps the connection.
    d->m_statements.reset();
    d->m_checkpointer.reset();
    d->m_db.close();
    d->m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(d->m_sqlName);
}

StoreResult<std::unique_ptr<ResourceStore>> ResourceStore::open(
    const QString& databasePath, const QString& connectionId, const QByteArray& dataKey)
{
    auto cipher = RecordCipher::fromDataKey(dataKey);
    if (!cipher)
        return cipher.failure();
    return openWithCipher(databasePath, connectionId, std::move(cipher).value());
}

StoreResult<std::unique_ptr<ResourceStore>> ResourceStore::openWithCipher(
    const QString& databasePath, const QString& connectionId, std::unique_ptr<RecordCipher> cipher)
{
    if (connectionId.isEmpty() || databasePath.isEmpty())
        return openFailure(QStringLiteral("empty database path or connection id"));
    if (!cipher)
        return StoreFailure { StoreError::Crypto, Text::tr("The encryption library failed to start."),
            QStringLiteral("no cipher") };
    const QByteArray keyCheck = cipher->keyCheckValue();
    if (keyCheck.isEmpty())
        return StoreFailure { StoreError::Crypto, Text::tr("The encryption library failed to start."),
            QStringLiteral("no key check value") };

    if (auto prepared = prepareFile(databasePath); !prepared)
        return prepared.failure();

    std::unique_ptr<ResourceStore> store(new ResourceStore());
    Private& p = *store->d;
    p.m_sqlName = uniqueConnectionName();
    p.m_path = databasePath;
    p.m_connectionId = connectionId;
    p.m_connectionIdUtf8 = connectionId.toUtf8();
    p.m_cipher = std::move(cipher);
    p.m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), p.m_sqlName);
    if (auto opened = openDatabase(p.m_db, databasePath); !opened)
        return opened.failure();
    if (auto migrated = migrate(p.m_db); !migrated)
        return migrated.failure();
    setOwnerOnly(databasePath);

    // The connection's row and its key check. A known connection is only read (no write lock); a new one
    // is added with INSERT OR IGNORE and read back, so two processes adding it at once agree on one row.
    QSqlQuery query(p.m_db);
    query.prepare(QStringLiteral("SELECT id, key_check FROM connections WHERE name = ?"));
    query.bindValue(0, connectionId);
    if (!query.exec())
        return ioFailure(query, "read connection");
    if (!query.next()) {
        query.finish();
        query.prepare(QStringLiteral("INSERT OR IGNORE INTO connections (name, key_check) VALUES (?, ?)"));
        query.bindValue(0, connectionId);
        query.bindValue(1, keyCheck);
        if (!query.exec())
            return ioFailure(query, "insert connection");
        query.prepare(QStringLiteral("SELECT id, key_check FROM connections WHERE name = ?"));
        query.bindValue(0, connectionId);
        if (!query.exec() || !query.next())
            return ioFailure(query, "read connection");
    }
    p.m_conn = query.value(0).toLongLong();
    const QByteArray stored = query.value(1).toByteArray();
    query.finish();
    if (stored.size() != keyCheck.size()
        || CRYPTO_memcmp(stored.constData(), keyCheck.constData(), size_t(keyCheck.size())) != 0) {
        qCWarning(lcStore) << "the data key does not match this connection's key check";
        return StoreFailure { StoreError::WrongKey,
            Text::tr("The key in the keychain does not match the records saved for this provider, so they cannot be "
                     "read. Nothing was changed. If the keychain was restored from another computer, restore the "
                     "matching one, or forget this provider and connect again."),
            QStringLiteral("key check value mismatch") };
    }
    if (!p.prepare())
        return StoreFailure { StoreError::Io,
            Text::tr("The records database on this computer could not be read or written."),
            QStringLiteral("prepare: ") + p.m_db.lastError().text() };
    return store;
}

StoreResult<Done> ResourceStore::Private::writeOne(
    const ResourceIndex& index, const QByteArray& json, UpsertStats& stats)
{
    Statements& s = *m_statements;
    const QByteArray typeUtf8 = index.type.toUtf8();
    const QByteArray idUtf8 = index.id.toUtf8();
    const QByteArray versionUtf8 = index.versionId.toUtf8();
    const QByteArray typeTagValue = typeTag(index.type);
    const QByteArray idTagValue = m_cipher->tag(TagKind::ResourceId, joined(typeUtf8, idUtf8));
    // Without a versionId, "the same version" can only mean the same bytes.
    const QByteArray versionTag = index.versionId.isEmpty()
        ? m_cipher->tag(TagKind::Content, json)
        : m_cipher->tag(TagKind::Version, joined(joined(typeUtf8, idUtf8), versionUtf8));
    if (typeTagValue.isEmpty() || idTagValue.isEmpty() || versionTag.isEmpty())
        return encryptFailure();

    s.lookup.bind(1, m_conn);
    s.lookup.bind(2, typeTagValue);
    s.lookup.bind(3, idTagValue);
    std::optional<qint64> existing;
    QByteArray existingVersion;
    std::optional<qint64> existingUpdated;
    if (s.lookup.step()) {
        existing = s.lookup.integer(0);
        existingVersion = s.lookup.blob(1);
        if (!s.lookup.isNull(2))
            existingUpdated = s.lookup.integer(2);
    }
    s.lookup.reset();
    if (s.lookup.failed())
        return s.lookup.failure("look up");

    if (existing) {
        enum class Verdict { Replace, Same, Older } verdict = Verdict::Replace;
        const bool bothDated = index.lastUpdated.isValid() && existingUpdated;
        const qint64 incomingMs = index.lastUpdated.isValid() ? index.lastUpdated.toMSecsSinceEpoch() : 0;
        if (bothDated && incomingMs != *existingUpdated) {
            verdict = incomingMs > *existingUpdated ? Verdict::Replace : Verdict::Older;
        } else if (versionTag == existingVersion) {
            verdict = Verdict::Same;
        } else if (const auto incoming = numericVersion(index.versionId)) {
            // Rare (equal or missing lastUpdated, another versionId): open the stored row to compare counters.
            s.body.bind(1, *existing);
            const bool found = s.body.step();
            const QByteArray body = found ? s.body.blob(0) : QByteArray();
            s.body.reset();
            if (!found)
                return s.body.failure("read for version");
            auto stored = open(index.type, idTagValue, body);
            if (!stored)
                return stored.failure();
            const auto storedVersion = numericVersion(stored.value().versionId);
            if (storedVersion && *storedVersion > *incoming)
                verdict = Verdict::Older;
        }
        if (verdict == Verdict::Same) {
            ++stats.unchanged;
            return Done {};
        }
        if (verdict == Verdict::Older) {
            ++stats.skippedOlder;
            return Done {};
        }
    }

    const std::optional<QByteArray> sealed
        = m_cipher->encrypt(encodePayload(idUtf8, versionUtf8, json), resourceAad(index.type, idTagValue));
    if (!sealed)
        return encryptFailure();
    m_uncheckpointed += sealed->size();
    const std::optional<qint64> lastUpdated = msOrNothing(index.lastUpdated);
    const std::optional<qint64> sortDate = msOrNothing(index.sortDate);
    // Steps a statement that returns no row, and resets it; false when it failed (its failure() says why).
    const auto run = [](Statement& statement) {
        statement.step();
        statement.reset();
        return !statement.failed();
    };

    qint64 rid = 0;
    if (existing) {
        rid = *existing;
        s.update.bind(1, versionTag);
        s.update.bind(2, lastUpdated);
        s.update.bind(3, sortDate);
        s.update.bind(4, *sealed);
        s.update.bind(5, rid);
        if (!run(s.update))
            return s.update.failure("update");
        s.deleteTags.bind(1, rid);
        if (!run(s.deleteTags))
            return s.deleteTags.failure("delete tags");
        ++stats.updated;
    } else {
        s.insert.bind(1, m_conn);
        s.insert.bind(2, typeTagValue);
        s.insert.bind(3, idTagValue);
        s.insert.bind(4, versionTag);
        s.insert.bind(5, lastUpdated);
        s.insert.bind(6, sortDate);
        s.insert.bind(7, *sealed);
        if (!run(s.insert))
            return s.insert.failure("insert");
        rid = s.insert.lastInsertId();
        ++stats.inserted;
    }

    auto addTags = [&](TagKind kind, const QStringList& tokens) -> StoreResult<Done> {
        for (const QString& token : tokens) {
            const QByteArray tag = m_cipher->tag(kind, joined(typeUtf8, token.toUtf8()));
            if (tag.isEmpty())
                return encryptFailure();
            s.insertTag.bind(1, rid);
            s.insertTag.bind(2, tag);
            s.insertTag.bind(3, m_conn);
            s.insertTag.bind(4, sortDate);
            if (!run(s.insertTag))
                return s.insertTag.failure("insert tag");
        }
        return Done {};
    };
    if (auto added = addTags(TagKind::Code, index.codes); !added)
        return added;
    return addTags(TagKind::Category, index.categories);
}

StoreResult<UpsertStats> ResourceStore::upsert(const QList<QByteArray>& resourceJsons)
{
    // Every resource is checked before anything is written: a page is all or nothing.
    QList<ResourceIndex> indexes;
    indexes.reserve(resourceJsons.size());
    for (qsizetype i = 0; i < resourceJsons.size(); ++i) {
        auto index = ResourceIndex::fromJson(resourceJsons.at(i));
        if (!index) {
            StoreFailure failure = index.failure();
            failure.detail = QStringLiteral("entry %1 of %2: %3").arg(i).arg(resourceJsons.size()).arg(failure.detail);
            qCWarning(lcStore) << "page refused:" << failure.detail;
            return failure;
        }
        indexes.append(std::move(index).value());
    }
    return upsert(resourceJsons, indexes);
}

StoreResult<UpsertStats> ResourceStore::upsert(
    const QList<QByteArray>& resourceJsons, const QList<ResourceIndex>& indexes)
{
    if (indexes.size() != resourceJsons.size())
        return StoreFailure { StoreError::InvalidResource, Text::tr("Records could not be saved."),
            QStringLiteral("upsert: %1 indexes for %2 resources").arg(indexes.size()).arg(resourceJsons.size()) };
    UpsertStats stats;
    if (indexes.isEmpty())
        return stats;

    Private::WriteScope scope(*d);
    if (auto started = scope.start(); !started)
        return started.failure();
    QStringList unlisted; // types outside FHIR R4: their tags cannot be found again from a list of names
    for (qsizetype i = 0; i < indexes.size(); ++i) {
        if (auto written = d->writeOne(indexes.at(i), resourceJsons.at(i), stats); !written)
            return written.failure(); // the scope rolls the page back
        if (!isFhirR4ResourceType(indexes.at(i).type) && !unlisted.contains(indexes.at(i).type))
            unlisted << indexes.at(i).type;
    }
    if (!unlisted.isEmpty()) {
        const auto known = state(kUnlistedTypes);
        if (!known)
            return known.failure();
        QStringList all
            = QString::fromUtf8(known.value().value_or(QByteArray())).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        const qsizetype before = all.size();
        for (const QString& type : std::as_const(unlisted))
            if (!all.contains(type))
                all << type;
        if (all.size() != before) {
            if (auto saved = setState(kUnlistedTypes, all.join(QLatin1Char('\n')).toUtf8()); !saved)
                return saved.failure();
        }
    }
    if (auto finished = scope.finish(); !finished)
        return finished.failure();
    qCDebug(lcStore) << "page of" << indexes.size() << "inserted" << stats.inserted << "updated" << stats.updated
                     << "unchanged" << stats.unchanged << "older" << stats.skippedOlder;
    return stats;
}

StoreResult<QStringList> ResourceStore::storedTypes()
{
    const auto unlisted = state(kUnlistedTypes);
    if (!unlisted)
        return unlisted.failure();
    QStringList candidates = fhirR4ResourceTypes();
    candidates
        << QString::fromUtf8(unlisted.value().value_or(QByteArray())).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QStringList found;
    for (const QString& type : std::as_const(candidates)) {
        const auto n = count(type);
        if (!n)
            return n.failure();
        if (n.value() > 0)
            found << type;
    }
    return found;
}

StoreResult<bool> ResourceStore::remove(const QString& type, const QString& id)
{
    const QByteArray typeTagValue = d->typeTag(type);
    const QByteArray idTagValue = d->idTag(type, id);
    if (typeTagValue.isEmpty() || idTagValue.isEmpty())
        return encryptFailure();
    Private::WriteScope scope(*d);
    if (auto started = scope.start(); !started)
        return started.failure();
    QSqlQuery query(d->m_db);
    query.prepare(QStringLiteral("SELECT rid FROM resources WHERE conn = ? AND type_tag = ? AND id_tag = ?"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, typeTagValue);
    query.bindValue(2, idTagValue);
    if (!query.exec())
        return ioFailure(query, "look up");
    if (!query.next())
        return false; // the scope ends the empty transaction
    const qint64 rid = query.value(0).toLongLong();
    query.finish();
    for (const QString& sql : { QStringLiteral("DELETE FROM resource_tags WHERE resource = ?"),
             QStringLiteral("DELETE FROM resources WHERE rid = ?") }) {
        query.prepare(sql);
        query.bindValue(0, rid);
        if (!query.exec())
            return ioFailure(query, "delete");
    }
    if (auto finished = scope.finish(); !finished)
        return finished.failure();
    return true;
}

StoreResult<std::optional<StoredResource>> ResourceStore::get(const QString& type, const QString& id)
{
    const QByteArray typeTagValue = d->typeTag(type);
    const QByteArray idTagValue = d->idTag(type, id);
    if (typeTagValue.isEmpty() || idTagValue.isEmpty())
        return encryptFailure();
    QSqlQuery query(d->m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT last_updated, sort_date, body FROM resources WHERE conn = ? AND type_tag = ? AND id_tag = ?"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, typeTagValue);
    query.bindValue(2, idTagValue);
    if (!query.exec())
        return ioFailure(query, "get");
    if (!query.next())
        return std::optional<StoredResource>();
    auto stored = d->toStored(type, idTagValue, query.value(0), query.value(1), query.value(2).toByteArray());
    if (!stored)
        return stored.failure();
    if (stored.value().id != id)
        return cryptoFailure(QStringLiteral("a %1 row holds another id than its tag").arg(type));
    return std::optional<StoredResource>(std::move(stored).value());
}

StoreResult<QList<StoredResource>> ResourceStore::query(const ResourceQuery& q)
{
    if (q.type.isEmpty())
        return badQuery(QStringLiteral("query without a type"));
    if (q.limit <= 0)
        return QList<StoredResource>();
    const QByteArray typeTagValue = d->typeTag(q.type);
    if (typeTagValue.isEmpty())
        return encryptFailure();

    QString sql;
    QList<QVariant> values;
    const QByteArray typeUtf8 = q.type.toUtf8();
    const bool byTag = q.code.has_value() || q.category.has_value();
    if (byTag) {
        // A code or category: walk that tag's (conn, tag, sort_date) index; a second filter is a lookup.
        const bool codeDrives = q.code.has_value();
        const QByteArray driving = d->m_cipher->tag(codeDrives ? TagKind::Code : TagKind::Category,
            joined(typeUtf8, (codeDrives ? *q.code : *q.category).toUtf8()));
        sql = QStringLiteral("SELECT r.id_tag, r.last_updated, r.sort_date, r.body FROM resource_tags t "
                             "JOIN resources r ON r.rid = t.resource "
                             "WHERE t.conn = ? AND t.tag = ? AND r.type_tag = ?");
        values << d->m_conn << driving << typeTagValue;
        if (codeDrives && q.category) {
            sql += QStringLiteral(
                " AND EXISTS (SELECT 1 FROM resource_tags c WHERE c.resource = t.resource AND c.tag = ?)");
            values << d->m_cipher->tag(TagKind::Category, joined(typeUtf8, q.category->toUtf8()));
        }
        if (q.from.isValid()) {
            sql += QStringLiteral(" AND t.sort_date >= ?");
            values << q.from.toMSecsSinceEpoch();
        }
        if (q.to.isValid()) {
            sql += QStringLiteral(" AND t.sort_date <= ?");
            values << q.to.toMSecsSinceEpoch();
        }
        sql += q.newestFirst ? QStringLiteral(" ORDER BY t.sort_date DESC, t.resource DESC")
                             : QStringLiteral(" ORDER BY t.sort_date ASC, t.resource ASC");
    } else {
        sql = QStringLiteral(
            "SELECT id_tag, last_updated, sort_date, body FROM resources WHERE conn = ? AND type_tag = ?");
        values << d->m_conn << typeTagValue;
        if (q.from.isValid()) {
            sql += QStringLiteral(" AND sort_date >= ?");
            values << q.from.toMSecsSinceEpoch();
        }
        if (q.to.isValid()) {
            sql += QStringLiteral(" AND sort_date <= ?");
            values << q.to.toMSecsSinceEpoch();
        }
        sql += q.newestFirst ? QStringLiteral(" ORDER BY sort_date DESC, rid DESC")
                             : QStringLiteral(" ORDER BY sort_date ASC, rid ASC");
    }
    sql += QStringLiteral(" LIMIT ? OFFSET ?");
    values << q.limit << std::max(0, q.offset);

    QSqlQuery query(d->m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return ioFailure(query, "prepare query");
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec())
        return ioFailure(query, "query");
    QList<StoredResource> out;
    out.reserve(std::min(q.limit, 1000));
    while (query.next()) {
        auto stored = d->toStored(
            q.type, query.value(0).toByteArray(), query.value(1), query.value(2), query.value(3).toByteArray());
        if (!stored)
            return stored.failure();
        out.append(std::move(stored).value());
    }
    return out;
}

StoreResult<qint64> ResourceStore::count(
    const QString& type, std::optional<QString> code, std::optional<QString> category)
{
    if (type.isEmpty())
        return badQuery(QStringLiteral("count without a type"));
    const QByteArray typeTagValue = d->typeTag(type);
    if (typeTagValue.isEmpty())
        return encryptFailure();
    const QByteArray typeUtf8 = type.toUtf8();
    QString sql;
    QList<QVariant> values;
    if (code || category) {
        const bool codeDrives = code.has_value();
        sql = QStringLiteral("SELECT COUNT(*) FROM resource_tags t JOIN resources r ON r.rid = t.resource "
                             "WHERE t.conn = ? AND t.tag = ? AND r.type_tag = ?");
        values << d->m_conn
               << d->m_cipher->tag(codeDrives ? TagKind::Code : TagKind::Category,
                      joined(typeUtf8, (codeDrives ? *code : *category).toUtf8()))
               << typeTagValue;
        if (code && category) {
            sql += QStringLiteral(
                " AND EXISTS (SELECT 1 FROM resource_tags c WHERE c.resource = t.resource AND c.tag = ?)");
            values << d->m_cipher->tag(TagKind::Category, joined(typeUtf8, category->toUtf8()));
        }
    } else {
        sql = QStringLiteral("SELECT COUNT(*) FROM resources WHERE conn = ? AND type_tag = ?");
        values << d->m_conn << typeTagValue;
    }
    QSqlQuery query(d->m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return ioFailure(query, "prepare count");
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec() || !query.next())
        return ioFailure(query, "count");
    return query.value(0).toLongLong();
}

StoreResult<QStringList> ResourceStore::ids(const QString& type)
{
    const QByteArray typeTagValue = d->typeTag(type);
    if (typeTagValue.isEmpty())
        return encryptFailure();
    QSqlQuery query(d->m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id_tag, body FROM resources WHERE conn = ? AND type_tag = ?"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, typeTagValue);
    if (!query.exec())
        return ioFailure(query, "ids");
    QStringList out;
    while (query.next()) {
        auto payload = d->open(type, query.value(0).toByteArray(), query.value(1).toByteArray());
        if (!payload)
            return payload.failure();
        out.append(std::move(payload).value().id);
    }
    return out;
}

StoreResult<int> ResourceStore::retainOnly(const QString& type, const QStringList& keepIds)
{
    const QByteArray typeTagValue = d->typeTag(type);
    if (typeTagValue.isEmpty())
        return encryptFailure();
    QSet<QByteArray> keep;
    keep.reserve(keepIds.size());
    for (const QString& id : keepIds)
        keep.insert(d->idTag(type, id));

    Private::WriteScope scope(*d);
    if (auto started = scope.start(); !started)
        return started.failure();
    QSqlQuery query(d->m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT rid, id_tag FROM resources WHERE conn = ? AND type_tag = ?"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, typeTagValue);
    if (!query.exec())
        return ioFailure(query, "retain: list");
    QList<qint64> gone;
    while (query.next()) {
        if (!keep.contains(query.value(1).toByteArray()))
            gone.append(query.value(0).toLongLong());
    }
    query.finish();
    for (const qint64 rid : std::as_const(gone)) {
        for (const QString& sql : { QStringLiteral("DELETE FROM resource_tags WHERE resource = ?"),
                 QStringLiteral("DELETE FROM resources WHERE rid = ?") }) {
            query.prepare(sql);
            query.bindValue(0, rid);
            if (!query.exec())
                return ioFailure(query, "retain: delete");
        }
    }
    if (auto finished = scope.finish(); !finished)
        return finished.failure();
    qCInfo(lcStore) << "reconciled" << type << ": removed" << gone.size();
    return int(gone.size());
}

StoreResult<Done> ResourceStore::setState(const QString& name, const QByteArray& value)
{
    const QByteArray nameTag = d->m_cipher->tag(TagKind::StateName, name.toUtf8());
    if (nameTag.isEmpty())
        return encryptFailure();
    const std::optional<QByteArray> sealed = d->m_cipher->encrypt(value, d->stateAad(nameTag));
    if (!sealed)
        return encryptFailure();
    QSqlQuery query(d->m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO state (conn, name_tag, value) VALUES (?, ?, ?)"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, nameTag);
    query.bindValue(2, *sealed);
    if (!query.exec())
        return ioFailure(query, "set state");
    return Done {};
}

StoreResult<std::optional<QByteArray>> ResourceStore::state(const QString& name)
{
    const QByteArray nameTag = d->m_cipher->tag(TagKind::StateName, name.toUtf8());
    if (nameTag.isEmpty())
        return encryptFailure();
    QSqlQuery query(d->m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT value FROM state WHERE conn = ? AND name_tag = ?"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, nameTag);
    if (!query.exec())
        return ioFailure(query, "state");
    if (!query.next())
        return std::optional<QByteArray>();
    const std::optional<QByteArray> value = d->m_cipher->decrypt(query.value(0).toByteArray(), d->stateAad(nameTag));
    if (!value)
        return cryptoFailure(QStringLiteral("a state row failed authentication"));
    return std::optional<QByteArray>(*value);
}

StoreResult<bool> ResourceStore::removeState(const QString& name)
{
    const QByteArray nameTag = d->m_cipher->tag(TagKind::StateName, name.toUtf8());
    if (nameTag.isEmpty())
        return encryptFailure();
    QSqlQuery query(d->m_db);
    query.prepare(QStringLiteral("DELETE FROM state WHERE conn = ? AND name_tag = ?"));
    query.bindValue(0, d->m_conn);
    query.bindValue(1, nameTag);
    if (!query.exec())
        return ioFailure(query, "remove state");
    return query.numRowsAffected() > 0;
}

StoreResult<Done> ResourceStore::forget(const QString& databasePath, const QString& connectionId)
{
    if (!QFileInfo::exists(databasePath))
        return Done {};
    const QString sqlName = uniqueConnectionName();
    StoreResult<Done> result = Done {};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), sqlName);
        result = [&]() -> StoreResult<Done> {
            if (auto opened = openDatabase(db, databasePath); !opened)
                return opened.failure();
            if (auto migrated = migrate(db); !migrated)
                return migrated.failure();
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
                return ioFailure(query, "begin forget");
            auto fail = [&db](StoreFailure failure) {
                execSql(db, QStringLiteral("ROLLBACK"));
                return failure;
            };
            query.prepare(QStringLiteral("SELECT id FROM connections WHERE name = ?"));
            query.bindValue(0, connectionId);
            if (!query.exec())
                return fail(ioFailure(query, "forget: find"));
            if (query.next()) {
                const qint64 conn = query.value(0).toLongLong();
                query.finish();
                int removed = 0;
                for (const QString& sql : { QStringLiteral("DELETE FROM resource_tags WHERE conn = ?"),
                         QStringLiteral("DELETE FROM resources WHERE conn = ?"),
                         QStringLiteral("DELETE FROM state WHERE conn = ?"),
                         QStringLiteral("DELETE FROM connections WHERE id = ?") }) {
                    query.prepare(sql);
                    query.bindValue(0, conn);
                    if (!query.exec())
                        return fail(ioFailure(query, "forget: delete"));
                    if (sql.contains(u"FROM resources"))
                        removed = query.numRowsAffected();
                }
                qCInfo(lcStore) << "forgot a connection:" << removed << "resources";
            }
            query.finish();
            if (!query.exec(QStringLiteral("COMMIT")))
                return fail(ioFailure(query, "forget: commit"));
            // Copy the deletions into the main file and empty the WAL, so old pages are not left in it.
            // Another open store can keep the WAL from being truncated; it is reset after a later checkpoint
            // (that store's WalCheckpointer, or the last connection closing).
            if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
                qCInfo(lcStore) << "forget: checkpoint postponed:" << query.lastError().text();
            query.finish();
            return Done {};
        }();
        db.close();
    }
    QSqlDatabase::removeDatabase(sqlName);
    return result;
}

StoreResult<Done> ResourceStore::begin()
{
    if (d->m_inTransaction)
        return StoreFailure { StoreError::Io, Text::tr("The records database could not be read or written."),
            QStringLiteral("begin() inside an open transaction") };
    QSqlQuery query(d->m_db);
    if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return ioFailure(query, "begin");
    d->m_inTransaction = true;
    return Done {};
}

StoreResult<Done> ResourceStore::commit()
{
    if (!d->m_inTransaction)
        return StoreFailure { StoreError::Io, Text::tr("The records database could not be read or written."),
            QStringLiteral("commit() without begin()") };
    QSqlQuery query(d->m_db);
    if (!query.exec(QStringLiteral("COMMIT"))) {
        StoreFailure failure = ioFailure(query, "commit");
        rollback();
        return failure;
    }
    d->m_inTransaction = false;
    d->committed();
    return Done {};
}

void ResourceStore::rollback()
{
    if (!d->m_inTransaction)
        return;
    execSql(d->m_db, QStringLiteral("ROLLBACK"));
    d->m_inTransaction = false;
}

bool ResourceStore::inTransaction() const
{
    return d->m_inTransaction;
}

QString ResourceStore::connectionId() const
{
    return d->m_connectionId;
}

QString ResourceStore::databasePath() const
{
    return d->m_path;
}

} // namespace ondevice::fhir
