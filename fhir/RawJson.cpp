#include "fhir/RawJson.h"

namespace ondevice::fhir {

namespace {

// A forward-only reader over JSON text that finds where values start and end, without building them.
class Scanner {
public:
    explicit Scanner(QByteArrayView text)
        : m_text(text)
    {
    }

    qsizetype pos() const { return m_pos; }
    // Where the next value starts (after white space).
    qsizetype valueStart() { return skipSpace(); }
    bool atEnd() { return skipSpace() >= m_text.size(); }

    // Consumes `c` (after white space) when it is next.
    bool take(char c)
    {
        if (skipSpace() < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    bool peek(char c) { return skipSpace() < m_text.size() && m_text[m_pos] == c; }

    // A string; `escaped` tells whether it held a backslash (its raw bytes then differ from its value).
    std::optional<QByteArrayView> string(bool* escaped)
    {
        if (!take('"'))
            return std::nullopt;
        const qsizetype start = m_pos;
        *escaped = false;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '\\') {
                *escaped = true;
                ++m_pos; // the escaped character; \uXXXX's digits are plain characters
            } else if (c == '"') {
                return m_text.sliced(start, m_pos - 1 - start);
            }
        }
        return std::nullopt;
    }

    // Steps over one value of any kind; false when the text ends first.
    bool skipValue()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            return false;
        const char c = m_text[m_pos];
        if (c == '"') {
            bool escaped = false;
            return string(&escaped).has_value();
        }
        if (c == '{' || c == '[') {
            // Nested brackets by counting, with strings stepped over whole: no recursion on hostile depth.
            int depth = 0;
            while (m_pos < m_text.size()) {
                const char d = m_text[m_pos];
                if (d == '"') {
                    bool escaped = false;
                    if (!string(&escaped))
                        return false;
                    continue;
                }
                ++m_pos;
                if (d == '{' || d == '[')
                    ++depth;
                else if ((d == '}' || d == ']') && --depth == 0)
                    return true;
            }
            return false;
        }
        // A number, true, false or null: up to the next delimiter.
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && !isDelimiter(m_text[m_pos]))
            ++m_pos;
        return m_pos > start;
    }

private:
    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    static bool isDelimiter(char c) { return c == ',' || c == '}' || c == ']' || isSpace(c); }

    qsizetype skipSpace()
    {
        while (m_pos < m_text.size() && isSpace(m_text[m_pos]))
            ++m_pos;
        return m_pos;
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

// Calls member(key, scanner) for each member of the object that starts here; member() must consume the value.
// false on anything unexpected, an escaped key included.
template <typename Member> bool forEachMember(Scanner& s, Member member)
{
    if (!s.take('{'))
        return false;
    if (s.take('}'))
        return true;
    do {
        bool escaped = false;
        const auto key = s.string(&escaped);
        if (!key || escaped || !s.take(':') || !member(*key))
            return false;
    } while (s.take(','));
    return s.take('}');
}

} // namespace

std::optional<QList<QByteArrayView>> bundleEntryResources(QByteArrayView json)
{
    Scanner s(json);
    QList<QByteArrayView> resources;
    bool sawEntry = false;
    const bool ok = forEachMember(s, [&](QByteArrayView key) {
        if (key != "entry")
            return s.skipValue();
        if (sawEntry || !s.take('['))
            return false;
        sawEntry = true;
        if (s.take(']'))
            return true;
        do {
            QByteArrayView resource;
            if (!s.peek('{')) {
                if (!s.skipValue())
                    return false;
            } else {
                bool sawResource = false;
                const bool entryOk = forEachMember(s, [&](QByteArrayView entryKey) {
                    if (entryKey != "resource")
                        return s.skipValue();
                    if (sawResource)
                        return false;
                    sawResource = true;
                    const qsizetype start = s.valueStart();
                    if (!s.skipValue())
                        return false;
                    resource = json.sliced(start, s.pos() - start);
                    return true;
                });
                if (!entryOk)
                    return false;
            }
            resources << resource;
        } while (s.take(','));
        return s.take(']');
    });
    if (!ok || !s.atEnd())
        return std::nullopt;
    return resources;
}

} // namespace ondevice::fhir
