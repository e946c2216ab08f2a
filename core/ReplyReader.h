#pragma once

#include <QByteArray>
#include <QObject>

#include <functional>

class QNetworkReply;

namespace ondevice {

// A reply's body, read as it arrives up to a limit.
struct ReplyBody {
    QByteArray bytes; // empty when tooLarge: nothing past the limit is kept
    bool tooLarge = false; // the body passed the limit and the reply was aborted there
};

// Reads `reply` as it arrives and calls `finished` once, in `context`'s thread, when the reply has finished. A
// body that grows past `maxBytes` is not buffered further: the reply is aborted at once (a server cannot make
// the app hold more than the limit in memory) and the body comes back empty with tooLarge set. The reply is
// not deleted; the caller owns it. Every HTTP exchange of auth/ and fhir/ reads its reply through this.
void readLimited(QNetworkReply* reply, qint64 maxBytes, QObject* context,
    std::function<void(QNetworkReply* reply, ReplyBody body)> finished);

} // namespace ondevice
