//! Gammu's SMS daemon (`gammu-smsd`) with its SQL service on SQLite: the daemon writes what
//! the modem receives into `inbox` (one row per part, with its UDH) and sends what is put in
//! `outbox`, moving it to `sentitems`. The tables are Gammu's own (schema version 17, from
//! the package's `sqlite.sql`); this file only reads the inbox, marks rows processed, and
//! puts messages in the outbox. Phone numbers pass through here and nowhere into a log or an
//! error.

use std::path::Path;

use aduan_core::sms::parts::InboxPart;
use rusqlite::{params, Connection, OptionalExtension};

/// What went wrong with the gateway's database: a cause with no message contents or numbers.
#[derive(Debug)]
pub struct GammuError(pub String);

impl std::fmt::Display for GammuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "gammu database: {}", self.0)
    }
}

impl From<rusqlite::Error> for GammuError {
    fn from(e: rusqlite::Error) -> Self {
        // rusqlite's messages name the statement and the failure, never the bound values.
        GammuError(e.to_string())
    }
}

/// An unprocessed inbox row with Gammu's receiving time as text (part of its key).
pub struct InboxRow {
    pub part: InboxPart,
    pub received: String,
}

pub struct Gammu {
    conn: Connection,
}

/// The schema version of Gammu's SQL service this is written for (Gammu 1.37 and later).
pub const SCHEMA_VERSION: i64 = 17;

impl Gammu {
    pub fn open(path: &Path) -> Result<Gammu, GammuError> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| GammuError(format!("cannot open {}: {e}", path.display())))?;
        // The daemon writes the same file: wait for its locks rather than fail.
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: Option<i64> = conn
            .query_row("SELECT Version FROM gammu", [], |r| r.get(0))
            .optional()
            .map_err(|e| {
                GammuError(format!(
                    "no Gammu tables ({e}): create them with the sqlite.sql of gammu-smsd"
                ))
            })?;
        if version != Some(SCHEMA_VERSION) {
            return Err(GammuError(format!(
                "Gammu's tables are version {version:?}, this server reads version {SCHEMA_VERSION}"
            )));
        }
        Ok(Gammu { conn })
    }

    /// Rows the daemon received that nobody has handled yet, oldest first. `first_seen`
    /// gives each row the time this server first saw it (the wait for missing parts counts
    /// from there: the daemon's own times are in its machine's local zone).
    pub fn unprocessed(
        &self,
        limit: u32,
        first_seen: &mut dyn FnMut(i64) -> i64,
    ) -> Result<Vec<InboxRow>, GammuError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ID, SenderNumber, CAST(ReceivingDateTime AS TEXT), Coding, UDH, Text,
                    TextDecoded
             FROM inbox WHERE Processed = 'false' ORDER BY ID LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, sender, received, coding, udh_hex, text_hex, text_decoded) = row?;
            out.push(InboxRow {
                part: InboxPart {
                    id,
                    sender,
                    received_ms: first_seen(id),
                    coding,
                    udh_hex,
                    text_hex,
                    text_decoded,
                },
                received,
            });
        }
        Ok(out)
    }

    pub fn mark_processed(&self, ids: &[i64]) -> Result<(), GammuError> {
        let mut stmt = self
            .conn
            .prepare_cached("UPDATE inbox SET Processed = 'true' WHERE ID = ?1")?;
        for id in ids {
            stmt.execute([id])?;
        }
        Ok(())
    }

    /// Whether a message with this creator id is already with the daemon (waiting or sent):
    /// handing over is then done, so a restart between handing over and recording it does not
    /// send twice.
    pub fn has_creator(&self, creator: &str) -> Result<bool, GammuError> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM outbox WHERE CreatorID = ?1
                 UNION ALL SELECT 1 FROM sentitems WHERE CreatorID = ?1 LIMIT 1",
                [creator],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// Puts one single-part message in the daemon's outbox.
    pub fn send(
        &self,
        number: &str,
        text: &str,
        unicode: bool,
        creator: &str,
    ) -> Result<(), GammuError> {
        let coding = if unicode {
            "Unicode_No_Compression"
        } else {
            "Default_No_Compression"
        };
        self.conn.execute(
            "INSERT INTO outbox (DestinationNumber, TextDecoded, Coding, CreatorID, MultiPart)
             VALUES (?1, ?2, ?3, ?4, 'false')",
            params![number, text, coding, creator],
        )?;
        Ok(())
    }
}
