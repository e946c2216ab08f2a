# The encrypted local store's tests: included from tests/fhir/CMakeLists.txt.
ondevice_add_test(tst_RecordCipher SOURCES tst_RecordCipher.cpp LIBS ondevice_fhir)
