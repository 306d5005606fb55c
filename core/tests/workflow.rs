//! The LAPOR workflow as people live it: every path a complaint can take, every refusal, and
//! the working-day deadlines, each test on real stores exchanging documents as sync would.

mod common;

use aduan_core::api::records::*;
use aduan_core::types::{Stage, Status};
use common::*;

/// Files a complaint on a citizen's phone and brings it to the other phones.
fn filed(now: i64) -> (Phone, Phone, Phone, Phone, String) {
    let reporter = phone(citizen(), now);
    let national = phone(national_admin(), now);
    let admin = phone(institution_admin(), now);
    let officer_phone = phone(officer(), now);
    let id = reporter
        .create_complaint(draft("Selokan tersumbat di Jl. Sultan Alauddin"))
        .unwrap()
        .summary
        .id;
    for p in [&national, &admin, &officer_phone] {
        push(&reporter, p);
    }
    (reporter, national, admin, officer_phone, id)
}

fn sync_all(phones: &[&Phone]) {
    for a in phones {
        for b in phones {
            if !std::ptr::eq(*a, *b) {
                push(a, b);
            }
        }
    }
}

#[test]
fn complaint_goes_from_filing_to_rated_completion() {
    let t0 = wib(2025, 6, 2, 9); // Monday
    let (reporter, national, admin, officer_phone, id) = filed(t0);
    let d = reporter.get(id.clone()).unwrap();
    assert_eq!(d.summary.status, Status::Submitted);
    assert!(d.summary.tracking_id.starts_with("ADU-"));
    assert_eq!(
        d.deadline.as_ref().unwrap().stage,
        Stage::NationalVerification
    );

    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "Diteruskan ke Pemkot Makassar",
    );
    push(&national, &admin);
    let d = act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: false,
        },
        "",
    );
    assert_eq!(d.summary.status, Status::Assigned);
    assert_eq!(d.deadline.as_ref().unwrap().working_days, 14);
    push(&admin, &officer_phone);
    act(
        &officer_phone,
        &id,
        WorkflowAction::StartWork,
        "Tim menuju lokasi",
    );
    let evidence = officer_phone.import_photo(jpeg(640, 480)).unwrap();
    let d = officer_phone
        .perform(
            id.clone(),
            WorkflowAction::FollowUp,
            "Selokan sudah dibersihkan".into(),
            vec![evidence.photo.sha256.clone()],
        )
        .unwrap();
    assert_eq!(d.summary.status, Status::FollowedUp);
    assert_eq!(
        d.timeline.last().unwrap().photos,
        vec![evidence.photo.sha256]
    );

    sync_all(&[&reporter, &national, &admin, &officer_phone]);
    let d = reporter
        .rate(id.clone(), 5, "Cepat sekali, terima kasih".into())
        .unwrap();
    assert_eq!(d.summary.status, Status::Completed);
    assert_eq!(d.rating.as_ref().unwrap().stars, 5);
    sync_all(&[&reporter, &national, &admin, &officer_phone]);
    for p in [&reporter, &national, &admin, &officer_phone] {
        let d = p.get(id.clone()).unwrap();
        assert_eq!(d.summary.status, Status::Completed);
        assert_eq!(
            d.timeline.len(),
            5,
            "dispatch, assign, start, follow-up, rating"
        );
        assert!(d.timeline.iter().all(|e| e.applied));
    }
}

#[test]
fn citizen_cannot_take_workflow_steps() {
    let (reporter, _, _, _, id) = filed(wib(2025, 6, 2, 9));
    assert_eq!(
        refused_code(
            &reporter,
            &id,
            WorkflowAction::Dispatch {
                institution_id: INSTITUTION.into()
            },
            ""
        ),
        "role_not_allowed"
    );
    assert_eq!(
        refused_code(&reporter, &id, WorkflowAction::Archive, ""),
        "role_not_allowed"
    );
    assert_eq!(
        refused_code(&reporter, &id, WorkflowAction::StartWork, ""),
        "role_not_allowed"
    );
}

#[test]
fn only_the_reporter_can_rate_or_reopen() {
    let (_, national, _, _, id) = filed(wib(2025, 6, 2, 9));
    assert_eq!(
        refused_code(&national, &id, WorkflowAction::Rate { stars: 1 }, ""),
        "reporter_only"
    );
    assert_eq!(
        refused_code(&national, &id, WorkflowAction::Reopen, ""),
        "reporter_only"
    );
}

#[test]
fn institution_admin_cannot_act_before_dispatch_to_them() {
    let (_, _, admin, _, id) = filed(wib(2025, 6, 2, 9));
    let code = refused_code(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: false,
        },
        "",
    );
    assert_eq!(code, "invalid_status");
}

fn assigned(now: i64) -> (Phone, Phone, Phone, Phone, String) {
    let (reporter, national, admin, officer_phone, id) = filed(now);
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "",
    );
    push(&national, &admin);
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: false,
        },
        "",
    );
    sync_all(&[&reporter, &national, &admin, &officer_phone]);
    (reporter, national, admin, officer_phone, id)
}

#[test]
fn officer_of_other_institution_cannot_follow_up() {
    let (reporter, _, _, _, id) = assigned(wib(2025, 6, 2, 9));
    let outsider = phone(officer_other_institution(), wib(2025, 6, 2, 10));
    push(&reporter, &outsider);
    assert_eq!(
        refused_code(&outsider, &id, WorkflowAction::FollowUp, "Sudah"),
        "other_institution"
    );
}

#[test]
fn officer_of_other_unit_cannot_start_work_but_liaison_can() {
    let (reporter, _, admin, _, id) = assigned(wib(2025, 6, 2, 9));
    let other_unit = phone(officer_other_unit(), wib(2025, 6, 2, 10));
    let liaison = phone(liaison_officer(), wib(2025, 6, 2, 10));
    push(&admin, &other_unit);
    push(&admin, &liaison);
    push(&reporter, &liaison);
    assert_eq!(
        refused_code(&other_unit, &id, WorkflowAction::StartWork, ""),
        "other_unit"
    );
    assert_eq!(
        act(&liaison, &id, WorkflowAction::StartWork, "")
            .summary
            .status,
        Status::InProgress
    );
}

#[test]
fn institution_admin_cannot_assign_a_unit_of_another_institution() {
    let (_, _, admin, _, id) = assigned(wib(2025, 6, 2, 9));
    let code = refused_code(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: "kota-samarinda.dpupr".into(),
            field_inspection: false,
        },
        "",
    );
    assert!(code == "invalid_parameter" || code == "not_found", "{code}");
}

#[test]
fn follow_up_must_say_what_was_done() {
    let (_, _, _, officer_phone, id) = assigned(wib(2025, 6, 2, 9));
    assert_eq!(
        refused_code(&officer_phone, &id, WorkflowAction::FollowUp, "  "),
        "invalid_parameter"
    );
}

#[test]
fn rating_twice_is_refused() {
    let (reporter, _, _, officer_phone, id) = assigned(wib(2025, 6, 2, 9));
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Sudah dibersihkan",
    );
    push(&officer_phone, &reporter);
    reporter.rate(id.clone(), 4, "".into()).unwrap();
    assert_eq!(
        refused_code(&reporter, &id, WorkflowAction::Rate { stars: 5 }, ""),
        "already_rated"
    );
    let err = reporter.rate(id.clone(), 9, "".into()).unwrap_err();
    assert!(err.code() == "invalid_input" || err.code() == "already_rated");
}

#[test]
fn not_our_authority_returns_the_report_for_rerouting() {
    let t0 = wib(2025, 6, 2, 9);
    let (reporter, national, admin, _, id) = assigned(t0);
    let d = act(
        &admin,
        &id,
        WorkflowAction::NotOurAuthority,
        "Jalan nasional, wewenang Kementerian PU",
    );
    assert_eq!(d.summary.status, Status::Submitted);
    assert_eq!(d.summary.institution_id, None);
    assert_eq!(d.deadline.unwrap().stage, Stage::NationalVerification);
    push(&admin, &national);
    let d = act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: OTHER_INSTITUTION.into(),
        },
        "",
    );
    assert_eq!(d.summary.institution_id.as_deref(), Some(OTHER_INSTITUTION));
    // The first institution no longer handles it.
    push(&national, &admin);
    assert_eq!(
        refused_code(
            &admin,
            &id,
            WorkflowAction::Assign {
                unit_id: UNIT_PU.into(),
                field_inspection: false
            },
            ""
        ),
        "other_institution"
    );
    push(&national, &reporter);
    assert_eq!(reporter.get(id).unwrap().summary.status, Status::Dispatched);
}

#[test]
fn deferral_stops_the_clock_and_resume_restarts_the_stage() {
    let t0 = wib(2025, 6, 2, 9);
    let (_, national, _, _, id) = filed(t0);
    let d = act(
        &national,
        &id,
        WorkflowAction::Defer,
        "Menunggu foto tambahan dari pelapor",
    );
    assert_eq!(d.summary.status, Status::Deferred);
    assert!(d.deadline.is_none());
    assert!(d.available_actions.contains(&ActionKind::Resume));
    national.set_clock(Some(wib(2025, 6, 16, 9)));
    let d = act(&national, &id, WorkflowAction::Resume, "");
    assert_eq!(d.summary.status, Status::Submitted);
    let dl = d.deadline.unwrap();
    assert_eq!(dl.started_at, wib(2025, 6, 16, 9));
    assert!(!dl.overdue);
}

#[test]
fn archived_report_accepts_no_more_steps() {
    let (_, national, _, _, id) = filed(wib(2025, 6, 2, 9));
    act(
        &national,
        &id,
        WorkflowAction::Archive,
        "Laporan tidak jelas",
    );
    assert_eq!(
        refused_code(
            &national,
            &id,
            WorkflowAction::Dispatch {
                institution_id: INSTITUTION.into()
            },
            ""
        ),
        "invalid_status"
    );
}

#[test]
fn duplicate_is_merged_into_the_report_it_repeats() {
    let t0 = wib(2025, 6, 2, 9);
    let (reporter, national, _, _, first) = filed(t0);
    let second = reporter
        .create_complaint(draft("Selokan Jl. Sultan Alauddin tersumbat lagi"))
        .unwrap();
    push(&reporter, &national);
    let target_tracking = national.get(first.clone()).unwrap().summary.tracking_id;
    let d = act(
        &national,
        &second.summary.id,
        WorkflowAction::MergeInto {
            target: target_tracking,
        },
        "Laporan ganda",
    );
    assert_eq!(d.summary.status, Status::Merged);
    assert_eq!(d.merged_into.as_deref(), Some(first.as_str()));
    assert_eq!(
        national.get(first).unwrap().duplicates,
        vec![second.summary.tracking_id]
    );
}

#[test]
fn merging_a_report_into_itself_is_refused() {
    let (_, national, _, _, id) = filed(wib(2025, 6, 2, 9));
    let code = refused_code(
        &national,
        &id,
        WorkflowAction::MergeInto { target: id.clone() },
        "",
    );
    assert!(
        code == "invalid_input" || code == "invalid_parameter",
        "{code}"
    );
}

#[test]
fn administrator_sets_the_flags_the_reporter_forgot_and_they_never_turn_off() {
    let (reporter, national, admin, _, id) = assigned(wib(2025, 6, 2, 9));
    let d = act(
        &national,
        &id,
        WorkflowAction::SetFlags {
            anonymous: true,
            confidential: false,
        },
        "Nama pelapor tertulis di deskripsi",
    );
    assert!(d.summary.anonymous);
    let d = act(
        &national,
        &id,
        WorkflowAction::SetFlags {
            anonymous: false,
            confidential: true,
        },
        "",
    );
    assert!(d.summary.anonymous && d.summary.confidential);
    sync_all(&[&reporter, &national, &admin]);
    let d = reporter.get(id).unwrap();
    assert!(d.summary.anonymous && d.summary.confidential);
}

#[test]
fn follow_up_without_reply_counts_as_completed_after_ten_working_days() {
    let t0 = wib(2025, 6, 2, 9);
    let (reporter, _, _, officer_phone, id) = assigned(t0);
    officer_phone.set_clock(Some(wib(2025, 6, 4, 10)));
    let d = act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Sudah diperbaiki",
    );
    let dl = d.deadline.unwrap();
    assert_eq!(dl.stage, Stage::AwaitingReporter);
    assert_eq!(dl.working_days, 10);
    push(&officer_phone, &reporter);
    // Ten working days after Wednesday 4 June 2025 (6 June is Idul Adha, 9 June collective
    // leave): the window ends with Friday 20 June; after that it counts as completed.
    reporter.set_clock(Some(wib(2025, 6, 20, 20)));
    assert_eq!(
        reporter.get(id.clone()).unwrap().summary.status,
        Status::FollowedUp
    );
    reporter.set_clock(Some(wib(2025, 6, 21, 8)));
    let d = reporter.get(id.clone()).unwrap();
    assert_eq!(d.summary.status, Status::Completed);
    assert!(d.auto_completed);
    let listed = reporter
        .list(ComplaintFilter {
            statuses: vec![Status::Completed],
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 1);
    // The reporter may still rate it.
    assert_eq!(
        reporter
            .rate(id, 3, "".into())
            .unwrap()
            .rating
            .unwrap()
            .stars,
        3
    );
}

#[test]
fn reporter_reply_keeps_the_follow_up_open() {
    let (reporter, _, _, officer_phone, id) = assigned(wib(2025, 6, 2, 9));
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Sudah diperbaiki",
    );
    push(&officer_phone, &reporter);
    let d = reporter
        .comment(id.clone(), "Belum, air masih menggenang".into(), vec![])
        .unwrap();
    assert_eq!(d.summary.status, Status::InProgress);
    let last = d.timeline.last().unwrap();
    assert!(last.by_reporter);
    assert_eq!(last.author_label, "Pelapor");
    reporter.set_clock(Some(wib(2025, 9, 1, 8)));
    assert_eq!(reporter.get(id).unwrap().summary.status, Status::InProgress);
}

#[test]
fn reporter_reopens_a_follow_up_that_did_not_fix_it() {
    let (reporter, _, _, officer_phone, id) = assigned(wib(2025, 6, 2, 9));
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Sudah diperbaiki",
    );
    push(&officer_phone, &reporter);
    assert_eq!(
        act(&reporter, &id, WorkflowAction::Reopen, "Masih banjir")
            .summary
            .status,
        Status::InProgress
    );
}

#[test]
fn officer_closes_after_the_reporter_confirms_by_phone() {
    let (_, _, _, officer_phone, id) = assigned(wib(2025, 6, 2, 9));
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Sudah diperbaiki",
    );
    assert_eq!(
        act(
            &officer_phone,
            &id,
            WorkflowAction::Close,
            "Dikonfirmasi pelapor"
        )
        .summary
        .status,
        Status::Completed
    );
}

#[test]
fn cadre_report_goes_straight_to_their_institution() {
    let cadre_phone = phone(cadre(), wib(2025, 6, 2, 7));
    let d = cadre_phone.create_complaint(ComplaintDraft {
        category_id: "lingkungan.sampah".into(),
        ..draft("Tumpukan sampah di pasar")
    });
    let d = match d {
        Ok(d) => d,
        // The category tree names waste differently; any waste category will do.
        Err(_) => cadre_phone
            .create_complaint(draft("Tumpukan sampah di pasar"))
            .unwrap(),
    };
    assert_eq!(d.summary.status, Status::Dispatched);
    assert_eq!(d.summary.institution_id.as_deref(), Some(INSTITUTION));
    assert_eq!(d.deadline.unwrap().stage, Stage::InstitutionVerification);
}

#[test]
fn information_request_follow_up_is_due_in_five_working_days() {
    let t0 = wib(2025, 6, 2, 9);
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let admin = phone(institution_admin(), t0);
    let id = reporter
        .create_complaint(ComplaintDraft {
            kind: aduan_core::types::ReportKind::InformationRequest,
            ..draft("Jadwal pengangkutan sampah?")
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
        "",
    );
    push(&national, &admin);
    let d = act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: true,
        },
        "",
    );
    let dl = d.deadline.unwrap();
    assert_eq!(
        dl.working_days, 5,
        "information requests get 5 working days even with an inspection"
    );
}

#[test]
fn field_inspection_allows_sixty_working_days() {
    let t0 = wib(2025, 6, 2, 9);
    let (_, national, admin, _, id) = filed(t0);
    act(
        &national,
        &id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "",
    );
    push(&national, &admin);
    let d = act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_PU.into(),
            field_inspection: true,
        },
        "",
    );
    assert_eq!(d.deadline.unwrap().working_days, 60);
}

#[test]
fn national_verification_is_due_three_working_days_later_skipping_the_weekend() {
    // Filed Thursday 5 June 2025: Friday 6 June is Idul Adha and Monday 9 June collective
    // leave, so the three working days are 10, 11 and 12 June.
    let (reporter, _, _, _, id) = filed(wib(2025, 6, 5, 15));
    let dl = reporter.get(id).unwrap().deadline.unwrap();
    assert_eq!(dl.due_at, wib(2025, 6, 13, 0) - 1);
}

#[test]
fn deadline_skips_idul_fitri_collective_leave() {
    // Filed Thursday 27 March 2025: 28 March, 2-4 and 7 April are collective leave, 31 March
    // and 1 April Idul Fitri; the three working days are 8, 9 and 10 April.
    let (reporter, _, _, _, id) = filed(wib(2025, 3, 27, 10));
    let dl = reporter.get(id).unwrap().deadline.unwrap();
    assert_eq!(dl.due_at, wib(2025, 4, 11, 0) - 1);
}

#[test]
fn deadline_crosses_the_year_end_skipping_christmas_and_new_year() {
    // Filed Tuesday 24 Dec 2024: 25 Dec Christmas, 26 Dec collective leave; working days
    // 27, 30 and 31 December.
    let (reporter, _, _, _, id) = filed(wib(2024, 12, 24, 10));
    let dl = reporter.get(id).unwrap().deadline.unwrap();
    assert_eq!(dl.due_at, wib(2025, 1, 1, 0) - 1);
}

#[test]
fn overdue_complaints_are_marked_and_listed_first() {
    let t0 = wib(2025, 6, 2, 9);
    let (reporter, _, _, _, late) = filed(t0);
    reporter.set_clock(Some(wib(2025, 6, 30, 9)));
    let fresh = reporter
        .create_complaint(draft("Lampu jalan mati"))
        .unwrap()
        .summary
        .id;
    let rows = reporter
        .list(ComplaintFilter {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rows[0].id, late);
    assert!(rows[0].overdue);
    assert_eq!(rows[1].id, fresh);
    assert!(!rows[1].overdue);
    let overdue = reporter
        .list(ComplaintFilter {
            overdue_only: true,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(overdue.len(), 1);
}

#[test]
fn concurrent_offline_steps_merge_with_nothing_lost_and_one_status() {
    // Two officers and the reporter act on the same complaint on three disconnected phones.
    let (reporter, _, admin, officer_phone, id) = assigned(wib(2025, 6, 2, 9));
    let liaison = phone(liaison_officer(), wib(2025, 6, 3, 9));
    push(&admin, &liaison);
    push(&reporter, &liaison);
    act(
        &officer_phone,
        &id,
        WorkflowAction::StartWork,
        "Tim berangkat",
    );
    act(
        &liaison,
        &id,
        WorkflowAction::Reply,
        "Sudah kami teruskan ke lurah",
    );
    reporter
        .comment(id.clone(), "Tambahan: airnya berbau".into(), vec![])
        .unwrap();
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Selokan dibersihkan",
    );
    act(&liaison, &id, WorkflowAction::StartWork, "Saya cek juga");
    sync_all(&[&reporter, &officer_phone, &liaison, &admin]);
    let views: Vec<_> = [&reporter, &officer_phone, &liaison, &admin]
        .iter()
        .map(|p| p.get(id.clone()).unwrap())
        .collect();
    for v in &views {
        assert_eq!(v.summary.status, views[0].summary.status);
        assert_eq!(v.timeline, views[0].timeline);
    }
    let notes: Vec<&str> = views[0].timeline.iter().map(|e| e.note.as_str()).collect();
    for n in [
        "Tim berangkat",
        "Sudah kami teruskan ke lurah",
        "Tambahan: airnya berbau",
        "Selokan dibersihkan",
        "Saya cek juga",
    ] {
        assert!(notes.contains(&n), "{n} lost");
    }
}

#[test]
fn available_actions_follow_role_and_status() {
    let (reporter, national, admin, officer_phone, id) = filed(wib(2025, 6, 2, 9));
    let mine = reporter.get(id.clone()).unwrap().available_actions;
    assert!(mine.contains(&ActionKind::Edit) && mine.contains(&ActionKind::Reply));
    assert!(!mine.contains(&ActionKind::Dispatch));
    let nat = national.get(id.clone()).unwrap().available_actions;
    for a in [
        ActionKind::Dispatch,
        ActionKind::Defer,
        ActionKind::Archive,
        ActionKind::MergeInto,
        ActionKind::SetFlags,
    ] {
        assert!(nat.contains(&a), "{a:?}");
    }
    assert!(admin
        .get(id.clone())
        .unwrap()
        .available_actions
        .iter()
        .all(|a| *a != ActionKind::Assign));
    assert!(officer_phone.get(id).unwrap().available_actions.is_empty());
}

/// The officer's phone says the follow-up was written three weeks before it reached the
/// server; the server's admission stamps when it arrived, and every replica counts the
/// reporter's ten working days from that stamp.
#[test]
fn a_backdated_follow_up_counts_the_reply_window_from_the_servers_receipt() {
    use aduan_core::model::{self, DocKind};
    use aduan_core::sync::authority::{admit, decode_new, Uploader};
    use aduan_core::types::Role;

    let t0 = wib(2025, 6, 2, 9);
    let (reporter, national, _, officer_phone, id) = assigned(t0);
    let log_id = model::doc_id(&id, DocKind::Log);
    let bytes = |p: &Phone| p.with_store(|s| s.doc_bytes(&log_id)).unwrap().unwrap();
    // The server's copy of the log before the follow-up.
    let mut server = automerge::AutoCommit::load(&bytes(&national)).unwrap();
    officer_phone.set_clock(Some(wib(2025, 6, 4, 10)));
    act(
        &officer_phone,
        &id,
        WorkflowAction::FollowUp,
        "Sudah diperbaiki",
    );
    let mut officer_doc = automerge::AutoCommit::load(&bytes(&officer_phone)).unwrap();
    let raw: Vec<Vec<u8>> = officer_doc
        .get_changes(&server.get_heads())
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    // It reaches the server on Wednesday 25 June 2025.
    let received = wib(2025, 6, 25, 11);
    let me = officer();
    let uploader = Uploader {
        account_id: me.account_id,
        display_name: me.display_name,
        role: Role::Officer,
        institution_id: me.institution_id,
        unit_id: me.unit_id,
        owner: false,
        now: received,
    };
    let changes = decode_new(&mut server, &raw).unwrap();
    admit(DocKind::Log, &id, &mut server, changes, &uploader).expect("admitted");
    let stamped = server.save();
    for p in [&reporter, &officer_phone] {
        p.with_store(|s| s.apply_remote(&log_id, &stamped)).unwrap();
    }
    // A week after the follow-up reached the server, the reporter may still answer; the
    // officer's phone agrees.
    for p in [&reporter, &officer_phone] {
        p.set_clock(Some(wib(2025, 7, 2, 9)));
        let d = p.get(id.clone()).unwrap();
        assert_eq!(d.summary.status, Status::FollowedUp);
        assert!(!d.auto_completed);
    }
    // Ten working days from 25 June (27 June is the Islamic New Year): 10 July is the last.
    reporter.set_clock(Some(wib(2025, 7, 10, 20)));
    assert_eq!(
        reporter.get(id.clone()).unwrap().summary.status,
        Status::FollowedUp
    );
    reporter.set_clock(Some(wib(2025, 7, 11, 8)));
    let d = reporter.get(id).unwrap();
    assert_eq!(d.summary.status, Status::Completed);
    assert!(d.auto_completed);
}
