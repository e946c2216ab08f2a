# ondevice_add_test(<name> SOURCES ... [LIBS ...] [TIMEOUT s] [LABELS ...])
# One executable per class under test (tests/<layer>/tst_<Class>.cpp), run offscreen.
function(ondevice_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    ondevice_set_warnings(${name})
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ONDEVICE_SANDBOX_EXE=$<TARGET_FILE:ondevice-sandbox>;ONDEVICE_CLI_EXE=$<TARGET_FILE:ondevice-cli>")
endfunction()
