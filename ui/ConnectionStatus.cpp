#include "ConnectionStatus.h"

#include <QLocale>

namespace ondevice::ui {

using auth::Connection;
using auth::ConnectionState;

namespace {

constexpr qint64 kSecondsPerDay = qint64 { 24 } * 3600;

// When access ends for good unless the user signs in again.
QDateTime accessEnd(const Connection& c)
{
    if (!c.staysConnected())
        return c.accessExpiry;
    return c.grantEnd;
}

} // namespace

QColor ConnectionStatus::chipColor() const
{
    switch (kind) {
    case Kind::UpToDate:
        return QColor(0x2e, 0x7d, 0x32);
    case Kind::Syncing:
        return QColor(0x15, 0x65, 0xc0);
    case Kind::Offline:
        return QColor(0x61, 0x61, 0x61);
    case Kind::NeedsReconnect:
        return QColor(0xc6, 0x28, 0x28);
    case Kind::SignedOut:
        return QColor(0x61, 0x61, 0x61);
    case Kind::EndingSoon:
        return QColor(0xb2, 0x5e, 0x00);
    }
    return {};
}

QString ConnectionStatus::title(const Connection& c, const QString& patientName)
{
    return patientName.isEmpty() ? tr("%1 — patient %2").arg(c.displayName(), c.patientId)
                                 : tr("%1 — %2").arg(c.displayName(), patientName);
}

ConnectionStatus ConnectionStatus::of(const Connection& c, bool syncing, const QDateTime& now)
{
    switch (c.state) {
    case ConnectionState::NeedsReconnect:
        return { Kind::NeedsReconnect, tr("Needs reconnect") };
    case ConnectionState::SignedOut:
        return { Kind::SignedOut, tr("Signed out") };
    case ConnectionState::Offline:
        return { Kind::Offline, tr("Offline") };
    case ConnectionState::Connected:
        break;
    }
    if (syncing)
        return { Kind::Syncing, tr("Syncing") };
    const QDateTime end = accessEnd(c);
    if (end.isValid()) {
        const qint64 seconds = now.secsTo(end);
        if (seconds <= 0 && !c.staysConnected())
            return { Kind::NeedsReconnect, tr("Needs reconnect") };
        if (seconds < kSecondsPerDay && (seconds > 0))
            return { Kind::EndingSoon, tr("Access ends today") };
        const qint64 days = seconds / kSecondsPerDay;
        if (days <= 14)
            return { Kind::EndingSoon, tr("Access ends in %n day(s)", nullptr, static_cast<int>(days)) };
    }
    return { Kind::UpToDate, tr("Up to date") };
}

std::optional<QString> ConnectionStatus::warning(const Connection& c, const QDateTime& now)
{
    const QLocale locale;
    if (c.state == ConnectionState::NeedsReconnect)
        return tr("%1 ended this app's access. Your records stay on this computer; reconnect to keep them up to date.")
            .arg(c.displayName());
    if (c.state != ConnectionState::Connected && c.state != ConnectionState::Offline)
        return std::nullopt;
    if (!c.staysConnected()) {
        if (c.accessExpiry.isValid() && now.secsTo(c.accessExpiry) <= 3600)
            return tr("%1 did not let this app stay signed in: access ends at %2. Reconnect then to keep your "
                      "records up to date.")
                .arg(c.displayName(), locale.toString(c.accessExpiry.toLocalTime().time(), QLocale::ShortFormat));
        return std::nullopt;
    }
    if (c.grantEnd.isValid() && now.secsTo(c.grantEnd) <= 7 * kSecondsPerDay)
        return tr("Access to %1 ends on %2. Reconnect before then to keep your records up to date.")
            .arg(c.displayName(), locale.toString(c.grantEnd.toLocalTime(), QLocale::ShortFormat));
    return std::nullopt;
}

} // namespace ondevice::ui
