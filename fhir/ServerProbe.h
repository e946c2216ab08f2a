#pragma once

#include <QDateTime>
#include <QFuture>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

namespace ondevice::fhir {

// What a FHIR server shows anyone, before any sign-in: its CapabilityStatement (version, types,
// Patient/$everything), how it answers a request without a token, and its Date header. The behaviours of
// real servers found this way are named as the sandbox's quirks (docs/interop.md); the behaviours of
// searches show only with a token and are found, worked around and noted by the sync.
struct ServerFacts {
    bool reached = false;
    QString problem; // why the server could not be read, when it could not
    QString fhirVersion; // the CapabilityStatement's fhirVersion
    QString software; // its software.name, when given
    QString implementation; // its implementation.description, when given
    QString publisher; // its publisher, when given
    bool offersEverything = false; // Patient/$everything in the CapabilityStatement
    QStringList resourceTypes; // the types it lists
    int unauthenticatedStatus = 0; // what GET {base}/Patient without a token answered
    QByteArray unauthenticatedType; // its media type
    bool wwwAuthenticate = false; // whether that 401 said how to authenticate
    bool dateHeader = false;
    std::optional<qint64> dateSkewSeconds; // the Date header minus this computer's clock

    // The sandbox quirk names this server shows (docs/sandbox.md), in a fixed order.
    QStringList knownBehaviours() const;
};

// Reads {base}/metadata and {base}/Patient?_count=1 without credentials. Never sends a token.
QFuture<ServerFacts> probeServer(QNetworkAccessManager& network, const QUrl& fhirBase);

} // namespace ondevice::fhir
