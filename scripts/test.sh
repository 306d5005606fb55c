#!/usr/bin/env bash
# Every test: core, CLI, server, end-to-end (real server processes on loopback), and the
# generated bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
# The end-to-end tests start these binaries as real processes.
cargo build --workspace --bins
cargo test --workspace
# The benchmarks at a tiny size, to prove they still run (their figures come from scripts/bench.sh).
ADUAN_BENCH_N=100 cargo test -p aduan-core --bench core_bench
scripts/bindings.sh target/bindings
