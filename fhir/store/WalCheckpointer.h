#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ondevice::fhir {

// Copies the committed pages of a database's write-ahead log into the database file on a thread of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the writer's thread, and
// waits for the fsyncs of the database file: tens of milliseconds on an ordinary disk, on the GUI thread during
// a sync. A store turns that off (wal_autocheckpoint=0) and asks this object instead, which runs
// `PRAGMA wal_checkpoint(PASSIVE)` on its own connection. PASSIVE never blocks the writer or the readers; the
// WAL starts over from its beginning at the first write after a checkpoint that caught up.
//
// The thread starts on the first request; the destructor lets a running checkpoint end and joins it.
class WalCheckpointer {
public:
    explicit WalCheckpointer(QString databasePath);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // Asks for a checkpoint and returns at once; requests made while one runs become one more checkpoint.
    // false when this object's connection failed: the caller then checkpoints itself.
    bool request();

    // Checkpoints run, including those a reader or writer kept from copying everything (for tests).
    int completed() const;

private:
    void run();

    const QString m_path;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    bool m_failed = false;
    int m_completed = 0;
    std::thread m_thread;
};

} // namespace ondevice::fhir
