//! Every input the fuzz target (`fuzz/fuzz_targets/sync_request.rs`) ever stopped on, replayed
//! through the same checks on the stable toolchain: the server's decoding of a sync request,
//! its limits and authority checks, and the phone's download limits. None may panic, and the
//! limits must never count fewer operations than automerge does.

use std::panic::{catch_unwind, AssertUnwindSafe};

use aduan_core::model::parse_doc_id;
use aduan_core::sync::authority::{admit, check_doc_size, decode_new, Uploader};
use aduan_core::sync::bounds::{self, MAX_CHANGE_OPS, MAX_DOC_OPS};
use aduan_core::sync::protocol::decode_request;
use aduan_core::types::Role;

fn check(doc_id: &str, raw: &[Vec<u8>]) {
    let Some((complaint, kind)) = parse_doc_id(doc_id) else {
        return;
    };
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

fn limits(data: &[u8]) {
    if let Ok(m) = bounds::measure_change(data) {
        assert!(m.ops <= MAX_CHANGE_OPS);
        let decoded = catch_unwind(AssertUnwindSafe(|| {
            automerge::Change::from_bytes(data.to_vec()).ok()
        }))
        .ok()
        .flatten();
        if let Some(change) = decoded {
            // The bound counts the action column's rows; automerge stops at the first column
            // to run out, so on a malformed change it may count fewer, never more.
            assert!(
                m.ops >= change.len() as u64,
                "the bound never counts fewer operations than automerge"
            );
        }
    }
    if bounds::measure_data(data).is_ok() {
        let mut doc = automerge::AutoCommit::new();
        let loaded =
            catch_unwind(AssertUnwindSafe(|| doc.load_incremental(data).is_ok())).unwrap_or(false);
        if loaded {
            assert!(bounds::measure_doc(&mut doc).ops <= MAX_DOC_OPS);
        }
    }
}

#[test]
fn inputs_the_fuzzer_stopped_on_are_refused_without_a_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions") {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        eprintln!("replaying {}", path.display());
        if let Ok(req) = decode_request(&data) {
            for up in req.uploads {
                check(&up.doc_id, &up.changes);
            }
        }
        check("0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11/log", &[data.clone()]);
        check(
            "0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11/report",
            &[data.clone()],
        );
        limits(&data);
        seen += 1;
    }
    assert!(seen > 0, "no regression inputs found in {}", dir.display());
}
