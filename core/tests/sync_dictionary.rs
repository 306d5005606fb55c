//! Where protocol v3's frozen dictionary template comes from. The template is a set of typical
//! sync messages (a citizen filing, one filing with a photo, a desk's dispatch, the answers),
//! uncompressed, so that DEFLATE finds a new message's structure (document keys, Automerge column
//! layout, postcard framing) in the dictionary and pays only for what differs. The file is frozen
//! with the protocol version (`core/src/sync/protocol.rs` pins its hash); this test regenerates
//! it only when a new version is being made:
//!
//! ```sh
//! ADUAN_WRITE_DICTIONARY=core/src/sync/dictionary-v4.bin cargo test -p aduan-core --test sync_dictionary
//! ```
//!
//! The template's complaints are deliberately not the benchmark's (other places, other words).

mod common;

use aduan_core::api::records::{ComplaintDraft, WorkflowAction};
use aduan_core::sync::protocol::{self, DocDownload, SyncRequest, SyncResponse};
use aduan_core::types::{Location, ReportKind};
use common::*;

fn draft(title: &str, description: &str, photos: Vec<String>) -> ComplaintDraft {
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: "pu.jalan".into(),
        title: title.into(),
        description: description.into(),
        location: Location {
            latitude: Some(-6.9147),
            longitude: Some(107.6098),
            accuracy_m: Some(8.0),
            address: "Jl. Merdeka No. 12, RT 03 RW 05".into(),
            province: "Jawa Barat".into(),
            city: "Kota Bandung".into(),
            kecamatan: "Sumur Bandung".into(),
            kelurahan: "Babakan Ciamis".into(),
        },
        anonymous: false,
        confidential: false,
        photos,
    }
}

fn request(phone: &common::Phone) -> SyncRequest {
    let uploads = phone
        .with_store(|s| s.outgoing(usize::MAX))
        .unwrap()
        .into_iter()
        .map(|o| o.upload)
        .collect();
    SyncRequest {
        version: protocol::VERSION,
        cursor: 0,
        uploads,
        resync: vec![],
        max_response_bytes: 4 << 20,
    }
}

fn answer(accepted: Vec<u32>, downloads: Vec<DocDownload>, cursor: u64) -> SyncResponse {
    SyncResponse {
        version: protocol::VERSION,
        cursor,
        more: false,
        accepted,
        refused: vec![],
        downloads,
        revoked: vec![],
        owned: vec![],
    }
}

/// Typical messages, least likely first: DEFLATE codes nearer matches in fewer bits.
fn template() -> Vec<u8> {
    let now = wib(2026, 3, 2, 9);
    let citizen = phone(common::citizen(), now);
    let photo = citizen.import_photo(jpeg(640, 480)).unwrap().photo;
    let with_photo = citizen
        .create_complaint(draft(
            "Trotoar ambles di depan puskesmas",
            "Trotoar di depan puskesmas ambles dan paving lepas, pejalan kaki harus turun ke jalan raya.",
            vec![photo.sha256],
        ))
        .unwrap();
    let with_photo_request = request(&citizen);
    let neighbour = phone(common::citizen(), now + 60_000);
    let plain = neighbour
        .create_complaint(draft(
            "Jalan berlubang dekat pasar",
            "Lubang besar di tengah jalan dekat pasar tradisional, sudah ada pengendara motor yang jatuh.",
            vec![],
        ))
        .unwrap();
    let plain_request = request(&neighbour);

    let desk = phone(national_admin(), now + 3_600_000);
    push(&citizen, &desk);
    push(&neighbour, &desk);
    act(
        &desk,
        &plain.summary.id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "Diteruskan ke pemerintah kota untuk ditindaklanjuti.",
    );
    let dispatch_request = request(&desk);
    let downloads: Vec<DocDownload> = desk
        .with_store(|s| {
            let mut out = Vec::new();
            for id in s.doc_ids()? {
                if id.starts_with(&with_photo.summary.id) || id.starts_with(&plain.summary.id) {
                    out.push(DocDownload {
                        data: s.doc_bytes(&id)?.unwrap_or_default(),
                        doc_id: id,
                        heads: vec![[7u8; 32]],
                    });
                }
            }
            Ok(out)
        })
        .unwrap();

    let mut out = Vec::new();
    out.extend(postcard(&answer(vec![], downloads, 120)));
    out.extend(postcard(&dispatch_request));
    out.extend(postcard(&with_photo_request));
    out.extend(postcard(&answer(
        (0..plain_request.uploads.len() as u32).collect(),
        vec![],
        42,
    )));
    out.extend(postcard(&plain_request));
    out
}

fn postcard<T: serde::Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).unwrap()
}

#[test]
fn dictionary_template_can_be_regenerated() {
    let t = template();
    assert!(
        t.len() < protocol::MAX_DICTIONARY_BYTES,
        "{} bytes: DEFLATE only reaches back 32 KiB",
        t.len()
    );
    if let Ok(path) = std::env::var("ADUAN_WRITE_DICTIONARY") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path);
        std::fs::write(&path, &t).unwrap();
        eprintln!("wrote {} bytes to {}", t.len(), path.display());
    }
}
