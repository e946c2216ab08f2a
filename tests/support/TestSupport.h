#pragma once

#include <QString>

namespace ondevice::testing {

// Call first in every test's initTestCase(): QStandardPaths points into
// ~/.qttest (under the temporary HOME that `./dev test` sets up).
void enterTestMode();

// A keychain service name no other test uses, so tests never see each other's items.
QString uniqueKeychainService(const QString& testName);

// A file's bytes, for scanning: empty when unreadable.
QByteArray readAll(const QString& path);

} // namespace ondevice::testing
