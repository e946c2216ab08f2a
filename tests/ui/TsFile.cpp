#include "TsFile.h"

#include <QFile>
#include <QXmlStreamReader>

namespace ondevice::testing {

QList<TsMessage> readTs(const QString& path, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = file.errorString();
        return {};
    }
    QList<TsMessage> messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages << current;
            continue;
        }
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            current = TsMessage { context, {}, {}, false,
                xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes") };
        } else if (xml.name() == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            current.unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            if (!current.numerus)
                current.translations = { xml.readElementText() };
        } else if (xml.name() == QLatin1String("numerusform")) {
            current.translations << xml.readElementText();
        }
    }
    if (xml.hasError())
        error = xml.errorString();
    return messages;
}

QString translationsDirectory()
{
    return QStringLiteral(ONDEVICE_SOURCE_DIR "/resources/translations/");
}

} // namespace ondevice::testing
