# The encrypted local store (fhir/store): included from fhir/CMakeLists.txt.
target_sources(ondevice_fhir PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/StoreError.h
    ${CMAKE_CURRENT_LIST_DIR}/RecordCipher.cpp ${CMAKE_CURRENT_LIST_DIR}/RecordCipher.h
    ${CMAKE_CURRENT_LIST_DIR}/ResourceIndex.cpp ${CMAKE_CURRENT_LIST_DIR}/ResourceIndex.h
    ${CMAKE_CURRENT_LIST_DIR}/ResourceStore.cpp ${CMAKE_CURRENT_LIST_DIR}/ResourceStore.h
    ${CMAKE_CURRENT_LIST_DIR}/WalCheckpointer.cpp ${CMAKE_CURRENT_LIST_DIR}/WalCheckpointer.h
    ${CMAKE_CURRENT_LIST_DIR}/WriteTurn.cpp ${CMAKE_CURRENT_LIST_DIR}/WriteTurn.h
)
