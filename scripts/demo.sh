#!/usr/bin/env bash
# A complaint's whole life on four CLI "phones" that work offline and sync through the server.
# Uses the server at $ADUAN_SERVER if set (e.g. one started by scripts/run.sh); otherwise starts
# a throwaway one on a free loopback port and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p aduan-server -p aduan-cli
aduan() { target/release/aduan "$@"; }
demo="${ADUAN_DEMO_DIR:-./demo-stores}"
rm -rf "$demo"; mkdir -p "$demo"
if [ -z "${ADUAN_SERVER:-}" ]; then
  target/release/aduan-server --data "$demo/server" serve --demo --listen 127.0.0.1:0 > "$demo/server.out" 2> "$demo/server.log" &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do grep -q listening "$demo/server.out" 2>/dev/null && break; sleep 0.1; done
  ADUAN_SERVER=$(sed -n 's/.*listening on //p' "$demo/server.out")
fi
export ADUAN_SERVER ADUAN_PASSWORD=aduan-demo
siti="--store $demo/hp-siti"; nas="--store $demo/hp-admin-nasional"
pemkot="--store $demo/hp-admin-makassar"; petugas="--store $demo/hp-petugas-pu"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Four people sign in to $ADUAN_SERVER (once, while they have signal)"
aduan $siti login --account warga
aduan $nas login --account admin-nasional
aduan $pemkot login --account admin-makassar
aduan $petugas login --account petugas

step "Siti (citizen) files a report with no signal, then syncs when she gets one"
id=$(aduan $siti --json file --category pu.drainase --title "Selokan tersumbat di Jl. Sultan Alauddin" \
  --description "Selokan penuh sampah, air meluap ke jalan setiap hujan." \
  --lat -5.1856 --lon 119.4237 --accuracy 12 --address "Jl. Sultan Alauddin" \
  --kelurahan Mangasa --kecamatan Tamalate | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["tracking_id"])')
aduan $siti status
aduan $siti sync

step "The national administrator verifies and dispatches it to Pemerintah Kota Makassar"
aduan $nas sync
aduan $nas act "$id" dispatch --institution kota-makassar --note "Wewenang Pemkot Makassar" >/dev/null
aduan $nas sync

step "The city's administrator assigns it to Dinas Pekerjaan Umum"
aduan $pemkot sync
aduan $pemkot act "$id" assign --unit kota-makassar.dpu --note "Mohon segera ditangani" >/dev/null
aduan $pemkot sync

step "The officer works offline: starts work, follows up; then syncs"
aduan $petugas sync
aduan $petugas act "$id" start --note "Tim menuju lokasi" >/dev/null
aduan $petugas act "$id" follow-up --note "Selokan sudah dibersihkan, sampah diangkut" >/dev/null
aduan $petugas sync

step "Siti syncs, sees the follow-up and rates it"
aduan $siti sync
aduan $siti rate "$id" 5 --note "Cepat sekali" >/dev/null
aduan $siti sync
aduan $siti show "$id"

step "The figures the body is judged by, on the city administrator's phone"
aduan $pemkot sync
aduan --lang en $pemkot figures
echo; echo "Server health: $(curl -s "$ADUAN_SERVER/health" 2>/dev/null || echo '(curl not installed)')"
