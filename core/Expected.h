#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace ondevice {

// What went wrong: a code the program can branch on, a message for the user
// (already translated), and a detail for developers (never a secret).
template <typename Code> struct [[nodiscard]] Failure {
    Code code;
    QString message;
    QString detail;
};

// A value or a Failure. Small on purpose: std::expected is C++23.
template <typename T, typename Code> class [[nodiscard]] Expected {
public:
    Expected(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {
    }
    Expected(Failure<Code> failure)
        : m_state(std::in_place_index<1>, std::move(failure))
    {
    }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_state); }
    // By value: a reference into a temporary Expected would dangle in
    // `for (auto& x : f().value())`.
    T value() && { return std::get<0>(std::move(m_state)); }
    const Failure<Code>& failure() const { return std::get<1>(m_state); }
    Code code() const { return failure().code; }

private:
    std::variant<T, Failure<Code>> m_state;
};

// For operations that only succeed or fail.
struct Done { };

} // namespace ondevice
