#!/usr/bin/env bash
# Runs every benchmark of a Release build and writes docs/benchmarks.{md,json}.
# Called by `./dev bench` inside a private keyring session.
set -uo pipefail
build=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
export ONDEVICE_SANDBOX_EXE="$build/sandbox/ondevice-sandbox"
export QT_QPA_PLATFORM=offscreen

run() {
    local name=$1
    shift
    echo "==> bench: $name" >&2
    "$@" --json-out "$results/$name.json" >/dev/null || echo "bench $name failed" >&2
}

run sync "$build/bench/sync/bench_sync" --resources 10000
run sync_latency "$build/bench/sync/bench_sync" --resources 10000 --network latency=40ms,jitter=10ms
run memory "$build/bench/sync/bench_sync" --resources 100000 --memory
run store "$build/bench/store/bench_store"
run brands "$build/bench/brands/bench_brands" --brands 50000
echo "==> bench: sandbox" >&2
"$build/bench/sandbox/bench_sandbox" --sandbox "$ONDEVICE_SANDBOX_EXE" --seconds 5 >"$results/sandbox.json" || echo "bench sandbox failed" >&2
if [ -x "$build/bench/ui/bench_ui" ]; then
    run ui "$build/bench/ui/bench_ui"
fi
python3 "$root/bench/report.py" "$results" "$root/docs/benchmarks.md" "$root/docs/benchmarks.json"
