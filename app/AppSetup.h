#pragma once

class QCoreApplication;

namespace ondevice::app {

// Names shared by the GUI and the CLI, so both find the same data dir
// (QStandardPaths::AppDataLocation) and keychain service.
void configureApplication(QCoreApplication& app);

// The keychain service every item of ours lives under.
inline constexpr char kKeychainService[] = "org.ondevicehealth.OnDevice";

} // namespace ondevice::app
