//! The figures bodies are judged by, on a data set that reproduces what Samarinda reported for
//! 2022 (92 received, 49 completed, 33 in process, 10 not followed up, 53.26 %, 26.1 working
//! days), built through the real model (report documents, log events with dates) and checked
//! against an independent computation over the raw dates that shares no code with core's
//! figures, workflow or calendar.

use std::collections::BTreeMap;

use aduan_core::figures::{self, ComplaintFacts, GroupBy};
use aduan_core::model::channel::Channel;
use aduan_core::model::event::{Action, Author, Event};
use aduan_core::model::{log, report};
use aduan_core::types::{Location, Millis, ReportKind, Role};
use aduan_core::workflow::calendar::{WorkingCalendar, BUNDLED_HOLIDAYS_CSV};
use aduan_core::workflow::Deadlines;
use automerge::{transaction::Transactable, AutoCommit, ROOT};
use time::{Date, Month};

const HOLIDAYS_2022: &str = include_str!("data/holidays-2022.csv");
const SAMARINDA: &str = "kota-samarinda";
const MAKASSAR: &str = "kota-makassar";
/// 26.1 working days on average over 92 complaints: 2401 / 92 = 26.097.
const SAMARINDA_FOLLOW_UP_DAYS: i64 = 2401;

/// Samarinda is in WITA (UTC+8).
fn wita(date: Date, hour: u8) -> Millis {
    date.with_hms(hour, 0, 0)
        .unwrap()
        .assume_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap())
        .unix_timestamp()
        * 1000
}

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

/// One event as the data set writes it: what, when, by whom (role and institution).
#[derive(Debug, Clone)]
struct RawEvent {
    action: Action,
    at: Millis,
    role: Role,
    institution: Option<&'static str>,
    reporter: bool,
}

/// One complaint's raw dates, as an export would carry them.
#[derive(Debug, Clone)]
struct Raw {
    id: String,
    channel: &'static str,
    /// Filed by a cadre straight to the institution (no national verification).
    cadre: bool,
    created_at: Millis,
    category: &'static str,
    kelurahan: &'static str,
    events: Vec<RawEvent>,
}

const CHANNELS: [&str; 7] = [
    "app",
    "web",
    "sms",
    "call_centre",
    "desk",
    "cadre",
    "bridged",
];
const CATEGORIES: [&str; 3] = ["pu.drainase", "lingkungan.sampah", "pu.jalan"];
const KELURAHAN: [&str; 4] = [
    "Sidodadi",
    "Air Hitam",
    "Sungai Pinang Dalam",
    "Temindung Permai",
];

fn calendar() -> WorkingCalendar {
    let mut c = WorkingCalendar::from_csv(BUNDLED_HOLIDAYS_CSV).unwrap();
    c.extend_from_csv(HOLIDAYS_2022).unwrap();
    c
}

fn deadlines() -> Deadlines {
    // Every institution here is in WITA; the national desk in WIB.
    let mut d = Deadlines::with_offset_hours(calendar(), 8);
    d.national = time::UtcOffset::from_hms(7, 0, 0).unwrap();
    d
}

fn forward(cal: &WorkingCalendar, from: Date, n: u32) -> Date {
    cal.add_working_days(from, n)
}

/// The working day `n` working days before `to` (a working day).
fn back(cal: &WorkingCalendar, to: Date, n: u32) -> Date {
    let mut d = to;
    let mut left = n;
    while left > 0 {
        d = d.previous_day().unwrap();
        if cal.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

fn ev(action: Action, at: Millis, role: Role, institution: Option<&'static str>) -> RawEvent {
    RawEvent {
        action,
        at,
        role,
        institution,
        reporter: false,
    }
}

fn by_reporter(action: Action, at: Millis, cadre: bool) -> RawEvent {
    RawEvent {
        action,
        at,
        role: if cadre { Role::Cadre } else { Role::Citizen },
        institution: None,
        reporter: true,
    }
}

fn dispatch(to: &'static str, at: Millis) -> RawEvent {
    ev(
        Action::Dispatch {
            institution: to.into(),
        },
        at,
        Role::NationalAdmin,
        None,
    )
}

fn assign(inst: &'static str, at: Millis) -> RawEvent {
    ev(
        Action::Assign {
            unit: format!("{inst}.dpupr"),
            field_inspection: false,
        },
        at,
        Role::InstitutionAdmin,
        Some(inst),
    )
}

fn officer(action: Action, inst: &'static str, at: Millis) -> RawEvent {
    ev(action, at, Role::Officer, Some(inst))
}

/// A complaint received by `inst` on `received` (a working day): filed the working day before
/// and dispatched by the national administrator, or filed by a cadre straight to it.
fn received_by(
    cal: &WorkingCalendar,
    n: usize,
    inst: &'static str,
    received: Date,
    channel: &'static str,
) -> Raw {
    let cadre = channel == "cadre";
    let (created_at, events) = if cadre {
        (wita(received, 8), vec![])
    } else {
        (
            wita(back(cal, received, 1), 9),
            vec![dispatch(inst, wita(received, 10))],
        )
    };
    Raw {
        id: format!("00000000-0000-4000-8000-{n:012}"),
        channel,
        cadre,
        created_at,
        category: CATEGORIES[n % CATEGORIES.len()],
        kelurahan: KELURAHAN[n % KELURAHAN.len()],
        events,
    }
}

/// Samarinda's 2022 as its 92 complaints, plus complaints that must not count: another
/// institution's, one received in 2021, one still with the national desk, one archived, one
/// re-routed elsewhere, and a follow-up by an officer of another institution.
fn samarinda_2022(cal: &WorkingCalendar) -> Vec<Raw> {
    let last = day(2022, 12, 30);
    let mut out = Vec::new();
    // Working days to the follow-up of the 82 followed up, and waited by the 10 not followed up.
    let waited: Vec<u32> = (0..10).map(|j| 15 + 3 * j).collect();
    let mut delay: Vec<u32> = (0..82).map(|i| 6 + (i * 17) % 40).collect();
    let rest: u32 = delay[1..].iter().sum::<u32>() + waited.iter().sum::<u32>();
    delay[0] = SAMARINDA_FOLLOW_UP_DAYS as u32 - rest;
    assert!((1..=60).contains(&delay[0]), "{}", delay[0]);
    for i in 0..92usize {
        let channel = CHANNELS[i % CHANNELS.len()];
        let (received, follow_up) = match i {
            0..49 => {
                let r = forward(cal, day(2022, 1, 3), 2 * i as u32);
                (r, Some(forward(cal, r, delay[i])))
            }
            49..82 if (i - 49) % 2 == 0 => {
                let r = forward(cal, day(2022, 7, 1), (i - 49) as u32);
                (r, Some(forward(cal, r, delay[i])))
            }
            49..82 => {
                // Followed up in the last days of the year: the reporter's ten working days
                // have not run out on 31 December.
                let f = back(cal, last, (i % 8) as u32);
                (back(cal, f, delay[i]), Some(f))
            }
            _ => (back(cal, last, waited[i - 82]), None),
        };
        let mut c = received_by(cal, i, SAMARINDA, received, channel);
        let cadre = c.cadre;
        match follow_up {
            Some(f) => {
                let desk = forward(cal, received, (i as u32 % 9).min(delay[i]));
                c.events.push(assign(SAMARINDA, wita(desk, 11)));
                let mut follow = officer(Action::FollowUp, SAMARINDA, wita(f, 14));
                follow.role = if i % 2 == 0 {
                    Role::Officer
                } else {
                    Role::InstitutionAdmin
                };
                c.events.push(follow);
                match i {
                    0..49 if i % 3 == 0 => c.events.push(by_reporter(
                        Action::Rate {
                            stars: 1 + (i % 5) as u8,
                        },
                        wita(forward(cal, f, 2), 9),
                        cadre,
                    )),
                    0..49 if i % 3 == 1 => c.events.push(officer(
                        Action::Close,
                        SAMARINDA,
                        wita(forward(cal, f, 1), 9),
                    )),
                    // Completed by the reporter's silence: ten working days, no reply.
                    0..49 => {}
                    _ if (i - 49) % 2 == 0 => c.events.push(by_reporter(
                        Action::Reply,
                        wita(forward(cal, f, 1), 9),
                        cadre,
                    )),
                    _ => {}
                }
            }
            None => {
                let j = i - 82;
                if j % 3 >= 1 {
                    c.events
                        .push(assign(SAMARINDA, wita(forward(cal, received, 1), 11)));
                }
                if j % 3 == 2 {
                    c.events.push(officer(
                        Action::StartWork,
                        SAMARINDA,
                        wita(forward(cal, received, 2), 9),
                    ));
                }
                if j == 0 {
                    // Not theirs to follow up: it has no effect.
                    c.events.push(officer(
                        Action::FollowUp,
                        MAKASSAR,
                        wita(forward(cal, received, 1), 15),
                    ));
                }
            }
        }
        out.push(c);
    }
    // Makassar's: received and followed up in 2022.
    let mut m = received_by(cal, 100, MAKASSAR, day(2022, 3, 1), "call_centre");
    m.events.push(assign(MAKASSAR, wita(day(2022, 3, 2), 9)));
    m.events.push(officer(
        Action::FollowUp,
        MAKASSAR,
        wita(day(2022, 3, 4), 9),
    ));
    out.push(m);
    // Samarinda's, received in 2021.
    let mut old = received_by(cal, 101, SAMARINDA, day(2021, 12, 20), "web");
    old.events
        .push(assign(SAMARINDA, wita(day(2021, 12, 21), 9)));
    out.push(old);
    // Still with the national desk.
    let mut national = received_by(cal, 102, SAMARINDA, day(2022, 6, 6), "sms");
    national.events.clear();
    out.push(national);
    // Received by Samarinda, then archived by its administrator.
    let mut archived = received_by(cal, 103, SAMARINDA, day(2022, 4, 4), "web");
    archived.events.push(ev(
        Action::Archive,
        wita(day(2022, 4, 5), 9),
        Role::InstitutionAdmin,
        Some(SAMARINDA),
    ));
    out.push(archived);
    // Sent to Samarinda, not its authority, re-routed to Makassar: Makassar's.
    let mut rerouted = received_by(cal, 104, SAMARINDA, day(2022, 8, 1), "app");
    rerouted.events.push(ev(
        Action::NotOurAuthority,
        wita(day(2022, 8, 2), 9),
        Role::InstitutionAdmin,
        Some(SAMARINDA),
    ));
    rerouted
        .events
        .push(dispatch(MAKASSAR, wita(day(2022, 8, 3), 9)));
    out.push(rerouted);
    out
}

/// The documents the data set makes, through core's model: the report (with its channel,
/// except where the reader's default must supply it) and the log of events.
fn documents(raw: &Raw) -> (AutoCommit, AutoCommit) {
    let mut report_doc = AutoCommit::new();
    let location = Location {
        city: "Kota Samarinda".into(),
        kelurahan: raw.kelurahan.into(),
        area: String::new(),
        ..Location::default()
    };
    let role = if raw.cadre {
        Role::Cadre
    } else {
        Role::Citizen
    };
    report::create(
        &mut report_doc,
        &raw.id,
        &report::NewReport {
            kind: ReportKind::Complaint,
            category: raw.category.into(),
            title: "Saluran air tersumbat".into(),
            description: "Air meluap ke jalan setiap hujan.".into(),
            location,
            anonymous: false,
            confidential: false,
            photos: vec![],
            channel: Channel::before_channels(role),
        },
        raw.created_at,
        role,
        raw.cadre.then_some(SAMARINDA),
        None,
    )
    .unwrap();
    // The other channels are written as the operators' filings record them (the check of who
    // may file by which channel is the model's own, tested in core/tests/reporters.rs).
    if !matches!(raw.channel, "app" | "cadre") {
        report_doc.put(ROOT, "channel", raw.channel).unwrap();
        if raw.channel == "bridged" {
            report_doc
                .put(ROOT, "bridged_system", "SP4N-LAPOR!")
                .unwrap();
            report_doc
                .put(
                    ROOT,
                    "bridged_reference",
                    format!("LAPOR-{}", &raw.id[24..]),
                )
                .unwrap();
        }
    }
    let mut log_doc = AutoCommit::new();
    for (n, e) in raw.events.iter().enumerate() {
        let event = Event {
            id: format!("{}-{n}", &raw.id[24..]),
            lamport: e.at as u64,
            at: e.at,
            by: Author {
                reporter: e.reporter,
                role: e.role,
                account: (!e.reporter)
                    .then(|| format!("{}-{:?}", e.institution.unwrap_or("nasional"), e.role)),
                name: None,
                institution: e.institution.map(str::to_string),
                unit: None,
            },
            note: "Sudah dibersihkan oleh petugas".into(),
            action: e.action.clone(),
            photos: vec![],
        };
        log::append(&mut log_doc, &event).unwrap();
    }
    (report_doc, log_doc)
}

fn facts_of(data: &[Raw], as_of: Millis, deadlines: &Deadlines) -> Vec<ComplaintFacts> {
    data.iter()
        .map(|raw| {
            let (r, l) = documents(raw);
            figures::from_docs(&r, &l, as_of, deadlines).unwrap()
        })
        .collect()
}

/// A second computation, written from the definitions over the raw dates alone: its own date
/// arithmetic, its own reading of the holiday files, its own notion of where a complaint
/// stands. It shares no code with core's figures, workflow or calendar.
mod independent {
    use super::{Raw, RawEvent};
    use aduan_core::model::event::Action;
    use aduan_core::types::Role;
    use std::collections::HashSet;

    pub struct Count {
        pub received: u64,
        pub completed: u64,
        pub in_process: u64,
        pub not_followed_up: u64,
        pub days: i64,
    }

    pub struct Calendar(HashSet<i64>);

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    impl Calendar {
        pub fn from_files(files: &[&str]) -> Calendar {
            let mut days = HashSet::new();
            for text in files {
                for line in text.lines() {
                    let date = line.split(',').next().unwrap_or("").trim();
                    let parts: Vec<i64> = date.split('-').filter_map(|p| p.parse().ok()).collect();
                    if parts.len() == 3 {
                        days.insert(days_from_civil(parts[0], parts[1], parts[2]));
                    }
                }
            }
            Calendar(days)
        }

        fn working(&self, day: i64) -> bool {
            // 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays.
            let weekday = (day + 4).rem_euclid(7);
            weekday != 0 && weekday != 6 && !self.0.contains(&day)
        }

        /// Working days d with from < d <= to.
        fn between(&self, from: i64, to: i64) -> i64 {
            (from + 1..=to).filter(|d| self.working(*d)).count() as i64
        }

        fn nth_after(&self, from: i64, n: i64) -> i64 {
            let (mut d, mut left) = (from, n);
            while left > 0 {
                d += 1;
                if self.working(d) {
                    left -= 1;
                }
            }
            d
        }
    }

    /// The local (WITA) day of a moment.
    fn wita_day(ms: i64) -> i64 {
        (ms / 1000 + 8 * 3600).div_euclid(86_400)
    }

    /// Which institution holds it and since when, and where it stands at `as_of`.
    pub fn standing(c: &Raw, cal: &Calendar, as_of: i64) -> Option<(&'static str, i64, char, i64)> {
        let mut holder: Option<&'static str> = None;
        let mut since = 0;
        let mut start = 0;
        if c.cadre {
            holder = Some("kota-samarinda");
            since = c.created_at;
        }
        let mut archived = false;
        for (n, e) in c.events.iter().enumerate() {
            match &e.action {
                Action::Dispatch { institution } => {
                    holder = Some(if institution == "kota-makassar" {
                        "kota-makassar"
                    } else {
                        "kota-samarinda"
                    });
                    since = e.at;
                    start = n;
                }
                Action::NotOurAuthority => holder = None,
                Action::Archive => archived = true,
                _ => {}
            }
        }
        let holder = holder?;
        if archived {
            return None;
        }
        let ours = |e: &&RawEvent| e.reporter || e.institution == Some(holder);
        let later: Vec<&RawEvent> = c.events[start..].iter().filter(ours).collect();
        let follow = later
            .iter()
            .find(|e| matches!(e.action, Action::FollowUp) && e.role != Role::Citizen)
            .map(|e| e.at);
        let Some(f) = follow else {
            let days = cal.between(wita_day(since), wita_day(as_of));
            return Some((holder, since, 'n', days));
        };
        let days = cal.between(wita_day(since), wita_day(f));
        let after: Vec<&&RawEvent> = later.iter().filter(|e| e.at > f).collect();
        let closed = after
            .iter()
            .any(|e| matches!(e.action, Action::Close | Action::Rate { .. }));
        let replied = after
            .iter()
            .any(|e| e.reporter && matches!(e.action, Action::Reply));
        // Ten working days for the reporter, to the end of the tenth, in WITA.
        let window_ends = (cal.nth_after(wita_day(f), 10) + 1) * 86_400_000 - 8 * 3_600_000;
        let completed = closed || (!replied && as_of > window_ends);
        Some((holder, since, if completed { 'c' } else { 'p' }, days))
    }

    /// Samarinda's counts over complaints received in [from, to), grouped by `key`.
    pub fn counts(
        data: &[Raw],
        cal: &Calendar,
        from: i64,
        to: i64,
        as_of: i64,
        key: impl Fn(&Raw) -> String,
    ) -> std::collections::BTreeMap<String, Count> {
        let mut out = std::collections::BTreeMap::new();
        for c in data {
            let Some((holder, since, standing, days)) = standing(c, cal, as_of) else {
                continue;
            };
            if holder != "kota-samarinda" || since < from || since >= to {
                continue;
            }
            let k: &mut Count = out.entry(key(c)).or_insert(Count {
                received: 0,
                completed: 0,
                in_process: 0,
                not_followed_up: 0,
                days: 0,
            });
            k.received += 1;
            k.days += days;
            match standing {
                'c' => k.completed += 1,
                'p' => k.in_process += 1,
                _ => k.not_followed_up += 1,
            }
        }
        out
    }
}

fn year_2022() -> (Millis, Millis) {
    (wita(day(2022, 1, 1), 0), wita(day(2023, 1, 1), 0))
}

#[test]
fn samarinda_2022_figures_come_out_as_reported() {
    let cal = calendar();
    let d = deadlines();
    let (from, to) = year_2022();
    let as_of = to;
    let data = samarinda_2022(&cal);
    let facts = facts_of(&data, as_of, &d);
    let f = figures::compute(&facts, from, to, Some(SAMARINDA), None, as_of, &d)
        .unwrap()
        .totals;
    assert_eq!(
        (f.received, f.completed, f.in_process, f.not_followed_up),
        (92, 49, 33, 10)
    );
    assert_eq!(f.completion_rate_percent, Some(53.26));
    assert_eq!(f.average_follow_up_working_days, Some(26.1));
    assert_eq!(f.follow_up_working_days_total, SAMARINDA_FOLLOW_UP_DAYS);
    assert_eq!(f.still_waiting, 10);
    assert_eq!(f.followed_up_percent, Some(89.13));
    assert_eq!(f.archived, 1);
    assert_eq!(f.merged, 0);
    // Every complaint filed the working day before its dispatch (or by a cadre, on the day)
    // and reached a unit 0 to 8 working days after; those reaching it in more than 5 missed
    // the target, and the 4 still unassigned after weeks count as missing it too.
    assert_eq!(f.reached_desk, 82 + 6);
    assert!(f.desk_within_target_percent.unwrap() < 100.0);
    // The reporters who rated: 17 of the completed, 1 to 5 stars in turn.
    assert_eq!(f.rated, 17);
    assert!(f.average_stars.is_some() && f.satisfied_percent.is_some());

    // The independent computation agrees on every count and the exact sum of working days.
    let ind = independent::Calendar::from_files(&[BUNDLED_HOLIDAYS_CSV, HOLIDAYS_2022]);
    let all = independent::counts(&data, &ind, from, to, as_of, |_| "all".into());
    let all = &all["all"];
    assert_eq!(
        (
            all.received,
            all.completed,
            all.in_process,
            all.not_followed_up,
            all.days
        ),
        (92, 49, 33, 10, SAMARINDA_FOLLOW_UP_DAYS)
    );
}

#[test]
fn figures_split_by_channel_agree_with_the_independent_count() {
    let cal = calendar();
    let d = deadlines();
    let (from, to) = year_2022();
    let data = samarinda_2022(&cal);
    let facts = facts_of(&data, to, &d);
    let report = figures::compute(
        &facts,
        from,
        to,
        Some(SAMARINDA),
        Some(GroupBy::Channel),
        to,
        &d,
    )
    .unwrap();
    let ind = independent::Calendar::from_files(&[BUNDLED_HOLIDAYS_CSV, HOLIDAYS_2022]);
    let expected = independent::counts(&data, &ind, from, to, to, |c| c.channel.to_string());
    let got: BTreeMap<&str, _> = report
        .groups
        .iter()
        .map(|g| (g.key.as_str(), &g.figures))
        .collect();
    // All seven channels, read from the documents (app and cadre by the reader's default).
    assert_eq!(got.len(), 7, "{:?}", got.keys());
    for (channel, e) in &expected {
        let g = got[channel.as_str()];
        assert_eq!(
            (g.received, g.completed, g.in_process, g.not_followed_up),
            (e.received, e.completed, e.in_process, e.not_followed_up),
            "{channel}"
        );
        assert_eq!(g.follow_up_working_days_total, e.days, "{channel}");
    }
    let sum: u64 = report.groups.iter().map(|g| g.figures.received).sum();
    assert_eq!(sum, 92);
    // Largest first.
    assert!(report
        .groups
        .windows(2)
        .all(|w| w[0].figures.received >= w[1].figures.received));
}

#[test]
fn figures_split_by_half_year_add_up_to_the_year() {
    let cal = calendar();
    let d = deadlines();
    let (from, to) = year_2022();
    let middle = wita(day(2022, 7, 1), 0);
    let data = samarinda_2022(&cal);
    let facts = facts_of(&data, to, &d);
    let ind = independent::Calendar::from_files(&[BUNDLED_HOLIDAYS_CSV, HOLIDAYS_2022]);
    let mut received = 0;
    let mut days = 0;
    for (a, b) in [(from, middle), (middle, to)] {
        let f = figures::compute(&facts, a, b, Some(SAMARINDA), None, to, &d)
            .unwrap()
            .totals;
        let e = independent::counts(&data, &ind, a, b, to, |_| "all".into());
        let e = &e["all"];
        assert_eq!(
            (f.received, f.completed, f.in_process, f.not_followed_up),
            (e.received, e.completed, e.in_process, e.not_followed_up)
        );
        assert_eq!(f.follow_up_working_days_total, e.days);
        assert!(f.received > 0);
        received += f.received;
        days += f.follow_up_working_days_total;
    }
    assert_eq!((received, days), (92, SAMARINDA_FOLLOW_UP_DAYS));
}

#[test]
fn a_complaint_still_waiting_counts_until_the_figures_are_taken() {
    let cal = calendar();
    let d = deadlines();
    let (from, to) = year_2022();
    let data = samarinda_2022(&cal);
    let facts = facts_of(&data, to, &d);
    // Taken a week later, the ten still waiting have waited 5 working days more each (2 to
    // 6 January 2023 are working days); the others' follow-up times do not move.
    let later = wita(day(2023, 1, 7), 0);
    let f = figures::compute(&facts, from, to, Some(SAMARINDA), None, later, &d)
        .unwrap()
        .totals;
    assert_eq!(
        f.follow_up_working_days_total,
        SAMARINDA_FOLLOW_UP_DAYS + 10 * 5
    );
}

#[test]
fn figures_by_institution_unit_area_and_category_cover_every_received_complaint() {
    let cal = calendar();
    let d = deadlines();
    let (from, to) = year_2022();
    let data = samarinda_2022(&cal);
    let facts = facts_of(&data, to, &d);
    let by_institution =
        figures::compute(&facts, from, to, None, Some(GroupBy::Institution), to, &d).unwrap();
    let keys: Vec<(&str, u64)> = by_institution
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.figures.received))
        .collect();
    // Makassar's own complaint and the one re-routed to it; the one still with the national
    // desk is nobody's.
    assert_eq!(keys, vec![(SAMARINDA, 92), (MAKASSAR, 2)]);
    for by in [GroupBy::Unit, GroupBy::Area, GroupBy::Category] {
        let r = figures::compute(&facts, from, to, Some(SAMARINDA), Some(by), to, &d).unwrap();
        let sum: u64 = r.groups.iter().map(|g| g.figures.received).sum();
        assert_eq!(sum, 92, "{by:?}");
    }
    let areas = figures::compute(
        &facts,
        from,
        to,
        Some(SAMARINDA),
        Some(GroupBy::Area),
        to,
        &d,
    )
    .unwrap();
    assert_eq!(areas.groups.len(), 4);
    let units = figures::compute(
        &facts,
        from,
        to,
        Some(SAMARINDA),
        Some(GroupBy::Unit),
        to,
        &d,
    )
    .unwrap();
    // The four never passed to a unit have none.
    assert!(units
        .groups
        .iter()
        .any(|g| g.key == "-" && g.figures.received == 4));
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let d = deadlines();
    let (from, to) = year_2022();
    assert_eq!(
        figures::compute(&[], to, from, None, None, to, &d).unwrap_err(),
        figures::FiguresError::EmptyPeriod
    );
}
