//! The cadres' 24 hours and escalation: a field cadre's report must be acted on within the
//! institution's cadre hours, and overdue work is raised, as events in the log, first to the
//! institution's administrator and then to the level above.

mod common;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::catalog::Directory;
use aduan_core::types::Language;
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
    assert!(
        steps[0].action_label.contains("Pemerintah Kota Makassar"),
        "names the institution, not its id: {}",
        steps[0].action_label
    );
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
    assert_eq!(
        labels,
        vec![
            "Terlambat, dieskalasi ke admin instansi: Pemerintah Kota Makassar",
            "Terlambat, dieskalasi ke admin nasional",
        ],
        "readable, with no directory ids or raw keys"
    );
    national.set_language(Language::En);
    let d = national.get(id.clone()).unwrap();
    let labels: Vec<&str> = escalations(&d)
        .iter()
        .map(|e| e.action_label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec![
            "Overdue, escalated to the institution's administrator: Pemerintah Kota Makassar",
            "Overdue, escalated to the national administrator",
        ]
    );
    let dispatch = d.timeline.iter().find(|e| e.action == "dispatch").unwrap();
    assert_eq!(
        dispatch.action_label,
        "Dispatched: Pemerintah Kota Makassar"
    );
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

/// The bundled directory, with the city's field cadres in `areas` (kelurahan codes), on every
/// phone: which kelurahan have cadres is the directory's, the same on every replica.
fn cadres_in(areas: &[&str], phones: &[&Phone]) {
    let mut directory = Directory::bundled_sample();
    directory
        .institutions
        .iter_mut()
        .find(|i| i.id == INSTITUTION)
        .unwrap()
        .cadre_areas = areas.iter().map(|a| a.to_string()).collect();
    for p in phones {
        p.set_directory(directory.to_json()).unwrap();
    }
}

fn draft_in(title: &str, kecamatan: &str, kelurahan: &str) -> ComplaintDraft {
    let mut d = draft(title);
    d.location.kecamatan = kecamatan.into();
    d.location.kelurahan = kelurahan.into();
    d.location.latitude = None;
    d.location.longitude = None;
    d.location.accuracy_m = None;
    d
}

fn dispatch(national: &Phone, id: &str) {
    act(
        national,
        id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "",
    );
}

#[test]
fn a_report_names_its_kelurahan_by_code_when_the_catalog_knows_it() {
    let reporter = phone(citizen(), wib(2025, 7, 7, 9));
    let d = reporter.create_complaint(draft("Selokan")).unwrap();
    assert!(
        d.location.area.starts_with("73.71.") && d.location.area.split('.').count() == 4,
        "Mangasa, Tamalate is a village of Kota Makassar: {:?}",
        d.location.area
    );
    let unknown = reporter
        .create_complaint(draft_in("Selokan", "", "Tidak Ada Di Peta"))
        .unwrap();
    assert_eq!(unknown.location.area, "");
    // Moved to another kelurahan by its reporter, it names the new one's code.
    let mut moved = draft_in("Selokan", "Mariso", "Lette").location;
    moved.area = String::new();
    let edited = reporter
        .edit_complaint(
            d.summary.id.clone(),
            ComplaintEdit {
                location: Some(moved),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        edited.location.area.starts_with("73.71.01."),
        "{:?}",
        edited.location.area
    );
    assert_ne!(edited.location.area, d.location.area);
}

#[test]
fn report_in_a_cadres_area_gets_24_hours() {
    let t0 = wib(2025, 7, 7, 9); // Monday
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let in_area = reporter
        .create_complaint(draft("Sampah menumpuk di Mangasa"))
        .unwrap();
    let mangasa = in_area.location.area.clone();
    let elsewhere = reporter
        .create_complaint(draft_in("Sampah di Mariso", "Mariso", "Lette"))
        .unwrap();
    assert!(elsewhere.location.area.starts_with("73.71.01."));
    cadres_in(&[&mangasa], &[&reporter, &national]);
    push(&reporter, &national);
    national.set_clock(Some(t0 + HOUR));
    dispatch(&national, &in_area.summary.id);
    dispatch(&national, &elsewhere.summary.id);

    let d = national.get(in_area.summary.id.clone()).unwrap();
    assert_eq!(
        d.deadline.unwrap().due_at,
        t0 + HOUR + 24 * HOUR,
        "a citizen's report in a cadre's kelurahan is due 24 hours after it reaches the city"
    );
    let d = national.get(elsewhere.summary.id.clone()).unwrap();
    assert!(
        d.deadline.unwrap().due_at > t0 + 72 * HOUR,
        "a kelurahan without a cadre keeps the three working days"
    );

    // The hours are the institution's own when it sets them.
    let mut directory = Directory::bundled_sample();
    let city = directory
        .institutions
        .iter_mut()
        .find(|i| i.id == INSTITUTION)
        .unwrap();
    city.cadre_areas = vec![mangasa];
    city.cadre_response_hours = Some(12);
    national.set_directory(directory.to_json()).unwrap();
    let d = national.get(in_area.summary.id.clone()).unwrap();
    assert_eq!(d.deadline.unwrap().due_at, t0 + HOUR + 12 * HOUR);

    // Once overdue it escalates on the cadres' clock.
    national.set_clock(Some(t0 + 14 * HOUR));
    assert_eq!(sweep(&national, &in_area.summary.id), 1);
    assert_eq!(sweep(&national, &elsewhere.summary.id), 0);
}

fn queue(p: &Phone) -> Vec<String> {
    p.list(ComplaintFilter {
        sort: SortOrder::DueSoonest,
        limit: 10,
        ..Default::default()
    })
    .unwrap()
    .into_iter()
    .map(|s| s.id)
    .collect()
}

#[test]
fn cadre_reports_come_first_in_the_queue() {
    let t0 = wib(2025, 7, 7, 9); // Monday
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let admin = phone(institution_admin(), t0);
    // A citizen's report, dispatched on Monday, overdue by the next Monday.
    let overdue = reporter
        .create_complaint(draft_in("Selokan tersumbat", "Mariso", "Lette"))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    dispatch(&national, &overdue);
    // A week later a cadre files; its 24 hours end after the citizen's deadline passed.
    let cadre_phone = phone(cadre(), t0 + 7 * 24 * HOUR);
    let cadres = cadre_phone
        .create_complaint(draft("Tumpukan sampah di pasar"))
        .unwrap()
        .summary
        .id;
    push(&national, &admin);
    push(&cadre_phone, &admin);
    admin.set_clock(Some(t0 + 7 * 24 * HOUR + HOUR));
    let overdue_due = admin.get(overdue.clone()).unwrap().deadline.unwrap();
    assert!(overdue_due.overdue);
    assert_eq!(
        queue(&admin),
        vec![cadres.clone(), overdue.clone()],
        "the cadre's report is owed a response within hours: it comes first"
    );

    // Once the institution has responded, it takes its place by deadline again.
    act(
        &admin,
        &cadres,
        WorkflowAction::Assign {
            unit_id: UNIT_DLH.into(),
            field_inspection: false,
        },
        "",
    );
    act(&admin, &cadres, WorkflowAction::StartWork, "");
    assert_eq!(queue(&admin), vec![overdue, cadres]);
}

#[test]
fn escalated_items_come_first_in_the_administrators_queue() {
    let t0 = wib(2025, 7, 7, 9); // Monday
    let reporter = phone(citizen(), t0);
    let national = phone(national_admin(), t0);
    let admin = phone(institution_admin(), t0);
    // Two citizens' reports with the city: the first dispatched a day before the second.
    let first = reporter
        .create_complaint(draft_in("Selokan tersumbat", "Mariso", "Lette"))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    dispatch(&national, &first);
    national.set_clock(Some(t0 + 24 * HOUR));
    let escalated = reporter
        .create_complaint(draft_in("Jalan berlubang", "Mariso", "Lette"))
        .unwrap()
        .summary
        .id;
    push(&reporter, &national);
    dispatch(&national, &escalated);
    push(&national, &admin);
    // The second is overdue and escalated to the city's administrator (the first too, but a
    // sweep has not reached it yet); a cadre's report waits for its response.
    let later = t0 + 7 * 24 * HOUR;
    admin.set_clock(Some(later));
    assert_eq!(sweep(&admin, &escalated), 1);
    let cadre_phone = phone(cadre(), later);
    let cadres = cadre_phone
        .create_complaint(draft("Tumpukan sampah di pasar"))
        .unwrap()
        .summary
        .id;
    push(&cadre_phone, &admin);
    admin.set_clock(Some(later + HOUR));
    assert_eq!(
        queue(&admin),
        vec![escalated.clone(), cadres.clone(), first.clone()],
        "escalated to me, then the cadres' hours, then by deadline"
    );
    // Another institution's administrator is not the one it was escalated to: the national
    // desk's queue puts it first only once it reaches the national desk.
    push(&admin, &national);
    national.set_clock(Some(later + HOUR));
    let q = queue(&national);
    assert_eq!(
        q[0], cadres,
        "not escalated to the national desk yet: {q:?}"
    );
    national.set_clock(Some(later + 3 * 24 * HOUR));
    assert_eq!(sweep(&national, &escalated), 1);
    assert_eq!(queue(&national)[0], escalated);
}

#[test]
fn a_cadre_sees_their_areas_open_reports_on_the_phone() {
    let t0 = wib(2025, 7, 7, 9);
    let reporter = phone(citizen(), t0);
    let mangasa_report = reporter.create_complaint(draft("Sampah")).unwrap();
    let mangasa = mangasa_report.location.area.clone();
    let lette = reporter
        .create_complaint(draft_in("Sampah", "Mariso", "Lette"))
        .unwrap()
        .summary
        .id;
    let mut who = cadre();
    who.area = Some(mangasa);
    let cadre_phone = phone(who, t0);
    // The server sends a cadre their area's reports (and only those; see the server's tests);
    // here the phone has both, and lists its own area's.
    push(&reporter, &cadre_phone);
    let mine: Vec<String> = cadre_phone
        .my_area_open_reports(50)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(mine, vec![mangasa_report.summary.id]);
    assert!(!mine.contains(&lette));
    let without_area = phone(cadre(), t0);
    push(&reporter, &without_area);
    assert!(without_area.my_area_open_reports(50).unwrap().is_empty());
}

#[test]
fn a_phone_store_from_before_cadres_areas_indexes_them_when_opened() {
    let t0 = wib(2025, 7, 7, 9); // Monday
                                 // Friday noon: past the city's verification deadline (Thursday), not yet a day past it.
    let friday = t0 + 4 * 24 * HOUR + 3 * HOUR;
    let dir = tempfile::tempdir().unwrap();
    let (escalated, cadres) = {
        let admin = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
        admin.set_identity(institution_admin()).unwrap();
        admin.set_clock(Some(t0));
        let reporter = phone(citizen(), t0);
        let national = phone(national_admin(), t0);
        let escalated = reporter
            .create_complaint(draft_in("Selokan", "Mariso", "Lette"))
            .unwrap()
            .summary
            .id;
        push(&reporter, &national);
        dispatch(&national, &escalated);
        push(&national, &admin);
        admin.set_clock(Some(friday));
        assert_eq!(
            admin
                .with_store(|s| s.escalate_overdue(&escalated))
                .unwrap(),
            1
        );
        let cadre_phone = phone(cadre(), friday);
        let cadres = cadre_phone
            .create_complaint(draft("Sampah"))
            .unwrap()
            .summary
            .id;
        push(&cadre_phone, &admin);
        (escalated, cadres)
    };
    // As today's main leaves a phone's store: schema 2, no areas nor queue marks.
    {
        let conn = rusqlite::Connection::open(dir.path().join("aduan.db")).unwrap();
        conn.execute_batch(
            "DROP INDEX complaints_area;
             ALTER TABLE complaints DROP COLUMN area;
             ALTER TABLE complaints DROP COLUMN cadre_hours;
             ALTER TABLE complaints DROP COLUMN escalated_to;
             DROP TABLE notifications;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let admin = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    admin.set_clock(Some(friday + HOUR));
    let ids: Vec<String> = admin
        .list(ComplaintFilter {
            sort: SortOrder::DueSoonest,
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, vec![escalated, cadres.clone()]);
    let in_area = admin
        .list(ComplaintFilter {
            area: Some("73.71".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(in_area.len(), 2, "areas indexed again from the documents");
}
