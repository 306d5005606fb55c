// automerge-repo peer for the sync benchmark: the work and the CLI are specified in
// ../../PEERS.md. Usage: node bench.mjs <server|seed|pull|upload|one> --flag value ...
//
// Every process talks to the server through @automerge/automerge-repo-network-websocket and keeps
// its documents on disk with @automerge/automerge-repo-storage-nodefs, as a phone would.
//
// What "confirmed by the server" means here (seed, upload, one): the server's Repo has a storage
// adapter, so it has a persistent storage id and advertises it (with isEphemeral=false) in the
// "peer" message of the WebSocket handshake. For a directly connected peer with a storage id,
// automerge-repo 2.x records, per document, the heads that peer last announced in a sync message
// (the `theirHeads` of the Automerge sync state), retrievable with
// `handle.getSyncInfo(serverStorageId).lastHeads` and signalled by the handle's "remote-heads"
// event. A document counts as confirmed when those server heads equal the phone's local heads
// `handle.heads()`: the server has said, in a sync message it sent after applying our changes,
// that its copy of the document is at exactly our heads, i.e. it holds every change the phone made.
// It does not mean the server has already written them to disk: the server Repo saves a document
// to its NodeFS storage asynchronously (debounced, 100 ms by default) after its heads change, and
// automerge-repo's protocol has no acknowledgement of persistence.
// (`repo.subscribeToRemotes` is not used: it is the gossip mechanism for learning the heads of
// storage ids one is NOT directly connected to and needs enableRemoteHeadsGossiping on both ends;
// the phones here are connected to the server directly, and the direct path needs no extra
// messages, which keeps the bytes counted by the harness to the plain sync protocol.)

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

import * as Automerge from "@automerge/automerge";
import { Repo } from "@automerge/automerge-repo";
import {
  WebSocketClientAdapter,
  WebSocketServerAdapter,
} from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServer } from "ws";

// Ten distinct descriptions: complaint i has number i % 10 (so a phone's ten differ).
const DESCRIPTIONS = [
  "Saluran air di depan rumah warga tersumbat sampah plastik dan lumpur sejak dua minggu. Setiap hujan deras air meluap ke jalan dan masuk ke halaman rumah. Warga sudah membersihkan sebagian, tetapi sumbatan ada di bawah jembatan kecil dan perlu alat berat. Mohon segera ditangani sebelum musim hujan puncak.",
  "Tumpukan sampah di tempat pembuangan sementara dekat pasar tidak diangkut selama sembilan hari. Baunya menyengat sampai ke sekolah dasar di seberang jalan, lalat banyak, dan anjing liar mengacak kantong sampah ke badan jalan. Pedagang sudah melapor ke kelurahan tetapi truk pengangkut belum datang juga.",
  "Lampu penerangan jalan umum di sepanjang gang menuju masjid padam total sejak awal bulan. Malam hari sangat gelap, dua warga terjatuh karena tidak melihat lubang, dan ibu-ibu takut pulang dari pengajian. Tiang nomor 14 sampai 19 kabelnya terlihat putus digigit tikus.",
  "Pipa distribusi PDAM bocor di pertigaan dekat kantor pos; air bersih menyembur ke aspal siang dan malam. Akibatnya tekanan air di rumah-rumah blok C sangat kecil, bak mandi tidak pernah penuh, dan jalan menjadi licin serta berlumut. Kebocoran ini sudah berlangsung kira-kira tiga minggu.",
  "Jalan poros kampung rusak parah dengan lubang sedalam lutut orang dewasa di beberapa titik. Saat hujan lubang tertutup genangan sehingga pengendara motor sering terperosok, minggu lalu seorang pelajar patah tangan. Kami meminta penambalan darurat sambil menunggu pengaspalan ulang.",
  "Banjir setinggi pinggang merendam permukiman di bantaran sungai setiap kali hujan lebih dari dua jam. Tanggul tanah di belakang musala longsor sepanjang kira-kira sepuluh meter dan belum diperbaiki. Anak-anak tidak bisa berangkat sekolah dan beberapa lansia harus dievakuasi dengan perahu karet.",
  "Pohon angsana besar di trotoar depan puskesmas miring ke arah kabel listrik setelah angin kencang kemarin sore. Akarnya sudah mengangkat paving dan sebagian batang retak. Kami khawatir pohon tumbang menimpa pasien yang antre di luar atau kendaraan yang parkir di bawahnya.",
  "Pelayanan pembuatan kartu keluarga di kantor kecamatan sangat lambat: berkas kami masuk enam minggu lalu dan setiap datang hanya diminta kembali minggu depan tanpa penjelasan. Petugas loket juga meminta biaya tambahan yang tidak ada dalam papan informasi tarif resmi.",
  "Bau busuk dan air limbah berwarna hitam mengalir dari pabrik tahu di ujung jalan langsung ke selokan warga. Ikan di kolam mati, anak-anak gatal-gatal setelah bermain di parit, dan sumur dua rumah terdekat airnya mulai berbau. Mohon dinas lingkungan hidup memeriksa pengolahan limbahnya.",
  "Jembatan kayu penghubung dua dusun lantainya lapuk dan tiga papan sudah patah, pegangan tangannya juga hilang. Setiap pagi puluhan murid dan petani menyeberang dengan berjalan kaki dan mendorong motor. Kalau air sungai naik, jembatan bergoyang dan sangat berbahaya.",
];
const description = i => `${DESCRIPTIONS[i % DESCRIPTIONS.length]} (#${i})`;

const title = i => `Saluran tersumbat di Jalan Nomor ${i}`;

// Complaint number i. Plain JS strings become Automerge text (the default of the Automerge 3 API
// automerge-repo uses); the three coordinates are forced to f64 (12.0 would otherwise be stored
// as an integer).
function complaint(i) {
  return {
    kind: "complaint",
    category_id: "pu.drainase",
    title: title(i),
    description: description(i),
    province: "Sulawesi Selatan",
    city: "Kota Makassar",
    kecamatan: "Tamalate",
    kelurahan: "Mangasa",
    address: `Jl. Sultan Alauddin No. ${i}`,
    latitude: new Automerge.Float64(-5.1856),
    longitude: new Automerge.Float64(119.4237),
    accuracy_m: new Automerge.Float64(12.0),
    anonymous: false,
    confidential: false,
    status: "submitted",
    created_at: Date.now(),
  };
}

// A new document in `repo` holding complaint i, as one Automerge change.
// Not `repo.create(complaint(i))`: that goes through `Automerge.from`, whose bulk "hydrate" path
// in @automerge/automerge 3.5.0 does not understand the Float64 wrapper and would store
// {"value": 12} as a nested map. So the change is made with `Automerge.change` (which does) and
// handed to the repo with `repo.import`, its public API for "new document from these bytes"
// (a fresh document id, the same sharing and storage as `create`).
function createComplaint(repo, i) {
  const doc = Automerge.change(Automerge.init(), d => Object.assign(d, complaint(i)));
  return repo.import(Automerge.save(doc));
}

// ---------------------------------------------------------------------------------------------
// small helpers

function parseArgs(argv) {
  const [cmd, ...rest] = argv;
  const opts = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith("--")) die(`unexpected argument ${a}`);
    const eq = a.indexOf("=");
    if (eq > 0) {
      opts[a.slice(2, eq)] = a.slice(eq + 1);
    } else {
      if (i + 1 >= rest.length) die(`${a} needs a value`);
      opts[a.slice(2)] = rest[++i];
    }
  }
  return { cmd, opts };
}

function need(opts, name) {
  if (opts[name] === undefined) die(`missing --${name}`);
  return opts[name];
}

function needInt(opts, name) {
  const v = Number(need(opts, name));
  if (!Number.isInteger(v) || v < 0) die(`--${name} must be a non-negative integer`);
  return v;
}

function die(msg) {
  console.error(`bench.mjs: ${msg}`);
  process.exit(2);
}

const log = msg => console.error(`[automerge-repo] ${msg}`);

// Diagnostics on stderr: the WebSocket connections a repo loses (each one resets the sync of
// every document with that peer), and every 10 s the longest event-loop stall and what
// `progress()` reports. The timer is unref'd: it never keeps a process alive.
function watch(what, repos, progress = () => "") {
  let lost = 0;
  for (const repo of repos) {
    repo.networkSubsystem.on("peer-disconnected", () => {
      lost++;
      if (lost <= 5 || lost % 100 === 0) log(`${what}: connection lost (${lost} so far)`);
    });
  }
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const t0 = performance.now();
  setInterval(() => {
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    log(`${what} ${secs} s: longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms, ` +
      `connections lost ${lost}${progress() ? ", " + progress() : ""}`);
    delay.reset();
  }, 10_000).unref();
  return () => lost;
}

// http://127.0.0.1:PORT -> ws://127.0.0.1:PORT (https -> wss)
function wsUrl(url) {
  if (url.startsWith("http://")) return "ws://" + url.slice("http://".length);
  if (url.startsWith("https://")) return "wss://" + url.slice("https://".length);
  if (url.startsWith("ws://") || url.startsWith("wss://")) return url;
  die(`--url must start with http:// (got ${url})`);
}

// A client storage folder must start empty: create it, refuse one that already holds files.
function emptyDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) die(`${dir} is not empty (a fresh client needs empty storage)`);
  return dir;
}

const round = (x, digits) => Number(x.toFixed(digits));

function percentile(sorted, q) {
  // nearest rank
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const sameHeads = (a, b) =>
  Array.isArray(a) &&
  Array.isArray(b) &&
  a.length === b.length &&
  [...a].sort().join(",") === [...b].sort().join(",");

// --deadline-secs S (optional): the step stops its clock after S seconds even if not done and
// prints how far it got, with "partial": true.
function deadlineMs(opts, fallbackMs) {
  if (opts["deadline-secs"] === undefined) return fallbackMs;
  const s = Number(opts["deadline-secs"]);
  if (!(s > 0)) die("--deadline-secs must be a positive number");
  return s * 1000;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with {peerId, storageId} of the server once the WebSocket handshake is done.
function serverPeer(repo) {
  const found = () => {
    for (const peerId of repo.peers) {
      const meta = repo.peerMetadataByPeerId[peerId];
      if (meta) return { peerId, storageId: meta.storageId, isEphemeral: meta.isEphemeral };
    }
    return null;
  };
  const check = p => {
    if (!p.storageId || p.isEphemeral) {
      throw new Error("the server announced no storage id: it cannot confirm what it holds");
    }
    return p;
  };
  const now = found();
  if (now) return Promise.resolve(check(now));
  return withTimeout(
    new Promise(resolve => {
      repo.networkSubsystem.once("peer", ({ peerId, peerMetadata }) =>
        resolve({ peerId, storageId: peerMetadata?.storageId, isEphemeral: peerMetadata?.isEphemeral }),
      );
    }).then(check),
    60_000,
    "connecting to the server",
  );
}

// Resolves when the server's heads for this document (as last announced by the server in a sync
// message) equal our local heads. See the comment at the top of the file.
function confirmed(handle, serverStorageId) {
  return new Promise(resolve => {
    const check = () => {
      if (sameHeads(handle.getSyncInfo(serverStorageId)?.lastHeads, handle.heads())) {
        handle.off("remote-heads", check);
        handle.off("heads-changed", check);
        resolve();
      }
    };
    handle.on("remote-heads", check);
    handle.on("heads-changed", check);
    check();
  });
}

function clientRepo({ url, dir, sharePolicy, connect = true }) {
  const network = connect ? [new WebSocketClientAdapter(wsUrl(url))] : [];
  const config = { storage: new NodeFSStorageAdapter(dir), network };
  if (sharePolicy) config.sharePolicy = sharePolicy;
  return new Repo(config);
}

// Disconnect the WebSocket, flush storage; never let a failing close keep the process alive.
async function closeRepo(repo) {
  try {
    await withTimeout(repo.shutdown(), 30_000, "repo shutdown");
  } catch (e) {
    log(`shutdown: ${e.message}`);
  }
}

function printResult(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

// ---------------------------------------------------------------------------------------------
// server --listen ADDR --data DIR

async function server(opts) {
  const listen = need(opts, "listen");
  const dataDir = need(opts, "data");
  const colon = listen.lastIndexOf(":");
  if (colon < 0) die("--listen must be HOST:PORT");
  const host = listen.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(listen.slice(colon + 1));
  fs.mkdirSync(dataDir, { recursive: true });

  const wss = new WebSocketServer({ host, port });
  await new Promise((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  // The adapter pings every client each keepAliveInterval and terminates any socket that has
  // not answered the previous ping. Its default, 5 s, is shorter than the event-loop stalls of
  // this benchmark (the server itself, or one Node process running 1,000 phones, busy for
  // seconds at a time): with it, healthy connections are cut mid-sync, and every cut makes
  // the client re-sync all of its documents. The interval is a constructor argument of the
  // adapter; the benchmark's own choice is --keepalive-secs (default 600), so a lost client is
  // still noticed eventually.
  const keepAliveSecs = opts["keepalive-secs"] === undefined ? 600 : Number(opts["keepalive-secs"]);
  if (!(keepAliveSecs > 0)) die("--keepalive-secs must be a positive number");
  const adapter = new WebSocketServerAdapter(wss, keepAliveSecs * 1000);
  const repo = new Repo({
    network: [adapter],
    // The storage adapter gives the server a storage id (kept in DIR, so the same across restarts),
    // which it announces to every client: that is what lets clients track what the server holds.
    storage: new NodeFSStorageAdapter(dataDir),
    // A sync server: it does not push documents to peers that did not ask for them
    // (announce=false), but any peer may read and write any document (access=true), so it stores
    // every document a client syncs to it and serves any document a client requests by id.
    sharePolicy: async () => false,
  });
  const storageId = await repo.storageId();
  watch("server", [repo], () => `${repo.peers.length} peers, ${Object.keys(repo.handles).length} documents`);
  // The adapter attaches its "connection" handler only once the repo has its peer metadata;
  // report readiness only after that, so that no early connection is dropped.
  const deadline = Date.now() + 30_000;
  while (wss.listenerCount("connection") === 0) {
    if (Date.now() > deadline) throw new Error("WebSocket adapter never attached");
    await new Promise(r => setTimeout(r, 5));
  }
  const addr = wss.address();
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  process.stdout.write(`listening on http://${shownHost}:${addr.port}\n`);
  log(`server storage id ${storageId}, data in ${path.resolve(dataDir)}`);

  // automerge-repo starts some of its work with `void promise` (e.g. DocSynchronizer.beginSync,
  // which waits at most 60 s for a document to become ready): when such a wait times out on a
  // busy server, the rejection is unhandled, and Node's default for that is to end the process,
  // cutting every phone off. A sync server must outlive one slow document, so the rejection
  // is logged and the server keeps serving (the phone still has to get its confirmation).
  let unhandled = 0;
  process.on("unhandledRejection", e => {
    unhandled++;
    if (unhandled <= 5 || unhandled % 100 === 0) log(`unhandled rejection #${unhandled}: ${e?.stack ?? e}`);
  });

  let stopping = false;
  const stop = async signal => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: flushing and closing`);
    try {
      await withTimeout(repo.shutdown(), 30_000, "server shutdown");
    } catch (e) {
      log(e.message);
    }
    wss.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

// ---------------------------------------------------------------------------------------------
// seed --url URL --docs N --out FILE   (not timed by the harness; secs printed anyway)

async function seed(opts) {
  const url = need(opts, "url");
  const n = needInt(opts, "docs");
  const out = need(opts, "out");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amrepo-seed-"));
  const t0 = performance.now();
  const repo = clientRepo({ url, dir });
  const urls = [];
  watch("seed", [repo], () => `${urls.length} of ${n} documents`);
  const { storageId } = await serverPeer(repo);
  const BATCH = 500; // bounded so a 10,000-document seed does not open 10,000 syncs at once
  for (let start = 0; start < n; start += BATCH) {
    const handles = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const h = createComplaint(repo, i);
      urls.push(h.url);
      handles.push(h);
    }
    await withTimeout(
      Promise.all(handles.map(h => confirmed(h, storageId))),
      600_000,
      `server confirming documents ${start}..${start + handles.length}`,
    );
  }
  const secs = (performance.now() - t0) / 1000;
  fs.writeFileSync(out, JSON.stringify(urls));
  await closeRepo(repo);
  fs.rmSync(dir, { recursive: true, force: true });
  printResult({ docs: n, secs: round(secs, 4) });
}

// ---------------------------------------------------------------------------------------------
// pull --url URL --ids FILE --data DIR

async function pull(opts) {
  const url = need(opts, "url");
  const urls = JSON.parse(fs.readFileSync(need(opts, "ids"), "utf8"));
  if (!Array.isArray(urls)) die("--ids must hold a JSON array of document URLs");
  const dir = emptyDir(need(opts, "data"));

  // Clock: from the start (empty storage, no connection) until every document is in the local
  // repo with its content and written to the local NodeFS storage.
  const t0 = performance.now();
  const repo = clientRepo({ url, dir });
  let done = 0;
  const lost = watch("pull", [repo], () => `${done} of ${urls.length} documents`);
  await serverPeer(repo);
  // 256 lookups in flight at once (as the samod peer): asking for all 10,000 at once makes the
  // server answer "unavailable" for documents it has not loaded from its storage in time.
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < urls.length && !failed) {
      const i = next++;
      const handle = await repo.find(urls[i]); // resolves once the handle is ready
      const got = handle.doc()?.title?.toString();
      if (got !== title(i)) throw new Error(`document ${i} (${urls[i]}): title ${JSON.stringify(got)}`);
      done++;
    }
  };
  try {
    await withTimeout(
      Promise.all(Array.from({ length: Math.min(256, urls.length) }, worker)),
      deadlineMs(opts, 3_600_000),
      "pulling documents",
    );
  } catch (e) {
    failed = true;
    // How far it got: the documents found and checked until the failure, flushed to disk.
    const secs = (performance.now() - t0) / 1000;
    log(`pull stopped after ${secs.toFixed(1)} s with ${done} of ${urls.length} documents ` +
      `(${lost()} connections lost): ${e?.stack ?? e}`);
    try {
      await withTimeout(repo.flush(), 60_000, "flush");
    } catch (f) {
      log(f.message);
    }
    printResult({ docs: done, of: urls.length, secs: round(secs, 4), partial: true,
      error: String(e?.message ?? e).slice(0, 200) });
    return;
  }
  await repo.flush(); // "stored locally": every document on disk, not only in memory
  const secs = (performance.now() - t0) / 1000;
  printResult({ docs: urls.length, secs: round(secs, 4) });
  await closeRepo(repo);
}

// ---------------------------------------------------------------------------------------------
// upload --url URL --phones P --per-phone K --concurrency C --data DIR

async function upload(opts) {
  const url = need(opts, "url");
  const phones = needInt(opts, "phones");
  const perPhone = needInt(opts, "per-phone");
  const concurrency = Math.max(1, needInt(opts, "concurrency"));
  const dataDir = need(opts, "data");
  fs.mkdirSync(dataDir, { recursive: true });

  // Preparation, before the clock. Each phone is its own Repo with its own NodeFS storage and
  // its own WebSocket connection. Its K complaints are created while it has no network adapter
  // at all (offline) and written to its storage. Then it connects and completes the handshake,
  // but its share policy still says "share nothing", so not a byte of those documents is sent
  // until its sync starts.
  log(`preparing ${phones} phones x ${perPhone} complaints`);
  const prepared = [];
  for (let p = 0; p < phones; p++) {
    const phone = { online: false };
    const dir = emptyDir(path.join(dataDir, `phone-${p}`));
    phone.repo = clientRepo({
      url,
      dir,
      connect: false,
      sharePolicy: async () => phone.online,
    });
    phone.handles = [];
    for (let k = 0; k < perPhone; k++) phone.handles.push(createComplaint(phone.repo, p * perPhone + k));
    await phone.repo.flush();
    phone.repo.networkSubsystem.addNetworkAdapter(new WebSocketClientAdapter(wsUrl(url)));
    // One handshake at a time: a thousand sockets opened at once overflow the server's accept
    // queue and get reset, which this adapter does not survive.
    phone.server = await serverPeer(phone.repo);
    prepared.push(phone);
  }

  // The clock. At most C phones sync at once; a phone's latency runs from the start of its
  // sync (share policy switched on) until the server has confirmed all K of its documents.
  const latencies = [];
  let confirmedDocs = 0;
  let next = 0;
  const lost = watch("upload", prepared.map(p => p.repo),
    () => `${confirmedDocs} of ${phones * perPhone} complaints confirmed`);
  const t0 = performance.now();
  const worker = async () => {
    while (next < prepared.length) {
      const phone = prepared[next++];
      const start = performance.now();
      phone.online = true;
      phone.repo.shareConfigChanged(); // re-evaluates the policy: begins syncing every document
      await Promise.all(phone.handles.map(h => confirmed(h, phone.server.storageId).then(() => confirmedDocs++)));
      latencies.push(performance.now() - start);
    }
  };
  let finished = true;
  try {
    await withTimeout(
      Promise.all(Array.from({ length: Math.min(concurrency, prepared.length) }, worker)),
      deadlineMs(opts, 3_600_000),
      "upload",
    );
  } catch (e) {
    finished = false;
    log(`upload stopped: ${e.message}: ${confirmedDocs} of ${phones * perPhone} complaints confirmed`);
  }
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const complaints = phones * perPhone;
  const result = {
    complaints,
    secs: round(secs, 4),
    per_sec: round(secs > 0 ? confirmedDocs / secs : 0, 1),
    p50_ms: round(percentile(latencies, 0.5), 1),
    p99_ms: round(percentile(latencies, 0.99), 1),
  };
  if (!finished) {
    // How far it got: what the server confirmed until the deadline; percentiles over the phones
    // that were done.
    Object.assign(result, { partial: true, confirmed: confirmedDocs, phones_done: latencies.length });
  }
  log(`connections lost during the upload: ${lost()}`);
  printResult(result);
  if (finished) await Promise.all(prepared.map(phone => closeRepo(phone.repo)));
}

// ---------------------------------------------------------------------------------------------
// one --url URL --data DIR

async function one(opts) {
  const url = need(opts, "url");
  const dir = emptyDir(need(opts, "data"));
  // Clock: the whole life of a fresh phone: open storage, connect (WebSocket + join/peer
  // handshake), create one complaint, sync it until the server confirms it.
  const t0 = performance.now();
  const repo = clientRepo({ url, dir });
  const handle = createComplaint(repo, 0);
  const { storageId } = await serverPeer(repo);
  await withTimeout(confirmed(handle, storageId), 600_000, "server confirming the complaint");
  const secs = (performance.now() - t0) / 1000;
  printResult({ secs: round(secs, 4) });
  await closeRepo(repo);
}

// ---------------------------------------------------------------------------------------------

const commands = { server, seed, pull, upload, one };
const { cmd, opts } = parseArgs(process.argv.slice(2));
if (!commands[cmd]) die(`usage: node bench.mjs <${Object.keys(commands).join("|")}> --flag value ...`);

try {
  await commands[cmd](opts);
} catch (e) {
  console.error(`bench.mjs ${cmd}: ${e?.stack ?? e}`);
  process.exit(1);
}
if (cmd !== "server") process.exit(0); // timers the libraries leave behind must not keep us alive
