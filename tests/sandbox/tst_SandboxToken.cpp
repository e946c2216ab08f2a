#include <QTest>
class tst_SandboxToken : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(tst_SandboxToken)
#include "tst_SandboxToken.moc"
