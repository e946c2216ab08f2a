#include "FhirClient.h"
#include "RawJson.h"

#include "core/Continuations.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>
#include <QRandomGenerator>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <cmath>
#include <limits>

#include "SimdJson.h"

namespace ondevice::fhir {

namespace {

// What came back, fully read, before any parsing.
struct Raw {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QDateTime date;
    QByteArray retryAfter;
    bool tooLarge = false;
};

// "Application/FHIR+JSON; charset=utf-8" -> "application/fhir+json".
QByteArray mediaType(const QByteArray& contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

// Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
int retryAfterMs(const QByteArray& header, int capMs)
{
    if (header.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = header.trimmed().toLongLong(&ok);
    if (ok && seconds >= 0)
        return static_cast<int>(std::min<qint64>(seconds * 1000, capMs));
    const QDateTime at = parseHttpDate(header);
    if (at.isValid())
        return static_cast<int>(std::clamp<qint64>(QDateTime::currentDateTimeUtc().msecsTo(at), 0, capMs));
    return -1;
}

} // namespace

// An HTTP-date (RFC 9110 §5.6.7), IMF-fixdate form: "Sun, 06 Nov 1994 08:49:37 GMT".
QDateTime parseHttpDate(const QByteArray& value)
{
    QDateTime at = QLocale::c().toDateTime(
        QString::fromLatin1(value.trimmed()), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!at.isValid())
        at = QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    if (at.isValid())
        at.setTimeSpec(Qt::UTC);
    return at;
}

namespace {

// The caller's future, fulfilled once: by the parsed answer (on a worker
// thread) or by a failure or a cancellation (on the client's thread), whichever
// comes first. The answer can reach the caller before the job is marked done
// here, and a caller that cancels everything from that very continuation must
// not fulfil it a second time (Qt 6.4 runs the continuation again, and crashes).
template <class T> class Answer {
public:
    Answer() { m_promise.start(); }
    QFuture<T> future() { return m_promise.future(); }
    void deliver(T value)
    {
        if (m_delivered.exchange(true))
            return;
        m_promise.addResult(std::move(value));
        m_promise.finish();
    }

private:
    QPromise<T> m_promise;
    std::atomic_bool m_delivered { false };
};

} // namespace

struct FhirClient::Job {
    QUrl url;
    int attempts = 0;
    bool retriedAfter401 = false;
    bool retriedForNonce = false; // a 401 asked for a DPoP nonce: sent again once with it
    bool finished = false;
    // Turns a 200 body into the caller's result and delivers it; or, when the
    // body cannot be used, returns why without delivering (runs on a worker thread).
    std::function<std::optional<FhirFailure>(const Raw&)> succeed;
    std::function<void(const FhirFailure&)> fail;
};

FhirClient::FhirClient(QNetworkAccessManager& network, auth::AccessTokenProvider& tokens, const QUrl& fhirBase,
    FhirClientOptions options, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_tokens(tokens)
    , m_origin(fhirBase.adjusted(QUrl::StripTrailingSlash))
    , m_options(options)
{
}

FhirClient::~FhirClient()
{
    cancelAll();
}

QUrl FhirClient::url(const QString& relative) const
{
    return QUrl(m_origin.fhirBase().toString() + QLatin1Char('/') + relative);
}

bool FhirClient::withinDepth(const QByteArray& json, int maxDepth)
{
    // A cheap scan before the real parser: a hostile server's 100,000 nested
    // arrays are refused without building them.
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[') {
            if (++depth > maxDepth)
                return false;
        } else if (c == '}' || c == ']')
            --depth;
    }
    return true;
}

FhirFailure FhirClient::outcomeFailure(int status, const QByteArray& body)
{
    // An OperationOutcome's words, when the server sent one; plain text only.
    QString said;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.value(QLatin1String("resourceType")).toString() == QLatin1String("OperationOutcome")) {
        const QJsonObject issue = o.value(QLatin1String("issue")).toArray().first().toObject();
        said = issue.value(QLatin1String("details")).toObject().value(QLatin1String("text")).toString();
        if (said.isEmpty())
            said = issue.value(QLatin1String("diagnostics")).toString();
        said.truncate(200);
    }
    const QString detail = QStringLiteral("HTTP %1").arg(status);
    if (status == 403)
        return { FhirError::Forbidden, tr("This kind of record was not shared with OnDevice Health."), detail };
    if (status == 404 || status == 410)
        return { FhirError::NotFound, tr("The provider no longer has this record."), detail };
    if (status == 401)
        return { FhirError::Unauthorized, tr("The provider did not accept this app's access."), detail };
    if (status >= 500 || status == 429)
        return { FhirError::Server,
            said.isEmpty() ? tr("The provider's server had a problem. Try again in a few minutes.")
                           : tr("The provider's server had a problem: %1").arg(said),
            detail };
    return { FhirError::Refused,
        said.isEmpty() ? tr("The provider refused a request.") : tr("The provider refused a request: %1").arg(said),
        detail };
}

namespace {

// A count (unsignedInt): anything else, or a number out of qint64's range (found by the bundle fuzzer: a cast of
// 1e300 is undefined), is none.
std::optional<qint64> countOf(const SimdJson& value)
{
    if (!value.valid())
        return std::nullopt;
    const simdjson::dom::element number = value.element();
    int64_t integer = 0;
    uint64_t unsignedInteger = 0;
    double real = 0;
    if (number.get_int64().get(integer) == simdjson::SUCCESS)
        return integer >= 0 ? std::optional<qint64>(integer) : std::nullopt;
    if (number.get_uint64().get(unsignedInteger) == simdjson::SUCCESS)
        return unsignedInteger <= uint64_t(std::numeric_limits<qint64>::max())
            ? std::optional<qint64>(qint64(unsignedInteger))
            : std::nullopt;
    if (number.get_double().get(real) == simdjson::SUCCESS && real >= 0 && real < 9.2e18 && real == std::floor(real))
        return qint64(real);
    return std::nullopt;
}

} // namespace

FhirResult<BundlePage> FhirClient::parseBundle(const QByteArray& body, const OriginPolicy& origin, int maxDepth)
{
    const auto malformed = [](const QString& detail) {
        return FhirFailure { FhirError::Malformed, tr("The provider sent records OnDevice Health cannot read."),
            detail };
    };
    // One parser per worker thread, reused page after page (it keeps its buffers); it refuses what is nested
    // deeper than maxDepth without building it.
    thread_local simdjson::dom::parser parser;
    if (parser.max_depth() != size_t(maxDepth) && parser.allocate(size_t(body.size()), size_t(maxDepth)))
        return FhirFailure { FhirError::Unreadable, tr("The provider's answer was cut off or garbled."),
            QStringLiteral("no memory to parse %1 bytes").arg(body.size()) };
    simdjson::dom::element parsed;
    if (const auto error = parser.parse(body.constData(), size_t(body.size())).get(parsed)) {
        if (error == simdjson::DEPTH_ERROR || !withinDepth(body, maxDepth))
            return malformed(QStringLiteral("JSON nested deeper than %1").arg(maxDepth));
        return FhirFailure { FhirError::Unreadable, tr("The provider's answer was cut off or garbled."),
            QStringLiteral("not JSON: %1").arg(QLatin1String(simdjson::error_message(error))) };
    }
    const SimdJson bundle(parsed);
    if (!bundle.isObject())
        return malformed(QStringLiteral("not a JSON object"));
    if (bundle["resourceType"].string() != QLatin1String("Bundle"))
        return malformed(QStringLiteral("not a Bundle"));

    BundlePage page;
    page.bytes = body.size();
    page.total = countOf(bundle["total"]);
    // Each record is kept as the bytes the server sent; only when the text cannot be sliced with certainty is
    // it serialised from the parsed object instead.
    const SimdJson entries = bundle["entry"];
    std::optional<QList<QByteArrayView>> raw = bundleEntryResources(body);
    if (raw && raw->size() != entries.size())
        raw.reset();
    page.resources.reserve(entries.size());
    page.indexes.reserve(entries.size());
    qsizetype i = -1;
    std::optional<FhirFailure> failure;
    entries.forEach([&](const SimdJson& entry) {
        ++i;
        if (failure)
            return;
        // searchset entries with mode "outcome" are messages, not records (Epic sends them with results).
        if (entry["search"]["mode"].string() == QLatin1String("outcome")) {
            const SimdJson issue = entry["resource"]["issue"].first();
            QString said = issue["details"]["text"].string();
            if (said.isEmpty())
                said = issue["diagnostics"].string();
            page.warnings << (said.isEmpty() ? QStringLiteral("an OperationOutcome without text") : said.left(200));
            return;
        }
        const SimdJson resource = entry["resource"];
        if (resource.isEmptyObject())
            return;
        if (resource["resourceType"].string().isEmpty() || resource["id"].string().isEmpty()) {
            failure = malformed(QStringLiteral("an entry without resourceType or id"));
            return;
        }
        // Indexed here, on the worker thread, so the store does not parse it again.
        auto index = ResourceIndex::fromElement(resource.element());
        if (!index) {
            failure = malformed(QStringLiteral("an entry the store cannot index: %1").arg(index.failure().detail));
            return;
        }
        page.indexes << std::move(index).value();
        if (page.indexes.constLast().type == QLatin1String("MedicationRequest")) {
            const QString reference = resource["medicationReference"]["reference"].string();
            if (reference.startsWith(QLatin1String("Medication/")) && !page.medicationReferences.contains(reference))
                page.medicationReferences << reference;
        }
        const QByteArrayView text = raw ? raw->at(i) : QByteArrayView();
        page.resources << (text.startsWith('{') ? text.toByteArray()
                                                : QByteArray::fromStdString(simdjson::minify(resource.element())));
    });
    if (failure)
        return *failure;
    bundle["link"].forEach([&](const SimdJson& link) {
        if (failure || link["relation"].string() != QLatin1String("next"))
            return;
        page.next = origin.resolveNextLink(link["url"].string());
        if (!page.next)
            // Never follow, and never treat the search as complete either.
            failure = FhirFailure { FhirError::OffOrigin,
                tr("The provider pointed OnDevice Health to another server for the rest of your records; it was not "
                   "followed."),
                QStringLiteral("next link off the FHIR base's origin") };
    });
    if (failure)
        return *failure;
    return page;
}

QFuture<FhirResult<BundlePage>> FhirClient::search(const QUrl& target)
{
    auto answer = std::make_shared<Answer<FhirResult<BundlePage>>>();
    auto job = std::make_shared<Job>();
    job->url = target;
    const OriginPolicy origin = m_origin;
    const int depth = m_options.maxJsonDepth;
    job->fail = [answer](const FhirFailure& failure) { answer->deliver(failure); };
    job->succeed = [answer, origin, depth](const Raw& raw) -> std::optional<FhirFailure> {
        FhirResult<BundlePage> parsed = parseBundle(raw.body, origin, depth);
        if (!parsed)
            return parsed.failure();
        BundlePage page = std::move(parsed).value();
        page.serverDate = raw.date;
        answer->deliver(std::move(page));
        return std::nullopt;
    };
    enqueue(job);
    return answer->future();
}

QFuture<FhirResult<QByteArray>> FhirClient::read(const QUrl& target)
{
    auto answer = std::make_shared<Answer<FhirResult<QByteArray>>>();
    auto job = std::make_shared<Job>();
    job->url = target;
    const int depth = m_options.maxJsonDepth;
    job->fail = [answer](const FhirFailure& failure) { answer->deliver(failure); };
    job->succeed = [answer, depth](const Raw& raw) -> std::optional<FhirFailure> {
        if (!withinDepth(raw.body, depth))
            return FhirFailure { FhirError::Malformed, tr("The provider sent a record OnDevice Health cannot read."),
                QStringLiteral("read: JSON too deep") };
        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(raw.body, &error);
        if (error.error != QJsonParseError::NoError)
            return FhirFailure { FhirError::Unreadable, tr("The provider's answer was cut off or garbled."),
                QStringLiteral("read: not JSON: %1").arg(error.errorString()) };
        // A resource (a CapabilityStatement may have no id; the store checks ids).
        const QJsonObject o = document.object();
        if (o.value(QLatin1String("resourceType")).toString().isEmpty())
            return FhirFailure { FhirError::Malformed, tr("The provider sent a record OnDevice Health cannot read."),
                QStringLiteral("read: not a resource") };
        answer->deliver(QJsonDocument(o).toJson(QJsonDocument::Compact));
        return std::nullopt;
    };
    enqueue(job);
    return answer->future();
}

void FhirClient::enqueue(std::shared_ptr<Job> job)
{
    if (!m_origin.allows(job->url)) {
        job->finished = true;
        job->fail({ FhirError::OffOrigin, tr("OnDevice Health only sends your access to the provider's own server."),
            QStringLiteral("request off the FHIR base's origin") });
        return;
    }
    m_queue.enqueue(job);
    pump();
}

void FhirClient::pump()
{
    while (m_inFlight < m_options.concurrency && !m_queue.isEmpty()) {
        auto job = m_queue.dequeue();
        ++m_inFlight;
        m_active << job;
        sendWithToken(job);
    }
}

void FhirClient::sendWithToken(std::shared_ptr<Job> job)
{
    m_tokens.accessToken(this, [this, job](const auth::AccessToken& token) {
        if (job->finished)
            return;
        if (!token) {
            const auto code = token.code();
            job->fail({ code == auth::AccessError::NeedsReconnect    ? FhirError::NeedsReconnect
                    : code == auth::AccessError::KeychainUnavailable ? FhirError::Keychain
                    : code == auth::AccessError::Offline             ? FhirError::Network
                                                                     : FhirError::Unauthorized,
                token.failure().message, token.failure().detail });
            finishJob(job);
            return;
        }
        send(job, token.value());
    });
}

void FhirClient::send(std::shared_ptr<Job> job, const QByteArray& token)
{
    const auto headers = m_tokens.requestHeaders(QByteArrayLiteral("GET"), job->url, token);
    if (!headers) {
        job->fail({ FhirError::Unauthorized, headers.failure().message, headers.failure().detail });
        finishJob(job);
        return;
    }
    QNetworkRequest request(job->url);
    request.setRawHeader("Accept", "application/fhir+json");
    for (const auto& [name, value] : headers.value())
        request.setRawHeader(name, value);
    // A bearer token never follows a redirect to another origin.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_options.timeoutMs);
    QNetworkReply* reply = m_network.get(request);
    m_replies << reply;
    readLimited(reply, m_options.maxResponseBytes, this, [this, job, token](QNetworkReply* finished, ReplyBody body) {
        handleReply(job, finished, std::move(body), token);
    });
}

void FhirClient::handleReply(std::shared_ptr<Job> job, QNetworkReply* reply, ReplyBody body, const QByteArray& token)
{
    reply->deleteLater();
    m_replies.removeAll(reply);
    if (job->finished)
        return;
    Raw raw;
    raw.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    raw.error = reply->error();
    raw.body = std::move(body.bytes);
    raw.tooLarge = body.tooLarge;
    raw.retryAfter = reply->rawHeader("Retry-After");
    if (reply->hasRawHeader("Date"))
        raw.date = parseHttpDate(reply->rawHeader("Date"));
    Q_EMIT requestFinished(job->url, raw.status, raw.body.size());

    const auto failWith = [&](const FhirFailure& failure) {
        job->fail(failure);
        finishJob(job);
    };
    if (raw.tooLarge)
        return failWith({ FhirError::TooLarge, tr("The provider sent far more data than a record page can hold."),
            QStringLiteral("response over %1 bytes").arg(m_options.maxResponseBytes) });
    if (raw.error == QNetworkReply::InsecureRedirectError || (raw.status >= 300 && raw.status < 400))
        return failWith({ FhirError::OffOrigin, tr("The provider redirected to another server; it was not followed."),
            QStringLiteral("redirect off the FHIR base's origin (HTTP %1)").arg(raw.status) });
    // A DPoP nonce may come with any answer; a 401 asking for one is sent again once with it.
    if (m_tokens.serverAnswered(
            job->url, raw.status, reply->rawHeader("DPoP-Nonce"), reply->rawHeader("WWW-Authenticate"))
        && raw.status == 401 && !job->retriedForNonce) {
        job->retriedForNonce = true;
        send(job, token);
        return;
    }
    if (raw.status == 401) {
        if (job->retriedAfter401)
            return failWith(outcomeFailure(401, raw.body));
        // The token expired early or was revoked: refresh once, retry once.
        job->retriedAfter401 = true;
        m_tokens.invalidate(token);
        sendWithToken(job);
        return;
    }
    const bool transient = raw.status == 0 || raw.status == 429 || raw.status >= 500;
    if (transient && raw.error != QNetworkReply::OperationCanceledError) {
        if (++job->attempts < m_options.maxAttempts) {
            int delay = raw.status == 429 ? retryAfterMs(raw.retryAfter, m_options.backoffCapMs) : -1;
            if (delay < 0) {
                // Exponential with full jitter.
                const int ceiling
                    = std::min(m_options.backoffCapMs, m_options.backoffBaseMs << std::min(job->attempts - 1, 10));
                delay = ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1);
            }
            qCInfo(lcFhir) << "transient" << (raw.status ? raw.status : -1) << "; retry" << job->attempts << "in"
                           << delay << "ms";
            retryLater(job, delay);
            return;
        }
        if (raw.status == 0)
            return failWith({ FhirError::Network,
                tr("Could not reach the provider. Check your internet connection, then try again."),
                QStringLiteral("network error %1 after %2 attempts").arg(int(raw.error)).arg(job->attempts) });
        return failWith(outcomeFailure(raw.status, raw.body));
    }
    if (raw.error == QNetworkReply::OperationCanceledError && raw.status == 0)
        return failWith({ FhirError::Cancelled, tr("Stopped."), QStringLiteral("cancelled") });
    if (raw.status != 200)
        return failWith(outcomeFailure(raw.status, raw.body));
    // Only JSON is read as records (application/fhir+json, application/json, the older application/json+fhir,
    // or no type at all): a 200 in HTML (a proxy's or a portal's page) or in XML is not taken apart, whatever
    // its body looks like.
    if (const QByteArray type = mediaType(reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
        !type.isEmpty() && !type.contains("json"))
        return retryOrFail(job,
            { FhirError::Unreadable, tr("The provider answered in a format OnDevice Health does not read."),
                QStringLiteral("content type %1").arg(QString::fromLatin1(type.left(100))) });

    // Parse off the GUI thread; answer on this one. A body that is not JSON
    // at all (cut off on the way, a proxy's HTML page) is retried like a 5xx.
    QtConcurrent::run([job, raw] { return job->succeed(raw); })
        .then(compat::continuationContext(),
            compat::ifAlive(this, [this, job](const std::optional<FhirFailure>& unusable) {
                if (!unusable) {
                    finishJob(job);
                    return;
                }
                retryOrFail(job, *unusable);
            }));
}

void FhirClient::retryOrFail(std::shared_ptr<Job> job, const FhirFailure& unusable)
{
    if (job->finished)
        return;
    // Cut off on the way, or a proxy's page instead of the server's: retried like a 5xx.
    if (unusable.code == FhirError::Unreadable && ++job->attempts < m_options.maxAttempts) {
        const int ceiling
            = std::min(m_options.backoffCapMs, m_options.backoffBaseMs << std::min(job->attempts - 1, 10));
        retryLater(job, ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1));
        return;
    }
    job->fail(unusable);
    finishJob(job);
}

void FhirClient::retryLater(std::shared_ptr<Job> job, int delayMs)
{
    // Give the slot back while waiting, so other requests go on; cancelAll() still reaches it.
    --m_inFlight;
    m_active.removeAll(job);
    m_retrying << job;
    QTimer::singleShot(delayMs, this, [this, job] {
        if (!m_retrying.removeAll(job) || job->finished)
            return;
        m_queue.prepend(job);
        pump();
    });
    pump();
}

void FhirClient::finishJob(std::shared_ptr<Job> job)
{
    if (!m_active.removeAll(job))
        return;
    job->finished = true;
    --m_inFlight;
    pump();
}

void FhirClient::cancelAll()
{
    const auto queued = std::exchange(m_queue, {}) + std::exchange(m_retrying, {});
    for (const auto& job : queued) {
        job->finished = true;
        job->fail({ FhirError::Cancelled, tr("Stopped."), QStringLiteral("cancelled") });
    }
    const auto active = std::exchange(m_active, {});
    m_inFlight = 0;
    for (const auto& job : active) {
        if (!job->finished) {
            job->finished = true;
            job->fail({ FhirError::Cancelled, tr("Stopped."), QStringLiteral("cancelled") });
        }
    }
    for (const auto& reply : std::exchange(m_replies, {}))
        if (reply)
            reply->abort();
}

} // namespace ondevice::fhir
