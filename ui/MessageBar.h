#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace ondevice::ui {

// An inline message above the content, with at most one action: how errors
// and warnings are shown (never a wall of modal boxes).
class MessageBar : public QFrame {
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };

    explicit MessageBar(QWidget* parent = nullptr);

    // Replaces what is shown. An empty actionText shows no action button.
    void showMessage(Kind kind, const QString& text, const QString& actionText = {}, std::function<void()> action = {});
    void clear();

    Kind kind() const { return m_kind; }
    QString text() const;
    QPushButton* actionButton() const { return m_action; }

Q_SIGNALS:
    void dismissed();

private:
    Kind m_kind = Kind::Info;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    QPushButton* m_action = nullptr;
    QToolButton* m_close = nullptr;
    std::function<void()> m_callback;
};

} // namespace ondevice::ui
