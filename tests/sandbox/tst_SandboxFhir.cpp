#include <QTest>
class tst_SandboxFhir : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(tst_SandboxFhir)
#include "tst_SandboxFhir.moc"
