#include "ReplyReader.h"

#include <QNetworkReply>

#include <memory>

namespace ondevice {

void readLimited(QNetworkReply* reply, qint64 maxBytes, QObject* context,
    std::function<void(QNetworkReply* reply, ReplyBody body)> finished)
{
    auto body = std::make_shared<ReplyBody>();
    const auto take = [reply, body, maxBytes] {
        if (body->tooLarge)
            return;
        body->bytes.append(reply->readAll());
        if (body->bytes.size() > maxBytes) {
            body->tooLarge = true;
            body->bytes.clear();
            if (reply->isRunning())
                reply->abort();
        }
    };
    QObject::connect(reply, &QNetworkReply::readyRead, context, take);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, body, take, finished = std::move(finished)] {
        take(); // what arrived with the end, under the same limit
        finished(reply, std::move(*body));
    });
}

} // namespace ondevice
