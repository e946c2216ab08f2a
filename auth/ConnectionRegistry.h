#pragma once

#include "core/Expected.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace ondevice::auth {

enum class ConnectionState {
    Connected, // a refresh token is in the keychain and the last refresh worked
    Offline, // the last refresh could not reach the server; records still shown
    NeedsReconnect, // the server ended the grant (invalid_grant); nothing deleted
    SignedOut, // the user signed out: token revoked and deleted, records kept
};

QString toString(ConnectionState state);
std::optional<ConnectionState> connectionStateFromString(const QString& text);

// Non-secret facts about one connection. A connection is identified by
// (issuer, patient): one provider may hold two patients.
struct Connection {
    QString id;
    QUrl issuer; // the OpenID issuer, or the FHIR base when the server has none
    QUrl fhirBase;
    QString serverName; // for people: the FHIR server's host, or its software name
    QString clientId;
    int redirectPort = 0; // 0: any loopback port (RFC 8252)
    QString patientId;
    QString fhirUser;
    QString subject; // the id_token's sub; a later id_token must carry the same
    QStringList grantedScopes;
    ConnectionState state = ConnectionState::Connected;
    bool refreshTokenIssued = false;
    QDateTime accessExpiry;
    QDateTime grantEnd; // from introspection `exp`, when the server offers it
    QDateTime lastRefresh;
    QString lastRefreshResult;
    // Non-secret endpoints from discovery, so a restart needs no discovery.
    QUrl tokenEndpoint;
    QUrl revocationEndpoint;
    QUrl introspectionEndpoint;
    QUrl managementEndpoint;
    QUrl jwksUri;
    // DPoP (RFC 9449): "dpop" when the connection's tokens are bound to its device key (the keychain item
    // device-key), empty when they are Bearer tokens. The key's thumbprint and algorithm are public.
    QString binding;
    QString keyThumbprint;
    QString keyAlgorithm;
    bool isDpopBound() const { return binding == QLatin1String("dpop"); }
    // The client this connection is (ClientRoute's names): "private_key_jwt" or "jwt_bearer" for a client
    // registered for this computer, whose id is clientId and which was registered as an instance of
    // softwareId (the published client id); empty for the published public client itself.
    QString clientRoute;
    QString softwareId;
    QUrl registrationClientUri; // RFC 7592 management of the registration; empty when the server gave none
    bool isRegisteredClient() const { return !clientRoute.isEmpty(); }
    bool usesPrivateKeyJwt() const { return clientRoute == QLatin1String("private_key_jwt"); }
    bool usesJwtBearer() const { return clientRoute == QLatin1String("jwt_bearer"); }
    // The device key signs for this connection (DPoP proofs, client assertions or JWT-bearer grants).
    bool needsDeviceKey() const { return isDpopBound() || isRegisteredClient(); }
    // The app can get new access tokens by itself: with a refresh token, or on the JWT-bearer route.
    bool staysConnected() const { return refreshTokenIssued || usesJwtBearer(); }

    // Keychain item names (service: the app's); each holds only the secret.
    QString refreshTokenKey() const { return id + QStringLiteral("/refresh-token"); }
    QString dataKeyKey() const { return id + QStringLiteral("/data-key"); }
    QString deviceKeyKey() const { return id + QStringLiteral("/device-key"); }
    QString registrationTokenKey() const { return id + QStringLiteral("/registration-token"); }

    // The provider as the patient picked it from a User Access Brands directory, or as the server names its
    // own brand; empty when neither says.
    QString brand;
    QUrl brandLogo;

    // How people see the provider: its brand, else the server's name for itself (serverName), else its host.
    QString displayName() const;

    static QString makeId(const QUrl& issuer, const QString& patientId);

    QJsonObject toJson() const;
    static std::optional<Connection> fromJson(const QJsonObject& object);
};

enum class RegistryError {
    Unreadable, // the file exists but cannot be read or parsed; it is left untouched
    Unwritable,
    Locked, // another process held the lock for too long
};

// The connections file (JSON, mode 0600) in the app data dir. It holds no
// secret: tokens and keys are in the keychain (SecretStore). Every change is a
// read-modify-write under a QLockFile, so the GUI and ondevice-cli can both
// update it.
class ConnectionRegistry {
public:
    // An empty path keeps the list in this object's memory only: the
    // "continue for this session only" choice when the keychain is unusable.
    explicit ConnectionRegistry(QString filePath);

    bool isSessionOnly() const { return m_filePath.isEmpty(); }

    // <AppLocalDataLocation>/connections.json (local, not roaming, on Windows)
    static QString defaultPath();

    QString filePath() const { return m_filePath; }

    // A missing file is an empty registry, not an error.
    Expected<QList<Connection>, RegistryError> load() const;
    // The connection with this id: none when there is no such connection, a failure when the registry
    // cannot be read (callers tell the two apart: "signed out meanwhile" is not "could not look").
    Expected<std::optional<Connection>, RegistryError> find(const QString& id) const;

    // Reloads under the lock, lets `change` edit the list, and writes it back
    // atomically. A failed reload writes nothing.
    Expected<Done, RegistryError> update(const std::function<void(QList<Connection>&)>& change);

private:
    Expected<Done, RegistryError> save(const QList<Connection>& connections) const;

    QString m_filePath;
    QList<Connection> m_memory; // session-only mode
};

} // namespace ondevice::auth
