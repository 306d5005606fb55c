#!/usr/bin/env bash
# Runs the benchmarks and records them in BENCHMARKS.md.
# ADUAN_BENCH_N sets the store size (default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."
export ADUAN_BENCH_DATE="$(date -u +%Y-%m-%d) on $(nproc) cores"
cargo bench -p aduan-core --bench core_bench -- --write "$PWD/BENCHMARKS.md"
