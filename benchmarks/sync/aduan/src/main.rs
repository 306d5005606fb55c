//! Aduan's side of the sync benchmark (benchmarks/sync/PEERS.md): the same subcommands as the
//! peers, driving real stores through core's `AduanStore` against a real `aduan-server`, plus
//! `proxy`, the link the harness measures and shapes every peer's traffic through.

mod complaint;
mod delay_line;
mod proxy;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aduan_core::api::ffi::AduanStore;
use clap::{Parser, Subcommand};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "aduan-sync-bench",
    about = "Aduan's side of the sync benchmark"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates complaints 0..N on one phone and syncs them to the server.
    Seed {
        #[arg(long)]
        url: String,
        #[arg(long)]
        docs: usize,
        /// Unused by Aduan (a fresh phone needs no document ids); written for the harness.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// A fresh phone of the national desk pulls every complaint.
    Pull {
        #[arg(long)]
        url: String,
        #[arg(long)]
        ids: Option<PathBuf>,
        #[arg(long)]
        data: PathBuf,
        /// How many complaints to expect.
        #[arg(long)]
        expect: Option<usize>,
    },
    /// P phones each file K complaints offline, then sync them, at most C at once.
    Upload {
        #[arg(long)]
        url: String,
        #[arg(long)]
        phones: usize,
        #[arg(long)]
        per_phone: usize,
        #[arg(long)]
        concurrency: usize,
        /// Where the phones register first (the harness counts only the syncs' bytes); default --url.
        #[arg(long)]
        register_url: Option<String>,
        #[arg(long)]
        data: PathBuf,
    },
    /// A fresh phone files one complaint and syncs it.
    One {
        /// Where the sync goes (the harness's counting or 2G proxy).
        #[arg(long)]
        url: String,
        /// Where the phone registers first (once per phone, not per complaint); default --url.
        #[arg(long)]
        register_url: Option<String>,
        #[arg(long)]
        data: PathBuf,
    },
    /// The complaints' gzipped JSON, the yardstick for bytes on the wire: complaint 0's, and the
    /// mean of complaints 0 to 9's (each gzipped alone).
    GzipJson,
    /// A TCP relay that counts bytes both ways and can shape the link like 2G.
    Proxy {
        #[arg(long)]
        listen: String,
        #[arg(long)]
        target: String,
        /// One-way delay added to every chunk, in milliseconds.
        #[arg(long, default_value_t = 0)]
        delay_ms: u64,
        /// Link rate in bits per second each way (0: unlimited).
        #[arg(long, default_value_t = 0)]
        rate_bps: u64,
    },
    /// Two TUN devices joined packet by packet with a one-way delay (the 2G step's link; needs
    /// root). Prints "ready" once both exist; runs until killed.
    DelayLine {
        #[arg(long)]
        a: String,
        #[arg(long)]
        b: String,
        /// Delay added to every packet, each way, in milliseconds.
        #[arg(long)]
        delay_ms: u64,
    },
}

fn main() {
    let result = match Cli::parse().command {
        Command::Seed {
            url,
            docs,
            out,
            data,
        } => seed(&url, docs, &out, data),
        Command::Pull {
            url, data, expect, ..
        } => pull(&url, &data, expect),
        Command::Upload {
            url,
            phones,
            per_phone,
            concurrency,
            register_url,
            data,
        } => upload(
            &url,
            register_url.as_deref(),
            phones,
            per_phone,
            concurrency,
            &data,
        ),
        Command::One {
            url,
            register_url,
            data,
        } => one(&url, register_url.as_deref(), &data),
        Command::GzipJson => Ok(json!({
            "bytes": complaint::gzipped_json_len(0),
            "mean_of_ten": (0..10).map(complaint::gzipped_json_len).sum::<usize>() as f64 / 10.0,
        })),
        Command::Proxy {
            listen,
            target,
            delay_ms,
            rate_bps,
        } => proxy::run(&listen, &target, delay_ms, rate_bps),
        Command::DelayLine { a, b, delay_ms } => delay_line::run(&a, &b, delay_ms),
    };
    match result {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("aduan-sync-bench: {e}");
            std::process::exit(1);
        }
    }
}

type Result<T> = std::result::Result<T, String>;

fn open(dir: &Path) -> Result<Arc<AduanStore>> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let store = AduanStore::open(dir.to_string_lossy().into_owned()).map_err(|e| e.to_string())?;
    // The 2G step reaches the server in a network namespace of the benchmark's own, over plain
    // HTTP as the peers do: the developer setting, never a phone's.
    store.allow_insecure_http_for_development(true);
    Ok(store)
}

fn sync(store: &AduanStore) -> Result<()> {
    let report = store.sync(None).map_err(|e| e.to_string())?;
    if report.refused > 0 {
        return Err(format!("{} complaints refused", report.refused));
    }
    // Confirmed: the server accepted every change this phone made.
    let pending = store
        .with_store(|s| s.pending_docs())
        .map_err(|e| e.to_string())?;
    if pending > 0 {
        return Err(format!("{pending} documents still waiting for the server"));
    }
    Ok(())
}

fn seed(url: &str, docs: usize, out: &Path, data: Option<PathBuf>) -> Result<serde_json::Value> {
    let started = Instant::now();
    let tmp = std::env::temp_dir().join(format!("aduan-seed-{}", std::process::id()));
    let dir = data.unwrap_or(tmp);
    let phone = open(&dir)?;
    phone
        .continue_anonymously(url.into())
        .map_err(|e| e.to_string())?;
    for batch in (0..docs).collect::<Vec<_>>().chunks(500) {
        for &i in batch {
            phone
                .create_complaint(complaint::draft(i))
                .map_err(|e| e.to_string())?;
        }
        sync(&phone)?;
    }
    std::fs::write(out, "[]").map_err(|e| e.to_string())?;
    Ok(json!({ "docs": docs, "secs": started.elapsed().as_secs_f64() }))
}

fn pull(url: &str, data: &Path, expect: Option<usize>) -> Result<serde_json::Value> {
    let phone = open(data)?;
    phone
        .login(url.into(), "admin-nasional".into(), "aduan-demo".into())
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    sync(&phone)?;
    let secs = started.elapsed().as_secs_f64();
    let mut held = 0usize;
    loop {
        let page = phone
            .list(aduan_core::api::records::ComplaintFilter {
                limit: 1000,
                offset: held as u32,
                ..Default::default()
            })
            .map_err(|e| e.to_string())?;
        if page.is_empty() {
            break;
        }
        held += page.len();
    }
    if let Some(n) = expect {
        if held != n {
            return Err(format!("pulled {held} complaints, expected {n}"));
        }
    }
    Ok(json!({ "docs": held, "secs": secs }))
}

fn upload(
    url: &str,
    register_url: Option<&str>,
    phones: usize,
    per_phone: usize,
    concurrency: usize,
    data: &Path,
) -> Result<serde_json::Value> {
    // Prepared before the clock: every phone registered (anonymous citizens) with its
    // complaints filed offline.
    let mut ready = Vec::with_capacity(phones);
    for p in 0..phones {
        let phone = open(&data.join(format!("phone-{p}")))?;
        register(&phone, url, register_url)?;
        for k in 0..per_phone {
            phone
                .create_complaint(complaint::draft(p * per_phone + k))
                .map_err(|e| e.to_string())?;
        }
        ready.push(phone);
    }
    let next = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(phones));
    let failures = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(phone) = ready.get(i) else { break };
                let t = Instant::now();
                match sync(phone) {
                    Ok(()) => latencies
                        .lock()
                        .unwrap()
                        .push(t.elapsed().as_secs_f64() * 1000.0),
                    Err(e) => failures.lock().unwrap().push(e),
                }
            });
        }
    });
    let secs = started.elapsed().as_secs_f64();
    let failures = failures.into_inner().unwrap();
    if let Some(e) = failures.first() {
        return Err(format!(
            "{} phones failed to sync, first: {e}",
            failures.len()
        ));
    }
    let mut lat = latencies.into_inner().unwrap();
    lat.sort_by(f64::total_cmp);
    let pct = |q: f64| lat[((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1];
    let complaints = phones * per_phone;
    Ok(json!({
        "complaints": complaints,
        "secs": secs,
        "per_sec": complaints as f64 / secs,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }))
}

/// Registers `phone` as an anonymous citizen at `register_url` (default `url`), then points its
/// syncs at `url`.
fn register(phone: &AduanStore, url: &str, register_url: Option<&str>) -> Result<()> {
    let register = register_url.unwrap_or(url);
    phone
        .continue_anonymously(register.into())
        .map_err(|e| e.to_string())?;
    if register != url {
        phone
            .with_store(|s| {
                let mut session = s.session()?.ok_or(aduan_core::error::Error::NoIdentity)?;
                session.server_url = url.to_string();
                s.save_session(&session)
            })
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn one(url: &str, register_url: Option<&str>, data: &Path) -> Result<serde_json::Value> {
    let phone = open(data)?;
    register(&phone, url, register_url)?;
    phone
        .create_complaint(complaint::draft(0))
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    sync(&phone)?;
    Ok(json!({ "secs": started.elapsed().as_secs_f64() }))
}
