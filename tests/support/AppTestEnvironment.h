#pragma once

#include "auth/ConnectionManager.h"
#include "auth/SecretStore.h"

#include <QNetworkAccessManager>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace ondevice::testing {

class SandboxProcess;

// What one ondevice-cli run printed and how it ended (-1: it did not end by itself in time).
struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;
};

// What an integration test shares with the ondevice-cli processes it starts:
// its own HOME and XDG dirs (ctest runs tests in parallel), the app's names
// (so both find the same data dir), the app's keychain service in the private
// keyring of `./dev test`, and the auth services wired to them.
// No QStandardPaths test mode: child processes must see the same files.
class AppTestEnvironment {
public:
    // Call from initTestCase(); empty on success, else why not.
    QString setUp();

    QString home() const { return m_home.path(); }
    QString filePath(const QString& name) const { return m_home.filePath(name); }
    QProcessEnvironment childEnvironment() const;

    auth::SecretStore& secrets() { return *m_secrets; }
    auth::ConnectionRegistry& registry() { return *m_registry; }
    QNetworkAccessManager& network() { return m_network; }
    auth::AuthServices services();
    QString recordsPath() const;

    // Connects through the sandbox (started with --auto-approve) with the
    // browser hook; nothing on failure (the failure is printed).
    std::optional<auth::ConnectOutcome> connect(
        SandboxProcess& sandbox, const QString& scope = {}, std::optional<QString> reconnectId = {});
    // The stored connection with this id, as the registry has it now.
    std::optional<auth::Connection> stored(const QString& id);

    // ondevice-cli (ONDEVICE_CLI_EXE, set by ctest) in this environment, or in `env`.
    QProcess* startCli(
        const QStringList& arguments, QObject* parent, std::optional<QProcessEnvironment> env = std::nullopt) const;
    // Waits for it (the event loop runs meanwhile), reads what it printed, and deletes the process later.
    static CliRun finishCli(QProcess* process, int timeoutMs = 60000);
    CliRun cli(
        const QStringList& arguments, QObject* parent, std::optional<QProcessEnvironment> env = std::nullopt) const;

private:
    QTemporaryDir m_home;
    QNetworkAccessManager m_network;
    std::unique_ptr<auth::SecretStore> m_secrets;
    std::unique_ptr<auth::ConnectionRegistry> m_registry;
};

} // namespace ondevice::testing
