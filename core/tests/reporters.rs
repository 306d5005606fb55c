//! How complaints arrive and who may know their reporter (issue 14, items 1 to 3): channels,
//! an operator filing for a caller, contact details kept apart from the documents, shown only
//! to whoever holds the complaint, removed on request, and none at all for anonymous reports.

mod common;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::model::channel::Channel;
use aduan_core::model::report::{self, FiledBy, NewReport};
use aduan_core::model::reporter::{may_know_reporter, Asker, ReporterContact};
use aduan_core::model::{doc_id, DocKind};
use aduan_core::store::{index, Store};
use aduan_core::sync::authority::{admit, decode_new, Denial, Uploader};
use aduan_core::types::{Identity, ReportKind, Role, Status};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc, Value, ROOT};
use common::*;

const NOW: i64 = 1_780_000_000_000; // a Wednesday in 2026

fn call_centre_operator() -> Identity {
    identity("operator-112", Role::Officer, Some(INSTITUTION), None)
}

fn caller() -> ReporterContact {
    ReporterContact {
        name: "Daeng Baso".into(),
        phone: "+62 811-4455-6677".into(),
        email: String::new(),
    }
}

/// Every string a document holds, in maps and texts, at any depth.
fn strings(doc: &AutoCommit) -> Vec<String> {
    fn walk(doc: &AutoCommit, obj: &automerge::ObjId, out: &mut Vec<String>) {
        for key in doc.keys(obj) {
            out.push(key.clone());
            match doc.get(obj, key.as_str()).unwrap() {
                Some((Value::Object(ObjType::Map), id)) => walk(doc, &id, out),
                Some((Value::Object(ObjType::Text), id)) => out.push(doc.text(&id).unwrap()),
                Some((Value::Scalar(s), _)) => out.push(format!("{s}")),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(doc, &ROOT, &mut out);
    out
}

fn documents_of(p: &AduanStore, complaint: &str) -> Vec<AutoCommit> {
    [DocKind::Report, DocKind::Log]
        .into_iter()
        .filter_map(|kind| {
            p.with_store(|s| s.doc_bytes(&doc_id(complaint, kind)))
                .unwrap()
                .map(|b| AutoCommit::load(&b).unwrap())
        })
        .collect()
}

fn assert_no_trace_of(p: &AduanStore, complaint: &str, contact: &ReporterContact) {
    for doc in documents_of(p, complaint) {
        for s in strings(&doc) {
            for personal in [&contact.name, &contact.phone, &contact.email] {
                assert!(
                    personal.is_empty() || !s.contains(personal.as_str()),
                    "a document holds the reporter's details"
                );
            }
        }
    }
    let export = p.export_json(complaint.into()).unwrap();
    assert!(!export.contains(&contact.name) && !export.contains(&contact.phone));
}

#[test]
fn operator_files_for_a_caller_without_the_app() {
    let operator = phone(call_centre_operator(), NOW);
    let filed = operator
        .file_on_behalf(draft("Selokan tersumbat di Mangasa"), Some(caller()))
        .unwrap();
    let s = &filed.summary;
    // The caller is the reporter, a citizen; the operator is who typed it.
    assert_eq!(filed.reporter_role, Role::Citizen);
    assert!(filed.filed_by.as_deref().unwrap().contains("operator-112"));
    assert_eq!(s.channel, "call_centre");
    assert!(!s.anonymous);
    // The call centre is Makassar's own: the complaint is with the city at once.
    assert_eq!(s.status, Status::Dispatched);
    assert_eq!(s.institution_id.as_deref(), Some(INSTITUTION));
    // The tracking id the operator reads back finds it.
    assert!(s.tracking_id.starts_with("ADU-"));
    assert_eq!(
        operator.get(s.tracking_id.clone()).unwrap().summary.id,
        s.id
    );
    // The operator's phone keeps the caller's details, apart from the documents.
    assert_eq!(
        operator.reporter_contact(s.id.clone()).unwrap(),
        Some(caller())
    );
    assert_no_trace_of(&operator, &s.id, &caller());

    // A handler who receives the documents learns nothing of the caller from them.
    let admin = phone(institution_admin(), NOW);
    exchange(&operator, &admin);
    assert_no_trace_of(&admin, &s.id, &caller());
    assert_eq!(
        admin
            .with_store(|st| st.local_reporter_contact(&s.id))
            .unwrap(),
        None
    );
    let seen = admin.get(s.id.clone()).unwrap();
    assert_eq!(seen.summary.channel, "call_centre");
    assert_eq!(seen.filed_by, filed.filed_by);
}

#[test]
fn a_caller_who_gives_no_name_is_anonymous() {
    let operator = phone(call_centre_operator(), NOW);
    let mut d = draft("Lampu jalan mati");
    d.channel = Some(Channel::Desk);
    let filed = operator.file_on_behalf(d, None).unwrap();
    assert!(filed.summary.anonymous);
    assert_eq!(filed.summary.channel, "desk");
    assert_eq!(operator.reporter_contact(filed.summary.id).unwrap(), None);
}

#[test]
fn only_an_operator_files_for_someone_else_and_only_by_an_operators_channel() {
    let warga = phone(citizen(), NOW);
    let e = warga
        .file_on_behalf(draft("Atas nama tetangga"), Some(caller()))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input", "{e}");
    let mut claimed = draft("Lewat call center, katanya");
    claimed.channel = Some(Channel::CallCentre);
    assert!(warga.create_complaint(claimed).is_err());
    let operator = phone(call_centre_operator(), NOW);
    let mut app = draft("Lewat aplikasi untuk penelepon");
    app.channel = Some(Channel::App);
    assert!(operator.file_on_behalf(app, None).is_err());
    let mut bridged = draft("Dari LAPOR! tanpa nomor");
    bridged.channel = Some(Channel::Bridged {
        system: "SP4N-LAPOR".into(),
        reference: " ".into(),
    });
    assert!(operator.file_on_behalf(bridged, None).is_err());
}

#[test]
fn figures_input_carries_each_complaints_channel() {
    let warga = phone(citizen(), NOW);
    let kader = phone(cadre(), NOW);
    let operator = phone(call_centre_operator(), NOW);
    warga.create_complaint(draft("Dari aplikasi")).unwrap();
    kader.create_complaint(draft("Dari kader")).unwrap();
    operator
        .file_on_behalf(draft("Dari 112"), Some(caller()))
        .unwrap();
    let mut sms = draft("Dari SMS 1708");
    sms.channel = Some(Channel::Sms);
    operator.file_on_behalf(sms, None).unwrap();
    let mut bridged = draft("Dari LAPOR!");
    bridged.channel = Some(Channel::Bridged {
        system: "SP4N-LAPOR".into(),
        reference: "LAP-2026-0001".into(),
    });
    let b = operator.file_on_behalf(bridged, None).unwrap();
    assert_eq!(b.bridged_from.as_deref(), Some("SP4N-LAPOR LAP-2026-0001"));
    let desk = phone(national_admin(), NOW);
    for p in [&warga, &kader, &operator] {
        exchange(p, &desk);
    }
    let mut channels: Vec<String> = desk
        .with_store(|s| index::all(s.conn(), None, NOW))
        .unwrap()
        .into_iter()
        .map(|r| r.channel)
        .collect();
    channels.sort();
    assert_eq!(
        channels,
        ["app", "bridged", "cadre", "call_centre", "sms"].map(String::from)
    );
}

#[test]
fn the_holding_institutions_handlers_may_know_a_named_reporter_and_nobody_else() {
    let makassar = Some(INSTITUTION);
    let ask = |role, institution: Option<&'static str>| Asker {
        role,
        institution_id: institution,
        filed_it: false,
    };
    let handler = ask(Role::Officer, makassar);
    assert!(may_know_reporter(handler, makassar, false));
    assert!(may_know_reporter(
        ask(Role::InstitutionAdmin, makassar),
        makassar,
        false
    ));
    // Another institution, the national desk once it has passed it on, a cadre, a citizen.
    assert!(!may_know_reporter(
        ask(Role::Officer, Some(OTHER_INSTITUTION)),
        makassar,
        false
    ));
    assert!(!may_know_reporter(
        ask(Role::NationalAdmin, None),
        makassar,
        false
    ));
    assert!(!may_know_reporter(
        ask(Role::Cadre, makassar),
        makassar,
        false
    ));
    assert!(!may_know_reporter(
        ask(Role::Citizen, None),
        makassar,
        false
    ));
    // The national desk holds it while verifying it.
    assert!(may_know_reporter(
        ask(Role::NationalAdmin, None),
        None,
        false
    ));
    // Whoever filed it knows; with an anonymous report nobody does, not even them.
    let filer = Asker {
        filed_it: true,
        ..ask(Role::Citizen, None)
    };
    assert!(may_know_reporter(filer, makassar, false));
    for asker in [handler, filer, ask(Role::NationalAdmin, None)] {
        assert!(!may_know_reporter(asker, makassar, true));
        assert!(!may_know_reporter(asker, None, true));
    }
}

#[test]
fn anonymous_report_leaves_no_reporter_trace() {
    let warga = phone(citizen(), NOW);
    let mut d = draft("Pungli di kantor kelurahan");
    d.anonymous = true;
    let e = warga
        .create_named_complaint(d.clone(), caller())
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    let id = warga.create_complaint(d).unwrap().summary.id;
    assert!(warga.set_reporter_contact(id.clone(), caller()).is_err());
    assert_eq!(warga.reporter_contact(id.clone()).unwrap(), None);
    let held: i64 = warga
        .with_store(|s| {
            Ok(s.conn()
                .query_row("SELECT COUNT(*) FROM reporter_contacts", [], |r| r.get(0))?)
        })
        .unwrap();
    assert_eq!(held, 0);
}

#[test]
fn an_administrator_making_a_report_anonymous_removes_its_reporters_details() {
    let warga = phone(citizen(), NOW);
    let id = warga
        .create_named_complaint(draft("Jalan berlubang"), caller())
        .unwrap()
        .summary
        .id;
    let admin = phone(national_admin(), NOW);
    exchange(&warga, &admin);
    act(
        &admin,
        &id,
        WorkflowAction::SetFlags {
            anonymous: true,
            confidential: false,
        },
        "pelapor lupa mencentang anonim",
    );
    exchange(&admin, &warga);
    assert_eq!(warga.reporter_contact(id.clone()).unwrap(), None);
    // Gone from the phone at once; the server is told to forget it at the next sync.
    let (stored, state): (String, String) = warga
        .with_store(|s| {
            Ok(s.conn().query_row(
                "SELECT name || phone || email, state FROM reporter_contacts",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!((stored.as_str(), state.as_str()), ("", "remove"));
}

#[test]
fn contact_removed_on_the_reporters_request() {
    let warga = phone(citizen(), NOW);
    let id = warga
        .create_named_complaint(draft("Air PDAM keruh"), caller())
        .unwrap()
        .summary
        .id;
    assert_eq!(warga.reporter_contact(id.clone()).unwrap(), Some(caller()));
    // Someone else's phone cannot ask for it.
    let officer = phone(liaison_officer(), NOW);
    exchange(&warga, &officer);
    assert!(officer.remove_reporter_contact(id.clone()).is_err());
    assert!(warga.remove_reporter_contact(id.clone()).unwrap());
    assert_eq!(warga.reporter_contact(id.clone()).unwrap(), None);
    assert!(!warga.remove_reporter_contact(id.clone()).unwrap());
}

#[test]
fn contact_details_are_checked_and_errors_do_not_repeat_them() {
    let warga = phone(citizen(), NOW);
    for bad in [
        ReporterContact::default(),
        ReporterContact {
            phone: "0811 abc".into(),
            ..caller()
        },
        ReporterContact {
            email: "siti at example".into(),
            ..caller()
        },
    ] {
        let e = warga
            .create_named_complaint(draft("Sampah"), bad.clone())
            .unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(!text.contains("0811") && !text.contains("siti"), "{text}");
    }
}

#[test]
fn a_confidential_report_reaches_only_its_reporter_and_its_handlers() {
    // The phone-side half (the server's, who is sent a complaint at all, is in the e2e tests):
    // a confidential report is kept from the list of anyone who does not hold it.
    let warga = phone(citizen(), NOW);
    let mut d = draft("Pelayanan puskesmas");
    d.confidential = true;
    let filed = warga.create_complaint(d).unwrap();
    assert!(filed.summary.confidential);
    assert_eq!(filed.summary.channel, "app");
}

// ---- the server's decision on a report's channel and operator ---------------------------------

const COMPLAINT: &str = "4f1d7c52-2b7e-4e0b-9d0e-5d8f6a1c3b21";

fn uploader(account: &str, role: Role, institution: Option<&str>) -> Uploader {
    Uploader {
        account_id: account.into(),
        role,
        institution_id: institution.map(str::to_string),
        unit_id: None,
        owner: true,
        display_name: account.into(),
        now: NOW,
    }
}

fn new_report(channel: Channel) -> NewReport {
    NewReport {
        kind: ReportKind::Complaint,
        category: "pu.drainase".into(),
        title: "Selokan tersumbat".into(),
        description: "Air meluap".into(),
        location: Default::default(),
        anonymous: false,
        confidential: false,
        photos: vec![],
        channel,
    }
}

fn decide(doc: &AutoCommit, server: &mut AutoCommit, who: &Uploader) -> Result<(), Denial> {
    let raw: Vec<Vec<u8>> = doc
        .clone()
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let changes = decode_new(server, &raw)?;
    admit(DocKind::Report, COMPLAINT, server, changes, who).map(|_| ())
}

fn operators_report() -> AutoCommit {
    let mut doc = AutoCommit::new();
    report::create(
        &mut doc,
        COMPLAINT,
        &new_report(Channel::CallCentre),
        NOW - 1000,
        Role::Citizen,
        Some(INSTITUTION),
        Some(&FiledBy {
            account: "operator-112".into(),
            role: Role::Officer,
        }),
    )
    .unwrap();
    doc
}

#[test]
fn the_server_takes_an_operators_filing_only_from_that_operator() {
    let doc = operators_report();
    let operator = uploader("operator-112", Role::Officer, Some(INSTITUTION));
    assert_eq!(decide(&doc, &mut AutoCommit::new(), &operator), Ok(()));
    let someone = uploader("petugas-lain", Role::Officer, Some(INSTITUTION));
    assert_eq!(
        decide(&doc, &mut AutoCommit::new(), &someone),
        Err(Denial::Impersonation("operator"))
    );
    // Another institution's operator cannot file straight to Makassar.
    let mut elsewhere = AutoCommit::new();
    report::create(
        &mut elsewhere,
        COMPLAINT,
        &new_report(Channel::CallCentre),
        NOW - 1000,
        Role::Citizen,
        Some(INSTITUTION),
        Some(&FiledBy {
            account: "operator-samarinda".into(),
            role: Role::Officer,
        }),
    )
    .unwrap();
    let samarinda = uploader("operator-samarinda", Role::Officer, Some(OTHER_INSTITUTION));
    assert!(matches!(
        decide(&elsewhere, &mut AutoCommit::new(), &samarinda),
        Err(Denial::Impersonation(_))
    ));
}

#[test]
fn the_server_refuses_a_citizen_claiming_the_call_centre_and_any_later_change_of_road() {
    let mut doc = AutoCommit::new();
    report::create(
        &mut doc,
        COMPLAINT,
        &new_report(Channel::App),
        NOW - 1000,
        Role::Citizen,
        None,
        None,
    )
    .unwrap();
    let warga = uploader("warga", Role::Citizen, None);
    let mut claimed = doc.fork();
    claimed.put(ROOT, "channel", "call_centre").unwrap();
    assert_eq!(
        decide(&claimed, &mut AutoCommit::new(), &warga),
        Err(Denial::InvalidReport("channel"))
    );
    let mut unknown = doc.fork();
    unknown.put(ROOT, "channel", "pigeon").unwrap();
    assert_eq!(
        decide(&unknown, &mut AutoCommit::new(), &warga),
        Err(Denial::InvalidReport("channel"))
    );
    let mut server = AutoCommit::new();
    assert_eq!(decide(&doc, &mut server, &warga), Ok(()));
    let mut later = doc.fork();
    later.put(ROOT, "channel", "web").unwrap();
    assert_eq!(
        decide(&later, &mut server, &warga),
        Err(Denial::Immutable("channel"))
    );
}

// ---- a store made before channels and contacts --------------------------------------------------

/// The store schema as it was before issue 14 (version 1), for a store made by that code.
const V1_COMPLAINTS: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE docs (doc_id TEXT PRIMARY KEY, complaint_id TEXT NOT NULL, snapshot BLOB,
    heads BLOB NOT NULL, change_count INTEGER NOT NULL DEFAULT 0,
    change_bytes INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE INDEX docs_by_complaint ON docs(complaint_id);
CREATE TABLE doc_changes (doc_id TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;
CREATE TABLE sync_docs (doc_id TEXT PRIMARY KEY, server_heads BLOB,
    dirty INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE complaints (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    tracking_id TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, title TEXT NOT NULL,
    status TEXT NOT NULL, institution_id TEXT, unit_id TEXT, due_at INTEGER,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, latitude REAL, longitude REAL,
    kelurahan TEXT NOT NULL DEFAULT '', mine INTEGER NOT NULL DEFAULT 0,
    anonymous INTEGER NOT NULL DEFAULT 0, confidential INTEGER NOT NULL DEFAULT 0,
    photo_count INTEGER NOT NULL DEFAULT 0, rating INTEGER, merged_into TEXT,
    first_assigned_at INTEGER, followed_up_at INTEGER, completed_at INTEGER, damaged TEXT);
CREATE INDEX complaints_tracking ON complaints(tracking_id);
CREATE INDEX complaints_status_due ON complaints(status, due_at);
CREATE INDEX complaints_institution ON complaints(institution_id, status, due_at);
CREATE INDEX complaints_updated ON complaints(updated_at);
CREATE INDEX complaints_created ON complaints(created_at);
CREATE INDEX complaints_category ON complaints(category);
CREATE INDEX complaints_position ON complaints(latitude, longitude);
CREATE INDEX complaints_mine ON complaints(mine, updated_at);
CREATE INDEX complaints_merged ON complaints(merged_into) WHERE merged_into IS NOT NULL;
CREATE VIRTUAL TABLE complaints_fts USING fts5(title, description, address, content = '',
    contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE refused (num INTEGER PRIMARY KEY, complaint_id TEXT NOT NULL,
    doc_id TEXT NOT NULL, event TEXT, code TEXT NOT NULL, message_id TEXT NOT NULL,
    message_en TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX refused_by_complaint ON refused(complaint_id);
CREATE TABLE photos (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL, width INTEGER NOT NULL,
    height INTEGER NOT NULL, thumb_of TEXT, created_at INTEGER NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
PRAGMA user_version = 1;
";

/// A cadre's report as the code before channels wrote it: no `channel` key.
fn old_cadre_report(id: &str) -> AutoCommit {
    let mut doc = AutoCommit::new();
    report::create(
        &mut doc,
        id,
        &new_report(Channel::Cadre),
        NOW - 1000,
        Role::Cadre,
        Some(INSTITUTION),
        None,
    )
    .unwrap();
    doc.delete(ROOT, "channel").unwrap();
    doc
}

#[test]
fn a_store_from_before_channels_opens_and_reads_its_cadre_report_as_the_cadre_channel() {
    let dir = tempfile::tempdir().unwrap();
    let id = "7d2f0c3e-1a4b-4c5d-8e9f-0a1b2c3d4e5f";
    {
        let conn = rusqlite::Connection::open(dir.path().join("aduan.db")).unwrap();
        conn.execute_batch(V1_COMPLAINTS).unwrap();
        let mut doc = old_cadre_report(id);
        let heads = aduan_core::store::docs::encode_heads(&doc.get_heads());
        conn.execute(
            "INSERT INTO docs (doc_id, complaint_id, snapshot, heads) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![doc_id(id, DocKind::Report), id, doc.save(), heads],
        )
        .unwrap();
        // The row the old index wrote: it knew nothing of channels.
        conn.execute(
            "INSERT INTO complaints (id, tracking_id, kind, category, title, status,
                institution_id, created_at, updated_at, mine)
             VALUES (?1, ?2, 'pengaduan', 'pu.drainase', 'Selokan tersumbat', 'dispatched',
                ?3, ?4, ?4, 1)",
            rusqlite::params![
                id,
                aduan_core::model::tracking_id(id),
                INSTITUTION,
                NOW - 1000
            ],
        )
        .unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let version: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, aduan_core::store::schema::VERSION);
    let loaded = store.load(id).unwrap();
    assert_eq!(loaded.report.channel, Channel::Cadre);
    assert_eq!(loaded.report.filed_by, None);
    let row = index::get(store.conn(), id, NOW).unwrap().unwrap();
    assert_eq!(row.channel, "cadre");
    assert_eq!(store.local_reporter_contact(id).unwrap(), None);
    drop(store);
    // And opened again, nothing more to do.
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        index::get(store.conn(), id, NOW).unwrap().unwrap().channel,
        "cadre"
    );
}
