#include "Quirks.h"

namespace ondevice::sandbox {

const QStringList& Quirks::names()
{
    static const QStringList list { QStringLiteral("plain-401"), QStringLiteral("no-refresh-grant-type"), QStringLiteral("no-revocation"),
        QStringLiteral("no-offline-scope"), QStringLiteral("no-refresh-token"), QStringLiteral("launch-base") };
    return list;
}

std::optional<Quirks> Quirks::parse(const QString& list, QString* error)
{
    Quirks quirks;
    const QString trimmed = list.trimmed();
    if (trimmed.isEmpty() || trimmed == QLatin1String("none"))
        return quirks;
    bool* flags[] = { &quirks.plain401, &quirks.noRefreshGrantType, &quirks.noRevocation, &quirks.noOfflineScope, &quirks.noRefreshToken, &quirks.launchBase };
    for (const QString& raw : trimmed.split(QLatin1Char(','))) {
        const QString name = raw.trimmed();
        const qsizetype index = names().indexOf(name);
        if (index < 0) {
            if (error)
                *error = QStringLiteral("unknown quirk '%1' (known: %2)").arg(name, names().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        *flags[index] = true;
    }
    return quirks;
}

QString Quirks::toString() const
{
    const bool flags[] = { plain401, noRefreshGrantType, noRevocation, noOfflineScope, noRefreshToken, launchBase };
    QStringList on;
    for (qsizetype i = 0; i < names().size(); ++i) {
        if (flags[i])
            on.append(names().at(i));
    }
    return on.join(QLatin1Char(','));
}

} // namespace ondevice::sandbox
