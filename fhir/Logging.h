#pragma once

#include <QLoggingCategory>

// FHIR URLs carry patient ids and codes: log a resource type and a count, never a URL.
Q_DECLARE_LOGGING_CATEGORY(lcFhir)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
