#include "HumanName.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace ondevice::fhir {

QString humanName(const QJsonValue& names)
{
    const QJsonArray list = names.isArray() ? names.toArray() : QJsonArray { names };
    for (const QJsonValue n : list) {
        const QJsonObject name = n.toObject();
        if (QString text = name.value(QLatin1String("text")).toString(); !text.isEmpty())
            return text;
        QStringList parts;
        for (const QJsonValue p : name.value(QLatin1String("prefix")).toArray())
            parts << p.toString();
        for (const QJsonValue g : name.value(QLatin1String("given")).toArray())
            parts << g.toString();
        parts << name.value(QLatin1String("family")).toString();
        parts.removeAll(QString());
        if (!parts.isEmpty())
            return parts.join(QLatin1Char(' '));
    }
    return {};
}

} // namespace ondevice::fhir
