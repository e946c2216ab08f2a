#pragma once

// How the product continues a QFuture: one idiom, everywhere. Kept apart from auth/QtCompat.h (the Qt
// NetworkAuth workarounds), so that every layer can use it without seeing Qt NetworkAuth.

#include <QCoreApplication>
#include <QObject>
#include <QPointer>

#include <type_traits>
#include <utility>

namespace ondevice::compat {

// Qt 6.4's QFuture::then(context, f) asserts (and in a release build runs on a
// dangling object) when `context` is destroyed before the future finishes;
// Qt 6.6 cancels the continuation instead. So continuations run in the
// application object's context, and ifAlive() skips the work when the object
// that asked for it is gone:
//     future.then(compat::continuationContext(), compat::ifAlive(this, [this](const T& v) { ... }));
inline QObject* continuationContext()
{
    return QCoreApplication::instance();
}

namespace detail {
// The parameter of a continuation: QFuture::then() looks at it to decide
// whether to pass the value or the future, so the wrapper must keep it.
template <typename F> struct Parameter : Parameter<decltype(&F::operator())> {
};
template <typename C, typename R, typename A> struct Parameter<R (C::*)(A) const> {
    using type = A;
};
template <typename C, typename R, typename A> struct Parameter<R (C::*)(A)> {
    using type = A;
};
} // namespace detail

template <typename F> auto ifAlive(QObject* owner, F&& work)
{
    using Arg = typename detail::Parameter<std::decay_t<F>>::type;
    return [owner = QPointer<QObject>(owner), work = std::forward<F>(work)](Arg arg) mutable {
        if (owner)
            work(std::forward<Arg>(arg));
    };
}

// The same for a continuation that hands its value on unchanged (a future returned to callers): the
// side effects run only while `owner` lives; the value always passes through.
//     return future.then(compat::continuationContext(), compat::passThrough(this, [this](const T& v) { ... }));
template <typename F> auto passThrough(QObject* owner, F&& work)
{
    using Arg = typename detail::Parameter<std::decay_t<F>>::type;
    return [owner = QPointer<QObject>(owner), work = std::forward<F>(work)](Arg arg) mutable -> std::decay_t<Arg> {
        if (owner)
            work(arg);
        return arg;
    };
}

} // namespace ondevice::compat
