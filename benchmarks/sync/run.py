#!/usr/bin/env python3
"""The sync benchmark harness (benchmarks/sync/PEERS.md): runs Aduan, samod and the JS
automerge-repo through the same work in one run and prints a table with ratios; with --update
it writes benchmarks/sync/results.json and replaces the sync section of BENCHMARKS.md.

Usage: scripts/bench-sync.sh [--docs 10000] [--phones 1000] [--per-phone 10]
       [--concurrency 50] [--peers aduan,samod,automerge-repo] [--update]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NETNS = "aduan-bench-2g"
HOST_IP, NS_IP = "10.203.0.1", "10.203.0.2"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Peer:
    def __init__(self, name, server, client, bin_dir):
        self.name, self.server_cmd, self.client_cmd, self.bin_dir = name, server, client, bin_dir


def peers(bin_dir, wanted):
    aduan_bench = str(bin_dir / "aduan-sync-bench")
    samod = str(ROOT / "target/peers/release/samod-peer")
    node = ["node", str(ROOT / "benchmarks/sync/peers/automerge-repo/bench.mjs")]
    table = {
        "aduan": Peer(
            "aduan",
            # A thousand phones from one machine, and one phone filing every complaint: the
            # quotas meant for the public would refuse the benchmark itself.
            lambda listen, data: [str(bin_dir / "aduan-server"), "--data", data, "serve", "--demo", "--listen", listen,
                                  "--registrations-per-hour", "1000000", "--registrations-per-day", "1000000",
                                  "--complaints-per-day", "1000000"],
            [aduan_bench],
            bin_dir,
        ),
        "samod": Peer("samod", lambda listen, data: [samod, "server", "--listen", listen, "--data", data], [samod], bin_dir),
        "automerge-repo": Peer(
            "automerge-repo", lambda listen, data: node + ["server", "--listen", listen, "--data", data], node, bin_dir
        ),
    }
    return [table[p] for p in wanted]


def last_json(out):
    for line in reversed(out.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON in output: {out[-500:]}")


def run(cmd, timeout=3600):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]}")
    return last_json(p.stdout)


class Process:
    """A long-running process that says it is ready on stdout ('listening on http://ADDR' by
    default; the last word of that line is kept as `url`)."""

    def __init__(self, cmd, netns=None, ready="listening on"):
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        deadline = time.time() + 120
        while True:
            line = self.p.stdout.readline()
            if ready in line:
                self.url = line.strip().split()[-1]
                return
            if not line or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"{cmd[0]} did not start")

    def lines(self):
        return self.p.stdout

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def server(peer, work, netns=None, listen_ip="127.0.0.1"):
    data = tempfile.mkdtemp(dir=work)
    return Process(peer.server_cmd(f"{listen_ip}:{free_port()}", data), netns)


def proxy(bin_dir, target, delay_ms=0, rate_bps=0):
    return Process(
        [str(bin_dir / "aduan-sync-bench"), "proxy", "--listen", "127.0.0.1:0", "--target", target,
         "--delay-ms", str(delay_ms), "--rate-bps", str(rate_bps)]
    )


def proxy_counts(p):
    """Stops the proxy and returns its last byte counts."""
    p.p.terminate()
    out, _ = p.p.communicate(timeout=10)
    counts = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return counts[-1] if counts else {"up": 0, "down": 0, "connections": 0}


def one(peer, url, work, register_url=None):
    cmd = peer.client_cmd + ["one", "--url", url, "--data", tempfile.mkdtemp(dir=work)]
    if peer.name == "aduan" and register_url:
        cmd += ["--register-url", register_url]
    return run(cmd)


TWO_G_RATE_BPS = 50_000
TWO_G_DELAY_MS = 300  # one way: a 600 ms round trip


def succeeds(cmd):
    """Whether `cmd` ran and exited 0 (a missing `ip` or `tc` counts as failing)."""
    try:
        return subprocess.run(cmd, capture_output=True).returncode == 0
    except OSError:
        return False


def two_g_up(bin_dir):
    """The 2G link, packet by packet: a network namespace for the server, reached over two TUN
    devices joined by `aduan-sync-bench delay-line` (300 ms on every IP packet, each way), and
    the kernel's token bucket (tbf) on both devices holding the link to 50 kbit/s each way,
    headers included. Returns the delay line's process, or None when this machine does not
    allow it (not root, no TUN or tbf); the step then falls back to the loopback relay."""
    two_g_down(None)
    if not succeeds(["ip", "netns", "add", NETNS]):
        return None
    try:
        line = Process([str(bin_dir / "aduan-sync-bench"), "delay-line", "--a", "aduan2g-host",
                        "--b", "aduan2g-ns", "--delay-ms", str(TWO_G_DELAY_MS)], ready="ready")
    except RuntimeError:
        print("   2G link: the delay line could not create its TUN devices", file=sys.stderr)
        two_g_down(None)
        return None
    # burst: one full-size packet; latency: how long a packet may queue before it is dropped.
    tbf = ["tbf", "rate", f"{TWO_G_RATE_BPS}bit", "burst", "1600", "latency", "10s"]
    in_ns = ["ip", "netns", "exec", NETNS]
    steps = [
        ["ip", "link", "set", "aduan2g-ns", "netns", NETNS],
        ["ip", "addr", "add", HOST_IP, "peer", NS_IP, "dev", "aduan2g-host"],
        ["ip", "link", "set", "aduan2g-host", "up"],
        ["tc", "qdisc", "add", "dev", "aduan2g-host", "root"] + tbf,
        in_ns + ["ip", "addr", "add", NS_IP, "peer", HOST_IP, "dev", "aduan2g-ns"],
        in_ns + ["ip", "link", "set", "aduan2g-ns", "up"],
        in_ns + ["ip", "link", "set", "lo", "up"],
        in_ns + ["tc", "qdisc", "add", "dev", "aduan2g-ns", "root"] + tbf,
    ]
    for step in steps:
        if not succeeds(step):
            print(f"   2G link: {' '.join(step)} failed", file=sys.stderr)
            two_g_down(line)
            return None
    return line


def two_g_down(line):
    """Stops the delay line (its TUN devices go with it) and removes the namespace. Also
    clears what a run killed before its end left behind."""
    if line:
        line.stop()
    succeeds(["ip", "link", "del", "aduan2g-host"])
    succeeds(["ip", "netns", "del", NETNS])


def counted_upload(peer, work, server_url):
    """One phone syncing its ten complaints (0 to 9, ten different texts) through the counting
    proxy; Aduan's phone registers directly, as in `one`. Returns the proxy's counts."""
    p = proxy(peer.bin_dir, server_url.split("//")[1])
    cmd = peer.client_cmd + ["upload", "--url", p.url, "--phones", "1", "--per-phone", "10",
                             "--concurrency", "1", "--data", tempfile.mkdtemp(dir=work)]
    if peer.name == "aduan":
        cmd += ["--register-url", server_url]
    run(cmd)
    return proxy_counts(p)


def bench_peer(peer, args, work, gzip_json):
    r = {}
    print(f"== {peer.name}", file=sys.stderr)
    # 1. A fresh phone pulls N complaints.
    s = server(peer, work)
    try:
        ids = os.path.join(work, f"{peer.name}-ids.json")
        seed = run(peer.client_cmd + ["seed", "--url", s.url, "--docs", str(args.docs), "--out", ids])
        cmd = peer.client_cmd + ["pull", "--url", s.url, "--ids", ids, "--data", tempfile.mkdtemp(dir=work)]
        if peer.name == "aduan":
            cmd += ["--expect", str(args.docs)]
        pull = run(cmd)
        r["seed_secs"], r["pull_secs"], r["pull_docs"] = seed["secs"], pull["secs"], pull["docs"]
        if pull.get("partial"):
            # The peer stopped before every document was stored and said how far it got.
            r["pull_partial"], r["pull_of"] = True, pull.get("of", args.docs)
            r["pull_error"] = pull.get("error", "")
            print(f"   pull stopped: {pull['docs']} of {r['pull_of']} in {pull['secs']:.2f} s: "
                  f"{r['pull_error']}", file=sys.stderr)
        else:
            print(f"   pull {args.docs}: {pull['secs']:.2f} s", file=sys.stderr)
    except RuntimeError as e:
        # Recorded, not fatal: the table says the peer did not finish.
        r["pull_failed"] = str(e)[-300:]
        print(f"   pull failed: {e}", file=sys.stderr)
    finally:
        s.stop()
    # 2. P phones upload K complaints each.
    s = server(peer, work)
    try:
        cmd = peer.client_cmd + ["upload", "--url", s.url, "--phones", str(args.phones), "--per-phone",
                                 str(args.per_phone), "--concurrency", str(args.concurrency),
                                 "--data", tempfile.mkdtemp(dir=work)]
        if peer.name != "aduan":
            # The peers stop their clock after --upload-timeout seconds and print how far they got
            # ("partial": true, "confirmed": complaints the server confirmed by then).
            cmd += ["--deadline-secs", str(args.upload_timeout)]
        # Preparing the phones is not on the clock but takes minutes for 1,000 phones.
        up = run(cmd, timeout=args.upload_timeout + args.prepare_timeout)
        r["upload"] = up
        if up.get("partial"):
            print(f"   upload stopped at the deadline: {up['confirmed']} of {up['complaints']} confirmed "
                  f"in {up['secs']:.0f} s ({up['per_sec']:.1f}/s)", file=sys.stderr)
        else:
            print(f"   upload: {up['per_sec']:.0f}/s p99 {up['p99_ms']:.0f} ms", file=sys.stderr)
    except subprocess.TimeoutExpired:
        # Recorded, not fatal: the other peers still run, and the table says so.
        r["upload"] = {"timed_out_after": args.upload_timeout + args.prepare_timeout}
        print(f"   upload: not done after {args.upload_timeout + args.prepare_timeout} s", file=sys.stderr)
    except RuntimeError as e:
        r["upload"] = {"failed": str(e)[-300:]}
        print(f"   upload failed: {e}", file=sys.stderr)
    finally:
        s.stop()
    # 3. Bytes on the wire for one text complaint.
    s = server(peer, work)
    try:
        p = proxy(peer.bin_dir, s.url.split("//")[1])
        one(peer, p.url, work, register_url=s.url)
        counts = proxy_counts(p)
        r["one_bytes"] = counts["up"] + counts["down"]
        r["one_bytes_up"], r["one_bytes_down"] = counts["up"], counts["down"]
        r["one_vs_gzip_json"] = r["one_bytes"] / gzip_json["bytes"]
        print(f"   one complaint: {r['one_bytes']} bytes on the wire", file=sys.stderr)
    finally:
        s.stop()
    # 3b. Bytes per complaint when a phone syncs ten different ones.
    s = server(peer, work)
    try:
        counts = counted_upload(peer, work, s.url)
        r["ten_bytes"] = counts["up"] + counts["down"]
        r["ten_per_complaint_vs_gzip_json"] = r["ten_bytes"] / 10 / gzip_json["mean_of_ten"]
        print(f"   ten complaints: {r['ten_bytes']} bytes on the wire", file=sys.stderr)
    except RuntimeError as e:
        print(f"   ten complaints failed: {e}", file=sys.stderr)
    finally:
        s.stop()
    # 4. One text complaint over 2G: server in its own network namespace, the link shaped.
    line = two_g_up(peer.bin_dir)
    s = server(peer, work, netns=NETNS if line else None, listen_ip=NS_IP if line else "127.0.0.1")
    p = None
    try:
        if line:
            r["two_g_link"] = "netns"
            res = one(peer, s.url, work)
        else:
            r["two_g_link"] = "relay"
            p = proxy(peer.bin_dir, s.url.split("//")[1], delay_ms=TWO_G_DELAY_MS, rate_bps=TWO_G_RATE_BPS)
            res = one(peer, p.url, work, register_url=s.url)
        r["two_g_secs"] = res["secs"]
        print(f"   2G: {res['secs']:.2f} s (link: {r['two_g_link']})", file=sys.stderr)
    finally:
        if p:
            p.stop()
        s.stop()
        two_g_down(line)
    return r


def table(results, args, gzip_json, measured):
    a = results.get("aduan", {})
    others = {k: v for k, v in results.items() if k != "aduan"}
    links = {v.get("two_g_link") for v in results.values()} - {None}
    link = {
        "netns": "2G: the server in a network namespace behind a 300 ms delay line on every "
                 "packet each way and the kernel's tbf at 50 kbit/s. ",
        "relay": "2G: a loopback relay adding 300 ms and 50 kbit/s each way (no network "
                 "namespace here). ",
    }
    lines = [
        f"Sizes: pull {args['docs']} complaints; upload {args['phones']} phones x {args['per_phone']} "
        f"complaints, {args['concurrency']} syncing at once. Gzipped JSON of complaint 0: "
        f"{gzip_json['bytes']} bytes, of complaints 0 to 9: {gzip_json['mean_of_ten']:.1f} on average. "
        + "".join(link[l] for l in sorted(links))
        + f"Measured {measured} on {os.cpu_count()} cores, all peers in the same run, "
        f"{Path(args['bin_dir']).name} builds.",
        "",
        "| measure | " + " | ".join(results) + " | Aduan vs peers | goal |",
        "|---|" + "|".join("---" for _ in results) + "|---|---|",
    ]

    def value(key, v):
        try:
            return key(v)
        except KeyError:
            return None

    def row(label, key, fmt, goal, better_low=True, partial=None):
        """partial(v), for a peer that stopped before the end, returns (bound, note): the figure
        is then only a bound ("<=" or ">" it, worse for the peer than the bound), and so is the
        ratio against it."""
        def shown(v):
            p = partial(v) if partial else None
            if p is not None:
                bound, note = p
                return f"{'>' if better_low else '<='} {fmt(bound)} ({note})"
            x = value(key, v)
            return fmt(x) if x is not None else "did not finish"

        vals = [shown(v) for v in results.values()]
        parts = []
        if a:
            for name, v in others.items():
                p = partial(v) if partial else None
                mine, theirs = value(key, a), (p[0] if p else value(key, v))
                if mine is None or theirs is None or (p and a_partial(partial)) or 0 in (mine, theirs):
                    parts.append(f"- {name}")
                    continue
                r = theirs / mine if better_low else mine / theirs
                shown = f"{r:,.0f}" if r >= 100 else f"{r:.1f}"
                parts.append(f"{'>= ' if p else ''}{shown}x {name}")
        lines.append(f"| {label} | " + " | ".join(vals) + f" | {', '.join(parts)} | {goal} |")

    def a_partial(partial):
        return partial(a) is not None

    def pull_partial(v):
        if not v.get("pull_partial"):
            return None
        return v["pull_secs"], (f"{v['pull_docs']:,} of {v['pull_of']:,} stored in {v['pull_secs']:.0f} s, "
                                "then it failed")

    def upload_partial(v):
        u = v.get("upload", {})
        if not u.get("partial"):
            return None
        return u["per_sec"], f"{u['confirmed']:,} of {u['complaints']:,} in {u['secs']:.0f} s"

    def p99(v):
        u = v["upload"]
        if u.get("partial"):
            raise KeyError("partial")  # not a p99 over every phone
        return u["p99_ms"]

    row("fresh phone pulls every complaint (s)", lambda v: v["pull_secs"], lambda x: f"{x:.2f}",
        "< 10 s, 10x faster than both", partial=pull_partial)
    row("upload throughput (complaints/s)", lambda v: v["upload"]["per_sec"],
        lambda x: f"{x:.0f}" if x >= 10 else f"{x:.2g}",
        "5x the better peer", better_low=False, partial=upload_partial)
    row("upload p99 per phone (ms)", p99, lambda x: f"{x:.0f}", "-")
    row("bytes on the wire for one text complaint (both ways)", lambda v: v["one_bytes"],
        lambda x: f"{x:,}", "-")
    row("... as a multiple of its gzipped JSON", lambda v: v["one_vs_gzip_json"],
        lambda x: f"{x:.2f}", "<= 1.3")
    row("bytes on the wire per complaint, one phone syncing ten different ones",
        lambda v: v["ten_bytes"] / 10, lambda x: f"{x:,.0f}", "-")
    row("... as a multiple of their gzipped JSON", lambda v: v["ten_per_complaint_vs_gzip_json"],
        lambda x: f"{x:.2f}", "<= 1.3")
    row("one text complaint over 2G, sync to stored (s)", lambda v: v["two_g_secs"],
        lambda x: f"{x:.2f}", "< 3 s")
    return "\n".join(lines)


def write_benchmarks_md(out):
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    start, end = "<!-- sync:begin -->", "<!-- sync:end -->"
    block = f"{start}\n{out}\n{end}"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text += "\n" + block + "\n"
    path.write_text(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--phones", type=int, default=1000)
    ap.add_argument("--per-phone", type=int, default=10)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--peers", default="aduan,samod,automerge-repo")
    ap.add_argument("--bin-dir", default=str(ROOT / "target/release"))
    ap.add_argument("--upload-timeout", type=int, default=600,
                    help="seconds a peer's upload clock may run; then the peer stops and reports how "
                         "many complaints the server confirmed by then (a partial result)")
    ap.add_argument("--prepare-timeout", type=int, default=1800,
                    help="seconds a peer's upload may take, on top of --upload-timeout, to prepare its phones")
    ap.add_argument("--update", action="store_true",
                    help="write results.json and the table in BENCHMARKS.md")
    ap.add_argument("--report", action="store_true",
                    help="only print (and with --update write) the table of the last results.json")
    args = ap.parse_args()
    results_file = ROOT / "benchmarks/sync/results.json"
    if args.report:
        saved = json.loads(results_file.read_text())
        out = table(saved["results"], saved["args"], saved["gzip_json"], saved.get("measured", "?"))
    else:
        bin_dir = Path(args.bin_dir)
        gzip_json = run([str(bin_dir / "aduan-sync-bench"), "gzip-json"])
        work = tempfile.mkdtemp(prefix="aduan-bench-sync-")
        results = {}
        measured = time.strftime("%Y-%m-%d")
        saved = {"args": vars(args), "gzip_json": gzip_json, "measured": measured, "results": results}
        try:
            for peer in peers(bin_dir, args.peers.split(",")):
                results[peer.name] = bench_peer(peer, args, work, gzip_json)
                # Kept as it goes, so a long run's figures survive a later failure.
                partial = ROOT / "target/bench-sync-partial.json"
                partial.write_text(json.dumps(saved, indent=2))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if args.update:
            results_file.write_text(json.dumps(saved, indent=2) + "\n")
        out = table(results, vars(args), gzip_json, measured)
    print(out)
    if args.update:
        write_benchmarks_md(out)


if __name__ == "__main__":
    main()
