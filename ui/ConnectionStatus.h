#pragma once

#include "auth/ConnectionRegistry.h"

#include <QColor>
#include <QCoreApplication>
#include <QDateTime>

#include <optional>

namespace ondevice::ui {

// The status chip of a connection, and the warnings ahead of access ending.
struct ConnectionStatus {
    Q_DECLARE_TR_FUNCTIONS(ConnectionStatus)

public:
    enum class Kind { UpToDate, Syncing, Offline, NeedsReconnect, SignedOut, EndingSoon };

    Kind kind = Kind::UpToDate;
    QString text;

    // Chips carry their text too, so these colours never carry meaning alone.
    QColor chipColor() const;

    static ConnectionStatus of(const auth::Connection& connection, bool syncing, const QDateTime& now);

    // A warning for the message bar: access ends within 7 days (grant end), or
    // within the hour when the provider issued no refresh token, or the
    // provider ended it already. Nothing when all is well.
    static std::optional<QString> warning(const auth::Connection& connection, const QDateTime& now);

    // "example.org — patient 123"
    // "host — the patient's name", or the patient's id at the provider until their record has arrived.
    static QString title(const auth::Connection& connection, const QString& patientName = {});
};

} // namespace ondevice::ui
