#!/usr/bin/env bash
# Package test: build the .deb with CPack, check its control fields, unpack it
# with dpkg-deb -x and run the binaries from the unpacked tree. With root and
# CI=true it also installs the package with apt-get and purges it again.
set -euo pipefail
build=$1
version=$2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "package_deb: $*" >&2; exit 1; }

if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    fail "cpack failed"
fi
deb=$(ls "$tmp"/out/*.deb)
[ -f "$deb" ] || fail "no .deb produced"

depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
for need in libqt6keychain1 libsecret-1-0 libqt6sql6-sqlite libqt6widgets6 libqt6core6 qt6-qpa-plugins; do
    grep -q "$need" <<<"$depends" || fail "Depends lacks $need: $depends"
done
grep -q gnome-keyring <<<"$recommends" || fail "Recommends lacks a Secret Service provider: $recommends"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"

dpkg-deb -x "$deb" "$tmp/root"
for f in usr/bin/ondevice usr/bin/ondevice-cli usr/bin/ondevice-sandbox \
         usr/share/applications/org.ondevicehealth.OnDevice.desktop \
         usr/share/metainfo/org.ondevicehealth.OnDevice.metainfo.xml \
         usr/share/icons/hicolor/256x256/apps/org.ondevicehealth.OnDevice.png \
         usr/share/icons/hicolor/scalable/apps/org.ondevicehealth.OnDevice.svg; do
    [ -e "$tmp/root/$f" ] || fail "missing $f"
done
grep -q '<project_license>GPL-3.0-or-later</project_license>' "$tmp/root/usr/share/metainfo/org.ondevicehealth.OnDevice.metainfo.xml" \
    || fail "metainfo lacks project_license"

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config" QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"
[ "$("$tmp/root/usr/bin/ondevice" --version)" = "ondevice $version" ] || fail "ondevice --version"
[ "$("$tmp/root/usr/bin/ondevice-cli" --version)" = "ondevice $version" ] || fail "ondevice-cli --version"
"$tmp/root/usr/bin/ondevice-cli" status >"$tmp/status.txt" || fail "ondevice-cli status exited $?"
grep -q "No providers connected" "$tmp/status.txt" || fail "unexpected status output: $(cat "$tmp/status.txt")"

if [ "$(id -u)" = 0 ] && [ "${CI:-}" = true ]; then
    if dpkg -s ondevice-health >/dev/null 2>&1; then
        echo "package_deb: ondevice-health already installed here; skipping the install round" >&2
    else
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$tmp/apt.log" 2>&1 \
            || { cat "$tmp/apt.log" >&2; fail "apt-get install"; }
        [ "$(/usr/bin/ondevice-cli --version)" = "ondevice $version" ] || fail "installed ondevice-cli --version"
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ondevice-health >"$tmp/apt.log" 2>&1 \
            || { cat "$tmp/apt.log" >&2; fail "apt-get purge"; }
        [ ! -e /usr/bin/ondevice-cli ] || fail "purge left /usr/bin/ondevice-cli"
    fi
fi
echo "package_deb: $(basename "$deb") ok"
