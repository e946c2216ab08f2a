#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QLocalServer;
class QLockFile;

namespace ondevice::ui {

// One GUI per user: the first process holds a QLockFile in the app data dir
// and listens on a per-user local socket; a later process tells it to raise
// its window and then exits. The lock decides who is first (a local socket
// name alone can be left behind by a crash); the socket carries the message.
class SingleInstance : public QObject {
    Q_OBJECT

public:
    enum class Role {
        Primary, // this process runs the GUI
        Secondary, // another process runs it and was asked to raise its window
        Unreachable, // another process holds the lock but did not answer
    };

    // directory: where the lock file lives (the app data dir); it also makes
    // the socket name, so two users (or two test HOMEs) never meet.
    explicit SingleInstance(QString directory, QObject* parent = nullptr);
    ~SingleInstance() override;

    // Call once, before any window exists. Blocking waits here are bounded
    // (a few seconds) and happen before the event loop runs.
    Role claim();

    QString serverName() const { return m_serverName; }
    QString lockFilePath() const;

Q_SIGNALS:
    void raiseRequested();

private:
    bool notifyPrimary();

    QString m_directory;
    QString m_serverName;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer* m_server = nullptr;
};

} // namespace ondevice::ui
