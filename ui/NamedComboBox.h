#pragma once

#include <QComboBox>

namespace ondevice::ui {

// A combo box that a screen reader names by what it chooses ("Test to chart"), with the current choice as its
// value. Qt 6.4's own accessible combo box, on Linux, gives the current choice as the name too, so a screen reader
// says "Hemoglobin, Hemoglobin" and never what the box is for.
class NamedComboBox : public QComboBox {
    Q_OBJECT

public:
    explicit NamedComboBox(QWidget* parent = nullptr);
};

} // namespace ondevice::ui
