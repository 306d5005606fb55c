//! Changes that are small on the wire and huge once decoded are refused by the server's checks
//! and by the phone's store, before they take memory; the report and the log hold only what
//! they are for. (Peak memory: `change_bomb_memory.rs`, in a process of its own.)

#[path = "common/bombs.rs"]
mod bombs;

use aduan_core::model::{doc_id, DocKind};
use aduan_core::store::Store;
use aduan_core::sync::authority::{admit, decode_new, Denial, Uploader};
use aduan_core::sync::bounds::{self, MAX_DOC_BYTES};
use aduan_core::types::Role;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};

const COMPLAINT: &str = "0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11";

fn citizen() -> Uploader {
    Uploader {
        account_id: "warga".into(),
        role: Role::Citizen,
        institution_id: None,
        unit_id: None,
        owner: true,
        display_name: "Warga".into(),
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    }
}

fn server_decision(change: Vec<u8>) -> Result<(), Denial> {
    let mut doc = AutoCommit::new();
    let changes = decode_new(&mut doc, &[change])?;
    admit(DocKind::Report, COMPLAINT, &mut doc, changes, &citizen()).map(|_| ())
}

fn phone_loads(bytes: &[u8]) -> Result<bool, String> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .apply_remote(&doc_id(COMPLAINT, DocKind::Report), bytes)
        .map_err(|e| e.to_string())
}

#[test]
fn a_change_that_inflates_to_256_mib_is_refused() {
    let bomb = bombs::inflating();
    assert!(bomb.len() < 300_000, "{} bytes on the wire", bomb.len());
    assert_eq!(
        server_decision(bomb.clone()),
        Err(Denial::TooLarge("inflated size"))
    );
    let refused = phone_loads(&bomb).unwrap_err();
    assert!(refused.contains("inflated size"), "{refused}");
}

#[test]
fn a_change_with_no_operations_and_a_128_mib_message_is_refused() {
    let bomb = bombs::long_message();
    assert!(bomb.len() < 300_000, "{} bytes on the wire", bomb.len());
    assert!(matches!(
        server_decision(bomb.clone()),
        Err(Denial::TooLarge(_))
    ));
    assert!(phone_loads(&bomb).is_err());
}

#[test]
fn a_change_with_more_operations_than_any_report_needs_is_refused() {
    let bomb = bombs::many_ops(60_000);
    assert!(bomb.len() < 20_000, "{} bytes on the wire", bomb.len());
    assert_eq!(
        server_decision(bomb.clone()),
        Err(Denial::TooLarge("change operations"))
    );
    let refused = phone_loads(&bomb).unwrap_err();
    assert!(refused.contains("change operations"), "{refused}");
    // A long description typed in one go still passes (its text object is one more).
    assert_eq!(
        bounds::measure_change(&bombs::many_ops(8_000)).unwrap().ops,
        8_001
    );
}

#[test]
fn a_phone_refuses_a_download_larger_than_a_document_may_be() {
    // Changes each within the per-change limit, together over the document's.
    let mut doc = AutoCommit::new();
    let mut data = Vec::new();
    for i in 0..12 {
        doc.put(ROOT, format!("k{i}"), "x".repeat(900_000)).unwrap();
        data.extend_from_slice(doc.get_last_local_change().unwrap().raw_bytes());
    }
    assert!(data.len() as u64 > MAX_DOC_BYTES);
    let refused = phone_loads(&data).unwrap_err();
    assert!(refused.contains("document size"), "{refused}");
    // The same as a saved document, its columns deflated.
    let saved = doc.save();
    assert!((saved.len() as u64) < MAX_DOC_BYTES / 100);
    let refused = phone_loads(&saved).unwrap_err();
    assert!(refused.contains("document size"), "{refused}");
}

#[test]
fn the_server_refuses_a_document_grown_past_its_limit() {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "k", "x".repeat(900_000)).unwrap();
    let change = doc.get_last_local_change().unwrap();
    let mut server = AutoCommit::new();
    assert!(aduan_core::sync::authority::check_doc_size(
        &mut server,
        0,
        std::slice::from_ref(&change)
    )
    .is_ok());
    assert_eq!(
        aduan_core::sync::authority::check_doc_size(&mut server, MAX_DOC_BYTES - 1000, &[change]),
        Err(Denial::TooLarge("document size"))
    );
}

/// A report change as the reporter's phone writes it, then `tamper` applied on top.
fn report_with(tamper: impl FnOnce(&mut AutoCommit)) -> Result<(), Denial> {
    let mut phone = AutoCommit::new();
    aduan_core::model::report::create(
        &mut phone,
        COMPLAINT,
        &aduan_core::model::report::NewReport {
            kind: aduan_core::types::ReportKind::Complaint,
            category: "pu.drainase".into(),
            title: "Selokan tersumbat".into(),
            description: "Air meluap".into(),
            location: Default::default(),
            anonymous: false,
            confidential: false,
            photos: vec![],
            channel: aduan_core::model::channel::Channel::App,
        },
        1,
        Role::Citizen,
        None,
        None,
    )
    .unwrap();
    tamper(&mut phone);
    let changes: Vec<Vec<u8>> = phone
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let mut doc = AutoCommit::new();
    let changes = decode_new(&mut doc, &changes)?;
    admit(DocKind::Report, COMPLAINT, &mut doc, changes, &citizen()).map(|_| ())
}

#[test]
fn the_report_accepts_only_its_own_keys_and_sizes() {
    assert_eq!(report_with(|_| {}), Ok(()));
    assert_eq!(
        report_with(|d| {
            d.put(ROOT, "parked", "x".repeat(1000)).unwrap();
        }),
        Err(Denial::InvalidReport("unknown field"))
    );
    assert_eq!(
        report_with(|d| {
            d.put(ROOT, "category", "x".repeat(100_000)).unwrap();
        }),
        Err(Denial::InvalidReport("field size"))
    );
    assert_eq!(
        report_with(|d| {
            let (_, loc) = d.get(ROOT, "location").unwrap().unwrap();
            d.put(&loc, "blob", automerge::ScalarValue::Bytes(vec![0; 10]))
                .unwrap();
        }),
        Err(Denial::InvalidReport("unknown field"))
    );
    assert_eq!(
        report_with(|d| {
            let (_, photos) = d.get(ROOT, "photos").unwrap().unwrap();
            for i in 0..11 {
                let sha = format!("{i:064x}");
                d.put_object(&photos, sha, automerge::ObjType::Map).unwrap();
            }
        }),
        Err(Denial::InvalidReport("photos"))
    );
}

#[test]
fn a_log_event_larger_than_any_event_is_refused() {
    let mut doc = AutoCommit::new();
    let note = "x".repeat(100_000);
    doc.put(
        ROOT,
        "ev:abc",
        format!(
            r#"{{"id":"abc","lamport":1,"at":1,"by":{{"reporter":true,"role":"citizen"}},"action":{{"type":"reply"}},"note":"{note}"}}"#
        ),
    )
    .unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let mut server = AutoCommit::new();
    let changes = decode_new(&mut server, &[change]).unwrap();
    assert_eq!(
        admit(DocKind::Log, COMPLAINT, &mut server, changes, &citizen()),
        Err(Denial::TooLarge("event"))
    );
}
