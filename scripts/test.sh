#!/usr/bin/env bash
# Every test: core, CLI, server, end-to-end (real server processes on loopback), and the
# Kotlin layer over the generated bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
# PostgreSQL for the server tests: a private, throwaway server on loopback unless one is given.
if [ -z "${ADUAN_TEST_POSTGRES_URL:-}" ]; then
  pgdir="$(mktemp -d /tmp/aduan-pg.XXXXXX)"
  trap 'scripts/postgres.sh stop "$pgdir"' EXIT
  ADUAN_TEST_POSTGRES_URL="$(scripts/postgres.sh start "$pgdir")"
  export ADUAN_TEST_POSTGRES_URL
fi
# PostgreSQL tests fail rather than skip here.
export ADUAN_REQUIRE_POSTGRES=1
# The SMS tests (tests/tests/sms.rs) fail rather than skip without gammu-smsd.
export ADUAN_REQUIRE_GAMMU=1
# Each step prints how long it took (stderr), so a slow CI run shows where its time went.
step() {
  local start=$SECONDS
  "$@"
  echo "test.sh: $(( SECONDS - start )) s for: $*" >&2
}
# The end-to-end tests start these binaries as real processes.
step cargo build --workspace --bins
step cargo test --workspace
# Open311 through independently written clients and the OpenAPI document through a validator
# (tests/interop), against the server binary built above.
interop_python="$(step tests/interop/setup.sh)"
step "$interop_python" tests/interop/run.py target/debug/aduan-server
# The web desk in headless Chromium (Debian's, never a downloaded browser) against the server
# just built; screenshots and page weights land in target/web-screenshots/.
step bash -c 'cd tests/web && npm ci --no-audit --no-fund && npm test'
# The end-to-end suite once more with every server on PostgreSQL.
step env ADUAN_E2E_BACKEND=postgres cargo test -p aduan-e2e
# The benchmarks at a tiny size, to prove they still run (their figures come from scripts/bench.sh).
step env ADUAN_BENCH_N=100 cargo test -p aduan-core --bench core_bench
step env ADUAN_BENCH_N=50 cargo test -p aduan-server --bench desk
step python3 benchmarks/sync/run.py --peers aduan --bin-dir target/debug --docs 20 --phones 3 --per-phone 2 --concurrency 2
step scripts/bindings.sh
# The Kotlin layer and the generated bindings, compiled and tested on the JVM against the host
# build of core (JNA), including sync against a real server process.
step bash -c 'cd android/core-kotlin && mvn -B -ntp test'
# The shared screens (android/ui) compiled for the desktop and driven like a person would, in both
# languages, against the real core and a real server; screenshots land in android/ui/target/screenshots.
step bash -c 'cd android/ui && mvn -B -ntp test'
