#!/usr/bin/env bash
# The sync benchmark against samod and the JS automerge-repo (benchmarks/sync/PEERS.md).
# Builds Aduan and samod in release mode, installs the npm peer, runs every peer through the
# same work and prints the table (add --update to write it into BENCHMARKS.md).
# Needs root for the 2G network namespace (it falls back to loopback and says so otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p aduan-server -p aduan-sync-bench
if [[ " $* " != *" --peers aduan "* ]]; then
  (cd benchmarks/sync/peers/samod && CARGO_TARGET_DIR="$PWD/../../../../target/peers" cargo build --release)
  (cd benchmarks/sync/peers/automerge-repo && npm ci --no-audit --no-fund)
fi
exec python3 benchmarks/sync/run.py "$@"
