#!/usr/bin/env bash
# The API fuzzed against its own OpenAPI schema for longer than `make test` does:
# `sangsaeng serve` in production mode with the demo cluster (SQLite), then schemathesis
# anonymously and with the demo organisation admin's token.
#
#   bench/api_fuzz/run.sh [MAX_EXAMPLES]      (default 200 per operation and mode)
#
# Bars: no server error, no schema violation (every check but "valid data should be
# accepted": the schema cannot state every service rule; those refusals are documented 400s).
# Results: bench/out/api_fuzz/ (the server log and schemathesis's reports).
set -euo pipefail
cd "$(dirname "$0")/../.."
EXAMPLES=${1:-200}
PORT=${PORT:-8766}
BIN=$(pwd)/.venv/bin
OUT=$(pwd)/bench/out/api_fuzz
rm -rf "$OUT" && mkdir -p "$OUT/var"

export SANGSAENG_ENV=production SECRET_KEY=fuzz-secret-not-for-production-use-0123456789
export ALLOWED_HOSTS=127.0.0.1 SANGSAENG_VAR="$OUT/var" SECURE_COOKIES=false
export DATABASE_URL="sqlite:///$OUT/var/sangsaeng.sqlite3"
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend LOG_LEVEL=WARNING
export TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend

"$BIN/sangsaeng" manage migrate --verbosity 0
"$BIN/sangsaeng" manage load_demo > "$OUT/load_demo.log"
TOKEN=$("$BIN/sangsaeng" manage create_api_token --user orgadmin@sangsaeng.demo.example --name fuzz | grep -o 'ssg_[A-Za-z0-9_-]*' | head -n 1)
"$BIN/sangsaeng" serve --port "$PORT" --workers 2 > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/" && break; sleep 1; done

SCHEMA="http://127.0.0.1:$PORT/api/openapi.json"
ST=("$BIN/schemathesis" run "$SCHEMA" --max-examples "$EXAMPLES" --exclude-checks positive_data_acceptance --workers 2)
status=0
echo "== anonymous, $EXAMPLES examples per operation"
"${ST[@]}" --report junit --report-dir "$OUT/anonymous" 2>&1 | tee "$OUT/anonymous.log" | tail -n 25 || status=1
echo "== with the organisation admin's token"
"${ST[@]}" -H "Authorization: Bearer $TOKEN" --report junit --report-dir "$OUT/token" 2>&1 | tee "$OUT/token.log" | tail -n 25 || status=1
echo "server errors logged: $(grep -c ' 500 ' "$OUT/server.log" || true)"
exit $status
