#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QFuture>
#include <QJsonObject>
#include <QString>
#include <QTest>
#include <QUrl>

#include <optional>

namespace ondevice::testing {

// Call first in every test's initTestCase(): QStandardPaths points into
// ~/.qttest (under the temporary HOME that `./dev test` sets up).
void enterTestMode();

// Points HOME and the XDG data, config and cache directories into `home` (ctest runs tests in parallel: each
// keeps its own), after checking that this runs inside the private keyring session `./dev test` provides.
// Returns why not, or an empty string.
QString usePrivateHome(const QString& home);

// A keychain service name no other test uses, so tests never see each other's items.
QString uniqueKeychainService(const QString& testName);

// A file's bytes, for scanning: empty when unreadable.
QByteArray readAll(const QString& path);

// Turns the event loop until the future finishes (or the time is up).
template <typename T> std::optional<T> await(QFuture<T> future, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!future.isFinished() && !deadline.hasExpired())
        QTest::qWait(5);
    if (!future.isFinished() || future.isCanceled() || future.resultCount() == 0)
        return std::nullopt;
    return future.result();
}

// A plain HTTP exchange for tests (admin API, FHIR reads): status and body.
struct HttpAnswer {
    int status = 0;
    QByteArray body;
    QJsonObject json() const;
};
HttpAnswer httpRequest(const QByteArray& verb, const QUrl& url, const QByteArray& body = {},
    const QList<std::pair<QByteArray, QByteArray>>& headers = {});

} // namespace ondevice::testing
