#!/usr/bin/env bash
# The main job: the sync server on its embedded SQLite default, with the sample region
# (Makassar) and a demo account for each role (password: aduan-demo, published: `--demo` makes
# them; a server people use is started without it).
# Data lives in ./aduan-data; it listens on 127.0.0.1:8787 (ADUAN_LISTEN to change).
# To see it work: in another terminal, `scripts/demo.sh` runs phones against it, or follow
# "Two phones against the server" in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p aduan-server -p aduan-cli
exec target/release/aduan-server --data "${ADUAN_DATA:-./aduan-data}" serve --demo --listen "${ADUAN_LISTEN:-127.0.0.1:8787}"
