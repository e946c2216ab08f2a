#pragma once

// Shared by every fuzz target: the libFuzzer entry point's declaration and the
// helpers that turn its bytes into Qt types. Each target is one .cpp with a
// LLVMFuzzerTestOneInput; built by clang with -fsanitize=fuzzer (ONDEVICE_FUZZ)
// or by GCC with ReplayMain.cpp as a ctest case that replays the corpus.

#include <QByteArray>
#include <QByteArrayView>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace ondevice::fuzz {

inline QByteArray bytes(const std::uint8_t* data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
}

// Splits at the first NUL: targets that take two inputs (a key set and a
// token, a header and a payload) read them this way. No NUL: all of it is
// the first part and the second is empty.
inline std::pair<QByteArray, QByteArray> splitAtNul(const QByteArray& input)
{
    const qsizetype nul = input.indexOf('\0');
    if (nul < 0)
        return { input, QByteArray() };
    return { input.left(nul), input.mid(nul + 1) };
}

// A property the parser promises was broken: report it and abort, so that
// libFuzzer records a crasher and the replay test fails.
[[noreturn]] inline void broken(const char* what)
{
    std::fprintf(stderr, "fuzz property broken: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

inline void require(bool condition, const char* what)
{
    if (!condition)
        broken(what);
}

} // namespace ondevice::fuzz
