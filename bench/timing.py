#!/usr/bin/env python3
"""Timing after the answer (design rule 1): does the request that follows a send tell whether the address had
an account? Starts the packaged app (prod mode, machine's Postgres db iris_timing and Redis db 8, the benchmark's
SMTP sink), creates known identities, then N times: a login flow, a send to a known or an unknown address (random
order, each address used once), and at once the caller's next request on the same connection (a new login flow),
timed. Prints the medians and the AUC of "next request after a known address is slower" (0.5: nothing to learn).

    bench/timing.py [N=300]        # env PORT (8091), JAVA (java), PAUSE (0.3 s between pairs), JAR (another build)

The 2026-11 outside assessment measured AUC 0.615 at n=300 before the mail worker's wake-up was jittered and moved
off the caller's event loop. Figures are printed, never asserted."""
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
PORT = int(os.environ.get("PORT", "8091"))
PAUSE = float(os.environ.get("PAUSE", "0.3"))
ADMIN = "timing-admin-key-" + secrets.token_hex(16)
SMTP_PORT = 2527


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start():
    jar = os.environ.get("JAR") or os.path.join(HERE, "..", "target", "quarkus-app", "quarkus-run.jar")
    if not os.path.exists(jar):
        sh(f"cd {HERE}/.. && ./mvnw -B -q package -DskipTests")
    sh('psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS iris_timing WITH (FORCE)" '
       '-c "CREATE DATABASE iris_timing"')
    sh("redis-cli -n 8 flushdb")
    sink = subprocess.Popen([sys.executable, "-W", "ignore", os.path.join(HERE, "smtp_sink.py"), str(SMTP_PORT),
                             "/dev/null"])
    key = lambda: secrets.token_urlsafe(32)
    env = dict(os.environ, QUARKUS_HTTP_PORT=str(PORT), QUARKUS_HTTP_HOST="127.0.0.1",
               QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/iris_timing",
               QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/iris_timing",
               QUARKUS_DATASOURCE_USERNAME="postgres", QUARKUS_DATASOURCE_PASSWORD="postgres",
               QUARKUS_REDIS_HOSTS="redis://127.0.0.1:6379/8", QUARKUS_MAILER_HOST="127.0.0.1",
               QUARKUS_MAILER_PORT=str(SMTP_PORT), IRIS_PUBLIC_URL=f"http://127.0.0.1:{PORT}",
               IRIS_SECRETS_HMAC=key(), IRIS_SECRETS_COOKIE=key(),
               IRIS_SECRETS_CIPHER=__import__("base64").b64encode(os.urandom(32)).decode(),
               IRIS_ADMIN_API_KEYS=ADMIN, IRIS_RATELIMIT_SEND_PER_IP="100000000/1m",
               IRIS_RATELIMIT_SEND_PER_ADDRESS="100000000/1m", IRIS_RATELIMIT_RESEND_COOLDOWN="0s")
    iris = subprocess.Popen([os.environ.get("JAVA", "java"), "-jar", jar], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            c.request("GET", "/q/health/ready")
            if c.getresponse().status == 200:
                return sink, iris
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("Iris did not become ready")


def call(conn, method, path, body=None, headers=None):
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=h)
    r = conn.getresponse()
    return r.status, r.read()


def auc(slower, faster):
    """P(a random 'known' latency exceeds a random 'unknown' one), ties counted half (Mann-Whitney U / n1 n2)."""
    wins = sum((a > b) + 0.5 * (a == b) for a in slower for b in faster)
    return wins / (len(slower) * len(faster))


def main():
    sink, iris = start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        labels = [True] * (N // 2) + [False] * (N - N // 2)
        random.shuffle(labels)
        known = []
        for _ in range(labels.count(True)):
            email = f"timing-{uuid.uuid4().hex[:12]}@example.com"
            status, _ = call(conn, "POST", "/admin/identities", {"traits": {"email": email}},
                             {"Authorization": "Bearer " + ADMIN})
            assert status == 201, status
            known.append(email)
        for _ in range(20):  # warm-up, not measured
            status, body = call(conn, "GET", "/self-service/login/api")
            call(conn, "POST", f"/self-service/login?flow={json.loads(body)['id']}",
                 {"method": "code", "identifier": f"warm-{uuid.uuid4().hex[:8]}@example.com"})
        time.sleep(2)
        after = {True: [], False: []}
        _, body = call(conn, "GET", "/self-service/login/api")
        flow = json.loads(body)["id"]
        for is_known in labels:
            email = known.pop() if is_known else f"nobody-{uuid.uuid4().hex[:12]}@example.com"
            status, _ = call(conn, "POST", f"/self-service/login?flow={flow}", {"method": "code", "identifier": email})
            assert status == 400, status
            t0 = time.perf_counter()
            status, body = call(conn, "GET", "/self-service/login/api")
            after[is_known].append((time.perf_counter() - t0) * 1000)
            flow = json.loads(body)["id"]
            time.sleep(PAUSE)
        k, u = after[True], after[False]
        print(f"n={N}  next request after a send: known median {statistics.median(k):.3f} ms, "
              f"unknown median {statistics.median(u):.3f} ms, AUC(known slower) = {auc(k, u):.3f}")
    finally:
        iris.terminate()
        sink.terminate()
        iris.wait()


if __name__ == "__main__":
    main()
