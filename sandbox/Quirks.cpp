#include "Quirks.h"

#include <array>

namespace ondevice::sandbox {

namespace {

struct Entry {
    const char* name;
    bool Quirks::*flag;
};

// The one list of quirks: names(), parse() and toString() all read it.
constexpr std::array kEntries {
    Entry { "plain-401", &Quirks::plain401 },
    Entry { "no-refresh-grant-type", &Quirks::noRefreshGrantType },
    Entry { "no-revocation", &Quirks::noRevocation },
    Entry { "no-offline-scope", &Quirks::noOfflineScope },
    Entry { "no-refresh-token", &Quirks::noRefreshToken },
    Entry { "launch-base", &Quirks::launchBase },
    Entry { "refresh-id-token-no-aud", &Quirks::refreshIdTokenNoAud },
    Entry { "string-expires-in", &Quirks::stringExpiresIn },
    Entry { "patient-in-id-token-only", &Quirks::patientInIdTokenOnly },
    Entry { "everything-extra-types", &Quirks::everythingExtraTypes },
    Entry { "no-everything", &Quirks::noEverything },
    Entry { "observation-needs-category", &Quirks::observationNeedsCategory },
    Entry { "no-lastupdated", &Quirks::noLastUpdated },
    Entry { "ignores-lastupdated", &Quirks::ignoresLastUpdated },
    Entry { "outcome-entries", &Quirks::outcomeEntries },
    Entry { "no-date-header", &Quirks::noDateHeader },
    Entry { "skewed-date-header", &Quirks::skewedDateHeader },
    Entry { "narrow-scopes", &Quirks::narrowScopes },
    Entry { "tiny-pages", &Quirks::tinyPages },
    Entry { "page-limit-100", &Quirks::pageLimit100 },
    Entry { "medication-read-only", &Quirks::medicationReadOnly },
    Entry { "ignores-not-modifier", &Quirks::ignoresNotModifier },
    Entry { "not-needs-a-value", &Quirks::notNeedsAValue },
    Entry { "dpop-in-issuer-metadata", &Quirks::dpopInIssuerMetadata },
};

} // namespace

const QStringList& Quirks::names()
{
    static const QStringList list = [] {
        QStringList names;
        for (const Entry& entry : kEntries)
            names.append(QLatin1String(entry.name));
        return names;
    }();
    return list;
}

const QList<Quirks::Preset>& Quirks::presets()
{
    // What each real server family shows at once (DESIGN.md; docs/sandbox.md has the sources).
    static const QList<Preset> list {
        { QStringLiteral("epic-like"),
            { QStringLiteral("observation-needs-category"), QStringLiteral("no-lastupdated"),
                QStringLiteral("outcome-entries"), QStringLiteral("narrow-scopes"), QStringLiteral("no-offline-scope"),
                QStringLiteral("no-everything") } },
        { QStringLiteral("launcher-like"),
            { QStringLiteral("launch-base"), QStringLiteral("plain-401"), QStringLiteral("no-revocation"),
                QStringLiteral("refresh-id-token-no-aud"), QStringLiteral("everything-extra-types") } },
    };
    return list;
}

std::optional<Quirks> Quirks::parse(const QString& list, QString* error)
{
    Quirks quirks;
    const QString trimmed = list.trimmed();
    if (trimmed.isEmpty() || trimmed == QLatin1String("none"))
        return quirks;
    QStringList wanted;
    for (const QString& raw : trimmed.split(QLatin1Char(','))) {
        const QString name = raw.trimmed();
        const auto preset
            = std::find_if(presets().cbegin(), presets().cend(), [&name](const Preset& p) { return p.name == name; });
        if (preset != presets().cend())
            wanted.append(preset->quirks);
        else
            wanted.append(name);
    }
    for (const QString& name : std::as_const(wanted)) {
        const qsizetype index = names().indexOf(name);
        if (index < 0) {
            if (error) {
                QStringList presetNames;
                for (const Preset& p : presets())
                    presetNames.append(p.name);
                *error = QStringLiteral("unknown quirk '%1' (quirks: %2; presets: %3)")
                             .arg(name, names().join(QStringLiteral(", ")), presetNames.join(QStringLiteral(", ")));
            }
            return std::nullopt;
        }
        quirks.*(kEntries[static_cast<size_t>(index)].flag) = true;
    }
    return quirks;
}

QString Quirks::toString() const
{
    QStringList on;
    for (const Entry& entry : kEntries) {
        if (this->*(entry.flag))
            on.append(QLatin1String(entry.name));
    }
    return on.join(QLatin1Char(','));
}

} // namespace ondevice::sandbox
