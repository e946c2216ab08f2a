#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ondevice::testing {

// One message of a Qt Linguist translation file (resources/translations/*.ts).
struct TsMessage {
    QString context;
    QString source;
    QStringList translations; // one, or one per plural form
    bool unfinished = false;
    bool numerus = false;
};

// Every message of the file at `path`; `error` says why not.
QList<TsMessage> readTs(const QString& path, QString& error);

// The translation files in the source tree.
QString translationsDirectory();

} // namespace ondevice::testing
