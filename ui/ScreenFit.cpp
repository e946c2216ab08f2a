#include "ScreenFit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace ondevice::ui {

QSize fittingSize(const QWidget* widget, QSize wanted)
{
    const QScreen* screen = widget->screen() ? widget->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return wanted;
    const QRect available = screen->availableGeometry();
    return wanted.boundedTo(QSize(available.width() * 9 / 10, available.height() * 9 / 10));
}

} // namespace ondevice::ui
