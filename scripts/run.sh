#!/usr/bin/env bash
# The main job, for now: a complaint's whole life on four "phones" that work offline and
# exchange documents, using the aduan CLI on store folders under ./demo-stores.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p aduan-cli
aduan() { target/release/aduan "$@"; }
demo="${ADUAN_DEMO_DIR:-./demo-stores}"
rm -rf "$demo"; mkdir -p "$demo"
siti="--store $demo/hp-siti"; nas="--store $demo/hp-admin-nasional"
pemkot="--store $demo/hp-admin-makassar"; petugas="--store $demo/hp-petugas-pu"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "Siti (citizen) files a report offline"
aduan $siti login --account siti --name "Siti Aminah" --role citizen >/dev/null
id=$(aduan $siti --json file --category pu.drainase --title "Selokan tersumbat di Jl. Sultan Alauddin" \
  --description "Selokan penuh sampah, air meluap ke jalan setiap hujan." \
  --lat -5.1856 --lon 119.4237 --accuracy 12 --address "Jl. Sultan Alauddin" \
  --kelurahan Mangasa --kecamatan Tamalate | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["tracking_id"])')
aduan $siti show "$id"

step "The national administrator gets it and dispatches it to Pemerintah Kota Makassar"
aduan $nas login --account admin-nasional --name "Admin LAPOR" --role national-admin >/dev/null
aduan $nas exchange "$demo/hp-siti"
aduan $nas act "$id" dispatch --institution kota-makassar --note "Wewenang Pemkot Makassar" >/dev/null

step "The city's administrator assigns it to Dinas Pekerjaan Umum"
aduan $pemkot login --account admin-makassar --name "Admin Pemkot" --role institution-admin --institution kota-makassar >/dev/null
aduan $pemkot exchange "$demo/hp-admin-nasional"
aduan $pemkot act "$id" assign --unit kota-makassar.dpu --note "Mohon segera ditangani" >/dev/null

step "An officer works offline: starts work, follows up; meanwhile Siti adds a reply on her phone"
aduan $petugas login --account petugas-pu --name "Budi" --role officer --institution kota-makassar --unit kota-makassar.dpu >/dev/null
aduan $petugas exchange "$demo/hp-admin-makassar"
aduan $petugas act "$id" start --note "Tim menuju lokasi" >/dev/null
aduan $petugas act "$id" follow-up --note "Selokan sudah dibersihkan, sampah diangkut" >/dev/null
aduan $siti reply "$id" "Terima kasih, airnya berbau juga" >/dev/null

step "Everyone meets a connection: the phones converge"
aduan $petugas exchange "$demo/hp-siti"
aduan $siti exchange "$demo/hp-admin-nasional"
aduan $siti show "$id"

step "Siti rates the outcome; the figures the body is judged by"
aduan $siti rate "$id" 5 --note "Cepat sekali" >/dev/null
aduan $siti exchange "$demo/hp-admin-makassar"
aduan --lang en $pemkot figures
echo; echo "Stores are in $demo; try: target/release/aduan --store $demo/hp-siti --help"
