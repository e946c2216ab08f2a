#include "OriginPolicy.h"

namespace ondevice::fhir {

namespace {

int effectivePort(const QUrl& url)
{
    if (url.scheme() == QLatin1String("https"))
        return url.port(443);
    if (url.scheme() == QLatin1String("http"))
        return url.port(80);
    return url.port(-1);
}

} // namespace

OriginPolicy::OriginPolicy(QUrl fhirBase)
    : m_base(std::move(fhirBase))
{
}

bool OriginPolicy::allows(const QUrl& url) const
{
    if (!url.isValid() || url.isRelative() || !m_base.isValid())
        return false;
    // An origin with credentials in it (user:pass@host) is never ours.
    if (!url.userInfo().isEmpty())
        return false;
    return url.scheme().compare(m_base.scheme(), Qt::CaseInsensitive) == 0
        && url.host().compare(m_base.host(), Qt::CaseInsensitive) == 0 && effectivePort(url) == effectivePort(m_base);
}

std::optional<QUrl> OriginPolicy::resolveNextLink(const QString& link) const
{
    const QUrl parsed(link, QUrl::StrictMode);
    if (link.isEmpty() || !parsed.isValid())
        return std::nullopt;
    // Relative links are relative to the base itself ("Observation?page=2"
    // under .../fhir), so resolve against the base as a directory.
    QUrl directory = m_base;
    if (!directory.path().endsWith(QLatin1Char('/')))
        directory.setPath(directory.path() + QLatin1Char('/'));
    const QUrl resolved = parsed.isRelative() ? directory.resolved(parsed) : parsed;
    const QString scheme = resolved.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return std::nullopt;
    if (!allows(resolved))
        return std::nullopt;
    return resolved;
}

} // namespace ondevice::fhir
