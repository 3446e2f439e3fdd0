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
# Is there a PostgreSQL pass? Asked first: the files in test/run-once.json run only in that pass.
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
once=""
if node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$PG_URL"; then
  once="postgres"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL not reachable at $PG_URL, and CI requires it" >&2; exit 1
fi
echo "== suite on PGlite (embedded)"
# The PGlite pass must not see TEST_DATABASE_URL (CI exports it for the second pass).
# With a PostgreSQL pass to follow, a file filter may match only run-once files: nothing to run here then.
env -u TEST_DATABASE_URL TEST_ONCE_IN="$once" TEST_SKIP_LOG="$out/pglite.skips.jsonl" npx vitest run ${once:+--passWithNoTests} --reporter=default --reporter=json --outputFile.json="$out/pglite.json" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  note="PostgreSQL pass not run: the PGlite pass failed${once:+ (nor the files in test/run-once.json, which run only there)}"
elif [ -n "$once" ]; then
  echo "== suite on PostgreSQL ($PG_URL)"
  TEST_DATABASE_URL="$PG_URL" TEST_SKIP_LOG="$out/postgres.skips.jsonl" npx vitest run --reporter=default --reporter=json --outputFile.json="$out/postgres.json" "$@" || status=$?
else
  note="PostgreSQL pass skipped: PostgreSQL not reachable at $PG_URL (start it, or set TEST_DATABASE_URL)"
  echo "!! $note" >&2
fi
[ "${TEST_RECORD_DURATIONS:-}" = "1" ] && node test/record-durations.mjs "$out"
echo "== summary"
TEST_ONCE_IN="$once" node test/run-summary.mjs "$out" "$note"
exit "$status"
