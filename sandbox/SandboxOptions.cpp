#include "SandboxOptions.h"

#include <QCommandLineParser>
#include <QUrl>

#include <algorithm>

namespace ondevice::sandbox {

namespace {

bool parseBounded(const QString& text, qint64 min, qint64 max, qint64& out)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return false;
    out = value;
    return true;
}

} // namespace

QString SandboxOptions::policyName(RefreshPolicy policy)
{
    switch (policy) {
    case RefreshPolicy::Rotate:
        return QStringLiteral("rotate");
    case RefreshPolicy::RotateDetectReuse:
        return QStringLiteral("rotate-detect-reuse");
    case RefreshPolicy::NoRotate:
        return QStringLiteral("no-rotate");
    case RefreshPolicy::KeepOldValid:
        return QStringLiteral("keep-old-valid");
    }
    return {};
}

SandboxOptions SandboxOptions::parse(const QStringList& arguments)
{
    SandboxOptions options;
    QCommandLineParser parser;
    const QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("Port (0 = a free port)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption bind(QStringLiteral("bind"), QStringLiteral("Address to bind."), QStringLiteral("ADDR"),
        QStringLiteral("127.0.0.1"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the synthetic data."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption patients(
        QStringLiteral("patients"), QStringLiteral("Number of patients."), QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption brandsCount(QStringLiteral("brands-count"),
        QStringLiteral("Generated brands in the User Access Brands bundle besides the sample ones (load tests)."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption perPatient(QStringLiteral("resources-per-patient"),
        QStringLiteral("Clinical resources per patient."), QStringLiteral("N"), QStringLiteral("200"));
    const QCommandLineOption client(QStringLiteral("client"), QStringLiteral("Register a public client (repeatable)."),
        QStringLiteral("ID=REDIRECT[,REDIRECT...]"));
    const QCommandLineOption autoApprove(QStringLiteral("auto-approve"),
        QStringLiteral("Approve every valid authorize request for this patient."), QStringLiteral("PATIENT_ID|first"));
    const QCommandLineOption accessLifetime(QStringLiteral("access-token-lifetime"),
        QStringLiteral("Access token lifetime in seconds."), QStringLiteral("S"), QStringLiteral("3600"));
    const QCommandLineOption refreshLifetime(QStringLiteral("refresh-token-lifetime"),
        QStringLiteral("Refresh token lifetime in seconds."), QStringLiteral("S"), QString::number(90LL * 24 * 3600));
    const QCommandLineOption codeLifetime(QStringLiteral("code-lifetime"),
        QStringLiteral("Authorization code lifetime in seconds (0..600)."), QStringLiteral("S"), QStringLiteral("60"));
    const QCommandLineOption policy(QStringLiteral("refresh-policy"),
        QStringLiteral("rotate|rotate-detect-reuse|no-rotate|keep-old-valid"), QStringLiteral("POLICY"),
        QStringLiteral("rotate-detect-reuse"));
    const QCommandLineOption binding(QStringLiteral("binding"),
        QStringLiteral("none|dpop|dpop-required|private-key-jwt|jwt-bearer|any: how tokens may be bound to the "
                       "client's key: DPoP (RFC 9449; dpop offers it), a client registered per device with "
                       "private_key_jwt, registration then the JWT-bearer grant, or all three."),
        QStringLiteral("MODE"), QStringLiteral("dpop"));
    const QCommandLineOption dpopNonce(QStringLiteral("dpop-nonce"),
        QStringLiteral("Demand DPoP nonces and rotate them every S seconds (1..3600; 0: no nonces)."),
        QStringLiteral("S"), QStringLiteral("0"));
    const QCommandLineOption faults(QStringLiteral("faults"),
        QStringLiteral("Faults to inject, e.g. latency=50ms,error500=0.05,rate429=0.1 (see docs/sandbox.md)."),
        QStringLiteral("SPEC"));
    const QCommandLineOption faultProxy(QStringLiteral("fault-proxy"),
        QStringLiteral("Serve through the fault proxy even before a proxy fault is set."));
    const QCommandLineOption quirks(QStringLiteral("quirks"),
        QStringLiteral("Real-server quirks: ") + Quirks::names().join(QLatin1Char(',')), QStringLiteral("LIST"));
    const QCommandLineOption load(QStringLiteral("load"),
        QStringLiteral("Also serve the FHIR Bundles (collection or transaction) in the *.json files of DIR."),
        QStringLiteral("DIR"));
    parser.addOptions({ port, bind, seed, patients, brandsCount, perPatient, client, autoApprove, accessLifetime,
        refreshLifetime, codeLifetime, policy, binding, dpopNonce, faults, faultProxy, quirks, load });
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        options.help = parser.helpText();
        return options;
    }
    if (!parser.positionalArguments().isEmpty()) {
        options.error = QStringLiteral("unexpected argument: ") + parser.positionalArguments().constFirst();
        return options;
    }
    qint64 value = 0;
    if (!parseBounded(parser.value(port), 0, 65535, value)) {
        options.error = QStringLiteral("--port must be 0..65535");
        return options;
    }
    options.port = static_cast<quint16>(value);
    if (!options.bind.setAddress(parser.value(bind))) {
        options.error = QStringLiteral("--bind must be an IP address");
        return options;
    }
    bool ok = false;
    options.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        options.error = QStringLiteral("--seed must be a non-negative integer");
        return options;
    }
    if (!parseBounded(parser.value(patients), 1, 1000, value)) {
        options.error = QStringLiteral("--patients must be 1..1000");
        return options;
    }
    options.patients = static_cast<int>(value);
    if (!parseBounded(parser.value(brandsCount), 0, 200000, value)) {
        options.error = QStringLiteral("--brands-count must be 0..200000");
        return options;
    }
    options.brandsCount = static_cast<int>(value);
    if (!parseBounded(parser.value(perPatient), 0, 1000000, value)) {
        options.error = QStringLiteral("--resources-per-patient must be 0..1000000");
        return options;
    }
    options.resourcesPerPatient = static_cast<int>(value);
    // Lifetimes of 0 are allowed on purpose: a token that is born expired lets
    // tests check expiry without sleeping.
    if (!parseBounded(parser.value(accessLifetime), 0, 10LL * 365 * 24 * 3600, options.accessTokenLifetime)) {
        options.error = QStringLiteral("--access-token-lifetime must be 0..315360000 seconds");
        return options;
    }
    if (!parseBounded(parser.value(refreshLifetime), 0, 10LL * 365 * 24 * 3600, options.refreshTokenLifetime)) {
        options.error = QStringLiteral("--refresh-token-lifetime must be 0..315360000 seconds");
        return options;
    }
    if (!parseBounded(parser.value(codeLifetime), 0, 600, options.codeLifetime)) {
        options.error = QStringLiteral("--code-lifetime must be 0..600 seconds");
        return options;
    }
    const QString policyText = parser.value(policy);
    bool known = false;
    for (const RefreshPolicy candidate : { RefreshPolicy::Rotate, RefreshPolicy::RotateDetectReuse,
             RefreshPolicy::NoRotate, RefreshPolicy::KeepOldValid }) {
        if (policyName(candidate) == policyText) {
            options.refreshPolicy = candidate;
            known = true;
        }
    }
    if (!known) {
        options.error
            = QStringLiteral("--refresh-policy must be rotate, rotate-detect-reuse, no-rotate or keep-old-valid");
        return options;
    }
    const QString bindingText = parser.value(binding);
    if (bindingText == QLatin1String("none")) {
        options.binding = Binding::None;
    } else if (bindingText == QLatin1String("dpop")) {
        options.binding = Binding::Dpop;
    } else if (bindingText == QLatin1String("dpop-required")) {
        options.binding = Binding::DpopRequired;
    } else if (bindingText == QLatin1String("private-key-jwt")) {
        options.binding = Binding::PrivateKeyJwt;
    } else if (bindingText == QLatin1String("jwt-bearer")) {
        options.binding = Binding::JwtBearer;
    } else if (bindingText == QLatin1String("any")) {
        options.binding = Binding::Any;
    } else {
        options.error
            = QStringLiteral("--binding must be none, dpop, dpop-required, private-key-jwt, jwt-bearer or any");
        return options;
    }
    if (!parseBounded(parser.value(dpopNonce), 0, 3600, value)) {
        options.error = QStringLiteral("--dpop-nonce must be 0..3600 seconds");
        return options;
    }
    options.dpopNonceSeconds = static_cast<int>(value);
    QString why;
    const std::optional<FaultSpec> faultSpec = FaultSpec::parse(parser.value(faults), &why);
    if (!faultSpec) {
        options.error = QStringLiteral("--faults: ") + why;
        return options;
    }
    options.faults = *faultSpec;
    options.faultProxy = parser.isSet(faultProxy);
    const std::optional<Quirks> quirkSet = Quirks::parse(parser.value(quirks), &why);
    if (!quirkSet) {
        options.error = QStringLiteral("--quirks: ") + why;
        return options;
    }
    options.quirks = *quirkSet;
    options.loadDirectory = parser.value(load);
    if (parser.isSet(load) && options.loadDirectory.isEmpty()) {
        options.error = QStringLiteral("--load needs a directory");
        return options;
    }
    options.autoApprove = parser.value(autoApprove);
    if (parser.isSet(autoApprove) && options.autoApprove.isEmpty()) {
        options.error = QStringLiteral("--auto-approve needs a patient id or 'first'");
        return options;
    }

    // The demo client is always known, so the demo and the tests need no flags;
    // a --client with the same id replaces it.
    options.clients.append({ QStringLiteral("ondevice-demo"), { QStringLiteral("http://127.0.0.1/callback") } });
    for (const QString& spec : parser.values(client)) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == spec.size() - 1) {
            options.error = QStringLiteral("--client must be ID=REDIRECT[,REDIRECT...]");
            return options;
        }
        ClientRegistration registration { spec.left(eq), spec.mid(eq + 1).split(QLatin1Char(','), Qt::SkipEmptyParts) };
        for (const QString& uri : std::as_const(registration.redirectUris)) {
            const QUrl url(uri, QUrl::StrictMode);
            if (!url.isValid() || url.scheme().isEmpty() || url.isRelative() || url.hasFragment()) {
                options.error = QStringLiteral("--client redirect is not an absolute URI without fragment: ") + uri;
                return options;
            }
        }
        options.clients.erase(std::remove_if(options.clients.begin(), options.clients.end(),
                                  [&](const ClientRegistration& c) { return c.clientId == registration.clientId; }),
            options.clients.end());
        options.clients.append(registration);
    }
    return options;
}

} // namespace ondevice::sandbox
