#pragma once

#include "auth/ConnectionManager.h"

namespace ondevice::ui {

// The window's way to open the sign-in page: QDesktopServices::openUrl, the system browser (tests hook it with
// QDesktopServices::setUrlHandler). services::Workspace takes it as WorkspaceOptions::openBrowser; ondevice-cli
// has its own, without Qt GUI.
auth::UrlOpener systemBrowser();

} // namespace ondevice::ui
