//! Who may know the reporter, across real phones and a real server (issue 14, items 2 and 3):
//! a named reporter's contact reaches the handlers of the institution that holds the complaint
//! and nobody else, an operator's filing for a caller carries the caller's contact the same
//! way, removal on request and anonymity leave nothing on the server, and a server database
//! from before migrates forward.

use aduan_core::api::records::*;
use aduan_core::model::channel::Channel;
use aduan_core::model::reporter::ReporterContact;
use aduan_e2e::*;

fn siti() -> ReporterContact {
    ReporterContact {
        name: "Siti Aminah".into(),
        phone: "081234567890".into(),
        email: "siti@example.id".into(),
    }
}

/// The server's answer to `who` asking for a complaint's reporter, as HTTP status and body.
fn ask(server: &Server, who: &Phone, complaint: &str) -> (u16, String) {
    let resp = reqwest::blocking::Client::new()
        .get(format!("{}/v1/complaints/{complaint}/reporter", server.url))
        .bearer_auth(who.session().access_token)
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.text().unwrap())
}

fn dispatch_to_makassar(server: &Server, id: &str) {
    let nasional = Phone::login(server, "admin-nasional");
    nasional.sync_ok();
    nasional
        .perform(
            id.into(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "ke Pemkot Makassar".into(),
            vec![],
        )
        .unwrap();
    nasional.sync_ok();
}

#[test]
fn a_named_reporters_contact_is_seen_by_the_handling_unit_and_not_by_another_institution() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let id = warga
        .create_named_complaint(draft("Selokan tersumbat", "pu.drainase"), siti())
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    dispatch_to_makassar(&server, &id);

    let penghubung = Phone::login(&server, "penghubung");
    penghubung.sync_ok();
    // Today's handlers saw "Warga"; now the unit that must call back sees who to call.
    assert_eq!(
        penghubung.reporter_contact(id.clone()).unwrap(),
        Some(siti())
    );
    // Fetched when shown, never kept on the handler's phone.
    assert_eq!(
        penghubung
            .with_store(|s| s.local_reporter_contact(&id))
            .unwrap(),
        None
    );
    // Another institution, and the national desk once it has passed the complaint on.
    for other in ["admin-samarinda", "admin-nasional", "kader"] {
        let p = Phone::login(&server, other);
        let (status, body) = ask(&server, &p, &id);
        assert_eq!(status, 404, "{other}");
        assert!(!body.contains("Siti") && !body.contains("0812"), "{other}");
    }
    // The reporter, of course, still knows their own.
    assert_eq!(ask(&server, &warga, &id).0, 200);
}

#[test]
fn an_operator_files_for_a_caller_who_follows_it_by_tracking_id() {
    let server = Server::start();
    // Makassar's liaison officer at the 112 call centre.
    let operator = Phone::login(&server, "penghubung");
    let caller = ReporterContact {
        name: "Daeng Baso".into(),
        phone: "+62 811 4455 6677".into(),
        email: String::new(),
    };
    let filed = operator
        .file_on_behalf(
            draft("Sampah menumpuk", "lingkungan.sampah"),
            Some(caller.clone()),
        )
        .unwrap();
    let tracking = filed.summary.tracking_id.clone();
    operator.sync_ok();

    let admin = Phone::login(&server, "admin-makassar");
    admin.sync_ok();
    // The caller reads their tracking id to whoever answers next: it finds the complaint.
    let seen = admin.get(tracking).unwrap();
    assert_eq!(seen.summary.id, filed.summary.id);
    assert_eq!(seen.summary.channel, "call_centre");
    assert_eq!(seen.reporter_role, aduan_core::types::Role::Citizen);
    assert!(seen.filed_by.unwrap().contains("penghubung"));
    assert_eq!(
        admin.reporter_contact(seen.summary.id.clone()).unwrap(),
        Some(caller)
    );
    let samarinda = Phone::login(&server, "admin-samarinda");
    assert_eq!(ask(&server, &samarinda, &seen.summary.id).0, 404);
}

#[test]
fn contact_removed_on_request_is_gone_from_the_server() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let id = warga
        .create_named_complaint(draft("Air PDAM keruh", "pu.air-bersih"), siti())
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    dispatch_to_makassar(&server, &id);
    let admin = Phone::login(&server, "admin-makassar");
    admin.sync_ok();
    assert_eq!(admin.reporter_contact(id.clone()).unwrap(), Some(siti()));

    assert!(warga.remove_reporter_contact(id.clone()).unwrap());
    warga.sync_ok();
    assert_eq!(admin.reporter_contact(id.clone()).unwrap(), None);
    assert_eq!(ask(&server, &warga, &id).0, 404);
    if server.storage.postgres.is_none() {
        let db = rusqlite_rows(&server, "SELECT COUNT(*) FROM reporter_contacts");
        assert_eq!(db, 0);
    }
}

#[test]
fn anonymous_report_leaves_no_reporter_trace_on_the_server() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let id = warga
        .create_named_complaint(draft("Pungli di kelurahan", "pu.drainase"), siti())
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    // The national administrator sets the flag the reporter forgot.
    let nasional = Phone::login(&server, "admin-nasional");
    nasional.sync_ok();
    assert_eq!(nasional.reporter_contact(id.clone()).unwrap(), Some(siti()));
    nasional
        .perform(
            id.clone(),
            WorkflowAction::SetFlags {
                anonymous: true,
                confidential: false,
            },
            "anonim".into(),
            vec![],
        )
        .unwrap();
    nasional.sync_ok();
    assert_eq!(nasional.reporter_contact(id.clone()).unwrap(), None);
    // Forgotten by the server itself, before the reporter's phone has even heard of the flag.
    if server.storage.postgres.is_none() {
        assert_eq!(
            rusqlite_rows(&server, "SELECT COUNT(*) FROM reporter_contacts"),
            0
        );
    }
    // Nothing can be given for it again, by the reporter's phone or anyone's.
    let resp = reqwest::blocking::Client::new()
        .put(format!("{}/v1/complaints/{id}/reporter", server.url))
        .bearer_auth(warga.session().access_token)
        .json(&siti())
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    warga.sync_ok();
    assert_eq!(warga.reporter_contact(id.clone()).unwrap(), None);
    if server.storage.postgres.is_none() {
        assert_eq!(
            rusqlite_rows(&server, "SELECT COUNT(*) FROM reporter_contacts"),
            0
        );
    }
}

#[test]
fn a_bridged_complaint_keeps_its_reference_everywhere() {
    let server = Server::start();
    let operator = Phone::login(&server, "penghubung");
    let mut d = draft("Jalan rusak", "pu.drainase");
    d.channel = Some(Channel::Bridged {
        system: "SP4N-LAPOR".into(),
        reference: "LAP-2026-000123".into(),
    });
    let id = operator.file_on_behalf(d, None).unwrap().summary.id;
    operator.sync_ok();
    let admin = Phone::login(&server, "admin-makassar");
    admin.sync_ok();
    let seen = admin.get(id.clone()).unwrap();
    assert_eq!(seen.summary.channel, "bridged");
    assert_eq!(
        seen.bridged_from.as_deref(),
        Some("SP4N-LAPOR LAP-2026-000123")
    );
    assert!(seen.summary.anonymous);
    assert_eq!(ask(&server, &admin, &id).0, 404);
}

fn rusqlite_rows(server: &Server, sql: &str) -> i64 {
    let conn =
        rusqlite::Connection::open(server.storage.data.path().join("aduan-server.db")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_server_database_from_before_reporter_contacts_migrates_forward() {
    let storage = Storage::sqlite();
    let first = Server::start_in(storage.clone());
    let warga = Phone::login(&first, "warga");
    let id = warga
        .create_complaint(draft("Sampah di pasar", "lingkungan.sampah"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    drop(first);
    // As the server before this issue left it: schema 6, no contact table.
    {
        let conn = rusqlite::Connection::open(storage.data.path().join("aduan-server.db")).unwrap();
        conn.execute_batch(aduan_e2e::UNDO_MIGRATIONS_AFTER_6)
            .unwrap();
    }
    let upgraded = Server::start_in(storage.clone());
    let warga = Phone::login(&upgraded, "warga");
    warga.sync_ok();
    assert_eq!(
        warga.get(id.clone()).unwrap().summary.title,
        "Sampah di pasar"
    );
    // The old complaint (filed before channels) reads as the app.
    assert_eq!(warga.get(id.clone()).unwrap().summary.channel, "app");
    warga.set_reporter_contact(id.clone(), siti()).unwrap();
    warga.sync_ok();
    assert_eq!(ask(&upgraded, &warga, &id).0, 200);
    let conn = rusqlite::Connection::open(storage.data.path().join("aduan-server.db")).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version,
        aduan_e2e::SERVER_SCHEMA_VERSION,
        "migrated to the newest schema"
    );
}

#[test]
fn a_confidential_report_reaches_only_its_reporter_and_its_handlers() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let mut d = draft("Pungutan di puskesmas", "pu.drainase");
    d.confidential = true;
    let id = warga.create_complaint(d).unwrap().summary.id;
    warga.sync_ok();
    dispatch_to_makassar(&server, &id);
    let handler = Phone::login(&server, "admin-makassar");
    handler.sync_ok();
    let seen = handler.get(id.clone()).unwrap();
    assert!(seen.summary.confidential);
    assert_eq!(seen.description, "Air meluap ke jalan setiap hujan.");
    // Another institution, a cadre and a citizen without an account receive nothing of it.
    let outsiders = [
        Phone::login(&server, "admin-samarinda"),
        Phone::login(&server, "kader"),
        Phone::anonymous(&server),
    ];
    for p in &outsiders {
        p.sync_ok();
        assert!(p.get(id.clone()).is_err());
        assert!(p.all().iter().all(|c| c.id != id));
    }
}

#[test]
fn a_contact_whose_report_the_server_refused_does_not_stop_the_sync() {
    let server = Server::start_with(Storage::fresh(), &["--complaints-per-day", "1"]);
    let warga = Phone::login(&server, "warga");
    let first = warga
        .create_named_complaint(draft("Selokan tersumbat", "pu.drainase"), siti())
        .unwrap()
        .summary
        .id;
    let second = warga
        .create_named_complaint(draft("Lampu jalan mati", "pu.drainase"), siti())
        .unwrap()
        .summary
        .id;
    // One of the two is refused (quota); the other's contact still reaches the server.
    let report = warga.sync_ok();
    assert_eq!(report.refused, 1);
    warga.sync_ok();
    let reached: Vec<u16> = [&first, &second]
        .iter()
        .map(|id| ask(&server, &warga, id).0)
        .collect();
    let mut sorted = reached.clone();
    sorted.sort();
    assert_eq!(sorted, [200, 404], "{reached:?}");
}
