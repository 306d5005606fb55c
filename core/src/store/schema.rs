//! The local database schema and its migrations. `PRAGMA user_version` holds the version; each
//! migration runs in the same transaction that bumps it.

use rusqlite::Connection;

use crate::error::{Error, Result};

pub const VERSION: i64 = 4;

const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per Automerge document: the last compacted snapshot and the heads the document
-- must have once its incremental changes are applied (checked on every load).
CREATE TABLE docs (
    doc_id       TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL,
    snapshot     BLOB,
    heads        BLOB NOT NULL,
    change_count INTEGER NOT NULL DEFAULT 0,
    change_bytes INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX docs_by_complaint ON docs(complaint_id);

-- Incremental changes since the snapshot, in write order.
CREATE TABLE doc_changes (
    doc_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;

-- What the sync client still owes the server: documents changed here since the heads the
-- server is known to have.
CREATE TABLE sync_docs (
    doc_id       TEXT PRIMARY KEY,
    server_heads BLOB,
    dirty        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- The list index: everything a list, filter, sort or figure needs, so none of them loads a
-- document. Rebuilt from the documents whenever they change.
CREATE TABLE complaints (
    num               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    tracking_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    category          TEXT NOT NULL,
    title             TEXT NOT NULL,
    status            TEXT NOT NULL,
    institution_id    TEXT,
    unit_id           TEXT,
    due_at            INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    latitude          REAL,
    longitude         REAL,
    kelurahan         TEXT NOT NULL DEFAULT '',
    mine              INTEGER NOT NULL DEFAULT 0,
    anonymous         INTEGER NOT NULL DEFAULT 0,
    confidential      INTEGER NOT NULL DEFAULT 0,
    photo_count       INTEGER NOT NULL DEFAULT 0,
    rating            INTEGER,
    merged_into       TEXT,
    first_assigned_at INTEGER,
    followed_up_at    INTEGER,
    completed_at      INTEGER,
    damaged           TEXT
);
CREATE INDEX complaints_tracking ON complaints(tracking_id);
CREATE INDEX complaints_status_due ON complaints(status, due_at);
CREATE INDEX complaints_institution ON complaints(institution_id, status, due_at);
CREATE INDEX complaints_updated ON complaints(updated_at);
CREATE INDEX complaints_created ON complaints(created_at);
CREATE INDEX complaints_category ON complaints(category);
CREATE INDEX complaints_position ON complaints(latitude, longitude);
CREATE INDEX complaints_mine ON complaints(mine, updated_at);
CREATE INDEX complaints_merged ON complaints(merged_into) WHERE merged_into IS NOT NULL;

-- Full-text search over title, description and address. Contentless: the text already lives
-- in the documents, so the index stores only what it needs to match.
CREATE VIRTUAL TABLE complaints_fts USING fts5(
    title, description, address,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Local work the server refused (the user lost rights while offline): kept and shown with the
-- reason, never silently dropped.
CREATE TABLE refused (
    num          INTEGER PRIMARY KEY,
    complaint_id TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    event        TEXT,
    code         TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    message_en   TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX refused_by_complaint ON refused(complaint_id);

-- Processed photos (stripped, resized JPEG) by SHA-256 of their bytes.
CREATE TABLE photos (
    sha256     TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    thumb_of   TEXT,
    created_at INTEGER NOT NULL,
    uploaded   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
"#;

/// Channels and the reporter's contact details (issue 14). Rows indexed before read as the app
/// until [`migrate`]'s caller indexes them again from their documents (a cadre's report then
/// reads as the cadre channel).
const V2: &str = r#"
ALTER TABLE complaints ADD COLUMN channel TEXT NOT NULL DEFAULT 'app';
CREATE INDEX complaints_channel ON complaints(channel);

-- Who may call the reporter back: the contact details the reporter (or the operator who filed
-- for them) gave. Personal data, so never in the documents that travel to every handler's
-- phone: kept here on the phone that took them, sent to the server on their own, and removed
-- on request. `state`: 'pending' (not yet on the server), 'sent', or 'remove' (the fields are
-- already blank here; the server still has to forget them).
CREATE TABLE reporter_contacts (
    complaint_id TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// Cadres' areas and the queue (issue 14, items 5 and 6): the village a complaint is about,
/// whether a response is owed within the institution's cadre hours, and whose desk its current
/// escalation reached. Rows indexed before are indexed again from their documents by
/// [`migrate`]'s caller.
const V3: &str = r#"
ALTER TABLE complaints ADD COLUMN area TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN cadre_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN escalated_to TEXT;
CREATE INDEX complaints_area ON complaints(area, status);
"#;

/// Notifications the server sent with a sync (issue 17): kind and parameters as they came,
/// rendered when shown, in the language the person uses then. `shown`: the app has put it on
/// screen (a local notification), so it is not shown twice.
const V4: &str = r#"
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    account_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    complaint_id TEXT NOT NULL,
    params       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    shown        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_pending ON notifications(account_id, shown);
"#;

/// Brings the schema up to date. Returns the version found, so the caller can redo what a
/// migration leaves to it.
pub fn migrate(conn: &mut Connection) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: VERSION,
        });
    }
    if found < 1 {
        let tx = conn.transaction()?;
        tx.execute_batch(V1)?;
        tx.pragma_update(None, "user_version", 1)?;
        tx.commit()?;
    }
    if found < 2 {
        let tx = conn.transaction()?;
        tx.execute_batch(V2)?;
        tx.pragma_update(None, "user_version", 2)?;
        tx.commit()?;
    }
    if found < 3 {
        let tx = conn.transaction()?;
        tx.execute_batch(V3)?;
        tx.pragma_update(None, "user_version", 3)?;
        tx.commit()?;
    }
    if found < 4 {
        let tx = conn.transaction()?;
        tx.execute_batch(V4)?;
        tx.pragma_update(None, "user_version", 4)?;
        tx.commit()?;
    }
    Ok(found)
}
