#pragma once

#include <QString>

#include <simdjson.h>

#include <string_view>

namespace ondevice::fhir {

// A value of simdjson's DOM, or nothing (a missing member): asking nothing for a member, a string or the items of
// an array gives nothing, never an assertion. What FhirClient::parseBundle and ResourceIndex read pages through.
class SimdJson {
public:
    SimdJson() = default;
    explicit SimdJson(simdjson::dom::element element)
        : m_element(element)
        , m_valid(true)
    {
    }
    // A repeated key counts as its last occurrence, as QJsonDocument reads it.
    SimdJson operator[](std::string_view key) const
    {
        SimdJson found;
        simdjson::dom::object object;
        if (m_valid && m_element.get_object().get(object) == simdjson::SUCCESS)
            for (const simdjson::dom::key_value_pair field : object)
                if (field.key == key)
                    found = SimdJson(field.value);
        return found;
    }
    bool isObject() const { return m_valid && m_element.is_object(); }
    bool isArray() const { return m_valid && m_element.is_array(); }
    bool isString() const { return m_valid && m_element.is_string(); }
    QString string() const
    {
        std::string_view text;
        if (!m_valid || m_element.get_string().get(text) != simdjson::SUCCESS)
            return {};
        return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
    }
    bool has(std::string_view key) const { return (*this)[key].m_valid; }
    // An object without members, or not an object.
    bool isEmptyObject() const
    {
        simdjson::dom::object object;
        return !m_valid || m_element.get_object().get(object) != simdjson::SUCCESS || object.size() == 0;
    }
    qsizetype size() const
    {
        simdjson::dom::array array;
        return m_valid && m_element.get_array().get(array) == simdjson::SUCCESS ? qsizetype(array.size()) : 0;
    }
    template <typename F> void forEach(F&& f) const
    {
        simdjson::dom::array array;
        if (m_valid && m_element.get_array().get(array) == simdjson::SUCCESS)
            for (const simdjson::dom::element item : array)
                f(SimdJson(item));
    }
    template <typename F> void forEachMember(F&& f) const
    {
        simdjson::dom::object object;
        if (m_valid && m_element.get_object().get(object) == simdjson::SUCCESS)
            for (const simdjson::dom::key_value_pair field : object)
                f(field.key, SimdJson(field.value));
    }
    SimdJson first() const
    {
        simdjson::dom::array array;
        simdjson::dom::element item;
        if (m_valid && m_element.get_array().get(array) == simdjson::SUCCESS
            && array.at(0).get(item) == simdjson::SUCCESS)
            return SimdJson(item);
        return {};
    }
    bool valid() const { return m_valid; }
    simdjson::dom::element element() const { return m_element; } // only when valid()

private:
    simdjson::dom::element m_element;
    bool m_valid = false;
};

} // namespace ondevice::fhir
