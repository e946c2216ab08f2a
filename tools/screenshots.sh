#!/usr/bin/env bash
# Renders the main screens into docs/screenshots/ (welcome, connect-brand, directories, connect, access,
# protects, summary, conditions, detail, labs-chart, other-records, summary and labs-chart in a dark palette, and
# summary and access in Spanish) with the real widgets against a local sandbox, under Xvfb, in a
# private D-Bus session with its own gnome-keyring. Builds nothing: build
# first (./dev build, then the ondevice-screenshots target in tests/ui).
#
#   tools/screenshots.sh [BUILD_DIR]     (default: build/dev)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bin=${1:-build/dev}
tool="$bin/tests/ui/ondevice-screenshots"
sandbox="$bin/sandbox/ondevice-sandbox"
for exe in "$tool" "$sandbox"; do
    [ -x "$exe" ] || { echo "screenshots: $exe is missing; build it first" >&2; exit 1; }
done
out="$root/docs/screenshots"
mkdir -p "$out"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ondevice-shots.XXXXXX")
mkdir -p "$scratch/home" "$scratch/runtime"
chmod 700 "$scratch/runtime"
sandbox_pid=
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

fifo="$scratch/sandbox.out"
mkfifo "$fifo"
"$sandbox" --port 0 --auto-approve first --patients 1 --resources-per-patient 2000 --quirks everything-extra-types >"$fifo" &
sandbox_pid=$!
read -r line <"$fifo" || { echo "screenshots: ondevice-sandbox did not start" >&2; exit 1; }
fhir_base=$(sed -E 's/.*"fhir_base":"([^"]+)".*/\1/' <<<"$line")

# The same private session as `./dev test` (in_private_session), plus Xvfb.
env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS -u QT_QPA_PLATFORM \
    HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/runtime" \
    XDG_DATA_HOME="$scratch/home/.local/share" XDG_CONFIG_HOME="$scratch/home/.config" \
    XDG_CACHE_HOME="$scratch/home/.cache" SPANISH="$scratch/es" \
    dbus-run-session -- sh -c '
        printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        xvfb-run -a -s "-screen 0 1280x800x24" "$@"; status=$?
        [ $status -eq 0 ] || exit $status
        # In Spanish too: the Summary and the Access panel (docs/ui.md shows them).
        mkdir -p "$SPANISH"
        # (a home of its own: nothing of the English run in its protocol timeline)
        mkdir -p "$SPANISH/home"
        HOME="$SPANISH/home" XDG_DATA_HOME="$SPANISH/home/.local/share" XDG_CONFIG_HOME="$SPANISH/home/.config" \
            XDG_CACHE_HOME="$SPANISH/home/.cache" \
            xvfb-run -a -s "-screen 0 1280x800x24" "$@" --language es --out "$SPANISH"; status=$?
        pkill -u "$(id -u)" -f "gnome-keyring-daemon.*--components=secrets" -P 1 2>/dev/null || true
        exit $status' sh "$tool" --fhir-base "$fhir_base" --out "$out"
cp "$scratch/es/summary-es.png" "$scratch/es/access-es.png" "$out"/
ls -l "$out"/welcome.png "$out"/connect-brand.png "$out"/directories.png "$out"/connect.png "$out"/access.png "$out"/protects.png \
    "$out"/summary.png "$out"/conditions.png "$out"/detail.png "$out"/labs-chart.png "$out"/other-records.png \
    "$out"/summary-es.png "$out"/access-es.png
