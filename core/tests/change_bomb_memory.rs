//! A phone given change bombs refuses them without the memory they would take: one test in a
//! process of its own, so the peak it reads is its own.

#[path = "common/bombs.rs"]
mod bombs;

use aduan_core::model::{doc_id, DocKind};
use std::sync::atomic::AtomicBool;

use aduan_core::store::Store;
use aduan_core::sync::client::{sync, Session};
use aduan_core::types::{Identity, Role};

const COMPLAINT: &str = "0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11";

/// This process's peak resident memory so far (Linux's VmHWM), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_phone_refuses_change_bombs_with_bounded_memory() {
    // Built first (building them takes memory of its own).
    let inflating = bombs::inflating();
    let long_message = bombs::long_message();
    let many_ops = bombs::many_ops(1_000_000);
    let mut all = inflating.clone();
    all.extend_from_slice(&many_ops);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let doc = doc_id(COMPLAINT, DocKind::Report);
    // The peak so far is the building's: start counting afresh.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = peak_kib();
    for bomb in [&inflating, &long_message, &many_ops, &all] {
        assert!(store.apply_remote(&doc, bomb).is_err());
    }
    let peak = peak_kib();
    eprintln!("peak {peak} KiB, {before} KiB before the bombs");
    assert!(
        peak < before + 32 * 1024,
        "peak {peak} KiB, {before} KiB before the bombs"
    );

    // A server that answers a sync with 256 MiB: the phone reads no more than any answer may be.
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.local_addr().unwrap());
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in server.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = [0u8; 65536];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 268435456\r\nContent-Type: application/octet-stream\r\n\r\n",
            );
            let zeros = vec![0u8; 65536];
            for _ in 0..4096 {
                if stream.write_all(&zeros).is_err() {
                    break;
                }
            }
        }
    });
    store
        .save_session(&Session {
            server_url: url,
            access_token: "t".into(),
            refresh_token: "r".into(),
            access_expires_at: i64::MAX,
            device_id: "hp".into(),
            identity: Identity {
                account_id: "warga".into(),
                display_name: "Warga".into(),
                role: Role::Citizen,
                institution_id: None,
                unit_id: None,
                area: None,
            },
        })
        .unwrap();
    let store = std::sync::Mutex::new(store);
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = peak_kib();
    let e = sync(&store, &AtomicBool::new(false), false, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("response_too_large"), "{e}");
    let peak = peak_kib();
    eprintln!("peak {peak} KiB, {before} KiB before a 256 MiB answer");
    assert!(
        peak < before + 64 * 1024,
        "peak {peak} KiB, {before} KiB before a 256 MiB answer"
    );
}
