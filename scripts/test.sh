#!/usr/bin/env bash
# Every test: core, CLI, server, end-to-end (real server processes on loopback), and the
# Kotlin layer over the generated bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
# The end-to-end tests start these binaries as real processes.
cargo build --workspace --bins
cargo test --workspace
# The benchmarks at a tiny size, to prove they still run (their figures come from scripts/bench.sh).
ADUAN_BENCH_N=100 cargo test -p aduan-core --bench core_bench
scripts/bindings.sh target/bindings
# The Kotlin layer and the generated bindings, compiled and tested on the JVM against the host
# build of core (JNA), including sync against a real server process.
(cd android/core-kotlin && mvn -B -ntp test)
