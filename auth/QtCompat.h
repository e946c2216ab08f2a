#pragma once

// Every Qt-version-dependent decision of the Qt NetworkAuth workarounds is made here, so that a newer Qt 6
// needs changes in one place only (the continuation idiom, which also depends on the version, is
// core/Continuations.h). Qt 6.4.2 (Debian 12) is the only
// version tested; the branches for newer versions compile but are untested.

#include <QOAuth2AuthorizationCodeFlow>
#include <QtGlobal>

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

} // namespace ondevice::compat
