#pragma once

#include "core/Expected.h"

#include <QByteArray>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPromise>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace ondevice::auth {

enum class SecretError {
    NotFound, // no such item; on Linux a locked keyring reads the same way
    NoSession, // no Secret Service session bus (Linux): reported without calling QtKeychain
    Unavailable, // no backend, or an earlier call hung and the keychain is off for this process
    Denied, // the user or the system refused access
    TimedOut, // the call did not answer in time; the keychain is now off for this process
    Failed, // anything else the backend reported
};

using SecretValue = Expected<QByteArray, SecretError>;
using SecretStatus = Expected<Done, SecretError>;

// The operating system's keychain, through QtKeychain, with the guards that
// QtKeychain 0.13 lacks.
//
// A value stored here is only the secret itself, never a structure around it.
// The insecure plaintext fallback of QtKeychain is never enabled.
//
// QtKeychain runs every job through one process-wide executor: one job that
// hangs (a Secret Service prompt on an invisible display, a bus that never
// answers) blocks every later job, and deleting a queued job is a
// use-after-free. So each call has a timeout; when it fires the job is left
// alive (it deletes itself if it ever finishes), the keychain is marked
// unavailable for the rest of the process, and later calls fail at once.
class SecretStore : public QObject {
    Q_OBJECT

public:
    enum class Mode {
        Keychain, // the operating system's keychain
        // Memory of this process only, nothing persisted: the user's choice
        // when the keychain is missing, locked or refusing.
        SessionOnly,
    };

    // service: the keychain service name all items of this store live under.
    explicit SecretStore(QString service, QObject* parent = nullptr);
    SecretStore(QString service, Mode mode, QObject* parent = nullptr);

    QString service() const { return m_service; }
    Mode mode() const { return m_mode; }

    // Secrets longer than this go into several items (`key`, `key#2`, ...).
    // Windows Credential Manager holds at most 2,560 bytes per credential, so
    // that is the default there; elsewhere 0 (no limit). Each item still holds
    // only (part of) the secret.
    void setMaxItemBytes(int bytes) { m_maxItemBytes = bytes; }
    int maxItemBytes() const { return m_maxItemBytes; }

    // Default: 10 s, or ONDEVICE_KEYCHAIN_TIMEOUT_MS from the environment.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // Each future finishes on this object's thread; a future may already be
    // finished when returned (preflight failures are reported at once).
    QFuture<SecretValue> read(const QString& key);
    QFuture<SecretStatus> write(const QString& key, const QByteArray& secret);
    QFuture<SecretStatus> remove(const QString& key);

    // The store the user knows by name: "macOS Keychain", "Windows Credential
    // Manager", "Secret Service (GNOME Keyring or KWallet)".
    static QString platformStoreName();

    // True once a call has timed out in this process.
    static bool unavailableForProcess();

    // Why no keychain call can work right now (no session bus, or an earlier
    // timeout), found without calling QtKeychain; nothing when it may work.
    // Lets a caller refuse before it opens a browser it could not finish.
    static std::optional<Failure<SecretError>> knownUnavailable();

private:
    QFuture<SecretValue> readItem(const QString& key);
    QFuture<SecretStatus> writeItem(const QString& key, const QByteArray& secret);
    QFuture<SecretStatus> removeItem(const QString& key);
    void readChunks(
        const QString& key, int index, const QByteArray& soFar, std::shared_ptr<QPromise<SecretValue>> promise);
    void writeChunks(
        const QString& key, QList<QByteArray> chunks, int index, std::shared_ptr<QPromise<SecretStatus>> promise);
    void removeChunks(const QString& key, int index, std::shared_ptr<QPromise<SecretStatus>> promise);
    static QString chunkKey(const QString& key, int index);

    template <typename Result, typename Job, typename Extract>
    QFuture<Result> run(Job* job, const QString& key, const char* what, Extract extract);

    template <typename Result> static std::optional<QFuture<Result>> preflight();

    QString m_service;
    Mode m_mode = Mode::Keychain;
    std::chrono::milliseconds m_timeout;
    int m_maxItemBytes = 0;
    QHash<QString, QByteArray> m_memory; // SessionOnly mode
};

} // namespace ondevice::auth
