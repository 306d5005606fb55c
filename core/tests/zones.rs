//! Indonesia's three time zones: a deadline ends at midnight where the institution holding the
//! stage is (the national desk in Jakarta, WIB; Makassar in WITA; Jayapura in WIT), and a
//! complaint's times are shown in its place's zone.

mod common;

use aduan_core::api::records::*;
use aduan_core::catalog::Directory;
use aduan_core::store::facts;
use aduan_core::types::{Role, Stage, Status};
use aduan_core::workflow::{self, calendar::WorkingCalendar, Deadlines};
use common::*;

const JAYAPURA: &str = "kota-jayapura";

/// Filed by a citizen in Makassar and dispatched by the national desk to Pemkot Makassar;
/// every phone has it.
fn dispatched_to(institution: &str, now: i64, directory: Option<&str>) -> (Phone, Phone, String) {
    let reporter = phone(citizen(), now);
    let national = phone(national_admin(), now);
    let admin = phone(
        identity("admin-x", Role::InstitutionAdmin, Some(institution), None),
        now,
    );
    if let Some(json) = directory {
        for p in [&reporter, &national, &admin] {
            p.set_directory(json.into()).unwrap();
        }
    }
    let id = reporter
        .create_complaint(draft("Selokan tersumbat"))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: institution.into(),
        },
        "",
    );
    push(&national, &admin);
    push(&national, &reporter);
    (reporter, admin, id)
}

/// The bundled directory with Pemkot Jayapura (Papua) added, stated without a zone.
fn with_jayapura() -> String {
    let mut dir: serde_json::Value =
        serde_json::from_str(&Directory::bundled_sample().to_json()).unwrap();
    dir["institutions"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": JAYAPURA,
            "name": "Pemerintah Kota Jayapura",
            "level": "regional",
            "province": "Papua",
            "city": "Kota Jayapura",
            "units": [{"id": "kota-jayapura.dpu", "name": "Dinas PU", "kind": "opd", "categories": ["pu"]}]
        }));
    dir.to_string()
}

#[test]
fn a_makassar_deadline_ends_at_midnight_wita_not_wib() {
    // Dispatched Monday 7 July 2025; three working days: 8, 9 and 10 July, ending at
    // midnight in Makassar, an hour before midnight in Jakarta.
    let (reporter, admin, id) = dispatched_to(INSTITUTION, wita(2025, 7, 7, 9), None);
    for p in [&reporter, &admin] {
        let dl = p.get(id.clone()).unwrap().deadline.unwrap();
        assert_eq!(dl.stage, Stage::InstitutionVerification);
        assert_eq!(dl.due_at, wita(2025, 7, 11, 0) - 1);
        assert_ne!(dl.due_at, wib(2025, 7, 11, 0) - 1);
    }
}

#[test]
fn national_verification_of_a_makassar_complaint_ends_at_midnight_in_jakarta() {
    let reporter = phone(citizen(), wita(2025, 7, 7, 9));
    let d = reporter.create_complaint(draft("Selokan")).unwrap();
    let dl = d.deadline.unwrap();
    assert_eq!(dl.stage, Stage::NationalVerification);
    assert_eq!(dl.due_at, wib(2025, 7, 11, 0) - 1);
}

#[test]
fn a_jayapura_complaint_is_due_at_midnight_wit() {
    let (reporter, admin, id) = dispatched_to(JAYAPURA, wit(2025, 7, 7, 9), Some(&with_jayapura()));
    for p in [&reporter, &admin] {
        let d = p.get(id.clone()).unwrap();
        assert_eq!(d.deadline.unwrap().due_at, wit(2025, 7, 11, 0) - 1);
        assert_eq!(d.summary.zone, "WIT");
        assert_eq!(d.summary.utc_offset_minutes, 540);
    }
    // The list shows the same due time, derived again when the directory arrived.
    let listed = admin.list(ComplaintFilter {
        limit: 10,
        ..Default::default()
    });
    assert_eq!(listed.unwrap()[0].due_at, Some(wit(2025, 7, 11, 0) - 1));
}

#[test]
fn a_makassar_follow_up_left_unanswered_completes_at_midnight_wita() {
    let t0 = wita(2025, 7, 7, 9);
    let (reporter, admin, id) = dispatched_to(INSTITUTION, t0, None);
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: false,
        },
        "",
    );
    admin.set_clock(Some(wita(2025, 7, 9, 10)));
    act(&admin, &id, WorkflowAction::FollowUp, "Sudah dibersihkan");
    push(&admin, &reporter);
    // Ten working days after Wednesday 9 July: the window ends with Wednesday 23 July, at
    // midnight WITA (23:00 WIB).
    reporter.set_clock(Some(wita(2025, 7, 23, 23) + 30 * 60_000));
    assert_eq!(
        reporter.get(id.clone()).unwrap().summary.status,
        Status::FollowedUp
    );
    // 00:30 WITA on the 24th is still 23:30 WIB on the 23rd, yet Makassar's day is over.
    reporter.set_clock(Some(wita(2025, 7, 24, 0) + 30 * 60_000));
    let d = reporter.get(id).unwrap();
    assert_eq!(d.summary.status, Status::Completed);
    assert!(d.auto_completed);
}

#[test]
fn a_makassar_complaint_is_shown_in_wita_even_before_dispatch() {
    let reporter = phone(citizen(), wita(2025, 7, 7, 23));
    let d = reporter.create_complaint(draft("Selokan")).unwrap();
    assert_eq!(d.summary.status, Status::Submitted);
    assert_eq!(d.summary.zone, "WITA", "its kelurahan is in Makassar");
    assert_eq!(d.summary.utc_offset_minutes, 480);
}

#[test]
fn the_server_and_a_phone_agree_on_when_a_wita_complaint_is_due() {
    let (_, admin, id) = dispatched_to(INSTITUTION, wita(2025, 7, 7, 9), None);
    let phone_due = admin.get(id.clone()).unwrap().deadline.unwrap().due_at;
    // The server's deadlines, as sync-server/src/main.rs builds them from its directory,
    // replaying the same documents.
    let server = Deadlines::with_offset_hours(WorkingCalendar::indonesia(), 7)
        .with_directory(&Directory::bundled_sample());
    let server_due = admin
        .with_store(|s| {
            let loaded = s.load(&id)?;
            let events = loaded
                .replay
                .timeline
                .iter()
                .map(|(e, _)| e.clone())
                .collect();
            let replay = workflow::replay(
                &facts(&loaded.report),
                events,
                &Default::default(),
                s.now(),
                &server,
            );
            Ok(replay.state.due_at(&server))
        })
        .unwrap();
    assert_eq!(server_due, Some(phone_due));
    assert_eq!(phone_due, wita(2025, 7, 11, 0) - 1);
}

#[test]
fn the_calendar_offset_is_only_for_institutions_the_directory_does_not_know() {
    let (_, admin, id) = dispatched_to(INSTITUTION, wita(2025, 7, 7, 9), None);
    admin.set_calendar(None, 9).unwrap();
    let dl = admin.get(id).unwrap().deadline.unwrap();
    assert_eq!(dl.due_at, wita(2025, 7, 11, 0) - 1);
}

#[test]
fn a_directory_that_puts_makassar_in_wib_is_refused() {
    let p = phone(citizen(), wita(2025, 7, 7, 9));
    let json = Directory::bundled_sample()
        .to_json()
        .replace("\"zone\":\"wita\"", "\"zone\":\"wib\"");
    let err = p.set_directory(json).unwrap_err();
    assert!(err.to_string().contains("Sulawesi Selatan"), "{err}");
}
