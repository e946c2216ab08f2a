#include "ui/Language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>
namespace ondevice::ui {

namespace {

const QString kSetting = QStringLiteral("ui/language");

// The translators installed now, owned by the application (replaced by the next installTranslations()).
QPointer<QTranslator> g_app;
QPointer<QTranslator> g_qt;

// Loads `file` for the locale's languages from `directory` and installs it; nothing when there is none.
QTranslator* load(const QLocale& locale, const QString& file, const QString& directory)
{
    auto* translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, file, QStringLiteral("_"), directory)
        && QCoreApplication::installTranslator(translator))
        return translator;
    delete translator;
    return nullptr;
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
    Q_ASSERT(QCoreApplication::instance()); // translators live in the application
    for (QPointer<QTranslator>* translator : { &g_app, &g_qt }) {
        if (*translator) {
            QCoreApplication::removeTranslator(*translator);
            delete translator->data();
        }
    }
    const QLocale locale = localeFor(code);
    QLocale::setDefault(locale);
    const QString ours = QStringLiteral(":/i18n");
    g_app = load(locale, QStringLiteral("ondevice"), ours);
    if (!g_app) // a language we do not speak: English, with its plural forms
        g_app = load(QLocale(QLocale::English), QStringLiteral("ondevice"), ours);
    g_qt = load(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return locale;
}

} // namespace ondevice::ui
