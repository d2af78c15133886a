#!/usr/bin/env python3
"""The JVM jar and the native executable side by side, from one `NATIVE=1 bench/run.sh` run:
start to ready, RSS idle, size on disk, and per scenario and connection count the median ops/s, p99 and peak RSS.

    native_compare.py RESULTS/jvm RESULTS/native"""
import csv
import os
import statistics
import sys


def startup(directory):
    with open(os.path.join(directory, "startup.txt")) as f:
        return dict(part.split("=", 1) for part in f.read().split())


def medians(directory):
    rows = {}
    with open(os.path.join(directory, "results.csv")) as f:
        for row in csv.DictReader(f):
            rows.setdefault((row["scenario"], int(row["conns"])), []).append(row)
    return {key: {"rps": statistics.median(float(r["rps"]) for r in group),
                  "p99": statistics.median(float(r["p99_ms"]) for r in group),
                  "errors": sum(float(r["errors"]) for r in group),
                  "rss": max(float(r["peak_rss_mb"]) for r in group)} for key, group in rows.items()}


jvm_dir, native_dir = sys.argv[1], sys.argv[2]
js, ns = startup(jvm_dir), startup(native_dir)
print(f"{'':<28} {'JVM':>10} {'native':>10}")
print(f"{'start to ready (ms)':<28} {js['ready_ms']:>10} {ns['ready_ms']:>10}")
print(f"{'RSS idle (MB)':<28} {js['rss_idle_mb']:>10} {ns['rss_idle_mb']:>10}")
print(f"{'size on disk (MB)':<28} {js['size_mb']:>10} {ns['size_mb']:>10}   (jar: target/quarkus-app; native: the executable)")
jm, nm = medians(jvm_dir), medians(native_dir)
print(f"\n{'scenario':<12} {'conns':>5} {'JVM ops/s':>10} {'native ops/s':>13} {'native/JVM':>10} "
      f"{'JVM p99':>8} {'nat p99':>8} {'JVM rss':>8} {'nat rss':>8} {'errors':>7}")
for key in sorted(set(jm) | set(nm)):
    j, n = jm.get(key), nm.get(key)
    if not j or not n:
        continue
    ratio = n["rps"] / j["rps"] if j["rps"] else 0
    print(f"{key[0]:<12} {key[1]:>5} {j['rps']:>10.0f} {n['rps']:>13.0f} {ratio:>10.2f} {j['p99']:>8.2f} "
          f"{n['p99']:>8.2f} {j['rss']:>8.0f} {n['rss']:>8.0f} {j['errors'] + n['errors']:>7.0f}")
print("medians of the runs; p99 in ms; rss: peak RSS (MB) during the scenario; errors: both builds, all runs")
