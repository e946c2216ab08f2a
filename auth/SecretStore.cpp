#include "SecretStore.h"
#include "core/Continuations.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPromise>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <atomic>
#include <memory>
#include <optional>

namespace ondevice::auth {

namespace {

// Process-wide on purpose: it mirrors QtKeychain's process-wide executor, which
// one hung job blocks for every SecretStore in the process.
std::atomic_bool g_unavailable { false };

std::chrono::milliseconds defaultTimeout()
{
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("ONDEVICE_KEYCHAIN_TIMEOUT_MS", &ok);
    return std::chrono::milliseconds(ok && fromEnv > 0 ? fromEnv : 10000);
}

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::auth::SecretStore)
};

// On Linux, QtKeychain talks to the Secret Service over the session bus. With
// no bus at all, GLib may try to start one of its own (and hang on a prompt),
// so we do not call QtKeychain.
bool sessionBusMissing()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return false;
    const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return runtimeDir.isEmpty() || !QFileInfo::exists(runtimeDir + QStringLiteral("/bus"));
#else
    return false;
#endif
}

template <typename Result> QFuture<Result> finished(Result result)
{
    QPromise<Result> promise;
    promise.start();
    promise.addResult(std::move(result));
    promise.finish();
    return promise.future();
}

template <typename Result> Result failure(SecretError code, QString message, QString detail = {})
{
    return Result(Failure<SecretError> { code, std::move(message), std::move(detail) });
}

template <typename Result> Result fromJobError(const QKeychain::Job& job)
{
    const QString store = SecretStore::platformStoreName();
    switch (job.error()) {
    case QKeychain::EntryNotFound:
        return failure<Result>(SecretError::NotFound,
            Text::tr("The item was not found in %1. It may have been removed, or the keyring may be locked.")
                .arg(store),
            job.errorString());
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return failure<Result>(
            SecretError::Denied, Text::tr("Access to %1 was refused.").arg(store), job.errorString());
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return failure<Result>(SecretError::Unavailable,
            Text::tr("%1 is not available on this computer, so nothing can be stored safely.").arg(store),
            job.errorString());
    default:
        return failure<Result>(SecretError::Failed, Text::tr("%1 reported an error.").arg(store), job.errorString());
    }
}

} // namespace

SecretStore::SecretStore(QString service, QObject* parent)
    : SecretStore(std::move(service), Mode::Keychain, parent)
{
}

SecretStore::SecretStore(QString service, Mode mode, QObject* parent)
    : QObject(parent)
    , m_service(std::move(service))
    , m_mode(mode)
    , m_timeout(defaultTimeout())
{
#if defined(Q_OS_WIN)
    m_maxItemBytes = 2560;
#endif
}

QString SecretStore::platformStoreName()
{
#if defined(Q_OS_MACOS)
    return Text::tr("macOS Keychain");
#elif defined(Q_OS_WIN)
    return Text::tr("Windows Credential Manager");
#else
    return Text::tr("Secret Service (GNOME Keyring or KWallet)");
#endif
}

bool SecretStore::unavailableForProcess()
{
    return g_unavailable.load();
}

std::optional<Failure<SecretError>> SecretStore::knownUnavailable()
{
    if (auto early = preflight<SecretStatus>())
        return early->result().failure();
    return std::nullopt;
}

template <typename Result> std::optional<QFuture<Result>> SecretStore::preflight()
{
    const QString store = platformStoreName();
    if (g_unavailable.load())
        return finished(failure<Result>(SecretError::Unavailable,
            Text::tr("%1 stopped answering earlier; restart the app once it is unlocked and working.").arg(store),
            QStringLiteral("an earlier keychain call timed out in this process")));
    if (sessionBusMissing())
        return finished(failure<Result>(SecretError::NoSession,
            Text::tr("No Secret Service session was found, so %1 cannot be used. Log in to a desktop session "
                     "with GNOME Keyring or KWallet running.")
                .arg(store),
            QStringLiteral("neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus exists")));
    return std::nullopt;
}

template <typename Result, typename Job, typename Extract>
QFuture<Result> SecretStore::run(Job* job, const QString& key, const char* what, Extract extract)
{
    // Shared between the job's completion and the timeout; whichever comes
    // first answers, the other is ignored.
    struct Pending {
        QPromise<Result> promise;
        bool answered = false;
        void answer(Result result)
        {
            if (answered)
                return;
            answered = true;
            promise.addResult(std::move(result));
            promise.finish();
        }
    };
    auto pending = std::make_shared<Pending>();
    pending->promise.start();
    QFuture<Result> future = pending->promise.future();

    // No parent: the job belongs to QtKeychain's executor until it finishes,
    // and deletes itself then (autoDelete). Deleting it earlier is unsafe.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);

    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [pending, timer, what, timeout = m_timeout] {
        timer->deleteLater();
        if (pending->answered)
            return;
        g_unavailable.store(true);
        qCWarning(lcKeychain) << "keychain" << what << "did not answer within" << timeout.count()
                              << "ms; keychain disabled for this process";
        pending->answer(failure<Result>(SecretError::TimedOut,
            Text::tr("%1 did not answer. It may be locked or waiting for a prompt that cannot be shown.")
                .arg(platformStoreName()),
            QStringLiteral("keychain %1 timed out").arg(QLatin1String(what))));
    });
    connect(job, &QKeychain::Job::finished, this, [pending, timer, extract, what](QKeychain::Job* done) {
        timer->stop();
        timer->deleteLater();
        if (pending->answered) {
            qCInfo(lcKeychain) << "keychain" << what << "answered after its timeout; ignored";
            return;
        }
        if (done->error() != QKeychain::NoError) {
            qCInfo(lcKeychain) << "keychain" << what << "failed:" << done->error();
            pending->answer(fromJobError<Result>(*done));
            return;
        }
        pending->answer(extract(static_cast<Job*>(done)));
    });
    timer->start(m_timeout);
    job->start();
    return future;
}

QFuture<SecretValue> SecretStore::readItem(const QString& key)
{
    if (auto early = preflight<SecretValue>(); early)
        return *early;
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    return run<SecretValue>(job, key, "read", [](QKeychain::ReadPasswordJob* done) {
        const QByteArray value = done->binaryData();
        if (value.isEmpty())
            return failure<SecretValue>(SecretError::NotFound,
                Text::tr("The item in %1 is empty.").arg(platformStoreName()), QStringLiteral("empty value"));
        return SecretValue(value);
    });
}

QFuture<SecretStatus> SecretStore::writeItem(const QString& key, const QByteArray& secret)
{
    if (auto early = preflight<SecretStatus>(); early)
        return *early;
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setBinaryData(secret);
    return run<SecretStatus>(job, key, "write", [](QKeychain::WritePasswordJob*) { return SecretStatus(Done {}); });
}

QFuture<SecretStatus> SecretStore::removeItem(const QString& key)
{
    if (auto early = preflight<SecretStatus>(); early)
        return *early;
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    return run<SecretStatus>(job, key, "delete", [](QKeychain::DeletePasswordJob*) { return SecretStatus(Done {}); });
}

QString SecretStore::chunkKey(const QString& key, int index)
{
    return index == 0 ? key : key + QStringLiteral("#%1").arg(index + 1);
}

QFuture<SecretValue> SecretStore::read(const QString& key)
{
    if (m_mode == Mode::SessionOnly) {
        const auto found = m_memory.constFind(key);
        if (found == m_memory.constEnd())
            return finished(failure<SecretValue>(SecretError::NotFound, Text::tr("Nothing is kept for this session."),
                QStringLiteral("session-only: no such item")));
        return finished(SecretValue(*found));
    }
    if (m_maxItemBytes <= 0)
        return readItem(key);
    auto promise = std::make_shared<QPromise<SecretValue>>();
    promise->start();
    readChunks(key, 0, {}, promise);
    return promise->future();
}

void SecretStore::readChunks(
    const QString& key, int index, const QByteArray& soFar, std::shared_ptr<QPromise<SecretValue>> promise)
{
    readItem(chunkKey(key, index))
        .then(compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretValue& part) {
            if (!part) {
                // The first item missing is "not found"; a later one ends the value.
                if (index == 0 || part.code() != SecretError::NotFound)
                    promise->addResult(part);
                else
                    promise->addResult(SecretValue(soFar));
                promise->finish();
                return;
            }
            const QByteArray value = soFar + part.value();
            if (part.value().size() < m_maxItemBytes) {
                promise->addResult(SecretValue(value));
                promise->finish();
                return;
            }
            readChunks(key, index + 1, value, promise);
        }));
}

QFuture<SecretStatus> SecretStore::write(const QString& key, const QByteArray& secret)
{
    if (m_mode == Mode::SessionOnly) {
        m_memory.insert(key, secret);
        return finished(SecretStatus(Done {}));
    }
    if (m_maxItemBytes <= 0)
        return writeItem(key, secret);
    QList<QByteArray> chunks;
    for (qsizetype at = 0; at < secret.size(); at += m_maxItemBytes)
        chunks << secret.mid(at, m_maxItemBytes);
    if (chunks.isEmpty())
        chunks << QByteArray();
    auto promise = std::make_shared<QPromise<SecretStatus>>();
    promise->start();
    writeChunks(key, chunks, 0, promise);
    return promise->future();
}

void SecretStore::writeChunks(
    const QString& key, QList<QByteArray> chunks, int index, std::shared_ptr<QPromise<SecretStatus>> promise)
{
    if (index == chunks.size()) {
        // A longer value written before leaves items behind: remove them, so a
        // read never appends a stale tail.
        removeChunks(key, index, promise);
        return;
    }
    writeItem(chunkKey(key, index), chunks[index])
        .then(compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretStatus& written) {
            if (!written) {
                promise->addResult(written);
                promise->finish();
                return;
            }
            writeChunks(key, chunks, index + 1, promise);
        }));
}

QFuture<SecretStatus> SecretStore::remove(const QString& key)
{
    if (m_mode == Mode::SessionOnly) {
        m_memory.remove(key);
        return finished(SecretStatus(Done {}));
    }
    if (m_maxItemBytes <= 0)
        return removeItem(key);
    auto promise = std::make_shared<QPromise<SecretStatus>>();
    promise->start();
    removeItem(key).then(compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretStatus& removed) {
        if (!removed) {
            promise->addResult(removed);
            promise->finish();
            return;
        }
        removeChunks(key, 1, promise);
    }));
    return promise->future();
}

void SecretStore::removeChunks(const QString& key, int index, std::shared_ptr<QPromise<SecretStatus>> promise)
{
    // Look before deleting: some backends report success for deleting
    // nothing, which would never end this loop.
    readItem(chunkKey(key, index))
        .then(compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretValue& present) {
            if (!present) {
                promise->addResult(
                    present.code() == SecretError::NotFound ? SecretStatus(Done {}) : SecretStatus(present.failure()));
                promise->finish();
                return;
            }
            removeItem(chunkKey(key, index))
                .then(compat::continuationContext(), compat::ifAlive(this, [=, this](const SecretStatus& removed) {
                    if (!removed) {
                        promise->addResult(removed);
                        promise->finish();
                        return;
                    }
                    removeChunks(key, index + 1, promise);
                }));
        }));
}

} // namespace ondevice::auth
