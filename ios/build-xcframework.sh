#!/usr/bin/env bash
# Builds ios/AduanCore/AduanCoreFFI.xcframework on a Mac: the core as a static library
# (libaduan_core.a) for iOS devices, the iOS simulator (arm64 + x86_64) and macOS (arm64 +
# x86_64, so `swift test` runs on the Mac), with the UniFFI C header and module map.
# Also regenerates the Swift bindings (scripts/bindings.sh) so they match the library.
# Needs: Xcode (xcodebuild, lipo), rustup and cargo.
# Usage: ios/build-xcframework.sh
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in cargo rustup xcodebuild lipo; do
  command -v "$tool" >/dev/null || { echo "build-xcframework: $tool not found" >&2; exit 1; }
done

scripts/bindings.sh

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"

# The same minimum versions as ios/AduanCore/Package.swift, so the linker does not warn about
# objects built for newer systems.
export IPHONEOS_DEPLOYMENT_TARGET=16.0
export MACOSX_DEPLOYMENT_TARGET=13.0
# Only the static library (core/Cargo.toml lists lib, cdylib and staticlib): Apple apps link
# libaduan_core.a, and skipping the dylib saves a link per target.
for target in "${targets[@]}"; do
  echo "building aduan-core for $target"
  cargo rustc --release -p aduan-core --lib --crate-type staticlib --target "$target"
done

lib=libaduan_core.a
out=target/xcframework
rm -rf "$out"
mkdir -p "$out/ios-simulator" "$out/macos"
lipo -create \
  "target/aarch64-apple-ios-sim/release/$lib" \
  "target/x86_64-apple-ios/release/$lib" \
  -output "$out/ios-simulator/$lib"
lipo -create \
  "target/aarch64-apple-darwin/release/$lib" \
  "target/x86_64-apple-darwin/release/$lib" \
  -output "$out/macos/$lib"

headers=ios/AduanCore/Generated/include
xcframework=ios/AduanCore/AduanCoreFFI.xcframework
rm -rf "$xcframework"
xcodebuild -create-xcframework \
  -library "target/aarch64-apple-ios/release/$lib" -headers "$headers" \
  -library "$out/ios-simulator/$lib" -headers "$headers" \
  -library "$out/macos/$lib" -headers "$headers" \
  -output "$xcframework"
echo "wrote $xcframework"
