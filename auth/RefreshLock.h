#pragma once

#include "AuthError.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;

namespace ondevice::auth {

// The one lock per connection that every process (the GUI, any ondevice-cli)
// holds while it uses the connection's refresh token: to refresh it (read,
// send, store the new one, read it back) and to sign out (read, revoke,
// delete). A QLockFile in the lock directory, so it spans processes; a lock
// left by a process that died is taken over.
//
// acquire() never blocks the thread: it polls until the lock is free, for at
// most a minute, then calls back once (no failure: the lock is held until
// release() or destruction).
class RefreshLock : public QObject {
    Q_OBJECT

public:
    RefreshLock(const QString& lockDirectory, const QString& connectionId, QObject* parent = nullptr);
    ~RefreshLock() override;

    void acquire(std::function<void(const std::optional<AuthFailure>&)> done);
    void release();

private:
    void poll();
    void finish(const std::optional<AuthFailure>& failure);

    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
    QTimer m_poll;
    QDeadlineTimer m_deadline;
    std::function<void(const std::optional<AuthFailure>&)> m_done;
};

} // namespace ondevice::auth
