#!/usr/bin/env bash
# The README's test command: type-check, and the whole suite on embedded PGlite and on PostgreSQL.
# The three run side by side (a pass spends much of its time waiting: on PostgreSQL, on child
# services, on timers), each pass's output is printed whole when it ends, PGlite's first.
# The closing lines say what was skipped and why (test/run-summary.mjs); the last line is
# `N passed, N failed, N skipped`, which CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT
status=0
note=""
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

npx tsc -p . > "$out/tsc.log" 2>&1 &
tsc_pid=$!
# The PGlite pass must not see TEST_DATABASE_URL (CI exports it for the other pass).
env -u TEST_DATABASE_URL TEST_SKIP_LOG="$out/pglite.skips.jsonl" npx vitest run --reporter=default --reporter=json --outputFile.json="$out/pglite.json" "$@" > "$out/pglite.log" 2>&1 &
pglite_pid=$!
pg_pid=""
if node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$PG_URL"; then
  TEST_DATABASE_URL="$PG_URL" TEST_SKIP_LOG="$out/postgres.skips.jsonl" npx vitest run --reporter=default --reporter=json --outputFile.json="$out/postgres.json" "$@" > "$out/postgres.log" 2>&1 &
  pg_pid=$!
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL not reachable at $PG_URL, and CI requires it" >&2
  status=1
else
  note="PostgreSQL pass skipped: PostgreSQL not reachable at $PG_URL (start it, or set TEST_DATABASE_URL)"
fi

echo "== type-check (tsc)"
wait "$tsc_pid" || status=$?
cat "$out/tsc.log"
echo "== suite on PGlite (embedded)"
wait "$pglite_pid" || status=$?
cat "$out/pglite.log"
if [ -n "$pg_pid" ]; then
  echo "== suite on PostgreSQL ($PG_URL)"
  wait "$pg_pid" || status=$?
  cat "$out/postgres.log"
fi
[ -n "$note" ] && echo "!! $note" >&2
echo "== summary"
node test/run-summary.mjs "$out" "$note"
exit "$status"
