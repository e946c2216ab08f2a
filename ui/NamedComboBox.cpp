#include "NamedComboBox.h"

#include <QAbstractItemView>
#include <QAccessibleWidget>

namespace ondevice::ui {

namespace {

// (QAccessibleWidget is an action interface already: showMenu and press open the list.)
class AccessibleNamedComboBox : public QAccessibleWidget {
public:
    explicit AccessibleNamedComboBox(QComboBox* box)
        : QAccessibleWidget(box, QAccessible::ComboBox)
    {
    }

    QComboBox* box() const { return static_cast<QComboBox*>(object()); }

    QString text(QAccessible::Text t) const override
    {
        if (t == QAccessible::Value)
            return box()->currentText();
        return QAccessibleWidget::text(t); // the name: its accessibleName, else its buddy label's text
    }

    // The list it opens, as Qt's own combo box has it.
    int childCount() const override { return 1; }
    QAccessibleInterface* child(int index) const override
    {
        return index == 0 ? QAccessible::queryAccessibleInterface(box()->view()) : nullptr;
    }
    int indexOfChild(const QAccessibleInterface* child) const override
    {
        return child && child->object() == box()->view() ? 0 : -1;
    }

    QStringList actionNames() const override { return { showMenuAction(), pressAction() }; }
    QString localizedActionDescription(const QString& name) const override
    {
        if (name == showMenuAction() || name == pressAction())
            return NamedComboBox::tr("Open the list of choices");
        return {};
    }
    void doAction(const QString& name) override
    {
        if (name == showMenuAction() || name == pressAction())
            box()->showPopup();
    }
    QStringList keyBindingsForAction(const QString&) const override { return {}; }
};

QAccessibleInterface* namedComboBoxFactory(const QString& className, QObject* object)
{
    if (className == QLatin1String(NamedComboBox::staticMetaObject.className()))
        if (auto* box = qobject_cast<QComboBox*>(object))
            return new AccessibleNamedComboBox(box);
    return nullptr;
}

} // namespace

NamedComboBox::NamedComboBox(QWidget* parent)
    : QComboBox(parent)
{
    static const bool installed = [] {
        QAccessible::installFactory(namedComboBoxFactory);
        return true;
    }();
    Q_UNUSED(installed)
}

} // namespace ondevice::ui
