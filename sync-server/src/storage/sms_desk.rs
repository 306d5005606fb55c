//! The SMS desk's own records, kept in its store's SQLite file beside the complaints it files
//! (so a report and the record that its message was handled commit together: a restart never
//! files a message twice). Numbers appear here only as keyed hashes, except in the outgoing
//! queue until a message is handed to the gateway; status news carries no number at all (it is
//! taken from the reporter's contact when it goes).

use rusqlite::{params, Connection, OptionalExtension};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sms_inbound (
    key TEXT PRIMARY KEY,
    number_hash TEXT NOT NULL,
    day INTEGER NOT NULL,
    kind TEXT NOT NULL,
    complaint_id TEXT
);
CREATE INDEX IF NOT EXISTS sms_inbound_number ON sms_inbound (number_hash, day, kind);
CREATE TABLE IF NOT EXISTS sms_filed (
    complaint_id TEXT PRIMARY KEY,
    number_hash TEXT NOT NULL,
    -- The status when filed (news comes from the server's outbox since; kept for old desks).
    last_status TEXT NOT NULL,
    news_day INTEGER NOT NULL DEFAULT 0,
    news_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sms_stopped (
    number_hash TEXT PRIMARY KEY,
    at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sms_outgoing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT,
    complaint_id TEXT,
    text TEXT NOT NULL,
    not_before_ms INTEGER NOT NULL,
    handed_ms INTEGER
);
CREATE INDEX IF NOT EXISTS sms_outgoing_pending ON sms_outgoing (handed_ms, not_before_ms);
";

pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)
}

pub fn seen(conn: &Connection, key: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sms_inbound WHERE key = ?1",
            [key],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn record_inbound(
    conn: &Connection,
    key: &str,
    number_hash: &str,
    day: i64,
    kind: &str,
    complaint_id: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sms_inbound (key, number_hash, day, kind, complaint_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![key, number_hash, day, kind, complaint_id],
    )?;
    Ok(())
}

pub fn reports_on(conn: &Connection, number_hash: &str, day: i64) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COUNT(*) FROM sms_inbound WHERE number_hash = ?1 AND day = ?2 AND kind = 'report'",
        params![number_hash, day],
        |r| r.get(0),
    )
}

pub fn record_filed(
    conn: &Connection,
    complaint_id: &str,
    number_hash: &str,
    status: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sms_filed (complaint_id, number_hash, last_status) VALUES (?1, ?2, ?3)",
        params![complaint_id, number_hash, status],
    )?;
    Ok(())
}

/// Whether this number filed this complaint (only then may it ask about it by SMS).
pub fn filed_by(
    conn: &Connection,
    complaint_id: &str,
    number_hash: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sms_filed WHERE complaint_id = ?1 AND number_hash = ?2",
            params![complaint_id, number_hash],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub struct Filed {
    pub complaint_id: String,
    pub number_hash: String,
    pub news_day: i64,
    pub news_count: u32,
}

pub fn filed(conn: &Connection, complaint_id: &str) -> rusqlite::Result<Option<Filed>> {
    conn.query_row(
        "SELECT complaint_id, number_hash, news_day, news_count FROM sms_filed
         WHERE complaint_id = ?1",
        [complaint_id],
        |r| {
            Ok(Filed {
                complaint_id: r.get(0)?,
                number_hash: r.get(1)?,
                news_day: r.get(2)?,
                news_count: r.get(3)?,
            })
        },
    )
    .optional()
}

pub fn count_news(conn: &Connection, complaint_id: &str, day: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sms_filed SET news_count = CASE WHEN news_day = ?2 THEN news_count + 1 ELSE 1 END,
                              news_day = ?2
         WHERE complaint_id = ?1",
        params![complaint_id, day],
    )?;
    Ok(())
}

pub fn is_stopped(conn: &Connection, number_hash: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sms_stopped WHERE number_hash = ?1",
            [number_hash],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// STOP: nothing more goes to this number, and nothing already waiting does either.
pub fn stop(
    conn: &Connection,
    number_hash: &str,
    number: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sms_stopped (number_hash, at_ms) VALUES (?1, ?2)
         ON CONFLICT (number_hash) DO NOTHING",
        params![number_hash, now_ms],
    )?;
    conn.execute(
        "DELETE FROM sms_outgoing WHERE handed_ms IS NULL AND (number = ?1 OR complaint_id IN
             (SELECT complaint_id FROM sms_filed WHERE number_hash = ?2))",
        params![number, number_hash],
    )?;
    Ok(())
}

pub fn unstop(conn: &Connection, number_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sms_stopped WHERE number_hash = ?1",
        [number_hash],
    )?;
    Ok(())
}

/// A reply to a message that just came in: goes at once.
pub fn queue_reply(
    conn: &Connection,
    number: &str,
    text: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sms_outgoing (number, text, not_before_ms) VALUES (?1, ?2, ?3)",
        params![number, text, now_ms],
    )?;
    Ok(())
}

/// Status news about a complaint, replacing news about it that has not gone yet (the person
/// learns where it stands now, not each step they slept through).
pub fn queue_news(
    conn: &Connection,
    complaint_id: &str,
    text: &str,
    not_before_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sms_outgoing WHERE complaint_id = ?1 AND handed_ms IS NULL",
        [complaint_id],
    )?;
    conn.execute(
        "INSERT INTO sms_outgoing (complaint_id, text, not_before_ms) VALUES (?1, ?2, ?3)",
        params![complaint_id, text, not_before_ms],
    )?;
    Ok(())
}

pub struct Outgoing {
    pub id: i64,
    pub number: Option<String>,
    pub complaint_id: Option<String>,
    pub text: String,
}

/// Replies that may go now, and every piece of news not gone yet (whether news may go is
/// asked again each time: the quiet hours or the day's share may have changed since).
pub fn due(conn: &Connection, now_ms: i64, limit: u32) -> rusqlite::Result<Vec<Outgoing>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, number, complaint_id, text FROM sms_outgoing
         WHERE handed_ms IS NULL AND (not_before_ms <= ?1 OR complaint_id IS NOT NULL)
         ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now_ms, limit], |r| {
        Ok(Outgoing {
            id: r.get(0)?,
            number: r.get(1)?,
            complaint_id: r.get(2)?,
            text: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub fn postpone(conn: &Connection, id: i64, not_before_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sms_outgoing SET not_before_ms = ?2 WHERE id = ?1",
        params![id, not_before_ms],
    )?;
    Ok(())
}

/// Handed to the gateway (or dropped): the number is forgotten here.
pub fn handed(conn: &Connection, id: i64, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sms_outgoing SET handed_ms = ?2, number = NULL WHERE id = ?1",
        params![id, now_ms],
    )?;
    Ok(())
}
