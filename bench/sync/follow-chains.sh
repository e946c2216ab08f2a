#!/bin/sh
# Follows chains of FHIR `next` links with curl, PARALLEL chains at a time:
# each line of standard input is the first URL of one chain; each chain is
# fetched page after page (a chain cannot be otherwise). Prints "page" per page
# fetched. The bearer comes from ONDEVICE_BENCH_TOKEN (never a file or argv).
# The sandbox writes compact JSON, so the next link is found by pattern.
#
#   follow-chains.sh PARALLEL < starts
set -u
if [ "${1:-}" = "--one" ]; then
    url=$2
    while [ -n "$url" ]; do
        body=$(curl -s -H "Authorization: Bearer $ONDEVICE_BENCH_TOKEN" -H "Accept: application/fhir+json" "$url")
        echo page
        url=$(printf '%s' "$body" | grep -o '"relation":"next","url":"[^"]*"' | sed 's/.*"url":"//; s/"$//')
    done
    exit 0
fi
exec xargs -P "${1:-1}" -n 1 "$0" --one
