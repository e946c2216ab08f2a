#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace ondevice::ui {

// Granted OAuth scopes in words a patient understands, for the Access panel.
// SMART v1 (`patient/Observation.read`) and v2 (`patient/Observation.rs`,
// with optional `?category=...`) both read the same.
class ScopeDescriber {
    Q_DECLARE_TR_FUNCTIONS(ScopeDescriber)

public:
    static QString describe(const QString& scope);
    // One line per distinct meaning, in the order granted (openid and fhirUser
    // both mean "Know who you are": said once).
    static QStringList describeAll(const QStringList& scopes);
};

} // namespace ondevice::ui
