#!/usr/bin/env bash
# The web desk's pages over many complaints (sync-server/benches/desk.rs): seeds
# ADUAN_BENCH_N complaints (default 100000) on a private PostgreSQL on loopback (or the one in
# ADUAN_BENCH_POSTGRES_URL: empty, or seeded by an earlier run with the same N, which is then
# measured again without seeding) and prints the table BENCHMARKS.md keeps.
# ADUAN_BENCH_BACKEND=sqlite measures the embedded default instead.
# Usage: scripts/bench-desk.sh
# To measure again without seeding again (100,000 filings take a quarter of an hour):
#   url="$(scripts/postgres.sh start /tmp/desk-pg)"
#   ADUAN_BENCH_POSTGRES_URL="$url" scripts/bench-desk.sh   # seeds, then measures
#   ADUAN_BENCH_POSTGRES_URL="$url" scripts/bench-desk.sh   # measures only
#   scripts/postgres.sh stop /tmp/desk-pg
set -euo pipefail
cd "$(dirname "$0")/.."
export ADUAN_BENCH_N="${ADUAN_BENCH_N:-100000}"
if [ "${ADUAN_BENCH_BACKEND:-postgres}" = postgres ] && [ -z "${ADUAN_BENCH_POSTGRES_URL:-}" ]; then
  pgdir="$(mktemp -d /tmp/aduan-bench-pg.XXXXXX)"
  trap 'scripts/postgres.sh stop "$pgdir"' EXIT
  ADUAN_BENCH_POSTGRES_URL="$(scripts/postgres.sh start "$pgdir")"
  export ADUAN_BENCH_POSTGRES_URL
fi
cargo bench -p aduan-server --bench desk
