//! The security log, for the national administrator: sign-ins and their failures, locks,
//! devices claimed by another account, replayed refresh tokens, account changes and refused
//! sync changes, kept for a year. An entry names accounts by id and says what happened with a fixed code;
//! never a password, complaint text, a name, a location or an address.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::error::ApiError;
use crate::storage::{Db, Sql};
use crate::vals;

pub const SIGN_IN: &str = "sign_in";
pub const SIGN_IN_FAILED: &str = "sign_in_failed";
/// A failure that locked the account for its client, everywhere, or an address.
pub const SIGN_IN_LOCKED: &str = "sign_in_locked";
pub const SIGN_OUT: &str = "sign_out";
pub const DEVICE_TAKEN: &str = "device_taken";
pub const TOKEN_REPLAYED: &str = "refresh_token_replayed";
pub const ACCOUNT_CREATED: &str = "account_created";
pub const ACCOUNT_DISABLED: &str = "account_disabled";
pub const ACCOUNT_MOVED: &str = "account_moved";
pub const ACCOUNT_AREA_SET: &str = "account_area_set";
pub const CHANGE_REFUSED: &str = "change_refused";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub id: String,
    /// Unix milliseconds.
    pub at: i64,
    pub kind: String,
    /// The account it happened to.
    pub account_id: Option<String>,
    /// Who did it, when someone else (an administrator).
    pub actor_id: Option<String>,
    pub detail: String,
}

use crate::storage::now_ms;

pub fn record(
    sql: &mut dyn Sql,
    kind: &str,
    account: Option<&str>,
    actor: Option<&str>,
    detail: &str,
) -> Result<(), ApiError> {
    let at = now_ms();
    let id = format!("{at:015}-{:08x}", rand::random::<u32>());
    sql.execute(
        "INSERT INTO security_log (id, at, kind, account_id, actor_id, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        vals![id, at, kind, account, actor, detail],
    )?;
    // Kept for a year; the ids sort by time, so the old ones are a range of the key.
    if RECORDED.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
        let cutoff = at - KEEP_DAYS * 24 * 3600 * 1000;
        sql.execute(
            "DELETE FROM security_log WHERE id < $1",
            vals![format!("{cutoff:015}")],
        )?;
    }
    Ok(())
}

const KEEP_DAYS: i64 = 365;
const PRUNE_EVERY: u64 = 1024;
static RECORDED: AtomicU64 = AtomicU64::new(0);

/// Most entries one page holds.
pub const MAX_PAGE: u32 = 500;

/// Records an event outside any transaction.
pub fn event(
    db: &Db,
    kind: &str,
    account: Option<&str>,
    actor: Option<&str>,
    detail: &str,
) -> Result<(), ApiError> {
    db.run(|sql| record(sql, kind, account, actor, detail))
}

/// Newest first: up to `limit` entries older than the entry `before`.
pub fn page(db: &Db, before: Option<&str>, limit: u32) -> Result<Vec<Entry>, ApiError> {
    let limit = i64::from(limit.clamp(1, MAX_PAGE));
    db.run(|sql| {
        let rows = match before {
            Some(before) => sql.query(
                "SELECT id, at, kind, account_id, actor_id, detail FROM security_log
                 WHERE id < $1 ORDER BY id DESC LIMIT $2",
                vals![before, limit],
            )?,
            None => sql.query(
                "SELECT id, at, kind, account_id, actor_id, detail FROM security_log
                 ORDER BY id DESC LIMIT $1",
                vals![limit],
            )?,
        };
        rows.iter()
            .map(|r| {
                Ok(Entry {
                    id: r.text(0)?,
                    at: r.int(1)?,
                    kind: r.text(2)?,
                    account_id: r.opt_text(3)?,
                    actor_id: r.opt_text(4)?,
                    detail: r.text(5)?,
                })
            })
            .collect()
    })
}
