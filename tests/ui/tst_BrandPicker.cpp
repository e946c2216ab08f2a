// The connect dialog's brand search against a hand-written directory: a brand with two endpoints offers a choice
// of endpoint, a brand with none is greyed and shows its portal link, a data: logo shows on its card, and the
// search follows the typing.

#include "BrandBundles.h"
#include "TestSupport.h"
#include "TinyHttpServer.h"

#include "services/BrandSources.h"
#include "ui/BrandLogos.h"
#include "ui/BrandPicker.h"
#include "ui/DirectoriesDialog.h"

#include <QBuffer>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ondevice;
using namespace ondevice::testing;

namespace {

QString pngDataUrl()
{
    QImage image(32, 32, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "png");
    return QString::fromLatin1("data:image/png;base64," + bytes.toBase64());
}

} // namespace

class tst_BrandPicker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void endpointsPortalsAndLogos()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        const QByteArray body = twoPortalsAndNoEndpointDirectory(
            QUrl("https://a.ehr.example/harbor/R4"), QUrl("https://b.ehr.example/harbor/R4"), pngDataUrl());
        server.setHandler([&body](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 200, "application/fhir+json", body, {} };
        });
        QTemporaryDir dir;
        QNetworkAccessManager network;
        services::BrandSources sources(network, dir.path());
        ui::BrandLogos logos(network, dir.path() + "/logos");
        ui::BrandPicker picker(sources, logos, {}, nullptr);
        picker.show();
        // No directory: says how to get one; no demo directory outside --sandbox.
        QVERIFY(!picker.findChild<QPushButton*>("useDemoDirectoryButton")->isVisible());
        QVERIFY(picker.findChild<QLabel*>("brandStatus")->text().contains("Add a provider directory"));

        QVERIFY(sources.add(server.url("/brands.json")));
        picker.reload();
        QTRY_VERIFY_WITH_TIMEOUT(picker.isReady() && picker.cardCount() == 2, 10000);
        QCOMPARE(server.requests().size(), 1);

        QSignalSpy picked(&picker, &ui::BrandPicker::picked);
        QSignalSpy unpicked(&picker, &ui::BrandPicker::unpicked);
        QTest::keyClicks(picker.searchField(), "harb");
        QTRY_COMPARE(picker.cardCount(), 1);
        const QModelIndex harbor = picker.cardList()->model()->index(0, 0);
        QCOMPARE(harbor.data().toString(), QStringLiteral("Harbor Medical"));
        QVERIFY(harbor.data(ui::BrandPicker::CanConnectRole).toBool());
        QTRY_COMPARE(
            picker.cardList()->model()->index(0, 0).data(Qt::DecorationRole).value<QImage>().size(), QSize(32, 32));
        picker.cardList()->setCurrentIndex(harbor);
        QCOMPARE(picked.size(), 1);
        auto* endpoints = picker.findChild<QComboBox*>("brandEndpoint");
        QVERIFY(endpoints->isVisible());
        QCOMPARE(endpoints->count(), 2);
        QVERIFY(endpoints->itemText(1).startsWith(QStringLiteral("Harbor Kids")));
        QCOMPARE(picker.currentFhirBase(), QUrl("https://a.ehr.example/harbor/R4"));
        endpoints->setCurrentIndex(1);
        QCOMPARE(picked.size(), 2);
        QCOMPARE(picker.currentFhirBase(), QUrl("https://b.ehr.example/harbor/R4"));

        // A brand with no endpoint: greyed, its portal shown, nothing to connect to.
        picker.searchField()->clear();
        QTest::keyClicks(picker.searchField(), "bangor");
        // (The card count was 1 before this search too: wait for the card itself.)
        QTRY_COMPARE(
            picker.cardList()->model()->index(0, 0).data().toString(), QStringLiteral("Old Mill Family Practice"));
        QCOMPARE(picker.cardCount(), 1);
        const QModelIndex mill = picker.cardList()->model()->index(0, 0);
        QVERIFY(!mill.data(ui::BrandPicker::CanConnectRole).toBool());
        QVERIFY(mill.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("not available in this app")));
        picker.cardList()->setCurrentIndex(mill);
        QVERIFY(unpicked.size() >= 1);
        QVERIFY(!picker.currentFhirBase().isValid());
        QVERIFY(!endpoints->isVisible());
        auto* note = picker.findChild<QLabel*>("brandPortalNote");
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("https://portal.oldmill.example/")));

        // Nothing matches: said so.
        picker.searchField()->clear();
        QTest::keyClicks(picker.searchField(), "zzz");
        QTRY_COMPARE(picker.cardCount(), 0);
        QVERIFY(picker.findChild<QLabel*>("brandStatus")->text().contains(QStringLiteral("No provider matches")));
    }

    // The directories dialog: an address that is not https is refused with the reason; Enter adds one, once,
    // and it is fetched; Remove takes it away.
    void directoriesDialog()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        const QByteArray body = twoPortalsAndNoEndpointDirectory(
            QUrl("https://a.ehr.example/harbor/R4"), QUrl("https://b.ehr.example/harbor/R4"), QString());
        server.setHandler([&body](const TinyHttpServer::Request&) {
            return TinyHttpServer::Response { 200, "application/fhir+json", body, {} };
        });
        QTemporaryDir dir;
        QNetworkAccessManager network;
        services::BrandSources sources(network, dir.path());
        ui::DirectoriesDialog dialog(sources);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* address = dialog.findChild<QLineEdit*>("directoryAddress");
        auto* message = dialog.findChild<QLabel*>("directoryMessage");
        auto* list = dialog.findChild<QListWidget*>("directoryList");
        address->setFocus();
        QTest::keyClicks(address, "http://directory.example/brands.json");
        QTest::keyClick(address, Qt::Key_Return);
        QVERIFY(message->text().contains("https"));
        QCOMPARE(sources.sources().size(), 0);
        address->clear();
        QTest::keyClicks(address, server.url("/brands.json").toString());
        QTest::keyClick(address, Qt::Key_Return);
        QTRY_VERIFY(list->count() == 1 && list->item(0)->text().contains("2 providers"));
        QCOMPARE(sources.sources().size(), 1);
        QVERIFY2(!message->text().contains("https"), qPrintable(message->text()));
        list->setCurrentRow(0);
        dialog.findChild<QPushButton*>("removeDirectoryButton")->click();
        QCOMPARE(list->count(), 0);
        QCOMPARE(sources.sources().size(), 0);
    }
};

QTEST_MAIN(tst_BrandPicker)
#include "tst_BrandPicker.moc"
