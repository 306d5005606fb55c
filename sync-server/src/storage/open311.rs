//! Queries for the Open311 door (migration 11): API keys (`open311_keys`, only the key's
//! SHA-256 kept), the tokens a POST answers with (`open311_tokens`), each key's uses
//! (`open311_uses`: which endpoint, when, how it ended; nothing a reporter said), and the
//! public complaints a `GET requests` selects.

use crate::error::ApiError;
use crate::storage::{Row, Sql, Value};
use crate::vals;

/// An API key as stored (never the key itself).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Key {
    pub id: String,
    /// The other system's name, kept as a bridged complaint's `bridged_system`.
    pub system: String,
    /// The channel its complaints arrive by (`bridged`, `sms`, `call_centre`, `desk`).
    pub channel: String,
    /// The account its complaints are filed as.
    pub account_id: String,
    pub per_hour: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

const KEY_COLUMNS: &str =
    "id, system, channel, account_id, per_hour, created_by, created_at, revoked_at";

fn key_of(r: &Row) -> Result<Key, ApiError> {
    Ok(Key {
        id: r.text(0)?,
        system: r.text(1)?,
        channel: r.text(2)?,
        account_id: r.text(3)?,
        per_hour: r.int(4)?,
        created_by: r.opt_text(5)?,
        created_at: r.int(6)?,
        revoked_at: opt_int(r, 7)?,
    })
}

/// A nullable integer column (NULL reads as a type mismatch).
fn opt_int(r: &Row, i: usize) -> Result<Option<i64>, ApiError> {
    Ok(r.int(i).ok())
}

pub fn insert_key(sql: &mut dyn Sql, key: &Key, hash: &[u8]) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO open311_keys (id, hash, system, channel, account_id, per_hour, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vals![
            &key.id,
            hash,
            &key.system,
            &key.channel,
            &key.account_id,
            key.per_hour,
            key.created_by.as_deref(),
            key.created_at
        ],
    )?;
    Ok(())
}

/// The unrevoked key with this hash.
pub fn key_by_hash(sql: &mut dyn Sql, hash: &[u8]) -> Result<Option<Key>, ApiError> {
    sql.query_opt(
        &format!("SELECT {KEY_COLUMNS} FROM open311_keys WHERE hash = $1 AND revoked_at IS NULL"),
        vals![hash],
    )?
    .map(|r| key_of(&r))
    .transpose()
}

pub fn key(sql: &mut dyn Sql, id: &str) -> Result<Option<Key>, ApiError> {
    sql.query_opt(
        &format!("SELECT {KEY_COLUMNS} FROM open311_keys WHERE id = $1"),
        vals![id],
    )?
    .map(|r| key_of(&r))
    .transpose()
}

pub fn keys(sql: &mut dyn Sql) -> Result<Vec<Key>, ApiError> {
    sql.query(
        &format!("SELECT {KEY_COLUMNS} FROM open311_keys ORDER BY created_at, id"),
        &[],
    )?
    .iter()
    .map(key_of)
    .collect()
}

/// Whether an unrevoked key was revoked now.
pub fn revoke(sql: &mut dyn Sql, id: &str, now_ms: i64) -> Result<bool, ApiError> {
    Ok(sql.execute(
        "UPDATE open311_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        vals![id, now_ms],
    )? > 0)
}

/// Outcome of a use refused for the key's rate; such uses do not count against it.
pub const RATE_LIMITED: &str = "rate_limited";

/// Uses of `key_id` counted against its rate since `since_ms`.
pub fn counted_uses(sql: &mut dyn Sql, key_id: &str, since_ms: i64) -> Result<i64, ApiError> {
    sql.query_int(
        "SELECT COUNT(*) FROM open311_uses WHERE key_id = $1 AND at >= $2 AND outcome <> $3",
        vals![key_id, since_ms, RATE_LIMITED],
    )
}

/// Uses are kept this long.
const KEEP_USES_MS: i64 = 90 * 24 * 3_600_000;

pub fn record_use(
    sql: &mut dyn Sql,
    key_id: &str,
    at_ms: i64,
    action: &str,
    outcome: &str,
) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO open311_uses (key_id, at, action, outcome) VALUES ($1, $2, $3, $4)",
        vals![key_id, at_ms, action, outcome],
    )?;
    if rand::random::<u16>() < 64 {
        sql.execute(
            "DELETE FROM open311_uses WHERE at < $1",
            vals![at_ms - KEEP_USES_MS],
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Use {
    pub at: i64,
    pub action: String,
    pub outcome: String,
}

/// A key's uses, newest first.
pub fn uses(sql: &mut dyn Sql, key_id: &str, limit: u32) -> Result<Vec<Use>, ApiError> {
    sql.query(
        "SELECT at, action, outcome FROM open311_uses WHERE key_id = $1 ORDER BY at DESC LIMIT $2",
        vals![key_id, i64::from(limit)],
    )?
    .iter()
    .map(|r| {
        Ok(Use {
            at: r.int(0)?,
            action: r.text(1)?,
            outcome: r.text(2)?,
        })
    })
    .collect()
}

pub fn put_token(
    sql: &mut dyn Sql,
    token: &str,
    complaint_id: &str,
    key_id: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO open311_tokens (token, complaint_id, key_id, created_at) VALUES ($1, $2, $3, $4)",
        vals![token, complaint_id, key_id, now_ms],
    )?;
    Ok(())
}

/// The complaint a token names.
pub fn token(sql: &mut dyn Sql, token: &str) -> Result<Option<String>, ApiError> {
    sql.query_opt(
        "SELECT complaint_id FROM open311_tokens WHERE token = $1",
        vals![token],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// What a `GET requests` selects; `None` is "any".
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub tracking_ids: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    /// Unix ms, inclusive.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Stored status codes.
    pub statuses: Option<Vec<String>>,
}

fn marks(params: &mut Vec<Value>, values: &[String]) -> String {
    values
        .iter()
        .map(|v| {
            params.push(v.into());
            format!("${}", params.len())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Public (not confidential) complaints as `s` selects, newest first.
pub fn select(
    sql: &mut dyn Sql,
    s: &Selection,
    offset: u32,
    limit: u32,
) -> Result<Vec<String>, ApiError> {
    let mut params: Vec<Value> = Vec::new();
    let mut filters = vec!["c.confidential = FALSE".to_string()];
    for (column, values) in [
        ("c.tracking_id", &s.tracking_ids),
        ("p.category", &s.categories),
        ("c.status", &s.statuses),
    ] {
        if let Some(values) = values {
            if values.is_empty() {
                return Ok(Vec::new());
            }
            let m = marks(&mut params, values);
            filters.push(format!("{column} IN ({m})"));
        }
    }
    if let Some(from) = s.from_ms {
        params.push(from.into());
        filters.push(format!("p.created_at >= ${}", params.len()));
    }
    if let Some(to) = s.to_ms {
        params.push(to.into());
        filters.push(format!("p.created_at <= ${}", params.len()));
    }
    crate::storage::public::page_where(sql, &filters, params, offset, limit)
}
