#include "BrandLogos.h"

#include "auth/Http.h"
#include "core/Continuations.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace ondevice::ui {

namespace {

constexpr int kMaxSourceSide = 8192; // a logo declaring more pixels than this is not decoded
constexpr int kAllocationLimitMb = 64;
constexpr qsizetype kMemoryLogos = 512;

bool looksLikeSvg(const QByteArray& bytes)
{
    const QByteArray head = bytes.left(4096).trimmed();
    return head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!")) && head.contains("<svg"));
}

QImage drawSvg(const QByteArray& bytes, int side)
{
    QSvgRenderer renderer(bytes);
    if (!renderer.isValid())
        return {};
    QSizeF natural = renderer.viewBoxF().size();
    if (natural.isEmpty())
        natural = QSizeF(renderer.defaultSize());
    if (natural.isEmpty())
        natural = QSizeF(side, side);
    // The declared size only sets the shape: what is drawn is at most side x side.
    const QSize target = natural.scaled(side, side, Qt::KeepAspectRatio).toSize().expandedTo(QSize(1, 1));
    QImage image(target, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    return image;
}

// Every PNG chunk's declared length fits in the bytes there are, up to IEND. libpng trusts a length it reads
// after a damaged chunk, and Qt 6.4's reader then allocates gigabytes for a 300-byte file (found by
// fuzz_brand_logo): such a file is refused before it gets there.
bool pngChunksFit(const QByteArray& bytes)
{
    static constexpr char kSignature[] = "\x89PNG\r\n\x1a\n";
    if (!bytes.startsWith(QByteArrayView(kSignature, 8)))
        return false;
    const auto byte = [&bytes](qsizetype i) { return static_cast<quint32>(static_cast<uchar>(bytes.at(i))); };
    qsizetype at = 8;
    while (at + 12 <= bytes.size()) {
        const quint32 length = (byte(at) << 24) | (byte(at + 1) << 16) | (byte(at + 2) << 8) | byte(at + 3);
        if (length > static_cast<quint32>(bytes.size() - at - 12))
            return false;
        const QByteArrayView type(bytes.constData() + at + 4, 4);
        at += 12 + static_cast<qsizetype>(length);
        if (type == "IEND")
            return true;
    }
    return false;
}

QImage readRaster(const QByteArray& bytes, int side)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    const QByteArray format = QImageReader::imageFormat(&buffer);
    if (format != "png" && format != "jpeg" && format != "jpg")
        return {};
    if (format == "png" && !pngChunksFit(bytes))
        return {};
    QImageReader reader(&buffer, format);
    reader.setAllocationLimit(kAllocationLimitMb);
    const QSize declared = reader.size();
    if (!declared.isValid() || declared.width() > kMaxSourceSide || declared.height() > kMaxSourceSide)
        return {};
    if (declared.width() > side || declared.height() > side)
        reader.setScaledSize(declared.scaled(side, side, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    return reader.read();
}

} // namespace

BrandLogos::BrandLogos(QNetworkAccessManager& network, QString cacheDirectory, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_directory(std::move(cacheDirectory))
{
}

QImage BrandLogos::decode(const QByteArray& bytes, int side)
{
    if (bytes.isEmpty() || bytes.size() > kMaxBytes)
        return {};
    return looksLikeSvg(bytes) ? drawSvg(bytes, side) : readRaster(bytes, side);
}

QByteArray BrandLogos::dataUrlBytes(const QString& url)
{
    if (!url.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
        return {};
    const qsizetype comma = url.indexOf(QLatin1Char(','));
    // Base64 is 4/3 of the bytes; percent-encoding up to 3 times: either way, longer than this is over the cap.
    if (comma < 0 || url.size() - comma > 3 * kMaxBytes)
        return {};
    const QStringView header = QStringView(url).mid(5, comma - 5);
    const QByteArray payload = QByteArray::fromPercentEncoding(QStringView(url).mid(comma + 1).toLatin1());
    QByteArray bytes;
    if (header.endsWith(QLatin1String(";base64"), Qt::CaseInsensitive)) {
        auto decoded = QByteArray::fromBase64Encoding(payload, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return {};
        bytes = std::move(*decoded);
    } else {
        bytes = payload;
    }
    return bytes.size() > kMaxBytes ? QByteArray() : bytes;
}

QString BrandLogos::cachePath(const QString& key) const
{
    const QByteArray hash = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex();
    return m_directory + QLatin1Char('/') + QString::fromLatin1(hash.left(24));
}

QImage BrandLogos::logo(const QUrl& url)
{
    const QString key = url.toString();
    if (const auto it = m_images.constFind(key); it != m_images.cend())
        return *it;
    if (key.isEmpty() || m_pending.contains(key) || m_failed.contains(key))
        return {};
    m_pending.insert(key);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("data")) {
        const QByteArray bytes = dataUrlBytes(key);
        if (bytes.isEmpty())
            fail(key);
        else
            decodeInBackground(key, bytes);
        return {};
    }
    const bool fetchable = !url.host().isEmpty()
        && (scheme == QLatin1String("https") || (scheme == QLatin1String("http") && auth::isLoopbackHost(url.host())));
    if (!fetchable) {
        fail(key);
        return {};
    }
    // Fetched once: a copy on disk is used from then on, offline too.
    if (QFile cached(cachePath(key)); cached.open(QIODevice::ReadOnly) && cached.size() <= kMaxBytes) {
        decodeInBackground(key, cached.readAll());
        return {};
    }
    auth::get(m_network, auth::authRequest(url, "image/png, image/jpeg, image/svg+xml"),
        auth::HttpOptions { 15000, kMaxBytes })
        .then(compat::continuationContext(), compat::ifAlive(this, [this, key](const auth::HttpResult& result) {
            if (result.status != 200 || result.body.isEmpty()) {
                fail(key);
                return;
            }
            QDir().mkpath(m_directory);
            QSaveFile file(cachePath(key));
            if (file.open(QIODevice::WriteOnly) && file.write(result.body) == result.body.size())
                file.commit();
            decodeInBackground(key, result.body);
        }));
    return {};
}

void BrandLogos::decodeInBackground(const QString& key, const QByteArray& bytes)
{
    // A logo that takes too long to draw is given up (the worker finishes on its own; its result is dropped).
    QTimer::singleShot(kDecodeMs, this, [this, key] {
        if (m_pending.contains(key))
            fail(key);
    });
    QtConcurrent::run([bytes] {
        return decode(bytes);
    }).then(compat::continuationContext(), compat::ifAlive(this, [this, key](const QImage& image) {
        if (!m_pending.remove(key))
            return;
        if (image.isNull()) {
            m_failed.insert(key);
            return;
        }
        if (m_images.size() >= kMemoryLogos) // each is at most 64 KiB; the disk copy stays
            m_images.clear();
        m_images.insert(key, image);
        Q_EMIT ready(QUrl(key));
    }));
}

void BrandLogos::fail(const QString& key)
{
    m_pending.remove(key);
    m_failed.insert(key);
}

} // namespace ondevice::ui
