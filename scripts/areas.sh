#!/usr/bin/env bash
# Regenerates core/data/areas-id.tsv.zst, Indonesia's administrative areas (38 provinces, 514
# regencies and cities, their districts and villages, with Kemendagri codes), from the npm
# package idn-area-data pinned in scripts/areas/package.json and package-lock.json (data under
# the Open Database License, core/data/areas-LICENSE.md). Needs node, npm and zstd.
# To move to a newer release: change the pin, run this, and update the counts that
# core/tests/areas.rs expects from the release's own "#counts" line.
# Also regenerates core/data/area-points.tsv.zst, the villages' points for the desk's maps, from
# the npm package geografis (MIT), pinned the same way.
# Usage: scripts/areas.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd scripts/areas && npm ci --no-audit --no-fund --loglevel=error)
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
node scripts/areas/generate.mjs > "$tmp"
zstd -19 -q -f "$tmp" -o core/data/areas-id.tsv.zst
cp scripts/areas/node_modules/idn-area-data/data/LICENSE.md core/data/areas-LICENSE.md
node scripts/areas/points.mjs > "$tmp.points"
zstd -19 -q -f "$tmp.points" -o core/data/area-points.tsv.zst
echo "core/data/area-points.tsv.zst: $(wc -c < core/data/area-points.tsv.zst) bytes, $(sed -n 3p "$tmp.points")"
rm -f "$tmp.points"
echo "core/data/areas-id.tsv.zst: $(wc -c < core/data/areas-id.tsv.zst) bytes ($(wc -c < "$tmp") uncompressed), $(sed -n 3p "$tmp")"
