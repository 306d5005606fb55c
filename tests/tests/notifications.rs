//! Notifications from the server's outbox, against real server processes: each step of a
//! complaint tells the people it concerns once (also when syncs are repeated, cut or
//! replayed), nobody of another institution, in each person's language; officers' e-mail
//! reaches a real SMTP server (aiosmtpd, started here), waits while it is down and goes once
//! it is back; preferences are respected; administrators get one summary a day.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use aduan_core::api::notifications::{NotificationChoice, NotificationView};
use aduan_core::api::records::WorkflowAction;
use aduan_core::notify::{NotificationChannel, NotificationKind};
use aduan_core::types::Language;
use aduan_e2e::faults::{Fault, FaultyProxy};
use aduan_e2e::*;

fn act(p: &Phone, id: &str, action: WorkflowAction, note: &str) {
    p.perform(id.into(), action, note.into(), vec![])
        .unwrap_or_else(|e| panic!("{e}"));
    p.sync_ok();
}

/// Syncs, then every notification the phone holds, oldest first.
fn received(p: &Phone) -> Vec<NotificationView> {
    p.sync_ok();
    let mut all = p.notifications(1000).unwrap();
    all.reverse();
    all
}

fn kinds(p: &Phone) -> Vec<NotificationKind> {
    received(p).iter().filter_map(|n| n.kind).collect()
}

fn filed(warga: &Phone, title: &str) -> (String, String) {
    let summary = warga
        .create_complaint(draft(title, "pu.drainase"))
        .unwrap()
        .summary;
    warga.sync_ok();
    (summary.id, summary.tracking_id)
}

use NotificationKind::*;

#[test]
fn each_step_tells_the_people_it_concerns_once_even_when_syncs_are_cut_and_replayed() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let national = Phone::login(&server, "admin-nasional");
    let admin = Phone::login(&server, "admin-makassar");
    let samarinda = Phone::login(&server, "admin-samarinda");
    let petugas = Phone::login(&server, "petugas");
    let penghubung = Phone::login(&server, "penghubung");
    let (id, tracking) = filed(&warga, "Selokan tersumbat di Jl. Rappocini");
    assert_eq!(
        kinds(&national),
        vec![NewWork],
        "the national desk has a report to verify"
    );

    // The national desk's dispatch goes through a link that cuts the first answer and
    // sends the next request twice: the server stores the event once and tells each once.
    let syncs = AtomicU32::new(0);
    let proxy = FaultyProxy::by_path(&server.url, move |path| {
        if path.starts_with("/v1/sync") {
            match syncs.fetch_add(1, Ordering::SeqCst) {
                0 => Fault::CutResponse,
                1 => Fault::Replay,
                _ => Fault::None,
            }
        } else {
            Fault::None
        }
    });
    national.point_at(&proxy.url);
    national
        .perform(
            id.clone(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "Diteruskan ke Pemkot Makassar".into(),
            vec![],
        )
        .unwrap();
    let outgoing = national.with_store(|s| s.outgoing(1 << 20)).unwrap();
    national.sync_ok();
    national.point_at(&server.url);
    // And the same changes replayed later by hand.
    for _ in 0..2 {
        for o in &outgoing {
            upload_raw(
                &server,
                &national.session().access_token,
                o.upload.doc_id.clone(),
                o.upload.changes.clone(),
            )
            .unwrap();
        }
    }

    admin.sync_ok();
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        "",
    );
    petugas.sync_ok();
    act(&petugas, &id, WorkflowAction::StartWork, "");
    act(
        &petugas,
        &id,
        WorkflowAction::FollowUp,
        "Saluran sudah dibersihkan.",
    );
    act(&petugas, &id, WorkflowAction::Close, "Selesai.");

    for _ in 0..3 {
        assert_eq!(
            kinds(&warga),
            vec![
                StatusChanged,
                StatusChanged,
                StatusChanged,
                StatusChanged,
                Completed
            ],
            "dispatched, assigned, in progress, followed up, then completed: each once"
        );
    }
    assert_eq!(kinds(&admin), vec![NewWork], "dispatched to Makassar");
    assert_eq!(
        kinds(&petugas),
        vec![NewWork],
        "assigned to the officer's unit"
    );
    assert_eq!(
        kinds(&penghubung),
        vec![NewWork],
        "an officer bound to no unit hears of work for any unit"
    );
    assert_eq!(
        kinds(&national),
        vec![NewWork],
        "the desk's own dispatch tells it nothing"
    );
    assert_eq!(
        kinds(&samarinda),
        vec![],
        "another institution's administrator hears nothing"
    );

    // The reporter's texts, in the reporter's language, with the tracking id.
    let texts = received(&warga);
    warga.set_language(Language::En);
    let english = warga.pending_notifications().unwrap();
    assert_eq!(english.len(), 5);
    assert_eq!(english[0].title, format!("Report {tracking} completed"));
    assert!(
        texts[0].title.starts_with(&format!("Laporan {tracking}")),
        "{}",
        texts[0].title
    );
    assert!(
        texts[0].body.contains("Didisposisikan ke instansi"),
        "{}",
        texts[0].body
    );
    assert!(
        english[4].body.contains("Dispatched to institution"),
        "{}",
        english[4].body
    );
    assert!(english
        .iter()
        .all(|n| n.complaint_id == id && n.tracking_id == tracking));

    // Shown once: the app marks them, they stay listed but no longer pending.
    let ids: Vec<u64> = english.iter().map(|n| n.id).collect();
    assert_eq!(warga.mark_notifications_shown(ids.clone()).unwrap(), 5);
    assert_eq!(warga.mark_notifications_shown(ids).unwrap(), 0);
    warga.sync_ok();
    assert!(warga.pending_notifications().unwrap().is_empty());
    assert_eq!(warga.notifications(100).unwrap().len(), 5);
}

#[test]
fn an_anonymous_reporter_hears_of_their_report_on_their_own_phone_only() {
    let server = Server::start();
    let anonymous = Phone::anonymous(&server);
    let mut d = draft("Pungutan liar di kelurahan", "anggaran.pungli");
    d.anonymous = true;
    let id = anonymous.create_complaint(d).unwrap().summary.id;
    anonymous.sync_ok();
    let warga = Phone::login(&server, "warga");
    let national = Phone::login(&server, "admin-nasional");
    national.sync_ok();
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "",
    );
    assert_eq!(kinds(&anonymous), vec![StatusChanged]);
    assert_eq!(kinds(&warga), vec![], "another citizen hears nothing");
    let admin = Phone::login(&server, "admin-makassar");
    let told = received(&admin);
    assert_eq!(told.len(), 1);
    assert!(
        !told[0].body.contains("Pungutan") && !told[0].title.contains("Pungutan"),
        "no complaint text travels in a notification"
    );
}

/// A real SMTP server (aiosmtpd) writing each message it accepts into a folder.
struct SmtpSink {
    child: Child,
}

impl SmtpSink {
    fn start(folder: &Path, port: u16) -> SmtpSink {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(folder)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP sink (pip install aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP sink starts (pip install aiosmtpd)"
        );
        SmtpSink { child }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The messages the sink holds, as text.
fn mails(folder: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// `aduan-server notify` with the mail server at `port`.
fn notify(server: &Server, port: u16, flush: bool) -> String {
    let port = port.to_string();
    let mut args = vec![
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-from",
        "Aduan <aduan@makassar.go.id>",
        "notify",
    ];
    if flush {
        args.push("--flush");
    }
    server.manage_output(&args)
}

fn choose(
    p: &Phone,
    email: &str,
    language: Language,
    off: &[(NotificationKind, NotificationChannel)],
) {
    let mut prefs = p.notification_preferences().unwrap();
    assert!(
        prefs.choices.iter().all(|c| c.enabled),
        "everything is on at first"
    );
    prefs.email = email.into();
    prefs.language = language;
    prefs.choices = off
        .iter()
        .map(|(kind, channel)| NotificationChoice {
            kind: *kind,
            channel: *channel,
            enabled: false,
        })
        .collect();
    let saved = p.set_notification_preferences(prefs).unwrap();
    assert_eq!(saved.email, email);
    for (kind, channel) in off {
        assert!(saved
            .choices
            .iter()
            .any(|c| c.kind == *kind && c.channel == *channel && !c.enabled));
    }
}

#[test]
fn officers_get_e_mail_from_a_real_smtp_server_as_they_chose() {
    let server = Server::start();
    let port = free_port();
    let folder = tempfile::tempdir().unwrap();
    let _sink = SmtpSink::start(folder.path(), port);
    let petugas = Phone::login(&server, "petugas");
    let penghubung = Phone::login(&server, "penghubung");
    // The officer wants new work by e-mail, in English, and not on the phone; the liaison
    // officer the other way round.
    choose(
        &petugas,
        "budi@pu.makassar.go.id",
        Language::En,
        &[(NewWork, NotificationChannel::Phone)],
    );
    choose(
        &penghubung,
        "penghubung@makassar.go.id",
        Language::Id,
        &[(NewWork, NotificationChannel::Email)],
    );
    let bad = penghubung.set_notification_preferences(
        aduan_core::api::notifications::NotificationPreferences {
            language: Language::Id,
            email: "bukan alamat".into(),
            choices: vec![],
        },
    );
    assert!(format!("{:?}", bad.unwrap_err()).contains("bad_email"));

    let warga = Phone::login(&server, "warga");
    let (id, tracking) = filed(&warga, "Lampu jalan mati");
    let national = Phone::login(&server, "admin-nasional");
    national.sync_ok();
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "",
    );
    let admin = Phone::login(&server, "admin-makassar");
    admin.sync_ok();
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        "",
    );
    for _ in 0..2 {
        let out = notify(&server, port, false);
        assert!(out.contains("given up 0"), "{out}");
    }
    let got = mails(folder.path());
    assert_eq!(
        got.len(),
        1,
        "one e-mail, to the officer who wanted it: {got:?}"
    );
    assert!(
        got[0].contains("X-Envelope-To: budi@pu.makassar.go.id"),
        "{}",
        got[0]
    );
    assert!(
        got[0].contains(&format!("Subject: New work: {tracking}")),
        "{}",
        got[0]
    );
    assert!(got[0].contains("assigned to your unit"), "{}", got[0]);
    assert_eq!(kinds(&petugas), vec![], "not on the phone, as chosen");
    assert_eq!(kinds(&penghubung), vec![NewWork], "on the phone, as chosen");
}

#[test]
fn e_mail_waits_while_the_mail_server_is_down_and_goes_once_when_it_is_back() {
    let server = Server::start();
    let port = free_port();
    let petugas = Phone::login(&server, "petugas");
    choose(&petugas, "budi@pu.makassar.go.id", Language::Id, &[]);
    let warga = Phone::login(&server, "warga");
    let (id, tracking) = filed(&warga, "Banjir di Jl. Veteran");
    let national = Phone::login(&server, "admin-nasional");
    national.sync_ok();
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "",
    );
    let admin = Phone::login(&server, "admin-makassar");
    admin.sync_ok();
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        "",
    );

    // Nothing listens at the mail server's address yet.
    let out = notify(&server, port, false);
    assert!(out.contains("sent 0, retrying 1"), "{out}");
    let out = notify(&server, port, false);
    assert!(
        out.contains("sent 0, retrying 0"),
        "not retried before its backoff: {out}"
    );

    let folder = tempfile::tempdir().unwrap();
    let _sink = SmtpSink::start(folder.path(), port);
    let out = notify(&server, port, true);
    assert!(out.contains("sent 1, retrying 0"), "{out}");
    let out = notify(&server, port, true);
    assert!(out.contains("sent 0, retrying 0"), "sent once: {out}");
    let got = mails(folder.path());
    assert_eq!(got.len(), 1);
    assert!(got[0].contains(&tracking), "{}", got[0]);

    // The audit says what went to whom, by which channel, and how: no message text.
    let audit: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!(
            "{}/v1/notifications/audit?account=petugas",
            server.url
        ))
        .bearer_auth(national.session().access_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let outcomes: Vec<(String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["channel"] == "email")
        .map(|e| {
            (
                e["kind"].as_str().unwrap().into(),
                e["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("new_work".to_string(), "sent".to_string()),
            ("new_work".to_string(), "retry: unreachable".to_string())
        ]
    );
    assert!(!audit.to_string().contains("Banjir"));
    petugas.sync_ok();
    petugas.sync_ok();
    let audit: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/v1/notifications/audit", server.url))
        .bearer_auth(petugas.session().access_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let phone: Vec<&serde_json::Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["channel"] == "phone")
        .collect();
    assert_eq!(
        phone.len(),
        1,
        "delivered to the officer's phone once: {audit}"
    );
    assert_eq!(phone[0]["outcome"], "delivered");
}

#[test]
fn administrators_get_one_daily_summary_a_day() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let (id, _) = filed(&warga, "Sampah menumpuk");
    filed(&warga, "Jalan berlubang");
    let national = Phone::login(&server, "admin-nasional");
    national.sync_ok();
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "",
    );
    let port = free_port();
    let first = notify(&server, port, false);
    assert!(
        first.contains("made 3 daily summaries"),
        "three administrators: {first}"
    );
    let again = notify(&server, port, false);
    assert!(again.contains("made 0 daily summaries"), "{again}");
    let summary = |p: &Phone| -> Vec<NotificationView> {
        received(p)
            .into_iter()
            .filter(|n| n.kind == Some(DailySummary))
            .collect()
    };
    let makassar = summary(&Phone::login(&server, "admin-makassar"));
    assert_eq!(makassar.len(), 1);
    assert!(
        makassar[0].body.starts_with("1 laporan terbuka"),
        "{}",
        makassar[0].body
    );
    let all = summary(&national);
    assert_eq!(all.len(), 1);
    assert!(
        all[0].body.starts_with("2 laporan terbuka"),
        "{}",
        all[0].body
    );
    assert!(all[0].body.contains("2 diterima"), "{}", all[0].body);
    assert_eq!(summary(&Phone::login(&server, "petugas")), vec![]);
}
