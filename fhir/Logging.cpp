#include "Logging.h"

Q_LOGGING_CATEGORY(lcFhir, "ondevice.fhir", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "ondevice.store", QtInfoMsg)
