//! The samod peer of Aduan's sync benchmark: the same subcommands and the same complaint as
//! every peer (benchmarks/sync/PEERS.md), with samod (the Rust automerge-repo): its axum
//! WebSocket server integration for `server`, WebSocket-dialing repos with filesystem storage
//! for the phones.
//!
//! "Confirmed by the server" (seed, upload, one) is samod's
//! `DocHandle::they_have_our_changes(connection)`: it resolves once the document's peer state
//! for the server's connection has `shared_heads` equal to the phone's local heads. samod-core
//! copies `shared_heads` from the Automerge sync state of that connection, which advances only
//! when a sync message *from the server* says it has those heads: so "confirmed" means the
//! server has said, in a sync message it sent after applying our changes, that its copy of the
//! document holds every change the phone made. It does not mean the server has written them to
//! its disk: samod's protocol (like automerge-repo's) has no acknowledgement of persistence;
//! the server saves to its filesystem storage asynchronously after applying the changes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use clap::{Parser, Subcommand};
use futures::stream::{self, StreamExt};
use samod::storage::TokioFilesystemStorage as FilesystemStorage;
use samod::{AutomergeUrl, BackoffConfig, ConnectionId, DocHandle, DocumentId, Repo, ShareConfig};
use serde_json::json;

/// Ten distinct descriptions: complaint `i` has number `i % 10` (so a phone's ten differ).
const DESCRIPTIONS: [&str; 10] = [
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

/// Complaint `i`'s description: `DESCRIPTIONS[i % 10]` and its number.
fn description(i: usize) -> String {
    format!("{} (#{i})", DESCRIPTIONS[i % DESCRIPTIONS.len()])
}

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Server {
        #[arg(long)]
        listen: String,
        #[arg(long)]
        data: PathBuf,
    },
    Seed {
        #[arg(long)]
        url: String,
        #[arg(long)]
        docs: usize,
        #[arg(long)]
        out: PathBuf,
    },
    Pull {
        #[arg(long)]
        url: String,
        #[arg(long)]
        ids: PathBuf,
        #[arg(long)]
        data: PathBuf,
    },
    Upload {
        #[arg(long)]
        url: String,
        #[arg(long)]
        phones: usize,
        #[arg(long)]
        per_phone: usize,
        #[arg(long)]
        concurrency: usize,
        #[arg(long)]
        data: PathBuf,
        /// Stop the clock after this many seconds even if not every phone is confirmed, and
        /// print how far the upload got (`"partial": true`, `confirmed`, `per_sec` =
        /// confirmed / secs) instead of running until the harness kills it.
        #[arg(long)]
        deadline_secs: Option<f64>,
    },
    One {
        #[arg(long)]
        url: String,
        #[arg(long)]
        data: PathBuf,
    },
}

fn title(i: usize) -> String {
    format!("Saluran tersumbat di Jalan Nomor {i}")
}

/// A fresh client's storage folder: created if missing, refused if it already holds anything.
fn empty_dir(dir: &Path) -> Result<&Path, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if entries.next().is_some() {
        return Err(format!(
            "{} is not empty (a fresh client needs empty storage)",
            dir.display()
        ));
    }
    Ok(dir)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Complaint `i` as one Automerge change, strings as text (automerge-repo's default).
fn complaint(i: usize) -> Automerge {
    let mut doc = automerge::AutoCommit::new();
    let text = |doc: &mut automerge::AutoCommit, key: &str, value: &str| {
        let t = doc.put_object(ROOT, key, ObjType::Text).expect("in memory");
        doc.splice_text(&t, 0, 0, value).expect("in memory");
    };
    text(&mut doc, "kind", "complaint");
    text(&mut doc, "category_id", "pu.drainase");
    text(&mut doc, "title", &title(i));
    text(&mut doc, "description", &description(i));
    text(&mut doc, "province", "Sulawesi Selatan");
    text(&mut doc, "city", "Kota Makassar");
    text(&mut doc, "kecamatan", "Tamalate");
    text(&mut doc, "kelurahan", "Mangasa");
    text(&mut doc, "address", &format!("Jl. Sultan Alauddin No. {i}"));
    doc.put(ROOT, "latitude", -5.1856).expect("in memory");
    doc.put(ROOT, "longitude", 119.4237).expect("in memory");
    doc.put(ROOT, "accuracy_m", 12.0).expect("in memory");
    doc.put(ROOT, "anonymous", false).expect("in memory");
    doc.put(ROOT, "confidential", false).expect("in memory");
    text(&mut doc, "status", "submitted");
    doc.put(ROOT, "created_at", now_ms()).expect("in memory");
    doc.commit();
    doc.document().clone()
}

fn ws_url(url: &str) -> Result<url::Url, String> {
    url.replacen("http://", "ws://", 1)
        .parse()
        .map_err(|e| format!("{url}: {e}"))
}

/// A phone: a repo storing under `data`, sharing with the server only once `online` says so.
async fn phone(data: &Path, online: tokio::sync::watch::Receiver<bool>) -> Repo {
    Repo::build_tokio()
        .with_storage(FilesystemStorage::new(data))
        .with_share_policy(move |_doc, _peer| {
            let rx = online.clone();
            stream::unfold((rx, true), |(mut rx, first)| async move {
                if !first && rx.changed().await.is_err() {
                    return None;
                }
                let config = if *rx.borrow_and_update() {
                    ShareConfig::read_write()
                } else {
                    ShareConfig::none()
                };
                Some((config, (rx, false)))
            })
        })
        .load()
        .await
}

async fn connect(repo: &Repo, url: &str) -> Result<ConnectionId, String> {
    let dialer = repo
        .dial_websocket(ws_url(url)?, BackoffConfig::default())
        .map_err(|_| "repo stopped".to_string())?;
    tokio::time::timeout(Duration::from_secs(60), dialer.established())
        .await
        .map_err(|_| format!("{url}: no connection in 60 s"))?
        .map_err(|e| format!("{url}: {e:?}"))?;
    dialer
        .connection_id()
        .ok_or_else(|| "connected without a connection id".to_string())
}

async fn confirm(handles: &[DocHandle], conn: ConnectionId) {
    confirm_counting(handles, conn, &AtomicUsize::new(0)).await
}

/// Like `confirm`, adding one to `confirmed` as each document is confirmed.
async fn confirm_counting(handles: &[DocHandle], conn: ConnectionId, confirmed: &AtomicUsize) {
    stream::iter(handles.iter().map(|h| async move {
        h.they_have_our_changes(conn).await;
        confirmed.fetch_add(1, Ordering::Relaxed);
    }))
    .buffer_unordered(256)
    .collect::<Vec<()>>()
    .await;
}

async fn server(listen: &str, data: &Path) -> Result<serde_json::Value, String> {
    std::fs::create_dir_all(data).map_err(|e| e.to_string())?;
    // Like automerge-repo's sync server: stores and serves everything, announces nothing.
    let repo = Repo::build_tokio()
        .with_peer_id("server".into())
        .with_storage(FilesystemStorage::new(data))
        .with_share_policy(ShareConfig::read_write().with_announce(false))
        .load()
        .await;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("{listen}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let acceptor = repo
        .make_acceptor(format!("ws://{local}/").parse().expect("valid url"))
        .map_err(|_| "repo stopped")?;
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move |upgrade: axum::extract::ws::WebSocketUpgrade| {
            let acceptor = acceptor.clone();
            async move {
                upgrade
                    .max_message_size(256 << 20)
                    .on_upgrade(move |socket| async move {
                        let _ = acceptor.accept_axum(socket, None);
                    })
            }
        }),
    );
    println!("listening on http://{local}");
    // The harness stops the server with SIGTERM (and kills it 10 s later); Ctrl-C by hand.
    // Then the repo is stopped, which waits for its pending storage writes, for at most 5 s.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| e.to_string())?;
    tokio::select! {
        served = axum::serve(listener, app) => served.map_err(|e| e.to_string())?,
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), repo.stop()).await;
    Ok(json!({}))
}

async fn seed(url: &str, docs: usize, out: &Path) -> Result<serde_json::Value, String> {
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("samod-seed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (_on, online) = tokio::sync::watch::channel(true);
    let repo = phone(empty_dir(&dir)?, online).await;
    let conn = connect(&repo, url).await?;
    // What a fresh client needs: the document URLs (`automerge:<id>`), complaint i at index i.
    let mut ids = Vec::with_capacity(docs);
    for batch in (0..docs).collect::<Vec<_>>().chunks(500) {
        let mut handles = Vec::new();
        for &i in batch {
            let h = repo.create(complaint(i)).await.map_err(|_| "repo stopped")?;
            ids.push(h.url().to_string());
            handles.push(h);
        }
        confirm(&handles, conn).await;
    }
    repo.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::write(out, serde_json::to_string(&ids).expect("ids")).map_err(|e| e.to_string())?;
    Ok(json!({ "docs": docs, "secs": started.elapsed().as_secs_f64() }))
}

async fn pull(url: &str, ids: &Path, data: &Path) -> Result<serde_json::Value, String> {
    let ids: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(ids).map_err(|e| format!("{}: {e}", ids.display()))?,
    )
    .map_err(|e| format!("{}: {e}", ids.display()))?;
    // `automerge:<id>` URLs as `seed` writes them; a bare document id is accepted too.
    let ids: Vec<DocumentId> = ids
        .iter()
        .map(|s| {
            s.parse::<AutomergeUrl>()
                .map(|u| u.document_id().clone())
                .or_else(|_| s.parse::<DocumentId>())
                .map_err(|_| format!("bad document URL {s}"))
        })
        .collect::<Result<_, _>>()?;
    let data = empty_dir(data)?;
    // Clock: from the start (empty storage, no connection) until every document is in the local
    // repo with its content and written to the local filesystem storage.
    let started = Instant::now();
    let (_on, online) = tokio::sync::watch::channel(true);
    let repo = phone(data, online).await;
    connect(&repo, url).await?;
    // `Repo::find` loads from storage (empty here), then requests the document from the server
    // and resolves once it has synced with a peer that has it; 256 lookups in flight at once.
    let found: Vec<Result<(), String>> = stream::iter(ids.iter().cloned().enumerate().map(|(i, id)| {
        let repo = repo.clone();
        async move {
            let handle = repo
                .find(id.clone())
                .await
                .map_err(|_| "repo stopped".to_string())?
                .ok_or_else(|| format!("document {i} ({id}) not found"))?;
            let got = handle.with_document(|d| match d.get(ROOT, "title") {
                Ok(Some((_, obj))) => d.text(&obj).ok(),
                _ => None,
            });
            if got.as_deref() != Some(title(i).as_str()) {
                return Err(format!("document {i} ({id}): title {got:?}"));
            }
            Ok(())
        }
    }))
    .buffer_unordered(256)
    .collect()
    .await;
    let docs = found.len();
    found.into_iter().collect::<Result<Vec<()>, String>>()?;
    // Stopping waits for every pending storage write: every document is on disk when the clock
    // stops.
    repo.stop().await;
    Ok(json!({ "docs": docs, "secs": started.elapsed().as_secs_f64() }))
}

async fn upload(
    url: &str,
    phones: usize,
    per_phone: usize,
    concurrency: usize,
    data: &Path,
    deadline_secs: Option<f64>,
) -> Result<serde_json::Value, String> {
    // Prepared before the clock, as the automerge-repo peer does: every phone is its own repo
    // with its own filesystem storage; its K complaints are created (and stored) before it has
    // any connection, i.e. offline; then it dials the server and completes the handshake, but
    // its share policy says "share nothing", so not a byte of its documents is sent yet.
    // Its sync starts when the policy is switched to read-write (samod re-evaluates share
    // policies from the stream the policy returned) and ends when the server has confirmed
    // all K documents (see the top of this file).
    let mut ready = Vec::with_capacity(phones);
    for p in 0..phones {
        let (on, online) = tokio::sync::watch::channel(false);
        let repo = phone(empty_dir(&data.join(format!("phone-{p}")))?, online).await;
        let mut handles = Vec::with_capacity(per_phone);
        for k in 0..per_phone {
            handles.push(
                repo.create(complaint(p * per_phone + k))
                    .await
                    .map_err(|_| "repo stopped")?,
            );
        }
        let conn = connect(&repo, url).await?;
        ready.push((repo, on, handles, conn));
    }
    let ready = Arc::new(ready);
    // Complaints the server has confirmed so far, and the latencies of the phones done so far:
    // kept outside the stream so that a deadline can report how far the upload got.
    let confirmed = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::with_capacity(phones)));
    let started = Instant::now();
    let work = stream::iter(0..phones)
        .map(|i| {
            let ready = ready.clone();
            let confirmed = confirmed.clone();
            let latencies = latencies.clone();
            async move {
                let (_, on, handles, conn) = &ready[i];
                let t = Instant::now();
                let _ = on.send(true);
                confirm_counting(handles, *conn, &confirmed).await;
                latencies.lock().unwrap().push(t.elapsed().as_secs_f64() * 1000.0);
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect::<Vec<()>>();
    let finished = match deadline_secs {
        Some(d) => tokio::time::timeout(Duration::from_secs_f64(d), work).await.is_ok(),
        None => {
            work.await;
            true
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let confirmed = confirmed.load(Ordering::Relaxed);
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        if latencies.is_empty() {
            return 0.0;
        }
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    let complaints = phones * per_phone;
    let mut result = json!({
        "complaints": complaints,
        "secs": secs,
        "per_sec": confirmed as f64 / secs,
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
    });
    if !finished {
        // Not every phone is done: the figures are what the server confirmed until the deadline
        // (an upper bound of the rate: the slowdown grows as the server holds more documents),
        // the percentiles over the phones that finished.
        result["partial"] = json!(true);
        result["confirmed"] = json!(confirmed);
        result["phones_done"] = json!(latencies.len());
        eprintln!(
            "samod-peer upload: deadline of {} s reached: {confirmed} of {complaints} complaints confirmed",
            deadline_secs.unwrap_or_default()
        );
        // The phones' repos are not stopped: a stuck sync would keep `stop` waiting; exiting
        // the process ends them.
        return Ok(result);
    }
    for (repo, _, _, _) in ready.iter() {
        repo.stop().await;
    }
    Ok(result)
}

async fn one(url: &str, data: &Path) -> Result<serde_json::Value, String> {
    let data = empty_dir(data)?;
    // Clock: the whole life of a fresh phone: open its storage, create one complaint, connect
    // (WebSocket + samod handshake), sync until the server confirms it.
    let started = Instant::now();
    let (_on, online) = tokio::sync::watch::channel(true);
    let repo = phone(data, online).await;
    let handle = repo.create(complaint(0)).await.map_err(|_| "repo stopped")?;
    let conn = connect(&repo, url).await?;
    confirm(&[handle], conn).await;
    let secs = started.elapsed().as_secs_f64();
    repo.stop().await;
    Ok(json!({ "secs": secs }))
}

#[tokio::main]
async fn main() {
    let result = match Cli::parse().command {
        Command::Server { listen, data } => server(&listen, &data).await,
        Command::Seed { url, docs, out } => seed(&url, docs, &out).await,
        Command::Pull { url, ids, data } => pull(&url, &ids, &data).await,
        Command::Upload { url, phones, per_phone, concurrency, data, deadline_secs } => {
            upload(&url, phones, per_phone, concurrency, &data, deadline_secs).await
        }
        Command::One { url, data } => one(&url, &data).await,
    };
    match result {
        Ok(v) => {
            println!("{v}");
            // Do not wait for tasks a deadline left running (see `upload`).
            std::process::exit(0);
        }
        Err(e) => {
            eprintln!("samod-peer: {e}");
            std::process::exit(1);
        }
    }
}
