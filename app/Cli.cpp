#include "Cli.h"
#include "core/Continuations.h"

#include "AppSetup.h"

#include "auth/ClientRegistration.h"
#include "auth/Session.h"
#include "auth/SmartDiscovery.h"
#include "fhir/FhirClient.h"
#include "fhir/ServerProbe.h"
#include "services/BrandSources.h"
#include "services/ConnectionRecords.h"
#include "services/ProviderName.h"

#include <QCoreApplication>
#include <QHash>
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
    QProcess::startDetached(QStringLiteral("rundll32"),
        { QStringLiteral("url.dll,FileProtocolHandler"), url.toString(QUrl::FullyEncoded) });
#else
    QProcess::startDetached(QStringLiteral("xdg-open"), { url.toString(QUrl::FullyEncoded) });
#endif
}

int exitCodeForFhir(fhir::FhirError error)
{
    switch (error) {
    case fhir::FhirError::NeedsReconnect:
    case fhir::FhirError::Unauthorized:
        return kExitNeedsReconnect;
    case fhir::FhirError::Keychain:
        return kExitKeychain;
    case fhir::FhirError::Network:
    case fhir::FhirError::Server:
    case fhir::FhirError::Unreadable:
        return kExitOffline;
    default:
        return kExitOther;
    }
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
    if (command == QLatin1String("sync"))
        return sync(rest);
    if (command == QLatin1String("export"))
        return exportRecords(rest);
    if (command == QLatin1String("probe"))
        return probe(rest);
    if (command == QLatin1String("directory"))
        return directory(rest);
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

std::optional<int> Cli::prepare(
    QCommandLineParser& parser, const QStringList& arguments, bool requireIdWhenMany, QList<Connection>* selected)
{
    if (!parser.parse(arguments)) {
        m_err << parser.errorText() << Qt::endl;
        return kExitOther;
    }
    const auto connections = select(parser.positionalArguments().value(0), requireIdWhenMany);
    if (!connections)
        return kExitOther;
    if (connections->isEmpty()) {
        m_out << tr("No providers connected.") << Qt::endl;
        return kExitOk;
    }
    // Refused before any network traffic: nothing could be kept anyway.
    if (const auto keychain = SecretStore::knownUnavailable()) {
        m_err << keychain->message << Qt::endl;
        return kExitKeychain;
    }
    *selected = *connections;
    return std::nullopt;
}

void Cli::openRecords(const Connection& c, const std::function<void(services::ConnectionRecords&)>& opened)
{
    services::ConnectionRecords::open(m_secrets, services::defaultRecordsPath(), c, this,
        [this, c, opened](services::ConnectionRecords::Opened records) {
            if (!records) {
                if (records.code() == services::ConnectionRecords::OpenError::Keychain) {
                    m_err << c.id << ": "
                          << tr("The key to this connection's records could not be read from %1: %2")
                                 .arg(SecretStore::platformStoreName(), records.failure().message)
                          << Qt::endl;
                    finishOne(kExitKeychain);
                } else {
                    m_err << c.id << ": " << records.failure().message << Qt::endl;
                    finishOne(kExitOther);
                }
                return;
            }
            // Owned by this command object for the rest of the process: made before the Session a sync uses,
            // so deleted before it (QObject deletes its children in the order they were made).
            services::ConnectionRecords* held = std::move(records).value().release();
            held->setParent(this);
            opened(*held);
        });
}

void Cli::finishOne(int code)
{
    // The worst outcome decides, in the order scripts care about.
    const auto rank = [](int c) {
        return c == kExitOk ? 0 : c == kExitOffline ? 1 : c == kExitNeedsReconnect ? 2 : c == kExitOther ? 3 : 4;
    };
    if (rank(code) > rank(m_worst))
        m_worst = code;
    // Queued: a command can finish before the event loop has started, and the
    // browser's last answer must leave its socket before the process ends.
    if (--m_pending == 0)
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), [code = m_worst] { QCoreApplication::exit(code); }, Qt::QueuedConnection);
}

int Cli::connectProvider(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption fhir(QStringLiteral("fhir"), tr("FHIR base URL."), QStringLiteral("url"));
    const QCommandLineOption clientId(QStringLiteral("client-id"), tr("Registered client id."), QStringLiteral("id"));
    const QCommandLineOption port(
        QStringLiteral("port"), tr("Registered loopback port (0 = any)."), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption scope(QStringLiteral("scope"), tr("Scopes to request."), QStringLiteral("scopes"));
    const QCommandLineOption noBrowser(QStringLiteral("no-browser"), tr("Do not open a browser; only print the URL."));
    const QCommandLineOption brand(QStringLiteral("brand"),
        tr("A provider by its name (or alias) in the directories added with `directory add`."), QStringLiteral("name"));
    parser.addOptions({ fhir, clientId, port, scope, noBrowser, brand });
    if (!parser.parse(arguments) || (!parser.isSet(fhir) && !parser.isSet(brand)) || !parser.isSet(clientId)) {
        m_err << (parser.errorText().isEmpty() ? tr("connect needs --fhir URL (or --brand NAME) and --client-id ID")
                                               : parser.errorText())
              << Qt::endl;
        return kExitOther;
    }
    // By brand: exactly one name or alias, with an endpoint (the one --fhir names when it has several).
    QUrl fhirBase(parser.value(fhir));
    QString brandName;
    QUrl brandLogo;
    if (parser.isSet(brand)) {
        const QString wanted = parser.value(brand).trimmed();
        const services::BrandSources sources(m_network, services::BrandSources::defaultDirectory());
        QList<fhir::Brand> matches;
        for (const fhir::Brand& b : sources.brands()) {
            bool match = b.name.compare(wanted, Qt::CaseInsensitive) == 0;
            for (const QString& alias : b.aliases)
                match = match || alias.compare(wanted, Qt::CaseInsensitive) == 0;
            if (match)
                matches << b;
        }
        if (matches.size() != 1) {
            m_err << (matches.isEmpty() ? tr("No provider in your directories is called %1. `ondevice-cli directory "
                                             "search` lists them.")
                                              .arg(wanted)
                                        : tr("%1 names more than one provider:").arg(wanted))
                  << Qt::endl;
            for (const fhir::Brand& b : std::as_const(matches))
                m_err << "  " << b.name << " (" << b.fhirBases.value(0).toString() << ")" << Qt::endl;
            return kExitOther;
        }
        const fhir::Brand& chosen = matches.first();
        if (!chosen.canConnect()) {
            m_err << tr("%1 offers no FHIR endpoint this app can connect to; its portal is %2.")
                         .arg(chosen.name,
                             chosen.portals.isEmpty() ? tr("not listed") : chosen.portals.first().url.toString())
                  << Qt::endl;
            return kExitOther;
        }
        if (chosen.fhirBases.size() > 1 && !chosen.fhirBases.contains(fhirBase.adjusted(QUrl::StripTrailingSlash))) {
            m_err << tr("%1 has several FHIR endpoints; pick one with --fhir:").arg(chosen.name) << Qt::endl;
            for (const QUrl& base : chosen.fhirBases)
                m_err << "  " << base.toString() << Qt::endl;
            return kExitOther;
        }
        if (chosen.fhirBases.size() == 1)
            fhirBase = chosen.fhirBases.first();
        brandName = chosen.name;
        brandLogo = chosen.logo;
    }
    bool portOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    if (!portOk || portValue > 65535) {
        m_err << tr("--port must be 0..65535") << Qt::endl;
        return kExitOther;
    }
    const bool openBrowser = !parser.isSet(noBrowser);
    auto* manager
        = new ConnectionManager(m_services, openBrowser ? UrlOpener(openInSystemBrowser) : UrlOpener(), {}, this);
    connect(manager, &ConnectionManager::authorizationUrlReady, this, [this, openBrowser](const QUrl& url) {
        m_err << (openBrowser ? tr("Opening your browser to sign in. If it does not open, visit:")
                              : tr("Visit this address to sign in:"))
              << Qt::endl
              << url.toString(QUrl::FullyEncoded) << Qt::endl;
    });
    ConnectRequest request { fhirBase, parser.value(clientId), static_cast<quint16>(portValue), parser.value(scope),
        std::nullopt, std::nullopt, brandName, brandLogo };
    m_pending = 1;
    manager->connectProvider(request).then(
        compat::continuationContext(), compat::ifAlive(this, [this](const AuthResult<ConnectOutcome>& outcome) {
            if (!outcome) {
                m_err << outcome.failure().message << Qt::endl;
                finishOne(exitCodeFor(outcome.code()));
                return;
            }
            const Connection& c = outcome.value().connection;
            if (!c.staysConnected())
                m_err << tr("The provider did not allow staying signed in: you will need to sign in again after %1.")
                             .arg(when(c.accessExpiry))
                      << Qt::endl;
            // Named as the server names itself (its User Access Brands bundle, its CapabilityStatement).
            const QString id = c.id;
            services::nameProvider(m_network, outcome.value().configuration)
                .then(compat::continuationContext(),
                    compat::ifAlive(this, [this, id](const services::ProviderName& name) {
                        services::applyProviderName(*m_services.registry, id, name);
                        m_out << id << Qt::endl;
                        finishOne(kExitOk);
                    }));
        }));
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
                { QStringLiteral("access_expiry"),
                    c.accessExpiry.isValid() ? QJsonValue(when(c.accessExpiry)) : QJsonValue() },
                { QStringLiteral("grant_end"), c.grantEnd.isValid() ? QJsonValue(when(c.grantEnd)) : QJsonValue() },
                { QStringLiteral("last_refresh"),
                    c.lastRefresh.isValid() ? QJsonValue(when(c.lastRefresh)) : QJsonValue() },
                { QStringLiteral("last_refresh_result"), c.lastRefreshResult },
                { QStringLiteral("scopes"), QJsonArray::fromStringList(c.grantedScopes) },
                { QStringLiteral("keychain"), SecretStore::platformStoreName() },
                // The route the tokens travel: a client registered for this computer (private_key_jwt,
                // jwt_bearer), else DPoP or nothing; whether DPoP proofs go along; and the public thumbprint of
                // the key that signs for the connection.
                { QStringLiteral("name"), c.displayName() },
                { QStringLiteral("brand"), c.brand.isEmpty() ? QJsonValue() : QJsonValue(c.brand) },
                { QStringLiteral("binding"),
                    c.isRegisteredClient() ? c.clientRoute
                        : c.isDpopBound()  ? QStringLiteral("dpop")
                                           : QStringLiteral("none") },
                { QStringLiteral("dpop"), c.isDpopBound() },
                { QStringLiteral("client_id"), c.clientId },
                { QStringLiteral("key_thumbprint"), c.needsDeviceKey() ? QJsonValue(c.keyThumbprint) : QJsonValue() },
            };
        m_out << QJsonDocument(QJsonObject { { QStringLiteral("connections"), entries } })
                     .toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    if (connections->isEmpty()) {
        m_out << tr("No providers connected.") << Qt::endl;
        return kExitOk;
    }
    for (const auto& c : *connections) {
        m_out << c.id << "  " << c.issuer.toString() << "  patient " << c.patientId << "  " << toString(c.state)
              << Qt::endl
              << "    access until " << when(c.accessExpiry) << ", grant ends " << when(c.grantEnd) << ", last refresh "
              << when(c.lastRefresh) << " ("
              << (c.lastRefreshResult.isEmpty() ? QStringLiteral("-") : c.lastRefreshResult) << ")" << Qt::endl
              << "    scopes " << c.grantedScopes.join(QLatin1Char(' ')) << Qt::endl;
    }
    return kExitOk;
}

int Cli::refresh(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("id"), tr("Connection id (default: all)."));
    QList<Connection> selected;
    if (const auto over = prepare(parser, arguments, false, &selected))
        return *over;
    m_pending = static_cast<int>(selected.size());
    for (const Connection& c : std::as_const(selected)) {
        auto* session = new Session(c, m_services, this);
        session->refresh().then(compat::continuationContext(),
            compat::ifAlive(this, [this, session, id = c.id](const AuthResult<Done>& result) {
                if (result)
                    m_out << id << ": " << tr("refreshed; access until %1").arg(when(session->accessExpiry()))
                          << Qt::endl;
                else
                    m_err << id << ": " << result.failure().message << Qt::endl;
                finishOne(result ? kExitOk : exitCodeFor(result.code()));
            }));
    }
    return -1;
}

int Cli::disconnect(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption forget(
        QStringLiteral("forget"), tr("Also delete the key to this connection's records, and the records."));
    parser.addOption(forget);
    parser.addPositionalArgument(QStringLiteral("id"), tr("Connection id (required when there are several)."));
    QList<Connection> selected;
    if (const auto over = prepare(parser, arguments, true, &selected))
        return *over;
    auto* manager = new ConnectionManager(m_services, UrlOpener(), {}, this);
    m_pending = static_cast<int>(selected.size());
    const bool forgetting = parser.isSet(forget);
    for (const Connection& c : std::as_const(selected)) {
        auto future = forgetting ? manager->forget(c.id) : manager->signOut(c.id);
        future.then(compat::continuationContext(),
            compat::ifAlive(this, [this, c, forgetting](const AuthResult<SignOutOutcome>& result) {
                if (!result) {
                    m_err << c.id << ": " << result.failure().message << Qt::endl;
                    finishOne(exitCodeFor(result.code()));
                    return;
                }
                if (result.value().revokedAtServer)
                    m_out << c.id << ": " << tr("access revoked at the provider") << Qt::endl;
                else {
                    m_out << c.id << ": "
                          << (result.value().providerUnreachable
                                     ? tr("the provider could not be reached, so its access may still be live there")
                                     : tr("this provider offers no way for apps to end access"))
                          << Qt::endl;
                    if (result.value().managementEndpoint.isValid())
                        m_out << tr("  end it at: %1").arg(result.value().managementEndpoint.toString()) << Qt::endl;
                }
                if (forgetting) {
                    // The key is gone from the keychain; the rows it sealed go too.
                    const auto forgotten = services::forgetRecords(services::defaultRecordsPath(), c.id);
                    if (!forgotten) {
                        m_err << c.id << ": " << forgotten.failure().message << Qt::endl;
                        finishOne(kExitOther);
                        return;
                    }
                }
                m_out << c.id << ": "
                      << (forgetting ? tr("sign-in, key, records and connection deleted from this device")
                                     : tr("signed out; records stay readable on this device"))
                      << Qt::endl;
                finishOne(kExitOk);
            }));
    }
    return -1;
}

int Cli::sync(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption full(
        QStringLiteral("full"), tr("Fetch everything again and remove what the provider no longer has."));
    const QCommandLineOption pageSize(QStringLiteral("page-size"),
        tr("Resources per page (default: as many as the provider gives, up to 1000)."), QStringLiteral("n"),
        QStringLiteral("0"));
    const QCommandLineOption through(QStringLiteral("through"),
        tr("How to fetch: auto (searches per type side by side where the provider offers them, else "
           "Patient/$everything), per-type, or everything (one Patient/$everything chain)."),
        QStringLiteral("how"), QStringLiteral("auto"));
    parser.addOptions({ full, pageSize, through });
    parser.addPositionalArgument(QStringLiteral("id"), tr("Connection id (default: all)."));
    QList<Connection> selected;
    if (const auto over = prepare(parser, arguments, false, &selected))
        return *over;
    const QMap<QString, fhir::SyncPlan::Strategy> strategies { { QStringLiteral("auto"),
                                                                   fhir::SyncPlan::Strategy::Automatic },
        { QStringLiteral("per-type"), fhir::SyncPlan::Strategy::PerType },
        { QStringLiteral("everything"), fhir::SyncPlan::Strategy::Everything } };
    if (!strategies.contains(parser.value(through))) {
        m_err << tr("--through is auto, per-type or everything, not %1").arg(parser.value(through)) << Qt::endl;
        return kExitOther;
    }
    m_pending = static_cast<int>(selected.size());
    for (const Connection& c : std::as_const(selected)) {
        const services::SyncOptions options { parser.isSet(full), parser.value(pageSize).toInt(),
            strategies.value(parser.value(through)) };
        openRecords(c, [this, c, options](services::ConnectionRecords& records) {
            auto* session = new Session(c, m_services, this);
            connect(&records, &services::ConnectionRecords::syncFinished, this,
                [this, c, &records](const fhir::SyncReport& report) {
                    for (auto it = report.types.cbegin(); it != report.types.cend(); ++it) {
                        const fhir::TypeProgress& p = it.value();
                        const QString state = p.state == fhir::TypeProgress::State::NotShared ? tr("not shared")
                            : p.state == fhir::TypeProgress::State::NotOffered ? tr("not offered by this provider")
                            : p.state == fhir::TypeProgress::State::Failed     ? tr("failed: %1").arg(p.error)
                            : p.state == fhir::TypeProgress::State::Done       ? QString()
                                                                               : tr("not finished");
                        m_out << c.id << "  " << it.key() << "  " << p.fetched << " fetched, "
                              << records.storedCount(it.key()) << " stored"
                              << (p.removed ? tr(", %1 removed").arg(p.removed) : QString())
                              << (state.isEmpty() ? QString() : QStringLiteral("  (") + state + QLatin1Char(')'))
                              << Qt::endl;
                    }
                    m_out << c.id << "  "
                          << tr("%1 resources in %2 s")
                                 .arg(report.resources)
                                 .arg(static_cast<double>(report.elapsedMs) / 1000.0, 0, 'f', 1)
                          << Qt::endl;
                    // What the server did differently, and how the sync worked around it.
                    for (const QString& note : report.notes)
                        m_err << c.id << ": note: " << note << Qt::endl;
                    if (report.aborted)
                        m_err << c.id << ": " << report.abortReason << Qt::endl;
                    int code = kExitOk;
                    if (report.aborted && report.abortCode)
                        code = exitCodeForFhir(*report.abortCode);
                    else if (!report.complete())
                        code = kExitOffline;
                    finishOne(code);
                });
            records.sync(m_network, *session, c.fhirBase, services::syncPlan(c, options));
        });
    }
    return -1;
}

int Cli::exportRecords(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption outFile(
        QStringLiteral("out"), tr("Where to write the FHIR Bundle."), QStringLiteral("file"));
    parser.addOption(outFile);
    parser.addPositionalArgument(QStringLiteral("id"), tr("Connection id (required when there are several)."));
    if (!parser.parse(arguments) || !parser.isSet(outFile)) {
        m_err << (parser.errorText().isEmpty() ? tr("export needs --out FILE") : parser.errorText()) << Qt::endl;
        return kExitOther;
    }
    QList<Connection> selected;
    if (const auto over = prepare(parser, arguments, true, &selected))
        return *over;
    const Connection c = selected.first();
    m_pending = 1;
    openRecords(c, [this, path = parser.value(outFile)](services::ConnectionRecords& records) {
        const auto written = records.exportBundle(path);
        if (!written) {
            m_err << written.failure().message << Qt::endl;
            finishOne(kExitOther);
            return;
        }
        m_out << tr("%1 resources written to %2").arg(written.value()).arg(path) << Qt::endl;
        finishOne(kExitOk);
    });
    return -1;
}

int Cli::directory(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), tr("Machine-readable output."));
    parser.addOptions({ json });
    parser.addPositionalArgument(QStringLiteral("action"), tr("add URL | remove URL | list | search TEXT"));
    if (!parser.parse(arguments)) {
        m_err << parser.errorText() << Qt::endl;
        return kExitOther;
    }
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    auto* sources = new services::BrandSources(m_network, services::BrandSources::defaultDirectory(), this);
    if (action == QLatin1String("remove") && args.size() == 2) {
        if (!sources->remove(QUrl(args[1]))) {
            m_err << tr("%1 is not one of the directories.").arg(args[1]) << Qt::endl;
            return kExitOther;
        }
        return kExitOk;
    }
    if (action == QLatin1String("list") && args.size() == 1) {
        for (const auto& s : sources->sources())
            m_out << s.url.toString() << "  "
                  << (s.fetched.isValid() ? tr("brands: %n, fetched %1", "", s.brands).arg(when(s.fetched))
                                          : tr("not fetched yet"))
                  << (s.problem.isEmpty() ? QString() : QStringLiteral("  (%1)").arg(s.problem)) << Qt::endl;
        return kExitOk;
    }
    const bool add = action == QLatin1String("add") && args.size() == 2;
    const bool search = action == QLatin1String("search") && args.size() <= 2;
    if (!add && !search) {
        m_err << tr("directory needs: add URL | remove URL | list | search TEXT [--json]") << Qt::endl;
        return kExitOther;
    }
    if (add) {
        if (const auto added = sources->add(QUrl(args[1])); !added) {
            m_err << added.failure().message << Qt::endl;
            return kExitOther;
        }
    }
    // A source just added is fetched at once; a search refreshes those that are due, then reads the cache.
    m_pending = 1;
    sources->refresh(add).then(compat::continuationContext(),
        compat::ifAlive(this,
            [this, sources, add, query = args.value(1), asJson = parser.isSet(json)](
                const services::BrandSources::Report& report) {
                for (const QString& problem : report.problems)
                    m_err << problem << Qt::endl;
                if (add) {
                    finishOne(report.problems.isEmpty() ? kExitOk : kExitOffline);
                    return;
                }
                const fhir::BrandIndex index(sources->brandsInBackground().result());
                QJsonArray found;
                for (const int i : index.search(query, 1000)) {
                    const fhir::Brand& b = index.brands()[i];
                    QJsonArray bases;
                    for (const QUrl& base : b.fhirBases)
                        bases << base.toString();
                    const fhir::BrandLocation where = b.locations.value(0);
                    found << QJsonObject { { QStringLiteral("name"), b.name },
                        { QStringLiteral("aliases"), QJsonArray::fromStringList(b.aliases) },
                        { QStringLiteral("fhir_base"), bases.isEmpty() ? QJsonValue() : bases.first() },
                        { QStringLiteral("fhir_bases"), bases },
                        { QStringLiteral("portal_url"),
                            b.portals.isEmpty() ? QJsonValue() : QJsonValue(b.portals.first().url.toString()) },
                        { QStringLiteral("city"), where.city }, { QStringLiteral("state"), where.state },
                        { QStringLiteral("locations"), static_cast<int>(b.locations.size()) } };
                    if (!asJson)
                        m_out << b.name
                              << (where.city.isEmpty() ? QString()
                                                       : QStringLiteral(" — %1, %2").arg(where.city, where.state))
                              << "  "
                              << (bases.isEmpty() ? tr("(no FHIR endpoint: use its portal)") : bases.first().toString())
                              << Qt::endl;
                }
                if (asJson)
                    m_out << QJsonDocument(QJsonObject { { QStringLiteral("brands"), found } })
                                 .toJson(QJsonDocument::Indented);
                finishOne(kExitOk);
            }));
    return -1;
}

int Cli::probe(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption fhir(QStringLiteral("fhir"), tr("FHIR base URL."), QStringLiteral("url"));
    parser.addOption(fhir);
    if (!parser.parse(arguments) || !parser.isSet(fhir)) {
        m_err << (parser.errorText().isEmpty() ? tr("probe needs --fhir URL") : parser.errorText()) << Qt::endl;
        return kExitOther;
    }
    const QUrl base(parser.value(fhir));
    m_pending = 1;
    auto* discovery = new SmartDiscovery(m_network, {}, this);
    discovery->discover(base).then(
        compat::continuationContext(), compat::ifAlive(this, [this, base](const AuthResult<SmartConfiguration>& found) {
            if (!found) {
                m_out << tr("Sign-in:        cannot be used: %1").arg(found.failure().message) << Qt::endl;
                m_err << found.failure().detail << Qt::endl;
                finishOne(kExitOther);
                return;
            }
            const SmartConfiguration& config = found.value();
            fhir::probeServer(m_network, config.fhirBase)
                .then(compat::continuationContext(),
                    compat::ifAlive(this, [this, config](const fhir::ServerFacts& facts) {
                        const auto yes = [](bool on, const QString& when, const QString& otherwise) {
                            return on ? when : otherwise;
                        };
                        m_out << tr("Server:         %1").arg(config.fhirBase.toString())
                              << (facts.fhirVersion.isEmpty()
                                         ? QString()
                                         : tr(" (FHIR %1%2)")
                                               .arg(facts.fhirVersion,
                                                   facts.software.isEmpty() ? QString()
                                                                            : QStringLiteral(", ") + facts.software))
                              << Qt::endl;
                        m_out << tr("Sign-in:        SMART App Launch at %1, as a public client with PKCE (S256)%2")
                                     .arg(config.authorizationEndpoint.host(),
                                         config.viaCapabilityStatement ? tr(", found through the CapabilityStatement")
                                                                       : QString())
                              << Qt::endl;
                        m_out
                            << tr("Stays signed in: %1")
                                   .arg(yes(config.offersOfflineAccess(),
                                       tr("offered (refresh tokens, kept in %1)").arg(SecretStore::platformStoreName()),
                                       tr("not offered: you would sign in again when access ends")))
                            << Qt::endl;
                        m_out << tr("Ending access:  %1")
                                     .arg(yes(config.revocationEndpoint.isValid(),
                                         tr("sign-out revokes the app's access at the provider"),
                                         tr("no revocation: sign-out deletes the token here; end access in the "
                                            "provider's portal")))
                              << Qt::endl;
                        m_out << tr("Mix-up defence: %1")
                                     .arg(yes(config.authorizationResponseIss,
                                         tr("the server names itself in every sign-in answer (RFC 9207), and the app "
                                            "checks it"),
                                         tr("the server does not promise to name itself in sign-in answers (RFC 9207); "
                                            "a name it sends is still checked")))
                              << Qt::endl;
                        m_out << tr("Token binding:  %1")
                                     .arg(yes(config.offersDpop(),
                                         tr("DPoP offered (%1): tokens can be bound to a key made on this computer")
                                             .arg(config.dpopAlgorithms.join(QStringLiteral(", "))),
                                         tr("no DPoP: plain Bearer tokens, usable by whoever holds them")))
                              << Qt::endl;
                        const ClientRoute route = chooseClientRoute(config);
                        m_out << tr("Client:         %1")
                                     .arg(route == ClientRoute::PrivateKeyJwt
                                             ? tr("a client registered for this computer, signing its token "
                                                  "requests with a key made here (RFC 7591, private_key_jwt)")
                                             : route == ClientRoute::JwtBearer
                                             ? tr("a client registered with the first access token, then JWT-bearer "
                                                  "grants signed with a key made here (no refresh token)")
                                             : tr("the published public client (no registration offered)"))
                              << Qt::endl;
                        m_out << tr("Scopes:         %1").arg(config.defaultScope()) << Qt::endl;
                        if (!facts.reached) {
                            m_out << tr("Records:        the FHIR server could not be read: %1").arg(facts.problem)
                                  << Qt::endl;
                            finishOne(kExitOther);
                            return;
                        }
                        m_out << tr("Records:        %1")
                                     .arg(yes(facts.offersEverything, tr("Patient/$everything (one chain of pages)"),
                                         tr("one search per type (no Patient/$everything)")))
                              << Qt::endl;
                        QStringList seen = config.knownBehaviours();
                        seen << facts.knownBehaviours();
                        // By the sandbox's quirk names (docs/interop.md has each), with what the app does about it.
                        static const QHash<QString, const char*> meaning {
                            { QStringLiteral("launch-base"),
                                QT_TR_NOOP("the SMART launcher's FHIR base with launch options: used as given") },
                            { QStringLiteral("no-revocation"),
                                QT_TR_NOOP("no revocation endpoint: sign-out deletes the token here only") },
                            { QStringLiteral("no-refresh-grant-type"),
                                QT_TR_NOOP("refresh_token not listed among grant types: refresh is tried anyway") },
                            { QStringLiteral("no-everything"),
                                QT_TR_NOOP("no Patient/$everything: one search per type") },
                            { QStringLiteral("plain-401"),
                                QT_TR_NOOP(
                                    "401 as plain text without WWW-Authenticate: read as an expired access token") },
                            { QStringLiteral("no-date-header"),
                                QT_TR_NOOP(
                                    "no Date header: incremental syncs start from the newest record's lastUpdated") },
                            { QStringLiteral("skewed-date-header"),
                                QT_TR_NOOP("a Date header far from this computer's clock: not used as a sync bound") },
                            { QStringLiteral("dpop-in-issuer-metadata"),
                                QT_TR_NOOP("DPoP algorithms only in the issuer's own metadata: read from there") },
                        };
                        m_out << tr("Known behaviours seen: %1")
                                     .arg(seen.isEmpty() ? tr("none") : seen.join(QStringLiteral(", ")))
                              << Qt::endl;
                        for (const QString& name : std::as_const(seen))
                            m_out << QStringLiteral("  %1: %2").arg(name, tr(meaning.value(name, ""))) << Qt::endl;
                        m_out << tr("Found only after sign-in, and worked around by the sync (with a note): a category "
                                    "required per "
                                    "search, _lastUpdated refused or ignored, outcome entries, narrow scopes, types "
                                    "outside the plan.")
                              << Qt::endl;
                        if (!facts.fhirVersion.isEmpty() && !facts.fhirVersion.startsWith(QLatin1String("4.0"))) {
                            m_out << tr("This app reads FHIR R4 (4.0.x); this server speaks FHIR %1.")
                                         .arg(facts.fhirVersion)
                                  << Qt::endl;
                            finishOne(kExitOther);
                            return;
                        }
                        m_out << tr("OnDevice Health can connect to this server.") << Qt::endl;
                        finishOne(kExitOk);
                    }));
        }));
    return -1;
}

} // namespace ondevice::app
