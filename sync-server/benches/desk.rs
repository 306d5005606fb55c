//! The web desk's pages over many complaints (issue 15: the inbox, a complaint's page and the
//! figures, server side; goal under 200 ms a page at 100,000 complaints on PostgreSQL).
//!
//! Seeds `ADUAN_BENCH_N` complaints (default 10,000; none when the database already holds that
//! many from an earlier run) through the desk's own filing path
//! (`services::desk::file`, the admission every filing takes), split between Makassar's and
//! Samarinda's call centres over their villages and the bundled categories, then times each
//! page through the router the server runs (`oneshot`: routing, session, storage, replay,
//! rendering), the median of 5. On PostgreSQL when `ADUAN_BENCH_POSTGRES_URL` is set (an empty
//! database: the bench fills it), else the embedded SQLite in a temporary folder.
//!
//! `scripts/bench-desk.sh` runs it (and prints the table BENCHMARKS.md keeps).

use std::sync::Arc;
use std::time::{Duration, Instant};

use aduan_core::catalog::{Areas, CategoryTree, Directory};
use aduan_core::model::channel::Channel;
use aduan_core::model::report::NewReport;
use aduan_core::types::{Location, ReportKind, Role};
use aduan_core::workflow::Deadlines;
use aduan_server::http::{router, AppState};
use aduan_server::services::desk;
use aduan_server::services::limits::LoginLimiter;
use aduan_server::services::live::Live;
use aduan_server::services::quotas::{Meter, Quotas};
use aduan_server::services::sessions::{self, PasswordChecks};
use aduan_server::services::sync::Context;
use aduan_server::state::Metrics;
use aduan_server::storage::{Account, Db, FsPhotoStore};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

fn account(id: &str, role: Role, institution: Option<&str>) -> Account {
    Account {
        id: id.into(),
        display_name: id.into(),
        role,
        institution_id: institution.map(str::to_string),
        unit_id: None,
        disabled: false,
        area: None,
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Fills the store: `n` complaints typed by two institutions' operators, spread over their
/// villages and the categories, filed over the last year.
fn seed(state: &AppState, n: usize) -> Duration {
    let areas = Areas::bundled_slice(&state.directory.area_scope()).unwrap();
    let categories = CategoryTree::bundled();
    let leaves: Vec<String> = categories
        .all()
        .iter()
        .filter(|c| categories.children(&c.id).is_empty())
        .map(|c| c.id.clone())
        .collect();
    let places: Vec<(Account, Vec<Location>)> =
        [("kota-makassar", "73.71"), ("kota-samarinda", "64.72")]
            .iter()
            .map(|(institution, city)| {
                let operator = account(
                    &format!("operator-{institution}"),
                    Role::Officer,
                    Some(institution),
                );
                state.db.create_account(&operator, None).unwrap();
                let villages = areas
                    .all()
                    .iter()
                    .filter(|a| a.is_kelurahan() && a.code.starts_with(city))
                    .map(|v| {
                        let path = areas.path(&v.code);
                        Location {
                            province: path[0].name.clone(),
                            city: path[1].name.clone(),
                            kecamatan: path[2].name.clone(),
                            kelurahan: path[3].name.clone(),
                            area: v.code.clone(),
                            ..Location::default()
                        }
                    })
                    .collect();
                (operator, villages)
            })
            .collect();
    let start = Instant::now();
    let year = 365 * 86_400_000i64;
    let now = now_ms();
    for i in 0..n {
        // Two in three in Makassar.
        let (operator, villages) = &places[usize::from(i % 3 == 2)];
        let ctx = Context {
            account: operator,
            device_id: "bench-desk",
            now_ms: now - year + (i as i64 * year) / n.max(1) as i64,
            deadlines: &state.deadlines,
            quotas: None,
        };
        let new = NewReport {
            kind: ReportKind::Complaint,
            category: leaves[i * 7 % leaves.len()].clone(),
            title: format!("Laporan nomor {i}: saluran tersumbat dan jalan berlubang"),
            description: format!(
                "Warga melaporkan masalah ke-{i} di lingkungannya sejak pekan lalu."
            ),
            location: villages[i * 13 % villages.len()].clone(),
            anonymous: false,
            confidential: i % 10 == 0,
            photos: vec![],
            channel: Channel::CallCentre,
        };
        desk::file(&state.db, &state.live, &ctx, &categories, new, true, None).unwrap();
    }
    start.elapsed()
}

async fn get(state: &AppState, token: &str, uri: &str) -> (Duration, usize) {
    let start = Instant::now();
    let response = router(state.clone())
        .oneshot(
            Request::get(uri)
                .header(header::COOKIE, format!("aduan_desk={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (start.elapsed(), body.len())
}

async fn median(state: &AppState, token: &str, uri: &str) -> (f64, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let (t, b) = get(state, token, uri).await;
        times.push(t.as_secs_f64() * 1000.0);
        bytes = b;
    }
    times.sort_by(f64::total_cmp);
    (times[2], bytes)
}

fn main() {
    let n: usize = std::env::var("ADUAN_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let (db, backend) = match std::env::var("ADUAN_BENCH_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => (Db::open_postgres(&url, 8).unwrap(), "PostgreSQL"),
        _ => (Db::open(dir.path()).unwrap(), "SQLite"),
    };
    let directory = Directory::bundled_sample();
    let deadlines = Deadlines::default().with_directory(&directory);
    let state = AppState {
        db: db.clone(),
        directory: Arc::new(directory),
        deadlines: Arc::new(deadlines),
        metrics: Arc::new(Metrics::default()),
        photos: Arc::new(FsPhotoStore::new(dir.path().join("photos")).unwrap()),
        live: Live::new(),
        login_limiter: Arc::new(LoginLimiter::new(db.clone())),
        password_checks: Arc::new(PasswordChecks::new(1)),
        trusted_proxies: Arc::new(Vec::new()),
        meter: Arc::new(Meter::new(db.clone(), Quotas::default())),
        tls: false,
        map: Default::default(),
    };
    // A database seeded by an earlier run with the same N is measured again as it is (keep a
    // private PostgreSQL running and pass its URL: 100,000 filings take a quarter of an hour).
    let stored = db
        .run(|sql| sql.query_opt("SELECT COUNT(*) FROM complaints", &[]))
        .unwrap()
        .map_or(0, |r| r.int(0).unwrap());
    let seeding = match stored {
        0 => Some(seed(&state, n)),
        s if s == n as i64 => None,
        s => panic!("the database holds {s} complaints: give an empty one, or one seeded with ADUAN_BENCH_N={s}"),
    };
    let viewers = [
        account("admin-nasional", Role::NationalAdmin, None),
        account(
            "admin-makassar",
            Role::InstitutionAdmin,
            Some("kota-makassar"),
        ),
    ];
    let newest = db
        .run(|sql| {
            sql.query_opt(
                "SELECT id FROM complaints WHERE institution_id = 'kota-makassar' ORDER BY id LIMIT 1",
                &[],
            )
        })
        .unwrap()
        .unwrap()
        .text(0)
        .unwrap();
    match seeding {
        Some(took) => println!(
            "Desk pages over {n} complaints on {backend} (seeded in {:.0} s, {:.1} ms a filing); server side, median of 5:\n",
            took.as_secs_f64(),
            took.as_secs_f64() * 1000.0 / n.max(1) as f64
        ),
        None => println!(
            "Desk pages over {n} complaints on {backend} (seeded by an earlier run); server side, median of 5:\n"
        ),
    }
    println!("| page | viewer | ms | HTML bytes |\n|---|---|---:|---:|");
    // The database's own client blocks: everything but the requests runs outside the runtime.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let category = db
        .run(|sql| sql.query_opt("SELECT category FROM complaints ORDER BY id LIMIT 1", &[]))
        .unwrap()
        .unwrap()
        .text(0)
        .unwrap();
    for viewer in &viewers {
        if db.account(&viewer.id).unwrap().is_none() {
            db.create_account(viewer, None).unwrap();
        }
        let token = sessions::issue(&db, viewer, &format!("web-bench-{}", viewer.id))
            .unwrap()
            .access_token;
        for (name, uri) in [
            ("inbox", "/desk".to_string()),
            (
                "inbox, searched",
                "/desk?scope=all&q=berlubang+99".to_string(),
            ),
            (
                "inbox, one category still open",
                format!("/desk?scope=open&category={category}"),
            ),
            (
                "inbox, all still open, page 5",
                "/desk?scope=open&page=5".to_string(),
            ),
            (
                "complaint (with merge suggestions)",
                format!("/desk/complaints/{newest}"),
            ),
            (
                "figures, the year by institution",
                "/desk/figures?by=institution".to_string(),
            ),
        ] {
            let (ms, bytes) = runtime.block_on(median(&state, &token, &uri));
            println!("| {name} | {} | {ms:.0} | {bytes} |", viewer.id);
        }
    }
}
