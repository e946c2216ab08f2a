#pragma once

#include <QLoggingCategory>

// One category per area. Never log tokens, codes, verifiers, keys or patient
// data: log a length or a short hash instead (see redact.h).
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcKeychain)
