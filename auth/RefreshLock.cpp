#include "RefreshLock.h"

#include "Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>

namespace ondevice::auth {

namespace {

constexpr int kPollMs = 25;
constexpr int kWaitMs = 60000;

} // namespace

RefreshLock::RefreshLock(const QString& lockDirectory, const QString& connectionId, QObject* parent)
    : QObject(parent)
    , m_path(lockDirectory + QLatin1Char('/') + connectionId + QStringLiteral(".lock"))
{
    QDir().mkpath(lockDirectory);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &RefreshLock::poll);
}

RefreshLock::~RefreshLock() = default; // ~QLockFile unlocks a lock we hold

void RefreshLock::acquire(std::function<void(const std::optional<AuthFailure>&)> done)
{
    m_done = std::move(done);
    m_lock = std::make_unique<QLockFile>(m_path);
    // Stale when its process is gone (QLockFile checks the PID). By age only
    // as a backstop, far beyond any refresh (network and keychain time out
    // long before), so a slow refresh in another process is never run over.
    m_lock->setStaleLockTime(5 * 60 * 1000);
    m_deadline = QDeadlineTimer(kWaitMs);
    poll();
}

void RefreshLock::release()
{
    m_poll.stop();
    m_done = nullptr;
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
}

void RefreshLock::poll()
{
    // Polled instead of a blocking tryLock(timeout): the GUI thread never waits.
    if (m_lock->tryLock(0))
        return finish(std::nullopt);
    // A process killed while creating the lock leaves a file without its PID,
    // which QLockFile can only age out; one that says nothing after a few
    // seconds was never finished and holds nobody's lock.
    if (m_lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        const QFileInfo file(m_path);
        if (!m_lock->getLockInfo(&pid, &host, &app) && file.exists()
            && file.lastModified().msecsTo(QDateTime::currentDateTime()) > 3000) {
            qCInfo(lcAuth) << "removing an unfinished refresh lock file";
            m_lock->removeStaleLockFile();
        }
    }
    if (m_lock->error() != QLockFile::LockFailedError)
        return finish(AuthFailure { AuthError::Registry, tr("OnDevice Health could not use its data folder."),
            QStringLiteral("lock file error %1").arg(m_lock->error()) });
    if (m_deadline.hasExpired())
        return finish(AuthFailure { AuthError::TimedOut,
            tr("Another OnDevice Health process has been using this connection's sign-in for too long."),
            QStringLiteral("refresh lock not acquired within %1 ms").arg(kWaitMs) });
    if (!m_poll.isActive())
        m_poll.start();
}

void RefreshLock::finish(const std::optional<AuthFailure>& failure)
{
    m_poll.stop();
    if (failure)
        m_lock.reset();
    // The callback may release() or destroy this lock.
    if (auto done = std::exchange(m_done, nullptr))
        done(failure);
}

} // namespace ondevice::auth
