//! The samod peer of Aduan's sync benchmark: the same subcommands and the same complaint as
//! every peer (benchmarks/sync/PEERS.md), with samod (the Rust automerge-repo): its axum
//! WebSocket server integration for `server`, WebSocket-dialing repos with filesystem storage
//! for the phones.
//!
//! "Confirmed by the server" is samod's `DocHandle::they_have_our_changes(connection)`: the
//! server's last sync message said it has every head this phone has.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ROOT};
use clap::{Parser, Subcommand};
use futures::stream::{self, StreamExt};
use samod::storage::TokioFilesystemStorage as FilesystemStorage;
use samod::{BackoffConfig, ConnectionId, DocHandle, DocumentId, Repo, ShareConfig};
use serde_json::json;

const DESCRIPTION: &str = "Saluran air di depan rumah warga tersumbat sampah plastik dan lumpur sejak dua minggu. Setiap hujan deras air meluap ke jalan dan masuk ke halaman rumah. Warga sudah membersihkan sebagian, tetapi sumbatan ada di bawah jembatan kecil dan perlu alat berat. Mohon segera ditangani sebelum musim hujan puncak.";

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
    },
    One {
        #[arg(long)]
        url: String,
        #[arg(long)]
        data: PathBuf,
    },
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
    text(&mut doc, "title", &format!("Saluran tersumbat di Jalan Nomor {i}"));
    text(&mut doc, "description", &format!("{DESCRIPTION} (#{i})"));
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
    std::fs::create_dir_all(data).expect("phone data folder");
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
    stream::iter(handles.iter().map(|h| h.they_have_our_changes(conn)))
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
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())?;
    repo.stop().await;
    Ok(json!({}))
}

async fn seed(url: &str, docs: usize, out: &Path) -> Result<serde_json::Value, String> {
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("samod-seed-{}", std::process::id()));
    let (_on, online) = tokio::sync::watch::channel(true);
    let repo = phone(&dir, online).await;
    let conn = connect(&repo, url).await?;
    let mut ids = Vec::with_capacity(docs);
    for batch in (0..docs).collect::<Vec<_>>().chunks(500) {
        let mut handles = Vec::new();
        for &i in batch {
            let h = repo.create(complaint(i)).await.map_err(|_| "repo stopped")?;
            ids.push(h.document_id().to_string());
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
    .map_err(|e| e.to_string())?;
    let ids: Vec<DocumentId> = ids
        .iter()
        .map(|s| s.parse().map_err(|_| format!("bad document id {s}")))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let (_on, online) = tokio::sync::watch::channel(true);
    let repo = phone(data, online).await;
    connect(&repo, url).await?;
    let found: Vec<Result<bool, String>> = stream::iter(ids.iter().cloned().map(|id| {
        let repo = repo.clone();
        async move {
            let handle = repo
                .find(id.clone())
                .await
                .map_err(|_| "repo stopped".to_string())?
                .ok_or_else(|| format!("{id} not found"))?;
            Ok(handle.with_document(|d| d.get(ROOT, "title").ok().flatten().is_some()))
        }
    }))
    .buffer_unordered(256)
    .collect()
    .await;
    let mut docs = 0;
    for f in found {
        if !f? {
            return Err("a document arrived without its title".into());
        }
        docs += 1;
    }
    // Stopping flushes storage: every document is on disk when the clock stops.
    repo.stop().await;
    Ok(json!({ "docs": docs, "secs": started.elapsed().as_secs_f64() }))
}

async fn upload(
    url: &str,
    phones: usize,
    per_phone: usize,
    concurrency: usize,
    data: &Path,
) -> Result<serde_json::Value, String> {
    // Prepared before the clock: every phone with its complaints made offline and its
    // connection open, sharing nothing yet.
    let mut ready = Vec::with_capacity(phones);
    for p in 0..phones {
        let (on, online) = tokio::sync::watch::channel(false);
        let repo = phone(&data.join(format!("phone-{p}")), online).await;
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
    let started = Instant::now();
    let mut latencies: Vec<f64> = stream::iter(0..phones)
        .map(|i| {
            let ready = ready.clone();
            async move {
                let (_, on, handles, conn) = &ready[i];
                let t = Instant::now();
                let _ = on.send(true);
                confirm(handles, *conn).await;
                t.elapsed().as_secs_f64() * 1000.0
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    for (repo, _, _, _) in ready.iter() {
        repo.stop().await;
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    let complaints = phones * per_phone;
    Ok(json!({
        "complaints": complaints,
        "secs": secs,
        "per_sec": complaints as f64 / secs,
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
    }))
}

async fn one(url: &str, data: &Path) -> Result<serde_json::Value, String> {
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
        Command::Upload { url, phones, per_phone, concurrency, data } => {
            upload(&url, phones, per_phone, concurrency, &data).await
        }
        Command::One { url, data } => one(&url, &data).await,
    };
    match result {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("samod-peer: {e}");
            std::process::exit(1);
        }
    }
}
