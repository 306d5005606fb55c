//! The notification outbox: core's rules (`aduan_core::notify`) run on the events the server
//! stores (each sync round, each escalation sweep) and on the deadlines it watches, and what
//! they owe is stored once per idempotency key (complaint, occasion, recipient, kind), so a
//! repeated, cut or replayed sync produces nothing twice. Recipients follow sync's visibility
//! rule (`may_see_parts`): nobody is told of a complaint they may not see, and an anonymous
//! reporter's notifications go to their own account only.
//!
//! Phones receive theirs with each sync (`for_phone`); every other channel ([`Channel`]:
//! e-mail now, SMS next) has a delivery row per notification, retried with backoff until it
//! goes or is given up, and every outcome goes into the audit (no message text).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use aduan_core::model::{self, log, report, DocKind};
use aduan_core::notify::{
    self, Audience, NotificationChannel, NotificationKind, NotificationText, Params, Planned,
};
use aduan_core::store::facts;
use aduan_core::sync::protocol::{Notice, NOTICES_UNSUPPORTED};
use aduan_core::types::{Language, Role, Status};
use aduan_core::workflow::{self, Deadlines};

use super::sync::{load_doc, may_see_parts};
use crate::error::{ApiError, Kind};
use crate::storage::notifications as store;
use crate::storage::{self, Account, Db, Sql};
use crate::vals;

/// The event ids each complaint's log held before a round, `None` for complaints new to the
/// server: only events stored since then notify.
#[derive(Debug, Default)]
pub struct Before(HashMap<String, Option<HashSet<String>>>);

/// Takes [`Before`] for the complaints of these documents (a round's uploads).
pub fn capture<'a>(
    tx: &mut dyn Sql,
    doc_ids: impl IntoIterator<Item = &'a str>,
) -> Result<Before, ApiError> {
    let mut before = Before::default();
    for doc_id in doc_ids {
        let Some((complaint, _)) = model::parse_doc_id(doc_id) else {
            continue;
        };
        if before.0.contains_key(complaint) {
            continue;
        }
        let exists = tx
            .query_opt("SELECT 1 FROM complaints WHERE id = $1", vals![complaint])?
            .is_some();
        let known = if exists {
            let doc = load_doc(tx, &model::doc_id(complaint, DocKind::Log))?;
            Some(log::read(&doc).into_iter().map(|e| e.id).collect())
        } else {
            None
        };
        before.0.insert(complaint.to_string(), known);
    }
    Ok(before)
}

/// Stores what the complaints in `changed` owe since `before`, and what their deadlines owe
/// at `now`; returns how many notifications are new.
pub fn after_change(
    tx: &mut dyn Sql,
    before: &Before,
    changed: &[String],
    now: i64,
    deadlines: &Deadlines,
) -> Result<u32, ApiError> {
    let mut added = 0;
    for complaint in changed {
        let known = before.0.get(complaint);
        let is_new = matches!(known, Some(None));
        let empty = HashSet::new();
        let known: &HashSet<String> = known.and_then(Option::as_ref).unwrap_or(&empty);
        added += derive(
            tx,
            complaint,
            &|id| !known.contains(id),
            is_new,
            now,
            deadlines,
        )?;
    }
    Ok(added)
}

fn derive(
    tx: &mut dyn Sql,
    complaint: &str,
    new: &dyn Fn(&str) -> bool,
    is_new: bool,
    now: i64,
    deadlines: &Deadlines,
) -> Result<u32, ApiError> {
    let Some(row) = tx.query_opt(
        "SELECT owner_account, institution_id FROM complaints WHERE id = $1",
        vals![complaint],
    )?
    else {
        return Ok(0);
    };
    let (owner, institution) = (row.text(0)?, row.opt_text(1)?);
    let report_doc = load_doc(tx, &model::doc_id(complaint, DocKind::Report))?;
    let Some(report) = report::read(&report_doc) else {
        return Ok(0);
    };
    let log_doc = load_doc(tx, &model::doc_id(complaint, DocKind::Log))?;
    let planned = notify::plan(
        &facts(&report),
        log::read(&log_doc),
        &log::received(&log_doc),
        new,
        is_new,
        now,
        deadlines,
    );
    let mut added = 0;
    for p in planned {
        for account in recipients(tx, &p.audience, &owner)? {
            if p.author.as_deref() == Some(account.id.as_str())
                || !may_see_parts(&account, &owner, institution.as_ref())
            {
                continue;
            }
            added += u32::from(add(tx, Some(complaint), &account.id, &p, now)?);
        }
    }
    Ok(added)
}

/// Stores one notification for `account` unless its key is taken, and queues it for every
/// channel beyond the phone that the person has an address for and wants it by.
fn add(
    tx: &mut dyn Sql,
    complaint: Option<&str>,
    account: &str,
    p: &Planned,
    now: i64,
) -> Result<bool, ApiError> {
    let key = format!(
        "{}/{}/{account}/{}",
        complaint.unwrap_or("-"),
        p.key,
        p.kind.code()
    );
    let Some(id) = store::insert(
        tx,
        &key,
        account,
        complaint,
        p.kind.code(),
        &p.params.to_json(),
        now,
    )?
    else {
        return Ok(false);
    };
    let (_, email) = store::settings(tx, account)?;
    if !email.is_empty() && store::wants(tx, account, p.kind.code(), EMAIL)? {
        store::enqueue(tx, id, EMAIL, now)?;
    }
    Ok(true)
}

const EMAIL: &str = "email";

fn accounts_where(
    tx: &mut dyn Sql,
    clause: &str,
    args: &[storage::Value],
) -> Result<Vec<Account>, ApiError> {
    let ids = tx.query(
        &format!("SELECT id FROM accounts WHERE disabled = FALSE AND {clause} ORDER BY id"),
        args,
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for r in ids {
        if let Some(a) = storage::account(tx, &r.text(0)?)? {
            out.push(a);
        }
    }
    Ok(out)
}

fn recipients(
    tx: &mut dyn Sql,
    audience: &Audience,
    owner: &str,
) -> Result<Vec<Account>, ApiError> {
    match audience {
        Audience::Reporter => accounts_where(tx, "id = $1", vals![owner]),
        Audience::Officers { institution, unit } => accounts_where(
            tx,
            "role = 'officer' AND institution_id = $1 AND (unit_id IS NULL OR $2 = '' OR unit_id = $2)",
            vals![institution, unit.as_deref().unwrap_or("")],
        ),
        Audience::InstitutionAdmins { institution } => accounts_where(
            tx,
            "role = 'institution_admin' AND institution_id = $1",
            vals![institution],
        ),
        Audience::NationalAdmins => accounts_where(tx, "role = 'national_admin'", &[]),
    }
}

/// The phone's share of a sync round: the user's notifications above what the device has
/// (those up to it are delivered: into the audit once per device).
pub fn for_phone(
    tx: &mut dyn Sql,
    account: &Account,
    device: &str,
    notices_after: u64,
    now: i64,
) -> Result<Vec<Notice>, ApiError> {
    if notices_after == NOTICES_UNSUPPORTED {
        return Ok(Vec::new());
    }
    let after = i64::try_from(notices_after).unwrap_or(i64::MAX);
    store::acknowledge(tx, device, &account.id, after, now)?;
    Ok(store::for_phone(tx, &account.id, after, 200)?
        .into_iter()
        .map(|n| Notice {
            id: n.id.max(0) as u64,
            kind: n.kind,
            complaint_id: n.complaint_id.unwrap_or_default(),
            params: n.params,
            created_at: n.created_at,
        })
        .collect())
}

/// The administrators' daily summary for the local (WIB) date of `now`, once per date: open
/// complaints where they work, those past their deadline, and those received in the last day.
pub fn daily_summaries(db: &Db, now: i64, deadlines: &Deadlines) -> Result<u32, ApiError> {
    let date = deadlines.local_date(now).to_string();
    let admins =
        db.run(|sql| accounts_where(sql, "role IN ('institution_admin', 'national_admin')", &[]))?;
    let pending: Vec<Account> = db.run(|sql| {
        let mut out = Vec::new();
        for a in admins {
            let key = format!(
                "-/summary-{date}/{}/{}",
                a.id,
                NotificationKind::DailySummary.code()
            );
            if sql
                .query_opt("SELECT 1 FROM notifications WHERE key = $1", vals![key])?
                .is_none()
            {
                out.push(a);
            }
        }
        Ok(out)
    })?;
    if pending.is_empty() {
        return Ok(0);
    }
    // (open, overdue, received) per institution; `None` counts everything.
    let mut tallies: HashMap<Option<String>, (u32, u32, u32)> = HashMap::new();
    let ids = db.run(|sql| sql.query("SELECT id, status, institution_id FROM complaints", &[]))?;
    for row in ids {
        let id = row.text(0)?;
        let open = Status::from_code(&row.text(1)?).is_some_and(|s| s.is_open());
        let institution = row.opt_text(2)?;
        let (late, recent) = db.run(|sql| {
            let report_doc = load_doc(sql, &model::doc_id(&id, DocKind::Report))?;
            let Some(report) = report::read(&report_doc) else {
                return Ok((false, false));
            };
            let log_doc = load_doc(sql, &model::doc_id(&id, DocKind::Log))?;
            let replay = workflow::replay(
                &facts(&report),
                log::read(&log_doc),
                &log::received(&log_doc),
                now,
                deadlines,
            );
            let late = replay.state.status.is_open()
                && replay.state.due_at(deadlines).is_some_and(|due| due < now);
            Ok((late, report.created_at > now - 86_400_000))
        })?;
        let scopes = [None, institution.clone()];
        for key in scopes
            .iter()
            .take(if institution.is_some() { 2 } else { 1 })
        {
            let t = tallies.entry(key.clone()).or_default();
            t.0 += u32::from(open);
            t.1 += u32::from(late);
            t.2 += u32::from(recent);
        }
    }
    let mut added = 0;
    for a in pending {
        let scope = match a.role {
            Role::NationalAdmin => None,
            _ => a.institution_id.clone(),
        };
        let (open, overdue, received) = tallies.get(&scope).copied().unwrap_or_default();
        let planned = Planned {
            key: format!("summary-{date}"),
            kind: NotificationKind::DailySummary,
            audience: Audience::NationalAdmins,
            params: Params {
                date: date.clone(),
                open,
                overdue,
                received,
                ..Params::default()
            },
            author: None,
        };
        added += u32::from(db.transaction(|tx| add(tx, None, &a.id, &planned, now))?);
    }
    Ok(added)
}

/// Why a channel could not deliver: worth retrying (the server is down), or not (the address
/// is refused). The reason is a fixed word for the audit, never the server's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    Transient(&'static str),
    Permanent(&'static str),
}

/// A way to reach a person beyond their phone's sync: e-mail ([`super::mail::Mailer`]), and
/// SMS as one more implementation.
pub trait Channel: Send + Sync {
    fn channel(&self) -> NotificationChannel;
    /// The person's address on this channel, if they have one.
    fn address(&self, sql: &mut dyn Sql, account: &str) -> Result<Option<String>, ApiError>;
    fn send(&self, to: &str, text: &NotificationText) -> Result<(), SendError>;
}

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 10;

/// The wait after the `attempts`-th failure: a minute, doubling, at most six hours.
pub fn backoff_ms(attempts: i64) -> i64 {
    let shift = attempts.clamp(1, 20) - 1;
    (60_000i64 << shift).min(6 * 3_600_000)
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: u32,
    pub retrying: u32,
    pub given_up: u32,
}

/// Sends what is due on each channel (everything waiting, when `flush`: an operator who has
/// just fixed the mail server). Each attempt is claimed in the database first, so two
/// instances never send the same message.
pub fn deliver(
    db: &Db,
    channels: &[Arc<dyn Channel>],
    now: i64,
    flush: bool,
) -> Result<Delivered, ApiError> {
    let mut done = Delivered::default();
    let due = db.run(|sql| store::due(sql, now, flush, 200))?;
    for d in due {
        let Some(channel) = channels.iter().find(|c| c.channel().code() == d.channel) else {
            continue;
        };
        let n = &d.notification;
        let attempts = d.attempts + 1;
        // Claim this attempt: only the instance whose update matched sends.
        let claimed = db.run(|sql| {
            sql.execute(
                "UPDATE notification_deliveries SET attempts = $3, next_attempt_at = $4
                 WHERE notification_id = $1 AND channel = $2 AND state = 'pending' AND attempts = $5",
                vals![n.id, &d.channel, attempts, now + backoff_ms(attempts), d.attempts],
            )
        })?;
        if claimed == 0 {
            continue;
        }
        let (address, language, wanted) = db.run(|sql| {
            let (language, _) = store::settings(sql, &n.account_id)?;
            Ok((
                channel.address(sql, &n.account_id)?,
                language,
                store::wants(sql, &n.account_id, &n.kind, &d.channel)?,
            ))
        })?;
        let outcome = match (address, NotificationKind::from_code(&n.kind)) {
            (None, _) => Err(SendError::Permanent("no_address")),
            (_, _) if !wanted => Err(SendError::Permanent("turned_off")),
            (_, None) => Err(SendError::Permanent("unknown_kind")),
            (Some(to), Some(kind)) => {
                let language = if language == "en" {
                    Language::En
                } else {
                    Language::Id
                };
                let text = notify::render(kind, &Params::from_json(&n.params), language);
                channel.send(&to, &text)
            }
        };
        let (state, next, word) = match &outcome {
            Ok(()) => ("sent", now, "sent"),
            Err(SendError::Transient(w)) if attempts < MAX_ATTEMPTS => {
                ("pending", now + backoff_ms(attempts), *w)
            }
            Err(SendError::Transient(w) | SendError::Permanent(w)) => ("failed", now, *w),
        };
        match state {
            "sent" => done.sent += 1,
            "pending" => done.retrying += 1,
            _ => done.given_up += 1,
        }
        let outcome_text = match state {
            "sent" => "sent".to_string(),
            "pending" => format!("retry: {word}"),
            _ => format!("failed: {word}"),
        };
        db.run(|sql| {
            store::attempted(sql, n.id, &d.channel, state, attempts, next)?;
            store::audit(
                sql,
                now,
                n.id,
                &n.account_id,
                &d.channel,
                &n.kind,
                &outcome_text,
            )
        })?;
        if state != "sent" {
            tracing::warn!(notification = n.id, channel = %d.channel, outcome = %outcome_text, "notification not delivered");
        }
    }
    Ok(done)
}

/// How often a running server delivers what waits.
pub const DELIVER_EVERY: Duration = Duration::from_secs(30);

/// One pass as `aduan-server notify` runs it: the day's summaries, then deliveries. (A
/// running server makes summaries in its ten-minute sweep and delivers every
/// [`DELIVER_EVERY`].)
pub fn run_once(
    db: &Db,
    channels: &[Arc<dyn Channel>],
    deadlines: &Deadlines,
    now: i64,
    flush: bool,
) -> Result<(u32, Delivered), ApiError> {
    let summaries = daily_summaries(db, now, deadlines)?;
    Ok((summaries, deliver(db, channels, now, flush)?))
}

/// Delivers every [`DELIVER_EVERY`] while the server runs, if it has any channel.
pub fn spawn_deliverer(db: Db, channels: Vec<Arc<dyn Channel>>) {
    if channels.is_empty() {
        return;
    }
    tokio::spawn(async move {
        loop {
            let (db, channels) = (db.clone(), channels.clone());
            let now = storage::now_ms();
            match tokio::task::spawn_blocking(move || deliver(&db, &channels, now, false)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = e.cause(), "notification delivery failed"),
                Err(e) => tracing::warn!(error = %e, "notification delivery stopped"),
            }
            tokio::time::sleep(DELIVER_EVERY).await;
        }
    });
}

/// A person's choices, as the preferences API reads and writes them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preferences {
    pub language: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    pub kind: String,
    pub channel: String,
    pub enabled: bool,
}

pub fn preferences(db: &Db, account: &str) -> Result<Preferences, ApiError> {
    db.run(|sql| {
        let (language, email) = store::settings(sql, account)?;
        let off: HashSet<(String, String)> = store::opt_outs(sql, account)?.into_iter().collect();
        let mut choices = Vec::new();
        for kind in NotificationKind::ALL {
            for channel in NotificationChannel::ALL {
                let pair = (kind.code().to_string(), channel.code().to_string());
                choices.push(Choice {
                    enabled: !off.contains(&pair),
                    kind: pair.0,
                    channel: pair.1,
                });
            }
        }
        Ok(Preferences {
            language,
            email,
            choices,
        })
    })
}

/// Saves a person's choices: kinds and channels must be known, the language `id` or `en`, the
/// e-mail address plausible (or empty for none). Choices not named keep their setting.
pub fn set_preferences(db: &Db, account: &str, p: &Preferences) -> Result<Preferences, ApiError> {
    if !matches!(p.language.as_str(), "id" | "en") {
        return Err(ApiError::new(
            Kind::Invalid,
            "bad_language",
            "The language must be id or en.",
            "Bahasa harus id atau en.",
        ));
    }
    let email = p.email.trim();
    if !email.is_empty() && !plausible_email(email) {
        return Err(ApiError::new(
            Kind::Invalid,
            "bad_email",
            "That is not an e-mail address.",
            "Itu bukan alamat surel.",
        ));
    }
    for c in &p.choices {
        if NotificationKind::from_code(&c.kind).is_none()
            || NotificationChannel::from_code(&c.channel).is_none()
        {
            return Err(ApiError::new(
                Kind::Invalid,
                "bad_choice",
                "Unknown kind of notification or channel.",
                "Jenis pemberitahuan atau saluran tidak dikenal.",
            ));
        }
    }
    db.transaction(|tx| {
        let mut off: HashSet<(String, String)> =
            store::opt_outs(tx, account)?.into_iter().collect();
        for c in &p.choices {
            let pair = (c.kind.clone(), c.channel.clone());
            if c.enabled {
                off.remove(&pair);
            } else {
                off.insert(pair);
            }
        }
        let mut off: Vec<_> = off.into_iter().collect();
        off.sort();
        store::set_opt_outs(tx, account, &off)?;
        store::set_settings(tx, account, &p.language, email)
    })?;
    preferences(db, account)
}

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',')
}

/// The audit, newest first: everyone's for the national administrator, one's own otherwise.
pub fn audit(
    db: &Db,
    viewer: &Account,
    of: Option<&str>,
) -> Result<Vec<store::AuditEntry>, ApiError> {
    let account = match viewer.role {
        Role::NationalAdmin => of.map(str::to_string),
        _ => Some(viewer.id.clone()),
    };
    db.run(|sql| store::audit_log(sql, account.as_deref(), 500))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::escalations::sweep;
    use crate::services::fixtures::dispatched;
    use aduan_core::model::event::{Action, Author, Event};

    const ID: &str = "00000000-0000-4000-8000-000000000001";
    // 2 June 2025, 10:00 WIB.
    const AT: i64 = 1_748_833_200_000;

    fn db_with_people() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        for (id, role, institution, unit) in [
            ("warga", Role::Citizen, None, None),
            (
                "petugas",
                Role::Officer,
                Some("kota-makassar"),
                Some("kota-makassar.dpu"),
            ),
            ("penghubung", Role::Officer, Some("kota-makassar"), None),
            (
                "admin-makassar",
                Role::InstitutionAdmin,
                Some("kota-makassar"),
                None,
            ),
            (
                "petugas-samarinda",
                Role::Officer,
                Some("kota-samarinda"),
                None,
            ),
            (
                "admin-samarinda",
                Role::InstitutionAdmin,
                Some("kota-samarinda"),
                None,
            ),
            ("admin-nasional", Role::NationalAdmin, None, None),
        ] {
            db.create_account(
                &Account {
                    id: id.into(),
                    display_name: id.into(),
                    role,
                    institution_id: institution.map(str::to_string),
                    unit_id: unit.map(str::to_string),
                    disabled: false,
                    area: None,
                },
                None,
            )
            .unwrap();
        }
        (dir, db)
    }

    /// (account, kind) of every notification, in order.
    fn sent(db: &Db) -> Vec<(String, String)> {
        db.run(|sql| {
            sql.query(
                "SELECT account_id, kind FROM notifications ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?)))
            .collect()
        })
        .unwrap()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, k)| (a.to_string(), k.to_string()))
            .collect()
    }

    fn append(db: &Db, event: Event) {
        db.run(|sql| {
            let log_id = model::doc_id(ID, DocKind::Log);
            let mut doc = load_doc(sql, &log_id)?;
            log::append(&mut doc, &event).map_err(ApiError::internal)?;
            sql.execute(
                "UPDATE docs SET snapshot = $2 WHERE doc_id = $1",
                vals![log_id, doc.save()],
            )?;
            Ok(())
        })
        .unwrap();
    }

    fn officer_event(id: &str, lamport: u64, at: i64, action: Action) -> Event {
        Event {
            id: id.into(),
            lamport,
            at,
            by: Author {
                reporter: false,
                role: Role::Officer,
                account: Some("petugas".into()),
                name: None,
                institution: Some("kota-makassar".into()),
                unit: Some("kota-makassar.dpu".into()),
            },
            action,
            note: String::new(),
            photos: vec![],
        }
    }

    #[test]
    fn a_deadline_near_then_passed_tells_its_holders_once_and_no_other_institution() {
        let (_dir, db) = db_with_people();
        let deadlines = Deadlines::default();
        dispatched(&db, ID, AT, "dispatched");
        let due = deadlines.due_for(Some("kota-makassar"), AT, 3);
        sweep(&db, AT + 3_600_000, &deadlines).unwrap();
        assert_eq!(sent(&db), vec![], "nothing is near yet");
        for _ in 0..2 {
            sweep(&db, due - 3_600_000, &deadlines).unwrap();
        }
        assert_eq!(
            sent(&db),
            pairs(&[("admin-makassar", "deadline_near")]),
            "the institution's administrator, once"
        );
        let much_later = AT + 60 * 86_400_000;
        for _ in 0..2 {
            sweep(&db, much_later, &deadlines).unwrap();
        }
        assert_eq!(
            sent(&db),
            pairs(&[
                ("admin-makassar", "deadline_near"),
                ("penghubung", "overdue"),
                ("petugas", "overdue"),
                ("admin-makassar", "escalated"),
                ("admin-nasional", "escalated"),
            ]),
            "overdue to the institution's officers, escalated to each level's administrators, once; \
             nobody in Samarinda, and not the reporter"
        );
    }

    #[test]
    fn the_reporter_hears_the_reply_window_closing_and_the_complaint_lapsing_into_completed() {
        let (_dir, db) = db_with_people();
        let deadlines = Deadlines::default();
        dispatched(&db, ID, AT, "followed_up");
        append(
            &db,
            Event {
                by: Author {
                    role: Role::InstitutionAdmin,
                    account: Some("admin-makassar".into()),
                    unit: None,
                    ..officer_event("", 0, 0, Action::FollowUp).by
                },
                ..officer_event(
                    "e2",
                    2,
                    AT + 3_600_000,
                    Action::Assign {
                        unit: "kota-makassar.dpu".into(),
                        field_inspection: false,
                    },
                )
            },
        );
        let followed = AT + 7_200_000;
        append(
            &db,
            Event {
                note: "Saluran sudah dibersihkan.".into(),
                ..officer_event("e3", 3, followed, Action::FollowUp)
            },
        );
        let closes = deadlines.due_for(Some("kota-makassar"), followed, 10);
        sweep(&db, followed + 60_000, &deadlines).unwrap();
        assert_eq!(sent(&db), vec![]);
        for _ in 0..2 {
            sweep(&db, closes - 86_400_000, &deadlines).unwrap();
        }
        assert_eq!(sent(&db), pairs(&[("warga", "reply_window_closing")]));
        for _ in 0..2 {
            sweep(&db, closes + 60_000, &deadlines).unwrap();
        }
        assert_eq!(
            sent(&db),
            pairs(&[("warga", "reply_window_closing"), ("warga", "completed")])
        );
        let params: String = db
            .run(|sql| {
                sql.query_opt(
                    "SELECT params FROM notifications WHERE kind = 'completed'",
                    &[],
                )
            })
            .unwrap()
            .unwrap()
            .text(0)
            .unwrap();
        assert!(Params::from_json(&params).lapsed);
    }

    #[test]
    fn deliveries_back_off_and_give_up() {
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(2), 120_000);
        assert_eq!(backoff_ms(30), 6 * 3_600_000);
        assert!(plausible_email("petugas@pu.makassar.go.id"));
        for bad in [
            "",
            "petugas",
            "a@b",
            "a b@c.id",
            "<a@b.id>",
            "a@b.id, c@d.id",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
