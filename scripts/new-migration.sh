#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the schema
# at HEAD (git) and the working-tree schema. Usage: npm run migration:new -- add_something
set -euo pipefail
name="${1:?usage: npm run migration:new -- <name>}"
cd "$(dirname "$0")/.."
old="$(mktemp --suffix=.prisma)"
trap 'rm -f "$old"' EXIT
if git cat-file -e HEAD:prisma/schema.prisma 2>/dev/null; then git show HEAD:prisma/schema.prisma > "$old"; else : > "$old"; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
if [ -s "$old" ]; then from=(--from-schema-datamodel "$old"); else from=(--from-empty); fi
PRISMA_CLI_QUERY_ENGINE_TYPE=client PGLITE_DIR="memory://" npx prisma migrate diff "${from[@]}" \
  --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
echo "wrote $dir/migration.sql ($(wc -l < "$dir/migration.sql") lines); review it, then commit it with the schema"
