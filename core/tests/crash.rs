//! Power cuts and killed apps: a child process files complaints and reports each one as soon as
//! the store says "saved"; the parent kills it with SIGKILL at a random moment, many times, and
//! after every kill reopens the store and finds every acknowledged complaint whole.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::ComplaintFilter;
use common::*;

const CHILD_ENV: &str = "ADUAN_CRASH_CHILD_STORE";

/// Not a test of its own: the body the child process runs (the parent starts this same test
/// binary with the environment variable set). Without it, it returns at once.
#[test]
fn crash_child_entry() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = AduanStore::open(dir).expect("child opens the store");
    if store.identity().is_none() {
        store.set_identity(citizen()).unwrap();
    }
    let mut i = 0u64;
    loop {
        i += 1;
        let d = store
            .create_complaint(draft(&format!("Laporan {i}")))
            .unwrap();
        // Also grow existing documents, so kills land in appends and compactions too.
        store
            .comment(d.summary.id.clone(), format!("catatan {i}"), vec![])
            .unwrap();
        println!("ACK {} {}", d.summary.id, i);
        if i % 7 == 0 {
            store.compact(20).unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn every_acknowledged_complaint_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let rounds = std::env::var("ADUAN_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25u32);
    let mut acked: Vec<(String, String)> = Vec::new();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..rounds {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_entry",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill after a random number of acknowledgements (0..40) or a random delay.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let kill_after = (seed % 40) as usize;
        let stdout = child.stdout.take().unwrap();
        let first_ack = Arc::new(AtomicBool::new(false));
        let heard = first_ack.clone();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("ACK ") {
                    heard.store(true, Ordering::SeqCst);
                    let mut parts = rest.split(' ');
                    lines.push((
                        parts.next().unwrap().to_string(),
                        parts.next().unwrap().to_string(),
                    ));
                }
            }
            lines
        });
        // Most rounds let the child start writing first (opening the store takes a slow
        // machine a few hundred milliseconds); the rest kill it while it opens.
        if kill_after > 0 {
            let started = Instant::now();
            while !first_ack.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        let deadline = Instant::now() + Duration::from_millis(50 + seed % 400);
        // Watch the store grow from outside rather than through the pipe, then kill.
        let mut seen = 0;
        while Instant::now() < deadline && seen < kill_after {
            std::thread::sleep(Duration::from_millis(5));
            seen += 1;
        }
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        let got = reader.join().unwrap();
        acked.extend(got);

        let store = AduanStore::open(dir.path().to_string_lossy().into_owned())
            .unwrap_or_else(|e| panic!("round {round}: store does not open: {e}"));
        for (id, n) in &acked {
            let d = store
                .get(id.clone())
                .unwrap_or_else(|e| panic!("round {round}: acknowledged {id} lost: {e}"));
            assert_eq!(d.summary.title, format!("Laporan {n}"));
            assert_eq!(d.timeline.len(), 1, "round {round}: comment of {id} lost");
        }
        let listed = store
            .list(ComplaintFilter {
                limit: 1000,
                ..Default::default()
            })
            .unwrap();
        let indexed = listed.len() as u64;
        assert!(
            indexed >= acked.len() as u64,
            "round {round}: {indexed} indexed, {} acknowledged",
            acked.len()
        );
        assert!(listed.iter().all(|r| !r.damaged));
        drop(store);
    }
    assert!(
        !acked.is_empty(),
        "the child acknowledged nothing: the test tested nothing"
    );
    let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    let check = store.check().unwrap();
    assert!(check.database_ok && check.damaged.is_empty(), "{check:?}");
}
