# The encrypted local store's tests: included from tests/fhir/CMakeLists.txt.
ondevice_add_test(tst_RecordCipher SOURCES tst_RecordCipher.cpp LIBS ondevice_fhir)
ondevice_add_test(tst_ResourceStore SOURCES tst_ResourceStore.cpp LIBS ondevice_fhir ondevice_test_support Qt6::Sql)
