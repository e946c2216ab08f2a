// Brand logos: what is decoded (PNG, JPEG, SVG), into how many pixels, and what is refused (other formats, more
// than 1 MB, absurd sizes, bad data: URLs, schemes that are not https or loopback http).

#include "ui/BrandLogos.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImage>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using ondevice::ui::BrandLogos;

namespace {

QByteArray encoded(const QImage& image, const char* format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

QImage filled(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(0x1f, 0x6f, 0xeb));
    return image;
}

} // namespace

class tst_BrandLogos : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rasterLogosAreScaledIntoTheTile_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("png") << QByteArray("png");
        QTest::newRow("jpeg") << QByteArray("jpeg");
    }
    void rasterLogosAreScaledIntoTheTile()
    {
        QFETCH(QByteArray, format);
        const QImage wide = BrandLogos::decode(encoded(filled(300, 150), format.constData()));
        QCOMPARE(wide.size(), QSize(128, 64));
        // Smaller than the tile: as it is.
        QCOMPARE(BrandLogos::decode(encoded(filled(40, 30), format.constData())).size(), QSize(40, 30));
    }

    void svgIsDrawnAtTileSizeWhateverItDeclares()
    {
        // A declared size of 100,000 x 50,000 pixels must not allocate them.
        const QByteArray huge = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"50000\" "
                                "viewBox=\"0 0 100000 50000\"><rect width=\"100000\" height=\"50000\" "
                                "fill=\"#2f855a\"/></svg>";
        QElapsedTimer timer;
        timer.start();
        const QImage image = BrandLogos::decode(huge);
        QCOMPARE(image.size(), QSize(128, 64));
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(image.pixelColor(64, 32), QColor(0x2f, 0x85, 0x5a));
        // No size at all: a square tile. With an XML declaration first: still SVG.
        const QByteArray bare = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><circle cx=\"5\" "
                                "cy=\"5\" r=\"4\"/></svg>";
        QCOMPARE(BrandLogos::decode(bare).size(), QSize(128, 128));
    }

    void whatIsNotShown()
    {
        QVERIFY(BrandLogos::decode({}).isNull());
        QVERIFY(BrandLogos::decode("not an image at all").isNull());
        QVERIFY(BrandLogos::decode(QByteArray(4096, '\0')).isNull());
        QVERIFY(BrandLogos::decode("<svg><unclosed").isNull());
        // Other formats than PNG, JPEG and SVG: not decoded.
        QVERIFY(BrandLogos::decode(encoded(filled(20, 20), "bmp")).isNull());
        // A valid PNG padded past 1 MB.
        QByteArray big = encoded(filled(20, 20), "png");
        big.append(QByteArray(BrandLogos::kMaxBytes, ' '));
        QVERIFY(BrandLogos::decode(big).isNull());
        // Few bytes, absurd pixels: refused before any allocation.
        QVERIFY(BrandLogos::decode(encoded(filled(9000, 2), "png")).isNull());
        // Truncated: no half image.
        const QByteArray png = encoded(filled(200, 200), "png");
        QVERIFY(BrandLogos::decode(png.left(png.size() / 3)).isNull());
    }

    // A PNG whose chunk declares more bytes than the file has is refused before Qt's reader sees it (which
    // would allocate gigabytes for it: fuzz/crashers/brand_logo/); text chunks and the like are fine.
    void pngChunksMustFit()
    {
        QImage image = filled(20, 10);
        image.setText(QStringLiteral("Comment"), QStringLiteral("a logo"));
        const QByteArray png = encoded(image, "png");
        QVERIFY(png.contains("tEXt"));
        QCOMPARE(BrandLogos::decode(png).size(), QSize(20, 10));
        QByteArray damaged = png;
        const qsizetype text = damaged.indexOf("tEXt");
        damaged[text - 4] = char(0x3c); // its length: about a gigabyte
        QVERIFY(BrandLogos::decode(damaged).isNull());
        QByteArray noEnd = png;
        noEnd.chop(12); // IEND
        QVERIFY(BrandLogos::decode(noEnd).isNull());
    }

    void dataUrls()
    {
        const QByteArray png = encoded(filled(10, 10), "png");
        QCOMPARE(BrandLogos::dataUrlBytes(QString::fromLatin1("data:image/png;base64," + png.toBase64())), png);
        QCOMPARE(BrandLogos::dataUrlBytes(QStringLiteral("data:image/svg+xml,%3Csvg%2F%3E")), QByteArray("<svg/>"));
        QVERIFY(BrandLogos::dataUrlBytes(QStringLiteral("data:image/png;base64,@@not base64@@")).isEmpty());
        QVERIFY(BrandLogos::dataUrlBytes(QStringLiteral("data:image/png;base64")).isEmpty()); // no comma
        QVERIFY(BrandLogos::dataUrlBytes(QStringLiteral("https://example.org/logo.png")).isEmpty());
        const QByteArray tooBig(BrandLogos::kMaxBytes + 1, 'x');
        QVERIFY(BrandLogos::dataUrlBytes(QString::fromLatin1("data:image/png;base64," + tooBig.toBase64())).isEmpty());
    }

    void loadsInTheBackgroundAndRefusesOtherSchemes()
    {
        QTemporaryDir cache;
        QNetworkAccessManager network;
        BrandLogos logos(network, cache.path());
        QSignalSpy ready(&logos, &BrandLogos::ready);
        const QUrl url(QString::fromLatin1("data:image/png;base64," + encoded(filled(64, 64), "png").toBase64()));
        QVERIFY(logos.logo(url).isNull()); // decoded on a worker: not yet
        QVERIFY(ready.wait(5000));
        QCOMPARE(ready.constFirst().constFirst().toUrl(), url);
        QCOMPARE(logos.logo(url).size(), QSize(64, 64));

        // Never fetched: plain http to another computer, other schemes, a bad data: URL.
        for (const char* refused : { "http://logos.example.org/a.png", "ftp://example.org/a.png", "file:///etc/passwd",
                 "data:image/png;base64,@@" }) {
            QVERIFY(logos.logo(QUrl(QString::fromLatin1(refused))).isNull());
            QVERIFY2(logos.failed(QUrl(QString::fromLatin1(refused))), refused);
        }
    }
};

QTEST_MAIN(tst_BrandLogos)
#include "tst_BrandLogos.moc"
