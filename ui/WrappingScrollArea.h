#pragma once

#include <QScrollArea>

namespace ondevice::ui {

// A scroll area for a page of wrapped text (labels with word wrap in a form): the page is always as tall as its
// text needs at the width it is given, and scrolls when the window is smaller. A plain QScrollArea asks the page
// for its height only when it is resized, so text set later (a server's answer, larger fonts) is cut off.
class WrappingScrollArea : public QScrollArea {
    Q_OBJECT

public:
    explicit WrappingScrollArea(QWidget* content, QWidget* parent = nullptr);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    void fitContent();
};

} // namespace ondevice::ui
