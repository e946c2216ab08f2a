#pragma once

#include <QList>
#include <QLocale>
#include <QString>

namespace ondevice::ui {

// The languages the app speaks (resources/translations/) and the one it uses. The choice is kept in QSettings
// ("ui/language"); empty means the system's. The command line (ondevice-cli) stays in English: scripts read it.
struct Language {
    QString code; // "en", "es"
    QString name; // in its own words: "English", "Español"
};

QList<Language> availableLanguages();

QString chosenLanguage(); // "" : the system's
void chooseLanguage(const QString& code);

// The locale for `code` ("" : the system's): its language, and the system's country where that speaks it too.
QLocale localeFor(const QString& code);

// Installs the translators for `code` (default: the chosen one) into the running application: the app's words
// (English: only the plural forms), and Qt's own for the standard dialogs and buttons; makes the locale the default
// one, for dates and numbers. Calling it again replaces them. Returns the locale used.
QLocale installTranslations(const QString& code = chosenLanguage());

} // namespace ondevice::ui
