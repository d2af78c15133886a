#!/usr/bin/env python3
"""The storage floor of a send and of a redeem (issue 20): replays exactly the Postgres statements and Redis
commands Iris issued for one send and one redeem, without Iris, at the same concurrency, on the same machine.

    floor.py CAPTURE_DIR CONNS DURATION DB [RESULTS_CSV]

CAPTURE_DIR (written by `bench/run.sh --floor` while Iris served one send and one redeem with statement logging on):
  pg.log       Postgres's server log of that window (log_statement=all; the default Debian log_line_prefix)
  monitor.txt  `redis-cli MONITOR` of the same window
  Both hold the marker `floor-mark-redeem` between the send and the redeem.

What is replayed, and how:
  * Postgres: every statement of the Iris database in each window, in order, each its own transaction as Iris runs
    it (autocommit), minus the mail worker's idle polling (the outbox gauge, and claims that took no row: a claim
    is kept when the same backend settles outbox rows right after it). Each statement's text is Iris's; its
    parameters are written in as SQL expressions of a per-operation sequence number, so each replayed operation
    gets fresh ids and hashes of the captured sizes, timestamps keep their distance from now(), and a value that
    occurs in several statements (the flow id, the code id, the mail id) stays the same value in all of them. The
    redeem of operation n therefore finds the code the send of operation n issued. pgbench -M prepared, CONNS
    clients: the send script for DURATION seconds, then the redeem script as many times per client as the send ran
    (every redeem meets its code).
  * Redis: every command Iris's connection sent in each window (EVALSHA of Iris's own scripts, GET, SET, ZREM; the
    near cache's heartbeat PUBLISHes are left out), each run alone by redis-benchmark at CONNS connections with
    ids, hashes and nonces randomised (__rand_int__); one operation's Redis floor is 1 / sum(1 / rate of each).

Prints, and writes CAPTURE_DIR/floor.csv: ops/s of each floor, and with RESULTS_CSV (Iris's own send/redeem runs of
the same bench run) the fraction Iris reaches of the Postgres floor, the Redis floor, and both together (the two
servers share this machine's cores with the load generator, as Iris did: 1 / (1/pg + 1/redis))."""
import csv
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

MARK = "floor-mark-redeem"
MARKS = "floor-mark-"  # every marker run.sh writes (the redeem marker, the end marker)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$")
BYTEA = re.compile(r"^\\x([0-9a-f]*)$")
SEED_EMAIL = re.compile(r"^seed-\d+@bench\.example\.com$")
BATCHED = {"send": "issue", "redeem": "find_open"}  # the statement Iris batches on each path (its metrics' tag)
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) UTC \[(\d+)\] (\S*)@(\S*) (LOG|DETAIL):  (.*)$")


# ---------------------------------------------------------------- Postgres: capture -> statements with parameters

def pg_entries(path, db):
    """(time, pid, sql, [params]) for every statement the database `db` logged, in order."""
    entries, current = [], None
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            m = LOG_LINE.match(line)
            if not m:
                if current is not None and line.startswith("\t"):
                    current["sql"] += "\n" + line[1:]
                continue
            when, pid, _user, database, kind, text = m.groups()
            if database != db:
                current = None
                continue
            if kind == "LOG":
                s = re.match(r"^(?:execute [^:]*|statement): (.*)$", text)
                current = {"time": datetime.strptime(when, "%Y-%m-%d %H:%M:%S.%f"), "pid": pid,
                           "sql": s.group(1), "params": []} if s else None
                if current is not None:
                    entries.append(current)
            elif kind == "DETAIL" and current is not None and text.startswith("parameters: "):
                current["params"] = parse_params(text[len("parameters: "):])
    return entries


def parse_params(text):
    """`$1 = 'a', $2 = NULL` -> ['a', None] (single quotes doubled inside a value)."""
    out, i = [], 0
    while i < len(text):
        m = re.compile(r"\$(\d+) = ").match(text, i)
        if not m:
            break
        i = m.end()
        if text.startswith("NULL", i):
            out.append(None)
            i += 4
        else:
            j, value = i + 1, []
            while True:
                if text[j] == "'" and text[j + 1:j + 2] == "'":
                    value.append("'")
                    j += 2
                elif text[j] == "'":
                    break
                else:
                    value.append(text[j])
                    j += 1
            out.append("".join(value))
            i = j + 1
        i += 2 if text.startswith(", ", i) else 0
    return out


def parse_array(literal):
    """A Postgres array literal `{a,"b c","\\\\x00"}` -> its elements, or None when it is not one."""
    if not (literal.startswith("{") and literal.endswith("}")):
        return None
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        if body[i] == '"':
            j, value = i + 1, []
            while body[j] != '"':
                if body[j] == "\\":
                    j += 1
                value.append(body[j])
                j += 1
            out.append("".join(value))
            i = j + 1
        else:
            j = body.find(",", i)
            j = len(body) if j < 0 else j
            token = body[i:j]
            out.append(None if token == "NULL" else token)
            i = j
        i += 1  # the comma
    return out


def worker_polls_removed(entries):
    """The mail worker's idle work is not part of a send: the outbox gauge, and claims that took nothing (kept: a
    claim followed, on the same backend, by the statement that settles what it took)."""
    kept = []
    for k, e in enumerate(entries):
        sql = e["sql"]
        if sql.startswith("SELECT count(*) FROM mail_outbox") or MARKS in sql:
            continue
        if sql.startswith("UPDATE mail_outbox SET next_attempt_at"):
            settles = next((n for n in entries[k + 1:] if n["pid"] == e["pid"]), None)
            if not settles or not re.match(r"^(DELETE FROM|UPDATE) mail_outbox\b(?! SET next_attempt_at = now\(\) \+)",
                                           settles["sql"]):
                continue
        kept.append(e)
    return kept


class Values:
    """Turns captured values into SQL expressions of the operation's number (:op + j); one captured value, one
    expression, wherever it occurs."""

    def __init__(self):
        self.names = {}

    def _key(self, value, j):
        self.names.setdefault(value, len(self.names))
        return f"((:op::bigint + {j})::text || '.{self.names[value]}')"

    def keyed(self, value):
        return value is not None and bool(UUID.match(value) or SEED_EMAIL.match(value) or BYTEA.match(value))

    def expr(self, value, at, j):
        if value is None:
            return "NULL"
        if UUID.match(value):
            return f"md5{self._key(value, j)}::uuid"
        if SEED_EMAIL.match(value):
            return f"('seed-' || ((:op::bigint + {j}) % 100000)::text || '@bench.example.com')"
        m = BYTEA.match(value)
        if m and m.group(1):
            length = len(m.group(1)) // 2
            return (f"substring(decode(repeat(md5{self._key(value, j)}, {math.ceil(length / 16)}), 'hex') "
                    f"from 1 for {length})")
        if TIMESTAMP.match(value):
            then = datetime.strptime(value[:-3] + ("" if "." in value else ".0"), "%Y-%m-%d %H:%M:%S.%f")
            return f"(now() + interval '{(then - at).total_seconds():.6f} seconds')"
        return "'" + value.replace("'", "''") + "'"


def pgbench_script(entries, values, batch):
    """One pgbench transaction = `batch` operations, as Iris runs them under load: a statement that takes arrays
    (Iris batches it) runs once over all of them, one that takes a single operation's values runs once per operation,
    one that takes none (the mail worker's claim) runs once."""
    lines = []
    for e in entries:
        arrays = [parse_array(p) if p is not None else None for p in e["params"]]
        keyed = any(values.keyed(v) for p, a in zip(e["params"], arrays) for v in (a if a is not None else [p]))
        runs = range(batch) if keyed and all(a is None for a in arrays) else [None]
        for j in runs:
            params = []
            for p, a in zip(e["params"], arrays):
                if a is None:
                    params.append(values.expr(p, e["time"], j or 0))
                else:
                    elements = [values.expr(v, e["time"], k) for k in range(batch) for v in a]
                    params.append("(ARRAY[" + ", ".join(elements) + "])")
            sql = re.sub(r"\$(\d+)\b", lambda m: params[int(m.group(1)) - 1], e["sql"])
            lines.append(re.sub(r"\s*\n\s*", " ", sql).strip() + ";")
    return (f"\\set op :base + :client_id * 10000000 + :n\n\\set n :n + {batch}\n" + "\n".join(lines) + "\n")


# ---------------------------------------------------------------- Redis: capture -> commands

def redis_commands(path):
    """(window, [args]) for every command an Iris connection sent (not the commands scripts ran, not heartbeats)."""
    out, window = [], "send"
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r'^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$', line.strip())
            if not m:
                continue
            args = shlex.split(m.group(2).replace("\\\"", "\x00"))
            args = [a.replace("\x00", '"') for a in args]
            if args[0].upper() == "ECHO" and MARK in args[1:]:
                window = "redeem"
                continue
            if m.group(1) == "lua" or args[0].upper() in ("SELECT", "ECHO", "MONITOR"):
                continue
            if args[0].upper() == "PUBLISH" and args[1].startswith("iris:session-invalidations"):
                continue
            out.append((window, args))
    return out


def randomised(args):
    """Fresh ids, hashes and nonces per request (redis-benchmark writes a 12-digit number over __rand_int__)."""
    def one(a):
        a = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                   lambda m: m.group(0)[:24] + "__rand_int__", a)
        a = re.sub(r"\b([0-9a-f]{52})[0-9a-f]{12}\b", r"\1__rand_int__", a)
        return re.sub(r"^(\d{13}-)[0-9a-f]{12,16}$", r"\1__rand_int__", a)
    return [args[0]] + [one(a) for a in args[1:]]


# ---------------------------------------------------------------- running

def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def pgbench(db, script, conns, extra, base, log_prefix=None):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    cmd = ["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared", "-c", str(conns),
           "-j", "2", "-D", "n=0", "-D", f"base={base}", "-f", f.name] + extra + [db]
    if log_prefix:
        cmd[1:1] = ["--log", f"--log-prefix={log_prefix}"]
    out = subprocess.run(cmd, text=True, capture_output=True)
    os.unlink(f.name)
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    tps = re.search(r"tps = ([\d.]+) \(without initial", out.stdout)
    lat = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    if out.returncode != 0 or not tps:
        raise SystemExit(f"pgbench failed:\n{out.stdout}\n{out.stderr}")
    return float(tps.group(1)), float(lat.group(1)), int(failed.group(1)) if failed else 0


def per_client_min(prefix):
    """The fewest transactions any client completed (from pgbench's per-transaction logs)."""
    counts = {}
    directory, stem = os.path.split(prefix)
    for name in os.listdir(directory):
        if name.startswith(stem + "."):
            with open(os.path.join(directory, name)) as f:
                for line in f:
                    client = line.split(" ", 1)[0]
                    counts[client] = counts.get(client, 0) + 1
            os.unlink(os.path.join(directory, name))
    return min(counts.values())


def vacuum(db):
    sh(["psql", "-qtAX", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c",
        "VACUUM (ANALYZE) mail_outbox, login_codes, sessions, identities"])


def redis_rate(args, conns, requests):
    out = sh(["redis-benchmark", "-h", "127.0.0.1", "-p", "6379", "--dbnum", "9", "-c", str(conns), "-n", str(requests),
              "-r", "100000", "--threads", "2", "--csv"] + args)
    # the last line: "<the command, quotes unescaped>","rps","avg ms",... (six latency columns)
    return float(re.search(r'"([\d.]+)"(?:,"[\d.]+"){6}$', out.strip().splitlines()[-1]).group(1))


def iris_medians(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            rows.setdefault((r["scenario"], r["conns"]), []).append(float(r["rps"]))
    return {k: statistics.median(v) for k, v in rows.items()}


def batch_sizes(path):
    """(scenario, conns) -> the mean batch size Iris reached over those runs (batch.csv, from its metrics)."""
    sums = {}
    if os.path.exists(path):
        with open(path) as f:
            for r in csv.DictReader(f):
                if r["statement"] != BATCHED.get(r["scenario"]):
                    continue
                e, n = sums.get((r["scenario"], r["conns"]), (0.0, 0.0))
                sums[(r["scenario"], r["conns"])] = (e + float(r["executions"]), n + float(r["rows"]))
    return {k: n / e for k, (e, n) in sums.items() if e > 0}


def main():
    capture, conns_list, duration, db = sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), sys.argv[4]
    results = iris_medians(sys.argv[5]) if len(sys.argv) > 5 else {}
    batches = batch_sizes(os.path.join(os.path.dirname(sys.argv[5]), "batch.csv")) if len(sys.argv) > 5 else {}
    entries = pg_entries(os.path.join(capture, "pg.log"), db)
    mark = next(i for i, e in enumerate(entries) if MARK in e["sql"])
    windows = {"send": worker_polls_removed(entries[:mark]), "redeem": worker_polls_removed(entries[mark:])}
    values = Values()
    commands = redis_commands(os.path.join(capture, "monitor.txt"))
    for w in windows:
        with open(os.path.join(capture, f"{w}.sql"), "w") as f:
            f.write(pgbench_script(windows[w], values, 1))
        with open(os.path.join(capture, f"{w}.redis"), "w") as f:
            f.write("".join(shlex.join(randomised(a)) + "\n" for win, a in commands if win == w))
        print(f"{w}: {len(windows[w])} Postgres statements ({capture}/{w}.sql), "
              f"{sum(1 for win, _ in commands if win == w)} Redis commands ({capture}/{w}.redis)")

    rows = []
    for i, conns in enumerate(conns_list):
        redis = {w: 1 / sum(1 / redis_rate(randomised(a), conns, 100000) for win, a in commands if win == w)
                 for w in windows}
        measured = {w: batches.get((w, conns), 1.0) for w in windows}
        for variant in ("one at a time", "batched as Iris ran"):
            size = {w: 1 if variant == "one at a time" else max(1, round(measured[w])) for w in windows}
            if variant != "one at a time" and size == {"send": 1, "redeem": 1}:
                continue
            base = (int(time.time()) % 10 ** 8) * 10 ** 10 + i * 10 ** 9  # fresh values in every run
            prefix = os.path.join(tempfile.mkdtemp(), "send")
            vacuum(db)
            floor = {"send": pgbench(db, pgbench_script(windows["send"], values, size["send"]), conns,
                                     ["-T", str(duration)], base, prefix)}
            ops = per_client_min(prefix) * size["send"]  # operations every client issued codes for
            vacuum(db)
            floor["redeem"] = pgbench(db, pgbench_script(windows["redeem"], values, size["redeem"]), conns,
                                      ["-t", str(max(1, ops // size["redeem"]))], base)
            for w in windows:
                tps, lat, failed = floor[w]
                pg = tps * size[w]
                both = 1 / (1 / pg + 1 / redis[w])
                iris = results.get((w, conns))
                rows.append({"path": w, "conns": conns, "variant": variant, "batch": size[w],
                             "iris_batch": f"{measured[w]:.1f}", "pg_floor": round(pg), "pg_tx_ms": lat,
                             "pg_failed": failed, "redis_floor": round(redis[w]), "both_floor": round(both),
                             "iris": round(iris) if iris else "", "of_pg": f"{iris / pg:.0%}" if iris else "",
                             "of_both": f"{iris / both:.0%}" if iris else ""})
    with open(os.path.join(capture, "floor.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\n{'path':<7} {'conns':>5} {'variant':<20} {'batch':>5} {'pg floor':>9} {'pg tx ms':>8} {'failed':>6} "
          f"{'redis floor':>11} {'both':>7} {'Iris':>6} {'of pg':>6} {'of both':>7}")
    for r in rows:
        print(f"{r['path']:<7} {r['conns']:>5} {r['variant']:<20} {r['batch']:>5} {r['pg_floor']:>9} "
              f"{r['pg_tx_ms']:>8.2f} {r['pg_failed']:>6} {r['redis_floor']:>11} {r['both_floor']:>7} {r['iris']:>6} "
              f"{r['of_pg']:>6} {r['of_both']:>7}")
    print("operations per second. pg floor: the Postgres statements of the operations alone (batch: operations per "
          "batched statement, as Iris's metrics measured them in its own runs); redis floor: its Redis commands, "
          "each alone, combined; both = 1/(1/pg + 1/redis), the two servers sharing this machine's cores as with Iris")


if __name__ == "__main__":
    main()
