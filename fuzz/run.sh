#!/usr/bin/env bash
# ./dev fuzz [seconds] [target...]
#
# Builds the libFuzzer targets with clang in build/fuzz (ASan + UBSan, a build
# dir of its own: the normal build is GCC) and runs each target for `seconds`
# (default 60), one after another, on a scratch copy of fuzz/corpus/<target>/.
# Prints per target: executions, new corpus units, coverage, crashes. Exits
# non-zero when any target crashed, leaked or hung; the inputs are kept and
# their paths printed (copy them into fuzz/crashers/<target>/ with the fix).
#
# Environment:
#   ONDEVICE_FUZZ_BUILD_DIR   build dir (default build/fuzz)
#   ONDEVICE_FUZZ_JOBS        build jobs (default: nproc)
#   ONDEVICE_FUZZ_KEEP_GOING  1: fork mode that carries on after a crash, to
#                             look past a known bug (every crash is still counted)
#   ONDEVICE_FUZZ_GROW        1: merge the new units back into fuzz/corpus/<target>/
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: ./dev fuzz [seconds] [target...]" >&2; exit 2; }
shift $(( $# > 0 ? 1 : 0 ))
build=${ONDEVICE_FUZZ_BUILD_DIR:-build/fuzz}
jobs=${ONDEVICE_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

if [ ! -f "$build/CMakeCache.txt" ]; then
    say "Configuring $build (clang, libFuzzer, ASan + UBSan)"
    # Warnings are not errors here: clang warns about things GCC does not, and
    # this build exists to find crashes, not to gate style.
    CC=clang CXX=clang++ cmake -S . -B "$build" -DONDEVICE_FUZZ=ON -DONDEVICE_BUILD_TESTS=OFF \
        -DONDEVICE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DONDEVICE_SANITIZE=ON \
        -DONDEVICE_WARNINGS_AS_ERRORS=OFF >/dev/null
fi
say "Building fuzz targets in $build"
cmake --build "$build" -j "$jobs" --target fuzz_all

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # Executables only: CMake also leaves fuzz_<name>_autogen folders here.
    for bin in "$build"/fuzz/fuzz_*; do
        [ -f "$bin" ] && [ -x "$bin" ] && targets+=("${bin##*/fuzz_}")
    done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets were built in $build/fuzz" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ondevice-fuzz.XXXXXX")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The product's own log lines are noise at a million runs per minute.
export QT_LOGGING_RULES="ondevice.*=false"

extra=()
if [ "${ONDEVICE_FUZZ_KEEP_GOING:-0}" = 1 ]; then
    extra=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi

status=0
summary=()
for t in "${targets[@]}"; do
    bin="$build/fuzz/fuzz_$t"
    [ -f "$bin" ] && [ -x "$bin" ] || { echo "fuzz: no target $t" >&2; status=1; continue; }
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    [ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$work/$t/corpus/"
    say "Fuzzing $t for ${seconds}s"
    # One target at a time, niced: the machine is shared.
    set +e
    nice -n 10 "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" "${extra[@]}" "$work/$t/corpus" \
        >"$work/$t/log" 2>&1
    rc=$?
    set -e
    log="$work/$t/log"
    # Fork mode prints "#N: cov: ...", the normal mode "#N <EVENT> cov: ...".
    # grep finds nothing in some logs (a crash ends before the final stats): never fatal here.
    field() { grep -oE "$1" "$log" | "$2" -1 | grep -oE '[0-9]+$' || true; }
    execs=$(field '^stat::number_of_executed_units: +[0-9]+' tail)
    [ -n "$execs" ] || execs=$(field '^#[0-9]+' tail)
    added=$(field '^stat::new_units_added: +[0-9]+' tail)
    cov_start=$(field 'INITED cov: [0-9]+' head)
    cov_end=$(field 'cov: [0-9]+' tail)
    crashes=$(find "$work/$t/artifacts" -type f | wc -l)
    result=clean
    if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
        result="CRASH (exit $rc)"
        status=1
        grep -E 'ERROR: |runtime error|fuzz property broken|SUMMARY' "$log" | head -5 >&2 || true
        find "$work/$t/artifacts" -type f | sed 's/^/    input: /' >&2
        echo "    log:   $log" >&2
    fi
    if [ "${ONDEVICE_FUZZ_GROW:-0}" = 1 ] && [ "$result" = clean ]; then
        mkdir -p "fuzz/corpus/$t"
        "$bin" -merge=1 "fuzz/corpus/$t" "$work/$t/corpus" >/dev/null 2>&1 || true
    fi
    summary+=("$(printf '%-22s %12s execs  %5s new units  cov %s -> %s  %s crash inputs  %s' \
        "$t" "${execs:-?}" "${added:-?}" "${cov_start:-?}" "${cov_end:-?}" "$crashes" "$result")")
done

say "Summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "$status" -eq 0 ]; then
    rm -rf "$work"
else
    echo "fuzz: inputs and logs kept in $work" >&2
fi
exit "$status"
