#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings from the built core library and places them where the
# apps build them from. The output is not checked in: this command reproduces it exactly.
#   android/core-kotlin/generated/id/aduan/core/aduan_core.kt   (package id.aduan.core)
#   ios/AduanCore/Sources/AduanCore/Generated/AduanCore.swift    (module AduanCore)
#   ios/AduanCore/Generated/include/{AduanCoreFFI.h,module.modulemap}  (C headers for the XCFramework)
# Usage: scripts/bindings.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p aduan-core --lib
lib="target/debug/libaduan_core.so"
[ -f "$lib" ] || lib="target/debug/libaduan_core.dylib"
tmp="target/bindings"
rm -rf "$tmp"
cargo run -q -p uniffi-bindgen -- generate --library "$lib" --language kotlin --out-dir "$tmp/kotlin" --no-format
cargo run -q -p uniffi-bindgen -- generate --library "$lib" --language swift --out-dir "$tmp/swift" --no-format

kotlin="android/core-kotlin/generated"
swift="ios/AduanCore/Sources/AduanCore/Generated"
headers="ios/AduanCore/Generated/include"
rm -rf "$kotlin" "$swift" "$headers"
mkdir -p "$kotlin" "$swift" "$headers"
cp -r "$tmp/kotlin/." "$kotlin/"
cp "$tmp/swift/AduanCore.swift" "$swift/"
cp "$tmp/swift/AduanCoreFFI.h" "$headers/"
# An XCFramework's headers need the module map under this exact name.
cp "$tmp/swift/AduanCoreFFI.modulemap" "$headers/module.modulemap"
echo "bindings written to $kotlin, $swift and $headers"
