//! Overdue work escalates: when the running deadline passes, first to the holding institution's
//! administrator, then (one working day later, or another cadre's-hours span for a cadre's
//! report) to the level above, the national administrator. Each step is an event in the log,
//! written by the system. The rule lives here; the server only runs it (a periodic sweep and
//! after each sync), and any replica that ran it would write the same event under the same id,
//! so two servers or two phones writing a step at once merge into one.

use crate::model::event::{escalation_id, Action, Author, Event, MAX_ESCALATION_LEVEL};
use crate::types::{Millis, Status};

use super::deadlines::Deadlines;
use super::state::Replay;

/// Where an escalation above an institution (or of national verification) goes.
pub const NATIONAL_DESK: &str = "national";

/// The escalation step due at `now`, if any: the action, and the moment it became due.
pub fn due_step(replay: &Replay, now: Millis, deadlines: &Deadlines) -> Option<(Action, Millis)> {
    let state = &replay.state;
    if !matches!(
        state.status,
        Status::Submitted | Status::Dispatched | Status::Assigned | Status::InProgress
    ) {
        return None;
    }
    let due = state.due_at(deadlines)?;
    let reached = state.escalation_level(deadlines);
    // National verification has no level above the national desk.
    let top = if state.institution.is_some() {
        MAX_ESCALATION_LEVEL
    } else {
        1
    };
    if reached >= top {
        return None;
    }
    let level = reached + 1;
    let from = if level == 1 {
        due
    } else if state.response_due(deadlines).is_some() {
        let hours = deadlines.cadre_hours_for(state.institution.as_deref());
        due.saturating_add(i64::from(hours) * 3_600_000)
    } else {
        deadlines.due_for(state.institution.as_deref(), due, 1)
    };
    if now <= from {
        return None;
    }
    let to = match (&state.institution, level) {
        (Some(institution), 1) => institution.clone(),
        _ => NATIONAL_DESK.to_string(),
    };
    Some((Action::Escalate { level, to, due }, from))
}

/// The escalation event due at `now`, written as the system, or `None` when nothing is due.
/// Call it again after appending: a complaint overdue for long enough owes both steps.
pub fn next_event(replay: &Replay, now: Millis, deadlines: &Deadlines) -> Option<Event> {
    let (action, from) = due_step(replay, now, deadlines)?;
    let Action::Escalate { level, due, .. } = &action else {
        return None;
    };
    Some(Event {
        id: escalation_id(*level, *due),
        // Dated when it became due, so a late sweep writes the same event as a prompt one.
        lamport: replay.max_lamport.saturating_add(1).max(from.max(0) as u64),
        at: from,
        by: Author::system(),
        action,
        note: String::new(),
        photos: Vec::new(),
    })
}
