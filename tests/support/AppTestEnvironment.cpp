#include "AppTestEnvironment.h"

#include "AppSetup.h"
#include "BrowserHook.h"
#include "SandboxProcess.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>

namespace ondevice::testing {

QString AppTestEnvironment::setUp()
{
    if (QString problem = usePrivateHome(m_home.isValid() ? m_home.path() : QString()); !problem.isEmpty())
        return problem;
    app::configureApplication(*QCoreApplication::instance());
    m_secrets = std::make_unique<auth::SecretStore>(QString::fromLatin1(app::kKeychainService));
    m_registry = std::make_unique<auth::ConnectionRegistry>(auth::ConnectionRegistry::defaultPath());
    if (!m_registry->filePath().startsWith(m_home.path()))
        return QStringLiteral("the registry is not under the private HOME");
    return {};
}

QProcessEnvironment AppTestEnvironment::childEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_home.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.filePath(QStringLiteral("cache")));
    return env;
}

auth::AuthServices AppTestEnvironment::services()
{
    auth::AuthServices s;
    s.network = &m_network;
    s.secrets = m_secrets.get();
    s.registry = m_registry.get();
    s.lockDirectory = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/locks");
    return s;
}

QString AppTestEnvironment::recordsPath() const
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/records.sqlite");
}

std::optional<auth::ConnectOutcome> AppTestEnvironment::connect(
    SandboxProcess& sandbox, const QString& scope, std::optional<QString> reconnectId)
{
    BrowserHook browser;
    auth::ConnectionManager manager(services(), browser.opener());
    const auto outcome = await(manager.connectProvider({ sandbox.fhirBase(), QStringLiteral("ondevice-demo"), 0, scope,
                                   std::move(reconnectId), {}, {}, {} }),
        60000);
    if (!outcome || !outcome->ok()) {
        qWarning() << "connect failed:"
                   << (outcome ? outcome->failure().message + QStringLiteral(" / ") + outcome->failure().detail
                               : QStringLiteral("no answer"));
        return std::nullopt;
    }
    return outcome->value();
}

std::optional<auth::Connection> AppTestEnvironment::stored(const QString& id)
{
    const auto found = m_registry->find(id);
    return found ? found.value() : std::nullopt;
}

QProcess* AppTestEnvironment::startCli(
    const QStringList& arguments, QObject* parent, std::optional<QProcessEnvironment> env) const
{
    auto* process = new QProcess(parent);
    process->setProcessEnvironment(env.value_or(childEnvironment()));
    process->start(qEnvironmentVariable("ONDEVICE_CLI_EXE"), arguments);
    return process;
}

CliRun AppTestEnvironment::finishCli(QProcess* process, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (process->state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(5);
    CliRun run { process->exitStatus() == QProcess::NormalExit && process->state() == QProcess::NotRunning
            ? process->exitCode()
            : -1,
        process->readAllStandardOutput(), process->readAllStandardError() };
    process->deleteLater();
    return run;
}

CliRun AppTestEnvironment::cli(
    const QStringList& arguments, QObject* parent, std::optional<QProcessEnvironment> env) const
{
    QElapsedTimer clock;
    clock.start();
    CliRun run = finishCli(startCli(arguments, parent, std::move(env)));
    run.elapsedMs = clock.elapsed();
    return run;
}

} // namespace ondevice::testing
