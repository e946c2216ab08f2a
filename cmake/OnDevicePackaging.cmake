# Desktop integration files and CPack (DEB + TGZ). `./dev test` builds the .deb
# and checks it (tests/packaging/check_deb.sh).

set(ONDEVICE_APP_ID "org.ondevicehealth.OnDevice")

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    install(FILES "${PROJECT_SOURCE_DIR}/packaging/linux/${ONDEVICE_APP_ID}.desktop"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    configure_file("${PROJECT_SOURCE_DIR}/packaging/linux/${ONDEVICE_APP_ID}.metainfo.xml.in"
        "${PROJECT_BINARY_DIR}/packaging/${ONDEVICE_APP_ID}.metainfo.xml" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/packaging/${ONDEVICE_APP_ID}.metainfo.xml"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
endif()
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ondevice-health RENAME copyright)

if(APPLE)
    set(MACOSX_BUNDLE_GUI_IDENTIFIER "${ONDEVICE_APP_ID}")
    set(MACOSX_BUNDLE_BUNDLE_NAME "OnDevice Health")
    set(MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}")
    set(MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}")
    set_target_properties(ondevice PROPERTIES
        MACOSX_BUNDLE TRUE
        MACOSX_BUNDLE_INFO_PLIST "${PROJECT_SOURCE_DIR}/packaging/macos/Info.plist.in")
endif()

set(CPACK_PACKAGE_NAME "ondevice-health")
set(CPACK_PACKAGE_VENDOR "OnDevice Health")
set(CPACK_PACKAGE_CONTACT "OnDevice Health developers <dev@ondevicehealth.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Your health records from SMART on FHIR providers, kept only on this device")
set(CPACK_PACKAGE_DESCRIPTION "OnDevice Health connects to your providers' FHIR servers once with SMART App Launch, keeps access with a refresh token in the system keychain, and stores your records encrypted on this computer only.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_FILE_NAME "ondevice-health-${PROJECT_VERSION}-${CMAKE_SYSTEM_PROCESSOR}")

# Debian 12. dpkg-shlibdeps finds the libraries we link; the rest are loaded at
# run time and must be named: libsecret (QtKeychain dlopens it for the Secret
# Service), the SQLite driver of Qt Sql, and the Qt platform plugins.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsecret-1-0, libqt6sql6-sqlite, qt6-qpa-plugins, libqt6keychain1 (>= 0.13)")
# qt6-translations-l10n: Qt's own words (standard dialogs' buttons) in the patient's language.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc, qt6-translations-l10n")
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

set(CPACK_NSIS_DISPLAY_NAME "OnDevice Health")
set(CPACK_NSIS_PACKAGE_NAME "OnDevice Health")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/packaging/windows/ondevice.ico")
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_SOURCE_DIR}/packaging/windows/CPackNsisOptions.cmake")

include(CPack)
