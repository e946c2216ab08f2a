// The app's words in Spanish and the English plural forms: the translation files are complete and keep every
// placeholder, accelerator and tag of their sources; the compiled ones are in the binary and load by language
// (Spanish, English, a language the app does not speak), with Qt's own words and the locale's dates beside them.

#include "TsFile.h"

#include "ui/Language.h"

#include <QCoreApplication>
#include <QDate>
#include <QHash>
#include <QLocale>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace ondevice::testing;
using namespace ondevice::ui;

namespace {

QStringList placeholders(const QString& text)
{
    QStringList found;
    for (const QRegularExpressionMatch& m : QRegularExpression(QStringLiteral("%L?(\\d+|n)")).globalMatch(text))
        found << m.captured(0);
    found.sort();
    found.removeDuplicates();
    return found;
}

int accelerators(const QString& text)
{
    int n = 0;
    auto it = QRegularExpression(QStringLiteral("&(?=[^&\\s])")).globalMatch(text);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

QStringList tags(const QString& text)
{
    QStringList found;
    for (const QRegularExpressionMatch& m : QRegularExpression(QStringLiteral("</?[a-zA-Z][^>]*>")).globalMatch(text))
        found << m.captured(0);
    return found;
}

} // namespace

class tst_Translations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("ui/language")); // (a run that stopped half-way leaves its choice)
    }

    void spanishIsComplete()
    {
        QString error;
        const QList<TsMessage> messages = readTs(translationsDirectory() + QStringLiteral("ondevice_es.ts"), error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 700);
        QStringList problems;
        for (const TsMessage& m : messages) {
            const QString where = m.context + QStringLiteral(": ") + m.source;
            if (m.unfinished)
                problems << QStringLiteral("unfinished: ") + where;
            if (m.translations.size() != (m.numerus ? 2 : 1))
                problems << QStringLiteral("%1 forms: %2").arg(m.translations.size()).arg(where);
            for (const QString& t : m.translations) {
                if (t.trimmed().isEmpty()) {
                    problems << QStringLiteral("empty: ") + where;
                    continue;
                }
                QStringList expected = placeholders(m.source);
                QStringList got = placeholders(t);
                if (m.numerus && &t == &m.translations.constFirst()) { // a singular may say "one" without %n
                    expected.removeAll(QStringLiteral("%n"));
                    got.removeAll(QStringLiteral("%n"));
                }
                if (got != expected)
                    problems << QStringLiteral("placeholders %1 in \"%2\": ").arg(got.join(u' '), t) + where;
                if (accelerators(t) != accelerators(m.source))
                    problems << QStringLiteral("accelerators in \"%1\": ").arg(t) + where;
                if (tags(t) != tags(m.source))
                    problems << QStringLiteral("tags in \"%1\": ").arg(t) + where;
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void englishHasEveryPluralForm()
    {
        QString error;
        const QList<TsMessage> messages = readTs(translationsDirectory() + QStringLiteral("ondevice_en.ts"), error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!messages.isEmpty());
        for (const TsMessage& m : messages) {
            QVERIFY2(m.numerus && !m.unfinished, qPrintable(m.source));
            QCOMPARE(m.translations.size(), 2);
            QVERIFY2(!m.translations.at(1).contains(QStringLiteral("(s)")), qPrintable(m.translations.at(1)));
        }
    }

    void loadsByLanguage()
    {
        const auto records = [](int n) {
            return QCoreApplication::translate("ondevice::ui::CategoryModel", "%n record(s)", nullptr, n);
        };
        QCOMPARE(installTranslations(QStringLiteral("es")).language(), QLocale::Spanish);
        QCOMPARE(QCoreApplication::translate("ondevice::ui::MainWindow", "&File"), QStringLiteral("&Archivo"));
        QCOMPARE(records(1), QStringLiteral("1 registro"));
        QCOMPARE(records(3), QStringLiteral("3 registros"));
        // Dates in the language's words; Qt's own standard buttons translated too.
        QVERIFY2(QLocale().toString(QDate(2026, 1, 15), QLocale::LongFormat).contains(QStringLiteral("enero")),
            qPrintable(QLocale().toString(QDate(2026, 1, 15), QLocale::LongFormat)));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancelar"));

        QCOMPARE(installTranslations(QStringLiteral("en")).language(), QLocale::English);
        QCOMPARE(QCoreApplication::translate("ondevice::ui::MainWindow", "&File"), QStringLiteral("&File"));
        QCOMPARE(records(1), QStringLiteral("1 record"));
        QCOMPARE(records(3), QStringLiteral("3 records"));

        // A language the app does not speak: English words, English plural forms.
        installTranslations(QStringLiteral("fr"));
        QCOMPARE(records(1), QStringLiteral("1 record"));
        QCOMPARE(QCoreApplication::translate("ondevice::ui::MainWindow", "&File"), QStringLiteral("&File"));
    }

    void theChoiceIsRemembered()
    {
        QCOMPARE(chosenLanguage(), QString()); // the system's, until chosen
        chooseLanguage(QStringLiteral("es"));
        QCOMPARE(chosenLanguage(), QStringLiteral("es"));
        QSettings().setValue(QStringLiteral("ui/language"), QStringLiteral("xx")); // edited by hand: ignored
        QCOMPARE(chosenLanguage(), QString());
        chooseLanguage(QString());
        QCOMPARE(chosenLanguage(), QString());
        QCOMPARE(availableLanguages().size(), 2);
    }
};

QTEST_MAIN(tst_Translations)
#include "tst_Translations.moc"
