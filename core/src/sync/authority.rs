//! The server's decision on every uploaded change, made before anything is stored. It lives in
//! core beside the rules it enforces. A change is admitted only if it decodes, its dependencies
//! are known, and what it writes is the uploader's to write:
//! - the report document is the reporter's alone, and who reported, when, and in which role
//!   never change after filing;
//! - the log document only grows: each change may only add new `ev:` keys holding one event
//!   each, authored by the uploader in their own account, role and institution (or, for the
//!   reporter, with no account at all), for an action that role may take, under the name
//!   the server knows the account by;
//! - an event's clocks are believable: not ahead of the server's, not before the events its
//!   author had seen, and a follow-up is stamped with when the server received it.

use std::collections::{HashMap, HashSet};

use automerge::{legacy, AutoCommit, Change, ChangeHash, ReadDoc, ScalarValue, ROOT};

use crate::model::event::{Action, Event};
use crate::model::log::{self, EVENT_KEY_PREFIX};
use crate::model::report::{self, MAX_DESCRIPTION_CHARS, MAX_REPORT_PHOTOS, MAX_TITLE_CHARS};
use crate::model::DocKind;
use crate::sync::bounds;
use crate::types::{Millis, Role};
use crate::workflow::rules::role_may;

/// Operations one change may carry in a log document (one event is one operation).
const MAX_LOG_OPS_PER_CHANGE: usize = 16;

/// Who is uploading, as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploader {
    pub account_id: String,
    pub role: Role,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    /// The uploader reported this complaint (or is filing it now).
    pub owner: bool,
    /// The account's name: the only one its events may show.
    pub display_name: String,
    /// The server's clock as the upload arrived.
    pub now: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    #[error("a change does not decode")]
    Malformed,
    #[error("a change depends on changes the server does not have")]
    MissingDependencies,
    #[error("only the reporter writes the report")]
    NotReporter,
    #[error("the report's {0} cannot change")]
    Immutable(&'static str),
    #[error("the report is invalid: {0}")]
    InvalidReport(&'static str),
    #[error("the log only accepts new events: {0}")]
    LogWrite(&'static str),
    #[error("an event is not the uploader's own: {0}")]
    Impersonation(&'static str),
    #[error("the uploader's role may not {0}")]
    RoleNotAllowed(&'static str),
    #[error("an event is invalid: {0}")]
    InvalidEvent(&'static str),
    #[error("an event's clock cannot be right: {0}")]
    Clock(&'static str),
    #[error("too large: {0}")]
    TooLarge(&'static str),
}

impl Denial {
    pub fn code(&self) -> &'static str {
        match self {
            Denial::Malformed => "malformed_change",
            Denial::MissingDependencies => "missing_dependencies",
            Denial::NotReporter => "reporter_only",
            Denial::Immutable(_) => "immutable_field",
            Denial::InvalidReport(_) => "invalid_report",
            Denial::LogWrite(_) => "log_append_only",
            Denial::Impersonation(_) => "impersonation",
            Denial::RoleNotAllowed(_) => "role_not_allowed",
            Denial::InvalidEvent(_) => "invalid_event",
            Denial::Clock(_) => "clock_rejected",
            Denial::TooLarge(_) => "change_too_large",
        }
    }

    pub fn message_id(&self) -> String {
        match self {
            Denial::Malformed | Denial::MissingDependencies => {
                "Data dari perangkat tidak lengkap atau rusak; sinkronkan ulang.".into()
            }
            Denial::NotReporter | Denial::Immutable(_) => {
                "Hanya pelapor yang dapat mengubah isi laporan ini.".into()
            }
            Denial::InvalidReport(_) | Denial::InvalidEvent(_) => {
                "Isian laporan tidak valid.".into()
            }
            Denial::LogWrite(_) | Denial::Impersonation(_) => {
                "Perubahan ini tidak diizinkan untuk akun Anda.".into()
            }
            Denial::RoleNotAllowed(_) => "Peran Anda tidak dapat melakukan tindakan ini.".into(),
            Denial::Clock(_) => {
                "Jam atau tanggal di ponsel Anda tampaknya salah; aturlah agar otomatis, lalu ulangi."
                    .into()
            }
            Denial::TooLarge(_) => "Perubahan ini terlalu besar untuk diterima server.".into(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Denial::Malformed | Denial::MissingDependencies => {
                "The device's data is incomplete or damaged; sync again.".into()
            }
            Denial::NotReporter | Denial::Immutable(_) => {
                "Only the reporter can change this report's content.".into()
            }
            Denial::InvalidReport(_) | Denial::InvalidEvent(_) => "The report is invalid.".into(),
            Denial::LogWrite(_) | Denial::Impersonation(_) => {
                "This change is not allowed for your account.".into()
            }
            Denial::RoleNotAllowed(_) => "Your role cannot take this action.".into(),
            Denial::Clock(_) => {
                "Your phone's date or time seems wrong; set it to automatic, then try again.".into()
            }
            Denial::TooLarge(_) => "This change is too large for the server to accept.".into(),
        }
    }
}

/// Decodes raw changes, dropping the ones `doc` already has.
pub fn decode_new(doc: &mut AutoCommit, raw: &[Vec<u8>]) -> Result<Vec<Change>, Denial> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| decode_checked(doc, raw)))
        .unwrap_or(Err(Denial::Malformed))
}

fn decode_checked(doc: &mut AutoCommit, raw: &[Vec<u8>]) -> Result<Vec<Change>, Denial> {
    let mut out = Vec::with_capacity(raw.len());
    let mut seen = HashSet::new();
    // Measured before automerge inflates anything: one request holds at most one document's
    // worth of changes in memory.
    let mut batch = bounds::Measure::default();
    for bytes in raw {
        batch.add(bounds::measure_change(bytes).map_err(from_bound)?);
        batch.within_doc().map_err(from_bound)?;
    }
    for bytes in raw {
        let change = Change::from_bytes(bytes.clone()).map_err(|_| Denial::Malformed)?;
        if doc.get_change_by_hash(&change.hash()).is_some() || !seen.insert(change.hash()) {
            continue;
        }
        out.push(change);
    }
    Ok(out)
}

fn from_bound(b: bounds::Bound) -> Denial {
    match b {
        bounds::Bound::Malformed => Denial::Malformed,
        bounds::Bound::TooLarge(what) => Denial::TooLarge(what),
    }
}

/// Whether `doc` may take `new`: its operations and changes, and its stored bytes
/// (`stored_bytes`, what the server keeps of it) stay within one document's limits.
pub fn check_doc_size(
    doc: &mut AutoCommit,
    stored_bytes: u64,
    new: &[Change],
) -> Result<(), Denial> {
    let mut m = bounds::measure_doc(doc);
    m.bytes = stored_bytes;
    m.add(bounds::measure_changes(new));
    m.within_doc().map_err(from_bound)
}

/// Checks `changes` and, if all are admitted, applies them to `doc`. Returns the hashes added.
/// On a denial `doc` is untouched.
pub fn admit(
    kind: DocKind,
    complaint_id: &str,
    doc: &mut AutoCommit,
    changes: Vec<Change>,
    uploader: &Uploader,
) -> Result<Vec<ChangeHash>, Denial> {
    // Automerge can panic on a change that decodes but does not make sense (found by
    // tests/hostile_sync.rs): for bytes from the network that is a refusal, not a crash.
    // `doc` is only replaced at the very end, so an unwind leaves it as it was.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        admit_checked(kind, complaint_id, doc, changes, uploader)
    }))
    .unwrap_or(Err(Denial::Malformed))
}

fn admit_checked(
    kind: DocKind,
    complaint_id: &str,
    doc: &mut AutoCommit,
    changes: Vec<Change>,
    uploader: &Uploader,
) -> Result<Vec<ChangeHash>, Denial> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let events = match kind {
        DocKind::Log => log_events(doc, &changes)?,
        DocKind::Report => {
            if !uploader.owner {
                return Err(Denial::NotReporter);
            }
            Vec::new()
        }
    };
    for event in &events {
        check_event(event, uploader)?;
    }
    if kind == DocKind::Log {
        check_clocks(doc, &changes, uploader.now)?;
    }
    let mut next = doc.fork();
    let mut hashes: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
    next.apply_changes(changes).map_err(|_| Denial::Malformed)?;
    if !next.get_missing_deps(&[]).is_empty() {
        return Err(Denial::MissingDependencies);
    }
    if kind == DocKind::Report {
        check_report(doc, &next, complaint_id, uploader)?;
    }
    let follow_ups: Vec<String> = events
        .iter()
        .filter(|e| e.action == Action::FollowUp)
        .map(|e| e.id.clone())
        .collect();
    if let Some(stamp) =
        log::stamp_received(&mut next, &follow_ups, uploader.now).map_err(|_| Denial::Malformed)?
    {
        hashes.push(stamp);
    }
    *doc = next;
    Ok(hashes)
}

/// Every operation must add one new `ev:` key holding an event as a string, overwriting
/// nothing; returns the events.
fn log_events(doc: &AutoCommit, changes: &[Change]) -> Result<Vec<Event>, Denial> {
    let mut keys = HashSet::new();
    let mut events = Vec::new();
    for change in changes {
        let expanded: legacy::Change = change.decode();
        if expanded.operations.len() > MAX_LOG_OPS_PER_CHANGE {
            return Err(Denial::LogWrite("too many operations"));
        }
        for op in &expanded.operations {
            if op.obj != legacy::ObjectId::Root || op.insert || !op.pred.is_empty() {
                return Err(Denial::LogWrite("only new keys at the top level"));
            }
            let legacy::Key::Map(key) = &op.key else {
                return Err(Denial::LogWrite("only map keys"));
            };
            let legacy::OpType::Put(ScalarValue::Str(json)) = &op.action else {
                return Err(Denial::LogWrite("only event values"));
            };
            if json.len() > log::MAX_EVENT_BYTES {
                return Err(Denial::TooLarge("event"));
            }
            if !key.starts_with(EVENT_KEY_PREFIX)
                || !keys.insert(key.to_string())
                || doc.get(ROOT, key.as_str()).ok().flatten().is_some()
            {
                return Err(Denial::LogWrite("an event key is reused"));
            }
            let value =
                automerge::Value::Scalar(std::borrow::Cow::Owned(ScalarValue::Str(json.clone())));
            let event = log::parse(key, &value).ok_or(Denial::InvalidEvent("not an event"))?;
            events.push(event);
        }
    }
    Ok(events)
}

fn check_event(event: &Event, uploader: &Uploader) -> Result<(), Denial> {
    event.validate_shape().map_err(Denial::InvalidEvent)?;
    let by = &event.by;
    if by.reporter {
        if !uploader.owner {
            return Err(Denial::Impersonation("only the reporter acts as reporter"));
        }
        if by.account.is_some() || by.name.is_some() {
            return Err(Denial::InvalidEvent("reporter events carry no identity"));
        }
    } else {
        if by.account.as_deref() != Some(uploader.account_id.as_str()) {
            return Err(Denial::Impersonation("account"));
        }
        if by.role != uploader.role {
            return Err(Denial::Impersonation("role"));
        }
        if by.institution != uploader.institution_id || by.unit != uploader.unit_id {
            return Err(Denial::Impersonation("institution or unit"));
        }
    }
    if !role_may(&event.action, by.role, by.reporter) {
        return Err(Denial::RoleNotAllowed(event.action.code()));
    }
    // The name readers are shown is the account's, as the server knows it.
    if !by.reporter && by.name.as_deref() != Some(uploader.display_name.as_str()) {
        return Err(Denial::Impersonation("name"));
    }
    Ok(())
}

/// How far a phone's clock may run ahead of the server's.
pub const MAX_CLOCK_SKEW_MS: Millis = 10 * 60 * 1000;

/// The latest clocks among a set of events.
#[derive(Debug, Clone, Copy, Default)]
struct Latest {
    lamport: u64,
    at: Millis,
}

impl Latest {
    fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Latest {
        events.into_iter().fold(Latest::default(), |l, e| Latest {
            lamport: l.lamport.max(e.lamport),
            // The system's escalations are dated at the deadline that passed, by the server's
            // clock, not read off any phone's: a phone whose clock runs behind may still act
            // after one (it sorts after it all the same, by the logical clock).
            at: if e.by.is_system() {
                l.at
            } else {
                l.at.max(e.at)
            },
        })
    }

    fn max(self, other: Latest) -> Latest {
        Latest {
            lamport: self.lamport.max(other.lamport),
            at: self.at.max(other.at),
        }
    }
}

/// The events one change writes (already checked by [`log_events`]).
fn change_events(change: &Change) -> Vec<Event> {
    let expanded: legacy::Change = change.decode();
    expanded
        .operations
        .iter()
        .filter_map(|op| match (&op.key, &op.action) {
            (legacy::Key::Map(key), legacy::OpType::Put(ScalarValue::Str(json))) => {
                let value = automerge::Value::Scalar(std::borrow::Cow::Owned(ScalarValue::Str(
                    json.clone(),
                )));
                log::parse(key, &value)
            }
            _ => None,
        })
        .collect()
}

/// An event's time and logical clock are its author's word; the server believes them only
/// within bounds: neither may run ahead of the server's clock (beyond a phone's usual skew),
/// and an event sorts and is dated after every event its author had seen (those its change
/// depends on), as the phone's hybrid clock makes it. Deadlines are counted from these times,
/// so a backdated or far-future event would move them.
fn check_clocks(doc: &mut AutoCommit, changes: &[Change], now: Millis) -> Result<(), Denial> {
    let horizon = now.saturating_add(MAX_CLOCK_SKEW_MS);
    // What each change's author had seen: for the document's one head that is every event in
    // it (the usual case: the phone was up to date); for an older change, its ancestors'.
    let mut seen: HashMap<ChangeHash, Latest> = HashMap::new();
    if let [head] = doc.get_heads()[..] {
        seen.insert(head, Latest::of(&log::read(doc)));
    }
    let mut history: Option<HashMap<ChangeHash, Latest>> = None;
    let mut pending: Vec<&Change> = changes.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for change in pending {
            let mut latest = Latest::default();
            let mut known = true;
            for dep in change.deps() {
                if let Some(l) = seen.get(dep) {
                    latest = latest.max(*l);
                } else if doc.get_change_by_hash(dep).is_some() {
                    let h = history.get_or_insert_with(|| ancestors_latest(doc));
                    latest = latest.max(h.get(dep).copied().unwrap_or_default());
                } else {
                    known = false;
                }
            }
            if !known {
                waiting.push(change);
                continue;
            }
            let events = change_events(change);
            for e in &events {
                if e.at > horizon {
                    return Err(Denial::Clock("dated ahead of the server"));
                }
                if e.lamport > horizon.max(0) as u64 && e.lamport > latest.lamport.saturating_add(1)
                {
                    return Err(Denial::Clock("logical clock beyond the document's"));
                }
                if e.lamport <= latest.lamport && latest.lamport > 0 {
                    return Err(Denial::Clock("sorts before what it follows"));
                }
                if e.at < latest.at.saturating_sub(MAX_CLOCK_SKEW_MS) {
                    return Err(Denial::Clock("dated before what it follows"));
                }
            }
            seen.insert(change.hash(), latest.max(Latest::of(&events)));
        }
        if waiting.len() == before {
            return Err(Denial::MissingDependencies);
        }
        pending = waiting;
    }
    Ok(())
}

/// For every change in `doc`, the latest clocks among the events it and its ancestors wrote.
/// Automerge lists changes with their dependencies first.
fn ancestors_latest(doc: &mut AutoCommit) -> HashMap<ChangeHash, Latest> {
    let mut out: HashMap<ChangeHash, Latest> = HashMap::new();
    for change in doc.get_changes(&[]) {
        let mut latest = Latest::of(&change_events(&change));
        for dep in change.deps() {
            latest = latest.max(out.get(dep).copied().unwrap_or_default());
        }
        out.insert(change.hash(), latest);
    }
    out
}

fn check_report(
    before: &AutoCommit,
    after: &AutoCommit,
    complaint_id: &str,
    uploader: &Uploader,
) -> Result<(), Denial> {
    let new = report::read(after).ok_or(Denial::InvalidReport("no report"))?;
    if new.id != complaint_id {
        return Err(Denial::Immutable("id"));
    }
    match report::read(before) {
        Some(old) => {
            if old.created_at != new.created_at {
                return Err(Denial::Immutable("filing time"));
            }
            if old.reporter_role != new.reporter_role {
                return Err(Denial::Immutable("reporter role"));
            }
            if old.direct_institution != new.direct_institution {
                return Err(Denial::Immutable("institution filed to"));
            }
            if old.channel != new.channel {
                return Err(Denial::Immutable("channel"));
            }
            if old.filed_by != new.filed_by {
                return Err(Denial::Immutable("operator"));
            }
        }
        None => {
            // The national verification deadline counts from the filing time.
            if new.created_at > uploader.now.saturating_add(MAX_CLOCK_SKEW_MS) {
                return Err(Denial::Clock("filed ahead of the server"));
            }
            match &new.filed_by {
                // An operator files for a caller: the operator is who typed it, in their own
                // account and role; the caller is the reporter, a citizen.
                Some(f) => {
                    if f.account != uploader.account_id || f.role != uploader.role {
                        return Err(Denial::Impersonation("operator"));
                    }
                    if new.reporter_role != Role::Citizen {
                        return Err(Denial::Impersonation("reporter role"));
                    }
                }
                None => {
                    if new.reporter_role != uploader.role {
                        return Err(Denial::Impersonation("reporter role"));
                    }
                }
            }
            new.channel
                .check(uploader.role, new.filed_by.is_some())
                .map_err(|_| Denial::InvalidReport("channel"))?;
            if let Some(direct) = &new.direct_institution {
                let own = uploader.institution_id.as_ref() == Some(direct);
                let may = match uploader.role {
                    Role::Cadre => new.filed_by.is_none(),
                    Role::Officer | Role::InstitutionAdmin => new.filed_by.is_some(),
                    _ => false,
                };
                if !own || !may {
                    return Err(Denial::Impersonation(
                        "only a cadre or the institution's own desk files straight to it",
                    ));
                }
            }
        }
    }
    if new.title.trim().is_empty() || new.title.chars().count() > MAX_TITLE_CHARS {
        return Err(Denial::InvalidReport("title"));
    }
    if new.description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Denial::InvalidReport("description"));
    }
    if new.photos.len() > MAX_REPORT_PHOTOS {
        return Err(Denial::InvalidReport("photos"));
    }
    if report::validate_location(&new.location).is_err() {
        return Err(Denial::InvalidReport("location"));
    }
    report::check_shape(after).map_err(Denial::InvalidReport)?;
    Ok(())
}
