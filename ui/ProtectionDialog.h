#pragma once

#include <QDialog>

namespace ondevice::ui {

// "How this app protects your data": the on-device trade-off in plain words,
// what is stored where, what remains at risk, and how to end access.
class ProtectionDialog : public QDialog {
    Q_OBJECT

public:
    // dataDirectory: where connections.json and records.sqlite live.
    ProtectionDialog(const QString& dataDirectory, bool sessionOnly, QWidget* parent = nullptr);

    static QString html(const QString& dataDirectory, bool sessionOnly);
};

} // namespace ondevice::ui
