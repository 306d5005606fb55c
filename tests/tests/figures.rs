//! The figures over every complaint on the server: an institution's handlers see their own
//! institution's, the national administrator everyone's, and nobody else any.

use aduan_core::api::records::WorkflowAction;
use aduan_core::figures::GroupBy;
use aduan_e2e::*;

fn act(p: &Phone, id: &str, action: WorkflowAction, note: &str) {
    p.perform(id.into(), action, note.into(), vec![])
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A period holding today.
fn around_today() -> (String, String) {
    ("2000-01-01".into(), "2099-12-31".into())
}

fn code(e: aduan_core::error::AduanError) -> String {
    e.code().to_string()
}

#[test]
fn figures_count_every_complaint_on_the_server_for_whoever_may_see_them() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let ids: Vec<String> = ["Selokan tersumbat", "Sampah menumpuk", "Jalan berlubang"]
        .iter()
        .map(|t| {
            warga
                .create_complaint(draft(t, "pu.drainase"))
                .unwrap()
                .summary
                .id
        })
        .collect();
    warga.sync_ok();
    let national = Phone::login(&server, "admin-nasional");
    national.sync_ok();
    for id in &ids[..2] {
        act(
            &national,
            id,
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "Diteruskan",
        );
    }
    national.sync_ok();
    let admin = Phone::login(&server, "admin-makassar");
    admin.sync_ok();
    act(
        &admin,
        &ids[0],
        WorkflowAction::Assign {
            unit_id: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        "",
    );
    admin.sync_ok();
    let officer = Phone::login(&server, "petugas");
    officer.sync_ok();
    act(
        &officer,
        &ids[0],
        WorkflowAction::FollowUp,
        "Selokan sudah dibersihkan",
    );
    officer.sync_ok();

    let (from, to) = around_today();
    // The institution's administrator: two received, one followed up, one waiting; every
    // complaint filed in the app.
    let f = admin
        .server_figures(from.clone(), to.clone(), Some(GroupBy::Channel), None)
        .unwrap();
    assert_eq!(f.institution.as_deref(), Some("kota-makassar"));
    assert_eq!(
        (
            f.totals.received,
            f.totals.in_process,
            f.totals.not_followed_up,
            f.totals.completed
        ),
        (2, 1, 1, 0)
    );
    assert_eq!(f.totals.followed_up_percent, Some(50.0));
    assert_eq!(f.groups.len(), 1);
    assert_eq!(f.groups[0].key, "app");
    // The officer sees the same, from the server and not from what their phone holds (their
    // phone holds only the complaint assigned to their unit).
    let f = officer
        .server_figures(from.clone(), to.clone(), None, Some("kota-makassar".into()))
        .unwrap();
    assert_eq!(f.totals.received, 2);
    // Another institution's figures are not theirs to see.
    let e = officer
        .server_figures(
            from.clone(),
            to.clone(),
            None,
            Some("kota-samarinda".into()),
        )
        .unwrap_err();
    assert_eq!(code(e), "other_institution");
    let e = warga
        .server_figures(from.clone(), to.clone(), None, None)
        .unwrap_err();
    assert_eq!(code(e), "handlers_only");
    // Samarinda's administrator sees Samarinda's: nothing yet.
    let samarinda = Phone::login(&server, "admin-samarinda");
    let f = samarinda
        .server_figures(from.clone(), to.clone(), None, None)
        .unwrap();
    assert_eq!(f.totals.received, 0);
    // The national administrator sees every institution; the complaint still awaiting
    // verification has reached none.
    let f = national
        .server_figures(from.clone(), to.clone(), Some(GroupBy::Institution), None)
        .unwrap();
    assert_eq!(f.institution, None);
    assert_eq!(f.totals.received, 2);
    assert_eq!(f.groups[0].key, "kota-makassar");
    // A period before any of it holds nothing; a period backwards is refused.
    let f = national
        .server_figures("2022-01-01".into(), "2022-12-31".into(), None, None)
        .unwrap();
    assert_eq!(f.totals.received, 0);
    let e = national
        .server_figures(to.clone(), from.clone(), None, None)
        .unwrap_err();
    assert_eq!(code(e), "bad_period");
}

#[test]
fn an_administrator_reads_the_figures_by_channel_on_the_command_line() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let id = warga
        .create_complaint(draft("Banjir di depan pasar", "pu.banjir"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    let national = Phone::login(&server, "admin-nasional");
    national.sync_ok();
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "Diteruskan",
    );
    national.sync_ok();

    let store = tempfile::tempdir().unwrap();
    let aduan = |args: &[&str]| {
        std::process::Command::new(binary("aduan"))
            .args(["--lang", "en", "--store"])
            .arg(store.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = aduan(&[
        "login",
        "--server",
        &server.url,
        "--account",
        "admin-makassar",
        "--password",
        PASSWORD,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (from, to) = around_today();
    let out = aduan(&[
        "--json", "figures", "--from", &from, "--to", &to, "--by", "channel",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f["totals"]["received"], 1);
    assert_eq!(f["totals"]["not_followed_up"], 1);
    assert_eq!(f["groups"][0]["key"], "app");
    let out = aduan(&["figures", "--from", &from, "--to", &to, "--by", "channel"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Received: 1"), "{text}");
    assert!(text.contains("Not yet followed up: 1"), "{text}");
    // Another institution's: refused with a sentence and a failing exit code.
    let out = aduan(&[
        "figures",
        "--from",
        &from,
        "--to",
        &to,
        "--institution",
        "kota-samarinda",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("your own institution"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = aduan(&["figures", "--from", &from]);
    assert_eq!(out.status.code(), Some(1));
}
