//! The server's decoding of a sync request, its size limits and authority checks on whatever
//! changes the request carries, and the phone's limits on what it downloads: no input may
//! panic, and the limits never count less than automerge does. Run with `cargo +nightly fuzz run
//! sync_request` in this folder (see README).
#![no_main]

use aduan_core::model::parse_doc_id;
use aduan_core::sync::authority::{admit, check_doc_size, decode_new, Uploader};
use aduan_core::sync::bounds::{self, MAX_CHANGE_OPS, MAX_DOC_OPS};
use aduan_core::sync::protocol::decode_request;
use aduan_core::types::Role;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // automerge 0.12 panics on some changes that decode but make no sense (op_set2
        // batch.rs import_ops); core catches that and refuses the change. libfuzzer-sys's own
        // hook would abort on the caught panic, so the default unwinding is restored: only a
        // panic that escapes core reaches fuzz_target!'s guard and counts as a crash.
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
    // Both the framed path (version byte, Zstandard or stored, postcard) and raw changes
    // straight into the checks.
    if let Ok(req) = decode_request(data) {
        for up in req.uploads {
            check(&up.doc_id, &up.changes);
        }
    }
    check("0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11/log", &[data.to_vec()]);
    check("0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11/report", &[data.to_vec()]);
    limits(data);
    }
);

/// The limits count a change's operations as automerge does, and what passes the phone's
/// limits loads within them.
fn limits(data: &[u8]) {
    let unwound = |f: &mut dyn FnMut()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    if let Ok(m) = bounds::measure_change(data) {
        assert!(m.ops <= MAX_CHANGE_OPS);
        let mut decoded = None;
        let _ = unwound(&mut || decoded = automerge::Change::from_bytes(data.to_vec()).ok());
        if let Some(change) = decoded {
            // The bound counts the action column's rows; automerge stops at the first column
            // to run out, so on a malformed change it may count fewer, never more.
            assert!(m.ops >= change.len() as u64, "the bound never counts fewer operations than automerge");
        }
    }
    if bounds::measure_data(data).is_ok() {
        let mut doc = automerge::AutoCommit::new();
        let mut loaded = false;
        let _ = unwound(&mut || loaded = doc.load_incremental(data).is_ok());
        if loaded {
            assert!(bounds::measure_doc(&mut doc).ops <= MAX_DOC_OPS);
        }
    }
}

fn check(doc_id: &str, raw: &[Vec<u8>]) {
    let Some((complaint, kind)) = parse_doc_id(doc_id) else { return };
    let mut doc = automerge::AutoCommit::new();
    let uploader = Uploader {
        account_id: "warga".into(),
        role: Role::Citizen,
        institution_id: None,
        unit_id: None,
        owner: true,
        display_name: "Siti".into(),
        now: 1_800_000_000_000,
    };
    if let Ok(changes) = decode_new(&mut doc, raw) {
        if check_doc_size(&mut doc, 0, &changes).is_ok() {
            let _ = admit(kind, complaint, &mut doc, changes, &uploader);
        }
    }
}
