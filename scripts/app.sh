#!/usr/bin/env bash
# The desktop app: the same screens as the Android app (android/ui), against a server.
#   scripts/app.sh [SERVER_URL]     (default http://127.0.0.1:8080, e.g. from scripts/run.sh)
# Needs a JVM 17, Maven, and core built for this machine (cargo build -p aduan-core) plus the
# Kotlin bindings (scripts/bindings.sh). On a Linux machine without a display: xvfb-run scripts/app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:-http://127.0.0.1:8080}"
[ -f target/debug/libaduan_core.so ] || [ -f target/debug/libaduan_core.dylib ] || cargo build -p aduan-core --lib
[ -d android/core-kotlin/generated ] || scripts/bindings.sh
cd android/ui
exec mvn -B -ntp -q compile exec:exec -Daduan.server="$url"
