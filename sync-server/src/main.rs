//! `aduan-server`: serve phones (the default), or manage accounts from the machine it runs on.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use aduan_core::catalog::Directory;
use aduan_core::types::Role;
use aduan_core::workflow::{calendar::WorkingCalendar, Deadlines};
use aduan_server::config::FileConfig;
use aduan_server::services::accounts::{self, NewAccount};
use aduan_server::services::mail::Mailer;
use aduan_server::services::{limits, live, notifications, quotas, sessions};
use aduan_server::state::{AppState, Metrics};
use aduan_server::storage::{Db, FsPhotoStore};
use aduan_server::{demo, http};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "aduan-server",
    version,
    about = "Aduan's sync server (embedded SQLite by default)"
)]
struct Cli {
    /// A TOML file with listen, data_dir, database_url, database_pool, photos_dir, seed_demo,
    /// trusted_proxies, password_checks, utc_offset_hours, extra_holidays, directory, tls_cert,
    /// tls_key, metrics_token, quotas, smtp, sms, map_tiles, map_attribution.
    #[arg(long, env = "ADUAN_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// The data folder of the embedded database (and of photos by default).
    #[arg(long, env = "ADUAN_DATA", global = true)]
    data: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://user:password@host:port/db) instead of the embedded
    /// database; several instances may share it. TLS as libpq: ?sslmode=verify-full
    /// (&sslrootcert=CA.pem for a private CA), require, prefer (the default) or disable.
    #[arg(long, env = "ADUAN_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// The photo folder (default DATA/photos); instances sharing a database share it too.
    #[arg(long, env = "ADUAN_PHOTOS", global = true)]
    photos: Option<PathBuf>,
    #[command(flatten)]
    smtp: aduan_server::services::mail::SmtpArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve phones (the default).
    Serve {
        #[arg(long, env = "ADUAN_LISTEN")]
        listen: Option<SocketAddr>,
        /// Create a demo account for each role on an empty server, with the published password
        /// aduan-demo: for trying Aduan out, never on a server people use (off by default).
        #[arg(long, alias = "seed-demo", env = "ADUAN_DEMO", num_args = 0..=1, default_missing_value = "true")]
        demo: Option<bool>,
        /// A proxy (address or CIDR range) whose X-Forwarded-For / Forwarded headers name the
        /// client; repeatable. Without one, those headers are ignored.
        #[arg(
            long = "trusted-proxy",
            env = "ADUAN_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<aduan_server::config::Cidr>,
        /// Password hashes computed at once (default: one per core); sign-ins beyond wait.
        #[arg(long, env = "ADUAN_PASSWORD_CHECKS", value_parser = clap::value_parser!(u16).range(1..))]
        password_checks: Option<u16>,
        /// The operator's token for /metrics and /health/detail (Authorization: Bearer);
        /// without one they are off. Prefer the environment or the config file: a flag shows
        /// in the process list.
        #[arg(long, env = "ADUAN_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
        #[arg(long, env = "ADUAN_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, env = "ADUAN_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        #[command(flatten)]
        quotas: quotas::QuotaArgs,
        #[command(flatten)]
        sms: aduan_server::services::sms::SmsArgs,
        #[command(flatten)]
        map: aduan_server::config::MapArgs,
    },
    /// Forget unfinished photo uploads and photos no complaint shows, past their ages (the
    /// server also does this every ten minutes).
    Sweep {
        #[command(flatten)]
        quotas: quotas::QuotaArgs,
    },
    /// Make the day's summaries for administrators and deliver the notifications that wait
    /// (the server also does this every 30 seconds).
    Notify {
        /// Retry every waiting delivery now, whatever its backoff (after the mail server is
        /// fixed).
        #[arg(long)]
        flush: bool,
    },
    /// Add an account.
    AccountAdd {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = Role::parse_arg)]
        role: Role,
        #[arg(long)]
        institution: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        /// Read from ADUAN_PASSWORD if not given.
        #[arg(long, env = "ADUAN_PASSWORD")]
        password: String,
        /// A field cadre's kelurahan, as its Kemendagri code (73.71.10.1005).
        #[arg(long)]
        area: Option<String>,
    },
    /// Disable an account: its tokens stop working at once, its phones lose access at the next sync.
    AccountDisable { id: String },
    /// Issue an Open311 API key for another system; prints the key once (only its hash is kept).
    Open311KeyAdd {
        /// The other system's name, kept with every complaint it files.
        #[arg(long)]
        system: String,
        /// bridged (default), sms, call_centre or desk.
        #[arg(long)]
        channel: Option<String>,
        /// An institution whose own door this is: its complaints go straight to it.
        #[arg(long)]
        institution: Option<String>,
        /// Uses an hour (default 600).
        #[arg(long)]
        per_hour: Option<i64>,
    },
    /// Revoke an Open311 API key at once.
    Open311KeyRevoke { id: String },
    /// List Open311 API keys (never the keys themselves).
    Open311Keys,
    /// Import another system's export (a JSON array or CSV in the bridging shape, see
    /// services/bridge.rs); records already imported are skipped.
    BridgeImport {
        file: PathBuf,
        /// json or csv (default: by the file's extension).
        #[arg(long)]
        format: Option<String>,
    },
    /// Export the complaints an account may see, with personal data only where it may know
    /// it, to standard output.
    BridgeExport {
        /// The account whose view is exported.
        #[arg(long = "as")]
        account: String,
        /// json (default), csv or geojson.
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        institution: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        system: Option<String>,
    },
    /// Move an officer to another institution or unit.
    AccountMove {
        id: String,
        #[arg(long)]
        institution: Option<String>,
        #[arg(long)]
        unit: Option<String>,
    },
    /// Set a field cadre's kelurahan (its Kemendagri code), or clear it when none is given.
    AccountArea { id: String, area: Option<String> },
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("aduan-server: {message}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let file = match &cli.config {
        Some(path) => match FileConfig::load(path) {
            Ok(c) => c,
            Err(e) => return fail(e),
        },
        None => FileConfig::default(),
    };
    let data = cli
        .data
        .or(file.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from("./aduan-data"));
    let directory = match &file.directory {
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                Directory::from_json(&t)
                    .and_then(Directory::with_national_bodies)
                    .map_err(|e| e.to_string())
            }) {
            Ok(d) => d,
            Err(e) => return fail(format!("{}: {e}", path.display())),
        },
        None => Directory::bundled_sample(),
    };
    let mut calendar = WorkingCalendar::indonesia();
    if let Some(path) = &file.extra_holidays {
        if let Err(e) = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| calendar.extend_from_csv(&t).map_err(|e| e.to_string()))
        {
            return fail(format!("{}: {e}", path.display()));
        }
    }
    let deadlines = Deadlines::with_offset_hours(calendar, file.utc_offset_hours.unwrap_or(7))
        .with_directory(&directory);
    let db = match cli.database_url.or(file.database_url.clone()) {
        Some(url) => match Db::open_postgres(&url, file.database_pool.unwrap_or(8)) {
            Ok(db) => db,
            // The URL is not echoed: it may hold a password.
            Err(e) => {
                return fail(format!(
                    "cannot open the PostgreSQL database: {}",
                    e.cause()
                ))
            }
        },
        None => match Db::open(&data) {
            Ok(db) => db,
            Err(e) => return fail(format!("cannot open {}: {}", data.display(), e.cause())),
        },
    };
    let channels = match Mailer::from_args(&cli.smtp.clone().or(&file.smtp)) {
        Ok(mailer) => mailer
            .map(|m| Arc::new(m) as Arc<dyn notifications::Channel>)
            .into_iter()
            .collect::<Vec<_>>(),
        Err(e) => return fail(e),
    };
    let photo_dir = cli
        .photos
        .or(file.photos_dir.clone())
        .unwrap_or_else(|| data.join("photos"));
    match cli.command.unwrap_or(Command::Serve {
        listen: None,
        demo: None,
        trusted_proxies: Vec::new(),
        password_checks: None,
        metrics_token: None,
        quotas: Default::default(),
        tls_cert: None,
        tls_key: None,
        sms: Default::default(),
        map: Default::default(),
    }) {
        Command::Serve {
            listen,
            demo,
            mut trusted_proxies,
            password_checks,
            metrics_token,
            quotas,
            tls_cert,
            tls_key,
            sms,
            map,
        } => {
            let map = match map.config(&file) {
                Ok(m) => m,
                Err(e) => return fail(e),
            };
            let metrics_token = metrics_token.or(file.metrics_token.clone());
            if metrics_token.as_ref().is_some_and(|t| t.trim().len() < 16) {
                return fail("the metrics token needs at least 16 characters");
            }
            for range in file.trusted_proxies.iter().flatten() {
                match range.parse() {
                    Ok(r) => trusted_proxies.push(r),
                    Err(e) => return fail(e),
                }
            }
            let tls = match (
                tls_cert.or(file.tls_cert.clone()),
                tls_key.or(file.tls_key.clone()),
            ) {
                (Some(cert), Some(key)) => match aduan_server::tls::server_config(&cert, &key) {
                    Ok(c) => Some(c),
                    Err(e) => return fail(format!("TLS: {e}")),
                },
                (None, None) => None,
                _ => return fail("TLS needs both a certificate (tls_cert) and its key (tls_key)"),
            };
            let sms = match sms.config(&file.sms, &data, file.utc_offset_hours.unwrap_or(7)) {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            if sms.as_ref().is_some_and(|s| s.server_url.is_none()) && tls.is_some() {
                return fail("with TLS the SMS desk needs the server's address (--sms-server-url)");
            }
            let listen = listen
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8787".parse().expect("valid address"));
            if demo.or(file.seed_demo).unwrap_or(false) {
                match demo::seed(&db, &directory) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(
                        accounts = n,
                        password = demo::DEMO_PASSWORD,
                        "demo accounts created"
                    ),
                    Err(e) => return fail(e.cause()),
                }
            }
            match aduan_server::services::public::backfill(&db) {
                Ok(0) => {}
                Ok(n) => tracing::info!(complaints = n, "public index made for earlier complaints"),
                Err(e) => return fail(e.cause()),
            }
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            match aduan_server::services::desk::backfill_queue(&db, &deadlines, now) {
                Ok(0) => {}
                Ok(n) => tracing::info!(complaints = n, "queue order made for earlier complaints"),
                Err(e) => return fail(e.cause()),
            }
            match aduan_server::services::figures::backfill(&db, &deadlines, now) {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    complaints = n,
                    "figures summary made for earlier complaints"
                ),
                Err(e) => return fail(e.cause()),
            }
            let quotas = quotas.quotas(&file.quotas, vec![data.clone(), photo_dir.clone()]);
            let photos = match FsPhotoStore::new(photo_dir) {
                Ok(p) => Arc::new(p),
                Err(e) => return fail(format!("photo folder: {e}")),
            };
            let live = live::Live::new();
            db.relay_live_updates(&live);
            let state = AppState {
                live,
                login_limiter: Arc::new(limits::LoginLimiter::new(db.clone())),
                trusted_proxies: Arc::new(trusted_proxies),
                password_checks: Arc::new(match password_checks.or(file.password_checks) {
                    Some(n) => sessions::PasswordChecks::new(usize::from(n)),
                    None => sessions::PasswordChecks::per_core(),
                }),
                meter: Arc::new(quotas::Meter::new(db.clone(), quotas)),
                photos,
                db,
                directory: Arc::new(directory),
                deadlines: Arc::new(deadlines),
                metrics: Arc::new(Metrics::for_operator(
                    metrics_token.as_deref().map(str::trim),
                )),
                tls: tls.is_some(),
                map: Arc::new(map),
            };
            serve(state, listen, tls, channels, sms)
        }
        Command::Sweep { quotas } => {
            let quotas = quotas.quotas(&file.quotas, vec![]);
            let photos = match FsPhotoStore::new(photo_dir) {
                Ok(p) => p,
                Err(e) => return fail(format!("photo folder: {e}")),
            };
            let now = aduan_server::storage::now_secs() * 1000;
            let swept = quotas::sweep(&db, &photos, &quotas).and_then(|s| {
                let steps = aduan_server::services::escalations::sweep(&db, now, &deadlines)?;
                Ok((s, steps))
            });
            match swept {
                Ok((s, steps)) => {
                    println!(
                        "removed {} unfinished uploads, {} photos no complaint shows; wrote {steps} escalation steps",
                        s.unfinished_uploads, s.unreferenced_photos
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.cause()),
            }
        }
        Command::Notify { flush } => {
            let now = aduan_server::storage::now_ms();
            match notifications::run_once(&db, &channels, &deadlines, now, flush) {
                Ok((summaries, d)) => {
                    println!(
                        "made {summaries} daily summaries; sent {}, retrying {}, given up {}",
                        d.sent, d.retrying, d.given_up
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.cause()),
            }
        }
        Command::AccountAdd {
            id,
            name,
            role,
            institution,
            unit,
            password,
            area,
        } => {
            let new = NewAccount {
                id,
                display_name: name,
                role,
                institution_id: institution,
                unit_id: unit,
                password,
                area,
            };
            let id = new.id.clone();
            let result = accounts::validate_account(&directory, &new).and_then(|()| {
                let hash = sessions::hash_password(&new.password)?;
                accounts::create(&db, new, &hash, None)
            });
            match result {
                Ok(()) => {
                    println!("account {id} created");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.cause()),
            }
        }
        Command::Open311KeyAdd {
            system,
            channel,
            institution,
            per_hour,
        } => {
            let new = aduan_server::services::open311::NewKey {
                system,
                channel,
                institution_id: institution,
                per_hour,
            };
            let now = aduan_server::storage::now_secs() * 1000;
            match aduan_server::services::open311::issue(&db, &directory, &new, None, now) {
                Ok(k) => {
                    println!("key {} for account {}: {}", k.id, k.account_id, k.key);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.cause()),
            }
        }
        Command::Open311KeyRevoke { id } => {
            let now = aduan_server::storage::now_secs() * 1000;
            match aduan_server::services::open311::revoke(&db, &id, None, now) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => fail(format!("no unrevoked key {id}")),
                Err(e) => fail(e.cause()),
            }
        }
        Command::Open311Keys => match aduan_server::services::open311::keys(&db) {
            Ok(keys) => {
                for k in keys {
                    let state = if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!(
                        "{} {} {} {} {}/h {state}",
                        k.id, k.system, k.channel, k.account_id, k.per_hour
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(e.cause()),
        },
        Command::BridgeImport { file: path, format } => {
            use aduan_server::services::bridge;
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => return fail(format!("{}: {e}", path.display())),
            };
            let csv = match format.as_deref() {
                Some("csv") => true,
                Some("json") => false,
                Some(other) => return fail(format!("format {other}: use json or csv")),
                None => path.extension().is_some_and(|e| e == "csv"),
            };
            let records = if csv {
                match String::from_utf8(bytes) {
                    Ok(t) => bridge::from_csv(&t),
                    Err(_) => return fail("the CSV is not UTF-8"),
                }
            } else {
                bridge::from_json(&bytes)
            };
            let live = live::Live::new();
            let filing = aduan_server::services::open311::Filing {
                db: &db,
                live: &live,
                deadlines: &deadlines,
                // The operator's own bulk import: no daily quota.
                meter: None,
                address: None,
                now_ms: aduan_server::storage::now_secs() * 1000,
            };
            match records.and_then(|r| bridge::import(&filing, &r)) {
                Ok(done) => {
                    println!(
                        "{} created, {} already imported, {} refused",
                        done.created,
                        done.skipped,
                        done.failed.len()
                    );
                    for (n, code) in done.failed {
                        println!("record {n}: {code}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.cause()),
            }
        }
        Command::BridgeExport {
            account,
            format,
            status,
            institution,
            category,
            area,
            system,
        } => {
            use aduan_server::services::bridge;
            let exporter = match db.account(&account) {
                Ok(Some(a)) => a,
                Ok(None) => return fail(format!("no account {account}")),
                Err(e) => return fail(e.cause()),
            };
            let selection = bridge::Selection {
                status,
                institution,
                category,
                area,
                system,
            };
            let records = match bridge::export(&db, &exporter, &selection) {
                Ok(r) => r,
                Err(e) => return fail(e.cause()),
            };
            match format.as_str() {
                "json" => println!(
                    "{}",
                    serde_json::to_string_pretty(&records).unwrap_or_default()
                ),
                "csv" => print!("{}", bridge::to_csv(&records)),
                "geojson" => println!("{}", bridge::to_geojson(&records)),
                other => return fail(format!("format {other}: use json, csv or geojson")),
            }
            ExitCode::SUCCESS
        }
        Command::AccountDisable { id } => match accounts::disable(&db, &id, None) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => fail(format!("no account {id}")),
            Err(e) => fail(e.cause()),
        },
        Command::AccountMove {
            id,
            institution,
            unit,
        } => {
            if let Some(i) = &institution {
                if directory.institution(i).is_none() {
                    return fail(format!("no institution {i} in the directory"));
                }
            }
            match accounts::move_to(&db, &id, institution.as_deref(), unit.as_deref(), None) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => fail(format!("no account {id}")),
                Err(e) => fail(e.cause()),
            }
        }
        Command::AccountArea { id, area } => {
            match accounts::set_area(&db, &directory, None, &id, area.as_deref()) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => fail(format!("no account {id}")),
                Err(e) => fail(e.cause()),
            }
        }
    }
}

fn serve(
    state: AppState,
    listen: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    channels: Vec<Arc<dyn notifications::Channel>>,
    sms: Option<aduan_server::services::sms::SmsConfig>,
) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    runtime.block_on(async move {
        quotas::spawn_sweeper(
            state.db.clone(),
            state.photos.clone(),
            state.meter.quotas.clone(),
        );
        aduan_server::services::escalations::spawn_sweeper(
            state.db.clone(),
            state.deadlines.clone(),
        );
        notifications::spawn_deliverer(state.db.clone(), channels);
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(l) => l,
            Err(e) => return fail(format!("cannot listen on {listen}: {e}")),
        };
        let local = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        // The first line on stdout says where it listens (tests start it on port 0).
        let scheme = if tls.is_some() { "https" } else { "http" };
        println!("aduan-server listening on {scheme}://{local}");
        tracing::info!(address = %local, "listening");
        if let Some(sms) = sms {
            // The desk reaches this server on loopback, whatever address it listens on.
            let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
            aduan_server::services::sms::spawn(
                sms,
                state.directory.clone(),
                format!("http://127.0.0.1:{port}"),
            );
        }
        let shutdown = async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            #[cfg(unix)]
            let term = async move {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            #[cfg(not(unix))]
            let term = std::future::pending::<()>();
            tokio::select! { _ = ctrl_c => {}, _ = term => {} }
            tracing::info!("shutting down: finishing requests in flight");
        };
        let result = match tls {
            Some(config) => {
                aduan_server::tls::serve(listener, config, http::router(state), shutdown).await
            }
            None => {
                let service =
                    http::router(state).into_make_service_with_connect_info::<SocketAddr>();
                axum::serve(listener, service)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        }
    })
}
