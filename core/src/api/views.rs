//! Turns stored state into the records the shells draw.

use crate::catalog::{CategoryTree, Directory};
use crate::model::channel::Channel;
use crate::model::event::{Action, Author};
use crate::store::index::IndexRow;
use crate::store::{Loaded, Store};
use crate::types::{Identity, Language, Millis, Status};
use crate::workflow::{self, escalation::NATIONAL_DESK, state::REPORTER_REPLY_DAYS};

use super::records::*;

pub fn category_label(categories: &CategoryTree, id: &str, language: Language) -> String {
    categories
        .get(id)
        .map(|c| match language {
            Language::Id => c.name_id.clone(),
            Language::En => c.name_en.clone(),
        })
        .unwrap_or_else(|| id.to_string())
}

pub fn summary(row: &IndexRow, store: &Store, language: Language, now: Millis) -> ComplaintSummary {
    let categories = &store.categories;
    // Shown where the place is: its institution's zone, or its kelurahan's before dispatch.
    let offset = store
        .directory
        .zone_of_place(row.institution_id.as_deref(), row.kelurahan.as_deref())
        .map(|z| {
            time::UtcOffset::from_hms(z.utc_offset_hours(), 0, 0).unwrap_or(time::UtcOffset::UTC)
        })
        .unwrap_or_else(|| store.deadlines.offset_of(row.institution_id.as_deref()));
    let watched = matches!(
        row.status,
        Status::Submitted | Status::Dispatched | Status::Assigned | Status::InProgress
    );
    ComplaintSummary {
        id: row.id.clone(),
        tracking_id: row.tracking_id.clone(),
        kind: row.kind,
        kind_label: row.kind.label(language).to_string(),
        category_id: row.category.clone(),
        category_label: category_label(categories, &row.category, language),
        title: row.title.clone(),
        status: row.status,
        status_label: row.status.label(language).to_string(),
        institution_id: row.institution_id.clone(),
        unit_id: row.unit_id.clone(),
        due_at: row.due_at,
        overdue: watched && row.due_at.is_some_and(|d| d < now),
        created_at: row.created_at,
        updated_at: row.updated_at,
        latitude: row.latitude,
        longitude: row.longitude,
        photo_count: row.photo_count,
        mine: row.mine,
        anonymous: row.anonymous,
        confidential: row.confidential,
        pending_sync: row.pending_sync,
        damaged: row.damaged,
        zone: workflow::deadlines::zone_name(offset),
        utc_offset_minutes: offset.whole_minutes().into(),
        channel: row.channel.clone(),
        channel_label: Channel::from_parts(&row.channel, Some(""), Some(""))
            .map(|c| match c {
                // The list shows the road, the detail its reference.
                Channel::Bridged { .. } => language.pick("Dari sistem lain", "Bridged").into(),
                c => c.label(language),
            })
            .unwrap_or_else(|| row.channel.clone()),
    }
}

fn author_label(by: &Author, language: Language) -> String {
    if by.reporter {
        return language.pick("Pelapor", "Reporter").to_string();
    }
    match &by.name {
        Some(name) => format!("{name} ({})", by.role.label(language)),
        None => by.role.label(language).to_string(),
    }
}

/// What a step did, in `language`. With the directory, dispatches, assignments and
/// escalations name the institution or unit instead of its id.
pub fn action_label(action: &Action, language: Language, directory: Option<&Directory>) -> String {
    let institution_name = |id: &str| {
        directory
            .and_then(|d| d.institution(id))
            .map_or_else(|| id.to_string(), |i| i.name.clone())
    };
    let base = match (action, language) {
        (Action::Dispatch { .. }, Language::Id) => "Didisposisikan",
        (Action::Dispatch { .. }, Language::En) => "Dispatched",
        (Action::Assign { .. }, Language::Id) => "Diteruskan ke unit",
        (Action::Assign { .. }, Language::En) => "Assigned to a unit",
        (Action::NotOurAuthority, Language::Id) => "Bukan wewenang",
        (Action::NotOurAuthority, Language::En) => "Not our authority",
        (Action::Defer, Language::Id) => "Ditunda",
        (Action::Defer, Language::En) => "Deferred",
        (Action::Resume, Language::Id) => "Dilanjutkan",
        (Action::Resume, Language::En) => "Resumed",
        (Action::Archive, Language::Id) => "Diarsipkan",
        (Action::Archive, Language::En) => "Archived",
        (Action::MergeInto { .. }, Language::Id) => "Digabung",
        (Action::MergeInto { .. }, Language::En) => "Merged",
        (Action::SetFlags { .. }, Language::Id) => "Tanda privasi diubah",
        (Action::SetFlags { .. }, Language::En) => "Privacy flags set",
        (Action::StartWork, Language::Id) => "Mulai diproses",
        (Action::StartWork, Language::En) => "Work started",
        (Action::FollowUp, Language::Id) => "Tindak lanjut",
        (Action::FollowUp, Language::En) => "Follow-up",
        (Action::Close, Language::Id) => "Ditutup",
        (Action::Close, Language::En) => "Closed",
        (Action::Reply, Language::Id) => "Balasan",
        (Action::Reply, Language::En) => "Reply",
        (Action::Reopen, Language::Id) => "Dibuka kembali",
        (Action::Reopen, Language::En) => "Reopened",
        (Action::Rate { .. }, Language::Id) => "Penilaian",
        (Action::Rate { .. }, Language::En) => "Rating",
        (Action::Escalate { level: 1, .. }, Language::Id) => {
            "Terlambat, dieskalasi ke admin instansi"
        }
        (Action::Escalate { level: 1, .. }, Language::En) => {
            "Overdue, escalated to the institution's administrator"
        }
        (Action::Escalate { .. }, Language::Id) => "Terlambat, dieskalasi ke tingkat di atasnya",
        (Action::Escalate { .. }, Language::En) => "Overdue, escalated to the level above",
    };
    match action {
        Action::Dispatch { institution } => format!("{base}: {}", institution_name(institution)),
        Action::Assign {
            unit,
            field_inspection,
        } => {
            let inspection = if *field_inspection {
                language.pick(" (perlu pemeriksaan lapangan)", " (needs field inspection)")
            } else {
                ""
            };
            let unit = directory
                .and_then(|d| d.unit(unit))
                .map_or_else(|| unit.clone(), |(_, u)| u.name.clone());
            format!("{base}: {unit}{inspection}")
        }
        Action::MergeInto { target } => format!("{base}: {target}"),
        Action::Rate { stars } => format!("{base}: {stars}/5"),
        Action::Escalate { to, .. } if to == NATIONAL_DESK => language
            .pick(
                "Terlambat, dieskalasi ke admin nasional",
                "Overdue, escalated to the national administrator",
            )
            .to_string(),
        Action::Escalate { to, .. } => format!("{base}: {}", institution_name(to)),
        _ => base.to_string(),
    }
}

/// The actions the present user could take now, found by asking the same rule the replay
/// uses with a representative event for each.
pub fn available_actions(
    store: &Store,
    identity: Option<&Identity>,
    loaded: &Loaded,
) -> Vec<ActionKind> {
    let Some(identity) = identity else {
        return Vec::new();
    };
    actions_for(
        &store.directory,
        identity,
        loaded.mine,
        &loaded.replay,
        store.now(),
    )
}

/// The actions `identity` could take now on a complaint (`mine`: they filed it), for any
/// shell that holds the complaint's replay (the phone's store, the server's desk).
pub fn actions_for(
    directory: &crate::catalog::Directory,
    identity: &Identity,
    mine: bool,
    replay: &workflow::Replay,
    now: Millis,
) -> Vec<ActionKind> {
    let state = &replay.state;
    let mut out = Vec::new();
    if mine
        && matches!(
            state.status,
            Status::Submitted | Status::Dispatched | Status::Deferred
        )
    {
        out.push(ActionKind::Edit);
    }
    if mine && !state.status.is_terminal() {
        out.push(ActionKind::AddPhoto);
    }
    let institution = state
        .institution
        .clone()
        .or_else(|| identity.institution_id.clone())
        .unwrap_or_default();
    let other_institution = directory
        .institutions()
        .iter()
        .map(|i| i.id.clone())
        .find(|i| Some(i) != state.institution.as_ref())
        .unwrap_or_else(|| "x".into());
    let probes = [
        (
            ActionKind::Dispatch,
            Action::Dispatch {
                institution: other_institution,
            },
        ),
        (
            ActionKind::Assign,
            Action::Assign {
                unit: format!("{institution}.unit"),
                field_inspection: false,
            },
        ),
        (ActionKind::NotOurAuthority, Action::NotOurAuthority),
        (ActionKind::Defer, Action::Defer),
        (ActionKind::Resume, Action::Resume),
        (ActionKind::Archive, Action::Archive),
        (
            ActionKind::MergeInto,
            Action::MergeInto {
                target: "other".into(),
            },
        ),
        (
            ActionKind::SetFlags,
            Action::SetFlags {
                anonymous: true,
                confidential: true,
            },
        ),
        (ActionKind::StartWork, Action::StartWork),
        (ActionKind::FollowUp, Action::FollowUp),
        (ActionKind::Close, Action::Close),
        (ActionKind::Reply, Action::Reply),
        (ActionKind::Reopen, Action::Reopen),
        (ActionKind::Rate, Action::Rate { stars: 5 }),
    ];
    for (kind, action) in probes {
        let event = crate::model::event::Event::new_by(
            identity,
            crate::model::event::acts_as_reporter(mine, &action),
            replay.max_lamport,
            now,
            action,
            "-".into(),
            Vec::new(),
        );
        if workflow::check(state, &event).is_ok() {
            out.push(kind);
        }
    }
    out
}

pub fn detail(
    store: &Store,
    row: &IndexRow,
    loaded: &Loaded,
    language: Language,
    now: Millis,
) -> crate::error::Result<ComplaintDetail> {
    let state = &loaded.replay.state;
    let report = &loaded.report;
    let mut photos = Vec::with_capacity(report.photos.len());
    for p in &report.photos {
        photos.push(PhotoView {
            sha256: p.sha256.clone(),
            thumb_sha256: p.thumb_sha256.clone(),
            width: p.width,
            height: p.height,
            bytes: p.bytes,
            available: store.has_photo(&p.sha256)?,
        });
    }
    let timeline = loaded
        .replay
        .timeline
        .iter()
        .map(|(event, refusal)| TimelineEntry {
            id: event.id.clone(),
            at: event.at,
            action: event.action.code().to_string(),
            action_label: action_label(&event.action, language, Some(&store.directory)),
            author_label: author_label(&event.by, language),
            author_role: event.by.role,
            by_reporter: event.by.reporter,
            institution_id: event.by.institution.clone(),
            note: event.note.clone(),
            photos: event.photos.clone(),
            applied: refusal.is_none(),
            refusal: refusal.as_ref().map(|r| match language {
                Language::Id => r.message_id(),
                Language::En => r.message_en(),
            }),
        })
        .collect();
    let deadlines = &store.deadlines;
    let deadline = state.stage().and_then(|stage| {
        let due_at = state.due_at(deadlines)?;
        let (started_at, working_days) = match stage {
            crate::types::Stage::FollowUp => (
                state.follow_up_started_at.unwrap_or(state.stage_started_at),
                state.follow_up_allowance(),
            ),
            crate::types::Stage::AwaitingReporter => (
                state.followed_up_at.unwrap_or(state.stage_started_at),
                REPORTER_REPLY_DAYS,
            ),
            _ => (state.stage_started_at, 3),
        };
        Some(DeadlineView {
            stage,
            stage_label: stage.label(language).to_string(),
            working_days,
            started_at,
            due_at,
            overdue: stage != crate::types::Stage::AwaitingReporter && now > due_at,
            working_days_left: deadlines.working_days_between_for(
                state.institution.as_deref(),
                now,
                due_at,
            ),
        })
    });
    let mut summary = summary(row, store, language, now);
    summary.status = state.status;
    summary.status_label = state.status.label(language).to_string();
    let reporter_label = if loaded.mine && report.filed_by.is_some() {
        // The operator's phone: the reporter is the caller they typed it for.
        if state.anonymous || report.anonymous {
            language.pick("Penelepon anonim", "Anonymous caller")
        } else {
            language.pick("Penelepon yang Anda catat", "The caller you filed for")
        }
        .to_string()
    } else if loaded.mine {
        language.pick("Anda", "You").to_string()
    } else if state.anonymous || report.anonymous {
        language.pick("Anonim", "Anonymous").to_string()
    } else {
        report.reporter_role.label(language).to_string()
    };
    let filed_by = report
        .filed_by
        .as_ref()
        .map(|f| format!("{} ({})", f.account, f.role.label(language)));
    let bridged_from = match &report.channel {
        Channel::Bridged { system, reference } => Some(format!("{system} {reference}")),
        _ => None,
    };
    Ok(ComplaintDetail {
        summary,
        reporter_label,
        reporter_role: report.reporter_role,
        filed_by,
        bridged_from,
        description: report.description.clone(),
        location: report.location.clone(),
        photos,
        timeline,
        deadline,
        field_inspection: state.field_inspection,
        rating: state.rating.as_ref().map(|r| RatingView {
            stars: r.stars,
            note: r.note.clone(),
            at: r.at,
        }),
        merged_into: state.merged_into.clone(),
        duplicates: store.duplicates_of(&report.id)?,
        available_actions: available_actions(store, store.identity(), loaded),
        auto_completed: state.auto_completed,
        refused: store
            .refused(Some(&report.id))?
            .into_iter()
            .map(|r| refused_view(r, language, Some(&store.directory)))
            .collect(),
    })
}

pub fn refused_view(
    r: crate::store::RefusedRecord,
    language: Language,
    directory: Option<&Directory>,
) -> RefusedView {
    RefusedView {
        tracking_id: crate::model::tracking_id(&r.complaint_id),
        complaint_id: r.complaint_id,
        at: r.event.as_ref().map(|e| e.at).unwrap_or(r.at),
        action_label: r
            .event
            .as_ref()
            .map(|e| action_label(&e.action, language, directory))
            .unwrap_or_else(|| {
                language
                    .pick("Perubahan laporan", "Report change")
                    .to_string()
            }),
        note: r.event.map(|e| e.note).unwrap_or_default(),
        reason: match language {
            Language::Id => r.message_id,
            Language::En => r.message_en,
        },
    }
}
