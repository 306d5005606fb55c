//! The figures bodies are judged by, as the articles in `seeds/` quote them (Samarinda 2022: 92
//! received, 49 completed, 33 in process, 10 not followed up, 53.26 %, 26.1 working days),
//! for any period, grouped by institution, unit, area, category or channel.
//!
//! Two steps, both pure. [`derive`] reduces one complaint's replayed history to a few dates
//! ([`ComplaintFacts`]): small enough for the server to keep one row per complaint and compute
//! over every complaint it holds without loading a document. [`compute`] turns the facts of the
//! complaints an institution received in a period into the figures, as of a moment.
//!
//! The definitions, once:
//! - **received**: the complaint reached the institution that holds it now (dispatched to it,
//!   or filed straight to it by its cadre) within the period. A complaint re-routed as "not our
//!   authority" counts for the institution that finally received it, from when it did.
//!   Archived and merged ones are counted apart (`archived`, `merged`), not in `received`.
//! - **followed up** (ditindaklanjuti): the institution has given its follow-up (tindak lanjut)
//!   since it received the complaint.
//! - **completed**: completed, by the reporter's rating, the officer closing it, or the
//!   reporter's ten working days passing without a reply.
//! - **in process**: followed up, not completed. **Not followed up**: neither.
//!   received = completed + in process + not followed up.
//! - **completion rate**: completed / received. **Share followed up**: (completed + in
//!   process) / received.
//! - **average follow-up time**: working days (in the institution's time zone, on the
//!   Indonesian calendar) from when the institution received the complaint to its follow-up;
//!   a complaint still waiting counts up to the moment the figures are taken, so neglect does
//!   not look fast.
//! - **time to the right desk**: working days from filing to reaching the unit that handles it
//!   at the institution that holds it; the share within the target (5 working days) is over
//!   the complaints that reached their desk and those still waiting past the target.
//! - **satisfaction**: the reporters' ratings: their number, the mean stars, and the share
//!   rating 4 or 5 stars.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use serde::{Deserialize, Serialize};

use crate::model::event::Action;
use crate::model::log::{self, Received};
use crate::model::report::{self, Report};
use crate::types::{Millis, ReportKind, Status};
use crate::workflow::{self, Deadlines, Replay};

/// Working days from filing to the right desk that the national target allows (Hulu Sungai
/// Utara takes 1 to 3; the province asks for at most 5).
pub const DESK_TARGET_WORKING_DAYS: u32 = 5;

/// The channel a complaint arrived by (the report model reads old reports' default).
pub fn channel_of(report: &Report) -> String {
    report.channel.code().to_string()
}

/// Where a complaint stands for the figures when its facts were derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Not with any institution (awaiting national verification or re-routing).
    National,
    NotFollowedUp,
    /// Followed up, not completed. With `settles_at` set it completes at that moment unless
    /// the reporter answers first.
    InProcess,
    Completed,
    Archived,
    Merged,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::National => "national",
            Standing::NotFollowedUp => "not_followed_up",
            Standing::InProcess => "in_process",
            Standing::Completed => "completed",
            Standing::Archived => "archived",
            Standing::Merged => "merged",
        }
    }

    pub fn from_code(code: &str) -> Option<Standing> {
        [
            Standing::National,
            Standing::NotFollowedUp,
            Standing::InProcess,
            Standing::Completed,
            Standing::Archived,
            Standing::Merged,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// One complaint reduced to what the figures need. No personal data: no text, no reporter,
/// no coordinates; the area is the kelurahan (or kecamatan) named in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintFacts {
    pub complaint_id: String,
    pub institution: Option<String>,
    pub unit: Option<String>,
    pub area: String,
    pub category: String,
    pub channel: String,
    pub kind: ReportKind,
    pub standing: Standing,
    pub created_at: Millis,
    /// When the institution holding it received it.
    pub received_at: Option<Millis>,
    /// When it first reached a unit of that institution.
    pub reached_unit_at: Option<Millis>,
    /// That institution's first follow-up (as the server received it, when stamped).
    pub followed_up_at: Option<Millis>,
    pub completed_at: Option<Millis>,
    /// A follow-up awaiting the reporter completes at this moment if unanswered.
    pub settles_at: Option<Millis>,
    pub stars: Option<u8>,
}

/// The facts of one replayed complaint. `replay` must come from `report`'s history.
pub fn derive(
    report: &Report,
    channel: &str,
    replay: &Replay,
    received: &Received,
    deadlines: &Deadlines,
) -> ComplaintFacts {
    let state = &replay.state;
    let direct = crate::store::facts(report).direct_institution.is_some();
    let mut received_at = direct.then_some(report.created_at);
    let mut reached_unit_at = None;
    let mut followed_up_at: Option<Millis> = None;
    for (event, refusal) in &replay.timeline {
        if refusal.is_some() {
            continue;
        }
        match &event.action {
            Action::Dispatch { .. } => {
                received_at = Some(event.at);
                reached_unit_at = None;
                followed_up_at = None;
            }
            Action::NotOurAuthority => {
                received_at = None;
                reached_unit_at = None;
                followed_up_at = None;
            }
            Action::Assign { .. } => {
                reached_unit_at.get_or_insert(event.at);
            }
            Action::FollowUp => {
                // As the workflow counts it: a backdated follow-up must not look fast.
                let at = received
                    .get(&event.id)
                    .map_or(event.at, |r| (*r).max(event.at));
                followed_up_at.get_or_insert(at);
            }
            _ => {}
        }
    }
    let status = match state.status {
        Status::Deferred => state.deferred_from.unwrap_or(Status::Submitted),
        s => s,
    };
    let standing = match status {
        Status::Completed => Standing::Completed,
        Status::Archived => Standing::Archived,
        Status::Merged => Standing::Merged,
        _ if received_at.is_none() || state.institution.is_none() => Standing::National,
        _ if followed_up_at.is_some() => Standing::InProcess,
        _ => Standing::NotFollowedUp,
    };
    ComplaintFacts {
        complaint_id: report.id.clone(),
        institution: state.institution.clone(),
        unit: state.unit.clone(),
        area: area_of(report),
        category: report.category.clone(),
        channel: channel.to_string(),
        kind: report.kind,
        standing,
        created_at: report.created_at,
        received_at: state.institution.as_ref().and(received_at),
        reached_unit_at,
        followed_up_at,
        completed_at: state.completed_at,
        settles_at: (state.status == Status::FollowedUp)
            .then(|| state.due_at(deadlines))
            .flatten(),
        stars: state.rating.as_ref().map(|r| r.stars),
    }
}

/// The facts of a complaint from its two documents, replayed as of `now`. `None` when the
/// report document holds no report.
pub fn from_docs(
    report_doc: &AutoCommit,
    log_doc: &AutoCommit,
    now: Millis,
    deadlines: &Deadlines,
) -> Option<ComplaintFacts> {
    let report = report::read(report_doc)?;
    let received = log::received(log_doc);
    let replay = workflow::replay(
        &crate::store::facts(&report),
        log::read(log_doc),
        &received,
        now,
        deadlines,
    );
    Some(derive(
        &report,
        &channel_of(&report),
        &replay,
        &received,
        deadlines,
    ))
}

fn area_of(report: &Report) -> String {
    let l = &report.location;
    [&l.kelurahan, &l.kecamatan, &l.city]
        .into_iter()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// What to group the figures by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Institution,
    Unit,
    Area,
    Category,
    Channel,
}

impl GroupBy {
    pub const ALL: [GroupBy; 5] = [
        GroupBy::Institution,
        GroupBy::Unit,
        GroupBy::Area,
        GroupBy::Category,
        GroupBy::Channel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Institution => "institution",
            GroupBy::Unit => "unit",
            GroupBy::Area => "area",
            GroupBy::Category => "category",
            GroupBy::Channel => "channel",
        }
    }

    pub fn from_code(code: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The group a complaint falls in; "-" when it has none (no unit yet, no area named).
    pub fn key_of(self, f: &ComplaintFacts) -> String {
        let key = match self {
            GroupBy::Institution => f.institution.clone().unwrap_or_default(),
            GroupBy::Unit => f.unit.clone().unwrap_or_default(),
            GroupBy::Area => f.area.clone(),
            GroupBy::Category => f.category.clone(),
            GroupBy::Channel => f.channel.clone(),
        };
        if key.is_empty() {
            "-".into()
        } else {
            key
        }
    }
}

/// The figures of one set of complaints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, uniffi::Record)]
pub struct FigureSet {
    pub received: u64,
    pub completed: u64,
    pub in_process: u64,
    pub not_followed_up: u64,
    /// Received in the period, then archived or merged into another report: not in `received`.
    pub archived: u64,
    pub merged: u64,
    /// completed / received, in percent, two decimals.
    pub completion_rate_percent: Option<f64>,
    /// (completed + in process) / received, in percent, two decimals.
    pub followed_up_percent: Option<f64>,
    /// Mean working days from receipt to follow-up, counting the ones still waiting up to
    /// `as_of`; one decimal, as the national evaluation reports it.
    pub average_follow_up_working_days: Option<f64>,
    /// The sum behind that mean, so it can be checked exactly.
    pub follow_up_working_days_total: i64,
    /// Of `received`, those still waiting for a follow-up (counted up to `as_of`).
    pub still_waiting: u64,
    /// Complaints that reached the unit handling them, and the mean working days from filing.
    pub reached_desk: u64,
    pub average_working_days_to_desk: Option<f64>,
    /// Share reaching the desk within [`DESK_TARGET_WORKING_DAYS`], of those that reached it
    /// and those still waiting past it; two decimals.
    pub desk_within_target_percent: Option<f64>,
    pub rated: u64,
    pub average_stars: Option<f64>,
    /// Share of ratings with 4 or 5 stars; two decimals.
    pub satisfied_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct FigureGroup {
    /// The institution, unit, area, category or channel code; "-" for none.
    pub key: String,
    pub figures: FigureSet,
}

/// The figures of a period: the totals, and per group when asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct FiguresReport {
    /// Complaints received from `from` (inclusive) to `to` (exclusive), Unix ms.
    pub from: Millis,
    pub to: Millis,
    /// The moment they stand at: waiting complaints count up to here.
    pub as_of: Millis,
    pub institution: Option<String>,
    pub by: Option<GroupBy>,
    pub totals: FigureSet,
    pub groups: Vec<FigureGroup>,
}

/// Where a complaint stands at `as_of`: a follow-up left unanswered past its window counts as
/// completed then.
fn standing_at(f: &ComplaintFacts, as_of: Millis) -> (Standing, Option<Millis>) {
    match (f.standing, f.settles_at) {
        (Standing::InProcess, Some(settles)) if as_of > settles => {
            (Standing::Completed, Some(settles))
        }
        (s, _) => (s, f.completed_at),
    }
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 10_000.0 / whole as f64).round() / 100.0)
}

fn mean(sum: i64, n: u64, decimals: i32) -> Option<f64> {
    let scale = 10f64.powi(decimals);
    (n > 0).then(|| (sum as f64 * scale / n as f64).round() / scale)
}

/// Whether the complaint was received within `[from, to)` (by any institution, or by
/// `institution` when given).
pub fn in_period(f: &ComplaintFacts, from: Millis, to: Millis, institution: Option<&str>) -> bool {
    f.received_at.is_some_and(|r| r >= from && r < to)
        && institution.is_none_or(|i| f.institution.as_deref() == Some(i))
}

/// The figures of `facts` (already chosen: a period's, an institution's), as of `as_of`.
pub fn figure_set<'a>(
    facts: impl IntoIterator<Item = &'a ComplaintFacts>,
    as_of: Millis,
    deadlines: &Deadlines,
) -> FigureSet {
    let mut s = FigureSet::default();
    let (mut desk_sum, mut desk_late, mut desk_in_target) = (0i64, 0u64, 0u64);
    let (mut stars_sum, mut satisfied) = (0u64, 0u64);
    for f in facts {
        let Some(received_at) = f.received_at else {
            continue;
        };
        let offset = deadlines.offset_of(f.institution.as_deref());
        let days = |from: Millis, to: Millis| {
            deadlines
                .working_days_between_in(offset, from, to.max(from))
                .max(0)
        };
        let (standing, completed_at) = standing_at(f, as_of);
        match standing {
            Standing::Archived => {
                s.archived += 1;
                continue;
            }
            Standing::Merged => {
                s.merged += 1;
                continue;
            }
            Standing::National => continue,
            Standing::Completed => s.completed += 1,
            Standing::InProcess => s.in_process += 1,
            Standing::NotFollowedUp => s.not_followed_up += 1,
        }
        s.received += 1;
        let answered = f.followed_up_at.or(completed_at);
        if answered.is_none() {
            s.still_waiting += 1;
        }
        s.follow_up_working_days_total += days(received_at, answered.unwrap_or(as_of));
        match f.reached_unit_at {
            Some(reached) => {
                let d = days(f.created_at, reached);
                s.reached_desk += 1;
                desk_sum += d;
                if d <= i64::from(DESK_TARGET_WORKING_DAYS) {
                    desk_in_target += 1;
                }
            }
            None if standing != Standing::Completed
                && days(f.created_at, as_of) > i64::from(DESK_TARGET_WORKING_DAYS) =>
            {
                desk_late += 1
            }
            None => {}
        }
        if let Some(stars) = f.stars {
            s.rated += 1;
            stars_sum += u64::from(stars);
            if stars >= 4 {
                satisfied += 1;
            }
        }
    }
    s.completion_rate_percent = percent(s.completed, s.received);
    s.followed_up_percent = percent(s.completed + s.in_process, s.received);
    s.average_follow_up_working_days = mean(s.follow_up_working_days_total, s.received, 1);
    s.average_working_days_to_desk = mean(desk_sum, s.reached_desk, 1);
    s.desk_within_target_percent = percent(desk_in_target, s.reached_desk + desk_late);
    s.average_stars = mean(stars_sum as i64, s.rated, 2);
    s.satisfied_percent = percent(satisfied, s.rated);
    s
}

/// Why figures cannot be computed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiguresError {
    #[error("the period must end after it starts")]
    EmptyPeriod,
    #[error("figures are grouped by institution, unit, area, category or channel")]
    UnknownGrouping,
    #[error("dates are written YYYY-MM-DD")]
    Date,
}

/// A period given as two local dates, both included: from the start of `from` to the end of
/// `to` where `offset` is (the institution's zone). Returns `[from, to)` in Unix ms.
pub fn period_of_dates(
    from: &str,
    to: &str,
    offset: time::UtcOffset,
) -> Result<(Millis, Millis), FiguresError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let parse = |s: &str| time::Date::parse(s.trim(), format).map_err(|_| FiguresError::Date);
    let start = |d: time::Date| {
        d.with_time(time::Time::MIDNIGHT)
            .assume_offset(offset)
            .unix_timestamp()
            * 1000
    };
    let (from, to) = (parse(from)?, parse(to)?);
    let end = to.next_day().ok_or(FiguresError::Date)?;
    if end <= from {
        return Err(FiguresError::EmptyPeriod);
    }
    Ok((start(from), start(end)))
}

/// The figures of the complaints received in `[from, to)` (by `institution` when given),
/// as of `as_of`, with one group per distinct key when `by` is given (largest first).
pub fn compute(
    facts: &[ComplaintFacts],
    from: Millis,
    to: Millis,
    institution: Option<&str>,
    by: Option<GroupBy>,
    as_of: Millis,
    deadlines: &Deadlines,
) -> Result<FiguresReport, FiguresError> {
    if to <= from {
        return Err(FiguresError::EmptyPeriod);
    }
    let chosen: Vec<&ComplaintFacts> = facts
        .iter()
        .filter(|f| in_period(f, from, to, institution))
        .collect();
    let totals = figure_set(chosen.iter().copied(), as_of, deadlines);
    let mut groups = Vec::new();
    if let Some(by) = by {
        let mut keyed: BTreeMap<String, Vec<&ComplaintFacts>> = BTreeMap::new();
        for f in &chosen {
            keyed.entry(by.key_of(f)).or_default().push(f);
        }
        groups = keyed
            .into_iter()
            .map(|(key, members)| FigureGroup {
                key,
                figures: figure_set(members, as_of, deadlines),
            })
            .collect();
        groups.sort_by(|a, b| {
            let size = |g: &FigureGroup| g.figures.received + g.figures.archived + g.figures.merged;
            size(b).cmp(&size(a)).then_with(|| a.key.cmp(&b.key))
        });
    }
    Ok(FiguresReport {
        from,
        to,
        as_of,
        institution: institution.map(str::to_string),
        by,
        totals,
        groups,
    })
}
