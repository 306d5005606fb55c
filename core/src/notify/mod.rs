//! Notifications: what tells each person that something concerns them. The rules of which
//! events notify whom live here, once: the server runs them on the events it stores and on the
//! deadlines it watches, phones and e-mail show what [`render`] makes of them. A notification
//! travels and is stored as its kind and [`Params`] (a tracking id, a status, a deadline,
//! counts), never as rendered text: nothing in it is the reporter's words or identity, and each
//! reader sees it in their own language.

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, UtcOffset};

use crate::model::event::{Action, Event};
use crate::model::log::Received;
use crate::model::tracking_id;
use crate::types::{Language, Millis, Stage, Status};
use crate::workflow::{self, Deadlines, ReportFacts, WorkflowState};

crate::types::coded_enum! {
    /// What a notification is about.
    NotificationKind {
        StatusChanged => "status_changed", "Status laporan berubah", "Report status changed";
        ReplyWindowClosing => "reply_window_closing", "Batas waktu tanggapan segera berakhir", "Reply window closing";
        Completed => "completed", "Laporan selesai", "Report completed";
        NewWork => "new_work", "Tugas baru", "New work";
        DeadlineNear => "deadline_near", "Batas waktu mendekat", "Deadline near";
        Overdue => "overdue", "Melewati batas waktu", "Overdue";
        Escalated => "escalated", "Dieskalasi kepada Anda", "Escalated to you";
        DailySummary => "daily_summary", "Ringkasan harian", "Daily summary";
    }
}

crate::types::coded_enum! {
    /// How a notification reaches a person: with their phone's sync, or by e-mail. (Reporters
    /// who filed by SMS hear through the SMS desk, whose account takes them as a phone does.)
    NotificationChannel {
        Phone => "phone", "Ponsel", "Phone";
        Email => "email", "Surel", "E-mail";
    }
}

/// Whom a notification is for, before the server resolves it to accounts (and keeps only
/// those who may see the complaint, by the same rule as sync).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The complaint's reporter: their own account, whatever the anonymity.
    Reporter,
    /// Officers of the institution; of the unit when one is named (officers bound to no unit
    /// too).
    Officers {
        institution: String,
        unit: Option<String>,
    },
    InstitutionAdmins {
        institution: String,
    },
    NationalAdmins,
}

/// Why new work arrived (shown in the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkReason {
    Filed,
    Dispatched,
    Assigned,
    Returned,
}

/// What a notification says, apart from its kind: no personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tracking_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<WorkReason>,
    /// A deadline, and the offset of the place where it ends (to show it in that zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Millis>,
    #[serde(default)]
    pub utc_offset_minutes: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// The complaint counted as completed because the reporter did not reply in time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lapsed: bool,
    /// A daily summary: its date (YYYY-MM-DD) and counts.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    #[serde(default)]
    pub open: u32,
    #[serde(default)]
    pub overdue: u32,
    #[serde(default)]
    pub received: u32,
}

impl Params {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Unknown or damaged parameters read as empty: a notification still shows its kind.
    pub fn from_json(text: &str) -> Params {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// One notification a complaint owes someone. `key` names the occasion (an event id, or a
/// deadline): with the complaint, recipient and kind it is the notification's idempotency key,
/// so deriving again (a repeated or replayed sync, a second instance) produces nothing new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub key: String,
    pub kind: NotificationKind,
    pub audience: Audience,
    pub params: Params,
    /// Never notify the one who acted about their own act.
    pub author: Option<String>,
}

/// How long before a deadline its holders are told.
pub const DEADLINE_NEAR_MS: Millis = 24 * 3_600_000;
/// How long before the reporter's reply window closes they are told.
pub const REPLY_WINDOW_CLOSING_MS: Millis = 2 * 24 * 3_600_000;

fn base(state: &WorkflowState) -> Params {
    Params {
        tracking_id: tracking_id(&state.complaint_id),
        ..Params::default()
    }
}

fn due_params(state: &WorkflowState, deadlines: &Deadlines, due: Millis) -> Params {
    let holder = match state.stage() {
        Some(Stage::NationalVerification) => None,
        _ => state.institution.as_deref(),
    };
    Params {
        due: Some(due),
        utc_offset_minutes: i32::from(deadlines.offset_of(holder).whole_minutes()),
        stage: state.stage(),
        ..base(state)
    }
}

/// The notifications the events `new` (ids of events the server has just stored) owe, with
/// the ones the complaint's deadlines owe at `now`. `is_new`: the report itself has just
/// arrived (the national desk, or a cadre's institution, gets new work).
pub fn plan(
    facts: &ReportFacts,
    events: Vec<Event>,
    received: &Received,
    new: &dyn Fn(&str) -> bool,
    is_new: bool,
    now: Millis,
    deadlines: &Deadlines,
) -> Vec<Planned> {
    let mut out = Vec::new();
    let mut observe = |before: &WorkflowState, event: &Event, after: &WorkflowState| {
        if new(&event.id) {
            for_event(before, event, after, deadlines, &mut out);
        }
    };
    let replay =
        workflow::replay_observed(facts, events, received, now, deadlines, Some(&mut observe));
    let state = &replay.state;
    if is_new {
        let audience = match &facts.direct_institution {
            Some(institution) => Audience::InstitutionAdmins {
                institution: institution.clone(),
            },
            None => Audience::NationalAdmins,
        };
        out.push(Planned {
            key: "filed".into(),
            kind: NotificationKind::NewWork,
            audience,
            params: Params {
                reason: Some(WorkReason::Filed),
                ..base(state)
            },
            author: None,
        });
    }
    out.extend(for_deadlines(state, now, deadlines));
    out
}

fn for_event(
    before: &WorkflowState,
    event: &Event,
    after: &WorkflowState,
    deadlines: &Deadlines,
    out: &mut Vec<Planned>,
) {
    let author = if event.by.reporter {
        None
    } else {
        event.by.account.clone()
    };
    let mut push = |kind, audience, params| {
        out.push(Planned {
            key: event.id.clone(),
            kind,
            audience,
            params,
            author: author.clone(),
        })
    };
    if before.status != after.status && !event.by.reporter {
        let kind = if after.status == Status::Completed {
            NotificationKind::Completed
        } else {
            NotificationKind::StatusChanged
        };
        push(
            kind,
            Audience::Reporter,
            Params {
                status: Some(after.status),
                ..base(after)
            },
        );
    }
    let work = |reason| Params {
        reason: Some(reason),
        ..base(after)
    };
    match &event.action {
        Action::Dispatch { institution } => push(
            NotificationKind::NewWork,
            Audience::InstitutionAdmins {
                institution: institution.clone(),
            },
            work(WorkReason::Dispatched),
        ),
        Action::Assign { unit, .. } => {
            if let Some(institution) = &after.institution {
                push(
                    NotificationKind::NewWork,
                    Audience::Officers {
                        institution: institution.clone(),
                        unit: Some(unit.clone()),
                    },
                    work(WorkReason::Assigned),
                )
            }
        }
        Action::NotOurAuthority => push(
            NotificationKind::NewWork,
            Audience::NationalAdmins,
            work(WorkReason::Returned),
        ),
        Action::Escalate { level, to, due } => {
            let params = Params {
                level: Some(*level),
                ..due_params(before, deadlines, *due)
            };
            if *level == 1 {
                if let Some(institution) = &before.institution {
                    push(
                        NotificationKind::Overdue,
                        Audience::Officers {
                            institution: institution.clone(),
                            unit: before.unit.clone(),
                        },
                        params.clone(),
                    );
                }
            }
            let audience = if to == workflow::escalation::NATIONAL_DESK {
                Audience::NationalAdmins
            } else {
                Audience::InstitutionAdmins {
                    institution: to.clone(),
                }
            };
            push(NotificationKind::Escalated, audience, params);
        }
        _ => {}
    }
}

/// What the running deadline owes at `now`: its holders are told a day before it ends, the
/// reporter two days before their reply window closes, and that it closed.
pub fn for_deadlines(state: &WorkflowState, now: Millis, deadlines: &Deadlines) -> Vec<Planned> {
    let mut out = Vec::new();
    if state.auto_completed {
        if let Some(at) = state.completed_at {
            out.push(Planned {
                key: format!("lapsed-{at}"),
                kind: NotificationKind::Completed,
                audience: Audience::Reporter,
                params: Params {
                    status: Some(Status::Completed),
                    lapsed: true,
                    ..base(state)
                },
                author: None,
            });
        }
        return out;
    }
    let (Some(stage), Some(due)) = (state.stage(), state.due_at(deadlines)) else {
        return out;
    };
    if now > due {
        return out;
    }
    let left = due - now;
    let (kind, audience, window) = match (stage, &state.institution) {
        (Stage::AwaitingReporter, _) => (
            NotificationKind::ReplyWindowClosing,
            Audience::Reporter,
            REPLY_WINDOW_CLOSING_MS,
        ),
        (Stage::NationalVerification, _) => (
            NotificationKind::DeadlineNear,
            Audience::NationalAdmins,
            DEADLINE_NEAR_MS,
        ),
        (Stage::InstitutionVerification, Some(institution)) => (
            NotificationKind::DeadlineNear,
            Audience::InstitutionAdmins {
                institution: institution.clone(),
            },
            DEADLINE_NEAR_MS,
        ),
        (Stage::FollowUp, Some(institution)) => (
            NotificationKind::DeadlineNear,
            Audience::Officers {
                institution: institution.clone(),
                unit: state.unit.clone(),
            },
            DEADLINE_NEAR_MS,
        ),
        _ => return out,
    };
    if left <= window {
        out.push(Planned {
            key: format!("due-{due}"),
            kind,
            audience,
            params: due_params(state, deadlines, due),
            author: None,
        });
    }
    out
}

/// What a notification shows: a title and a body, in one language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotificationText {
    pub title: String,
    pub body: String,
}

/// A notification's deadline in the zone of the place where it ends (`2026-12-05 16:00 WITA`).
pub(crate) fn when(p: &Params) -> String {
    let Some(due) = p.due else {
        return String::new();
    };
    let offset = UtcOffset::from_whole_seconds(p.utc_offset_minutes.saturating_mul(60))
        .unwrap_or(UtcOffset::UTC);
    let local = OffsetDateTime::from_unix_timestamp_nanos(i128::from(due) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} {}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute(),
        workflow::deadlines::zone_name(offset)
    )
}

/// The title and body of a notification, in `language`, with the tracking id.
pub fn render(kind: NotificationKind, p: &Params, language: Language) -> NotificationText {
    let en = language == Language::En;
    let t = &p.tracking_id;
    let status = p.status.map(|s| s.label(language)).unwrap_or_default();
    let stage = p.stage.map(|s| s.label(language)).unwrap_or_default();
    let due = when(p);
    let (title, body) = match kind {
        NotificationKind::StatusChanged => {
            if en {
                (format!("Report {t}: {status}"), format!("Your report {t} is now: {status}."))
            } else {
                (format!("Laporan {t}: {status}"), format!("Status laporan Anda {t} sekarang: {status}."))
            }
        }
        NotificationKind::ReplyWindowClosing => {
            if en {
                (
                    format!("Reply to the follow-up of {t}"),
                    format!("Your report {t} was followed up. Without your reply by {due} it counts as completed."),
                )
            } else {
                (
                    format!("Tanggapi tindak lanjut {t}"),
                    format!("Laporan Anda {t} sudah ditindaklanjuti. Tanpa tanggapan Anda sampai {due}, laporan dianggap selesai."),
                )
            }
        }
        NotificationKind::Completed => match (en, p.lapsed) {
            (true, false) => (
                format!("Report {t} completed"),
                format!("Your report {t} is completed. Please rate how it was handled."),
            ),
            (true, true) => (
                format!("Report {t} completed"),
                format!("Your report {t} counts as completed: no reply came within 10 working days of the follow-up."),
            ),
            (false, false) => (
                format!("Laporan {t} selesai"),
                format!("Laporan Anda {t} telah selesai. Mohon beri penilaian atas penanganannya."),
            ),
            (false, true) => (
                format!("Laporan {t} selesai"),
                format!("Laporan Anda {t} dianggap selesai: tidak ada tanggapan dalam 10 hari kerja setelah tindak lanjut."),
            ),
        },
        NotificationKind::NewWork => {
            let why = match (p.reason, en) {
                (Some(WorkReason::Filed), true) => "A new report awaits verification.",
                (Some(WorkReason::Filed), false) => "Laporan baru menunggu verifikasi.",
                (Some(WorkReason::Dispatched), true) => "A report was dispatched to your institution.",
                (Some(WorkReason::Dispatched), false) => "Laporan didisposisikan ke instansi Anda.",
                (Some(WorkReason::Assigned), true) => "A report was assigned to your unit for follow-up.",
                (Some(WorkReason::Assigned), false) => "Laporan diteruskan ke unit Anda untuk ditindaklanjuti.",
                (Some(WorkReason::Returned), true) => "A report was returned as not the institution's authority; route it again.",
                (Some(WorkReason::Returned), false) => "Laporan dikembalikan karena bukan wewenang instansi; disposisikan ulang.",
                (None, true) => "A report needs your attention.",
                (None, false) => "Sebuah laporan memerlukan perhatian Anda.",
            };
            if en {
                (format!("New work: {t}"), format!("{why} ({t})"))
            } else {
                (format!("Tugas baru: {t}"), format!("{why} ({t})"))
            }
        }
        NotificationKind::DeadlineNear => {
            if en {
                (format!("Deadline near: {t}"), format!("{stage} of {t} is due by {due}."))
            } else {
                (format!("Batas waktu mendekat: {t}"), format!("{stage} laporan {t} harus selesai sebelum {due}."))
            }
        }
        NotificationKind::Overdue => {
            if en {
                (format!("Overdue: {t}"), format!("The deadline of {t} ({due}) has passed; it was escalated."))
            } else {
                (format!("Melewati batas waktu: {t}"), format!("Batas waktu laporan {t} ({due}) terlewati; laporan dieskalasi."))
            }
        }
        NotificationKind::Escalated => {
            let level = p.level.unwrap_or(1);
            if en {
                (format!("Escalated to you: {t}"), format!("{t} missed its deadline ({due}) and was escalated to you (level {level})."))
            } else {
                (format!("Dieskalasi kepada Anda: {t}"), format!("Laporan {t} melewati batas waktu ({due}) dan dieskalasi kepada Anda (tingkat {level})."))
            }
        }
        NotificationKind::DailySummary => {
            let (d, o, late, r) = (&p.date, p.open, p.overdue, p.received);
            if en {
                (format!("Daily summary {d}"), format!("{o} open reports, {late} overdue, {r} received in the last day."))
            } else {
                (format!("Ringkasan harian {d}"), format!("{o} laporan terbuka, {late} melewati batas waktu, {r} diterima dalam sehari terakhir."))
            }
        }
    };
    NotificationText { title, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_renders_in_both_languages_with_the_tracking_id() {
        let p = Params {
            tracking_id: "ADU-ABCDE-FGHIJ".into(),
            status: Some(Status::Dispatched),
            due: Some(1_748_883_599_999),
            utc_offset_minutes: 480,
            ..Params::default()
        };
        for kind in NotificationKind::ALL {
            let id = render(*kind, &p, Language::Id);
            let en = render(*kind, &p, Language::En);
            assert_ne!(id, en, "{kind:?}");
            if *kind != NotificationKind::DailySummary {
                assert!(
                    id.title.contains("ADU-ABCDE-FGHIJ") && en.body.contains("ADU-ABCDE-FGHIJ")
                );
            }
            assert_eq!(NotificationKind::from_code(kind.code()), Some(*kind));
        }
        let near = render(NotificationKind::DeadlineNear, &p, Language::Id);
        assert!(near.body.contains("2025-06-03 00:59 WITA"), "{}", near.body);
    }

    #[test]
    fn damaged_parameters_read_as_empty() {
        assert_eq!(Params::from_json("not json"), Params::default());
        let p = Params {
            tracking_id: "ADU-1".into(),
            lapsed: true,
            ..Params::default()
        };
        assert_eq!(Params::from_json(&p.to_json()), p);
    }
}
