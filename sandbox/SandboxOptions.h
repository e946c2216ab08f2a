#pragma once

#include "Faults.h"
#include "Quirks.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

namespace ondevice::sandbox {

// What the rotation of refresh tokens looks like (--refresh-policy).
enum class RefreshPolicy {
    Rotate, // a new refresh token each time; the old one stops working
    RotateDetectReuse, // as Rotate, and presenting a rotated-out token revokes the grant
    NoRotate, // no refresh_token in the refresh response; the old one keeps working
    KeepOldValid, // a new refresh token each time; old ones keep working
};

// How tokens may be bound to the client's key (--binding): DPoP (RFC 9449), a client registered for the device
// that authenticates with private_key_jwt (RFC 7591 + RFC 7523 section 2.2), or a client registered with the first
// access token that gets later ones with the JWT-bearer grant (RFC 7523 section 2.1).
enum class Binding {
    None, // nothing offered: a DPoP header is ignored, every token is a Bearer token of the public client
    Dpop, // DPoP offered: a token request with a valid proof gets DPoP-bound tokens, one without gets Bearer tokens
    DpopRequired, // every token request of the public client must carry a valid proof
    PrivateKeyJwt, // open registration of a client per device, which authenticates with private_key_jwt; no DPoP
    JwtBearer, // registration with an access token holding system/dynamicClient.register, then JWT-bearer; no DPoP
    Any, // DPoP, private_key_jwt and JWT-bearer all offered
};

inline bool offersDpop(Binding b)
{
    return b == Binding::Dpop || b == Binding::DpopRequired || b == Binding::Any;
}

inline bool offersPrivateKeyJwt(Binding b)
{
    return b == Binding::PrivateKeyJwt || b == Binding::Any;
}

inline bool offersJwtBearer(Binding b)
{
    return b == Binding::JwtBearer || b == Binding::Any;
}

struct ClientRegistration {
    QString clientId;
    QStringList redirectUris;
};

struct SandboxOptions {
    quint16 port = 0;
    QHostAddress bind = QHostAddress::LocalHost;
    quint64 seed = 1;
    int patients = 3;
    int brandsCount = 0; // --brands-count: generated brands besides the sample ones
    int resourcesPerPatient = 200;
    QList<ClientRegistration> clients;
    QString autoApprove; // empty, "first" or a patient id
    qint64 accessTokenLifetime = 3600;
    qint64 refreshTokenLifetime = 90LL * 24 * 3600;
    // RFC 6749 §4.1.2: codes are short-lived (60 s); 0 lets tests see an expired code.
    qint64 codeLifetime = 60;
    RefreshPolicy refreshPolicy = RefreshPolicy::RotateDetectReuse;
    Binding binding = Binding::Dpop;
    int dpopNonceSeconds = 0; // --dpop-nonce: 0 demands no nonce; otherwise one, rotated this often
    FaultSpec faults; // --faults
    bool faultProxy = false; // --fault-proxy: run the proxy even when no proxy fault is on yet
    Quirks quirks; // --quirks
    QString loadDirectory; // --load: FHIR Bundles to serve besides the generated patients
    QString error; // set by parse() when the command line is wrong
    QString help; // set by parse() for --help: the usage text (for stderr)

    static SandboxOptions parse(const QStringList& arguments);
    static QString policyName(RefreshPolicy policy);
};

} // namespace ondevice::sandbox
