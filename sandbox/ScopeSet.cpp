#include "ScopeSet.h"

#include <QRegularExpression>

namespace ondevice::sandbox {

std::optional<ScopeSet> ScopeSet::parse(const QString& text, QString* error)
{
    static const QStringList plain {
        QStringLiteral("openid"),
        QStringLiteral("fhirUser"),
        QStringLiteral("profile"),
        QStringLiteral("launch/patient"),
        QStringLiteral("offline_access"),
        QStringLiteral("online_access"),
        // Registration of a client with this access token (offered only where the server says so).
        QStringLiteral("system/dynamicClient.register"),
    };
    // context/type.permissions[?query]; v2 permissions are c, r, u, d, s in that order.
    static const QRegularExpression resourceScope(
        QStringLiteral("^(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(read|write|\\*|c?r?u?d?s?)(\\?[^ ]*)?$"));
    auto fail = [error](const QString& why) -> std::optional<ScopeSet> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    // RFC 6749 §3.3: scope-tokens separated by single spaces; nothing else.
    if (text.isEmpty())
        return fail(QStringLiteral("scope is required"));
    ScopeSet set;
    for (const QString& scope : text.split(QLatin1Char(' '))) {
        if (scope.isEmpty())
            return fail(QStringLiteral("scope has an empty scope-token (extra space)"));
        if (set.m_scopes.contains(scope))
            continue;
        if (plain.contains(scope)) {
            set.m_scopes.append(scope);
            continue;
        }
        const QRegularExpressionMatch match = resourceScope.match(scope);
        if (!match.hasMatch() || match.capturedView(3).isEmpty())
            return fail(QStringLiteral("unknown or malformed scope: ") + scope);
        if (match.capturedView(1) != QLatin1String("patient"))
            return fail(QStringLiteral("only patient/ scopes are offered: ") + scope);
        if (match.captured(4).size() == 1)
            return fail(QStringLiteral("empty query in scope: ") + scope);
        const QString permissions = match.captured(3);
        Permission permission;
        permission.resourceType = match.captured(2);
        if (permissions == QLatin1String("read") || permissions == QLatin1String("*")) {
            permission.read = permission.search = true;
        } else if (permissions != QLatin1String("write")) {
            // v2: the `?category=` style constraint is parsed and accepted but not
            // enforced: this sandbox grants whole resource types.
            permission.read = permissions.contains(QLatin1Char('r'));
            permission.search = permissions.contains(QLatin1Char('s'));
        }
        set.m_permissions.append(permission);
        set.m_scopes.append(scope);
    }
    return set;
}

bool ScopeSet::allows(const QString& resourceType, Interaction interaction) const
{
    for (const Permission& permission : m_permissions) {
        if (permission.resourceType != QLatin1String("*") && permission.resourceType != resourceType)
            continue;
        if (interaction == Interaction::Read ? permission.read : permission.search)
            return true;
    }
    return false;
}

bool ScopeSet::isSubsetOf(const ScopeSet& other) const
{
    for (const QString& scope : m_scopes) {
        if (!other.m_scopes.contains(scope))
            return false;
    }
    return true;
}

} // namespace ondevice::sandbox
