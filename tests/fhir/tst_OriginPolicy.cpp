#include "fhir/OriginPolicy.h"

#include <QTest>

using ondevice::fhir::OriginPolicy;

class tst_OriginPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nextLink_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("expected"); // empty: refused

        const QString base = QStringLiteral("https://ehr.example:8443/r4/fhir");
        QTest::newRow("same origin") << base << "https://ehr.example:8443/r4/fhir/Observation?page=2"
                                     << "https://ehr.example:8443/r4/fhir/Observation?page=2";
        QTest::newRow("host case") << base << "https://EHR.example:8443/x"
                                   << "https://EHR.example:8443/x";
        QTest::newRow("relative") << base << "Observation?page=3"
                                  << "https://ehr.example:8443/r4/fhir/Observation?page=3";
        QTest::newRow("other host") << base << "https://evil.example:8443/r4/fhir/Observation"
                                    << "";
        QTest::newRow("suffix host") << base << "https://ehr.example.evil.example:8443/"
                                     << "";
        QTest::newRow("other port") << base << "https://ehr.example:9443/r4/fhir"
                                    << "";
        QTest::newRow("downgrade to http") << base << "http://ehr.example:8443/r4/fhir"
                                           << "";
        QTest::newRow("credentials") << base << "https://user:pw@ehr.example:8443/r4/fhir"
                                     << "";
        QTest::newRow("scheme-relative other host") << base << "//evil.example/fhir"
                                                    << "";
        QTest::newRow("javascript") << base << "javascript:alert(1)"
                                    << "";
        QTest::newRow("empty") << base << ""
                               << "";
        QTest::newRow("default port explicit") << "https://ehr.example/fhir"
                                               << "https://ehr.example:443/fhir/Patient"
                                               << "https://ehr.example:443/fhir/Patient";
        QTest::newRow("loopback http") << "http://127.0.0.1:5000/fhir"
                                       << "http://127.0.0.1:5000/fhir/Condition?p=1"
                                       << "http://127.0.0.1:5000/fhir/Condition?p=1";
        QTest::newRow("localhost is not 127.0.0.1") << "http://127.0.0.1:5000/fhir"
                                                    << "http://localhost:5000/fhir/Condition"
                                                    << "";
    }

    void nextLink()
    {
        QFETCH(QString, base);
        QFETCH(QString, link);
        QFETCH(QString, expected);
        const OriginPolicy policy { QUrl(base) };
        const auto resolved = policy.resolveNextLink(link);
        if (expected.isEmpty()) {
            QVERIFY2(!resolved, qPrintable(resolved ? resolved->toString() : QString()));
        } else {
            QVERIFY(resolved);
            QCOMPARE(*resolved, QUrl(expected));
        }
    }
};

QTEST_GUILESS_MAIN(tst_OriginPolicy)
#include "tst_OriginPolicy.moc"
