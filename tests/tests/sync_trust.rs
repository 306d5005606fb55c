//! Trust in what sync carries: a refusal never returns a document its asker may not see, the
//! name on an event is the account's, a lost response cannot leave a phone without a complaint
//! or still holding one it lost, and an event's clocks are checked against the server's.

use aduan_core::api::records::{ComplaintDraft, WorkflowAction};
use aduan_core::model::event::{Action, Author, Event};
use aduan_core::model::{self, log, DocKind};
use aduan_core::sync::protocol::{self, DocUpload, SyncRequest, SyncResponse};
use aduan_core::types::Status;
use aduan_e2e::faults::FaultyProxy;
use aduan_e2e::{draft, upload_raw, Phone, Server};
use automerge::transaction::Transactable;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

const DAY: i64 = 86_400_000;

/// Sends a hand-built request with a phone's token and decodes the answer.
fn send(server: &Server, phone: &Phone, req: &SyncRequest) -> SyncResponse {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/sync", server.url))
        .bearer_auth(phone.session().access_token)
        .body(protocol::encode(req).unwrap())
        .send()
        .unwrap();
    assert!(resp.status().is_success(), "HTTP {}", resp.status());
    protocol::decode_response(&resp.bytes().unwrap()).unwrap()
}

fn dispatch(nasional: &Phone, id: &str) {
    nasional
        .perform(
            id.to_string(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            String::new(),
            vec![],
        )
        .unwrap();
}

/// Naming a complaint one may not see, with no changes, with a forged change or in `resync`,
/// is refused, and the answer carries nothing of that complaint.
#[test]
fn refused_upload_does_not_return_the_document() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let mut ids = Vec::new();
    for kind in ["public", "anonymous", "confidential"] {
        let id = warga
            .create_complaint(ComplaintDraft {
                anonymous: kind == "anonymous",
                confidential: kind == "confidential",
                ..draft(&format!("Laporan {kind}"), "pu.drainase")
            })
            .unwrap()
            .summary
            .id;
        ids.push((kind, id));
    }
    warga.sync_ok();
    nasional.sync_ok();
    for (_, id) in &ids {
        dispatch(&nasional, id);
    }
    nasional.sync_ok();
    let strangers = [
        Phone::anonymous(&server),
        Phone::login(&server, "kader"),
        Phone::login(&server, "admin-samarinda"),
    ];
    for stranger in &strangers {
        stranger.sync_ok();
        let who = stranger.identity().unwrap().account_id;
        for (kind, id) in &ids {
            for doc in [DocKind::Report, DocKind::Log] {
                let doc_id = model::doc_id(id, doc);
                let mut forged = automerge::AutoCommit::new();
                forged.put(automerge::ROOT, "title", "x").unwrap();
                let change = forged.get_last_local_change().unwrap().raw_bytes().to_vec();
                for changes in [vec![], vec![change]] {
                    let req = SyncRequest {
                        version: protocol::VERSION,
                        cursor: 0,
                        uploads: vec![DocUpload {
                            doc_id: doc_id.clone(),
                            changes,
                        }],
                        resync: vec![doc_id.clone(), model::doc_id(id, DocKind::Log)],
                        max_response_bytes: 1 << 20,
                        ack: 0,
                        notices_after: 0,
                    };
                    let resp = send(&server, stranger, &req);
                    assert_eq!(
                        resp.refused.first().map(|r| r.code.as_str()),
                        Some("no_access"),
                        "{who} naming the {kind} complaint"
                    );
                    assert!(
                        resp.downloads.iter().all(|d| !d.doc_id.starts_with(id)),
                        "{who} got the {kind} complaint's documents back"
                    );
                    // A phone that held a copy (from a neighbour's phone) forgets it.
                    assert!(resp.revoked.contains(id), "{who}: {kind} not revoked");
                }
            }
        }
    }
}

/// The event `phone` would write now as itself, uploaded by hand after `tweak`.
fn forge_event(
    server: &Server,
    phone: &Phone,
    complaint: &str,
    action: Action,
    tweak: impl FnOnce(&mut Event),
) -> Result<(), String> {
    let me = phone.identity().unwrap();
    let now = now_ms();
    let mut event = Event {
        id: format!("forged-{}", uuid_like()),
        lamport: now as u64,
        at: now,
        by: Author {
            reporter: false,
            role: me.role,
            account: Some(me.account_id),
            name: Some(me.display_name),
            institution: me.institution_id,
            unit: me.unit_id,
        },
        action,
        note: "Sudah dibersihkan".into(),
        photos: vec![],
    };
    tweak(&mut event);
    let doc_id = model::doc_id(complaint, DocKind::Log);
    let mut doc = match phone.with_store(|s| s.doc_bytes(&doc_id)).unwrap() {
        Some(b) => automerge::AutoCommit::load(&b).unwrap(),
        None => automerge::AutoCommit::new(),
    };
    doc.put(
        automerge::ROOT,
        log::event_key(&event.id),
        serde_json::to_string(&event).unwrap(),
    )
    .unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let resp = upload_raw(server, &phone.session().access_token, doc_id, vec![change])
        .unwrap_or_else(|status| panic!("HTTP {status}"));
    match resp.refused.first() {
        Some(r) => Err(r.code.clone()),
        None => Ok(()),
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", now_ms(), N.fetch_add(1, Ordering::SeqCst))
}

/// A complaint filed by `warga` and dispatched to Kota Makassar, held by `petugas`.
fn dispatched(server: &Server) -> (Phone, Phone, Phone, String) {
    let warga = Phone::login(server, "warga");
    let nasional = Phone::login(server, "admin-nasional");
    let petugas = Phone::login(server, "petugas");
    let id = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    nasional.sync_ok();
    dispatch(&nasional, &id);
    nasional.sync_ok();
    petugas.sync_ok();
    (warga, nasional, petugas, id)
}

#[test]
fn an_event_in_someone_elses_name_is_refused() {
    let server = Server::start();
    let (_warga, nasional, petugas, id) = dispatched(&server);
    assert_eq!(
        forge_event(&server, &petugas, &id, Action::Reply, |e| {
            e.by.name = Some("Kepala Dinas PU".into())
        }),
        Err("impersonation".into()),
        "an officer writing as their chief"
    );
    assert_eq!(
        forge_event(&server, &petugas, &id, Action::Reply, |_| {}),
        Ok(()),
        "the same event in the officer's own name"
    );
    nasional.sync_ok();
    let names: Vec<String> = nasional
        .get(id)
        .unwrap()
        .timeline
        .into_iter()
        .map(|e| e.author_label)
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("Kepala Dinas")),
        "{names:?}"
    );
}

#[test]
fn events_with_clocks_the_server_cannot_believe_are_refused() {
    let server = Server::start();
    let (_warga, _nasional, petugas, id) = dispatched(&server);
    let now = now_ms();
    let cases: [(&str, Box<dyn FnOnce(&mut Event)>); 5] = [
        (
            "dated a day ahead of the server",
            Box::new(move |e| {
                e.at = now + DAY;
                e.lamport = (now + DAY) as u64;
            }),
        ),
        (
            "a logical clock of u64::MAX",
            Box::new(|e| e.lamport = u64::MAX),
        ),
        (
            "a logical clock a year beyond the document's",
            Box::new(move |e| e.lamport = (now + 365 * DAY) as u64),
        ),
        (
            "dated weeks before the dispatch it follows",
            Box::new(move |e| {
                e.at = now - 21 * DAY;
                e.lamport = (now - 21 * DAY) as u64;
            }),
        ),
        (
            "a logical clock below the dispatch it follows",
            Box::new(|e| e.lamport = 7),
        ),
    ];
    for (what, tweak) in cases {
        assert_eq!(
            forge_event(&server, &petugas, &id, Action::StartWork, tweak),
            Err("clock_rejected".into()),
            "{what}"
        );
    }
    assert_eq!(
        forge_event(&server, &petugas, &id, Action::StartWork, |_| {}),
        Ok(()),
        "the same step with honest clocks"
    );
}

/// Every phone's clock a month back: the complaint is filed, dispatched and assigned then; the
/// officer's follow-up claims to be three weeks old but reaches the server today.
#[test]
fn a_backdated_follow_up_does_not_shorten_the_reporters_reply_window() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let admin = Phone::login(&server, "admin-makassar");
    let petugas = Phone::login(&server, "petugas");
    let month_ago = now_ms() - 30 * DAY;
    for (n, p) in [&warga, &nasional, &admin, &petugas]
        .into_iter()
        .enumerate()
    {
        p.set_clock(Some(month_ago + n as i64 * 3_600_000));
    }
    let id = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    nasional.sync_ok();
    dispatch(&nasional, &id);
    nasional.sync_ok();
    admin.sync_ok();
    let unit = petugas.identity().unwrap().unit_id.unwrap();
    admin
        .perform(
            id.clone(),
            WorkflowAction::Assign {
                unit_id: unit,
                field_inspection: false,
            },
            String::new(),
            vec![],
        )
        .unwrap();
    admin.sync_ok();
    petugas.sync_ok();
    petugas.set_clock(Some(now_ms() - 21 * DAY));
    petugas
        .perform(
            id.clone(),
            WorkflowAction::FollowUp,
            "Saluran sudah dibersihkan".into(),
            vec![],
        )
        .unwrap();
    petugas.set_clock(None);
    petugas.sync_ok();
    warga.set_clock(None);
    warga.sync_ok();
    let d = warga.get(id.clone()).unwrap();
    assert_eq!(
        d.summary.status,
        Status::FollowedUp,
        "the reporter still has ten working days to answer"
    );
    assert!(!d.auto_completed);
    let due = d.deadline.expect("the reply window runs").due_at;
    assert!(due > now_ms() + 7 * DAY, "due {due}");
    // Every replica agrees: the officer's own phone too.
    petugas.sync_ok();
    assert_eq!(petugas.get(id).unwrap().summary.status, Status::FollowedUp);
}

/// An officer's phone behind a link that loses every answer while a complaint is dispatched
/// to its institution and another is sent back from it; once the link heals it holds the
/// first whole and has purged the second.
#[test]
fn a_lost_response_does_not_lose_a_granted_complaint_or_a_revocation() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let admin = Phone::login(&server, "admin-makassar");
    let petugas = Phone::login(&server, "petugas");
    let first = warga
        .create_complaint(draft("Jalan berlubang", "pu.jalan"))
        .unwrap()
        .summary
        .id;
    let second = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    nasional.sync_ok();
    dispatch(&nasional, &second);
    nasional.sync_ok();
    petugas.sync_ok();
    assert!(petugas.get(second.clone()).is_ok());
    assert!(petugas.get(first.clone()).is_err());

    dispatch(&nasional, &first);
    nasional.sync_ok();
    admin.sync_ok();
    admin
        .perform(
            second.clone(),
            WorkflowAction::NotOurAuthority,
            "Bukan wewenang kota".into(),
            vec![],
        )
        .unwrap();
    admin.sync_ok();

    // Every answer is cut after the server acted.
    let proxy = FaultyProxy::start(&server.url, 0x1057, [0, 0, 1, 0, 0]);
    petugas.point_at(&proxy.url);
    assert!(petugas.sync(None).is_err(), "no answer gets through");
    assert!(petugas.sync(None).is_err());
    assert!(proxy.exchanges.load(std::sync::atomic::Ordering::SeqCst) >= 2);
    petugas.point_at(&server.url);
    petugas.sync_ok();
    petugas.sync_ok();

    let d = petugas
        .get(first.clone())
        .expect("the dispatched complaint arrived");
    assert_eq!(d.summary.title, "Jalan berlubang");
    assert_eq!(d.summary.status, Status::Dispatched);
    let json = petugas.export_json(first).unwrap();
    assert!(json.contains("Air meluap"), "its report is whole");
    assert!(
        petugas.get(second.clone()).is_err(),
        "the complaint sent back is purged"
    );
    assert!(petugas.all().iter().all(|c| c.id != second));
}

/// A phone from before acknowledgements sends version 5 requests without `ack`: what the
/// server sends it counts as held at once, as it did then, so it is not sent again and again.
#[test]
fn a_phone_from_before_acknowledgements_is_not_sent_the_same_complaint_forever() {
    let server = Server::start();
    let (_warga, _nasional, _petugas, id) = dispatched(&server);
    let officer = Phone::login(&server, "petugas");
    let old = |cursor| {
        // Postcard writes a struct as the tuple of its fields: version, cursor, uploads,
        // resync, max_response_bytes.
        let fields: (u32, u64, Vec<DocUpload>, Vec<String>, u64) =
            (protocol::VERSION, cursor, vec![], vec![], 1 << 20);
        let body = protocol::encode(&fields).unwrap();
        let resp = reqwest::blocking::Client::new()
            .post(format!("{}/v1/sync", server.url))
            .bearer_auth(officer.session().access_token)
            .body(body)
            .send()
            .unwrap();
        assert!(resp.status().is_success(), "HTTP {}", resp.status());
        protocol::decode_response(&resp.bytes().unwrap()).unwrap()
    };
    let first = old(0);
    assert!(first.downloads.iter().any(|d| d.doc_id.starts_with(&id)));
    let second = old(first.cursor);
    assert!(
        second.downloads.is_empty(),
        "sent again: {:?}",
        second
            .downloads
            .iter()
            .map(|d| &d.doc_id)
            .collect::<Vec<_>>()
    );
}

/// Receipt stamps are the server's alone: a phone writing one for its own follow-up, weeks
/// back, is refused.
#[test]
fn a_phone_cannot_stamp_its_own_follow_up_as_received_long_ago() {
    let server = Server::start();
    let (_warga, _nasional, petugas, id) = dispatched(&server);
    let doc_id = model::doc_id(&id, DocKind::Log);
    let mut doc = automerge::AutoCommit::load(
        &petugas
            .with_store(|s| s.doc_bytes(&doc_id))
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    doc.put(
        automerge::ROOT,
        format!("{}some-follow-up", log::RECEIVED_KEY_PREFIX),
        now_ms() - 21 * DAY,
    )
    .unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let resp = upload_raw(
        &server,
        &petugas.session().access_token,
        doc_id,
        vec![change],
    )
    .unwrap();
    assert_eq!(
        resp.refused.first().map(|r| r.code.as_str()),
        Some("log_append_only")
    );
}
