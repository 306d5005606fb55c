//! The cadres' 24 hours and escalation: a field cadre's report must be acted on within the
//! institution's cadre hours, and overdue work is raised, as events in the log, first to the
//! institution's administrator and then to the level above.

mod common;

use aduan_core::api::records::*;
use aduan_core::workflow::escalation::NATIONAL_DESK;
use aduan_core::workflow::Escalation;
use common::*;

const HOUR: i64 = 3_600_000;

/// The system's sweep on one replica (the server runs the same core function).
fn sweep(p: &Phone, id: &str) -> u32 {
    p.with_store(|s| s.escalate_overdue(id)).unwrap()
}

fn escalation(p: &Phone, id: &str) -> Option<Escalation> {
    p.with_store(|s| Ok(s.load(id)?.replay.state.escalation))
        .unwrap()
}

fn escalations(d: &ComplaintDetail) -> Vec<&TimelineEntry> {
    d.timeline
        .iter()
        .filter(|e| e.action == "escalate")
        .collect()
}

#[test]
fn cadre_report_escalates_after_24_hours() {
    // Monday 2 June 2025, 07:00.
    let t0 = wib(2025, 6, 2, 7);
    let cadre_phone = phone(cadre(), t0);
    let id = cadre_phone
        .create_complaint(draft("Tumpukan sampah di pasar"))
        .unwrap()
        .summary
        .id;
    let d = cadre_phone.get(id.clone()).unwrap();
    assert_eq!(
        d.deadline.unwrap().due_at,
        t0 + 24 * HOUR,
        "a cadre's report is due in 24 hours, not three working days"
    );

    cadre_phone.set_clock(Some(t0 + 23 * HOUR));
    assert_eq!(sweep(&cadre_phone, &id), 0, "not yet overdue");

    cadre_phone.set_clock(Some(t0 + 25 * HOUR));
    assert_eq!(sweep(&cadre_phone, &id), 1);
    let d = cadre_phone.get(id.clone()).unwrap();
    let steps = escalations(&d);
    assert_eq!(steps.len(), 1);
    assert!(steps[0].applied);
    assert_eq!(steps[0].at, t0 + 24 * HOUR, "dated when the target passed");
    assert!(steps[0].action_label.contains(INSTITUTION));
    let e = escalation(&cadre_phone, &id).unwrap();
    assert_eq!((e.level, e.to.as_str()), (1, INSTITUTION));

    // The institution's administrator sees it in the timeline once it reaches them.
    let admin = phone(institution_admin(), t0 + 25 * HOUR);
    push(&cadre_phone, &admin);
    assert_eq!(escalations(&admin.get(id.clone()).unwrap()).len(), 1);

    // A citizen's report filed at the same moment is not overdue after 25 hours.
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let other = reporter
        .create_complaint(draft("Selokan"))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    act(
        &national,
        &other,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "",
    );
    national.set_clock(Some(t0 + 25 * HOUR));
    assert_eq!(sweep(&national, &other), 0);
}

#[test]
fn cadre_report_answered_in_time_does_not_escalate() {
    let t0 = wib(2025, 6, 2, 7);
    let cadre_phone = phone(cadre(), t0);
    let admin = phone(institution_admin(), t0);
    let id = cadre_phone
        .create_complaint(draft("Tumpukan sampah di pasar"))
        .unwrap()
        .summary
        .id;
    push(&cadre_phone, &admin);
    admin.set_clock(Some(t0 + 2 * HOUR));
    act(
        &admin,
        &id,
        WorkflowAction::Assign {
            unit_id: UNIT_DLH.into(),
            field_inspection: false,
        },
        "",
    );
    act(&admin, &id, WorkflowAction::StartWork, "");
    admin.set_clock(Some(t0 + 30 * HOUR));
    assert_eq!(sweep(&admin, &id), 0, "work started within the 24 hours");
}

#[test]
fn overdue_escalates_to_admin_then_level_above() {
    let t0 = wib(2025, 7, 7, 9); // Monday
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
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
            institution_id: INSTITUTION.into(),
        },
        "",
    );
    // The institution's verification is due at the end of Thursday 10 July (3 working days),
    // at midnight where the institution is.
    let due = national.get(id.clone()).unwrap().deadline.unwrap().due_at;
    national.set_clock(Some(due));
    assert_eq!(sweep(&national, &id), 0, "due, not yet overdue");

    national.set_clock(Some(due + 1));
    assert_eq!(sweep(&national, &id), 1);
    assert_eq!(sweep(&national, &id), 0, "one event per level");
    let e = escalation(&national, &id).unwrap();
    assert_eq!((e.level, e.to.as_str(), e.due), (1, INSTITUTION, due));

    // One more working day (Friday 11 July) without action: the level above.
    national.set_clock(Some(due + 20 * HOUR));
    assert_eq!(sweep(&national, &id), 0);
    national.set_clock(Some(due + 24 * HOUR + 1));
    assert_eq!(sweep(&national, &id), 1);
    let e = escalation(&national, &id).unwrap();
    assert_eq!((e.level, e.to.as_str()), (2, NATIONAL_DESK));
    national.set_clock(Some(due + 30 * 24 * HOUR));
    assert_eq!(sweep(&national, &id), 0, "nothing above the national desk");

    let d = national.get(id.clone()).unwrap();
    let labels: Vec<&str> = escalations(&d)
        .iter()
        .map(|e| e.action_label.as_str())
        .collect();
    assert_eq!(labels.len(), 2);
    assert!(labels[0].contains("admin instansi") || labels[0].contains("administrator"));
    assert!(labels[1].contains(NATIONAL_DESK));
}

#[test]
fn a_sweep_long_after_the_deadline_writes_both_steps() {
    let t0 = wib(2025, 6, 2, 9);
    let cadre_phone = phone(cadre(), t0);
    let id = cadre_phone
        .create_complaint(draft("Lampu jalan mati"))
        .unwrap()
        .summary
        .id;
    cadre_phone.set_clock(Some(t0 + 100 * HOUR));
    assert_eq!(sweep(&cadre_phone, &id), 2);
    assert_eq!(escalation(&cadre_phone, &id).unwrap().level, 2);
}

#[test]
fn two_servers_escalating_at_once_write_one_step() {
    let t0 = wib(2025, 6, 2, 9);
    let cadre_phone = phone(cadre(), t0);
    let id = cadre_phone
        .create_complaint(draft("Lampu jalan mati"))
        .unwrap()
        .summary
        .id;
    let a = phone(national_admin(), t0 + 25 * HOUR);
    let b = phone(national_admin(), t0 + 26 * HOUR);
    push(&cadre_phone, &a);
    push(&cadre_phone, &b);
    assert_eq!(sweep(&a, &id), 1);
    assert_eq!(sweep(&b, &id), 1);
    exchange(&a, &b);
    let (da, db) = (a.get(id.clone()).unwrap(), b.get(id.clone()).unwrap());
    assert_eq!(escalations(&da).len(), 1, "the same step is one event");
    assert_eq!(da.timeline, db.timeline);
    assert_eq!(escalation(&a, &id), escalation(&b, &id));
}

#[test]
fn no_one_uploads_an_escalation() {
    use aduan_core::model::event::Action;
    use aduan_core::types::Role;
    use aduan_core::workflow::rules::role_may;
    let step = Action::Escalate {
        level: 1,
        to: INSTITUTION.into(),
        due: 0,
    };
    for role in Role::ALL {
        assert!(!role_may(&step, *role, false));
        assert!(!role_may(&step, *role, true));
    }
}

#[test]
fn cadre_report_sorts_first_in_the_institutions_queue() {
    let t0 = wib(2025, 7, 7, 9);
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let admin = phone(institution_admin(), t0);
    let citizens = reporter
        .create_complaint(draft("Selokan tersumbat"))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    act(
        &national,
        &citizens,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "",
    );
    // Filed a day later by a cadre, it still comes first: it is due within 24 hours.
    let cadre_phone = phone(cadre(), t0 + 24 * HOUR);
    let cadres = cadre_phone
        .create_complaint(draft("Tumpukan sampah di pasar"))
        .unwrap()
        .summary
        .id;
    push(&national, &admin);
    push(&cadre_phone, &admin);
    admin.set_clock(Some(t0 + 25 * HOUR));
    let queue: Vec<String> = admin
        .list(ComplaintFilter {
            institution_id: Some(INSTITUTION.into()),
            sort: SortOrder::DueSoonest,
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(queue, vec![cadres, citizens]);
}
