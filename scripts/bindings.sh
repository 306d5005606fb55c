#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings from the built core library.
# Usage: scripts/bindings.sh [OUT_DIR]   (default: target/bindings; kotlin/ and swift/ inside)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/bindings}"
cargo build -p aduan-core --lib
lib="target/debug/libaduan_core.so"
[ -f "$lib" ] || lib="target/debug/libaduan_core.dylib"
rm -rf "$out/kotlin" "$out/swift"
cargo run -q -p uniffi-bindgen -- generate --library "$lib" --language kotlin --out-dir "$out/kotlin" --no-format
cargo run -q -p uniffi-bindgen -- generate --library "$lib" --language swift --out-dir "$out/swift" --no-format
echo "bindings written to $out/kotlin and $out/swift"
