#!/usr/bin/env python3
"""Turns the JSON of every bench program into docs/benchmarks.md and
docs/benchmarks.json. Run by `./dev bench`; the Markdown is written only here."""
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path


def get(data, path):
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


# (benchmark file, JSON path, what, target text, check)
TARGETS = [
    ("sync_latency", "ratio_vs_sequential", "Sync of a 10,000-resource patient at latency 40 ± 10 ms vs curl sending the sync's own requests one after another", "<= 0.35", lambda v: v <= 0.35),
    ("sync_latency", "ratio_vs_chains_parallel4", "The same vs curl following the sync's chains of next links, four at a time", "<= 1.15", lambda v: v <= 1.15),
    ("sync_latency", "ratio_vs_everything_chain", "The same vs curl following one Patient/$everything chain at the server's page size", "<= 0.35", lambda v: v <= 0.35),
    ("sync_latency", "incremental_requests", "Requests of the next sync after 50 changes (bound: one per type searched + the pages that hold the changes)", "<= bound", None),
    ("sync", "cpu_us_per_record", "CPU per record stored, all threads, loopback without latency (µs)", "<= 20", lambda v: v <= 20),
    ("sync", "ratio_parse_simdjson_vs_qjsondocument", "The sync's pages parsed and indexed with simdjson vs with QJsonDocument (kept only if it wins)", "< 1", lambda v: v < 1),
    ("sync", "ratio_incremental_vs_full", "Second sync after 50 changed resources, as a share of the first", "< 0.05", lambda v: v < 0.05),
    ("memory", "peak_rss_mib", "Peak memory (MiB) during a 100,000-resource sync", "< 300", lambda v: v < 300),
    ("store", "insert_ratio", "100,000 encrypted inserts vs the same inserts unencrypted", "<= 1.5", lambda v: v <= 1.5),
    ("store", "newest200_observations_ms", "Newest 200 Observations of a 100,000-resource store (ms)", "< 50", lambda v: v < 50),
    ("sandbox", "observation_page_100.new_search_median_ms", "Sandbox: a 100-entry Observation page (ms, median)", "a few ms", lambda v: v < 5),
    ("sandbox", "concurrency.errors", "Sandbox: errors with 8 concurrent clients", "0", lambda v: v == 0),
    ("ui", "longest_stall_ms", "Longest GUI-thread stall during a 10,000-resource sync (ms)", "<= 50", lambda v: v <= 50),
    ("ui", "startup_ratio", "Start-up to first record (Labs & Vitals table) with 10,000 cached records vs an empty store", "<= 1.3", lambda v: v <= 1.3),
    ("ui", "summary_startup_ratio", "The same to the Summary page", "<= 1.3", lambda v: v <= 1.3),
    ("brands", "load_ms", "Provider directory: 50,000 brands from the cached bundle to a search index (ms)", "< 1000", lambda v: v < 1000),
    ("brands", "search_median_ms", "Provider directory: a search as the patient types, median (ms)", "< 16", lambda v: v < 16),
    ("brands", "search_worst_ms", "Provider directory: the same, worst (ms)", "< 50", lambda v: v < 50),
]

DETAILS = [
    ("sync_latency", ["network", "resources", "requests", "chains", "sync_ms", "curl_sequential_ms",
                      "curl_chains_parallel4_ms", "curl_everything_chain_ms", "curl_everything_pages",
                      "incremental_requests", "incremental_ms"]),
    ("sync", ["sync_ms", "curl_sequential_ms", "curl_parallel4_ms", "pages", "synced_resources", "incremental_ms",
              "sync_cpu_ms", "sync_engine_thread_cpu_ms", "sync_server_cpu_ms",
              "parse_us_per_record", "parse_qjsondocument_us_per_record",
              "store_only_ms", "store_encrypted_ms", "ratio_store_only_vs_curl_sequential",
              "sqlite_store_schema_ms", "ratio_sqlite_store_schema_vs_curl_sequential",
              "sqlite_keyed_rows_ms", "ratio_sqlite_keyed_rows_vs_curl_sequential"]),
    ("memory", ["resources", "sync_ms", "peak_rss_mib"]),
    ("brands", ["brands", "parse_ms", "index_build_ms", "searches", "hits"]),
    ("store", ["encrypted_insert_ms", "unencrypted_insert_ms", "encrypted_inserts_per_s", "newest200_observations_unencrypted_ms"]),
    ("sandbox", ["observation_page_100.next_page_median_ms", "concurrency.requests_per_second", "generator.generate_ms", "generator.resources"]),
]


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{platform.system()} {platform.release()}, {cpu}, {cores} cores"


def main():
    results_dir, out_md, out_json = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    results = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            results[path.stem] = json.loads(path.read_text())
        except ValueError as error:
            results[path.stem] = {"error": f"unreadable: {error}"}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows = []
    for bench, path, what, target, check in TARGETS:
        value = get(results.get(bench, {}), path)
        if value is None:
            rows.append((what, "not measured", target, "—"))
            continue
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        if check is None:  # bounded by another figure of the same run
            bound = get(results.get(bench, {}), path.replace("_requests", "_request_bound"))
            shown = f"{value} (bound {bound})"
            met = bound is not None and value <= bound
        else:
            met = check(value)
        rows.append((what, shown, target, "met" if met else "**not met**"))
    lines = [
        "# Benchmarks",
        "",
        "Written by `./dev bench` only (Release build, the local sandbox, a private keyring session).",
        "Every figure that has a target is a ratio against a baseline measured in the same run, or a",
        "bound on this machine; nothing here is asserted by ctest.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        "",
        "| figure | measured | target | |",
        "|---|---|---|---|",
    ]
    lines += [f"| {what} | {value} | {target} | {verdict} |" for what, value, target, verdict in rows]
    lines += ["", "## Raw figures", ""]
    for bench, keys in DETAILS:
        data = results.get(bench)
        if not data:
            continue
        lines.append(f"- {bench}: " + ", ".join(f"{k} = {get(data, k)}" for k in keys))
    lines += [
        "",
        "`sync_latency` runs the sandbox behind its fault proxy (`latency=40ms,jitter=10ms`, Bearer tokens so that",
        "curl can replay): `curl_sequential_ms` sends the URLs the sync requested one after another on one",
        "connection, `curl_chains_parallel4_ms` follows the sync's chains of next links four at a time, and",
        "`curl_everything_chain_ms` follows one `Patient/$everything` chain at the server's default page size.",
        "Following a chain takes one curl process per page (the next link is read from each page), so those two",
        "baselines include a process start and a new connection per page, a few ms each; curl_sequential_ms does not.",
        "`sync` (loopback, no latency) gives `cpu_us_per_record`: the syncing process's user + system CPU over",
        "all threads, divided by the records stored. `parse_us_per_record` runs the sync's own pages (as the server",
        "sent them) through FhirClient::parseBundle (simdjson: the page parsed, each record indexed, its own bytes",
        "kept), best of three rounds on one thread; `parse_qjsondocument_us_per_record` runs the same steps through",
        "QJsonDocument and ResourceIndex::fromObject, as parseBundle did before.",
        "`sync_cpu_ms` is the CPU time of the syncing process (all threads), `sync_engine_thread_cpu_ms` that of",
        "the thread running the engine and the store writes, `sync_server_cpu_ms` the sandbox's while serving it.",
        "`store_only_ms` writes the same records into a fresh store with no network, no JSON parse and no",
        "encryption, 100 per transaction: no sync of this design can take less, whatever the network does;",
        "`store_encrypted_ms` writes them the same way with the connection's own encryption (the store's share).",
        "`sqlite_store_schema_ms` writes the same records through SQLite's C API directly (no Qt, no encryption)",
        "into the store's own tables and indexes with the store's statements: what SQLite itself costs for the",
        "indexes the queries by type, code and date range need. `sqlite_keyed_rows_ms` is less still: each record",
        "a row under one unique key, upserted, with no tag rows and no date index; the least that any store able",
        "to update a record in place costs here, before a byte is fetched or parsed. Both use the store's settings",
        "(WAL, synchronous=NORMAL, no checkpoint inside a commit), 100 records per transaction.",
    ]
    lines.append("")
    out_md.write_text("\n".join(lines))
    out_json.write_text(json.dumps({"date": now, "machine": machine(), "results": results,
                                    "targets": [dict(zip(("figure", "measured", "target", "verdict"), r)) for r in rows]},
                                   indent=2) + "\n")
    print("\n".join(lines[9:9 + len(rows) + 2]))


if __name__ == "__main__":
    main()
