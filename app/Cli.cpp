#include "Cli.h"

#include "AppSetup.h"

#include "auth/Session.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

namespace ondevice::app {

using namespace ondevice::auth;

int exitCodeFor(AuthError error)
{
    switch (error) {
    case AuthError::InvalidGrant:
        return kExitNeedsReconnect;
    case AuthError::Keychain:
        return kExitKeychain;
    case AuthError::Network:
    case AuthError::Server:
    case AuthError::TimedOut:
        return kExitOffline;
    default:
        return kExitOther;
    }
}

namespace {

void openInSystemBrowser(const QUrl& url)
{
#if defined(Q_OS_MACOS)
    QProcess::startDetached(QStringLiteral("open"), { url.toString(QUrl::FullyEncoded) });
#elif defined(Q_OS_WIN)
    QProcess::startDetached(QStringLiteral("rundll32"), { QStringLiteral("url.dll,FileProtocolHandler"), url.toString(QUrl::FullyEncoded) });
#else
    QProcess::startDetached(QStringLiteral("xdg-open"), { url.toString(QUrl::FullyEncoded) });
#endif
}

QString when(const QDateTime& at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODate) : QStringLiteral("-");
}

} // namespace

Cli::Cli(QObject* parent)
    : QObject(parent)
    , m_out(stdout)
    , m_err(stderr)
    , m_secrets(QString::fromLatin1(kKeychainService))
    , m_registry(ConnectionRegistry::defaultPath())
{
    m_services.network = &m_network;
    m_services.secrets = &m_secrets;
    m_services.registry = &m_registry;
    m_services.lockDirectory
        = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/locks");
}

int Cli::start(const QStringList& arguments)
{
    const QString command = arguments.value(1);
    const QStringList rest = QStringList { arguments.value(0) + QLatin1Char(' ') + command } + arguments.mid(2);
    if (command == QLatin1String("connect"))
        return connectProvider(rest);
    if (command == QLatin1String("status"))
        return status(rest);
    if (command == QLatin1String("refresh"))
        return refresh(rest);
    if (command == QLatin1String("disconnect"))
        return disconnect(rest);
    m_err << tr("Unknown command: %1").arg(command) << Qt::endl;
    return kExitOther;
}

std::optional<QList<Connection>> Cli::select(const QString& id, bool requireIdWhenMany)
{
    const auto loaded = m_registry.load();
    if (!loaded) {
        m_err << loaded.failure().message << Qt::endl;
        return std::nullopt;
    }
    QList<Connection> chosen;
    for (const Connection& c : loaded.value())
        if (id.isEmpty() || c.id == id)
            chosen << c;
    if (!id.isEmpty() && chosen.isEmpty()) {
        m_err << tr("No connection has the id %1. `ondevice-cli status` lists them.").arg(id) << Qt::endl;
        return std::nullopt;
    }
    if (id.isEmpty() && requireIdWhenMany && chosen.size() > 1) {
        m_err << tr("There are %1 connections; name one (see `ondevice-cli status`).").arg(chosen.size()) << Qt::endl;
        return std::nullopt;
    }
    return chosen;
}

void Cli::finishOne(int code)
{
    // The worst outcome decides, in the order scripts care about.
    const auto rank = [](int c) { return c == kExitOk ? 0 : c == kExitOffline ? 1 : c == kExitNeedsReconnect ? 2 : c == kExitOther ? 3 : 4; };
    if (rank(code) > rank(m_worst))
        m_worst = code;
    // Queued: a command can finish before the event loop has started, and the
    // browser's last answer must leave its socket before the process ends.
    if (--m_pending == 0)
        QMetaObject::invokeMethod(QCoreApplication::instance(), [code = m_worst] { QCoreApplication::exit(code); },
            Qt::QueuedConnection);
}

int Cli::connectProvider(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption fhir(QStringLiteral("fhir"), tr("FHIR base URL."), QStringLiteral("url"));
    const QCommandLineOption clientId(QStringLiteral("client-id"), tr("Registered client id."), QStringLiteral("id"));
    const QCommandLineOption port(QStringLiteral("port"), tr("Registered loopback port (0 = any)."), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption scope(QStringLiteral("scope"), tr("Scopes to request."), QStringLiteral("scopes"));
    const QCommandLineOption noBrowser(QStringLiteral("no-browser"), tr("Do not open a browser; only print the URL."));
    parser.addOptions({ fhir, clientId, port, scope, noBrowser });
    if (!parser.parse(arguments) || !parser.isSet(fhir) || !parser.isSet(clientId)) {
        m_err << (parser.errorText().isEmpty() ? tr("connect needs --fhir URL and --client-id ID") : parser.errorText()) << Qt::endl;
        return kExitOther;
    }
    bool portOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    if (!portOk || portValue > 65535) {
        m_err << tr("--port must be 0..65535") << Qt::endl;
        return kExitOther;
    }
    const bool openBrowser = !parser.isSet(noBrowser);
    auto* manager = new ConnectionManager(m_services, openBrowser ? UrlOpener(openInSystemBrowser) : UrlOpener(), {}, this);
    connect(manager, &ConnectionManager::authorizationUrlReady, this, [this, openBrowser](const QUrl& url) {
        m_err << (openBrowser ? tr("Opening your browser to sign in. If it does not open, visit:")
                              : tr("Visit this address to sign in:"))
              << Qt::endl
              << url.toString(QUrl::FullyEncoded) << Qt::endl;
    });
    ConnectRequest request { QUrl(parser.value(fhir)), parser.value(clientId), static_cast<quint16>(portValue),
        parser.value(scope), std::nullopt };
    m_pending = 1;
    manager->connectProvider(request).then(this, [this](const AuthResult<ConnectOutcome>& outcome) {
        if (!outcome) {
            m_err << outcome.failure().message << Qt::endl;
            finishOne(exitCodeFor(outcome.code()));
            return;
        }
        const Connection& c = outcome.value().connection;
        if (!c.refreshTokenIssued)
            m_err << tr("The provider did not allow staying signed in: you will need to sign in again after %1.")
                         .arg(when(c.accessExpiry))
                  << Qt::endl;
        m_out << c.id << Qt::endl;
        finishOne(kExitOk);
    });
    return -1;
}

int Cli::status(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), tr("Print JSON (schema: docs/cli.md)."));
    parser.addOption(json);
    if (!parser.parse(arguments)) {
        m_err << parser.errorText() << Qt::endl;
        return kExitOther;
    }
    const auto connections = select({}, false);
    if (!connections)
        return kExitOther;
    if (parser.isSet(json)) {
        QJsonArray entries;
        for (const auto& c : *connections)
            entries << QJsonObject {
                { QStringLiteral("id"), c.id },
                { QStringLiteral("issuer"), c.issuer.toString() },
                { QStringLiteral("fhir_base"), c.fhirBase.toString() },
                { QStringLiteral("patient"), c.patientId },
                { QStringLiteral("fhir_user"), c.fhirUser },
                { QStringLiteral("state"), toString(c.state) },
                { QStringLiteral("refresh_token_issued"), c.refreshTokenIssued },
                { QStringLiteral("access_expiry"), c.accessExpiry.isValid() ? QJsonValue(when(c.accessExpiry)) : QJsonValue() },
                { QStringLiteral("grant_end"), c.grantEnd.isValid() ? QJsonValue(when(c.grantEnd)) : QJsonValue() },
                { QStringLiteral("last_refresh"), c.lastRefresh.isValid() ? QJsonValue(when(c.lastRefresh)) : QJsonValue() },
                { QStringLiteral("last_refresh_result"), c.lastRefreshResult },
                { QStringLiteral("scopes"), QJsonArray::fromStringList(c.grantedScopes) },
                { QStringLiteral("keychain"), SecretStore::platformStoreName() },
            };
        m_out << QJsonDocument(QJsonObject { { QStringLiteral("connections"), entries } }).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    if (connections->isEmpty()) {
        m_out << tr("No providers connected.") << Qt::endl;
        return kExitOk;
    }
    for (const auto& c : *connections) {
        m_out << c.id << "  " << c.issuer.toString() << "  patient " << c.patientId << "  " << toString(c.state) << Qt::endl
              << "    access until " << when(c.accessExpiry) << ", grant ends " << when(c.grantEnd)
              << ", last refresh " << when(c.lastRefresh) << " (" << (c.lastRefreshResult.isEmpty() ? QStringLiteral("-") : c.lastRefreshResult) << ")" << Qt::endl
              << "    scopes " << c.grantedScopes.join(QLatin1Char(' ')) << Qt::endl;
    }
    return kExitOk;
}

int Cli::refresh(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("id"), tr("Connection id (default: all)."));
    if (!parser.parse(arguments)) {
        m_err << parser.errorText() << Qt::endl;
        return kExitOther;
    }
    const auto connections = select(parser.positionalArguments().value(0), false);
    if (!connections)
        return kExitOther;
    if (connections->isEmpty()) {
        m_out << tr("No providers connected.") << Qt::endl;
        return kExitOk;
    }
    if (const auto keychain = SecretStore::knownUnavailable()) {
        m_err << keychain->message << Qt::endl;
        return kExitKeychain;
    }
    m_pending = static_cast<int>(connections->size());
    for (const Connection& c : *connections) {
        auto* session = new Session(c, m_services, this);
        session->refresh().then(this, [this, session, id = c.id](const AuthResult<Done>& result) {
            if (result)
                m_out << id << ": " << tr("refreshed; access until %1").arg(when(session->accessExpiry())) << Qt::endl;
            else
                m_err << id << ": " << result.failure().message << Qt::endl;
            finishOne(result ? kExitOk : exitCodeFor(result.code()));
        });
    }
    return -1;
}

int Cli::disconnect(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption forget(QStringLiteral("forget"),
        tr("Also delete the key to this connection's records, and the records."));
    parser.addOption(forget);
    parser.addPositionalArgument(QStringLiteral("id"), tr("Connection id (required when there are several)."));
    if (!parser.parse(arguments)) {
        m_err << parser.errorText() << Qt::endl;
        return kExitOther;
    }
    const auto connections = select(parser.positionalArguments().value(0), true);
    if (!connections)
        return kExitOther;
    if (connections->isEmpty()) {
        m_out << tr("No providers connected.") << Qt::endl;
        return kExitOk;
    }
    if (const auto keychain = SecretStore::knownUnavailable()) {
        m_err << keychain->message << Qt::endl;
        return kExitKeychain;
    }
    auto* manager = new ConnectionManager(m_services, UrlOpener(), {}, this);
    m_pending = static_cast<int>(connections->size());
    const bool forgetting = parser.isSet(forget);
    for (const Connection& c : *connections) {
        auto future = forgetting ? manager->forget(c.id) : manager->signOut(c.id);
        future.then(this, [this, c, forgetting](const AuthResult<SignOutOutcome>& result) {
            if (!result) {
                m_err << c.id << ": " << result.failure().message << Qt::endl;
                finishOne(exitCodeFor(result.code()));
                return;
            }
            if (result.value().revokedAtServer)
                m_out << c.id << ": " << tr("access revoked at the provider") << Qt::endl;
            else {
                m_out << c.id << ": " << tr("this provider offers no way for apps to end access") << Qt::endl;
                if (result.value().managementEndpoint.isValid())
                    m_out << tr("  end it at: %1").arg(result.value().managementEndpoint.toString()) << Qt::endl;
            }
            m_out << c.id << ": "
                  << (forgetting ? tr("sign-in, key and connection deleted from this device")
                                 : tr("signed out; records stay readable on this device"))
                  << Qt::endl;
            finishOne(kExitOk);
        });
    }
    return -1;
}

} // namespace ondevice::app
