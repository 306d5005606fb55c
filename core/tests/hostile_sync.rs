//! The same property the fuzz target (fuzz/) checks, on stable and in every test run: whatever
//! bytes arrive as a sync request or as changes, decoding and the server's authority checks
//! answer with an error, never a panic, and admit nothing they should not.

use aduan_core::model::DocKind;
use aduan_core::sync::authority::{admit, decode_new, Uploader};
use aduan_core::sync::protocol::{decode_request, encode, DocUpload, SyncRequest, VERSION};
use aduan_core::types::Role;
use proptest::prelude::*;

fn uploader(owner: bool) -> Uploader {
    Uploader {
        account_id: "warga".into(),
        role: Role::Citizen,
        institution_id: None,
        unit_id: None,
        owner,
        display_name: "Siti".into(),
        now: 1_800_000_000_000,
    }
}

/// A real change (a citizen's reply) to mutate.
fn real_change() -> Vec<u8> {
    let mut doc = automerge::AutoCommit::new();
    automerge::transaction::Transactable::put(
        &mut doc,
        automerge::ROOT,
        "ev:abc",
        r#"{"id":"abc","lamport":1,"at":1,"by":{"reporter":true,"role":"citizen"},"action":{"type":"reply"},"note":"x"}"#,
    )
    .unwrap();
    doc.get_last_local_change().unwrap().raw_bytes().to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_request_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = decode_request(&bytes);
    }

    #[test]
    fn arbitrary_changes_are_refused_or_admitted_but_never_panic(
        mut change in Just(real_change()),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        junk in proptest::collection::vec(any::<u8>(), 0..512),
        owner in any::<bool>(),
    ) {
        for (i, b) in flips {
            let at = i.index(change.len());
            change[at] ^= b;
        }
        for kind in [DocKind::Log, DocKind::Report] {
            for raw in [change.clone(), junk.clone()] {
                let mut doc = automerge::AutoCommit::new();
                if let Ok(changes) = decode_new(&mut doc, &[raw]) {
                    let before = doc.get_heads();
                    if admit(kind, "0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11", &mut doc, changes, &uploader(owner)).is_err() {
                        prop_assert_eq!(doc.get_heads(), before, "a refused change leaves the document untouched");
                    }
                }
            }
        }
        // The same bytes framed as a request.
        let req = SyncRequest { version: VERSION, cursor: 0, uploads: vec![DocUpload { doc_id: "x/log".into(), changes: vec![junk] }], resync: vec![], max_response_bytes: 0, ack: 0, notices_after: 0 };
        let _ = decode_request(&encode(&req).unwrap());
    }
}

#[test]
fn an_unmodified_reporter_reply_is_admitted_only_for_the_owner() {
    let mut doc = automerge::AutoCommit::new();
    let changes = decode_new(&mut doc, &[real_change()]).unwrap();
    assert!(admit(
        DocKind::Log,
        "c",
        &mut doc.clone(),
        changes.clone(),
        &uploader(true)
    )
    .is_ok());
    assert!(admit(DocKind::Log, "c", &mut doc, changes, &uploader(false)).is_err());
}
