#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace ondevice::ui {

// Brand logos for the connect dialog's cards and the connection list. A `data:` URL is decoded here; an https URL
// (or http on this computer) is fetched once, when a card first needs it, and kept on disk beside the directory
// cache (logos are public). At most 1 MB; PNG and JPEG through QImageReader, SVG through QSvgRenderer, always on
// a worker thread and drawn into at most kSide x kSide pixels, so a logo's declared size costs nothing; a decode
// that takes longer than kDecodeMs is given up.
class BrandLogos : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 kMaxBytes = 1 << 20;
    static constexpr int kSide = 128;
    static constexpr int kDecodeMs = 2000;

    BrandLogos(QNetworkAccessManager& network, QString cacheDirectory, QObject* parent = nullptr);

    // The decoded logo, or a null image while it loads (ready() follows) or when it cannot be shown (not tried
    // again in this run).
    QImage logo(const QUrl& url);
    bool failed(const QUrl& url) const { return m_failed.contains(url.toString()); }

    // One logo's bytes into at most side x side pixels, aspect kept: PNG, JPEG or SVG. Null for anything else,
    // for more than kMaxBytes, or for an image whose pixels could not be allocated within reason.
    static QImage decode(const QByteArray& bytes, int side = kSide);
    // The bytes of a data: URL (base64 or percent-encoded); empty when it is not one or is over kMaxBytes.
    static QByteArray dataUrlBytes(const QString& url);

Q_SIGNALS:
    void ready(const QUrl& url);

private:
    void decodeInBackground(const QString& key, const QByteArray& bytes);
    void fail(const QString& key);
    QString cachePath(const QString& key) const;

    QNetworkAccessManager& m_network;
    QString m_directory;
    QHash<QString, QImage> m_images;
    QSet<QString> m_pending;
    QSet<QString> m_failed;
};

} // namespace ondevice::ui
