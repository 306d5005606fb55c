#!/usr/bin/env bash
# A private, throwaway PostgreSQL server on loopback for the tests (never the system's own).
#   scripts/postgres.sh start DIR [CERT KEY]   initializes DIR, starts the server, prints its URL;
#                                              with a certificate and key (PEM), TLS on (ssl=on)
#   scripts/postgres.sh stop DIR                stops it and removes DIR
set -euo pipefail
cmd="${1:?start or stop}"
dir="${2:?a directory}"
bin="$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1)")"
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
# PostgreSQL refuses to run as root: run it as the postgres user then.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    tls=""
    if [ -n "${3:-}" ]; then
      # PostgreSQL wants the key owned by its own user and readable by nobody else.
      cp "$3" "$dir/server.crt"; cp "${4:?a key with the certificate}" "$dir/server.key"
      chmod 600 "$dir/server.key"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/server.crt" "$dir/server.key"
      tls="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir -c fsync=off -c max_connections=200 $tls" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
