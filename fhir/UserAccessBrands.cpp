#include "UserAccessBrands.h"
#include "SimdJson.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <vector>

#include <algorithm>

namespace ondevice::fhir {

namespace {

constexpr char kBrandExtension[] = "http://hl7.org/fhir/StructureDefinition/organization-brand";
constexpr char kPortalExtension[] = "http://hl7.org/fhir/StructureDefinition/organization-portal";
constexpr char kFhirVersionExtension[] = "http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version";
constexpr int kMaxPartOfDepth = 2;

Failure<BrandError> notABundle(const QString& detail)
{
    return { BrandError::NotABundle,
        QCoreApplication::translate("ondevice::fhir::UserAccessBrands",
            "This provider directory could not be read; the copy kept before stays in use."),
        detail };
}

// FHIR relative references ("Endpoint/x") are relative to the server base the entry's fullUrl names
// ("https://h/r4/Organization/o" -> "https://h/r4/"); absolute ones stand as they are.
QString resolve(const QString& reference, const QString& fullUrl, const QUrl& source)
{
    const QUrl asUrl(reference);
    if (asUrl.isValid() && !asUrl.isRelative())
        return reference;
    QString base = fullUrl;
    const QStringList parts = fullUrl.split(QLatin1Char('/'));
    if (parts.size() >= 2)
        base = parts.mid(0, parts.size() - 2).join(QLatin1Char('/')) + QLatin1Char('/');
    else
        base = source.adjusted(QUrl::RemoveFilename | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
    return base + reference;
}

QString entryKey(const SimdJson& entry, const SimdJson& resource)
{
    QString fullUrl = entry["fullUrl"].string();
    if (!fullUrl.isEmpty())
        return fullUrl;
    return resource["resourceType"].string() + QLatin1Char('/') + resource["id"].string();
}

// The sub-extension `name` of a complex extension: its value member, whatever its type.
SimdJson subValue(const SimdJson& extension, const char* name)
{
    SimdJson found;
    extension["extension"].forEach([&](const SimdJson& sub) {
        if (found.valid() || sub["url"].string() != QLatin1String(name))
            return;
        sub.forEachMember([&](std::string_view key, const SimdJson& value) {
            if (!found.valid() && key.substr(0, 5) == "value")
                found = value;
        });
    });
    return found;
}

QList<SimdJson> subValues(const SimdJson& extension, const char* name)
{
    QList<SimdJson> out;
    extension["extension"].forEach([&](const SimdJson& sub) {
        if (sub["url"].string() == QLatin1String(name))
            out << sub["valueReference"];
    });
    return out;
}

QUrl httpUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    return url.isValid() && (scheme == QLatin1String("https") || scheme == QLatin1String("http")) ? url : QUrl();
}

QUrl logoUrl(const QString& text)
{
    if (text.startsWith(QLatin1String("data:image/")))
        return QUrl(text);
    return httpUrl(text);
}

struct Endpoints {
    QHash<QString, QUrl> usable; // resolved key -> FHIR base

    QUrl find(const QString& reference, const QString& fullUrl, const QUrl& source) const
    {
        return usable.value(resolve(reference, fullUrl, source), usable.value(reference));
    }
};

void addUnique(QList<QUrl>& list, const QUrl& url)
{
    if (url.isValid() && !list.contains(url))
        list << url;
}

} // namespace

Expected<QList<Brand>, BrandError> parseBrandBundle(const QByteArray& json, const QUrl& source)
{
    // simdjson: a national directory is tens of MB, and QJsonDocument took most of its load time.
    simdjson::dom::parser parser;
    simdjson::dom::element parsed;
    if (const auto error = parser.parse(json.constData(), size_t(json.size())).get(parsed))
        return notABundle(
            QStringLiteral("not JSON (%1): cut short?").arg(QLatin1String(simdjson::error_message(error))));
    const SimdJson bundle(parsed);
    if (bundle["resourceType"].string() != QLatin1String("Bundle"))
        return notABundle(QStringLiteral("not a FHIR Bundle"));
    const SimdJson entries = bundle["entry"];

    // Endpoints first: an Organization may name one listed after it.
    Endpoints endpoints;
    entries.forEach([&](const SimdJson& entry) {
        const SimdJson resource = entry["resource"];
        if (resource["resourceType"].string() != QLatin1String("Endpoint"))
            return;
        if (resource["status"].string() != QLatin1String("active")
            || resource["connectionType"]["code"].string() != QLatin1String("hl7-fhir-rest"))
            return;
        // FHIR R4 only; an Endpoint that does not say is given the benefit of the doubt (discovery checks).
        bool r4 = true;
        resource["extension"].forEach([&r4](const SimdJson& ext) {
            if (ext["url"].string() == QLatin1String(kFhirVersionExtension))
                r4 = ext["valueCode"].string().startsWith(QLatin1String("4.0"));
        });
        const QUrl address = httpUrl(resource["address"].string());
        if (!r4 || !address.isValid())
            return;
        const QString key = entryKey(entry, resource);
        endpoints.usable.insert(key, address.adjusted(QUrl::StripTrailingSlash));
        endpoints.usable.insert(
            QStringLiteral("Endpoint/") + resource["id"].string(), address.adjusted(QUrl::StripTrailingSlash));
    });

    QList<Brand> brands;
    QHash<QString, int> byKey;
    QHash<int, QString> parentOf;
    entries.forEach([&](const SimdJson& entry) {
        const SimdJson org = entry["resource"];
        if (org["resourceType"].string() != QLatin1String("Organization"))
            return;
        const QString fullUrl = entry["fullUrl"].string();
        Brand brand;
        brand.id = entryKey(entry, org);
        brand.source = source;
        brand.name = org["name"].string().trimmed();
        if (brand.name.isEmpty())
            return; // nothing a patient could recognise
        org["alias"].forEach([&brand](const SimdJson& alias) {
            if (!alias.string().trimmed().isEmpty())
                brand.aliases << alias.string().trimmed();
        });
        org["identifier"].forEach([&brand](const SimdJson& id) {
            if (!id["value"].string().isEmpty())
                brand.identifiers << id["system"].string() + QLatin1Char('|') + id["value"].string();
        });
        org["address"].forEach([&brand](const SimdJson& a) {
            const BrandLocation location { a["city"].string(), a["state"].string() };
            if (!location.city.isEmpty() || !location.state.isEmpty())
                brand.locations << location;
        });
        org["telecom"].forEach([&brand](const SimdJson& telecom) {
            if (telecom["system"].string() == QLatin1String("url") && brand.website.isEmpty())
                brand.website = httpUrl(telecom["value"].string());
        });
        org["extension"].forEach([&](const SimdJson& extension) {
            const QString url = extension["url"].string();
            if (url == QLatin1String(kBrandExtension)) {
                brand.logo = logoUrl(subValue(extension, "brandLogo").string());
                brand.logoLicense = subValue(extension, "brandLogoLicense").string();
            } else if (url == QLatin1String(kPortalExtension)) {
                BrandPortal portal;
                portal.name = subValue(extension, "portalName").string();
                portal.description = subValue(extension, "portalDescription").string();
                portal.url = httpUrl(subValue(extension, "portalUrl").string());
                portal.logo = logoUrl(subValue(extension, "portalLogo").string());
                for (const SimdJson& reference : subValues(extension, "portalEndpoint"))
                    addUnique(portal.fhirBases, endpoints.find(reference["reference"].string(), fullUrl, source));
                brand.portals << portal;
            }
        });
        org["endpoint"].forEach([&](const SimdJson& reference) {
            addUnique(brand.fhirBases, endpoints.find(reference["reference"].string(), fullUrl, source));
        });
        for (const BrandPortal& portal : std::as_const(brand.portals))
            for (const QUrl& base : portal.fhirBases)
                addUnique(brand.fhirBases, base);
        const QString parent = org["partOf"]["reference"].string();
        byKey.insert(brand.id, static_cast<int>(brands.size()));
        byKey.insert(QStringLiteral("Organization/") + org["id"].string(), static_cast<int>(brands.size()));
        if (!parent.isEmpty())
            parentOf.insert(
                static_cast<int>(brands.size()), resolve(parent, fullUrl, source) + QLatin1Char('\n') + parent);
        brands << brand;
    });

    // Affiliates without endpoints of their own connect through their parent's (partOf, two levels at most).
    const auto parentIndex = [&](int i) {
        const QStringList keys = parentOf.value(i).split(QLatin1Char('\n'));
        for (const QString& key : keys)
            if (const auto it = byKey.constFind(key); it != byKey.constEnd() && it.value() != i)
                return it.value();
        return -1;
    };
    for (int i = 0; i < brands.size(); ++i) {
        int parent = parentIndex(i);
        if (parent >= 0)
            brands[i].parentName = brands[parent].name;
        for (int depth = 0; depth < kMaxPartOfDepth && parent >= 0 && brands[i].fhirBases.isEmpty(); ++depth) {
            brands[i].fhirBases = brands[parent].fhirBases;
            brands[i].inheritedEndpoints = !brands[i].fhirBases.isEmpty();
            if (brands[i].portals.isEmpty())
                brands[i].portals = brands[parent].portals;
            parent = parentIndex(parent);
        }
    }
    return brands;
}

QList<Brand> mergeBrands(const QList<QList<Brand>>& sources, const QUrl& preferred)
{
    QList<const QList<Brand>*> ordered;
    for (const QList<Brand>& source : sources)
        if (!source.isEmpty() && source.first().source == preferred && preferred.isValid())
            ordered.prepend(&source);
        else
            ordered.append(&source);
    QList<Brand> merged;
    QHash<QString, int> byIdentifier;
    for (const QList<Brand>* source : std::as_const(ordered)) {
        for (const Brand& brand : *source) {
            int into = -1;
            for (const QString& identifier : brand.identifiers)
                if (const auto it = byIdentifier.constFind(identifier); it != byIdentifier.constEnd())
                    into = it.value();
            if (into < 0) {
                into = static_cast<int>(merged.size());
                merged << brand;
            } else {
                Brand& kept = merged[into];
                for (const QString& alias : brand.aliases)
                    if (!kept.aliases.contains(alias) && alias != kept.name)
                        kept.aliases << alias;
                for (const BrandLocation& location : brand.locations)
                    if (std::none_of(kept.locations.cbegin(), kept.locations.cend(), [&](const BrandLocation& l) {
                            return l.city == location.city && l.state == location.state;
                        }))
                        kept.locations << location;
                if (kept.fhirBases.isEmpty()) {
                    kept.fhirBases = brand.fhirBases;
                    kept.inheritedEndpoints = brand.inheritedEndpoints;
                }
                if (kept.logo.isEmpty())
                    kept.logo = brand.logo;
            }
            for (const QString& identifier : brand.identifiers)
                byIdentifier.insert(identifier, into);
        }
    }
    return merged;
}

int findBrandByIdentifier(const QList<Brand>& brands, const QString& system, const QString& value)
{
    int found = -1;
    for (int i = 0; i < brands.size(); ++i) {
        const bool match = std::any_of(brands[i].identifiers.cbegin(), brands[i].identifiers.cend(),
            [&](const QString& id) { return id == system + QLatin1Char('|') + value; });
        if (!match)
            continue;
        if (found >= 0)
            return -1; // more than one: the server's name is not certain
        found = i;
    }
    return found;
}

// --- search ------------------------------------------------------------------

struct BrandIndex::Data {
    QList<Brand> brands;
    QStringList foldedNames;
    // Every word of every brand (name, aliases, cities, states), folded, with the brand it belongs to, sorted:
    // a query word's prefix range is one binary search away.
    QList<std::pair<QString, int>> words;
};

BrandIndex::BrandIndex(QList<Brand> brands)
    : d(std::make_unique<Data>())
{
    d->brands = std::move(brands);
    d->foldedNames.reserve(d->brands.size());
    for (int i = 0; i < d->brands.size(); ++i) {
        const Brand& brand = d->brands[i];
        d->foldedNames << fold(brand.name);
        QStringList texts { d->foldedNames.last() };
        for (const QString& alias : brand.aliases)
            texts << fold(alias);
        for (const BrandLocation& location : brand.locations)
            texts << fold(location.city) << fold(location.state);
        QStringList seen;
        for (const QString& text : std::as_const(texts))
            for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                if (!seen.contains(word)) {
                    seen << word;
                    d->words.append({ word, i });
                }
    }
    std::sort(d->words.begin(), d->words.end());
}

BrandIndex::~BrandIndex() = default;
BrandIndex::BrandIndex(BrandIndex&&) noexcept = default;
BrandIndex& BrandIndex::operator=(BrandIndex&&) noexcept = default;

const QList<Brand>& BrandIndex::brands() const
{
    return d->brands;
}

QString BrandIndex::fold(const QString& text)
{
    // Most names are plain ASCII: no decomposition needed for them.
    const bool ascii = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    const QString decomposed = ascii ? text : text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    bool space = true;
    for (const QChar c : decomposed) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        if (c.isLetterOrNumber()) {
            out += c.toCaseFolded();
            space = false;
        } else if (!space) {
            out += QLatin1Char(' ');
            space = true;
        }
    }
    if (out.endsWith(QLatin1Char(' ')))
        out.chop(1);
    return out;
}

QList<int> BrandIndex::search(const QString& query, int limit) const
{
    const QString folded = fold(query);
    const QStringList terms = folded.split(QLatin1Char(' '), Qt::SkipEmptyParts).mid(0, 32); // counted in a byte
    QList<int> hits;
    if (terms.isEmpty()) {
        for (int i = 0; i < d->brands.size() && i < limit; ++i)
            hits << i;
        return hits;
    }
    // How many terms each brand has a word for: a brand matches when it has one for every term.
    std::vector<quint8> found(static_cast<size_t>(d->brands.size()), 0);
    for (int t = 0; t < terms.size(); ++t) {
        const QString& term = terms[t];
        bool any = false;
        auto it = std::lower_bound(d->words.cbegin(), d->words.cend(), std::pair<QString, int> { term, -1 });
        for (; it != d->words.cend() && it->first.startsWith(term); ++it) {
            quint8& count = found[static_cast<size_t>(it->second)];
            if (count == t) { // once per term, however many of its words start with it
                count = static_cast<quint8>(t + 1);
                any = true;
            }
        }
        if (!any)
            return {};
    }
    // 0: the name starts with the query; 1: a word of the name starts with the first term; 2: the rest. In
    // the directory's order within each; only as many as asked for.
    const QString wordStart = QLatin1Char(' ') + terms.first();
    QList<int> ranked[3];
    for (int i = 0; i < d->brands.size() && ranked[0].size() < limit; ++i) {
        if (found[static_cast<size_t>(i)] != terms.size())
            continue;
        const QString& name = d->foldedNames[i];
        const int rank = name.startsWith(folded) ? 0 : name.contains(wordStart) ? 1 : 2;
        if (ranked[rank].size() < limit)
            ranked[rank] << i;
    }
    for (const QList<int>& group : ranked)
        hits << group;
    if (hits.size() > limit)
        hits.resize(limit);
    return hits;
}

} // namespace ondevice::fhir
