# Read by CPack at packaging time (CPACK_PROJECT_CONFIG_FILE). On Windows the
# generator is NSIS (untested here): `cpack -G NSIS` in a build made with the
# Qt online installer's Qt and vcpkg's qtkeychain and openssl,
# after `windeployqt bin/ondevice.exe`.
if(CPACK_GENERATOR STREQUAL "NSIS")
    set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\ondevice.exe")
    set(CPACK_NSIS_CREATE_ICONS_EXTRA "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\OnDevice Health.lnk' '$INSTDIR\\\\bin\\\\ondevice.exe'")
    set(CPACK_NSIS_DELETE_ICONS_EXTRA "Delete '$SMPROGRAMS\\\\$START_MENU\\\\OnDevice Health.lnk'")
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_URL_INFO_ABOUT "https://ondevice.health")
endif()
