// bench_sandbox: starts ondevice-sandbox and measures, over plain HTTP,
//  - the time to serve a 100-entry Observation page (a new search each time,
//    and a `next` page of an existing search): median and p95 over many requests;
//  - 8 concurrent keep-alive clients for a few seconds: requests/s and errors;
//  - how long the generator takes for N resources of one patient.
// It prints one JSON object. It asserts nothing: machines here are shared.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTextStream>
#include <QUrlQuery>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace {

struct Sandbox {
    QProcess process;
    QJsonObject line;
    qint64 startMs = 0;

    bool start(const QString& program, const QStringList& arguments)
    {
        QElapsedTimer timer;
        timer.start();
        process.start(program, QStringList { QStringLiteral("--port"), QStringLiteral("0") } + arguments);
        if (!process.waitForStarted(10000))
            return false;
        while (!process.canReadLine()) {
            if (process.state() != QProcess::Running || timer.elapsed() > 120000)
                return false;
            process.waitForReadyRead(50);
        }
        startMs = timer.elapsed();
        line = QJsonDocument::fromJson(process.readLine()).object();
        return !line.isEmpty();
    }
    ~Sandbox()
    {
        process.terminate();
        process.waitForFinished(3000);
    }
};

QNetworkReply* wait(QNetworkReply* reply)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    return reply;
}

QString base64Url(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// Authorize (the sandbox runs with --auto-approve) and exchange the code: {access_token, patient}.
QJsonObject login(QNetworkAccessManager& network, const QString& fhirBase)
{
    QByteArray random(32, Qt::Uninitialized);
    for (char& c : random)
        c = static_cast<char>(QRandomGenerator::system()->bounded(256));
    const QString verifier = base64Url(random);
    const QString redirect = QStringLiteral("http://127.0.0.1:49152/callback");
    QUrl origin(fhirBase);
    origin.setPath(QString());
    QUrl authorize(origin.toString() + QStringLiteral("/auth/authorize"));
    QUrlQuery query;
    query.setQueryItems({ { QStringLiteral("response_type"), QStringLiteral("code") },
        { QStringLiteral("client_id"), QStringLiteral("ondevice-demo") }, { QStringLiteral("redirect_uri"), redirect },
        { QStringLiteral("scope"), QStringLiteral("launch/patient patient/*.rs") },
        { QStringLiteral("state"), QStringLiteral("bench") }, { QStringLiteral("aud"), fhirBase },
        { QStringLiteral("code_challenge"),
            base64Url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)) },
        { QStringLiteral("code_challenge_method"), QStringLiteral("S256") } });
    authorize.setQuery(query);
    QNetworkRequest request(authorize);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = wait(network.get(request));
    const QString code = QUrlQuery(QUrl(QString::fromUtf8(reply->rawHeader("Location"))))
                             .queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    reply->deleteLater();
    QNetworkRequest tokenRequest(QUrl(origin.toString() + QStringLiteral("/auth/token")));
    tokenRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    QUrlQuery form;
    form.setQueryItems({ { QStringLiteral("grant_type"), QStringLiteral("authorization_code") },
        { QStringLiteral("code"), code }, { QStringLiteral("redirect_uri"), redirect },
        { QStringLiteral("client_id"), QStringLiteral("ondevice-demo") },
        { QStringLiteral("code_verifier"), verifier } });
    reply = wait(network.post(tokenRequest, form.toString(QUrl::FullyEncoded).toUtf8()));
    const QJsonObject token = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return token;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(static_cast<size_t>(p * static_cast<double>(values.size() - 1)));
}

// One keep-alive client on its own thread: GETs until the deadline; counts answers and errors.
void client(
    QString host, quint16 port, QByteArray request, qint64 deadlineMs, std::atomic<int>* done, std::atomic<int>* errors)
{
    QTcpSocket socket;
    QElapsedTimer timer;
    timer.start();
    auto connectSocket = [&] {
        socket.abort();
        socket.connectToHost(host, port);
        socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return socket.waitForConnected(5000);
    };
    if (!connectSocket()) {
        ++*errors;
        return;
    }
    while (timer.elapsed() < deadlineMs) {
        socket.write(request);
        QByteArray buffer;
        qsizetype headEnd = -1;
        qint64 length = -1;
        bool ok = false;
        while (timer.elapsed() < deadlineMs + 10000) {
            if (!socket.waitForReadyRead(5000))
                break;
            buffer += socket.readAll();
            if (headEnd < 0 && (headEnd = buffer.indexOf("\r\n\r\n")) >= 0) {
                const QRegularExpressionMatch match
                    = QRegularExpression(QStringLiteral("(?i)content-length:\\s*(\\d+)"))
                          .match(QString::fromLatin1(buffer.first(headEnd)));
                length = match.hasMatch() ? match.captured(1).toLongLong() : 0;
            }
            if (headEnd >= 0 && buffer.size() >= headEnd + 4 + length) {
                ok = buffer.startsWith("HTTP/1.1 200");
                break;
            }
        }
        if (ok) {
            ++*done;
        } else if (timer.elapsed() >= deadlineMs) {
            break; // the run ended while this request was in flight: not an error of the server
        } else {
            if (errors->load() == 0)
                QTextStream(stderr) << "bench_sandbox: first error: " << buffer.left(200) << Qt::endl;
            ++*errors;
            if (!connectSocket())
                return;
        }
    }
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption sandboxOption(QStringLiteral("sandbox"), QStringLiteral("ondevice-sandbox executable."),
        QStringLiteral("PATH"), QStringLiteral(ONDEVICE_SANDBOX_EXE));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("Duration of the concurrency run."), QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption requestsOption(QStringLiteral("requests"),
        QStringLiteral("Requests for each page median."), QStringLiteral("N"), QStringLiteral("200"));
    const QCommandLineOption generatorOption(QStringLiteral("generator-resources"),
        QStringLiteral("Resources for the generator timing (0: skip)."), QStringLiteral("N"), QStringLiteral("100000"));
    parser.addOptions({ sandboxOption, secondsOption, requestsOption, generatorOption });
    parser.addHelpOption();
    parser.process(app);
    const QString program = parser.value(sandboxOption);
    const int seconds = std::max(1, parser.value(secondsOption).toInt());
    const int requests = std::max(10, parser.value(requestsOption).toInt());
    const int generatorResources = parser.value(generatorOption).toInt();
    QTextStream err(stderr);

    Sandbox sandbox;
    if (!sandbox.start(program,
            { QStringLiteral("--auto-approve"), QStringLiteral("first"), QStringLiteral("--patients"),
                QStringLiteral("1"), QStringLiteral("--resources-per-patient"), QStringLiteral("5000"),
                QStringLiteral("--seed"), QStringLiteral("1") })) {
        err << "bench_sandbox: cannot start " << program << Qt::endl;
        return 1;
    }
    const QString fhirBase = sandbox.line.value(QStringLiteral("fhir_base")).toString();
    QNetworkAccessManager network;
    const QJsonObject token = login(network, fhirBase);
    const QByteArray bearer = "Bearer " + token.value(QStringLiteral("access_token")).toString().toLatin1();
    const QString patient = token.value(QStringLiteral("patient")).toString();
    if (bearer.size() < 20) {
        err << "bench_sandbox: login failed" << Qt::endl;
        return 1;
    }

    // 1. A 100-entry Observation page: a new search each time, then `next` pages.
    const QUrl searchUrl(fhirBase + QStringLiteral("/Observation?_count=100&patient=") + patient);
    std::vector<double> searchMs;
    std::vector<double> nextMs;
    QString nextUrl;
    int pageErrors = 0;
    for (int i = 0; i < requests; ++i) {
        QNetworkRequest request(searchUrl);
        request.setRawHeader("Authorization", bearer);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply* reply = wait(network.get(request));
        const QByteArray body = reply->readAll();
        searchMs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        const QJsonObject bundle = QJsonDocument::fromJson(body).object();
        if (reply->error() != QNetworkReply::NoError || bundle.value(QStringLiteral("entry")).toArray().size() != 100)
            ++pageErrors;
        for (const QJsonValue& link : bundle.value(QStringLiteral("link")).toArray()) {
            if (link.toObject().value(QStringLiteral("relation")).toString() == QLatin1String("next"))
                nextUrl = link.toObject().value(QStringLiteral("url")).toString();
        }
        reply->deleteLater();
    }
    for (int i = 0; i < requests && !nextUrl.isEmpty(); ++i) {
        QNetworkRequest request { QUrl(nextUrl) };
        request.setRawHeader("Authorization", bearer);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply* reply = wait(network.get(request));
        reply->readAll();
        nextMs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        if (reply->error() != QNetworkReply::NoError)
            ++pageErrors;
        reply->deleteLater();
    }

    // 2. Eight concurrent keep-alive clients, each on its own thread and socket.
    const QUrl url(fhirBase);
    const QByteArray raw = "GET " + searchUrl.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority)
        + " HTTP/1.1\r\nHost: " + url.host().toLatin1() + ':' + QByteArray::number(url.port())
        + "\r\nAuthorization: " + bearer + "\r\nAccept: application/fhir+json\r\n\r\n";
    std::atomic<int> done { 0 };
    std::atomic<int> errors { 0 };
    QElapsedTimer wall;
    wall.start();
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back(
            client, url.host(), static_cast<quint16>(url.port()), raw, seconds * 1000LL, &done, &errors);
    for (std::thread& thread : threads)
        thread.join();
    const double elapsed = static_cast<double>(wall.elapsed()) / 1000.0;

    // 3. The generator: time to the first line for N resources of one patient.
    QJsonObject generator;
    if (generatorResources > 0) {
        Sandbox big;
        if (big.start(program,
                { QStringLiteral("--patients"), QStringLiteral("1"), QStringLiteral("--resources-per-patient"),
                    QString::number(generatorResources) })) {
            const QRegularExpressionMatch match
                = QRegularExpression(QStringLiteral("generated (\\d+) resources in (\\d+) ms"))
                      .match(QString::fromUtf8(big.process.readAllStandardError()));
            generator = QJsonObject { { QStringLiteral("resources"), match.captured(1).toInt() },
                { QStringLiteral("generate_ms"), match.captured(2).toInt() },
                { QStringLiteral("start_to_first_line_ms"), big.startMs } };
        }
    }

    const QJsonObject result {
        { QStringLiteral("observation_page_100"),
            QJsonObject { { QStringLiteral("requests"), static_cast<int>(searchMs.size()) },
                { QStringLiteral("new_search_median_ms"), percentile(searchMs, 0.5) },
                { QStringLiteral("new_search_p95_ms"), percentile(searchMs, 0.95) },
                { QStringLiteral("next_page_median_ms"), percentile(nextMs, 0.5) },
                { QStringLiteral("next_page_p95_ms"), percentile(nextMs, 0.95) },
                { QStringLiteral("errors"), pageErrors } } },
        { QStringLiteral("concurrency"),
            QJsonObject { { QStringLiteral("clients"), 8 }, { QStringLiteral("seconds"), elapsed },
                { QStringLiteral("requests"), done.load() },
                { QStringLiteral("requests_per_second"), static_cast<double>(done.load()) / elapsed },
                { QStringLiteral("errors"), errors.load() },
                { QStringLiteral("request"), QStringLiteral("Observation search, _count=100") } } },
        { QStringLiteral("generator"), generator },
    };
    QTextStream(stdout) << QJsonDocument(result).toJson(QJsonDocument::Indented);
    return pageErrors == 0 && errors.load() == 0 ? 0 : 3;
}
