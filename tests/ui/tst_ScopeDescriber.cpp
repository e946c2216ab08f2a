#include "ui/ScopeDescriber.h"

#include <QTest>

using ondevice::ui::ScopeDescriber;

class tst_ScopeDescriber : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void describe_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("words");
        QTest::newRow("v2 all") << "patient/*.rs"
                                << "Read all your records";
        QTest::newRow("v1 all") << "patient/*.read"
                                << "Read all your records";
        QTest::newRow("v2 read only") << "patient/*.r"
                                      << "Read all your records";
        QTest::newRow("v1 observation") << "patient/Observation.read"
                                        << "Read your lab results and vital signs";
        QTest::newRow("v2 observation") << "patient/Observation.rs"
                                        << "Read your lab results and vital signs";
        QTest::newRow("v2 observation category") << "patient/Observation.rs?category=laboratory"
                                                 << "Read your lab results and vital signs (only laboratory)";
        QTest::newRow("conditions") << "patient/Condition.rs"
                                    << "Read your conditions and problems";
        QTest::newRow("medications") << "patient/MedicationRequest.read"
                                     << "Read your medications";
        QTest::newRow("allergies") << "patient/AllergyIntolerance.rs"
                                   << "Read your allergies";
        QTest::newRow("patient") << "patient/Patient.read"
                                 << "Read your name, birth date and contact details";
        QTest::newRow("unknown type") << "patient/Flag.rs"
                                      << "Read your Flag records";
        QTest::newRow("v1 write") << "patient/*.write"
                                  << "Add to or change all your records";
        QTest::newRow("v1 star") << "patient/*.*"
                                 << "Read and change all your records";
        QTest::newRow("v2 cruds") << "patient/*.cruds"
                                  << "Read and change all your records";
        QTest::newRow("user") << "user/*.rs"
                              << "Read all records your account can see";
        QTest::newRow("openid") << "openid"
                                << "Know who you are";
        QTest::newRow("fhirUser") << "fhirUser"
                                  << "Know who you are";
        QTest::newRow("offline_access") << "offline_access"
                                        << "Stay connected when you are not using the app";
        QTest::newRow("online_access") << "online_access"
                                       << "Stay connected while you are using the app";
        QTest::newRow("launch/patient") << "launch/patient"
                                        << "Know which patient's records to show";
        QTest::newRow("garbage permissions") << "patient/*.xyz"
                                             << "Another permission: patient/*.xyz";
        QTest::newRow("unknown") << "something-else"
                                 << "Another permission: something-else";
    }

    void describe()
    {
        QFETCH(QString, scope);
        QFETCH(QString, words);
        QCOMPARE(ScopeDescriber::describe(scope), words);
    }

    void describeAllSaysEachMeaningOnce()
    {
        const QStringList lines
            = ScopeDescriber::describeAll({ "openid", "fhirUser", "launch/patient", "offline_access", "patient/*.rs" });
        QCOMPARE(lines,
            QStringList({ "Know who you are", "Know which patient's records to show",
                "Stay connected when you are not using the app", "Read all your records" }));
    }
};

QTEST_GUILESS_MAIN(tst_ScopeDescriber)
#include "tst_ScopeDescriber.moc"
