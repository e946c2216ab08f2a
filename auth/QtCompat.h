#pragma once

// Every Qt-version-dependent decision in the project is made here, so that a
// newer Qt 6 needs changes in one place only. Qt 6.4.2 (Debian 12) is the only
// version tested; the branches for newer versions compile but are untested.

#include <QCoreApplication>
#include <QOAuth2AuthorizationCodeFlow>
#include <QPointer>
#include <QtGlobal>

#include <type_traits>
#include <utility>

namespace ondevice::compat {

// Qt 6.8 added QOAuth2AuthorizationCodeFlow::setPkceMethod() and turns PKCE on
// by default. Below 6.8 we add the PKCE parameters ourselves through the
// modify-parameters hook; from 6.8 on we use the native support. Never both.
inline constexpr bool kNativePkce = QT_VERSION >= QT_VERSION_CHECK(6, 8, 0);

// Turns on the native PKCE S256 where it exists; a no-op below 6.8, where
// SmartLaunch adds the parameters itself (kNativePkce decides which).
inline void enableNativePkce([[maybe_unused]] QOAuth2AuthorizationCodeFlow& flow)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    flow.setPkceMethod(QOAuth2AuthorizationCodeFlow::PkceMethod::S256);
#endif
}

// Qt 6.9 surfaces token-endpoint errors and no longer sticks in
// RefreshingToken after a failed refresh. Until then refresh, revocation and
// introspection go through our own TokenClient. Kept as a marker for review.
inline constexpr bool kNetworkAuthReportsTokenErrors = QT_VERSION >= QT_VERSION_CHECK(6, 9, 0);

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
template <typename F>
struct Parameter : Parameter<decltype(&F::operator())> {
};
template <typename C, typename R, typename A>
struct Parameter<R (C::*)(A) const> {
    using type = A;
};
template <typename C, typename R, typename A>
struct Parameter<R (C::*)(A)> {
    using type = A;
};
} // namespace detail

template <typename F>
auto ifAlive(QObject* owner, F&& work)
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
template <typename F>
auto passThrough(QObject* owner, F&& work)
{
    using Arg = typename detail::Parameter<std::decay_t<F>>::type;
    return [owner = QPointer<QObject>(owner), work = std::forward<F>(work)](Arg arg) mutable -> std::decay_t<Arg> {
        if (owner)
            work(arg);
        return arg;
    };
}

} // namespace ondevice::compat
