#pragma once

#include "FhirError.h"
#include "OriginPolicy.h"
#include "store/ResourceIndex.h"

#include "auth/AccessTokenProvider.h"
#include "core/ReplyReader.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace ondevice::fhir {

// One searchset page, already split into its resources (each the JSON text the server sent).
struct BundlePage {
    QList<QByteArray> resources; // entry.resource, each as the server sent its bytes
    QList<ResourceIndex> indexes; // what the store needs of each, made while parsing
    std::optional<QUrl> next; // only when on the FHIR base's origin
    std::optional<qint64> total;
    QDateTime serverDate; // the response's Date header
    QStringList warnings; // searchset entries with search.mode "outcome": messages, not records (plain text, short)
    // The Medications the page's MedicationRequests name ("Medication/<id>", each once), read while parsing: what a
    // sync fetches next.
    QStringList medicationReferences;
    qint64 bytes = 0;
};

// An HTTP-date (RFC 9110 §5.6.7) as UTC; invalid when it is not one.
QDateTime parseHttpDate(const QByteArray& value);
// A server's Date header further than this from the local clock is not believed: a sync does not take it as
// its next incremental bound, and `probe` names the server skewed-date-header.
inline constexpr qint64 kTrustedDateSkewSeconds = qint64 { 15 } * 60;

struct FhirClientOptions {
    int concurrency = 4;
    int timeoutMs = 60000;
    qint64 maxResponseBytes = 64LL * 1024 * 1024;
    int maxJsonDepth = 64;
    int maxAttempts = 5; // per request, for 5xx, 429 and network errors
    int backoffBaseMs = 500;
    int backoffCapMs = 30000;
};

// FHIR REST reads for one connection, on QNetworkAccessManager.
// - Accept: application/fhir+json; the bearer comes from the AccessTokenProvider
//   (the Session): on a 401 it is invalidated, refreshed once and the request
//   retried once.
// - Redirects only to the same origin (a bearer never follows to another
//   host), and Bundle `next` links only on the FHIR base's origin.
// - Retries with exponential back-off and jitter on 5xx and network errors,
//   honours 429 Retry-After; at most `concurrency` requests in flight.
// - A size limit per response and a JSON depth guard; parsing runs on a
//   worker thread, never the GUI thread.
class FhirClient : public QObject {
    Q_OBJECT

public:
    FhirClient(QNetworkAccessManager& network, auth::AccessTokenProvider& tokens, const QUrl& fhirBase,
        FhirClientOptions options = {}, QObject* parent = nullptr);
    ~FhirClient() override;

    QUrl fhirBase() const { return m_origin.fhirBase(); }
    // base + "/" + relative ("Observation?patient=1&_count=100").
    QUrl url(const QString& relative) const;

    QFuture<FhirResult<BundlePage>> search(const QUrl& url);
    QFuture<FhirResult<QByteArray>> read(const QUrl& url); // one resource, compact JSON

    // Stops everything queued and in flight; their futures finish as Cancelled.
    void cancelAll();

    int inFlight() const { return m_inFlight; }

    // Exposed for tests and fuzzing: the pure parsing steps.
    static FhirResult<BundlePage> parseBundle(const QByteArray& body, const OriginPolicy& origin, int maxDepth);
    static FhirFailure outcomeFailure(int status, const QByteArray& body);
    static bool withinDepth(const QByteArray& json, int maxDepth);

Q_SIGNALS:
    // For progress and benchmarks (the URL carries patient ids: never log it).
    void requestFinished(const QUrl& url, int status, qint64 bytes);

private:
    struct Job;
    void enqueue(std::shared_ptr<Job> job);
    void pump();
    void sendWithToken(std::shared_ptr<Job> job);
    void send(std::shared_ptr<Job> job, const QByteArray& token);
    void handleReply(std::shared_ptr<Job> job, QNetworkReply* reply, ReplyBody body, const QByteArray& token);
    void retryOrFail(std::shared_ptr<Job> job, const FhirFailure& unusable);
    void retryLater(std::shared_ptr<Job> job, int delayMs);
    void finishJob(std::shared_ptr<Job> job);

    QNetworkAccessManager& m_network;
    auth::AccessTokenProvider& m_tokens;
    OriginPolicy m_origin;
    FhirClientOptions m_options;
    QQueue<std::shared_ptr<Job>> m_queue;
    QList<QPointer<QNetworkReply>> m_replies;
    QList<std::shared_ptr<Job>> m_active;
    QList<std::shared_ptr<Job>> m_retrying; // waiting out a back-off
    int m_inFlight = 0;
};

} // namespace ondevice::fhir
