//! The notification outbox's tables and queries. A notification is stored once per
//! idempotency key (complaint, occasion, recipient, kind) as its kind and parameters, never as
//! rendered text; each channel that must carry it beyond the phones has a delivery row with
//! its attempts; the audit keeps what was sent to whom by which channel, when, and how it went.

use crate::error::ApiError;
use crate::storage::{Row, Sql};
use crate::vals;

/// Migration 11. `notifications.id` is taken as one above the highest inside the round's
/// serialized transaction (the two dialects spell sequences differently), so ids commit in
/// order and a phone's cursor over them misses nothing. `notice_devices.acked`: the highest id
/// a device said it stored. `notification_opt_outs`: one row per kind and channel a person
/// turned off (everything is on until then).
pub const MIGRATION: &str = "CREATE TABLE notifications (
         id           BIGINT PRIMARY KEY,
         key          TEXT NOT NULL UNIQUE,
         account_id   TEXT NOT NULL,
         complaint_id TEXT,
         kind         TEXT NOT NULL,
         params       TEXT NOT NULL,
         created_at   BIGINT NOT NULL
     );
     CREATE INDEX notifications_by_account ON notifications(account_id, id);
     CREATE TABLE notification_deliveries (
         notification_id BIGINT NOT NULL,
         channel         TEXT NOT NULL,
         state           TEXT NOT NULL,
         attempts        BIGINT NOT NULL,
         next_attempt_at BIGINT NOT NULL,
         PRIMARY KEY (notification_id, channel)
     );
     CREATE INDEX notification_deliveries_due ON notification_deliveries(state, next_attempt_at);
     CREATE TABLE notification_audit (
         id              TEXT PRIMARY KEY,
         at              BIGINT NOT NULL,
         notification_id BIGINT NOT NULL,
         account_id      TEXT NOT NULL,
         channel         TEXT NOT NULL,
         kind            TEXT NOT NULL,
         outcome         TEXT NOT NULL
     );
     CREATE INDEX notification_audit_by_account ON notification_audit(account_id, at);
     CREATE TABLE notice_devices (
         device_id TEXT PRIMARY KEY,
         acked     BIGINT NOT NULL
     );
     CREATE TABLE notification_settings (
         account_id TEXT PRIMARY KEY,
         language   TEXT NOT NULL,
         email      TEXT NOT NULL
     );
     CREATE TABLE notification_opt_outs (
         account_id TEXT NOT NULL,
         kind       TEXT NOT NULL,
         channel    TEXT NOT NULL,
         PRIMARY KEY (account_id, kind, channel)
     );";

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub account_id: String,
    pub complaint_id: Option<String>,
    pub kind: String,
    pub params: String,
    pub created_at: i64,
}

fn stored(r: &Row) -> Result<Stored, ApiError> {
    Ok(Stored {
        id: r.int(0)?,
        account_id: r.text(1)?,
        complaint_id: r.opt_text(2)?,
        kind: r.text(3)?,
        params: r.text(4)?,
        created_at: r.int(5)?,
    })
}

const COLUMNS: &str = "n.id, n.account_id, n.complaint_id, n.kind, n.params, n.created_at";

/// Stores a notification under `key` unless one is there: its new id, or `None`.
pub fn insert(
    sql: &mut dyn Sql,
    key: &str,
    account: &str,
    complaint: Option<&str>,
    kind: &str,
    params: &str,
    now: i64,
) -> Result<Option<i64>, ApiError> {
    if sql
        .query_opt("SELECT 1 FROM notifications WHERE key = $1", vals![key])?
        .is_some()
    {
        return Ok(None);
    }
    let id = sql.query_int("SELECT COALESCE(MAX(id), 0) + 1 FROM notifications", &[])?;
    let n = sql.execute(
        "INSERT INTO notifications (id, key, account_id, complaint_id, kind, params, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        vals![id, key, account, complaint, kind, params, now],
    )?;
    Ok((n > 0).then_some(id))
}

/// The account's notifications after `after` that its phones carry (kinds not turned off for
/// the phone), oldest first, at most `limit`.
pub fn for_phone(
    sql: &mut dyn Sql,
    account: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Stored>, ApiError> {
    sql.query(
        &format!(
            "SELECT {COLUMNS} FROM notifications n
             WHERE n.account_id = $1 AND n.id > $2
               AND NOT EXISTS (SELECT 1 FROM notification_opt_outs o
                               WHERE o.account_id = n.account_id AND o.kind = n.kind AND o.channel = 'phone')
             ORDER BY n.id LIMIT $3"
        ),
        vals![account, after, limit],
    )?
    .iter()
    .map(stored)
    .collect()
}

/// A device says it stored every notification up to `upto`: those not yet acknowledged by it
/// go into the audit as delivered to the phone.
pub fn acknowledge(
    sql: &mut dyn Sql,
    device: &str,
    account: &str,
    upto: i64,
    now: i64,
) -> Result<(), ApiError> {
    let acked = sql
        .query_opt(
            "SELECT acked FROM notice_devices WHERE device_id = $1",
            vals![device],
        )?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    if upto <= acked {
        return Ok(());
    }
    let rows = sql.query(
        "SELECT id, kind FROM notifications WHERE account_id = $1 AND id > $2 AND id <= $3 ORDER BY id",
        vals![account, acked, upto],
    )?;
    for r in rows {
        audit(
            sql,
            now,
            r.int(0)?,
            account,
            "phone",
            &r.text(1)?,
            "delivered",
        )?;
    }
    sql.execute(
        "INSERT INTO notice_devices (device_id, acked) VALUES ($1, $2)
         ON CONFLICT (device_id) DO UPDATE SET acked = excluded.acked",
        vals![device, upto],
    )?;
    Ok(())
}

/// One audit entry. `outcome` is a fixed word or an error's class, never a message's text.
pub fn audit(
    sql: &mut dyn Sql,
    at: i64,
    notification: i64,
    account: &str,
    channel: &str,
    kind: &str,
    outcome: &str,
) -> Result<(), ApiError> {
    // Ordered by time, then by the order this process wrote them (a retry and its success can
    // share a millisecond), then apart from other instances' rows by chance.
    static WRITTEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = WRITTEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = format!(
        "{at:015}-{seq:012}-{notification:012}-{:08x}",
        rand::random::<u32>()
    );
    sql.execute(
        "INSERT INTO notification_audit (id, at, notification_id, account_id, channel, kind, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vals![id, at, notification, account, channel, kind, outcome],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: i64,
    pub notification_id: i64,
    pub account_id: String,
    pub channel: String,
    pub kind: String,
    pub outcome: String,
}

/// The audit, newest first; of one account when given.
pub fn audit_log(
    sql: &mut dyn Sql,
    account: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>, ApiError> {
    let columns =
        "SELECT at, notification_id, account_id, channel, kind, outcome FROM notification_audit";
    match account {
        Some(account) => sql.query(
            &format!("{columns} WHERE account_id = $1 ORDER BY id DESC LIMIT $2"),
            vals![account, limit],
        )?,
        None => sql.query(
            &format!("{columns} ORDER BY id DESC LIMIT $1"),
            vals![limit],
        )?,
    }
    .iter()
    .map(|r| {
        Ok(AuditEntry {
            at: r.int(0)?,
            notification_id: r.int(1)?,
            account_id: r.text(2)?,
            channel: r.text(3)?,
            kind: r.text(4)?,
            outcome: r.text(5)?,
        })
    })
    .collect()
}

/// Queues a notification for a channel beyond the phones.
pub fn enqueue(
    sql: &mut dyn Sql,
    notification: i64,
    channel: &str,
    now: i64,
) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO notification_deliveries (notification_id, channel, state, attempts, next_attempt_at)
         VALUES ($1, $2, 'pending', 0, $3) ON CONFLICT DO NOTHING",
        vals![notification, channel, now],
    )?;
    Ok(())
}

/// A delivery waiting for its channel.
#[derive(Debug, Clone)]
pub struct Due {
    pub notification: Stored,
    pub channel: String,
    pub attempts: i64,
}

/// Deliveries due at `now` (all that wait, when `flush`), oldest first.
pub fn due(sql: &mut dyn Sql, now: i64, flush: bool, limit: i64) -> Result<Vec<Due>, ApiError> {
    sql.query(
        &format!(
            "SELECT {COLUMNS}, d.channel, d.attempts FROM notification_deliveries d
             JOIN notifications n ON n.id = d.notification_id
             WHERE d.state = 'pending' AND ($1 OR d.next_attempt_at <= $2)
             ORDER BY d.next_attempt_at, n.id LIMIT $3"
        ),
        vals![flush, now, limit],
    )?
    .iter()
    .map(|r| {
        Ok(Due {
            notification: stored(r)?,
            channel: r.text(6)?,
            attempts: r.int(7)?,
        })
    })
    .collect()
}

/// Records an attempt: `state` is 'sent', 'pending' (to retry at `next`) or 'failed' (given up).
pub fn attempted(
    sql: &mut dyn Sql,
    notification: i64,
    channel: &str,
    state: &str,
    attempts: i64,
    next: i64,
) -> Result<(), ApiError> {
    sql.execute(
        "UPDATE notification_deliveries SET state = $3, attempts = $4, next_attempt_at = $5
         WHERE notification_id = $1 AND channel = $2",
        vals![notification, channel, state, attempts, next],
    )?;
    Ok(())
}

/// A person's language for texts sent from the server, and e-mail address ('' for none).
pub fn settings(sql: &mut dyn Sql, account: &str) -> Result<(String, String), ApiError> {
    Ok(
        match sql.query_opt(
            "SELECT language, email FROM notification_settings WHERE account_id = $1",
            vals![account],
        )? {
            Some(r) => (r.text(0)?, r.text(1)?),
            None => ("id".into(), String::new()),
        },
    )
}

pub fn set_settings(
    sql: &mut dyn Sql,
    account: &str,
    language: &str,
    email: &str,
) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO notification_settings (account_id, language, email) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE SET language = excluded.language, email = excluded.email",
        vals![account, language, email],
    )?;
    Ok(())
}

/// The (kind, channel) pairs a person turned off.
pub fn opt_outs(sql: &mut dyn Sql, account: &str) -> Result<Vec<(String, String)>, ApiError> {
    sql.query(
        "SELECT kind, channel FROM notification_opt_outs WHERE account_id = $1 ORDER BY kind, channel",
        vals![account],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.text(1)?)))
    .collect()
}

pub fn set_opt_outs(
    sql: &mut dyn Sql,
    account: &str,
    off: &[(String, String)],
) -> Result<(), ApiError> {
    sql.execute(
        "DELETE FROM notification_opt_outs WHERE account_id = $1",
        vals![account],
    )?;
    for (kind, channel) in off {
        sql.execute(
            "INSERT INTO notification_opt_outs (account_id, kind, channel) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            vals![account, kind, channel],
        )?;
    }
    Ok(())
}

pub fn wants(
    sql: &mut dyn Sql,
    account: &str,
    kind: &str,
    channel: &str,
) -> Result<bool, ApiError> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM notification_opt_outs WHERE account_id = $1 AND kind = $2 AND channel = $3",
            vals![account, kind, channel],
        )?
        .is_none())
}
