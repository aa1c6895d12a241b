#!/usr/bin/env bash
# Load test: `sangsaeng serve` in production mode with the demo cluster, one task worker,
# and locust on the same machine.
#
#   bench/load/run.sh sqlite|postgres [MINUTES] [USERS]
#
# 1. USERS (50) people with 1–3 s pauses for MINUTES (10): home, directory, details,
#    search (15%), logged-in posting (5%). Bars: 0 errors, p95 < 300 ms overall, < 500 ms
#    for search.
# 2. Without pauses, 60 s each: the home page, then a minimal Django view (/health/).
#    Bar: the home page's throughput at least half the minimal view's.
# PostgreSQL: a throw-away cluster on 127.0.0.1 (apt-get install postgresql), as .ci/run.
# Results: bench/out/load-<db>/ (locust CSVs, server log) and a summary on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${1:?sqlite or postgres}
MINUTES=${2:-10}
USERS=${3:-50}
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BIN=$(pwd)/.venv/bin
OUT=$(pwd)/bench/out/load-$DB
rm -rf "$OUT" && mkdir -p "$OUT"

export SANGSAENG_ENV=production SECRET_KEY=load-test-secret-not-for-production-use-0123456789
export ALLOWED_HOSTS=127.0.0.1 SANGSAENG_VAR="$OUT/var" SECURE_COOKIES=false
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend LOG_LEVEL=WARNING
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${PG_DATA:-}" ]; then su postgres -c "$PG_BIN/pg_ctl -D $PG_DATA -m fast stop" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ "$DB" = postgres ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DATA=$(mktemp -d /tmp/sangsaeng-load-pg.XXXXXX)
  PG_PORT=${PG_PORT:-55439}
  chown postgres "$PG_DATA"
  su postgres -c "$PG_BIN/initdb -D $PG_DATA -A trust -U postgres >/dev/null"
  su postgres -c "$PG_BIN/pg_ctl -D $PG_DATA -o '-h 127.0.0.1 -p $PG_PORT -k /tmp' -l $PG_DATA/log -w start >/dev/null"
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE sangsaeng" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/sangsaeng" DATABASE_CONN_MAX_AGE=60
else
  export DATABASE_URL="sqlite:///$OUT/var/sangsaeng.sqlite3"
fi

echo "== $(date +%T) migrate and load the demo cluster ($DB)"
mkdir -p "$OUT/var"
"$BIN/sangsaeng" manage migrate --verbosity 0
"$BIN/sangsaeng" manage load_demo > "$OUT/load_demo.log"

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT already answers: another server would be measured" >&2
  exit 1
fi
echo "== $(date +%T) start the server and one task worker"
"$BIN/sangsaeng" serve --port "$PORT" > "$OUT/server.log" 2>&1 &
PIDS+=($!)
"$BIN/sangsaeng" manage db_worker --no-reload > "$OUT/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/ko/" && break
  sleep 1
done
START=$(date +%s.%N)
curl -sf -o /dev/null "http://127.0.0.1:$PORT/ko/needs/search/?q=%EB%B0%98%EB%8F%84%EC%B2%B4"
echo "first search after start: $(echo "$(date +%s.%N) - $START" | bc) s"
grep -E "serving on" "$OUT/server.log" || true

LOCUST=("$BIN/locust" -f bench/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" --only-summary)
echo "== $(date +%T) $USERS users with pauses for $MINUTES min"
"${LOCUST[@]}" Visitor -u "$USERS" -r 5 -t "${MINUTES}m" --csv "$OUT/browse" > "$OUT/browse.log" 2>&1 || true
echo "== $(date +%T) no pauses, 60 s each: the home page, then a minimal view"
"${LOCUST[@]}" HomePageOnly -u 20 -r 20 -t 60s --csv "$OUT/home" > "$OUT/home.log" 2>&1 || true
"${LOCUST[@]}" MinimalViewOnly -u 20 -r 20 -t 60s --csv "$OUT/minimal" > "$OUT/minimal.log" 2>&1 || true

echo "== $(date +%T) memory of the server's processes (MB; PSS counts shared pages once)"
SERVER=${PIDS[0]}
for pid in $SERVER $(pgrep -P "$SERVER" || true); do
  awk -v pid="$pid" '/^Rss:/ {rss=$2} /^Pss:/ {pss=$2} END {printf "pid %s  RSS %.0f  PSS %.0f\n", pid, rss/1024, pss/1024}' "/proc/$pid/smaps_rollup" || true
done

"$BIN/python" bench/load/summary.py "$OUT" | tee "$OUT/summary.txt"
