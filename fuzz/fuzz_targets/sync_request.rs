//! The server's decoding of a sync request, and its authority checks on whatever changes the
//! request carries: no input may panic. Run with `cargo +nightly fuzz run sync_request` in
//! this folder (see README).
#![no_main]

use aduan_core::model::parse_doc_id;
use aduan_core::sync::authority::{admit, decode_new, Uploader};
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
    }
);

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
        let _ = admit(kind, complaint, &mut doc, changes, &uploader);
    }
}
