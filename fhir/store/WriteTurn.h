#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace ondevice::fhir {

// Writers of one records file on one thread take turns.
//
// SyncEngine writes a page in one transaction over several event-loop turns,
// so that the next page downloads and parses meanwhile. Any other write to the
// same file from the same thread in between (another connection's sync, a
// store opened for a new connection) would wait in SQLite's busy handler on
// the very thread that has to finish that page: the thread would freeze for
// the busy timeout, then fail. So every writer of that file on that thread
// takes its turn first. Other threads and processes need not: SQLite makes
// them wait in their own thread while this one goes on.
class WriteTurn {
public:
    // Calls granted() now when nobody on this thread holds the turn of the
    // file, else once it is free, in the order asked. The turn is then held
    // until release(). A context that is gone by then is skipped.
    static void take(const QString& databasePath, QObject* context, std::function<void()> granted);
    static void release(const QString& databasePath);
    // Drops what context is still waiting for (it is going away).
    static void withdraw(const QString& databasePath, QObject* context);
    // take(), work(), release(): for writes that end before they return.
    static void whenFree(const QString& databasePath, QObject* context, std::function<void()> work);
};

} // namespace ondevice::fhir
