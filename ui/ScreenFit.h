#pragma once

#include <QSize>

class QWidget;

namespace ondevice::ui {

// `wanted`, or less: at most 90 % of the free area of the screen `widget` is on, so that a first window fits a
// small screen or one scaled to 150 % (a 1100x700 window is 1650x1050 pixels there).
QSize fittingSize(const QWidget* widget, QSize wanted);

} // namespace ondevice::ui
