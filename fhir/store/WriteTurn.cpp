#include "WriteTurn.h"

#include <QFileInfo>
#include <QHash>
#include <QPointer>
#include <QQueue>

namespace ondevice::fhir {

namespace {

struct Waiter {
    QPointer<QObject> context;
    std::function<void()> granted;
};

struct Turn {
    bool held = false;
    QQueue<Waiter> waiting;
};

// One set of turns per thread. The dispatcher hands a released turn to the
// next waiter from the event loop, never from inside the releasing call.
struct ThreadTurns {
    QHash<QString, Turn> files;
    QObject dispatcher;
};

ThreadTurns& turns()
{
    thread_local ThreadTurns perThread;
    return perThread;
}

QString fileKey(const QString& databasePath)
{
    // One file, however it is spelled (symbolic links too, once it exists).
    const QFileInfo file(databasePath);
    const QString canonical = file.canonicalFilePath();
    return canonical.isEmpty() ? file.absoluteFilePath() : canonical;
}

void grantNext(const QString& key)
{
    for (;;) {
        // Looked up again each time: granted() may add other files to the hash.
        Turn& turn = turns().files[key];
        if (turn.held || turn.waiting.isEmpty())
            return;
        Waiter next = turn.waiting.dequeue();
        if (!next.context)
            continue;
        turn.held = true;
        next.granted();
    }
}

} // namespace

void WriteTurn::take(const QString& databasePath, QObject* context, std::function<void()> granted)
{
    const QString key = fileKey(databasePath);
    Turn& turn = turns().files[key];
    if (!turn.held && turn.waiting.isEmpty()) {
        turn.held = true;
        granted();
        return;
    }
    turn.waiting.enqueue({ QPointer<QObject>(context), std::move(granted) });
}

void WriteTurn::release(const QString& databasePath)
{
    const QString key = fileKey(databasePath);
    Turn& turn = turns().files[key];
    turn.held = false;
    if (!turn.waiting.isEmpty())
        QMetaObject::invokeMethod(
            &turns().dispatcher, [key] { grantNext(key); }, Qt::QueuedConnection);
}

void WriteTurn::withdraw(const QString& databasePath, QObject* context)
{
    Turn& turn = turns().files[fileKey(databasePath)];
    turn.waiting.removeIf([context](const Waiter& w) { return !w.context || w.context == context; });
}

void WriteTurn::whenFree(const QString& databasePath, QObject* context, std::function<void()> work)
{
    take(databasePath, context, [databasePath, work = std::move(work)] {
        work();
        release(databasePath);
    });
}

} // namespace ondevice::fhir
