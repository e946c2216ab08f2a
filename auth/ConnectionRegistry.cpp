#include "ConnectionRegistry.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace ondevice::auth {

namespace {

constexpr int kFormatVersion = 1;

// The context of this file's messages in resources/translations/.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ondevice::auth::ConnectionRegistry)
};

QString dateToJson(const QDateTime& when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODate) : QString();
}

QDateTime dateFromJson(const QJsonValue& value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODate);
}

constexpr std::pair<ConnectionState, const char*> kStateNames[] = {
    { ConnectionState::Connected, "connected" },
    { ConnectionState::Offline, "offline" },
    { ConnectionState::NeedsReconnect, "needs-reconnect" },
    { ConnectionState::SignedOut, "signed-out" },
};

} // namespace

QString toString(ConnectionState state)
{
    for (const auto& [value, name] : kStateNames)
        if (value == state)
            return QLatin1String(name);
    return {};
}

std::optional<ConnectionState> connectionStateFromString(const QString& text)
{
    for (const auto& [value, name] : kStateNames)
        if (text == QLatin1String(name))
            return value;
    return std::nullopt;
}

QString Connection::displayName() const
{
    if (!brand.isEmpty())
        return brand;
    return serverName.isEmpty() ? fhirBase.host() : serverName;
}

QString Connection::makeId(const QUrl& issuer, const QString& patientId)
{
    // Stable and short; carries neither the issuer nor the patient id in clear.
    const QByteArray input = issuer.toString(QUrl::StripTrailingSlash).toUtf8() + '\n' + patientId.toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex().left(12));
}

QJsonObject Connection::toJson() const
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("issuer"), issuer.toString() },
        { QStringLiteral("fhir_base"), fhirBase.toString() },
        { QStringLiteral("client_id"), clientId },
        { QStringLiteral("redirect_port"), redirectPort },
        { QStringLiteral("patient"), patientId },
        { QStringLiteral("fhir_user"), fhirUser },
        { QStringLiteral("subject"), subject },
        { QStringLiteral("scopes"), QJsonArray::fromStringList(grantedScopes) },
        { QStringLiteral("state"), toString(state) },
        { QStringLiteral("refresh_token_issued"), refreshTokenIssued },
        { QStringLiteral("access_expiry"), dateToJson(accessExpiry) },
        { QStringLiteral("grant_end"), dateToJson(grantEnd) },
        { QStringLiteral("last_refresh"), dateToJson(lastRefresh) },
        { QStringLiteral("last_refresh_result"), lastRefreshResult },
        { QStringLiteral("server_name"), serverName },
        { QStringLiteral("token_endpoint"), tokenEndpoint.toString() },
        { QStringLiteral("revocation_endpoint"), revocationEndpoint.toString() },
        { QStringLiteral("introspection_endpoint"), introspectionEndpoint.toString() },
        { QStringLiteral("management_endpoint"), managementEndpoint.toString() },
        { QStringLiteral("jwks_uri"), jwksUri.toString() },
        { QStringLiteral("binding"), binding.isEmpty() ? QStringLiteral("none") : binding },
        { QStringLiteral("key_thumbprint"), keyThumbprint },
        { QStringLiteral("key_algorithm"), keyAlgorithm },
        { QStringLiteral("client_route"), clientRoute },
        { QStringLiteral("brand"), brand },
        { QStringLiteral("brand_logo"), brandLogo.toString() },
        { QStringLiteral("software_id"), softwareId },
        { QStringLiteral("registration_client_uri"), registrationClientUri.toString() },
    };
}

std::optional<Connection> Connection::fromJson(const QJsonObject& object)
{
    Connection c;
    c.id = object.value(QStringLiteral("id")).toString();
    c.issuer = QUrl(object.value(QStringLiteral("issuer")).toString());
    c.fhirBase = QUrl(object.value(QStringLiteral("fhir_base")).toString());
    c.clientId = object.value(QStringLiteral("client_id")).toString();
    c.redirectPort = object.value(QStringLiteral("redirect_port")).toInt();
    c.patientId = object.value(QStringLiteral("patient")).toString();
    c.fhirUser = object.value(QStringLiteral("fhir_user")).toString();
    c.subject = object.value(QStringLiteral("subject")).toString();
    for (const auto& scope : object.value(QStringLiteral("scopes")).toArray())
        c.grantedScopes << scope.toString();
    const auto state = connectionStateFromString(object.value(QStringLiteral("state")).toString());
    c.refreshTokenIssued = object.value(QStringLiteral("refresh_token_issued")).toBool();
    c.accessExpiry = dateFromJson(object.value(QStringLiteral("access_expiry")));
    c.grantEnd = dateFromJson(object.value(QStringLiteral("grant_end")));
    c.lastRefresh = dateFromJson(object.value(QStringLiteral("last_refresh")));
    c.lastRefreshResult = object.value(QStringLiteral("last_refresh_result")).toString();
    c.serverName = object.value(QStringLiteral("server_name")).toString();
    c.tokenEndpoint = QUrl(object.value(QStringLiteral("token_endpoint")).toString());
    c.revocationEndpoint = QUrl(object.value(QStringLiteral("revocation_endpoint")).toString());
    c.introspectionEndpoint = QUrl(object.value(QStringLiteral("introspection_endpoint")).toString());
    c.managementEndpoint = QUrl(object.value(QStringLiteral("management_endpoint")).toString());
    c.jwksUri = QUrl(object.value(QStringLiteral("jwks_uri")).toString());
    // Written before DPoP: no member, an unbound connection.
    if (object.value(QStringLiteral("binding")).toString() == QLatin1String("dpop"))
        c.binding = QStringLiteral("dpop");
    c.keyThumbprint = object.value(QStringLiteral("key_thumbprint")).toString();
    c.keyAlgorithm = object.value(QStringLiteral("key_algorithm")).toString();
    // Written before registration: no member, the published client.
    const QString route = object.value(QStringLiteral("client_route")).toString();
    if (route == QLatin1String("private_key_jwt") || route == QLatin1String("jwt_bearer"))
        c.clientRoute = route;
    c.softwareId = object.value(QStringLiteral("software_id")).toString();
    c.brand = object.value(QStringLiteral("brand")).toString();
    c.brandLogo = QUrl(object.value(QStringLiteral("brand_logo")).toString());
    c.registrationClientUri = QUrl(object.value(QStringLiteral("registration_client_uri")).toString());
    if (c.id.isEmpty() || !c.issuer.isValid() || !c.fhirBase.isValid() || c.clientId.isEmpty() || !state
        || c.redirectPort < 0 || c.redirectPort > 65535)
        return std::nullopt;
    c.state = *state;
    return c;
}

ConnectionRegistry::ConnectionRegistry(QString filePath)
    : m_filePath(std::move(filePath))
{
}

QString ConnectionRegistry::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/connections.json");
}

Expected<std::optional<Connection>, RegistryError> ConnectionRegistry::find(const QString& id) const
{
    const auto loaded = load();
    if (!loaded)
        return loaded.failure();
    for (const Connection& c : loaded.value())
        if (c.id == id)
            return std::optional<Connection>(c);
    return std::optional<Connection>();
}

Expected<QList<Connection>, RegistryError> ConnectionRegistry::load() const
{
    if (isSessionOnly())
        return m_memory;
    QFile file(m_filePath);
    if (!file.exists())
        return QList<Connection> {};
    const auto unreadable = [this](const QString& detail) {
        return Failure<RegistryError> { RegistryError::Unreadable,
            Text::tr("The list of connected providers (%1) could not be read. It has been left as it is.")
                .arg(QDir::toNativeSeparators(m_filePath)),
            detail };
    };
    if (!file.open(QIODevice::ReadOnly))
        return unreadable(file.errorString());
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return unreadable(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("version")).toInt() != kFormatVersion)
        return unreadable(QStringLiteral("unknown format version"));
    QList<Connection> connections;
    for (const auto& entry : root.value(QStringLiteral("connections")).toArray()) {
        auto connection = Connection::fromJson(entry.toObject());
        if (!connection)
            return unreadable(QStringLiteral("a connection entry is incomplete"));
        connections << *connection;
    }
    return connections;
}

Expected<Done, RegistryError> ConnectionRegistry::save(const QList<Connection>& connections) const
{
    QJsonArray entries;
    for (const auto& connection : connections)
        entries << connection.toJson();
    const QJsonObject root { { QStringLiteral("version"), kFormatVersion },
        { QStringLiteral("connections"), entries } };

    const auto unwritable = [this](const QString& detail) {
        return Failure<RegistryError> { RegistryError::Unwritable,
            Text::tr("The list of connected providers (%1) could not be saved.")
                .arg(QDir::toNativeSeparators(m_filePath)),
            detail };
    };
    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly))
        return unwritable(file.errorString());
    // Owner-only before any byte is written: the file names providers and patient ids.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return unwritable(file.errorString());
    return Done {};
}

Expected<Done, RegistryError> ConnectionRegistry::update(const std::function<void(QList<Connection>&)>& change)
{
    if (isSessionOnly()) {
        change(m_memory);
        return Done {};
    }
    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    QLockFile lock(m_filePath + QStringLiteral(".lock"));
    if (!lock.tryLock(10000))
        return Failure<RegistryError> { RegistryError::Locked,
            Text::tr("Another OnDevice Health process is busy with the list of providers. Try again in a moment."),
            QStringLiteral("lock file held: %1").arg(lock.error()) };
    auto current = load();
    if (!current)
        return current.failure();
    QList<Connection> connections = std::move(current).value();
    change(connections);
    return save(connections);
}

} // namespace ondevice::auth
