#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>
#include <QThread>

namespace ondevice::ui {

namespace {

constexpr char kRaise[] = "raise\n";

QString makeServerName(const QString& directory)
{
    QString tag = QStringLiteral("ondevice-")
        + QString::fromLatin1(
            QCryptographicHash::hash(QDir::cleanPath(directory).toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
#if defined(Q_OS_UNIX)
    // In the per-user runtime dir (mode 0700) when there is one: no other
    // user can take the name first or connect to it. A plain name would land
    // in the shared /tmp.
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    QString path = runtime + QLatin1Char('/') + tag + QStringLiteral(".socket");
    if (!runtime.isEmpty() && path.toLocal8Bit().size() < 100)
        return path;
#endif
    return tag;
}

} // namespace

SingleInstance::SingleInstance(QString directory, QObject* parent)
    : QObject(parent)
    , m_directory(std::move(directory))
    , m_serverName(makeServerName(m_directory))
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::lockFilePath() const
{
    return m_directory + QStringLiteral("/ondevice-gui.lock");
}

SingleInstance::Role SingleInstance::claim()
{
    QDir().mkpath(m_directory);
    m_lock = std::make_unique<QLockFile>(lockFilePath());
    // Stale only when the process that wrote it is gone (QLockFile checks the
    // PID), never by age: a GUI runs for weeks.
    m_lock->setStaleLockTime(0);
    if (m_lock->tryLock(0)) {
        // We hold the lock, so a socket under our name is a crashed
        // predecessor's leftover.
        QLocalServer::removeServer(m_serverName);
        m_server = new QLocalServer(this);
        m_server->setSocketOptions(QLocalServer::UserAccessOption);
        m_server->listen(m_serverName);
        connect(m_server, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket* socket = m_server->nextPendingConnection()) {
                connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                    while (socket->canReadLine())
                        if (socket->readLine() == kRaise)
                            Q_EMIT raiseRequested();
                });
            }
        });
        return Role::Primary;
    }
    m_lock.reset();
    return notifyPrimary() ? Role::Secondary : Role::Unreachable;
}

bool SingleInstance::notifyPrimary()
{
    // The first process may still be starting (lock taken, not yet
    // listening): try for about three seconds.
    for (int attempt = 0; attempt < 12; ++attempt) {
        QLocalSocket socket;
        socket.connectToServer(m_serverName);
        if (socket.waitForConnected(250)) {
            socket.write(kRaise);
            const bool sent = socket.waitForBytesWritten(1000);
            socket.disconnectFromServer();
            return sent;
        }
        QThread::msleep(25);
    }
    return false;
}

} // namespace ondevice::ui
