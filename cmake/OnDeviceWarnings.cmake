# Warnings for every target of ours: call ondevice_set_warnings(<target>).
function(ondevice_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
        if(ONDEVICE_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE
            -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
            -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
        if(ONDEVICE_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
    # Signals and slots through the macros only; "emit" and friends stay plain identifiers.
    target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS
        QT_USE_QSTRINGBUILDER QT_NO_URL_CAST_FROM_STRING)
endfunction()
