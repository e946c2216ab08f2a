#pragma once

#include "RecordCategory.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace ondevice::ui {

// Given a reference ("Practitioner/123"), the name of what it points to when
// that resource is on this device, else an empty string.
using ReferenceResolver = std::function<QString(const QString& reference)>;

struct DetailField {
    QString label;
    QString value;
};

struct RenderedDetail {
    QString title;
    QString kind; // "Observation · Laboratory"
    QList<DetailField> fields;
};

// Turns FHIR resources into text for people: code display text, values with
// units, components (blood pressure 120/80 mmHg), reference ranges and flags,
// dates in the local format, references as names. Everything it returns is
// plain text taken from the resource: callers show it with Qt::PlainText,
// never as HTML (a resource may carry "<script>" in a note).
// Pure functions, safe on any thread (table rows are rendered off the GUI thread).
class ResourceRenderer {
    Q_DECLARE_TR_FUNCTIONS(ResourceRenderer)

public:
    static QString conceptText(const QJsonValue& codeableConcept);
    // A code of one of FHIR's fixed value sets (a status, a gender, a criticality) in the patient's words and
    // language; a code this app does not know, as it is.
    static QString codeWord(const QString& code);
    static QString coding(const QJsonValue& coding);
    static QString concepts(const QJsonValue& codeableConcepts); // an array, joined
    static QString number(double value);
    static QString quantity(const QJsonValue& quantity);
    // A unit as people read it: UCUM's mm[Hg] as mmHg, annotations in braces as words ({score} -> score,
    // {beats}/min -> beats/min).
    static QString unit(const QString& ucum);
    // An identifier as the screen may show it: all but the last four letters or digits hidden, separators
    // kept (999-36-8616 -> ***-**-8616); a value of four or fewer is hidden whole.
    static QString masked(const QString& identifier);
    // Observation value[x], or its components ("120/80 mmHg" for blood pressure).
    static QString value(const QJsonObject& observation);
    static QString referenceRange(const QJsonObject& observation);
    static QString flag(const QJsonObject& observation);
    // A FHIR date/dateTime/instant in the local format; partial dates as given.
    static QString date(const QString& fhirDate);
    // The day only, for table cells and lists (the detail shows the time).
    static QString day(const QString& fhirDate);
    static QString period(const QJsonValue& period);
    static QString typeName(const QString& resourceType);
    // The main name of a resource (its code, vaccine, medication, type, title, name).
    static QString title(const QJsonObject& resource);
    // The resource's clinically relevant date as text.
    static QString when(const QJsonObject& resource);
    static QString reference(const QJsonValue& reference, const ReferenceResolver& resolve);
    // One table row of `category` (columns as RecordCategories::columns).
    static QStringList cells(RecordCategory category, const QJsonObject& resource, const QString& source);
    static RenderedDetail detail(const QJsonObject& resource, const QString& source, const ReferenceResolver& resolve);
    static QString detailText(const RenderedDetail& detail);
};

} // namespace ondevice::ui
