#pragma once

#include "auth/ConnectionManager.h"
#include "auth/ConnectionRegistry.h"
#include "auth/SecretStore.h"

#include <QCommandLineParser>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTextStream>

#include <functional>
#include <memory>

namespace ondevice::services {
class ConnectionRecords;
}

namespace ondevice::app {

// Exit codes of ondevice-cli (scripts depend on them; docs/cli.md).
enum CliExit {
    kExitOk = 0,
    kExitOther = 1,
    kExitNeedsReconnect = 2,
    kExitKeychain = 3,
    kExitOffline = 4,
};

int exitCodeFor(auth::AuthError error);

// The commands of ondevice-cli, wired to the same auth objects the app uses.
// Each command finishes by calling QCoreApplication::exit(code); none prompts.
class Cli : public QObject {
    Q_OBJECT

public:
    explicit Cli(QObject* parent = nullptr);

    // Starts the command; returns an exit code at once when it finished
    // synchronously (usage errors, status), or -1 when the event loop must run.
    int start(const QStringList& arguments);

private:
    int connectProvider(const QStringList& arguments);
    int status(const QStringList& arguments);
    int refresh(const QStringList& arguments);
    int disconnect(const QStringList& arguments);
    int sync(const QStringList& arguments);
    int exportRecords(const QStringList& arguments);
    int probe(const QStringList& arguments);
    int directory(const QStringList& arguments);

    // The connections a command acts on: the one named, or all. Prints why not.
    std::optional<QList<auth::Connection>> select(const QString& id, bool requireIdWhenMany);
    // The common start of a command on connections: arguments parsed, the
    // connections selected, the keychain usable. An exit code when the command
    // is already over (printed why), else nothing.
    std::optional<int> prepare(QCommandLineParser& parser, const QStringList& arguments, bool requireIdWhenMany,
        QList<auth::Connection>* selected);
    // Reads the connection's data key and opens its records; on failure prints
    // why and finishes that connection's part of the command.
    void openRecords(const auth::Connection& c, const std::function<void(services::ConnectionRecords&)>& opened);
    void finishOne(int code);

    QTextStream m_out;
    QTextStream m_err;
    QNetworkAccessManager m_network;
    auth::SecretStore m_secrets;
    auth::ConnectionRegistry m_registry;
    auth::AuthServices m_services;
    int m_pending = 0;
    int m_worst = kExitOk;
};

} // namespace ondevice::app
