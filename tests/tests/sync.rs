//! Phones working offline converge through a real server process, and the server lets nobody
//! see or change what is not theirs.

use aduan_core::api::records::*;
use aduan_core::model::{self, log, DocKind};
use aduan_core::sync::protocol;
use aduan_core::types::Status;
use aduan_e2e::{draft, upload_raw, Phone, Server, Storage, PASSWORD};
use automerge::transaction::Transactable;

fn act(p: &Phone, id: &str, action: WorkflowAction, note: &str) {
    p.perform(id.into(), action, note.into(), vec![])
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A tiny deterministic generator, so a failing order can be replayed from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn citizen_cadre_and_two_officers_converge_with_every_action_kept() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let kader = Phone::login(&server, "kader");
    let nasional = Phone::login(&server, "admin-nasional");
    let pemkot = Phone::login(&server, "admin-makassar");
    let petugas = Phone::login(&server, "petugas");
    let penghubung = Phone::login(&server, "penghubung");

    let a = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    let b = warga
        .create_complaint(draft("Jalan berlubang", "pu.jalan"))
        .unwrap()
        .summary
        .id;
    let c = kader
        .create_complaint(draft("Sampah di pasar", "lingkungan.sampah"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    kader.sync_ok();
    nasional.sync_ok();
    for id in [&a, &b] {
        act(
            &nasional,
            id,
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "disposisi",
        );
    }
    nasional.sync_ok();
    pemkot.sync_ok();
    for id in [&a, &b, &c] {
        act(
            &pemkot,
            id,
            WorkflowAction::Assign {
                unit_id: "kota-makassar.dpu".into(),
                field_inspection: false,
            },
            "teruskan",
        );
    }
    pemkot.sync_ok();
    petugas.sync_ok();
    penghubung.sync_ok();

    // Offline: both officers and the reporters act on the same complaints.
    let mut notes = Vec::new();
    for (i, id) in [&a, &b, &c].into_iter().enumerate() {
        act(
            &petugas,
            id,
            WorkflowAction::StartWork,
            &format!("petugas mulai {i}"),
        );
        act(
            &penghubung,
            id,
            WorkflowAction::Reply,
            &format!("penghubung {i}"),
        );
        act(
            &petugas,
            id,
            WorkflowAction::FollowUp,
            &format!("petugas selesai {i}"),
        );
        notes.extend([
            format!("petugas mulai {i}"),
            format!("penghubung {i}"),
            format!("petugas selesai {i}"),
        ]);
    }
    warga
        .comment(a.clone(), "masih bau".into(), vec![])
        .unwrap();
    kader
        .comment(c.clone(), "foto menyusul".into(), vec![])
        .unwrap();
    notes.extend(["masih bau".to_string(), "foto menyusul".to_string()]);

    let phones = [&warga, &kader, &nasional, &pemkot, &petugas, &penghubung];
    let mut rng = Rng(0x5EED_1234);
    for _ in 0..18 {
        phones[rng.next(phones.len())].sync_ok();
    }
    for _ in 0..2 {
        for p in phones {
            p.sync_ok();
        }
    }
    for id in [&a, &b, &c] {
        let views: Vec<ComplaintDetail> = phones
            .iter()
            .filter_map(|p| p.get(id.clone()).ok())
            .collect();
        assert!(
            views.len() >= 5,
            "the reporter and the handlers all hold {id}"
        );
        for v in &views {
            assert_eq!(v.timeline, views[0].timeline);
            assert_eq!(v.summary.status, views[0].summary.status);
        }
        // The reporters answered after the follow-up (by the clock), which keeps it open.
        let expected = if *id == b {
            Status::FollowedUp
        } else {
            Status::InProgress
        };
        assert_eq!(views[0].summary.status, expected);
    }
    for note in &notes {
        let kept = [&a, &b, &c].iter().any(|id| {
            warga
                .get((*id).clone())
                .map(|d| d.timeline.iter().any(|e| &e.note == note))
                .unwrap_or(false)
                || kader
                    .get((*id).clone())
                    .map(|d| d.timeline.iter().any(|e| &e.note == note))
                    .unwrap_or(false)
        });
        assert!(kept, "{note} lost");
    }
    // Nothing was left waiting.
    for p in phones {
        assert_eq!(p.sync_status().unwrap().pending_documents, 0);
    }
}

#[test]
fn citizens_see_only_their_own_and_other_institutions_see_nothing() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let samarinda = Phone::login(&server, "admin-samarinda");
    let nasional = Phone::login(&server, "admin-nasional");
    let other_citizen = Phone::login(&server, "warga");
    let stranger = {
        let dir = tempfile::tempdir().unwrap();
        let store =
            aduan_core::api::ffi::AduanStore::open(dir.path().to_string_lossy().into_owned())
                .unwrap();
        store.continue_anonymously(server.url.clone()).unwrap();
        Phone { store, dir }
    };
    let id = warga
        .create_complaint(ComplaintDraft {
            confidential: true,
            ..draft("Pungli di kelurahan", "anggaran.pungli")
        })
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    stranger.sync_ok();
    samarinda.sync_ok();
    assert!(
        stranger.get(id.clone()).is_err(),
        "another citizen sees nothing"
    );
    assert!(
        samarinda.get(id.clone()).is_err(),
        "another institution sees nothing"
    );
    nasional.sync_ok();
    assert!(nasional.get(id.clone()).is_ok());
    // The same reporter on a second phone gets it, marked as theirs.
    other_citizen.sync_ok();
    assert!(other_citizen.get(id).unwrap().summary.mine);
}

/// Uploads a hand-made event into a complaint's log with a phone's credentials.
fn upload_forged_event(
    server: &Server,
    phone: &Phone,
    complaint_id: &str,
    event_json: String,
) -> protocol::SyncResponse {
    let doc_id = model::doc_id(complaint_id, DocKind::Log);
    let bytes = phone.with_store(|s| s.doc_bytes(&doc_id)).unwrap();
    let mut doc = match bytes {
        Some(b) => automerge::AutoCommit::load(&b).unwrap(),
        None => automerge::AutoCommit::new(),
    };
    let id = format!("forged{}", event_json.len());
    doc.put(
        automerge::ROOT,
        log::event_key(&id),
        event_json.replace("EVENT_ID", &id),
    )
    .unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    upload_raw(server, &phone.session().access_token, doc_id, vec![change])
        .unwrap_or_else(|status| panic!("HTTP {status}"))
}

#[test]
fn tampered_clients_cannot_write_what_their_role_may_not() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let samarinda = Phone::login(&server, "admin-samarinda");
    let petugas = Phone::login(&server, "petugas");
    let id = warga
        .create_complaint(draft("Selokan", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    let event = |account: &str, role: &str, institution: &str, action: &str| {
        format!(
            r#"{{"id":"EVENT_ID","lamport":9,"at":1,"by":{{"role":"{role}","account":"{account}","institution":{institution}}},"action":{action}}}"#
        )
    };
    let cases = [
        // The reporter dispatching their own complaint.
        (
            &warga,
            event(
                "warga",
                "citizen",
                "null",
                r#"{"type":"dispatch","institution":"kota-makassar"}"#,
            ),
            "role_not_allowed",
        ),
        // Writing as someone else.
        (
            &warga,
            event(
                "admin-nasional",
                "national_admin",
                "null",
                r#"{"type":"dispatch","institution":"kota-makassar"}"#,
            ),
            "impersonation",
        ),
        // Another institution's administrator, on a complaint not theirs.
        (
            &samarinda,
            event(
                "admin-samarinda",
                "institution_admin",
                "\"kota-samarinda\"",
                r#"{"type":"archive"}"#,
            ),
            "no_access",
        ),
        // An officer of the right city claiming to be an administrator.
        (
            &petugas,
            event(
                "petugas",
                "institution_admin",
                "\"kota-makassar\"",
                r#"{"type":"archive"}"#,
            ),
            "no_access",
        ),
    ];
    for (phone, json, code) in cases {
        let resp = upload_forged_event(&server, phone, &id, json);
        assert_eq!(resp.refused.len(), 1, "{code}");
        assert_eq!(resp.refused[0].code, code);
    }
    // A log change that overwrites an existing event is refused too.
    let nasional = Phone::login(&server, "admin-nasional");
    nasional.sync_ok();
    act(
        &nasional,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "ok",
    );
    nasional.sync_ok();
    warga.sync_ok();
    let d = warga.get(id.clone()).unwrap();
    assert_eq!(d.summary.status, Status::Dispatched);
    assert_eq!(
        d.timeline.len(),
        1,
        "none of the forged events reached the reporter"
    );
}

#[test]
fn officer_moved_while_offline_keeps_the_refused_work_and_loses_the_complaint() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let pemkot = Phone::login(&server, "admin-makassar");
    let petugas = Phone::login(&server, "petugas");
    let id = warga
        .create_complaint(draft("Selokan", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    nasional.sync_ok();
    act(
        &nasional,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "",
    );
    nasional.sync_ok();
    pemkot.sync_ok();
    act(
        &pemkot,
        &id,
        WorkflowAction::Assign {
            unit_id: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        "",
    );
    pemkot.sync_ok();
    petugas.sync_ok();
    act(
        &petugas,
        &id,
        WorkflowAction::StartWork,
        "dikerjakan offline",
    );
    server.manage(&["account-move", "petugas", "--institution", "kota-samarinda"]);
    let report = petugas.sync_ok();
    assert_eq!(
        report.revoked, 1,
        "the complaint leaves the officer's phone"
    );
    assert!(petugas.get(id.clone()).is_err());
    assert_eq!(
        report.refused, 1,
        "the offline step was refused, not dropped silently"
    );
    let kept = petugas.refused_work().unwrap();
    assert_eq!(
        kept.len(),
        1,
        "kept on the phone after the complaint left it"
    );
    assert_eq!(kept[0].note, "dikerjakan offline");
    assert!(!kept[0].reason.is_empty());
    // The reporter never sees the refused step.
    warga.sync_ok();
    assert!(warga
        .get(id)
        .unwrap()
        .timeline
        .iter()
        .all(|e| e.note != "dikerjakan offline"));
}

#[test]
fn disabled_accounts_and_replayed_tokens_are_refused() {
    let server = Server::start();
    let petugas = Phone::login(&server, "petugas");
    petugas.sync_ok();
    let old_refresh = petugas.session().refresh_token;
    let http = reqwest::blocking::Client::new();
    let renewed = http
        .post(format!("{}/v1/auth/refresh", server.url))
        .json(&serde_json::json!({"refresh_token": old_refresh}))
        .send()
        .unwrap();
    assert!(renewed.status().is_success());
    // The renewed pair in use, the old refresh token is spent.
    let renewed: serde_json::Value = renewed.json().unwrap();
    let access = renewed["access_token"].as_str().unwrap();
    upload_raw(&server, access, "tidak-ada/report".into(), vec![]).unwrap();
    let replayed = http
        .post(format!("{}/v1/auth/refresh", server.url))
        .json(&serde_json::json!({"refresh_token": old_refresh}))
        .send()
        .unwrap();
    assert_eq!(
        replayed.status(),
        401,
        "a spent refresh token works no more"
    );
    server.manage(&["account-disable", "petugas"]);
    let err = petugas.sync(None).unwrap_err();
    assert!(
        err.code() == "signed_out" || err.code() == "unauthorized",
        "{}",
        err.code()
    );
    assert!(petugas.sync_status().unwrap().last_error_en.is_some());
    let wrong = Phone::login_result(&server, "warga", "not the password");
    assert_eq!(
        wrong.err().map(|e| e.code().to_string()).as_deref(),
        Some("bad_credentials")
    );
}

#[test]
fn malformed_and_oversized_payloads_get_a_clear_400() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let token = warga.session().access_token;
    let http = reqwest::blocking::Client::new();
    let post = |body: Vec<u8>| {
        http.post(format!("{}/v1/sync", server.url))
            .bearer_auth(&token)
            .body(body)
            .send()
            .unwrap()
    };
    for body in [
        vec![],
        b"hello".to_vec(),
        vec![0x1f, 0x8b, 0, 0],
        vec![0xFF; 10_000],
    ] {
        let r = post(body);
        assert_eq!(r.status(), 400);
        let json: serde_json::Value = r.json().unwrap();
        assert_eq!(json["code"], "bad_sync_request");
    }
    let r = post(vec![0u8; aduan_core::sync::protocol::MAX_MESSAGE_BYTES + 1]);
    assert!(r.status() == 413 || r.status() == 400, "{}", r.status());
    let unauth = http
        .post(format!("{}/v1/sync", server.url))
        .body(vec![1, 2, 3])
        .send()
        .unwrap();
    assert_eq!(unauth.status(), 401);
    // The server is still fine afterwards.
    warga.sync_ok();
    let health: serde_json::Value = http
        .get(format!("{}/health", server.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["status"], "ok");
}

#[test]
fn a_server_killed_mid_work_loses_nothing_it_acknowledged() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let ids: Vec<String> = (0..5)
        .map(|i| {
            warga
                .create_complaint(draft(&format!("Laporan {i}"), "pu.drainase"))
                .unwrap()
                .summary
                .id
        })
        .collect();
    warga.sync_ok();
    let data = server.kill();
    // A sync against a dead server fails cleanly and keeps everything pending.
    let later = warga
        .create_complaint(draft("Setelah mati", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    assert!(warga.sync(None).is_err());
    assert_eq!(warga.sync_status().unwrap().pending_documents, 1);
    let server = Server::start_in(data);
    warga.point_at(&server.url);
    warga.sync_ok();
    let fresh = Phone::login(&server, "warga");
    fresh.sync_ok();
    for id in ids.iter().chain(std::iter::once(&later)) {
        assert!(fresh.get(id.clone()).is_ok(), "{id} lost");
    }
}

#[test]
fn guessing_passwords_locks_the_account_for_a_while() {
    let server = Server::start();
    for _ in 0..5 {
        let e = Phone::login_result(&server, "petugas", "tebak-tebakan")
            .err()
            .unwrap();
        assert!(format!("{e:?}").contains("bad_credentials"), "{e:?}");
    }
    // Even the right password waits now, and the answer says for how long.
    let e = Phone::login_result(&server, "petugas", PASSWORD)
        .err()
        .unwrap();
    let text = format!("{e:?}");
    assert!(text.contains("too_many_attempts"), "{text}");
    assert!(
        text.contains("1 minutes") && text.contains("1 menit"),
        "{text}"
    );
    // Other accounts are not affected.
    Phone::login(&server, "warga");
}

/// `n` sign-ins sent at once (`who(i)`: account and password of the i-th); each answer's error
/// as text (`None` for a success).
fn sign_ins_at_once(
    server: &Server,
    n: usize,
    who: impl Fn(usize) -> (String, String) + Sync,
) -> Vec<String> {
    let start = std::sync::Barrier::new(n);
    std::thread::scope(|scope| {
        let tries: Vec<_> = (0..n)
            .map(|i| {
                let (start, who) = (&start, &who);
                scope.spawn(move || {
                    let (account, password) = who(i);
                    start.wait();
                    format!(
                        "{:?}",
                        Phone::login_result(server, &account, &password).err()
                    )
                })
            })
            .collect();
        tries.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

fn count(answers: &[String], code: &str) -> usize {
    answers.iter().filter(|a| a.contains(code)).count()
}

#[test]
fn a_flood_of_sign_ins_waits_for_password_checks_instead_of_taking_memory() {
    // Each Argon2 check takes 19 MiB: 48 at once would take about 900 MiB.
    let server = Server::start_with(Storage::fresh(), &["--password-checks", "2"]);
    let before = server.peak_memory_kib();
    let answers = sign_ins_at_once(&server, 48, |i| {
        (format!("tidak-ada-{i}"), "tebakan".into())
    });
    assert_eq!(
        count(&answers, "bad_credentials"),
        48,
        "every sign-in checked and refused: {answers:?}"
    );
    let peak = server.peak_memory_kib();
    eprintln!("peak memory {peak} KiB, {before} KiB before");
    assert!(
        peak < before + 150 * 1024,
        "peak memory {peak} KiB, {before} KiB before 48 sign-ins at once"
    );
    // The server still signs people in.
    Phone::login(&server, "petugas").sync_ok();
}

#[test]
fn guessing_passwords_in_parallel_gets_no_more_tries() {
    let server = Server::start();
    let answers = sign_ins_at_once(&server, 16, |i| ("petugas".into(), format!("tebakan-{i}")));
    let (tried, held) = (
        count(&answers, "bad_credentials"),
        count(&answers, "too_many_attempts"),
    );
    assert_eq!(tried + held, 16, "{answers:?}");
    assert!(
        tried <= 5,
        "{tried} of 16 guesses were checked: {answers:?}"
    );
    let e = Phone::login_result(&server, "petugas", PASSWORD).err();
    assert!(format!("{e:?}").contains("too_many_attempts"), "{e:?}");
}
