#include "ScopeDescriber.h"

#include <QUrlQuery>

namespace ondevice::ui {

namespace {

// What a resource type holds, as the object of "Read ...".
QString whatTypeHolds(const QString& type)
{
    if (type == QLatin1String("Observation"))
        return ScopeDescriber::tr("your lab results and vital signs");
    if (type == QLatin1String("Condition"))
        return ScopeDescriber::tr("your conditions and problems");
    if (type == QLatin1String("MedicationRequest") || type == QLatin1String("MedicationStatement")
        || type == QLatin1String("Medication") || type == QLatin1String("MedicationDispense"))
        return ScopeDescriber::tr("your medications");
    if (type == QLatin1String("AllergyIntolerance"))
        return ScopeDescriber::tr("your allergies");
    if (type == QLatin1String("Immunization"))
        return ScopeDescriber::tr("your immunizations");
    if (type == QLatin1String("Procedure"))
        return ScopeDescriber::tr("your procedures");
    if (type == QLatin1String("Encounter"))
        return ScopeDescriber::tr("your visits");
    if (type == QLatin1String("DocumentReference") || type == QLatin1String("Binary"))
        return ScopeDescriber::tr("your documents");
    if (type == QLatin1String("DiagnosticReport"))
        return ScopeDescriber::tr("your test reports");
    if (type == QLatin1String("CarePlan") || type == QLatin1String("CareTeam") || type == QLatin1String("Goal"))
        return ScopeDescriber::tr("your care plans");
    if (type == QLatin1String("Patient"))
        return ScopeDescriber::tr("your name, birth date and contact details");
    if (type == QLatin1String("Coverage") || type == QLatin1String("ExplanationOfBenefit")
        || type == QLatin1String("Claim"))
        return ScopeDescriber::tr("your insurance and billing records");
    return ScopeDescriber::tr("your %1 records").arg(type);
}

enum class Access { Read, Change, ReadAndChange, Unknown };

// v1: read / write / *; v2: any of c r u d s, in that order.
Access accessOf(const QString& permissions)
{
    if (permissions == QLatin1String("read"))
        return Access::Read;
    if (permissions == QLatin1String("write"))
        return Access::Change;
    if (permissions == QLatin1String("*"))
        return Access::ReadAndChange;
    static const QString v2 = QStringLiteral("cruds");
    if (permissions.isEmpty())
        return Access::Unknown;
    bool reads = false;
    bool changes = false;
    for (const QChar c : permissions) {
        if (!v2.contains(c))
            return Access::Unknown;
        if (c == QLatin1Char('r') || c == QLatin1Char('s'))
            reads = true;
        else
            changes = true;
    }
    return reads && changes ? Access::ReadAndChange : changes ? Access::Change : Access::Read;
}

} // namespace

QString ScopeDescriber::describe(const QString& scope)
{
    if (scope == QLatin1String("openid") || scope == QLatin1String("fhirUser") || scope == QLatin1String("profile"))
        return tr("Know who you are");
    if (scope == QLatin1String("offline_access"))
        return tr("Stay connected when you are not using the app");
    if (scope == QLatin1String("online_access"))
        return tr("Stay connected while you are using the app");
    if (scope == QLatin1String("launch/patient"))
        return tr("Know which patient's records to show");
    if (scope == QLatin1String("launch/encounter"))
        return tr("Know which visit to show");

    // context/Type.permissions[?query]
    const qsizetype slash = scope.indexOf(QLatin1Char('/'));
    const qsizetype dot = scope.indexOf(QLatin1Char('.'), slash + 1);
    if (slash <= 0 || dot <= slash + 1)
        return tr("Another permission: %1").arg(scope);
    const QString context = scope.left(slash);
    const QString type = scope.mid(slash + 1, dot - slash - 1);
    QString permissions = scope.mid(dot + 1);
    QString query;
    if (const qsizetype q = permissions.indexOf(QLatin1Char('?')); q >= 0) {
        query = permissions.mid(q + 1);
        permissions = permissions.left(q);
    }
    if (context != QLatin1String("patient") && context != QLatin1String("user") && context != QLatin1String("system"))
        return tr("Another permission: %1").arg(scope);
    const Access access = accessOf(permissions);
    if (access == Access::Unknown)
        return tr("Another permission: %1").arg(scope);

    QString what;
    if (type == QLatin1String("*"))
        what = context == QLatin1String("patient") ? tr("all your records") : tr("all records your account can see");
    else
        what = whatTypeHolds(type);
    if (!query.isEmpty()) {
        // A v2 scope narrowed by a search parameter, e.g. ?category=laboratory.
        const QString category = QUrlQuery(query).queryItemValue(QStringLiteral("category"));
        what = category.isEmpty() ? tr("some of %1").arg(what) : tr("%1 (only %2)").arg(what, category);
    }
    switch (access) {
    case Access::Read:
        return tr("Read %1").arg(what);
    case Access::Change:
        return tr("Add to or change %1").arg(what);
    case Access::ReadAndChange:
        return tr("Read and change %1").arg(what);
    case Access::Unknown:
        break;
    }
    return tr("Another permission: %1").arg(scope);
}

QStringList ScopeDescriber::describeAll(const QStringList& scopes)
{
    QStringList lines;
    for (const QString& scope : scopes) {
        const QString line = describe(scope);
        if (!lines.contains(line))
            lines << line;
    }
    return lines;
}

} // namespace ondevice::ui
