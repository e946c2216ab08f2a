#include "SystemBrowser.h"

#include <QDesktopServices>

namespace ondevice::ui {

auth::UrlOpener systemBrowser()
{
    return [](const QUrl& url) { QDesktopServices::openUrl(url); };
}

} // namespace ondevice::ui
