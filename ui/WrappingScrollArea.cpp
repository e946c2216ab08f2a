#include "WrappingScrollArea.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLayout>
#include <QScrollBar>

#include <algorithm>

namespace ondevice::ui {

WrappingScrollArea::WrappingScrollArea(QWidget* content, QWidget* parent)
    : QScrollArea(parent)
{
    setWidget(content); // (QScrollArea watches it: eventFilter() sees its layout requests too)
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::NoFocus); // not a Tab stop of its own: the controls in it are (and scroll into view)
}

bool WrappingScrollArea::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == widget() && event->type() == QEvent::LayoutRequest)
        fitContent();
    return QScrollArea::eventFilter(watched, event);
}

void WrappingScrollArea::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    fitContent();
}

void WrappingScrollArea::showEvent(QShowEvent* event)
{
    // Text set while this page was hidden (a dialog's next page, filled in before it is shown) did not reach the
    // layouts' cached heights: they are counted again.
    if (QWidget* content = widget())
        for (QLayout* layout : content->findChildren<QLayout*>())
            layout->invalidate();
    QScrollArea::showEvent(event);
    fitContent();
}

bool WrappingScrollArea::viewportEvent(QEvent* event)
{
    // The viewport narrows when the scroll bar appears: the text wraps into more lines.
    const bool handled = QScrollArea::viewportEvent(event);
    if (event->type() == QEvent::Resize)
        fitContent();
    return handled;
}

void WrappingScrollArea::fitContent()
{
    QWidget* content = widget();
    QLayout* layout = content ? content->layout() : nullptr;
    if (!layout)
        return;
    // (wider than the view when a word cannot wrap, an address: then it scrolls sideways too)
    const int width = std::max(viewport()->width(), layout->totalMinimumSize().width());
    // The least height its text needs at this width (its lists and tables may still shrink to their minimum).
    const int height
        = layout->hasHeightForWidth() ? layout->totalMinimumHeightForWidth(width) : layout->totalMinimumSize().height();
    if (content->minimumHeight() == height)
        return;
    content->setMinimumHeight(height);
    // (a smaller minimum does not shrink the page by itself: the scroll area lays it out again)
    QCoreApplication::postEvent(this, new QEvent(QEvent::LayoutRequest));
}

} // namespace ondevice::ui
