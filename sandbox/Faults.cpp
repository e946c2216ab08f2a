#include "Faults.h"

#include <QStringList>

#include <cmath>

namespace ondevice::sandbox {

namespace {

// Fault draws use their own stream, apart from the data generator's.
constexpr std::uint64_t kFaultStream = 0x9E3779B97F4A7C15ULL;

bool parseProbability(const QString& text, double& out)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < 0 || value > 1)
        return false;
    out = value;
    return true;
}

// "50ms", "2s" or a bare number of milliseconds, 0..60000 ms.
std::optional<int> parseMilliseconds(const QString& value)
{
    QString digits = value;
    int scale = 1;
    if (digits.endsWith(QLatin1String("ms"))) {
        digits.chop(2);
    } else if (digits.endsWith(QLatin1Char('s'))) {
        digits.chop(1);
        scale = 1000;
    }
    bool ok = false;
    const int amount = digits.toInt(&ok);
    if (!ok || amount < 0 || static_cast<qint64>(amount) * scale > 60000)
        return std::nullopt;
    return amount * scale;
}

// "20mbit", "512kbit", "1gbit" or a bare number of bits per second; at least 1 kbit/s.
std::optional<qint64> parseBitsPerSecond(const QString& value)
{
    const QString lower = value.toLower();
    QString digits = lower;
    qint64 scale = 1;
    for (const auto& [suffix, factor] : { std::pair { "gbit", 1000LL * 1000 * 1000 },
             std::pair { "mbit", 1000LL * 1000 }, std::pair { "kbit", 1000LL }, std::pair { "bit", 1LL } }) {
        if (lower.endsWith(QLatin1String(suffix))) {
            digits.chop(static_cast<qsizetype>(qstrlen(suffix)));
            scale = factor;
            break;
        }
    }
    bool ok = false;
    const double amount = digits.toDouble(&ok);
    if (!ok || amount <= 0 || amount * static_cast<double>(scale) < 1000 || amount * static_cast<double>(scale) > 1e12)
        return std::nullopt;
    return static_cast<qint64>(amount * static_cast<double>(scale));
}

QString bitRate(qint64 bits)
{
    if (bits % 1000000000 == 0)
        return QStringLiteral("%1gbit").arg(bits / 1000000000);
    if (bits % 1000000 == 0)
        return QStringLiteral("%1mbit").arg(bits / 1000000);
    if (bits % 1000 == 0)
        return QStringLiteral("%1kbit").arg(bits / 1000);
    return QStringLiteral("%1bit").arg(bits);
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

} // namespace

std::optional<FaultSpec> FaultSpec::parse(const QString& text, QString* error)
{
    auto fail = [error](const QString& why) -> std::optional<FaultSpec> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    FaultSpec spec;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed == QLatin1String("none"))
        return spec;
    QStringList seen;
    for (const QString& raw : trimmed.split(QLatin1Char(','))) {
        const QString item = raw.trimmed();
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(QStringLiteral("fault '%1' is not NAME=VALUE").arg(item));
        const QString name = item.left(eq).trimmed();
        const QString value = item.mid(eq + 1).trimmed();
        if (seen.contains(name))
            return fail(QStringLiteral("fault '%1' is given twice").arg(name));
        seen.append(name);
        double* probability = name == QLatin1String("drop") ? &spec.drop
            : name == QLatin1String("truncate")             ? &spec.truncate
            : name == QLatin1String("error500")             ? &spec.error500
            : name == QLatin1String("error503")             ? &spec.error503
            : name == QLatin1String("rate429")              ? &spec.rate429
            : name == QLatin1String("malformed")            ? &spec.malformed
            : name == QLatin1String("token-down")           ? &spec.tokenDown
            : name == QLatin1String("early-expiry")         ? &spec.earlyExpiry
                                                            : nullptr;
        if (probability) {
            if (!parseProbability(value, *probability))
                return fail(QStringLiteral("%1 must be a probability from 0 to 1").arg(name));
        } else if (name == QLatin1String("latency") || name == QLatin1String("jitter")) {
            const auto ms = parseMilliseconds(value);
            if (!ms)
                return fail(QStringLiteral("%1 must be 0..60000ms (for example 50ms or 2s)").arg(name));
            (name == QLatin1String("latency") ? spec.latencyMs : spec.jitterMs) = *ms;
        } else if (name == QLatin1String("bandwidth")) {
            const auto bits = parseBitsPerSecond(value);
            if (!bits)
                return fail(QStringLiteral("bandwidth must be a rate such as 20mbit, 512kbit or 1gbit"));
            spec.bandwidthBitsPerSecond = *bits;
        } else if (name == QLatin1String("retry-after")) {
            bool ok = false;
            spec.retryAfterSeconds = value.toInt(&ok);
            if (!ok || spec.retryAfterSeconds < 0 || spec.retryAfterSeconds > 3600)
                return fail(QStringLiteral("retry-after must be 0..3600 seconds"));
        } else if (name == QLatin1String("on")) {
            spec.onFhir = spec.onDiscovery = spec.onAuth = false;
            for (const QString& target : value.split(QLatin1Char('+'))) {
                if (target == QLatin1String("fhir"))
                    spec.onFhir = true;
                else if (target == QLatin1String("discovery"))
                    spec.onDiscovery = true;
                else if (target == QLatin1String("auth"))
                    spec.onAuth = true;
                else if (target == QLatin1String("all"))
                    spec.onFhir = spec.onDiscovery = spec.onAuth = true;
                else
                    return fail(QStringLiteral("on= takes fhir, discovery, auth or all, joined by '+'"));
            }
        } else {
            return fail(QStringLiteral("unknown fault '%1'").arg(name));
        }
    }
    // One draw picks at most one server fault and one proxy fault.
    if (spec.error500 + spec.error503 + spec.rate429 + spec.malformed > 1.0 + 1e-9)
        return fail(QStringLiteral("error500 + error503 + rate429 + malformed must not exceed 1"));
    if (spec.drop + spec.truncate > 1.0 + 1e-9)
        return fail(QStringLiteral("drop + truncate must not exceed 1"));
    return spec;
}

QString FaultSpec::toString() const
{
    QStringList items;
    if (latencyMs > 0)
        items.append(QStringLiteral("latency=%1ms").arg(latencyMs));
    if (jitterMs > 0)
        items.append(QStringLiteral("jitter=%1ms").arg(jitterMs));
    if (bandwidthBitsPerSecond > 0)
        items.append(QStringLiteral("bandwidth=") + bitRate(bandwidthBitsPerSecond));
    const std::pair<const char*, double> probabilities[] = { { "error500", error500 }, { "error503", error503 },
        { "rate429", rate429 }, { "malformed", malformed }, { "drop", drop }, { "truncate", truncate },
        { "token-down", tokenDown }, { "early-expiry", earlyExpiry } };
    for (const auto& [name, value] : probabilities) {
        if (value > 0)
            items.append(QString::fromLatin1(name) + QLatin1Char('=') + number(value));
    }
    if (retryAfterSeconds != 1)
        items.append(QStringLiteral("retry-after=%1").arg(retryAfterSeconds));
    if (!onFhir || onDiscovery || onAuth) {
        QStringList targets;
        if (onFhir)
            targets.append(QStringLiteral("fhir"));
        if (onDiscovery)
            targets.append(QStringLiteral("discovery"));
        if (onAuth)
            targets.append(QStringLiteral("auth"));
        items.append(QStringLiteral("on=") + targets.join(QLatin1Char('+')));
    }
    return items.isEmpty() ? QStringLiteral("none") : items.join(QLatin1Char(','));
}

FaultInjector::FaultInjector(std::uint64_t seed)
    : m_seed(seed)
    , m_rng(seed ^ kFaultStream)
{
}

void FaultInjector::setSpec(const FaultSpec& spec)
{
    m_spec = spec;
    m_rng.seed(m_seed ^ kFaultStream);
    m_injected.clear();
}

double FaultInjector::unit()
{
    return static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
}

bool FaultInjector::applies(FaultTarget target) const
{
    switch (target) {
    case FaultTarget::Fhir:
        return m_spec.onFhir;
    case FaultTarget::Discovery:
        return m_spec.onDiscovery;
    case FaultTarget::Auth:
        return m_spec.onAuth;
    case FaultTarget::Never:
        return false;
    }
    return false;
}

FaultInjector::ServerFault FaultInjector::drawServer(FaultTarget target)
{
    if (!applies(target) || m_spec.error500 + m_spec.error503 + m_spec.rate429 + m_spec.malformed <= 0)
        return ServerFault::None;
    double u = unit();
    if ((u -= m_spec.error500) < 0) {
        count("error500");
        return ServerFault::Error500;
    }
    if ((u -= m_spec.error503) < 0) {
        count("error503");
        return ServerFault::Error503;
    }
    if ((u -= m_spec.rate429) < 0) {
        count("rate429");
        return ServerFault::Rate429;
    }
    if ((u -= m_spec.malformed) < 0) {
        count("malformed");
        return ServerFault::Malformed;
    }
    return ServerFault::None;
}

FaultInjector::ProxyFault FaultInjector::drawProxy(FaultTarget target)
{
    if (!applies(target) || m_spec.drop + m_spec.truncate <= 0)
        return ProxyFault::None;
    double u = unit();
    if ((u -= m_spec.drop) < 0) {
        count("drop");
        return ProxyFault::Drop;
    }
    if ((u -= m_spec.truncate) < 0) {
        count("truncate");
        return ProxyFault::Truncate;
    }
    return ProxyFault::None;
}

int FaultInjector::drawLatency(FaultTarget target)
{
    if (!applies(target))
        return 0;
    if (m_spec.jitterMs <= 0)
        return m_spec.latencyMs;
    const double offset = (unit() * 2 - 1) * m_spec.jitterMs;
    return std::max(0, static_cast<int>(std::lround(m_spec.latencyMs + offset)));
}

bool FaultInjector::drawTokenDown()
{
    if (m_spec.tokenDown <= 0 || unit() >= m_spec.tokenDown)
        return false;
    count("token-down");
    return true;
}

bool FaultInjector::drawEarlyExpiry()
{
    if (m_spec.earlyExpiry <= 0 || unit() >= m_spec.earlyExpiry)
        return false;
    count("early-expiry");
    return true;
}

QJsonObject FaultInjector::state() const
{
    QJsonObject injected;
    for (auto it = m_injected.cbegin(); it != m_injected.cend(); ++it)
        injected.insert(it.key(), it.value());
    return QJsonObject {
        { QStringLiteral("spec"), m_spec.toString() },
        { QStringLiteral("proxy"), m_proxyRunning },
        { QStringLiteral("injected"), injected },
    };
}

} // namespace ondevice::sandbox
