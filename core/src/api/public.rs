//! The public view of a complaint: what anyone may see without an account, the same on the
//! server (`/v1/public/complaints`, `/v1/track/{tracking_id}`) and on a phone, because both
//! build it here from the complaint's two documents.
//!
//! What it shows: the kind, category, area, status, the deadline running, the timeline of
//! workflow steps, and the institution's replies to the reporter (the notes of a reply,
//! follow-up or closing written by a handler, as SP4N-LAPOR! publishes them).
//!
//! What it never shows, for any report:
//! - who reported (no name, contact, account, role beyond "reporter") nor the reporter's own
//!   words: title, description, replies and rating notes are theirs and may name people,
//!   streets and phone numbers that no administrator has redacted;
//! - the exact place: no address, no coordinates. A complaint's place is often the reporter's
//!   own house or street, so the area stops at the kelurahan (an urban village of a few
//!   thousand households), and that is the same for named and anonymous reports so the two
//!   cannot be told apart by what is shown;
//! - photos: they show faces, house numbers and number plates;
//! - handlers' names and accounts (a step says the role and the institution), notes on
//!   internal steps (routing, deferral, archiving, merging), privacy-flag changes, and steps
//!   the workflow refused;
//! - which report a complaint was merged into (that one may be confidential).
//!
//! A confidential complaint has no public view at all.

use automerge::AutoCommit;
use serde::{Deserialize, Serialize};

use crate::catalog::CategoryTree;
use crate::model::event::Action;
use crate::model::report::{self, Report};
use crate::model::{self, log};
use crate::store::facts;
use crate::types::{Language, Millis, ReportKind, Role, Status};
use crate::workflow::{self, Deadlines, Replay};

/// Where the problem is, as far as the public may know: administrative areas only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct PublicArea {
    pub province: String,
    pub city: String,
    pub kecamatan: String,
    pub kelurahan: String,
}

/// One workflow step as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct PublicStep {
    pub at: Millis,
    /// The action's code (`dispatch`, `follow_up`, ...).
    pub action: String,
    pub action_label: String,
    /// "Reporter", or the handler's role; never a name.
    pub by_label: String,
    pub by_reporter: bool,
    /// The handler's institution (a public body), none for the reporter.
    pub institution_id: Option<String>,
    /// The institution's words to the reporter, for a reply, follow-up or closing by a
    /// handler; none otherwise.
    pub reply: Option<String>,
}

/// A complaint as anyone holding its tracking id, or browsing public reports, sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct PublicComplaint {
    pub tracking_id: String,
    pub kind: ReportKind,
    pub kind_label: String,
    pub category_id: String,
    pub category_label: String,
    pub area: PublicArea,
    pub status: Status,
    pub status_label: String,
    /// The institution holding it, once dispatched.
    pub institution_id: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// When the running stage is due, if one is running.
    pub due_at: Option<Millis>,
    pub overdue: bool,
    /// The zone times are shown in: the holding institution's (WIB before dispatch).
    #[serde(default)]
    pub zone: String,
    #[serde(default)]
    pub utc_offset_minutes: i32,
    pub timeline: Vec<PublicStep>,
}

/// A page of public complaints, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct PublicPage {
    pub complaints: Vec<PublicComplaint>,
    pub page: u32,
    /// Whether a next page exists.
    pub more: bool,
}

/// Public pages hold this many complaints.
pub const PAGE_SIZE: u32 = 20;

/// Normalizes what someone typed as a tracking id (`adu-7k3mq-9xd2f`, spaces around it) to
/// the form `model::tracking_id` makes; `None` when it cannot be one.
pub fn parse_tracking_id(input: &str) -> Option<String> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let s = input.trim().to_ascii_uppercase();
    let rest = s.strip_prefix("ADU-")?;
    let (a, b) = rest.split_once('-')?;
    let ok = |part: &str| part.len() == 5 && part.chars().all(|c| ALPHABET.contains(c));
    (ok(a) && ok(b)).then_some(s)
}

/// The public view of a complaint from its documents (the log may be missing: nothing has
/// happened yet). `None` when the complaint is confidential, by the reporter's choice or an
/// administrator's, or when the report document holds no report.
pub fn from_docs(
    report_doc: &AutoCommit,
    log_doc: Option<&AutoCommit>,
    deadlines: &Deadlines,
    categories: &CategoryTree,
    language: Language,
    now: Millis,
) -> Option<PublicComplaint> {
    let report = report::read(report_doc)?;
    let (events, received) = log_doc
        .map(|d| (log::read(d), log::received(d)))
        .unwrap_or_default();
    let replay = workflow::replay(&facts(&report), events, &received, now, deadlines);
    of(&report, &replay, deadlines, categories, language, now)
}

/// The public view of a complaint already read and replayed.
pub fn of(
    report: &Report,
    replay: &Replay,
    deadlines: &Deadlines,
    categories: &CategoryTree,
    language: Language,
    now: Millis,
) -> Option<PublicComplaint> {
    let state = &replay.state;
    if report.confidential || state.confidential {
        return None;
    }
    let timeline = replay
        .timeline
        .iter()
        .filter(|(event, refusal)| {
            refusal.is_none() && !matches!(event.action, Action::SetFlags { .. })
        })
        .map(|(event, _)| {
            let by = &event.by;
            let handler_reply = !by.reporter
                && matches!(
                    event.action,
                    Action::Reply | Action::FollowUp | Action::Close
                )
                && !event.note.trim().is_empty();
            PublicStep {
                at: event.at,
                action: event.action.code().to_string(),
                action_label: match &event.action {
                    Action::MergeInto { .. } => Status::Merged.label(language).to_string(),
                    other => super::views::action_label(other, language, None),
                },
                by_label: if by.reporter {
                    language.pick("Pelapor", "Reporter").to_string()
                } else {
                    by.role.label(language).to_string()
                },
                by_reporter: by.reporter,
                institution_id: if by.reporter || by.role == Role::Citizen {
                    None
                } else {
                    by.institution.clone()
                },
                reply: handler_reply.then(|| event.note.clone()),
            }
        })
        .collect();
    let watched = matches!(
        state.status,
        Status::Submitted | Status::Dispatched | Status::Assigned | Status::InProgress
    );
    let due_at = state.due_at(deadlines);
    let location = &report.location;
    let offset = deadlines.offset_of(state.institution.as_deref());
    Some(PublicComplaint {
        tracking_id: model::tracking_id(&report.id),
        kind: report.kind,
        kind_label: report.kind.label(language).to_string(),
        category_id: report.category.clone(),
        category_label: super::views::category_label(categories, &report.category, language),
        area: PublicArea {
            province: location.province.clone(),
            city: location.city.clone(),
            kecamatan: location.kecamatan.clone(),
            kelurahan: location.kelurahan.clone(),
        },
        status: state.status,
        status_label: state.status.label(language).to_string(),
        institution_id: state.institution.clone(),
        created_at: report.created_at,
        updated_at: state.last_activity_at,
        due_at,
        overdue: watched && due_at.is_some_and(|d| d < now),
        zone: workflow::deadlines::zone_name(offset),
        utc_offset_minutes: offset.whole_minutes().into(),
        timeline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_ids_are_read_as_typed_over_the_phone() {
        let id = model::tracking_id("c-1");
        assert_eq!(parse_tracking_id(&id).as_deref(), Some(id.as_str()));
        assert_eq!(
            parse_tracking_id(&format!("  {}\n", id.to_lowercase())).as_deref(),
            Some(id.as_str())
        );
        for bad in [
            "",
            "ADU-",
            "ADU-12345",
            "ADU-1234-12345",
            "ADU-12345-1234U",
            "XYZ-12345-12345",
            "ADU-12345-12345-1",
            "ADU-ÄÄÄÄÄ-12345",
        ] {
            assert_eq!(parse_tracking_id(bad), None, "{bad}");
        }
    }
}
