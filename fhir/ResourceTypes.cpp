#include "ResourceTypes.h"

#include <QSet>

namespace ondevice::fhir {

const QStringList& fhirR4ResourceTypes()
{
    // hl7.org/fhir/R4/resourcelist.html: 146 types.
    static const QStringList types {
        QStringLiteral("Account"), QStringLiteral("ActivityDefinition"), QStringLiteral("AdverseEvent"),
        QStringLiteral("AllergyIntolerance"), QStringLiteral("Appointment"), QStringLiteral("AppointmentResponse"),
        QStringLiteral("AuditEvent"), QStringLiteral("Basic"), QStringLiteral("Binary"),
        QStringLiteral("BiologicallyDerivedProduct"), QStringLiteral("BodyStructure"), QStringLiteral("Bundle"),
        QStringLiteral("CapabilityStatement"), QStringLiteral("CarePlan"), QStringLiteral("CareTeam"),
        QStringLiteral("CatalogEntry"), QStringLiteral("ChargeItem"), QStringLiteral("ChargeItemDefinition"),
        QStringLiteral("Claim"), QStringLiteral("ClaimResponse"), QStringLiteral("ClinicalImpression"),
        QStringLiteral("CodeSystem"), QStringLiteral("Communication"), QStringLiteral("CommunicationRequest"),
        QStringLiteral("CompartmentDefinition"), QStringLiteral("Composition"), QStringLiteral("ConceptMap"),
        QStringLiteral("Condition"), QStringLiteral("Consent"), QStringLiteral("Contract"),
        QStringLiteral("Coverage"), QStringLiteral("CoverageEligibilityRequest"),
        QStringLiteral("CoverageEligibilityResponse"), QStringLiteral("DetectedIssue"), QStringLiteral("Device"),
        QStringLiteral("DeviceDefinition"), QStringLiteral("DeviceMetric"), QStringLiteral("DeviceRequest"),
        QStringLiteral("DeviceUseStatement"), QStringLiteral("DiagnosticReport"), QStringLiteral("DocumentManifest"),
        QStringLiteral("DocumentReference"), QStringLiteral("EffectEvidenceSynthesis"), QStringLiteral("Encounter"),
        QStringLiteral("Endpoint"), QStringLiteral("EnrollmentRequest"), QStringLiteral("EnrollmentResponse"),
        QStringLiteral("EpisodeOfCare"), QStringLiteral("EventDefinition"), QStringLiteral("Evidence"),
        QStringLiteral("EvidenceVariable"), QStringLiteral("ExampleScenario"),
        QStringLiteral("ExplanationOfBenefit"), QStringLiteral("FamilyMemberHistory"), QStringLiteral("Flag"),
        QStringLiteral("Goal"), QStringLiteral("GraphDefinition"), QStringLiteral("Group"),
        QStringLiteral("GuidanceResponse"), QStringLiteral("HealthcareService"), QStringLiteral("ImagingStudy"),
        QStringLiteral("Immunization"), QStringLiteral("ImmunizationEvaluation"),
        QStringLiteral("ImmunizationRecommendation"), QStringLiteral("ImplementationGuide"),
        QStringLiteral("InsurancePlan"), QStringLiteral("Invoice"), QStringLiteral("Library"),
        QStringLiteral("Linkage"), QStringLiteral("List"), QStringLiteral("Location"), QStringLiteral("Measure"),
        QStringLiteral("MeasureReport"), QStringLiteral("Media"), QStringLiteral("Medication"),
        QStringLiteral("MedicationAdministration"), QStringLiteral("MedicationDispense"),
        QStringLiteral("MedicationKnowledge"), QStringLiteral("MedicationRequest"),
        QStringLiteral("MedicationStatement"), QStringLiteral("MedicinalProduct"),
        QStringLiteral("MedicinalProductAuthorization"), QStringLiteral("MedicinalProductContraindication"),
        QStringLiteral("MedicinalProductIndication"), QStringLiteral("MedicinalProductIngredient"),
        QStringLiteral("MedicinalProductInteraction"), QStringLiteral("MedicinalProductManufactured"),
        QStringLiteral("MedicinalProductPackaged"), QStringLiteral("MedicinalProductPharmaceutical"),
        QStringLiteral("MedicinalProductUndesirableEffect"), QStringLiteral("MessageDefinition"),
        QStringLiteral("MessageHeader"), QStringLiteral("MolecularSequence"), QStringLiteral("NamingSystem"),
        QStringLiteral("NutritionOrder"), QStringLiteral("Observation"), QStringLiteral("ObservationDefinition"),
        QStringLiteral("OperationDefinition"), QStringLiteral("OperationOutcome"), QStringLiteral("Organization"),
        QStringLiteral("OrganizationAffiliation"), QStringLiteral("Parameters"), QStringLiteral("Patient"),
        QStringLiteral("PaymentNotice"), QStringLiteral("PaymentReconciliation"), QStringLiteral("Person"),
        QStringLiteral("PlanDefinition"), QStringLiteral("Practitioner"), QStringLiteral("PractitionerRole"),
        QStringLiteral("Procedure"), QStringLiteral("Provenance"), QStringLiteral("Questionnaire"),
        QStringLiteral("QuestionnaireResponse"), QStringLiteral("RelatedPerson"), QStringLiteral("RequestGroup"),
        QStringLiteral("ResearchDefinition"), QStringLiteral("ResearchElementDefinition"),
        QStringLiteral("ResearchStudy"), QStringLiteral("ResearchSubject"), QStringLiteral("RiskAssessment"),
        QStringLiteral("RiskEvidenceSynthesis"), QStringLiteral("Schedule"), QStringLiteral("SearchParameter"),
        QStringLiteral("ServiceRequest"), QStringLiteral("Slot"), QStringLiteral("Specimen"),
        QStringLiteral("SpecimenDefinition"), QStringLiteral("StructureDefinition"), QStringLiteral("StructureMap"),
        QStringLiteral("Subscription"), QStringLiteral("Substance"), QStringLiteral("SubstanceNucleicAcid"),
        QStringLiteral("SubstancePolymer"), QStringLiteral("SubstanceProtein"),
        QStringLiteral("SubstanceReferenceInformation"), QStringLiteral("SubstanceSourceMaterial"),
        QStringLiteral("SubstanceSpecification"), QStringLiteral("SupplyDelivery"), QStringLiteral("SupplyRequest"),
        QStringLiteral("Task"), QStringLiteral("TerminologyCapabilities"), QStringLiteral("TestReport"),
        QStringLiteral("TestScript"), QStringLiteral("ValueSet"), QStringLiteral("VerificationResult"),
        QStringLiteral("VisionPrescription"),
    };
    return types;
}

bool isFhirR4ResourceType(const QString& type)
{
    static const QSet<QString> set(fhirR4ResourceTypes().cbegin(), fhirR4ResourceTypes().cend());
    return set.contains(type);
}

} // namespace ondevice::fhir
