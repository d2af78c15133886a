#!/usr/bin/env bash
# One-command benchmark of Iris (packaged app, prod mode) against the machine's Postgres and Redis.
#
#   bench/run.sh                      # all scenarios, CONNS="32 64", RUNS=3, DURATION=20 s
#   SCENARIOS="whoami health" CONNS=32 RUNS=1 DURATION=10 bench/run.sh     # quick look
#   (whoami-jwt: whoami?tokenize_as=bench, the session as a JWT — reused while half its TTL is left; not in the default set)
#   bench/run.sh --compare            # and the Better Auth peer (../shared/peers/better-auth), alternating
#                                     # round by round (Iris run r, then the peer's run r), then ratios
#   NATIVE=1 bench/run.sh             # the same scenarios twice in one run: the JVM jar, then the native executable
#                                     # (target/*-runner, README "Native executable"); then one table side by side:
#                                     # start to ready, RSS idle, size, ops/s, peak RSS (native_compare.py)
#   bench/run.sh --floor              # send and redeem, then their storage floor: the Postgres statements and Redis
#                                     # commands Iris issued for one send and one redeem, replayed without Iris
#                                     # (floor.py: pgbench, redis-benchmark), and Iris's figures as a fraction of it
#
# Knobs (env): SCENARIOS ("health whoami send redeem full-login"), CONNS, RUNS, DURATION, WARMUP (5 s), WRK_THREADS (2),
#   SERVER_CPU (1), LOADGEN_CPU (0), SEED_USERS (100000), PORT (8090), PIN (1; 0 = unpinned run),
#   JIT_WARMUP (150 s of mixed load before anything is measured: on one pinned core C2 works through its queue
#   for a while), JIT_SETTLE (180: then, without load, up to this many seconds for the C2 compiler threads to go
#   idle), JAVA (java),
#   JAVA_OPTS (-Xmx160m: the live set after GC is 30-60 MB; and malloc_trim every 5 s; to profile, add
#   -XX:StartFlightRecording=filename=/tmp/iris.jfr,settings=profile — from the start: attaching JFR later
#   deoptimizes the JIT-compiled code for minutes),
#   DRAIN_TIMEOUT (300 s: after every send and full-login run the mail queue must empty within it).
# Output: bench/results/<UTC stamp>/{results.csv,summary.txt,raw/*,iris.log}; the summary is printed.
set -euo pipefail
cd "$(dirname "$0")"
COMPARE=0; [[ ${1:-} == --compare ]] && COMPARE=1
FLOOR=0; [[ ${1:-} == --floor ]] && FLOOR=1 && : "${SCENARIOS:=send redeem}"
: "${SCENARIOS:=health whoami send redeem full-login}"
: "${JAVA_OPTS:=-Xmx160m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000}" "${DRAIN_TIMEOUT:=300}" "${CONNS:=32 64}" "${RUNS:=3}" "${DURATION:=20}" "${WARMUP:=5}"
: "${WRK_THREADS:=2}" "${SERVER_CPU:=1}" "${LOADGEN_CPU:=0}" "${SEED_USERS:=100000}" "${PORT:=8090}" "${PIN:=1}"
URL=http://127.0.0.1:$PORT
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=results/$STAMP
if [[ ${NATIVE:-0} == 1 && -z ${TARGET:-} ]]; then
  # One run, both builds, the same scenarios, one after the other on the same machine and database setup.
  RUNNER=$(ls ../target/*-runner 2>/dev/null | head -1)
  [[ -x $RUNNER ]] || { echo "NATIVE=1 needs the native executable (README 'Native executable': ./mvnw package -Dnative ...)" >&2; exit 2; }
  mkdir -p "$OUT"
  TARGET=jvm OUT_DIR="$OUT/jvm" bash "$0" "$@"
  TARGET=native OUT_DIR="$OUT/native" RUNNER="$RUNNER" bash "$0" "$@"
  ln -sfn "$STAMP" results/latest
  python3 native_compare.py "$OUT/jvm" "$OUT/native" | tee "$OUT/summary.txt"
  exit 0
fi
OUT=${OUT_DIR:-$OUT}
mkdir -p "$OUT/raw" run
MAIL=run/mail.tsv; : > "$MAIL"
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$OUT/bench.log"; }
pin() { if [[ $PIN == 1 ]]; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }
SERVER_PIN=(); LOADGEN_PIN=()
[[ $PIN == 1 ]] && SERVER_PIN=(taskset -c "$SERVER_CPU") && LOADGEN_PIN=(taskset -c "$LOADGEN_CPU")

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
  fi
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
fi
[[ -f ../target/quarkus-app/quarkus-run.jar ]] || (cd .. && ./mvnw -B -q package -DskipTests)

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

if curl -fs -o /dev/null "$URL/q/health/live"; then echo "port $PORT is busy; stop what runs there" >&2; exit 2; fi
log "fresh database iris_bench, Redis db 9"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS iris_bench WITH (FORCE)" \
  -c "CREATE DATABASE iris_bench" 2>&1 | grep -v NOTICE || true
redis-cli -n 9 flushdb >/dev/null

SMTP_PORT=2526
# The sink stands for the mail relay, which runs elsewhere in production: it shares the load generator's core.
"${LOADGEN_PIN[@]}" python3 -W ignore smtp_sink.py $SMTP_PORT "$MAIL" & PIDS+=($!)

secret() { head -c 32 /dev/urandom | base64 | tr -d '=+/' ; }
ADMIN_KEY=$(secret)
export QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/iris_bench \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/iris_bench \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  QUARKUS_REDIS_HOSTS=redis://127.0.0.1:6379/9 QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT=$SMTP_PORT \
  IRIS_PUBLIC_URL=$URL IRIS_SECRETS_HMAC="$(secret)" IRIS_SECRETS_COOKIE="$(secret)" \
  IRIS_SECRETS_CIPHER="$(head -c 32 /dev/urandom | base64)" IRIS_ADMIN_API_KEYS="$ADMIN_KEY" \
  IRIS_RATELIMIT_SEND_PER_IP=100000000/1m IRIS_RATELIMIT_SEND_PER_ADDRESS=100000000/1m \
  IRIS_RATELIMIT_FAILED_REDEEMS_PER_IP=100000000/1m IRIS_RATELIMIT_RESEND_COOLDOWN=0s \
  IRIS_SESSION_TOKENIZER_TEMPLATES_BENCH_TTL=1m
# whoami-jwt: a fresh P-256 signing key for ?tokenize_as=bench (node's crypto writes the JWK)
IRIS_SESSION_TOKENIZER_JWKS=$(node -e 'const {generateKeyPairSync}=require("crypto");
  const k=generateKeyPairSync("ec",{namedCurve:"P-256"}).privateKey.export({format:"jwk"});
  console.log(JSON.stringify({keys:[{...k,kid:"bench",alg:"ES256"}]}))')
export IRIS_SESSION_TOKENIZER_JWKS
# Two malloc arenas (glibc's default is 8 per core) and a periodic malloc_trim, with the smaller heap, keep peak RSS
# under 400 MB over a whole --compare run (with -Xmx256m alone it rose round after round to 476-510 MB).
T0=$(date +%s%N)
if [[ ${TARGET:-jvm} == native ]]; then
  # The native executable takes the same heap limit; the JVM-only options do not apply.
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} "${SERVER_PIN[@]}" "$RUNNER" ${NATIVE_OPTS:--Xmx160m} > "$OUT/iris.log" 2>&1 &
  SIZE_MB=$(du -m "$RUNNER" | cut -f1)
else
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} "${SERVER_PIN[@]}" "${JAVA:-java}" $JAVA_OPTS -jar ../target/quarkus-app/quarkus-run.jar > "$OUT/iris.log" 2>&1 &
  SIZE_MB=$(du -sm ../target/quarkus-app | cut -f1)
fi
SPID=$!; PIDS+=($SPID)
for _ in $(seq 1 1200); do curl -fs -o /dev/null $URL/q/health/ready && break; sleep 0.05; done
curl -fs -o /dev/null $URL/q/health/ready || { log "Iris did not start"; tail -30 "$OUT/iris.log"; exit 1; }
READY_MS=$(( ($(date +%s%N) - T0) / 1000000 ))
sleep 2
echo "target=${TARGET:-jvm} ready_ms=$READY_MS rss_idle_mb=$(awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$SPID/status) size_mb=$SIZE_MB" > "$OUT/startup.txt"
log "$(cat "$OUT/startup.txt")"

log "seeding $SEED_USERS identities"
psql -q -h 127.0.0.1 -U postgres -d iris_bench -c "INSERT INTO identities (id, email, state, address_id,
  email_verified, verified_at, created_at, updated_at) SELECT gen_random_uuid(), 'seed-' || g || '@bench.example.com',
  'active', gen_random_uuid(), true, now(), now(), now() FROM generate_series(0, $SEED_USERS - 1) g; ANALYZE identities;"

# a session for whoami: seed-0 signs in by code
FLOW=$(curl -fs $URL/self-service/login/api | sed 's/.*"id":"\([^"]*\)".*/\1/' | head -c 36)
curl -s -o /dev/null -X POST "$URL/self-service/login?flow=$FLOW" -H 'content-type: application/json' \
  -d '{"method":"code","identifier":"seed-0@bench.example.com"}'
for _ in $(seq 1 50); do grep -q "^$FLOW" "$MAIL" && break; sleep 0.2; done
CODE=$(awk -F'\t' -v f="$FLOW" '$1==f{print $2}' "$MAIL" | tail -1)
TOKEN=$(curl -fs -X POST "$URL/self-service/login?flow=$FLOW" -H 'content-type: application/json' \
  -d "{\"method\":\"code\",\"identifier\":\"seed-0@bench.example.com\",\"code\":\"$CODE\"}" \
  | sed 's/.*"session_token":"\([^"]*\)".*/\1/')
curl -fs -o /dev/null -H "X-Session-Token: $TOKEN" $URL/sessions/whoami || { log "no valid session"; exit 1; }

if [[ $FLOOR == 1 ]]; then
  # What one send and one redeem write: Postgres's statement log and Redis's MONITOR around a send and a redeem of
  # seed-1, with a marker between them (floor.py replays them once Iris is measured and stopped).
  PGLOG=${FLOOR_PGLOG:-$(ls -t /var/log/postgresql/postgresql-*-main.log 2>/dev/null | head -1)}
  [[ -r $PGLOG ]] || { log "--floor needs Postgres's server log (FLOOR_PGLOG=…), readable: '$PGLOG' is not"; exit 2; }
  mkdir -p "$OUT/floor"
  pg_log_statements() { psql -qX -h 127.0.0.1 -U postgres -d postgres -c "ALTER SYSTEM $1" -c "SELECT pg_reload_conf()" > /dev/null; }
  mark() { psql -qX -h 127.0.0.1 -U postgres -d iris_bench -c "SELECT 'floor-mark-$1'" > /dev/null; redis-cli -n 9 ECHO "floor-mark-$1" > /dev/null; }
  FROM=$(($(stat -c %s "$PGLOG") + 1))
  pg_log_statements "SET log_statement = 'all'"
  redis-cli MONITOR > "$OUT/floor/monitor.txt" & MONITOR=$!
  sleep 1
  FLOW=$(curl -fs $URL/self-service/login/api | sed 's/.*"id":"\([^"]*\)".*/\1/' | head -c 36)
  curl -fs -o /dev/null -X POST "$URL/self-service/login?flow=$FLOW" -H 'content-type: application/json' \
    -d '{"method":"code","identifier":"seed-1@bench.example.com"}' -w '' || true
  for _ in $(seq 1 50); do grep -q "^$FLOW" "$MAIL" && break; sleep 0.2; done
  sleep 1   # the mail worker settles the row after the hand-over
  mark redeem
  CODE=$(awk -F'\t' -v f="$FLOW" '$1==f{print $2}' "$MAIL" | tail -1)
  curl -fs -o /dev/null -X POST "$URL/self-service/login?flow=$FLOW" -H 'content-type: application/json' \
    -d "{\"method\":\"code\",\"identifier\":\"seed-1@bench.example.com\",\"code\":\"$CODE\"}" \
    || { log "the floor capture's redeem failed"; exit 1; }
  sleep 1
  mark end
  pg_log_statements "RESET log_statement"
  kill $MONITOR; wait $MONITOR 2>/dev/null || true
  tail -c +"$FROM" "$PGLOG" > "$OUT/floor/pg.log"
  log "captured one send and one redeem: $OUT/floor/{pg.log,monitor.txt}"
fi

{
  echo "date_utc=$STAMP cpus=$(nproc) model=$(lscpu | sed -n 's/^Model name: *//p')"
  echo "split: $( [[ $PIN == 1 ]] && echo "server taskset -c $SERVER_CPU, wrk taskset -c $LOADGEN_CPU" || echo unpinned ); postgres+redis unpinned"
  echo "java=$("${JAVA:-java}" -version 2>&1 | head -1) wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "params: CONNS='$CONNS' RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP WRK_THREADS=$WRK_THREADS SEED_USERS=$SEED_USERS JIT_WARMUP=${JIT_WARMUP:-150} JIT_SETTLE=${JIT_SETTLE:-180} JAVA_OPTS='$JAVA_OPTS'"
} > "$OUT/env.txt"
cat "$OUT/env.txt"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
backing_ticks() { # every postgres and redis-server process, as the peer's bench.sh counts them (shared: approximate)
  local t=0 p
  for p in $(pgrep -x postgres; pgrep -x redis-server); do t=$((t + $(ticks "$p"))); done
  echo $t
}
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else {sub(/s$/,"",v); print v*1000} }'; }
wrk_run() { local d=$1 c=$2 f=$3; shift 3; pin "$LOADGEN_CPU" wrk -t"$WRK_THREADS" -c"$c" -d"${d}s" --timeout 5s --latency "$@" > "$f" 2>&1 || true; }
OFFSET=1
codes_for() { # $1 seconds of send load -> run/codes.tsv with fresh, unredeemed codes
  local before; before=$(wc -l < "$MAIL")
  wrk_run "$1" 32 run/gen.txt -s wrk/send.lua "$URL" -- "$SEED_USERS" "$OFFSET"
  OFFSET=$((OFFSET + 200000))
  # Wait for the queue to empty first: delivery to the sink (which shares wrk's core) can pause for seconds, and a
  # sink that merely stopped growing for 2 s once left the redeem run without codes half-way (errors, not Iris's).
  drained_in > /dev/null
  local last=-1 now; now=$(wc -l < "$MAIL")
  while [[ $now != "$last" ]]; do last=$now; sleep 2; now=$(wc -l < "$MAIL"); done
  tail -n +"$((before + 1))" "$MAIL" > run/codes.tsv
}

c2_ticks() { # CPU ticks used so far by the JVM's C2 compiler threads
  local t=0 d
  for d in /proc/$SPID/task/*; do
    [[ $(cat "$d/comm" 2>/dev/null) == "C2 Compiler"* ]] || continue
    t=$((t + $(sed 's/^.*) //' "$d/stat" | awk '{print $12 + $13}')))
  done
  echo $t
}
jit_settled() { # waits, without load, until C2 used < 10 % of a core over 5 s (at most JIT_SETTLE s); prints the wait
  local t0=$SECONDS a b hz; hz=$(getconf CLK_TCK)
  while (( SECONDS - t0 < JIT_SETTLE )); do
    a=$(c2_ticks); sleep 5; b=$(c2_ticks)
    (( (b - a) * 10 < hz * 5 )) && break
  done
  echo $((SECONDS - t0))
}
# This machine's Postgres runs with autovacuum off; a production one has it on. Without it the outbox (a row
# written, claimed and deleted per email, ~1,000 a second) bloats run after run: 327,000 dead rows and 84 MB after
# two send runs, every later statement on it wading through them. So each run starts from vacuumed tables.
vacuum_tables() { psql -qtAX -h 127.0.0.1 -U postgres -d iris_bench -c "VACUUM (ANALYZE) mail_outbox, login_codes, sessions, identities" > /dev/null; }
outbox() { psql -qtAX -h 127.0.0.1 -U postgres -d iris_bench -c "SELECT count(*) FROM mail_outbox"; }
drained_in() { # waits for the mail queue to empty; prints the seconds it took, or "never"
  local t0=$SECONDS
  while (( $(outbox) > 0 )); do
    (( SECONDS - t0 >= DRAIN_TIMEOUT )) && { echo never; return; }
    sleep 1
  done
  echo $((SECONDS - t0))
}

batch_counters() { # statement:executions=N statement:rows=N of Iris's batched statements (iris_sql_batch*)
  curl -fs $URL/q/metrics | awk '/^iris_sql_batch_executions_total|^iris_sql_batched_rows_total/ {
    match($0, /statement="[^"]*"/); st = substr($0, RSTART + 11, RLENGTH - 12)
    printf "%s:%s=%s ", st, ($1 ~ /executions/ ? "executions" : "rows"), $NF }'
}
echo "scenario,conns,run,statement,executions,rows" > "$OUT/batch.csv"
echo "scenario,conns,run,rps,p50_ms,p99_ms,requests,errors,server_cpu_ms_per_req,peak_rss_mb,mail_drained_s,backing_cpu_ms_per_req" > "$OUT/results.csv"
: "${JIT_WARMUP:=150}" "${JIT_SETTLE:=180}"
[[ ${TARGET:-jvm} == native ]] && JIT_WARMUP=0   # ahead-of-time compiled: nothing to warm up
if (( JIT_WARMUP > 0 )); then
  log "JIT warm-up: ${JIT_WARMUP}s of send, full-login and whoami load (not measured)"
  wrk_run $((JIT_WARMUP / 3)) 32 run/jit-send.txt -s wrk/send.lua "$URL" -- "$SEED_USERS" 900000
  log "mail queue drained in $(drained_in)s"
  wrk_run $((JIT_WARMUP / 3)) 32 run/jit-login.txt -s wrk/full-login.lua "$URL" -- "$SEED_USERS" 950000 "$MAIL"
  wrk_run $((JIT_WARMUP / 3)) 32 run/jit-whoami.txt -s wrk/whoami.lua "$URL" -- "$TOKEN"
  log "mail queue drained in $(drained_in)s"
  log "C2 compiler idle after $(jit_settled)s"
fi
run_one() {
  local s=$1 c=$2 r=$3 base="$OUT/raw/$1-c$2-r$3"; local -a args
  case $s in
    health) args=(-s wrk/health.lua "$URL") ;;
    whoami) args=(-s wrk/whoami.lua "$URL" -- "$TOKEN") ;;
    whoami-jwt) args=(-s wrk/whoami.lua "$URL" -- "$TOKEN" bench) ;;
    send) args=(-s wrk/send.lua "$URL" -- "$SEED_USERS" "$OFFSET"); OFFSET=$((OFFSET + 100000)) ;;
    redeem) codes_for $(( (WARMUP + DURATION) * 2 )); args=(-s wrk/redeem.lua "$URL" -- run/codes.tsv "$WRK_THREADS") ;;
    full-login) args=(-s wrk/full-login.lua "$URL" -- "$SEED_USERS" "$OFFSET" "$MAIL"); OFFSET=$((OFFSET + 100000)) ;;
    *) log "unknown scenario $s"; return ;;
  esac
  vacuum_tables
  [[ $s == redeem ]] || wrk_run "$WARMUP" "$c" "$base-warmup.txt" "${args[@]}"
  local t0 t1 b0 b1 m0 m1; t0=$(ticks $SPID); b0=$(backing_ticks); m0=$(batch_counters)
  wrk_run "$DURATION" "$c" "$base.txt" "${args[@]}"
  t1=$(ticks $SPID); b1=$(backing_ticks); m1=$(batch_counters)
  paste -d' ' <(echo "$m0" | tr ' ' '\n') <(echo "$m1" | tr ' ' '\n') | awk -v s="$s" -v c="$c" -v r="$r" -v OFS=, \
    '{ split($1, a, "="); split($2, b, "="); d[a[1]] = b[2] - a[2] }
     END { for (st in d) if (st ~ /:executions$/) { n = substr(st, 1, length(st) - 11); print s, c, r, n, d[st], d[n ":rows"] } }' \
    >> "$OUT/batch.csv"
  local f="$base.txt" ok bad rps p50 p99 cpu rss
  ok=$(sed -n 's/^CHECK ok=\([0-9]*\).*/\1/p' "$f"); bad=$(sed -n 's/^CHECK ok=[0-9]* bad=\([0-9]*\).*/\1/p' "$f")
  ok=${ok:-0}; bad=${bad:-0}
  rps=$(awk -v n="$ok" -v d="$DURATION" 'BEGIN{printf "%.0f", n/d}')   # completed operations per second
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' "$f")"); p99=$(to_ms "$(awk '$1=="99%"{print $2}' "$f")")
  cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="$ok" 'BEGIN{ if (n>0) printf "%.3f", (b-a)/hz*1000/n; else print 0 }')
  local backing; backing=$(awk -v a="$b0" -v b="$b1" -v hz="$(getconf CLK_TCK)" -v n="$ok" 'BEGIN{ if (n>0) printf "%.3f", (b-a)/hz*1000/n; else print 0 }')
  rss=$(awk '/VmHWM/{printf "%.0f", $2/1024}' /proc/$SPID/status)
  local drained=-
  if [[ $s == send || $s == full-login ]]; then
    drained=$(drained_in)
    [[ $drained == never ]] && bad=$((bad + $(outbox)))   # mail still queued after DRAIN_TIMEOUT: errors
  fi
  echo "$s,$c,$r,$rps,$p50,$p99,$ok,$bad,$cpu,$rss,$drained,$backing" >> "$OUT/results.csv"
  log "$s c=$c run=$r: ops/s=$rps p50=${p50}ms p99=${p99}ms errors=$bad cpu=${cpu}ms/op backing(pg+redis)=${backing}ms/op rss_peak=${rss}MB mail_drained=${drained}s"
}

PEER=../../shared/peers/better-auth
PEER_SCENARIOS=""
for s in $SCENARIOS; do
  case $s in health) PEER_SCENARIOS+=" health" ;; whoami) PEER_SCENARIOS+=" get-session" ;;
    send) PEER_SCENARIOS+=" ml-request" ;; redeem) PEER_SCENARIOS+=" ml-verify-existing" ;; esac
done
if [[ $COMPARE == 1 ]]; then
  [[ -d $PEER ]] || { log "no peer at $PEER"; exit 2; }
  [[ -d $PEER/node_modules ]] || (cd "$PEER" && npm ci --no-audit --no-fund)
  : > "$OUT/peer.csv"
fi
peer_round() { # the peer's own bench.sh, one run of every matching scenario; its rows land in peer.csv
  log "peer round $1: Better Auth ($PEER):$PEER_SCENARIOS"
  (cd "$PEER" && SCENARIOS="$PEER_SCENARIOS" CONNS="$CONNS" RUNS=1 DURATION="$DURATION" WARMUP="$WARMUP" \
     WRK_THREADS="$WRK_THREADS" SERVER_CPU="$SERVER_CPU" LOADGEN_CPU="$LOADGEN_CPU" SEED_USERS="$SEED_USERS" \
     ./bench.sh > /dev/null 2>&1) || log "peer round $1 failed (see $PEER/results/latest)"
  local csv=$PEER/results/latest/results.csv
  [[ -s $OUT/peer.csv ]] || head -1 "$csv" > "$OUT/peer.csv"
  tail -n +2 "$csv" | awk -F, -v OFS=, -v r="$1" '{ $3 = r; print }' >> "$OUT/peer.csv"
  grep -h 'c=' "$PEER/results/latest/bench.log" | sed 's/^/  peer /' | tee -a "$OUT/bench.log" >/dev/null || true
}

for r in $(seq 1 "$RUNS"); do
  for s in $SCENARIOS; do for c in $CONNS; do
    run_one "$s" "$c" "$r"
    kill -0 $SPID 2>/dev/null || { log "Iris died"; tail -30 "$OUT/iris.log"; exit 1; }
  done; done
  [[ $COMPARE == 1 && -n $PEER_SCENARIOS ]] && peer_round "$r"
done

ln -sfn "$STAMP" results/latest
if [[ $FLOOR == 1 ]]; then
  log "stopping Iris; replaying the captured send and redeem alone (floor.py)"
  kill $SPID; wait $SPID 2>/dev/null || true
  python3 floor.py "$OUT/floor" "$CONNS" "$DURATION" iris_bench "$OUT/results.csv" | tee "$OUT/floor/summary.txt"
fi
if [[ $COMPARE == 1 ]]; then
  python3 summarize.py "$OUT/results.csv" "$OUT/peer.csv" | tee "$OUT/summary.txt"
else
  python3 summarize.py "$OUT/results.csv" | tee "$OUT/summary.txt"
fi
