#!/usr/bin/env python3
"""Medians per scenario and connection count from results.csv (errors: the sum over all runs, so one bad run
shows); with a second file (the Better Auth peer's
results.csv), the ratios Iris / peer for the matching scenarios."""
import csv
import statistics
import sys

PEER_NAME = {"health": "health", "whoami": "get-session", "send": "ml-request", "redeem": "ml-verify-existing"}
TARGET = {"whoami": 20, "send": 3, "redeem": 4}  # Iris / peer at least this (issue 7; whoami: issue 20)


def medians(path):
    rows = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            rows.setdefault((row["scenario"], row["conns"]), []).append(row)
    out = {}
    for key, group in rows.items():
        def med(col):
            return statistics.median(float(r[col] or 0) for r in group)
        out[key] = {c: med(c) for c in ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_req")}
        # Postgres + Redis CPU per operation: ours is a column; the peer's bench.sh records seconds per run.
        out[key]["backing"] = statistics.median(
            float(r["backing_cpu_ms_per_req"]) if r.get("backing_cpu_ms_per_req")
            else (float(r["backing_cpu_s"]) * 1000 / float(r["requests"]) if r.get("backing_cpu_s")
                  and float(r.get("requests") or 0) > 0 else 0.0) for r in group)
        out[key]["errors"] = sum(float(r["errors"] or 0) for r in group)
        out[key]["peak_rss_mb"] = max(float(r.get("peak_rss_mb") or r.get("hwm_mb") or 0) for r in group)
        drained = [r.get("mail_drained_s") for r in group if r.get("mail_drained_s") not in (None, "", "-")]
        out[key]["drained"] = "never" if "never" in drained else (max(drained, key=int) + " s" if drained else "-")
    return out


iris = medians(sys.argv[1])
print(f"{'scenario':<10} {'conns':>5} {'ops/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors*':>7} {'cpu ms/op':>10} "
      f"{'pg+redis':>9} {'rss MB':>7} {'mail drained':>13}")
for (s, c), m in sorted(iris.items()):
    print(f"{s:<10} {c:>5} {m['rps']:>9.0f} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f} {m['errors']:>7.0f} "
          f"{m['server_cpu_ms_per_req']:>10.3f} {m['backing']:>9.3f} {m['peak_rss_mb']:>7.0f} {m['drained']:>13}")
for (s, c), m in sorted(iris.items()):
    h = iris.get(("health", c))
    if s == "whoami" and h and h["rps"] > 0:
        print(f"whoami / health at c={c}: {m['rps'] / h['rps']:.0%} (target >= 70%, issue 20)")
print("* errors: all runs together; everything else: the median run (peak RSS: the highest); pg+redis: CPU ms of all "
      "Postgres and Redis processes per operation")
if len(sys.argv) > 2:
    peer = medians(sys.argv[2])
    print(f"\n{'scenario':<10} {'conns':>5} {'Iris ops/s':>11} {'peer ops/s':>11} {'Iris/peer':>10} {'target':>7} "
          f"{'peer errors*':>12} {'peer cpu ms':>12} {'peer pg+redis':>14}")
    for (s, c), m in sorted(iris.items()):
        p = peer.get((PEER_NAME.get(s, s), c))
        if p and p["rps"] > 0:
            target = f">= {TARGET[s]}" if s in TARGET else "-"
            print(f"{s:<10} {c:>5} {m['rps']:>11.0f} {p['rps']:>11.0f} {m['rps'] / p['rps']:>10.1f} {target:>7} "
                  f"{p['errors']:>12.0f} {p['server_cpu_ms_per_req']:>12.3f} {p['backing']:>14.3f}")
