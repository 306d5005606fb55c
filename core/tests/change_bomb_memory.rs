//! A phone given change bombs refuses them without the memory they would take: one test in a
//! process of its own, so the peak it reads is its own.

#[path = "common/bombs.rs"]
mod bombs;

use aduan_core::model::{doc_id, DocKind};
use aduan_core::store::Store;

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
}
