#include "ui/Language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

#include <memory>

namespace ondevice::ui {

namespace {

const QString kSetting = QStringLiteral("ui/language");

// The translators installed now (replaced by the next installTranslations()).
std::unique_ptr<QTranslator>& appTranslator()
{
    static std::unique_ptr<QTranslator> translator;
    return translator;
}

std::unique_ptr<QTranslator>& qtTranslator()
{
    static std::unique_ptr<QTranslator> translator;
    return translator;
}

// Loads `file` for the locale's languages from `directory`; installed only when found.
std::unique_ptr<QTranslator> load(const QLocale& locale, const QString& file, const QString& directory)
{
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(locale, file, QStringLiteral("_"), directory))
        return nullptr;
    QCoreApplication::installTranslator(translator.get());
    return translator;
}

} // namespace

QList<Language> availableLanguages()
{
    return { { QStringLiteral("en"), QStringLiteral("English") }, { QStringLiteral("es"), QStringLiteral("Español") } };
}

QString chosenLanguage()
{
    QString code = QSettings().value(kSetting).toString();
    for (const Language& language : availableLanguages())
        if (language.code == code)
            return code;
    return {};
}

void chooseLanguage(const QString& code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(kSetting);
    else
        settings.setValue(kSetting, code);
}

QLocale localeFor(const QString& code)
{
    const QLocale system = QLocale::system();
    if (code.isEmpty())
        return system;
    const QLocale chosen(code);
    return chosen.language() == system.language() ? system : chosen;
}

QLocale installTranslations(const QString& code)
{
    for (auto* translator : { &appTranslator(), &qtTranslator() }) {
        if (*translator)
            QCoreApplication::removeTranslator(translator->get());
        translator->reset();
    }
    const QLocale locale = localeFor(code);
    QLocale::setDefault(locale);
    const QString ours = QStringLiteral(":/i18n");
    appTranslator() = load(locale, QStringLiteral("ondevice"), ours);
    if (!appTranslator()) // a language we do not speak: English, with its plural forms
        appTranslator() = load(QLocale(QLocale::English), QStringLiteral("ondevice"), ours);
    qtTranslator() = load(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return locale;
}

} // namespace ondevice::ui
