#pragma once

#include <QDateTime>

#include <functional>

namespace ondevice {

// The time seam: production passes systemClock(), tests pass a fixed or
// stepping clock. Always UTC.
using Clock = std::function<QDateTime()>;

inline Clock systemClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}

} // namespace ondevice
