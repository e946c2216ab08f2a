// A brand's logo as a directory or its server sends it (PNG, JPEG, SVG or anything else), and the same bytes as
// a data: URL. What BrandLogos promises: nothing larger than the tile comes back, whatever the image declares.

#include "FuzzInput.h"

#include "ui/BrandLogos.h"

#include <QGuiApplication>

using namespace ondevice;
using namespace ondevice::ui;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // SVG text needs fonts, and fonts need a GUI application (offscreen: no display). Never destroyed: Qt's font
    // caches stay reachable from it until the process ends, as in the app.
    static QGuiApplication* const app = [] {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "fuzz_brand_logo";
        static char* argv[] = { name, nullptr };
        return new QGuiApplication(argc, argv);
    }();
    Q_UNUSED(app)
    const QByteArray input = fuzz::bytes(data, size);
    constexpr int side = 48;
    const QImage image = BrandLogos::decode(input, side);
    fuzz::require(image.isNull() || (image.width() <= side && image.height() <= side), "drawn within the tile");
    const QByteArray fromBase64
        = BrandLogos::dataUrlBytes(QString::fromLatin1("data:image/png;base64," + input.toBase64()));
    fuzz::require(fromBase64 == input || input.size() > BrandLogos::kMaxBytes, "a base64 data: URL gives its bytes");
    (void)BrandLogos::dataUrlBytes(QString::fromUtf8(input));
    return 0;
}
