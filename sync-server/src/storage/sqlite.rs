//! The embedded default: one SQLite file in the data folder, one connection behind a mutex
//! (SQLite has one writer; each sync is one `BEGIN IMMEDIATE` transaction).

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use super::{Row, Sql, Value, MIGRATIONS, SCHEMA_VERSION};
use crate::error::ApiError;

/// Version 1; [`MIGRATIONS`] bring it up to date.
const SCHEMA: &str = r#"
CREATE TABLE accounts (
    id             TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    institution_id TEXT,
    unit_id        TEXT,
    password_hash  TEXT,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
-- Tokens are stored as SHA-256 of the bearer string: a copy of this table opens no account.
CREATE TABLE tokens (
    hash       BLOB PRIMARY KEY,
    account_id TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_by_device ON tokens(device_id);
-- An Automerge actor belongs to the first device that uploaded a change with it.
CREATE TABLE actors (
    actor     BLOB PRIMARY KEY,
    device_id TEXT NOT NULL
);
CREATE TABLE complaints (
    id             TEXT PRIMARY KEY,
    owner_account  TEXT NOT NULL,
    tracking_id    TEXT NOT NULL UNIQUE,
    institution_id TEXT,
    status         TEXT NOT NULL,
    anonymous      INTEGER NOT NULL DEFAULT 0,
    confidential   INTEGER NOT NULL DEFAULT 0,
    -- The change sequence number at which the set of people who may see it last changed.
    access_seq     INTEGER NOT NULL
);
CREATE INDEX complaints_owner ON complaints(owner_account);
CREATE INDEX complaints_institution ON complaints(institution_id);
CREATE TABLE docs (
    doc_id       TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL,
    snapshot     BLOB NOT NULL,
    heads        BLOB NOT NULL
);
CREATE TABLE changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id       TEXT NOT NULL,
    complaint_id TEXT NOT NULL,
    hash         BLOB NOT NULL,
    data         BLOB NOT NULL,
    device_id    TEXT NOT NULL,
    UNIQUE (doc_id, hash)
);
CREATE INDEX changes_by_complaint ON changes(complaint_id, seq);
-- Photos received whole and verified, and which complaints reference them (who may see a
-- photo is decided through these).
CREATE TABLE photos (
    sha256    TEXT PRIMARY KEY,
    bytes     INTEGER NOT NULL,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    thumb_of  TEXT,
    device_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX photos_thumb ON photos(thumb_of);
CREATE TABLE photo_refs (
    complaint_id TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (sha256, complaint_id)
) WITHOUT ROWID;
-- What each device holds, so a complaint it may no longer see can be revoked.
CREATE TABLE device_complaints (
    device_id    TEXT NOT NULL,
    complaint_id TEXT NOT NULL,
    PRIMARY KEY (device_id, complaint_id)
) WITHOUT ROWID;
"#;

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("database: {e}"))
    }
}

pub fn open(dir: &Path) -> Result<Connection, ApiError> {
    std::fs::create_dir_all(dir).map_err(|e| ApiError::internal(format!("data folder: {e}")))?;
    let conn = Connection::open(dir.join("aduan-server.db"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(ApiError::internal(format!(
            "database schema {version} is newer than this server ({SCHEMA_VERSION})"
        )));
    }
    if version == 0 {
        conn.execute_batch(&format!("BEGIN; {SCHEMA} PRAGMA user_version = 1; COMMIT;"))?;
    }
    for (from, step) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(version.max(1) as usize - 1)
    {
        let to = from + 2;
        conn.execute_batch(&format!(
            "BEGIN; {step} PRAGMA user_version = {to}; COMMIT;"
        ))?;
    }
    Ok(conn)
}

/// `$1` placeholders (the server's dialect) as SQLite's numbered `?1`.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(*b as i64)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// A connection or a transaction (which derefs to its connection).
pub struct Lite<'a>(pub &'a Connection);

impl Sql for Lite<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ApiError> {
        let mut stmt = self.0.prepare_cached(&placeholders(sql))?;
        Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ApiError> {
        let mut stmt = self.0.prepare_cached(&placeholders(sql))?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Int(v as i64),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            out.push(Row(row));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_1_database_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let old = Connection::open(dir.path().join("aduan-server.db")).unwrap();
        old.execute_batch(&format!("{SCHEMA} PRAGMA user_version = 1;"))
            .unwrap();
        old.execute(
            "INSERT INTO accounts (id, display_name, role, created_at) VALUES ('warga', 'Warga', 'citizen', 0)",
            [],
        )
        .unwrap();
        drop(old);
        let conn = open(dir.path()).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let (accounts, failures): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM sign_in_failures)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((accounts, failures), (1, 0));
        drop(conn);
        // Opening again changes nothing.
        open(dir.path()).unwrap();
    }

    #[test]
    fn photo_references_stored_before_are_attributed_to_who_could_write_them() {
        let dir = tempfile::tempdir().unwrap();
        let old = Connection::open(dir.path().join("aduan-server.db")).unwrap();
        old.execute_batch(&format!("{SCHEMA} PRAGMA user_version = 1;"))
            .unwrap();
        // Siti's complaint at Kota Makassar shows her photo, an officer's photo, and a photo
        // a citizen of elsewhere uploaded (a forged reference).
        old.execute_batch(
            "INSERT INTO accounts (id, display_name, role, institution_id, created_at) VALUES
                 ('siti', 'Siti', 'citizen', NULL, 0),
                 ('petugas', 'Petugas', 'officer', 'kota-makassar', 0),
                 ('lain', 'Lain', 'citizen', NULL, 0);
             INSERT INTO devices (id, account_id, created_at) VALUES
                 ('hp-siti', 'siti', 0), ('hp-petugas', 'petugas', 0), ('hp-lain', 'lain', 0);
             INSERT INTO complaints (id, owner_account, tracking_id, institution_id, status, access_seq)
                 VALUES ('c1', 'siti', 'ADU-1', 'kota-makassar', 'dispatched', 0);
             INSERT INTO photos (sha256, bytes, width, height, device_id) VALUES
                 ('a', 1, 1, 1, 'hp-siti'), ('b', 1, 1, 1, 'hp-petugas'), ('c', 1, 1, 1, 'hp-lain');
             INSERT INTO photo_refs (complaint_id, sha256) VALUES
                 ('c1', 'a'), ('c1', 'b'), ('c1', 'c'), ('c1', 'not-yet-uploaded');",
        )
        .unwrap();
        drop(old);
        let conn = open(dir.path()).unwrap();
        let mut rows: Vec<(String, String)> = conn
            .prepare("SELECT sha256, account_id FROM photo_refs WHERE complaint_id = 'c1'")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        let expected = [
            ("a", "siti"),
            ("b", "petugas"),
            ("c", "siti"),
            ("not-yet-uploaded", "siti"),
        ];
        assert_eq!(rows, expected.map(|(s, a)| (s.to_string(), a.to_string())));
    }

    #[test]
    fn a_database_from_a_newer_server_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let newer = Connection::open(dir.path().join("aduan-server.db")).unwrap();
        newer
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(newer);
        let e = open(dir.path()).err().expect("refused");
        assert!(e.cause().contains("newer than this server"), "{e:?}");
    }

    #[test]
    fn placeholders_become_numbered_question_marks() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = $2 AND c = $1 AND d = '$x'"),
            "SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = '$x'"
        );
    }
}
