# ctest: the translation files hold every message of the sources. lupdate runs into scratch copies; a message
# it adds (a tr() string changed without `--target update_translations`, then translated) fails the test.
#   cmake -DLUPDATE=... -DSOURCES=<list file> -DDIRECTORY=<resources/translations> -DSCRATCH=<dir> -P this
foreach(language es en)
    set(ts "${SCRATCH}/ondevice_${language}.ts")
    file(COPY "${DIRECTORY}/ondevice_${language}.ts" DESTINATION "${SCRATCH}")
    set(options -no-obsolete -locations none)
    if(language STREQUAL "en")
        list(APPEND options -pluralonly) # English holds only the plural forms
    endif()
    execute_process(COMMAND "${LUPDATE}" "@${SOURCES}" -I "${INCLUDE}" ${options} -ts "${ts}"
        RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "lupdate failed (${status}): ${err}")
    endif()
    file(READ "${ts}" text)
    string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*(<comment>[^<]*</comment>[ \n]*)?<translation type=\"unfinished\""
        unfinished "${text}")
    list(LENGTH unfinished count)
    if(count GREATER 0)
        string(REPLACE ";" "\n" list "${unfinished}")
        message(FATAL_ERROR "ondevice_${language}.ts lacks ${count} message(s) of the sources; run "
            "`cmake --build --preset dev --target update_translations` and translate them:\n${list}")
    endif()
    message(STATUS "ondevice_${language}.ts: every message of the sources is in it and translated")
endforeach()
