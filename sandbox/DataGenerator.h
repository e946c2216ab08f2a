#pragma once

#include <QString>

#include <cstdint>
#include <random>

namespace ondevice::sandbox {

class ResourceStore;

// Synthetic patients shaped like Synthea's R4 bundles: LOINC vitals with UCUM
// units, blood pressure as two components, labs with reference ranges and
// interpretations, SNOMED conditions and procedures, RxNorm medication
// requests, CVX immunizations, encounters spread over years. The same seed
// gives the same data, byte for byte: everything comes from one
// std::mt19937_64 consumed in a fixed order, with our own distributions
// (the standard library's differ between implementations).
class DataGenerator {
public:
    explicit DataGenerator(std::uint64_t seed);

    // Adds `patients` patients with `resourcesPerPatient` clinical resources each.
    void generate(ResourceStore& store, int patients, int resourcesPerPatient);
    // The id of the shared Medication for an RxNorm code.
    static QString medicationId(const QString& rxnormCode);
    // For every patient, a Claim and an ExplanationOfBenefit for each of their first three encounters, and
    // the one Organization and Practitioner they name, as Synthea's bundles carry them. Deterministic (ids
    // and dates come from the encounters; lastUpdated is when they are added) and idempotent: what exists is
    // left alone.
    static void addBillingRecords(ResourceStore& store);

private:
    std::uint64_t next() { return m_rng(); }
    int uniform(int bound); // 0..bound-1
    double unit(); // [0, 1)
    double normal(double mean, double sd);
    QString uuid();
    void generatePatient(ResourceStore& store, int index, int resources);

    std::mt19937_64 m_rng;
};

} // namespace ondevice::sandbox
