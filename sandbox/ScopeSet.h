#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace ondevice::sandbox {

// A parsed SMART scope string (v1 `patient/Observation.read` and v2
// `patient/*.rs?category=...`) plus the OpenID and launch-context scopes.
class ScopeSet {
public:
    enum class Interaction { Read, Search };

    // nullopt and a reason when a scope is malformed or not offered here.
    static std::optional<ScopeSet> parse(const QString& text, QString* error = nullptr);

    const QStringList& scopes() const { return m_scopes; }
    QString toString() const { return m_scopes.join(QLatin1Char(' ')); }
    bool has(const QString& scope) const { return m_scopes.contains(scope); }
    bool allowsRefresh() const { return has(QStringLiteral("offline_access")) || has(QStringLiteral("online_access")); }
    // Does some patient/ scope grant this interaction on this resource type?
    bool allows(const QString& resourceType, Interaction interaction) const;
    // Every scope of this set is one of `other`'s (RFC 6749 §6 down-scoping).
    bool isSubsetOf(const ScopeSet& other) const;

private:
    struct Permission {
        QString resourceType; // "*" or a type
        bool read = false;
        bool search = false;
    };
    QStringList m_scopes;
    QList<Permission> m_permissions;
};

} // namespace ondevice::sandbox
