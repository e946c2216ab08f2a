#include "RecordCategory.h"

#include "fhir/ResourceTypes.h"

namespace ondevice::ui {

QList<RecordCategory> RecordCategories::all()
{
    return { RecordCategory::Summary, RecordCategory::Conditions, RecordCategory::Medications,
        RecordCategory::Allergies, RecordCategory::Immunizations, RecordCategory::LabsVitals,
        RecordCategory::Procedures, RecordCategory::Encounters, RecordCategory::Documents, RecordCategory::CarePlans,
        RecordCategory::Other };
}

QString RecordCategories::title(RecordCategory category)
{
    switch (category) {
    case RecordCategory::Summary:
        return tr("Summary");
    case RecordCategory::Conditions:
        return tr("Conditions");
    case RecordCategory::Medications:
        return tr("Medications");
    case RecordCategory::Allergies:
        return tr("Allergies");
    case RecordCategory::Immunizations:
        return tr("Immunizations");
    case RecordCategory::LabsVitals:
        return tr("Labs & Vitals");
    case RecordCategory::Procedures:
        return tr("Procedures");
    case RecordCategory::Encounters:
        return tr("Encounters");
    case RecordCategory::Documents:
        return tr("Documents");
    case RecordCategory::CarePlans:
        return tr("Care plans");
    case RecordCategory::Other:
        return tr("Other records");
    }
    return {};
}

QStringList RecordCategories::types(RecordCategory category)
{
    switch (category) {
    case RecordCategory::Summary:
        return {};
    case RecordCategory::Conditions:
        return { QStringLiteral("Condition") };
    case RecordCategory::Medications:
        return { QStringLiteral("MedicationRequest") };
    case RecordCategory::Allergies:
        return { QStringLiteral("AllergyIntolerance") };
    case RecordCategory::Immunizations:
        return { QStringLiteral("Immunization") };
    case RecordCategory::LabsVitals:
        return { QStringLiteral("Observation"), QStringLiteral("DiagnosticReport") };
    case RecordCategory::Procedures:
        return { QStringLiteral("Procedure") };
    case RecordCategory::Encounters:
        return { QStringLiteral("Encounter") };
    case RecordCategory::Documents:
        return { QStringLiteral("DocumentReference") };
    case RecordCategory::CarePlans:
        return { QStringLiteral("CarePlan"), QStringLiteral("Goal"), QStringLiteral("CareTeam") };
    case RecordCategory::Other: {
        // Every FHIR R4 type no other category lists, but for the patient (the Summary), the Medications
        // (shown with their requests) and types that are never records.
        static const QStringList others = [] {
            QStringList listed { QStringLiteral("Patient"), QStringLiteral("Medication"), QStringLiteral("Bundle"),
                QStringLiteral("OperationOutcome"), QStringLiteral("Parameters") };
            for (RecordCategory c : all())
                if (c != RecordCategory::Other)
                    listed << types(c);
            QStringList rest = fhir::fhirR4ResourceTypes();
            rest.removeIf([&listed](const QString& type) { return listed.contains(type); });
            return rest;
        }();
        return others;
    }
    }
    return {};
}

QStringList RecordCategories::columns(RecordCategory category)
{
    switch (category) {
    case RecordCategory::Summary:
        return {};
    case RecordCategory::Conditions:
        return { tr("Condition"), tr("Clinical status"), tr("Onset"), tr("Recorded"), tr("Source") };
    case RecordCategory::Medications:
        return { tr("Medication"), tr("Status"), tr("Dosage"), tr("Authored"), tr("Source") };
    case RecordCategory::Allergies:
        return { tr("Substance"), tr("Clinical status"), tr("Criticality"), tr("Recorded"), tr("Source") };
    case RecordCategory::Immunizations:
        return { tr("Vaccine"), tr("Date"), tr("Status"), tr("Source") };
    case RecordCategory::LabsVitals:
        return { tr("Test"), tr("Value"), tr("Reference range"), tr("Flag"), tr("Date"), tr("Source") };
    case RecordCategory::Procedures:
        return { tr("Procedure"), tr("Status"), tr("Date"), tr("Source") };
    case RecordCategory::Encounters:
        return { tr("Type"), tr("Class"), tr("Period"), tr("Reason"), tr("Source") };
    case RecordCategory::Documents:
        return { tr("Type"), tr("Date"), tr("Author or description"), tr("Source") };
    case RecordCategory::CarePlans:
        return { tr("Title"), tr("Kind"), tr("Status"), tr("Date"), tr("Source") };
    case RecordCategory::Other:
        return { tr("Record"), tr("Kind"), tr("Date"), tr("Source") };
    }
    return {};
}

int RecordCategories::dateColumn(RecordCategory category)
{
    switch (category) {
    case RecordCategory::Summary:
        return -1;
    case RecordCategory::Conditions:
        return 2;
    case RecordCategory::Medications:
    case RecordCategory::Allergies:
        return 3;
    case RecordCategory::Immunizations:
        return 1;
    case RecordCategory::LabsVitals:
        return 4;
    case RecordCategory::Procedures:
    case RecordCategory::Encounters:
        return 2;
    case RecordCategory::Documents:
        return 1;
    case RecordCategory::CarePlans:
        return 3;
    case RecordCategory::Other:
        return 2;
    }
    return -1;
}

} // namespace ondevice::ui
