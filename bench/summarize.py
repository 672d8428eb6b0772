#!/usr/bin/env python3
"""Agreement and targets from one peer-bench run.py results JSON (what bench/run.sh ends with).

    summarize.py RESULTS.json

Prints, per size, whether the agreement check passed (every implementation, the two peelcheck
engines included, gave the csv loop's counts and failing-case_ref digests), each implementation's
median wall time, records/s, peak RSS and CPU, and the peelcheck targets at 1,000,000 rows:
issue 2's (durable >= 40,000 records/s, python >= 200,000 records/s, peak RSS < 300 MB, 10^6 bytes,
for both) and issue 13's (beside the peers in the same run: durable >= 1.2x Great Expectations,
python >= 0.6x the csv loop, columnar >= 0.8x DuckDB; peak RSS < 300 MB for each).
Exit status 1 if any implementation disagreed, 0 otherwise (missed targets are reported, not fatal).
"""
from __future__ import annotations

import json
import statistics
import sys

TARGET_N = 1_000_000
TARGETS = {"peelcheck-durable": 40_000, "peelcheck-python": 200_000}  # issue 2: records/s
PEER_TARGETS = {"peelcheck-durable": ("gx", 1.2), "peelcheck-python": ("csv-loop", 0.6),  # issue 13: x a peer
                "peelcheck-columnar": ("duckdb", 0.8),
                # what `peelcheck assess` does by default (PEELCHECK_JOBS=auto), beside the one-process rows
                "peelcheck-durable-jauto": ("gx", 1.2), "peelcheck-python-jauto": ("csv-loop", 0.6)}
RSS_LIMIT_MB = 300.0
MIB = 1024 * 1024


def main() -> int:
    with open(sys.argv[1]) as f:
        results = json.load(f)
    disagree = []
    print("\n## peelcheck summary")
    for size_key, block in results["runs"].items():
        size = int(size_key)
        check = results.get("checks", {}).get(size_key)
        verdict = {True: "all implementations agree", False: "DISAGREEMENT (see the check table above)",
                   None: "not run (--no-check)"}[check]
        print(f"\nN={size:,}: agreement check: {verdict}")
        if check is False:
            disagree.append(f"check at N={size:,}")
        print("| impl | wall s (median) | records/s | peak RSS MiB (max) | CPU s | counts agree |")
        print("|---|---:|---:|---:|---:|---|")
        base = {}
        for name, runs in block["runs"].items():
            if not runs:
                print(f"| {name} | skipped: {block['skipped'].get(name, '?')} | | | | |")
                continue
            wall = statistics.median(r["wall_s"] for r in runs)
            rss = max(r["rss_mib"] for r in runs)
            cpu = statistics.median(r["cpu_s"] for r in runs)
            agrees = [r.get("agrees") for r in runs if "agrees" in r]
            ok = "-" if not agrees else "yes" if all(agrees) else "NO"
            if ok == "NO":
                disagree.append(f"{name} at N={size:,}")
            base[name] = (wall, rss)
            print(f"| {name} | {wall:.2f} | {size / wall:,.0f} | {rss:.0f} | {cpu:.2f} | {ok} |")
        for name in [n for n in base if n.startswith("peelcheck-")]:
            print(f"  {name}: {block['runs'][name][0]['out'].get('notes', '')}")
            wall, rss = base[name]
            peers = [peer for peer in ("csv-loop", "duckdb", "gx") if peer in base]
            rel = ", ".join(f"{base[peer][0] / wall:.2f}x {peer}" for peer in peers)
            print(f"  {name}: speed relative to peers (peer wall / {name} wall; >1 = faster): {rel}")
        if size == TARGET_N:
            print(f"\nTargets of issue 2 at N={TARGET_N:,} (end to end from the CSV, 2 cores):")
            for name in [n for n in base if n in TARGETS]:
                floor = TARGETS[name]
                wall, rss = base[name]
                rps, rss_mb = size / wall, rss * MIB / 1e6
                print(f"  {name}: {rps:,.0f} records/s (target >= {floor:,}: {'met' if rps >= floor else 'MISSED'}); "
                      f"peak RSS {rss_mb:.0f} MB = {rss:.0f} MiB (target < {RSS_LIMIT_MB:.0f} MB: "
                      f"{'met' if rss_mb < RSS_LIMIT_MB else 'MISSED'})")
            _peer_targets(base)
    print("\nAGREEMENT:", "every implementation agrees" if not disagree else "DISAGREEMENT: " + "; ".join(disagree))
    return 1 if disagree else 0


def _peer_targets(base: dict[str, tuple[float, float]]) -> None:
    """Issue 13's targets: each engine's speed as a share of its peer's (peer wall / engine wall)."""
    print(f"\nTargets of issue 13 at N={TARGET_N:,} (medians; peers in the same run):")
    for name, (peer, share) in PEER_TARGETS.items():
        if name not in base or peer not in base:
            continue
        ratio, rss_mb = base[peer][0] / base[name][0], base[name][1] * MIB / 1e6
        fast, small = ratio >= share, rss_mb < RSS_LIMIT_MB
        print(f"  {name}: {ratio:.2f}x {peer} (target >= {share}x: {'met' if fast else 'MISSED'}); "
              f"peak RSS {rss_mb:.0f} MB (target < {RSS_LIMIT_MB:.0f} MB: {'met' if small else 'MISSED'})")


if __name__ == "__main__":
    sys.exit(main())
