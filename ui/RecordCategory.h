#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace ondevice::ui {

// The record categories of the left pane, in the order shown.
enum class RecordCategory {
    Summary,
    Conditions,
    Medications,
    Allergies,
    Immunizations,
    LabsVitals,
    Procedures,
    Encounters,
    Documents,
    CarePlans,
    Other, // every type a server sent that no category above lists (Claim, Organization, Coverage, ...)
};

class RecordCategories {
    Q_DECLARE_TR_FUNCTIONS(RecordCategories)

public:
    static QList<RecordCategory> all();
    static QString title(RecordCategory category);
    // The FHIR resource types a category lists (Summary: none of its own).
    static QStringList types(RecordCategory category);
    // Column headers of the category's table; ResourceRenderer::cells fills them.
    static QStringList columns(RecordCategory category);
    // The column that holds the row's date (sorted on the store's sortDate), or -1.
    static int dateColumn(RecordCategory category);
};

} // namespace ondevice::ui
