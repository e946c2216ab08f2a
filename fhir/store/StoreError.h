#pragma once

#include "core/Expected.h"

namespace ondevice::fhir {

// Why a store operation failed. The Failure's message is for the user (translated), its detail for
// developers; neither ever holds a key, a record or anything taken from one.
enum class StoreError {
    Open, // the database file could not be created or opened
    Schema, // the schema is damaged or was written by a newer version of the app
    WrongKey, // the data key is missing, malformed, or not the one this connection's rows were written with
    Crypto, // OpenSSL failed, or a record did not authenticate (tampered, moved to another row)
    Io, // SQLite failed while reading or writing
    InvalidResource, // the input is not a FHIR resource (no resourceType, no id, not JSON), or a bad query
    NotFound,
};

using StoreFailure = ondevice::Failure<StoreError>;
template <class T> using StoreResult = ondevice::Expected<T, StoreError>;

} // namespace ondevice::fhir
