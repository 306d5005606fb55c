//! Gammu's SMS daemon (`gammu-smsd`) with its SQL service on SQLite or PostgreSQL, as the
//! server uses: the daemon writes what the modem receives into `inbox` (one row per part, with
//! its UDH) and sends what is put in `outbox`, moving it to `sentitems`. The tables are Gammu's
//! own (schema version 17, from the package's `sqlite.sql` or `pgsql.sql`; PostgreSQL's keep
//! Gammu's quoted CamelCase names); this file only reads the inbox, marks rows processed, and
//! puts messages in the outbox. Phone numbers pass through here and nowhere into a log or an
//! error.

use std::path::Path;
use std::sync::Mutex;

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

impl From<postgres::Error> for GammuError {
    fn from(e: postgres::Error) -> Self {
        // The server's message and code only: a detail line can quote a row's values.
        GammuError(match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => e.to_string(),
        })
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

/// Where Gammu's tables are: a SQLite file, or a PostgreSQL database (a `postgres://` URL or
/// libpq's `key=value` form).
pub struct Gammu {
    conn: Backend,
}

enum Backend {
    Sqlite(Connection),
    Postgres(PgConn),
}

/// One PostgreSQL connection for the desk's one thread, made again when the server dropped it
/// (a restart of the database must not end SMS for good).
struct PgConn {
    url: String,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    client: Mutex<postgres::Client>,
}

impl PgConn {
    fn client(&self) -> Result<std::sync::MutexGuard<'_, postgres::Client>, GammuError> {
        // A panic elsewhere leaves the connection usable.
        let mut c = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if c.is_closed() {
            *c = postgres::Client::connect(&self.url, self.tls.clone())?;
        }
        Ok(c)
    }
}

/// The schema version of Gammu's SQL service this is written for (Gammu 1.37 and later).
pub const SCHEMA_VERSION: i64 = 17;

impl Gammu {
    /// Opens Gammu's database: `target` is a SQLite file's path or a PostgreSQL URL.
    pub fn open(target: &Path) -> Result<Gammu, GammuError> {
        let text = target.to_string_lossy();
        let conn = if is_postgres(&text) {
            let (url, tls) = crate::tls::postgres_connection(&text).map_err(GammuError)?;
            let client = postgres::Client::connect(&url, tls.clone())
                .map_err(|e| GammuError(format!("cannot connect: {}", GammuError::from(e).0)))?;
            Backend::Postgres(PgConn {
                url,
                tls,
                client: Mutex::new(client),
            })
        } else {
            let conn = Connection::open_with_flags(
                target,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| GammuError(format!("cannot open {}: {e}", target.display())))?;
            // The daemon writes the same file: wait for its locks rather than fail.
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            Backend::Sqlite(conn)
        };
        let gammu = Gammu { conn };
        let version = gammu.version().map_err(|e| {
            GammuError(format!(
                "no Gammu tables ({e}): create them with gammu-smsd's sqlite.sql or pgsql.sql"
            ))
        })?;
        if version != Some(SCHEMA_VERSION) {
            return Err(GammuError(format!(
                "Gammu's tables are version {version:?}, this server reads version {SCHEMA_VERSION}"
            )));
        }
        Ok(gammu)
    }

    fn version(&self) -> Result<Option<i64>, GammuError> {
        Ok(match &self.conn {
            Backend::Sqlite(c) => c
                .query_row("SELECT Version FROM gammu", [], |r| r.get(0))
                .optional()?,
            Backend::Postgres(pg) => pg
                .client()?
                .query_opt(r#"SELECT "Version"::BIGINT FROM gammu"#, &[])?
                .map(|r| r.get(0)),
        })
    }

    /// Rows the daemon received that nobody has handled yet, oldest first. `first_seen`
    /// gives each row the time this server first saw it (the wait for missing parts counts
    /// from there: the daemon's own times are in its machine's local zone).
    pub fn unprocessed(
        &self,
        limit: u32,
        first_seen: &mut dyn FnMut(i64) -> i64,
    ) -> Result<Vec<InboxRow>, GammuError> {
        let rows: Vec<(i64, String, String, String, String, String, String)> = match &self.conn {
            Backend::Sqlite(c) => {
                let mut stmt = c.prepare_cached(
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
                rows.collect::<Result<_, _>>()?
            }
            Backend::Postgres(pg) => pg
                .client()?
                .query(
                    r#"SELECT "ID"::BIGINT, "SenderNumber"::TEXT, "ReceivingDateTime"::TEXT,
                              "Coding"::TEXT, "UDH", "Text", "TextDecoded"
                       FROM inbox WHERE NOT "Processed" ORDER BY "ID" LIMIT $1"#,
                    &[&i64::from(limit)],
                )?
                .iter()
                .map(|r| {
                    let text = |i: usize| r.get::<_, Option<String>>(i).unwrap_or_default();
                    (
                        r.get(0),
                        text(1),
                        text(2),
                        text(3),
                        text(4),
                        text(5),
                        text(6),
                    )
                })
                .collect(),
        };
        let mut out = Vec::new();
        for (id, sender, received, coding, udh_hex, text_hex, text_decoded) in rows {
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
        match &self.conn {
            Backend::Sqlite(c) => {
                let mut stmt =
                    c.prepare_cached("UPDATE inbox SET Processed = 'true' WHERE ID = ?1")?;
                for id in ids {
                    stmt.execute([id])?;
                }
            }
            Backend::Postgres(pg) => {
                let mut c = pg.client()?;
                for id in ids {
                    let id = i32::try_from(*id)
                        .map_err(|_| GammuError("inbox id out of range".into()))?;
                    c.execute(
                        r#"UPDATE inbox SET "Processed" = TRUE WHERE "ID" = $1"#,
                        &[&id],
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Whether a message with this creator id is already with the daemon (waiting or sent):
    /// handing over is then done, so a restart between handing over and recording it does not
    /// send twice.
    pub fn has_creator(&self, creator: &str) -> Result<bool, GammuError> {
        Ok(match &self.conn {
            Backend::Sqlite(c) => c
                .query_row(
                    "SELECT 1 FROM outbox WHERE CreatorID = ?1
                     UNION ALL SELECT 1 FROM sentitems WHERE CreatorID = ?1 LIMIT 1",
                    [creator],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?
                .is_some(),
            Backend::Postgres(pg) => pg
                .client()?
                .query_opt(
                    r#"SELECT 1 FROM outbox WHERE "CreatorID" = $1
                       UNION ALL SELECT 1 FROM sentitems WHERE "CreatorID" = $1 LIMIT 1"#,
                    &[&creator],
                )?
                .is_some(),
        })
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
        match &self.conn {
            Backend::Sqlite(c) => {
                c.execute(
                    "INSERT INTO outbox (DestinationNumber, TextDecoded, Coding, CreatorID, MultiPart)
                     VALUES (?1, ?2, ?3, ?4, 'false')",
                    params![number, text, coding, creator],
                )?;
            }
            Backend::Postgres(pg) => {
                pg.client()?.execute(
                    r#"INSERT INTO outbox ("DestinationNumber", "TextDecoded", "Coding", "CreatorID", "MultiPart")
                       VALUES ($1, $2, $3, $4, FALSE)"#,
                    &[&number, &text, &coding, &creator],
                )?;
            }
        }
        Ok(())
    }
}

fn is_postgres(target: &str) -> bool {
    target.starts_with("postgres://")
        || target.starts_with("postgresql://")
        || target
            .split_whitespace()
            .any(|p| p.starts_with("dbname=") || p.starts_with("host="))
}
