#include "ProviderPresets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ondevice::ui {

namespace {

// The JSON holds names for people who read the file; what the user sees goes
// through tr() here, so translations need no JSON of their own.
QString nameFor(const QString& id, const QString& fallback)
{
    if (id == QLatin1String("sandbox"))
        return ProviderPresets::tr("Local sandbox (synthetic patients)");
    if (id == QLatin1String("smart-launcher"))
        return ProviderPresets::tr("SMART Health IT launcher (public test server)");
    if (id == QLatin1String("epic-sandbox"))
        return ProviderPresets::tr("Epic on FHIR sandbox (patients)");
    if (id == QLatin1String("oracle-sandbox"))
        return ProviderPresets::tr("Oracle Health sandbox (patients)");
    return fallback;
}

QString noteFor(const QString& id)
{
    if (id == QLatin1String("sandbox"))
        return ProviderPresets::tr(
            "The ondevice-sandbox on this computer: no account needed, approve in your browser.");
    if (id == QLatin1String("smart-launcher"))
        return ProviderPresets::tr("A public test server with synthetic patients: pick any patient when it asks.");
    if (id == QLatin1String("epic-sandbox"))
        return ProviderPresets::tr("Needs registration: register a patient-facing app at fhir.epic.com, then enter its "
                                   "non-production client id and the loopback port of its redirect URI. Epic may not "
                                   "let a public app stay signed in.");
    if (id == QLatin1String("oracle-sandbox"))
        return ProviderPresets::tr("Needs registration: register a patient app in Oracle Health's Code Console, then "
                                   "enter its client id and the loopback port of its redirect URI.");
    return {};
}

} // namespace

QList<ProviderPreset> ProviderPresets::load(const QUrl& sandbox)
{
    QFile file(QStringLiteral(":/presets/providers.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return fromJson(file.readAll(), sandbox);
}

QList<ProviderPreset> ProviderPresets::fromJson(const QByteArray& json, const QUrl& sandbox)
{
    QList<ProviderPreset> presets;
    const QJsonArray entries = QJsonDocument::fromJson(json).object().value(QStringLiteral("presets")).toArray();
    for (const QJsonValue entry : entries) {
        const QJsonObject o = entry.toObject();
        ProviderPreset p;
        p.id = o.value(QStringLiteral("id")).toString();
        p.name = nameFor(p.id, o.value(QStringLiteral("name")).toString());
        p.fhirBase = QUrl(o.value(QStringLiteral("fhir_base")).toString());
        p.clientId = o.value(QStringLiteral("client_id")).toString();
        p.port = o.value(QStringLiteral("port")).toInt();
        p.needsRegistration = o.value(QStringLiteral("needs_registration")).toBool();
        p.note = noteFor(p.id);
        if (p.id == QLatin1String("sandbox")) {
            if (!sandbox.isValid())
                continue;
            p.fhirBase = sandbox;
        }
        if (p.id.isEmpty() || !p.fhirBase.isValid())
            continue;
        presets << p;
    }
    return presets;
}

} // namespace ondevice::ui
