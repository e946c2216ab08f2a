#include "DataGenerator.h"

#include "ResourceStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ondevice::sandbox {

namespace {

const QString kLoinc = QStringLiteral("http://loinc.org");
const QString kSnomed = QStringLiteral("http://snomed.info/sct");
const QString kUcum = QStringLiteral("http://unitsofmeasure.org");
const QString kRxNorm = QStringLiteral("http://www.nlm.nih.gov/research/umls/rxnorm");
const QString kCvx = QStringLiteral("http://hl7.org/fhir/sid/cvx");

struct Code {
    const char* code;
    const char* display;
};

struct Vital {
    Code code;
    const char* unit;
    double mean;
    double sd;
};

struct Lab {
    Code code;
    const char* unit;
    double low;
    double high;
    double mean;
    double sd;
};

constexpr Vital kVitals[] = {
    { { "8302-2", "Body Height" }, "cm", 170, 10 },
    { { "29463-7", "Body Weight" }, "kg", 78, 14 },
    { { "39156-5", "Body Mass Index" }, "kg/m2", 26, 4 },
    { { "8867-4", "Heart rate" }, "/min", 74, 10 },
    { { "9279-1", "Respiratory rate" }, "/min", 15, 2 },
    { { "8310-5", "Body temperature" }, "Cel", 36.9, 0.4 },
    { { "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry" }, "%", 97, 1.5 },
};

constexpr Lab kLabs[] = {
    { { "2339-0", "Glucose [Mass/volume] in Blood" }, "mg/dL", 70, 99, 95, 18 },
    { { "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood" }, "%", 4, 5.6, 5.6, 0.8 },
    { { "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma" }, "mg/dL", 0, 200, 190, 30 },
    { { "18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay" }, "mg/dL", 0, 100, 110, 30 },
    { { "2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma" }, "mg/dL", 40, 60, 52, 12 },
    { { "2571-8", "Triglycerides" }, "mg/dL", 0, 150, 140, 40 },
    { { "38483-4", "Creatinine [Mass/volume] in Blood" }, "mg/dL", 0.6, 1.3, 1.0, 0.25 },
    { { "718-7", "Hemoglobin [Mass/volume] in Blood" }, "g/dL", 12, 17.5, 14.2, 1.4 },
    { { "6690-2", "Leukocytes [#/volume] in Blood by Automated count" }, "10*3/uL", 4.5, 11, 7.2, 1.8 },
    { { "2823-3", "Potassium [Moles/volume] in Serum or Plasma" }, "mmol/L", 3.5, 5.1, 4.2, 0.4 },
};

constexpr Code kConditions[] = {
    { "44054006", "Diabetes mellitus type 2 (disorder)" },
    { "38341003", "Hypertensive disorder, systemic arterial (disorder)" },
    { "195662009", "Acute viral pharyngitis (disorder)" },
    { "10509002", "Acute bronchitis (disorder)" },
    { "444814009", "Viral sinusitis (disorder)" },
    { "55822004", "Hyperlipidemia (disorder)" },
    { "40055000", "Chronic sinusitis (disorder)" },
    { "68496003", "Polyp of colon (disorder)" },
    { "271737000", "Anemia (disorder)" },
    { "233604007", "Pneumonia (disorder)" },
};

constexpr Code kMedications[] = {
    { "860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet" },
    { "314076", "lisinopril 10 MG Oral Tablet" },
    { "197361", "amLODIPine 5 MG Oral Tablet" },
    { "259255", "atorvastatin 80 MG Oral Tablet" },
    { "308136", "amLODIPine 2.5 MG Oral Tablet" },
    { "313782", "Acetaminophen 325 MG Oral Tablet" },
    { "834060", "Penicillin V Potassium 250 MG Oral Tablet" },
    { "312617", "predniSONE 5 MG Oral Tablet" },
};

constexpr Code kVaccines[] = {
    { "140", "Influenza, seasonal, injectable, preservative free" },
    { "113", "Td (adult) preservative free" },
    { "115", "Tdap" },
    { "133", "Pneumococcal conjugate PCV 13" },
    { "121", "zoster" },
    { "208", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose" },
    { "43", "Hep B, adult" },
};

constexpr Code kProcedures[] = {
    { "428191000124101", "Documentation of current medications" },
    { "710824005", "Assessment of health and social care needs (procedure)" },
    { "73761001", "Colonoscopy" },
    { "430193006", "Medication Reconciliation (procedure)" },
    { "171207006", "Depression screening (procedure)" },
    { "762993000", "Assessment using Morse Fall Scale (procedure)" },
};

constexpr Code kAllergies[] = {
    { "419474003", "Allergy to mould" },
    { "232350006", "House dust mite allergy" },
    { "91930004", "Allergy to eggs" },
    { "300916003", "Latex allergy" },
    { "418689008", "Allergy to grass pollen" },
    { "91935009", "Allergy to peanuts" },
};

constexpr Code kEncounterTypes[] = {
    { "185349003", "Encounter for check up (procedure)" },
    { "162673000", "General examination of patient (procedure)" },
    { "185345009", "Encounter for symptom" },
    { "410620009", "Well child visit (procedure)" },
    { "50849002", "Emergency room admission (procedure)" },
};

constexpr Code kPanels[] = {
    { "57698-3", "Lipid panel with direct LDL - Serum or Plasma" },
    { "58410-2", "Complete blood count (hemogram) panel - Blood by Automated count" },
    { "51990-0", "Basic metabolic panel - Blood" },
};

constexpr Code kNoteTypes[] = {
    { "11506-3", "Progress note" },
    { "34117-2", "History and physical note" },
    { "18842-5", "Discharge summary" },
};

struct CarePlanKind {
    Code category;
    Code activity;
    const char* goal;
};

constexpr CarePlanKind kCarePlans[] = {
    { { "698360004", "Diabetes self management plan" }, { "160670007", "Diabetic diet" },
        "Glucose [Mass/volume] in Blood < 108" },
    { { "443402002", "Lifestyle education regarding hypertension (procedure)" },
        { "386463000", "Prescribed activity/exercise education" }, "Systolic blood pressure below 140 mm[Hg]" },
    { { "53950000", "Respiratory therapy" }, { "304510005", "Recommendation to avoid exercise" },
        "Breathing without shortness of breath" },
    { { "326051000000105", "Self care" }, { "409002", "Food allergy diet" }, "Avoid known allergens" },
    { { "736376001", "Infectious disease care plan (record artifact)" }, { "171245007", "Recommendation to rest" },
        "Recovery from acute infection" },
};

constexpr Code kDevices[] = {
    { "337414009", "Blood glucose meters (physical object)" },
    { "706180003", "Respiratory humidifier (physical object)" },
    { "72506001", "Implantable defibrillator, device (physical object)" },
    { "468063009", "Coated femoral stem prosthesis, modular (physical object)" },
};

constexpr const char* kPayers[] = { "Medicare", "Medicaid", "Blue Cross Blue Shield", "Aetna", "UnitedHealthcare" };

constexpr const char* kGiven[]
    = { "Alexis", "Asa", "Maria", "Jamal", "Ingrid", "Kenji", "Priya", "Tomás", "Amara", "Oskar", "Leila", "Noah" };
constexpr const char* kFamily[] = { "Toy", "Hermiston", "Okafor", "Lindqvist", "Tanaka", "Moreno", "Nguyen", "Schmidt",
    "Haddad", "Kowalski", "Reyes", "Walsh" };

QJsonObject codeable(const QString& system, const Code& code)
{
    return QJsonObject {
        { QStringLiteral("coding"),
            QJsonArray { QJsonObject { { QStringLiteral("system"), system },
                { QStringLiteral("code"), QString::fromUtf8(code.code) },
                { QStringLiteral("display"), QString::fromUtf8(code.display) } } } },
        { QStringLiteral("text"), QString::fromUtf8(code.display) },
    };
}

QJsonObject simpleCoding(const QString& system, const QString& code, const QString& display = {})
{
    QJsonObject coding { { QStringLiteral("system"), system }, { QStringLiteral("code"), code } };
    if (!display.isEmpty())
        coding.insert(QStringLiteral("display"), display);
    return QJsonObject { { QStringLiteral("coding"), QJsonArray { coding } } };
}

QJsonObject quantity(double value, const char* unit)
{
    return QJsonObject {
        { QStringLiteral("value"), std::round(value * 10) / 10 },
        { QStringLiteral("unit"), QString::fromUtf8(unit) },
        { QStringLiteral("system"), kUcum },
        { QStringLiteral("code"), QString::fromUtf8(unit) },
    };
}

QJsonArray category(const QString& code)
{
    return QJsonArray { simpleCoding(
        QStringLiteral("http://terminology.hl7.org/CodeSystem/observation-category"), code, code) };
}

QString instant(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject reference(const QString& type, const QString& id)
{
    return QJsonObject { { QStringLiteral("reference"), QString(type + QLatin1Char('/') + id) } };
}

// Dates of the data end on a fixed day, so the same seed gives the same data every year.
const qint64 kEndMs = QDateTime(QDate(2025, 12, 31), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kLastUpdatedLagMs = 3600 * 1000; // records reach the server an hour after the event

} // namespace

QString DataGenerator::medicationId(const QString& rxnormCode)
{
    return QStringLiteral("rxnorm-") + rxnormCode;
}

DataGenerator::DataGenerator(std::uint64_t seed)
    : m_rng(seed)
{
}

int DataGenerator::uniform(int bound)
{
    return bound <= 0 ? 0 : static_cast<int>(next() % static_cast<std::uint64_t>(bound));
}

double DataGenerator::unit()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double DataGenerator::normal(double mean, double sd)
{
    const double u1 = std::max(unit(), 1e-12);
    const double u2 = unit();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void DataGenerator::addBillingRecords(ResourceStore& store)
{
    const QString organization = QStringLiteral("sandbox-general-hospital");
    const QString practitioner = QStringLiteral("sandbox-clinician-1");
    if (!store.get(QStringLiteral("Organization"), organization)) {
        store.put(QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Organization") },
                      { QStringLiteral("id"), organization }, { QStringLiteral("active"), true },
                      { QStringLiteral("name"), QStringLiteral("Sandbox General Hospital") } },
            QString());
    }
    if (!store.get(QStringLiteral("Practitioner"), practitioner)) {
        store.put(QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("Practitioner") },
                      { QStringLiteral("id"), practitioner },
                      { QStringLiteral("name"),
                          QJsonArray { QJsonObject { { QStringLiteral("family"), QStringLiteral("Okafor") },
                              { QStringLiteral("given"), QJsonArray { QStringLiteral("Ada") } },
                              { QStringLiteral("prefix"), QJsonArray { QStringLiteral("Dr.") } } } } } },
            QString());
    }
    for (const QString& patient : store.patientIds()) {
        const QList<ResourcePtr> encounters = store.search(QStringLiteral("Encounter"), patient);
        for (qsizetype i = 0; i < std::min<qsizetype>(3, encounters.size()); ++i) {
            const ResourcePtr& encounter = encounters.at(i);
            const QJsonObject period
                = QJsonDocument::fromJson(encounter->json).object().value(QStringLiteral("period")).toObject();
            const QJsonObject type {
                { QStringLiteral("coding"),
                    QJsonArray { QJsonObject { { QStringLiteral("system"),
                                                   QStringLiteral("http://terminology.hl7.org/CodeSystem/claim-type") },
                        { QStringLiteral("code"), QStringLiteral("professional") } } } },
                { QStringLiteral("text"), QStringLiteral("Professional visit") }
            };
            const QJsonObject common {
                { QStringLiteral("status"), QStringLiteral("active") },
                { QStringLiteral("type"), type },
                { QStringLiteral("use"), QStringLiteral("claim") },
                { QStringLiteral("patient"),
                    QJsonObject { { QStringLiteral("reference"), QString(QStringLiteral("Patient/") + patient) } } },
                { QStringLiteral("billablePeriod"), period },
                { QStringLiteral("created"), period.value(QStringLiteral("end")) },
                { QStringLiteral("provider"),
                    QJsonObject {
                        { QStringLiteral("reference"), QString(QStringLiteral("Organization/") + organization) } } },
                { QStringLiteral("careTeam"),
                    QJsonArray { QJsonObject { { QStringLiteral("sequence"), 1 },
                        { QStringLiteral("provider"),
                            QJsonObject { { QStringLiteral("reference"),
                                QString(QStringLiteral("Practitioner/") + practitioner) } } } } } },
            };
            const QString claimId = QStringLiteral("claim-") + encounter->id;
            if (!store.get(QStringLiteral("Claim"), claimId)) {
                QJsonObject claim = common;
                claim.insert(QStringLiteral("resourceType"), QStringLiteral("Claim"));
                claim.insert(QStringLiteral("id"), claimId);
                claim.insert(QStringLiteral("priority"),
                    QJsonObject { { QStringLiteral("coding"),
                        QJsonArray { QJsonObject { { QStringLiteral("code"), QStringLiteral("normal") } } } } });
                claim.insert(QStringLiteral("total"),
                    QJsonObject { { QStringLiteral("value"), 129.16 + 10 * static_cast<double>(i) },
                        { QStringLiteral("currency"), QStringLiteral("USD") } });
                store.put(claim, patient);
            }
            const QString eobId = QStringLiteral("eob-") + encounter->id;
            if (!store.get(QStringLiteral("ExplanationOfBenefit"), eobId)) {
                QJsonObject eob = common;
                eob.insert(QStringLiteral("resourceType"), QStringLiteral("ExplanationOfBenefit"));
                eob.insert(QStringLiteral("id"), eobId);
                eob.insert(QStringLiteral("outcome"), QStringLiteral("complete"));
                eob.insert(QStringLiteral("claim"),
                    QJsonObject { { QStringLiteral("reference"), QString(QStringLiteral("Claim/") + claimId) } });
                store.put(eob, patient);
            }
        }
    }
}

QString DataGenerator::uuid()
{
    const std::uint64_t hi = (next() & 0xFFFFFFFFFFFF0FFFULL) | 0x4000ULL;
    const std::uint64_t lo = (next() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    const QString hex = QStringLiteral("%1%2").arg(hi, 16, 16, QLatin1Char('0')).arg(lo, 16, 16, QLatin1Char('0'));
    return QStringLiteral("%1-%2-%3-%4-%5")
        .arg(hex.mid(0, 8), hex.mid(8, 4), hex.mid(12, 4), hex.mid(16, 4), hex.mid(20, 12));
}

void DataGenerator::generate(ResourceStore& store, int patients, int resourcesPerPatient)
{
    // Medications are shared, outside every compartment: some
    // MedicationRequests point at them (medicationReference, as Epic sends),
    // the rest carry a medicationCodeableConcept (as Synthea does).
    const qint64 medicationStamp = QDateTime(QDate(2010, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    for (const Code& code : kMedications) {
        store.put(
            QJsonObject {
                { QStringLiteral("resourceType"), QStringLiteral("Medication") },
                { QStringLiteral("id"), medicationId(QString::fromLatin1(code.code)) },
                { QStringLiteral("code"), codeable(kRxNorm, code) },
                { QStringLiteral("status"), QStringLiteral("active") },
                { QStringLiteral("form"),
                    simpleCoding(kSnomed, QStringLiteral("385055001"), QStringLiteral("Tablet")) },
            },
            QString(), medicationStamp);
    }
    for (int i = 0; i < patients; ++i)
        generatePatient(store, i, resourcesPerPatient);
}

void DataGenerator::generatePatient(ResourceStore& store, int index, int resources)
{
    const QString patientId = uuid();
    const int birthYear = 1945 + uniform(60);
    const QDate birthDate(birthYear, 1 + uniform(12), 1 + uniform(28));
    const bool female = uniform(2) == 0;
    const QString given = QString::fromUtf8(kGiven[(index + uniform(3)) % std::size(kGiven)]);
    const QString family = QString::fromUtf8(kFamily[(index * 5 + uniform(3)) % std::size(kFamily)]);
    // Records start at 18 or in 2010, whichever is later: years of history.
    const qint64 startMs = std::max(QDateTime(birthDate.addYears(18), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(),
        QDateTime(QDate(2010, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());

    // How the budget splits across types (percent); Observation takes the rest.
    struct Share {
        const char* type;
        int percent;
    };
    // A DocumentReference comes with its Binary, so each takes the same share.
    constexpr Share shares[] = { { "Encounter", 10 }, { "Condition", 5 }, { "MedicationRequest", 7 },
        { "Immunization", 6 }, { "Procedure", 6 }, { "AllergyIntolerance", 2 }, { "DiagnosticReport", 6 },
        { "DocumentReference", 2 }, { "Binary", 2 }, { "CarePlan", 1 }, { "Goal", 1 }, { "CareTeam", 1 },
        { "Device", 1 }, { "Coverage", 1 } };
    QHash<QString, int> counts;
    int assigned = 0;
    for (const Share& share : shares) {
        const int n = resources * share.percent / 100;
        counts.insert(QString::fromLatin1(share.type),
            std::string_view(share.type) == "Binary" ? counts.value(QStringLiteral("DocumentReference")) : n);
        assigned += counts.value(QString::fromLatin1(share.type));
    }
    if (resources > 0 && counts.value(QStringLiteral("Encounter")) == 0 && resources >= 2) {
        counts[QStringLiteral("Encounter")] = 1;
        ++assigned;
    }
    const int observations = resources - assigned;

    // As Synthea's patients carry them: the record number, and numbers a screen must not show in full (a
    // social security number in the 999 range no one is issued, a driver's licence). Derived from the record
    // number, so the generator's random sequence is what it was.
    const int recordNumber = 100000 + uniform(900000);
    QJsonObject patient {
        { QStringLiteral("resourceType"), QStringLiteral("Patient") },
        { QStringLiteral("id"), patientId },
        { QStringLiteral("identifier"),
            QJsonArray { QJsonObject {
                             { QStringLiteral("type"),
                                 simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v2-0203"),
                                     QStringLiteral("MR"), QStringLiteral("Medical Record Number")) },
                             { QStringLiteral("system"), QStringLiteral("urn:ondevice:sandbox:mrn") },
                             { QStringLiteral("value"), QStringLiteral("MRN-%1").arg(recordNumber) },
                         },
                QJsonObject {
                    { QStringLiteral("type"),
                        simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v2-0203"),
                            QStringLiteral("SS"), QStringLiteral("Social Security Number")) },
                    { QStringLiteral("system"), QStringLiteral("http://hl7.org/fhir/sid/us-ssn") },
                    { QStringLiteral("value"),
                        QStringLiteral("999-%1-%2").arg(recordNumber % 90 + 10).arg(recordNumber % 9000 + 1000) },
                },
                QJsonObject {
                    { QStringLiteral("type"),
                        simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v2-0203"),
                            QStringLiteral("DL"), QStringLiteral("Driver's license number")) },
                    { QStringLiteral("system"), QStringLiteral("urn:oid:2.16.840.1.113883.4.3.25") },
                    { QStringLiteral("value"),
                        QStringLiteral("S9%1").arg(recordNumber * 7 % 10000000, 7, 10, QLatin1Char('0')) },
                } } },
        { QStringLiteral("name"),
            QJsonArray { QJsonObject { { QStringLiteral("use"), QStringLiteral("official") },
                { QStringLiteral("family"), family }, { QStringLiteral("given"), QJsonArray { given } } } } },
        { QStringLiteral("gender"), female ? QStringLiteral("female") : QStringLiteral("male") },
        { QStringLiteral("birthDate"), birthDate.toString(Qt::ISODate) },
        { QStringLiteral("address"),
            QJsonArray { QJsonObject { { QStringLiteral("city"), QStringLiteral("Springfield") },
                { QStringLiteral("state"), QStringLiteral("MA") },
                { QStringLiteral("country"), QStringLiteral("US") } } } },
    };
    store.put(patient, patientId, startMs);

    // Encounters first, sorted in time, so every other record can point at one.
    struct EncounterRef {
        QString id;
        qint64 ms;
    };
    QList<EncounterRef> encounters;
    const qint64 spanDays = std::max<qint64>(1, (kEndMs - startMs) / kDayMs);
    QList<qint64> times;
    for (int i = 0; i < counts.value(QStringLiteral("Encounter")); ++i)
        times.append(startMs + (next() % static_cast<std::uint64_t>(spanDays)) * kDayMs + uniform(10 * 3600) * 1000LL
            + 8 * 3600 * 1000LL);
    std::sort(times.begin(), times.end());
    for (const qint64 ms : std::as_const(times)) {
        const EncounterRef encounter { uuid(), ms };
        const Code& type = kEncounterTypes[uniform(std::size(kEncounterTypes))];
        store.put(
            QJsonObject {
                { QStringLiteral("resourceType"), QStringLiteral("Encounter") },
                { QStringLiteral("id"), encounter.id },
                { QStringLiteral("status"), QStringLiteral("finished") },
                { QStringLiteral("class"),
                    QJsonObject { { QStringLiteral("system"),
                                      QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-ActCode") },
                        { QStringLiteral("code"),
                            QString::fromUtf8(std::string_view(type.code) == "50849002" ? "EMER" : "AMB") } } },
                { QStringLiteral("type"), QJsonArray { codeable(kSnomed, type) } },
                { QStringLiteral("subject"), reference(QStringLiteral("Patient"), patientId) },
                { QStringLiteral("period"),
                    QJsonObject { { QStringLiteral("start"), instant(ms) },
                        { QStringLiteral("end"), instant(ms + 15 * 60 * 1000) } } },
            },
            patientId, ms + kLastUpdatedLagMs);
        encounters.append(encounter);
    }
    // A moment within some encounter (or spread over the span when there is none).
    auto pickMoment = [&](QJsonObject& resource, const QString& patientKey) -> qint64 {
        resource.insert(patientKey, reference(QStringLiteral("Patient"), patientId));
        if (encounters.isEmpty())
            return startMs + static_cast<qint64>(next() % static_cast<std::uint64_t>(spanDays)) * kDayMs;
        const EncounterRef& encounter = encounters.at(uniform(static_cast<int>(encounters.size())));
        resource.insert(QStringLiteral("encounter"), reference(QStringLiteral("Encounter"), encounter.id));
        return encounter.ms + uniform(14 * 60) * 1000LL;
    };

    QList<QPair<QString, QString>> labResults; // id, display: for DiagnosticReport.result
    for (int i = 0; i < observations; ++i) {
        QJsonObject obs { { QStringLiteral("resourceType"), QStringLiteral("Observation") },
            { QStringLiteral("id"), uuid() }, { QStringLiteral("status"), QStringLiteral("final") } };
        const qint64 ms = pickMoment(obs, QStringLiteral("subject"));
        obs.insert(QStringLiteral("effectiveDateTime"), instant(ms));
        obs.insert(QStringLiteral("issued"), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
        const int kind = uniform(100);
        if (kind < 12) {
            // Blood pressure: one panel, two components (as Synthea and US Core send it).
            const double systolic = normal(122, 14);
            const double diastolic = normal(79, 9);
            obs.insert(QStringLiteral("category"), category(QStringLiteral("vital-signs")));
            obs.insert(QStringLiteral("code"),
                codeable(kLoinc, { "85354-9", "Blood pressure panel with all children optional" }));
            obs.insert(QStringLiteral("component"),
                QJsonArray {
                    QJsonObject {
                        { QStringLiteral("code"), codeable(kLoinc, { "8462-4", "Diastolic Blood Pressure" }) },
                        { QStringLiteral("valueQuantity"), quantity(std::round(diastolic), "mm[Hg]") } },
                    QJsonObject { { QStringLiteral("code"), codeable(kLoinc, { "8480-6", "Systolic Blood Pressure" }) },
                        { QStringLiteral("valueQuantity"), quantity(std::round(systolic), "mm[Hg]") } },
                });
        } else if (kind < 60) {
            const Vital& vital = kVitals[uniform(std::size(kVitals))];
            obs.insert(QStringLiteral("category"), category(QStringLiteral("vital-signs")));
            obs.insert(QStringLiteral("code"), codeable(kLoinc, vital.code));
            obs.insert(
                QStringLiteral("valueQuantity"), quantity(std::max(0.1, normal(vital.mean, vital.sd)), vital.unit));
        } else {
            const Lab& lab = kLabs[uniform(std::size(kLabs))];
            const double value = std::round(std::max(0.1, normal(lab.mean, lab.sd)) * 10) / 10;
            const char* flag = value < lab.low ? "L" : value > lab.high ? "H" : "N";
            const char* flagText = value < lab.low ? "Low" : value > lab.high ? "High" : "Normal";
            obs.insert(QStringLiteral("category"), category(QStringLiteral("laboratory")));
            obs.insert(QStringLiteral("code"), codeable(kLoinc, lab.code));
            obs.insert(QStringLiteral("valueQuantity"), quantity(value, lab.unit));
            QJsonObject range { { QStringLiteral("high"), quantity(lab.high, lab.unit) } };
            if (lab.low > 0)
                range.insert(QStringLiteral("low"), quantity(lab.low, lab.unit));
            obs.insert(QStringLiteral("referenceRange"), QJsonArray { range });
            obs.insert(QStringLiteral("interpretation"),
                QJsonArray {
                    simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"),
                        QString::fromLatin1(flag), QString::fromLatin1(flagText)) });
            labResults.append({ obs.value(QStringLiteral("id")).toString(), QString::fromUtf8(lab.code.display) });
        }
        store.put(obs, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("Condition")); ++i) {
        const Code& code = kConditions[uniform(std::size(kConditions))];
        QJsonObject condition { { QStringLiteral("resourceType"), QStringLiteral("Condition") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(condition, QStringLiteral("subject"));
        const bool resolved = uniform(3) == 0;
        condition.insert(QStringLiteral("clinicalStatus"),
            simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/condition-clinical"),
                resolved ? QStringLiteral("resolved") : QStringLiteral("active")));
        condition.insert(QStringLiteral("verificationStatus"),
            simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/condition-ver-status"),
                QStringLiteral("confirmed")));
        condition.insert(QStringLiteral("category"),
            QJsonArray { simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/condition-category"),
                QStringLiteral("encounter-diagnosis"), QStringLiteral("Encounter Diagnosis")) });
        condition.insert(QStringLiteral("code"), codeable(kSnomed, code));
        condition.insert(QStringLiteral("onsetDateTime"), instant(ms));
        condition.insert(QStringLiteral("recordedDate"), instant(ms));
        if (resolved)
            condition.insert(QStringLiteral("abatementDateTime"), instant(ms + (1 + uniform(60)) * kDayMs));
        store.put(condition, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("MedicationRequest")); ++i) {
        const Code& code = kMedications[uniform(std::size(kMedications))];
        QJsonObject request { { QStringLiteral("resourceType"), QStringLiteral("MedicationRequest") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(request, QStringLiteral("subject"));
        request.insert(
            QStringLiteral("status"), uniform(3) == 0 ? QStringLiteral("active") : QStringLiteral("stopped"));
        request.insert(QStringLiteral("intent"), QStringLiteral("order"));
        request.insert(QStringLiteral("authoredOn"), instant(ms));
        request.insert(QStringLiteral("dosageInstruction"),
            QJsonArray { QJsonObject {
                { QStringLiteral("sequence"), 1 },
                { QStringLiteral("timing"),
                    QJsonObject { { QStringLiteral("repeat"),
                        QJsonObject { { QStringLiteral("frequency"), 1 + uniform(2) }, { QStringLiteral("period"), 1 },
                            { QStringLiteral("periodUnit"), QStringLiteral("d") } } } } },
                { QStringLiteral("asNeededBoolean"), false },
                { QStringLiteral("doseAndRate"),
                    QJsonArray { QJsonObject {
                        { QStringLiteral("doseQuantity"), QJsonObject { { QStringLiteral("value"), 1 } } } } } },
            } });
        if (uniform(4) == 0)
            request.insert(QStringLiteral("medicationReference"),
                QJsonObject {
                    { QStringLiteral("reference"),
                        QString(QStringLiteral("Medication/") + medicationId(QString::fromLatin1(code.code))) },
                    { QStringLiteral("display"), QString::fromUtf8(code.display) } });
        else
            request.insert(QStringLiteral("medicationCodeableConcept"), codeable(kRxNorm, code));
        store.put(request, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("Immunization")); ++i) {
        const Code& code = kVaccines[uniform(std::size(kVaccines))];
        QJsonObject immunization { { QStringLiteral("resourceType"), QStringLiteral("Immunization") },
            { QStringLiteral("id"), uuid() }, { QStringLiteral("status"), QStringLiteral("completed") } };
        const qint64 ms = pickMoment(immunization, QStringLiteral("patient"));
        immunization.insert(QStringLiteral("vaccineCode"), codeable(kCvx, code));
        immunization.insert(QStringLiteral("occurrenceDateTime"), instant(ms));
        immunization.insert(QStringLiteral("primarySource"), true);
        store.put(immunization, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("Procedure")); ++i) {
        const Code& code = kProcedures[uniform(std::size(kProcedures))];
        QJsonObject procedure { { QStringLiteral("resourceType"), QStringLiteral("Procedure") },
            { QStringLiteral("id"), uuid() }, { QStringLiteral("status"), QStringLiteral("completed") } };
        const qint64 ms = pickMoment(procedure, QStringLiteral("subject"));
        procedure.insert(QStringLiteral("code"), codeable(kSnomed, code));
        procedure.insert(QStringLiteral("performedPeriod"),
            QJsonObject {
                { QStringLiteral("start"), instant(ms) }, { QStringLiteral("end"), instant(ms + 15 * 60 * 1000) } });
        store.put(procedure, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("AllergyIntolerance")); ++i) {
        const Code& code = kAllergies[uniform(std::size(kAllergies))];
        QJsonObject allergy { { QStringLiteral("resourceType"), QStringLiteral("AllergyIntolerance") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(allergy, QStringLiteral("patient"));
        allergy.remove(QStringLiteral("encounter")); // AllergyIntolerance.encounter is R5; R4 has none
        allergy.insert(QStringLiteral("clinicalStatus"),
            simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"),
                QStringLiteral("active")));
        allergy.insert(QStringLiteral("verificationStatus"),
            simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"),
                QStringLiteral("confirmed")));
        allergy.insert(QStringLiteral("type"), QStringLiteral("allergy"));
        allergy.insert(QStringLiteral("category"),
            QJsonArray { uniform(2) == 0 ? QStringLiteral("food") : QStringLiteral("environment") });
        allergy.insert(QStringLiteral("criticality"), uniform(4) == 0 ? QStringLiteral("high") : QStringLiteral("low"));
        allergy.insert(QStringLiteral("code"), codeable(kSnomed, code));
        allergy.insert(QStringLiteral("recordedDate"), instant(ms));
        store.put(allergy, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("DiagnosticReport")); ++i) {
        const Code& code = kPanels[uniform(std::size(kPanels))];
        QJsonObject report { { QStringLiteral("resourceType"), QStringLiteral("DiagnosticReport") },
            { QStringLiteral("id"), uuid() }, { QStringLiteral("status"), QStringLiteral("final") } };
        const qint64 ms = pickMoment(report, QStringLiteral("subject"));
        report.insert(QStringLiteral("category"),
            QJsonArray { simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v2-0074"),
                QStringLiteral("LAB"), QStringLiteral("Laboratory")) });
        report.insert(QStringLiteral("code"), codeable(kLoinc, code));
        report.insert(QStringLiteral("effectiveDateTime"), instant(ms));
        report.insert(
            QStringLiteral("issued"), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
        QJsonArray results;
        for (int r = 0; r < 3 && !labResults.isEmpty(); ++r) {
            const auto& lab = labResults.at(uniform(static_cast<int>(labResults.size())));
            results.append(
                QJsonObject { { QStringLiteral("reference"), QString(QStringLiteral("Observation/") + lab.first) },
                    { QStringLiteral("display"), lab.second } });
        }
        if (!results.isEmpty())
            report.insert(QStringLiteral("result"), results);
        store.put(report, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("DocumentReference")); ++i) {
        const Code& code = kNoteTypes[uniform(std::size(kNoteTypes))];
        QJsonObject document { { QStringLiteral("resourceType"), QStringLiteral("DocumentReference") },
            { QStringLiteral("id"), uuid() }, { QStringLiteral("status"), QStringLiteral("current") } };
        const qint64 ms = pickMoment(document, QStringLiteral("subject"));
        const QJsonValue encounter = document.take(QStringLiteral("encounter")); // R4 keeps it in context
        const QString binaryId = uuid();
        const QString note = QStringLiteral("%1, %2.\nThe patient was seen today. Vital signs were reviewed; "
                                            "medications were reconciled. Follow up in %3 months.\n")
                                 .arg(QString::fromUtf8(code.display),
                                     QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date().toString(Qt::ISODate))
                                 .arg(1 + uniform(12));
        document.insert(QStringLiteral("type"), codeable(kLoinc, code));
        document.insert(QStringLiteral("category"),
            QJsonArray { simpleCoding(
                QStringLiteral("http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"),
                QStringLiteral("clinical-note"), QStringLiteral("Clinical Note")) });
        document.insert(
            QStringLiteral("date"), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
        document.insert(QStringLiteral("content"),
            QJsonArray { QJsonObject {
                { QStringLiteral("attachment"),
                    QJsonObject { { QStringLiteral("contentType"), QStringLiteral("text/plain; charset=utf-8") },
                        { QStringLiteral("url"), QString(QStringLiteral("Binary/") + binaryId) },
                        { QStringLiteral("size"), static_cast<qint64>(note.toUtf8().size()) } } },
                { QStringLiteral("format"),
                    QJsonObject { { QStringLiteral("system"),
                                      QStringLiteral("http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem") },
                        { QStringLiteral("code"), QStringLiteral("urn:ihe:iti:xds:2017:mimeTypeSufficient") } } },
            } });
        QJsonObject context { { QStringLiteral("period"),
            QJsonObject {
                { QStringLiteral("start"), instant(ms) }, { QStringLiteral("end"), instant(ms + 15 * 60 * 1000) } } } };
        if (!encounter.isUndefined())
            context.insert(QStringLiteral("encounter"), QJsonArray { encounter });
        document.insert(QStringLiteral("context"), context);
        // The Binary belongs to the document's patient (securityContext), so
        // reading it needs a token for that patient.
        store.put(
            QJsonObject {
                { QStringLiteral("resourceType"), QStringLiteral("Binary") },
                { QStringLiteral("id"), binaryId },
                { QStringLiteral("contentType"), QStringLiteral("text/plain; charset=utf-8") },
                { QStringLiteral("securityContext"),
                    reference(QStringLiteral("DocumentReference"), document.value(QStringLiteral("id")).toString()) },
                { QStringLiteral("data"), QString::fromLatin1(note.toUtf8().toBase64()) },
            },
            patientId, ms + kLastUpdatedLagMs);
        store.put(document, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("CarePlan")); ++i) {
        const CarePlanKind& kind = kCarePlans[uniform(std::size(kCarePlans))];
        QJsonObject plan { { QStringLiteral("resourceType"), QStringLiteral("CarePlan") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(plan, QStringLiteral("subject"));
        const bool active = uniform(2) == 0;
        plan.insert(QStringLiteral("text"),
            QJsonObject { { QStringLiteral("status"), QStringLiteral("generated") },
                { QStringLiteral("div"),
                    QStringLiteral("<div xmlns=\"http://www.w3.org/1999/xhtml\">Care Plan for %1.<br/>Activities: "
                                   "<ul><li>%2</li></ul></div>")
                        .arg(QString::fromUtf8(kind.category.display).toHtmlEscaped(),
                            QString::fromUtf8(kind.activity.display).toHtmlEscaped()) } });
        plan.insert(QStringLiteral("status"), active ? QStringLiteral("active") : QStringLiteral("completed"));
        plan.insert(QStringLiteral("intent"), QStringLiteral("order"));
        plan.insert(QStringLiteral("category"), QJsonArray { codeable(kSnomed, kind.category) });
        QJsonObject period { { QStringLiteral("start"), instant(ms) } };
        if (!active)
            period.insert(QStringLiteral("end"), instant(ms + (30 + uniform(300)) * kDayMs));
        plan.insert(QStringLiteral("period"), period);
        plan.insert(QStringLiteral("activity"),
            QJsonArray { QJsonObject { { QStringLiteral("detail"),
                QJsonObject { { QStringLiteral("code"), codeable(kSnomed, kind.activity) },
                    { QStringLiteral("status"),
                        active ? QStringLiteral("in-progress") : QStringLiteral("completed") } } } } });
        store.put(plan, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("Goal")); ++i) {
        const CarePlanKind& kind = kCarePlans[uniform(std::size(kCarePlans))];
        QJsonObject goal { { QStringLiteral("resourceType"), QStringLiteral("Goal") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(goal, QStringLiteral("subject"));
        goal.remove(QStringLiteral("encounter")); // Goal has no encounter element in R4
        goal.insert(QStringLiteral("lifecycleStatus"),
            uniform(3) == 0 ? QStringLiteral("completed") : QStringLiteral("active"));
        goal.insert(
            QStringLiteral("description"), QJsonObject { { QStringLiteral("text"), QString::fromUtf8(kind.goal) } });
        goal.insert(
            QStringLiteral("startDate"), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date().toString(Qt::ISODate));
        store.put(goal, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("CareTeam")); ++i) {
        QJsonObject team { { QStringLiteral("resourceType"), QStringLiteral("CareTeam") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(team, QStringLiteral("subject"));
        const Code& reason = kConditions[uniform(std::size(kConditions))];
        team.insert(QStringLiteral("status"), uniform(2) == 0 ? QStringLiteral("active") : QStringLiteral("inactive"));
        team.insert(QStringLiteral("period"), QJsonObject { { QStringLiteral("start"), instant(ms) } });
        team.insert(QStringLiteral("participant"),
            QJsonArray {
                QJsonObject { { QStringLiteral("role"), QJsonArray { codeable(kSnomed, { "116154003", "Patient" }) } },
                    { QStringLiteral("member"), reference(QStringLiteral("Patient"), patientId) } },
                QJsonObject {
                    { QStringLiteral("role"),
                        QJsonArray { codeable(kSnomed, { "223366009", "Healthcare professional (occupation)" }) } },
                    { QStringLiteral("member"),
                        QJsonObject { { QStringLiteral("display"),
                            QStringLiteral("Dr. %1").arg(
                                QString::fromUtf8(kFamily[uniform(std::size(kFamily))])) } } } },
            });
        team.insert(QStringLiteral("reasonCode"), QJsonArray { codeable(kSnomed, reason) });
        store.put(team, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("Device")); ++i) {
        const Code& code = kDevices[uniform(std::size(kDevices))];
        QJsonObject device { { QStringLiteral("resourceType"), QStringLiteral("Device") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(device, QStringLiteral("patient"));
        device.remove(QStringLiteral("encounter"));
        const QString serial = QString::number(100000000 + uniform(900000000));
        device.insert(QStringLiteral("udiCarrier"),
            QJsonArray { QJsonObject { { QStringLiteral("deviceIdentifier"), QStringLiteral("0%1").arg(serial) },
                { QStringLiteral("carrierHRF"), QStringLiteral("(01)0%1(21)%2").arg(serial, serial) } } });
        device.insert(QStringLiteral("status"), QStringLiteral("active"));
        device.insert(QStringLiteral("serialNumber"), serial);
        device.insert(QStringLiteral("manufactureDate"), instant(ms - 90 * kDayMs));
        device.insert(QStringLiteral("deviceName"),
            QJsonArray { QJsonObject { { QStringLiteral("name"), QString::fromUtf8(code.display) },
                { QStringLiteral("type"), QStringLiteral("user-friendly-name") } } });
        device.insert(QStringLiteral("type"), codeable(kSnomed, code));
        store.put(device, patientId, ms + kLastUpdatedLagMs);
    }

    for (int i = 0; i < counts.value(QStringLiteral("Coverage")); ++i) {
        QJsonObject coverage { { QStringLiteral("resourceType"), QStringLiteral("Coverage") },
            { QStringLiteral("id"), uuid() } };
        const qint64 ms = pickMoment(coverage, QStringLiteral("beneficiary"));
        coverage.remove(QStringLiteral("encounter"));
        const QString payer = QString::fromUtf8(kPayers[uniform(std::size(kPayers))]);
        coverage.insert(QStringLiteral("status"), QStringLiteral("active"));
        coverage.insert(QStringLiteral("type"),
            simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/v3-ActCode"), QStringLiteral("HIP"),
                QStringLiteral("health insurance plan policy")));
        coverage.insert(QStringLiteral("subscriberId"), QStringLiteral("SUB-%1").arg(100000 + uniform(900000)));
        coverage.insert(QStringLiteral("relationship"),
            simpleCoding(QStringLiteral("http://terminology.hl7.org/CodeSystem/subscriber-relationship"),
                QStringLiteral("self"), QStringLiteral("Self")));
        coverage.insert(QStringLiteral("period"), QJsonObject { { QStringLiteral("start"), instant(ms) } });
        coverage.insert(QStringLiteral("payor"), QJsonArray { QJsonObject { { QStringLiteral("display"), payer } } });
        store.put(coverage, patientId, ms + kLastUpdatedLagMs);
    }
}

} // namespace ondevice::sandbox
