//! The server's embedded SQLite store: accounts, devices and tokens, and for every complaint its
//! owner, current institution and flags, its documents and the global change sequence phones
//! sync against. One connection behind a mutex: SQLite has one writer, and each sync is one
//! transaction.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use aduan_core::types::{Identity, Role};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::ApiError;

pub const SCHEMA_VERSION: i64 = 1;

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

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    pub disabled: bool,
}

impl Account {
    pub fn identity(&self) -> Identity {
        Identity {
            account_id: self.id.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            institution_id: self.institution_id.clone(),
            unit_id: self.unit_id.clone(),
        }
    }
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn account_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        display_name: r.get(1)?,
        role: Role::from_code(&r.get::<_, String>(2)?).unwrap_or(Role::Citizen),
        institution_id: r.get(3)?,
        unit_id: r.get(4)?,
        disabled: r.get(5)?,
    })
}

impl Db {
    pub fn open(dir: &Path) -> Result<Db, ApiError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| ApiError::internal(format!("data folder: {e}")))?;
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
            conn.execute_batch(&format!(
                "BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))?;
        }
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn account(&self, id: &str) -> Result<Option<Account>, ApiError> {
        Ok(account(&self.lock(), id)?)
    }

    pub fn create_account(&self, a: &Account, password_hash: Option<&str>) -> Result<(), ApiError> {
        let conn = self.lock();
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO accounts (id, display_name, role, institution_id, unit_id, password_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![a.id, a.display_name, a.role.code(), a.institution_id, a.unit_id, password_hash, now_secs()],
        )?;
        if inserted == 0 {
            return Err(ApiError::conflict(
                "account_exists",
                "An account with this id exists.",
            ));
        }
        Ok(())
    }

    pub fn password_hash(&self, id: &str) -> Result<Option<String>, ApiError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT password_hash FROM accounts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn set_disabled(&self, id: &str, disabled: bool) -> Result<bool, ApiError> {
        let conn = self.lock();
        let n = conn.execute(
            "UPDATE accounts SET disabled = ?2 WHERE id = ?1",
            params![id, disabled],
        )?;
        if disabled {
            conn.execute("UPDATE tokens SET revoked = 1 WHERE account_id = ?1", [id])?;
        }
        Ok(n > 0)
    }

    pub fn move_account(
        &self,
        id: &str,
        institution: Option<&str>,
        unit: Option<&str>,
    ) -> Result<bool, ApiError> {
        Ok(self.lock().execute(
            "UPDATE accounts SET institution_id = ?2, unit_id = ?3 WHERE id = ?1",
            params![id, institution, unit],
        )? > 0)
    }

    pub fn add_device(&self, device_id: &str, account_id: &str) -> Result<(), ApiError> {
        self.lock().execute(
            "INSERT OR IGNORE INTO devices (id, account_id, created_at) VALUES (?1, ?2, ?3)",
            params![device_id, account_id, now_secs()],
        )?;
        Ok(())
    }

    pub fn store_token(
        &self,
        hash: &[u8],
        account: &str,
        device: &str,
        kind: &str,
        expires_at: i64,
    ) -> Result<(), ApiError> {
        self.lock().execute(
            "INSERT INTO tokens (hash, account_id, device_id, kind, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![hash, account, device, kind, expires_at],
        )?;
        Ok(())
    }

    /// The account and device of a valid, unrevoked, unexpired token of `kind`, whose account
    /// is enabled.
    pub fn token(&self, hash: &[u8], kind: &str) -> Result<Option<(Account, String)>, ApiError> {
        let conn = self.lock();
        let row: Option<(String, String)> = conn
            .query_row(
                "SELECT account_id, device_id FROM tokens
                 WHERE hash = ?1 AND kind = ?2 AND revoked = 0 AND expires_at > ?3",
                params![hash, kind, now_secs()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((account_id, device)) = row else {
            return Ok(None);
        };
        Ok(account(&conn, &account_id)?
            .filter(|a| !a.disabled)
            .map(|a| (a, device)))
    }

    pub fn revoke_token(&self, hash: &[u8]) -> Result<(), ApiError> {
        self.lock()
            .execute("UPDATE tokens SET revoked = 1 WHERE hash = ?1", [hash])?;
        Ok(())
    }

    pub fn revoke_device(&self, device: &str) -> Result<(), ApiError> {
        self.lock().execute(
            "UPDATE tokens SET revoked = 1 WHERE device_id = ?1",
            [device],
        )?;
        Ok(())
    }

    pub fn counts(&self) -> Result<(i64, i64, i64), ApiError> {
        let conn = self.lock();
        let q = |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [], |r| r.get(0)) };
        Ok((
            q("SELECT COUNT(*) FROM accounts")?,
            q("SELECT COUNT(*) FROM complaints")?,
            q("SELECT COALESCE(MAX(seq), 0) FROM changes")?,
        ))
    }
}

pub fn account(conn: &Connection, id: &str) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        "SELECT id, display_name, role, institution_id, unit_id, disabled FROM accounts WHERE id = ?1",
        [id],
        account_from_row,
    )
    .optional()
}
