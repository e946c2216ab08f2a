#include "Logging.h"

Q_LOGGING_CATEGORY(lcAuth, "ondevice.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcKeychain, "ondevice.keychain", QtInfoMsg)
