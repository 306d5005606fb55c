//! The public view of a complaint (issue 14, item 4): what anyone may see without an account,
//! built by core so the server and a phone show the same, and nothing personal in it.

mod common;

use aduan_core::api::records::*;
use aduan_core::types::{Location, Status};
use common::*;

/// Words that must never reach the public: each one marks where it came from.
const TITLE: &str = "Selokan depan rumah Bu Ratna";
const DESCRIPTION: &str = "Hubungi saya di 0812-3456-7890, rumah cat biru";
const ADDRESS: &str = "Jl. Mawar Gang 3 No. 17";
const INTERNAL_NOTE: &str = "catatan internal: pelapor kerabat kepala dinas";
const REPORTER_REPLY: &str = "Pak, saya Ratna Dewi, masih banjir";
const RATING_NOTE: &str = "terima kasih Pak Anwar";
const INSTITUTION_REPLY: &str = "Saluran sudah dikeruk dan dibersihkan";

fn located_draft(confidential: bool) -> ComplaintDraft {
    ComplaintDraft {
        title: TITLE.into(),
        description: DESCRIPTION.into(),
        location: Location {
            latitude: Some(-5.171234),
            longitude: Some(119.432187),
            accuracy_m: Some(8.0),
            address: ADDRESS.into(),
            province: "Sulawesi Selatan".into(),
            city: "Kota Makassar".into(),
            kecamatan: "Tamalate".into(),
            kelurahan: "Mangasa".into(),
            area: String::new(),
        },
        confidential,
        ..draft("x")
    }
}

/// A named citizen's complaint handled to a rated completion, with notes of every kind and a
/// photo; every phone holds all of it.
fn handled(confidential: bool) -> (Phone, Phone, String) {
    let t0 = wib(2025, 6, 2, 9);
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let admin = phone(institution_admin(), t0);
    let officer_phone = phone(officer(), t0);
    let photo = reporter.import_photo(jpeg(64, 48)).unwrap().photo.sha256;
    let id = reporter
        .create_complaint(ComplaintDraft {
            photos: vec![photo],
            ..located_draft(confidential)
        })
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        INTERNAL_NOTE,
    );
    push(&national, &admin);
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: false,
        },
        INTERNAL_NOTE,
    );
    push(&admin, &officer_phone);
    act(
        &officer_phone,
        &id,
        WorkflowAction::StartWork,
        INTERNAL_NOTE,
    );
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        INSTITUTION_REPLY,
    );
    push(&officer_phone, &reporter);
    reporter
        .comment(id.clone(), REPORTER_REPLY.into(), vec![])
        .unwrap();
    push(&reporter, &officer_phone);
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        INSTITUTION_REPLY,
    );
    push(&officer_phone, &reporter);
    reporter.rate(id.clone(), 4, RATING_NOTE.into()).unwrap();
    push(&reporter, &officer_phone);
    (reporter, officer_phone, id)
}

#[test]
fn the_public_view_carries_no_personal_data() {
    let (reporter, officer_phone, id) = handled(false);
    let detail = reporter.get(id.clone()).unwrap();
    let photo = detail.photos[0].sha256.clone();
    let view = officer_phone
        .public_view(id.clone())
        .unwrap()
        .expect("public");
    let json = serde_json::to_string(&view).unwrap();
    let reporter_identity = citizen();
    let officer_identity = officer();
    for secret in [
        TITLE,
        DESCRIPTION,
        "0812",
        ADDRESS,
        "Mawar",
        "-5.17",
        "119.43",
        INTERNAL_NOTE,
        REPORTER_REPLY,
        RATING_NOTE,
        "Ratna",
        &reporter_identity.account_id,
        &reporter_identity.display_name,
        &officer_identity.account_id,
        &officer_identity.display_name,
        &photo,
        &detail.photos[0].thumb_sha256,
        &id,
    ] {
        assert!(
            !json.contains(secret),
            "{secret:?} is in the public view: {json}"
        );
    }
    // What it is for: where, what, how far, and what the institution answered.
    assert_eq!(view.tracking_id, detail.summary.tracking_id);
    assert_eq!(view.category_id, "pu.drainase");
    assert_eq!(view.area.kelurahan, "Mangasa");
    assert_eq!(view.area.city, "Kota Makassar");
    assert_eq!(view.status, Status::Completed);
    assert_eq!(view.institution_id.as_deref(), Some(INSTITUTION));
    let steps: Vec<&str> = view.timeline.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        steps,
        [
            "dispatch",
            "assign",
            "start_work",
            "follow_up",
            "reply",
            "follow_up",
            "rate"
        ]
    );
    let replies: Vec<&str> = view
        .timeline
        .iter()
        .filter_map(|s| s.reply.as_deref())
        .collect();
    assert_eq!(replies, [INSTITUTION_REPLY, INSTITUTION_REPLY]);
    assert!(view.timeline[4].by_reporter);
    // The reporter's phone and a handler's build the same view from the same documents.
    assert_eq!(reporter.public_view(id).unwrap(), Some(view));
}

#[test]
fn a_confidential_complaint_has_no_public_view() {
    let (reporter, officer_phone, id) = handled(true);
    assert_eq!(reporter.public_view(id.clone()).unwrap(), None);
    assert_eq!(officer_phone.public_view(id).unwrap(), None);
}

#[test]
fn a_complaint_an_administrator_marks_confidential_leaves_the_public_view() {
    let t0 = wib(2025, 6, 2, 9);
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let id = reporter
        .create_complaint(located_draft(false))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    assert!(national.public_view(id.clone()).unwrap().is_some());
    act(
        &national,
        &id,
        WorkflowAction::SetFlags {
            anonymous: false,
            confidential: true,
        },
        "",
    );
    assert_eq!(national.public_view(id.clone()).unwrap(), None);
    push(&national, &reporter);
    assert_eq!(reporter.public_view(id).unwrap(), None);
}

#[test]
fn a_merged_complaint_does_not_say_which_report_it_joined() {
    let t0 = wib(2025, 6, 2, 9);
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let first = reporter
        .create_complaint(located_draft(true))
        .unwrap()
        .summary;
    let second = reporter
        .create_complaint(located_draft(false))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    act(
        &national,
        &second,
        WorkflowAction::MergeInto {
            target: first.id.clone(),
        },
        "",
    );
    let view = national.public_view(second).unwrap().unwrap();
    assert_eq!(view.status, Status::Merged);
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains(&first.id), "{json}");
    assert!(!json.contains(&first.tracking_id), "{json}");
}
