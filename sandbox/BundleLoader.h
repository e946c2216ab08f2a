#pragma once

#include <QString>

namespace ondevice::sandbox {

class ResourceStore;

// --load DIR: FHIR R4 Bundles (type collection or transaction) from the
// *.json files of a directory, such as Synthea's patient bundles. Every file
// is read and checked before anything is stored, so a bad file changes
// nothing. `urn:uuid:` references between entries are rewritten to
// `Type/id`; resource types this server does not serve (Claim,
// ExplanationOfBenefit, Organization, Practitioner...) are skipped and
// counted. Each compartment resource must point at a Patient of the same
// file or one loaded before it.
class BundleLoader {
public:
    explicit BundleLoader(ResourceStore& store);

    // Empty on success, else the first problem: "FILE: entry N: why".
    QString load(const QString& directory);
    // One line for stderr: what was loaded and skipped.
    QString summary() const { return m_summary; }

private:
    ResourceStore& m_store;
    QString m_summary;
};

} // namespace ondevice::sandbox
