#include "fhir/store/WalCheckpointer.h"

#include "fhir/Logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace ondevice::fhir {

WalCheckpointer::WalCheckpointer(QString databasePath)
    : m_path(std::move(databasePath))
{
}

WalCheckpointer::~WalCheckpointer()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

bool WalCheckpointer::request()
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_failed)
            return false;
        m_requested = true;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { run(); });
    }
    m_wake.notify_one();
    return true;
}

int WalCheckpointer::completed() const
{
    const std::lock_guard lock(m_mutex);
    return m_completed;
}

void WalCheckpointer::run()
{
    static std::atomic<quint64> counter { 0 };
    const QString name = QStringLiteral("ondevice.checkpoint.%1").arg(++counter);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        const bool opened = db.open();
        if (opened) {
            // PASSIVE never waits on a lock itself; this only covers reading the schema on a busy file.
            QSqlQuery(db).exec(QStringLiteral("PRAGMA busy_timeout=10000"));
        }
        if (!opened) {
            qCWarning(lcStore) << "checkpoint connection failed:" << db.lastError().text();
            const std::lock_guard lock(m_mutex);
            m_failed = true;
        }
        while (opened) {
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_requested || m_stopping; });
                if (m_stopping)
                    break;
                m_requested = false;
            }
            QSqlQuery query(db);
            // Row: busy (1 when a writer or reader kept it from finishing), frames in the log, frames copied.
            if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) || !query.next()) {
                qCInfo(lcStore) << "checkpoint postponed:" << query.lastError().text();
                continue;
            }
            const std::lock_guard lock(m_mutex);
            ++m_completed;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace ondevice::fhir
