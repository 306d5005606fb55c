//! The current state of a complaint, derived by replaying its merged events in one total order.
//! Every replica that holds the same events derives the same state: there is no stored status
//! field for concurrent writers to overwrite. An event that is not valid where it lands in the
//! order (two officers acted on different sides of a re-route, say) is kept in the timeline,
//! marked with why it had no effect.

use crate::model::event::{Action, Event};
use crate::model::log::Received;
use crate::types::{Millis, ReportKind, Stage, Status};

use super::deadlines::Deadlines;
use super::rules::{check, Refusal};

/// What the report document says that the workflow needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFacts {
    pub complaint_id: String,
    pub kind: ReportKind,
    pub created_at: Millis,
    /// Set when a field cadre files straight to their own institution (Makassar's Pakandatto):
    /// the complaint skips national verification.
    pub direct_institution: Option<String>,
    pub anonymous: bool,
    pub confidential: bool,
    /// Filed by a field cadre: the institution must respond within the cadre's hours.
    pub cadre_report: bool,
    /// The village (Kemendagri code) the report is about, when its location names one.
    pub area: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub stars: u8,
    pub note: String,
    pub at: Millis,
}

/// The highest escalation written for one deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub level: u8,
    /// The institution whose administrator it went to, or [`super::escalation::NATIONAL_DESK`].
    pub to: String,
    /// The deadline that passed.
    pub due: Millis,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowState {
    pub complaint_id: String,
    pub kind: ReportKind,
    pub status: Status,
    pub deferred_from: Option<Status>,
    pub institution: Option<String>,
    pub unit: Option<String>,
    pub field_inspection: bool,
    pub anonymous: bool,
    pub confidential: bool,
    pub merged_into: Option<String>,
    pub rating: Option<Rating>,
    pub created_at: Millis,
    /// When the running stage's clock started.
    pub stage_started_at: Millis,
    /// When the complaint first reached the institution that assigned it to a unit; the
    /// follow-up allowance counts from here and is not restarted by re-assigning units.
    pub follow_up_started_at: Option<Millis>,
    pub first_dispatched_at: Option<Millis>,
    /// First time it reached a unit: "time to the right desk".
    pub first_assigned_at: Option<Millis>,
    pub followed_up_at: Option<Millis>,
    pub completed_at: Option<Millis>,
    pub auto_completed: bool,
    pub last_activity_at: Millis,
    /// Filed by a field cadre (see [`ReportFacts::cadre_report`]).
    pub cadre_report: bool,
    /// The village it is about (see [`ReportFacts::area`]).
    pub area: Option<String>,
    /// When the holding unit first acted (started work or followed up).
    pub responded_at: Option<Millis>,
    /// The latest escalation; it concerns the present deadline only while `due` is that one.
    pub escalation: Option<Escalation>,
}

impl WorkflowState {
    pub fn new(facts: &ReportFacts) -> Self {
        let direct = facts.direct_institution.clone();
        WorkflowState {
            complaint_id: facts.complaint_id.clone(),
            kind: facts.kind,
            status: if direct.is_some() {
                Status::Dispatched
            } else {
                Status::Submitted
            },
            deferred_from: None,
            first_dispatched_at: direct.as_ref().map(|_| facts.created_at),
            institution: direct,
            unit: None,
            field_inspection: false,
            anonymous: facts.anonymous,
            confidential: facts.confidential,
            merged_into: None,
            rating: None,
            created_at: facts.created_at,
            stage_started_at: facts.created_at,
            follow_up_started_at: None,
            first_assigned_at: None,
            followed_up_at: None,
            completed_at: None,
            auto_completed: false,
            last_activity_at: facts.created_at,
            cadre_report: facts.cadre_report,
            area: facts.area.clone(),
            responded_at: None,
            escalation: None,
        }
    }

    /// The stage whose clock runs now, if any.
    pub fn stage(&self) -> Option<Stage> {
        match self.status {
            Status::Submitted => Some(Stage::NationalVerification),
            Status::Dispatched => Some(Stage::InstitutionVerification),
            Status::Assigned | Status::InProgress => Some(Stage::FollowUp),
            Status::FollowedUp => Some(Stage::AwaitingReporter),
            _ => None,
        }
    }

    /// Working days allowed for the follow-up, by kind of report and inspection need.
    pub fn follow_up_allowance(&self) -> u32 {
        match (self.kind, self.field_inspection) {
            (ReportKind::InformationRequest, _) => 5,
            (_, true) => 60,
            (_, false) => 14,
        }
    }

    /// When the running stage is due, in Millis: the end of the due working day where the
    /// stage's holder is (the national administrator, in WIB, or the holding institution).
    pub fn due_at(&self, deadlines: &Deadlines) -> Option<Millis> {
        if let Some(due) = self.response_due(deadlines) {
            return Some(due);
        }
        let stage = self.stage()?;
        let holder = match stage {
            Stage::NationalVerification => None,
            _ => self.institution.as_deref(),
        };
        Some(match stage {
            Stage::NationalVerification | Stage::InstitutionVerification => {
                deadlines.due_for(holder, self.stage_started_at, 3)
            }
            Stage::FollowUp => deadlines.due_for(
                holder,
                self.follow_up_started_at.unwrap_or(self.stage_started_at),
                self.follow_up_allowance(),
            ),
            // The reporter's window is the institution's too: it is the institution that waits
            // for the answer and counts the complaint completed at its own midnight.
            Stage::AwaitingReporter => deadlines.due_for(
                holder,
                self.followed_up_at.unwrap_or(self.stage_started_at),
                REPORTER_REPLY_DAYS,
            ),
        })
    }

    /// Whether the institution owes it a response within its cadre hours: a cadre filed it,
    /// or it is about a kelurahan where the holding institution has a cadre.
    pub fn on_cadre_hours(&self, deadlines: &Deadlines) -> bool {
        self.cadre_report
            || deadlines.in_cadre_area(self.institution.as_deref(), self.area.as_deref())
    }

    /// A cadre's report, or one about a cadre's kelurahan, waiting for the institution's first
    /// response: due a number of hours (the institution's cadre hours, 24 by default) after it
    /// reached the institution.
    pub fn response_due(&self, deadlines: &Deadlines) -> Option<Millis> {
        if self.responded_at.is_some() || !self.on_cadre_hours(deadlines) {
            return None;
        }
        let reached = match self.status {
            Status::Dispatched => self.stage_started_at,
            Status::Assigned => self.follow_up_started_at.unwrap_or(self.stage_started_at),
            _ => return None,
        };
        let hours = deadlines.cadre_hours_for(self.institution.as_deref());
        Some(reached.saturating_add(i64::from(hours) * 3_600_000))
    }

    /// The escalation level reached for the deadline running now (0: none).
    pub fn escalation_level(&self, deadlines: &Deadlines) -> u8 {
        self.current_escalation(deadlines).map_or(0, |e| e.level)
    }

    /// The escalation that concerns the deadline running now, if any: a new deadline (the
    /// complaint moved on, or was re-routed) starts unescalated.
    pub fn current_escalation(&self, deadlines: &Deadlines) -> Option<&Escalation> {
        let due = self.due_at(deadlines)?;
        self.escalation.as_ref().filter(|e| e.due == due)
    }

    /// `received`: when the server received the event, if it stamped it.
    fn apply(&mut self, event: &Event, received: Option<Millis>) {
        let at = event.at;
        match &event.action {
            Action::Dispatch { institution } => {
                self.status = Status::Dispatched;
                self.institution = Some(institution.clone());
                self.unit = None;
                self.stage_started_at = at;
                self.follow_up_started_at = None;
                self.first_dispatched_at.get_or_insert(at);
            }
            Action::Assign {
                unit,
                field_inspection,
            } => {
                self.status = Status::Assigned;
                self.unit = Some(unit.clone());
                self.field_inspection = *field_inspection;
                self.stage_started_at = at;
                self.follow_up_started_at.get_or_insert(at);
                self.first_assigned_at.get_or_insert(at);
            }
            Action::NotOurAuthority => {
                self.status = Status::Submitted;
                self.institution = None;
                self.unit = None;
                self.stage_started_at = at;
                self.follow_up_started_at = None;
            }
            Action::Defer => {
                self.deferred_from = Some(self.status);
                self.status = Status::Deferred;
            }
            Action::Resume => {
                // The deferral stopped the clock; the stage's allowance starts again.
                self.status = self.deferred_from.take().unwrap_or(Status::Submitted);
                self.stage_started_at = at;
                if self.follow_up_started_at.is_some() {
                    self.follow_up_started_at = Some(at);
                }
            }
            Action::Archive => self.status = Status::Archived,
            Action::MergeInto { target } => {
                self.status = Status::Merged;
                self.merged_into = Some(target.clone());
            }
            Action::SetFlags {
                anonymous,
                confidential,
            } => {
                self.anonymous |= anonymous;
                self.confidential |= confidential;
            }
            Action::StartWork => {
                self.status = Status::InProgress;
                self.responded_at.get_or_insert(at);
            }
            Action::FollowUp => {
                // The reporter's window opens when the follow-up reached the server, not when
                // the officer's phone says it was written: a backdated one must not close it.
                let opened = received.map_or(at, |r| r.max(at));
                self.status = Status::FollowedUp;
                self.responded_at.get_or_insert(at);
                self.followed_up_at = Some(opened);
                self.stage_started_at = opened;
            }
            Action::Close => {
                self.status = Status::Completed;
                self.completed_at = Some(at);
            }
            Action::Reply => {
                // The reporter answering a follow-up keeps it from counting as completed.
                if event.by.reporter && self.status == Status::FollowedUp {
                    self.status = Status::InProgress;
                }
            }
            Action::Reopen => {
                self.status = Status::InProgress;
                self.completed_at = None;
                self.auto_completed = false;
            }
            Action::Rate { stars } => {
                self.rating = Some(Rating {
                    stars: *stars,
                    note: event.note.clone(),
                    at,
                });
                if self.status != Status::Completed {
                    self.status = Status::Completed;
                    self.completed_at = Some(at);
                }
            }
            Action::Escalate { level, to, due } => {
                self.escalation = Some(Escalation {
                    level: *level,
                    to: to.clone(),
                    due: *due,
                    at,
                });
            }
        }
        self.last_activity_at = self.last_activity_at.max(at);
    }

    /// A follow-up with no reply from the reporter within the allowance counts as completed.
    fn settle(&mut self, until: Millis, deadlines: &Deadlines) {
        if self.status == Status::FollowedUp {
            if let Some(due) = self.due_at(deadlines) {
                if until > due {
                    self.status = Status::Completed;
                    self.completed_at = Some(due);
                    self.auto_completed = true;
                }
            }
        }
    }
}

/// Working days the reporter has to answer a follow-up before it counts as completed.
pub const REPORTER_REPLY_DAYS: u32 = 10;

/// The result of replaying a history: the state, and for each event in replay order whether
/// it took effect.
#[derive(Debug, Clone)]
pub struct Replay {
    pub state: WorkflowState,
    pub timeline: Vec<(Event, Option<Refusal>)>,
    pub max_lamport: u64,
}

/// Replays `events` (in any order; they are sorted here) on top of the report's facts, as of
/// `now`, with the server's receipt stamps.
pub fn replay(
    facts: &ReportFacts,
    events: Vec<Event>,
    received: &Received,
    now: Millis,
    deadlines: &Deadlines,
) -> Replay {
    replay_observed(facts, events, received, now, deadlines, None)
}

/// What [`replay_observed`] shows of each event that took effect: the state before it, the
/// event, and the state after it (notifications are derived from these steps).
pub type Observer<'a> = &'a mut dyn FnMut(&WorkflowState, &Event, &WorkflowState);

/// As [`replay`], showing `observer` every event that took effect.
pub fn replay_observed(
    facts: &ReportFacts,
    mut events: Vec<Event>,
    received: &Received,
    now: Millis,
    deadlines: &Deadlines,
    mut observer: Option<Observer<'_>>,
) -> Replay {
    events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut state = WorkflowState::new(facts);
    let mut timeline = Vec::with_capacity(events.len());
    let mut max_lamport = 0;
    for event in events {
        max_lamport = max_lamport.max(event.lamport);
        state.settle(event.at, deadlines);
        let outcome = event
            .validate_shape()
            .map_err(|what| Refusal::Parameter { what })
            .and_then(|()| check(&state, &event));
        if outcome.is_ok() {
            let before = observer.as_ref().map(|_| state.clone());
            state.apply(&event, received.get(&event.id).copied());
            if let (Some(observe), Some(before)) = (observer.as_mut(), before) {
                observe(&before, &event, &state);
            }
        }
        timeline.push((event, outcome.err()));
    }
    state.settle(now, deadlines);
    Replay {
        state,
        timeline,
        max_lamport,
    }
}
