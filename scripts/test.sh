#!/usr/bin/env bash
# Every test: Rust (core, CLI) and the generated bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
# The benchmarks at a tiny size, to prove they still run (their figures come from scripts/bench.sh).
ADUAN_BENCH_N=100 cargo test -p aduan-core --bench core_bench
scripts/bindings.sh target/bindings
