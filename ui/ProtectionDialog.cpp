#include "ProtectionDialog.h"

#include "auth/SecretStore.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ondevice::ui {

namespace {

QString p(const QString& text)
{
    return QStringLiteral("<p>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

QString h(const QString& text)
{
    return QStringLiteral("<h3>") + text.toHtmlEscaped() + QStringLiteral("</h3>");
}

QString list(const QStringList& items)
{
    QString out = QStringLiteral("<ul>");
    for (const QString& item : items)
        out += QStringLiteral("<li>") + item.toHtmlEscaped() + QStringLiteral("</li>");
    return out + QStringLiteral("</ul>");
}

} // namespace

QString ProtectionDialog::html(const QString& dataDirectory, bool sessionOnly)
{
    const QString store = auth::SecretStore::platformStoreName();
    const QString dir = QDir::toNativeSeparators(dataDirectory);
    QString out;
    out += h(tr("Your records live here, not with us"));
    out += p(tr("Apps that read health records are built one of two ways. Many keep your records and sign-ins on "
                "their maker's servers: convenient, but one break-in there exposes every user at once. This app is "
                "the other kind: it talks to your providers directly from this computer, and keeps what it gets "
                "here. There is no server of ours, so there is nothing of yours on it to leak."));
    out += p(tr("The price is that this computer has to be looked after: what protects your records is the "
                "protection of this computer and your account on it."));
    out += h(tr("How it signs in"));
    out += p(tr("You sign in at your provider, in your browser; this app never sees your password. It is a public "
                "client: it has no secret of its own to hide, and uses PKCE so that only this app, on this computer, "
                "can finish a sign-in it started. The provider then gives it a refresh token, so it can stay "
                "connected without asking you again, until you or the provider end access."));
    out += p(tr("Where the provider offers it (DPoP), the sign-in is also bound to a key made on this computer for "
                "that provider: every request carries a signature by the key, and the provider refuses the refresh "
                "token without it. A refresh token that leaks on its own (in a log, a crash report, a debugging "
                "proxy, or from the provider's side) is then useless anywhere else. The Access panel says whether "
                "a connection is bound to this computer."));
    out += h(tr("What is stored where"));
    if (sessionOnly)
        out += p(tr("This is a temporary session: the sign-ins and the keys to the records are kept in this app's "
                    "memory only and are gone when it closes. This session's records are kept in a temporary file, "
                    "encrypted under those keys, that is deleted when the app closes (a crash leaves it behind, "
                    "unreadable without the keys). Nothing below is written for this session."));
    out += list({
        tr("%1: for each provider, the refresh token (the sign-in), a random key that encrypts that provider's "
           "records, and, where the sign-in is bound, the key it is bound to. Each item holds only the secret itself.")
            .arg(store),
        tr("%1: the list of connections (provider addresses, patient ids, granted permissions, when access ends). "
           "No token or key.")
            .arg(QDir(dir).filePath(QStringLiteral("connections.json"))),
        tr("%1: your records, each one encrypted (AES-256-GCM) with its provider's key. Record types and codes are "
           "stored only as keyed fingerprints, so the file alone says nothing.")
            .arg(QDir(dir).filePath(QStringLiteral("records.sqlite"))),
        tr("Access tokens (valid for minutes to an hour) are kept in memory only, never on disk."),
    });
    out += h(tr("What remains at risk"));
    out += list({
        tr("Malicious software running on this computer as you can ask %1 for the sign-in, or act as this app.")
            .arg(store),
        tr("Binding does not stop such software: the key a sign-in is bound to sits beside the refresh token in "
           "%1, which does not tell apps apart, so software that can read one can read the other. Binding stops a "
           "refresh token that leaked on its own; only a key that can never leave this computer's security chip "
           "would also stop software that takes both, and this version does not use one.")
            .arg(store),
        tr("Anyone who uses this computer while your session is unlocked can open this app and read your records. "
           "Lock the screen when you step away."),
        tr("Backups: the records in a backup stay unreadable unless the backup also holds a copy of the keychain, "
           "which backups of the whole home folder usually do (and Windows credentials roam with the profile). "
           "Protect such backups as you would this computer."),
        tr("Files you export or attachments you open are ordinary files, outside this protection."),
    });
    out += h(tr("How to end access"));
    out += list({
        tr("Sign out (in the Access panel) asks the provider to end this app's access, where the provider allows it, "
           "and deletes the sign-in from %1. Your records stay here and stay readable.")
            .arg(store),
        tr("Forget provider also deletes the key to that provider's records, the records on this computer, and the "
           "connection."),
        tr("You can always end access at the provider too: in its patient portal, look for connected apps (or "
           "\"apps and devices\", \"manage access\") and remove this app. The app then shows \"Needs reconnect\"."),
    });
    return out;
}

ProtectionDialog::ProtectionDialog(const QString& dataDirectory, bool sessionOnly, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("protectionDialog"));
    setWindowTitle(tr("How this app protects your data"));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QTextBrowser(this);
    text->setObjectName(QStringLiteral("protectionText"));
    text->setAccessibleName(tr("How this app protects your data"));
    text->setOpenExternalLinks(true);
    text->setFrameShape(QFrame::NoFrame);
    text->setHtml(html(dataDirectory, sessionOnly));
    layout->addWidget(text, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 740);
}

} // namespace ondevice::ui
