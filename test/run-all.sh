#!/usr/bin/env bash
# The README's test command: type-check, then the whole suite on embedded PGlite and on PostgreSQL.
# The closing lines say what was skipped and why (test/run-summary.mjs); the last line is
# `N passed, N failed, N skipped`, which CI reads.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx tsc -p .
status=0
note=""
echo "== suite on PGlite (embedded)"
# The PGlite pass must not see TEST_DATABASE_URL (CI exports it for the second pass).
env -u TEST_DATABASE_URL TEST_SKIP_LOG="$out/pglite.skips.jsonl" npx vitest run --reporter=default --reporter=json --outputFile.json="$out/pglite.json" "$@" || status=$?
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if [ "$status" -ne 0 ]; then
  note="PostgreSQL pass not run: the PGlite pass failed"
elif node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$PG_URL"; then
  echo "== suite on PostgreSQL ($PG_URL)"
  TEST_DATABASE_URL="$PG_URL" TEST_SKIP_LOG="$out/postgres.skips.jsonl" npx vitest run --reporter=default --reporter=json --outputFile.json="$out/postgres.json" "$@" || status=$?
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL not reachable at $PG_URL, and CI requires it" >&2; exit 1
else
  note="PostgreSQL pass skipped: PostgreSQL not reachable at $PG_URL (start it, or set TEST_DATABASE_URL)"
  echo "!! $note" >&2
fi
echo "== summary"
node test/run-summary.mjs "$out" "$note"
exit "$status"
