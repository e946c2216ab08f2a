#include "ScreenFit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace ondevice::ui {

QSize fittingSize(const QWidget* widget, QSize wanted)
{
    // A dialog not shown yet is on its parent's screen.
    const QWidget* anchor = !widget->isVisible() && widget->parentWidget() ? widget->parentWidget() : widget;
    const QScreen* screen = anchor->screen() ? anchor->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return wanted;
    const QRect available = screen->availableGeometry();
    return wanted.boundedTo(QSize(available.width() * 9 / 10, available.height() * 9 / 10));
}

} // namespace ondevice::ui
