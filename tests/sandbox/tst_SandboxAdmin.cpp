#include <QTest>
class tst_SandboxAdmin : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(tst_SandboxAdmin)
#include "tst_SandboxAdmin.moc"
