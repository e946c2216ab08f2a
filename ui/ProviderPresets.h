#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

namespace ondevice::ui {

// One provider the Connect dialog offers, from resources/presets/providers.json.
struct ProviderPreset {
    QString id;
    QString name; // translated
    QUrl fhirBase;
    QString clientId;
    int port = 0; // the loopback port registered as redirect URI; 0 = any
    bool needsRegistration = false; // the user must register the app and enter its client id and port
    QString note; // translated: what to know before connecting
};

class ProviderPresets {
    Q_DECLARE_TR_FUNCTIONS(ProviderPresets)

public:
    // The built-in list (":/presets/providers.json"). The local sandbox is in
    // it only when `sandbox` is valid (set by `ondevice --sandbox URL`).
    static QList<ProviderPreset> load(const QUrl& sandbox);
    static QList<ProviderPreset> fromJson(const QByteArray& json, const QUrl& sandbox);
};

} // namespace ondevice::ui
