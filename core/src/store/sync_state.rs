//! The phone's side of sync, without any I/O: what to upload, and how to take in a response
//! (accepted heads, downloads, refusals, revocations). The HTTP driver in `crate::sync` only
//! moves these messages.

use std::collections::HashSet;

use automerge::ChangeHash;
use rusqlite::{params, OptionalExtension};

use super::docs::{decode_heads, encode_heads};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{self, log, DocKind};
use crate::sync::client::Session;
use crate::sync::protocol::{DocUpload, SyncResponse};

/// The secure storage's key for the session (tokens included).
const SESSION_KEY: &str = "session";

/// What one response did to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub accepted: u32,
    pub received: u32,
    pub refused: u32,
    pub revoked: u32,
    pub bytes_received: u64,
}

/// One document's upload and the heads it had when it was taken.
pub struct Outgoing {
    pub upload: DocUpload,
    pub heads: Vec<ChangeHash>,
}

/// What a UI shows about sync.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncStatus {
    pub signed_in: bool,
    pub server_url: Option<String>,
    pub last_success_at: Option<i64>,
    pub pending_documents: u64,
    pub pending_photos: u64,
    /// The last failure, in both languages; cleared by a successful sync.
    pub last_error_id: Option<String>,
    pub last_error_en: Option<String>,
}

impl Store {
    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// This install's device id, made once. Tokens are bound to it on the server.
    pub fn device_id(&mut self) -> Result<String> {
        if let Some(id) = self.meta("device_id")? {
            return Ok(id);
        }
        let id = format!("dev-{}", uuid::Uuid::new_v4().simple());
        self.set_meta("device_id", &id)?;
        Ok(id)
    }

    /// A new device id for this install, when the server says the old one belongs to another
    /// account (this store signed in before as someone else, or an anonymous start's answer
    /// was lost after the server bound the id).
    pub fn renew_device_id(&mut self) -> Result<String> {
        let id = format!("dev-{}", uuid::Uuid::new_v4().simple());
        self.set_meta("device_id", &id)?;
        Ok(id)
    }

    /// The session, from the secure storage. Unreadable there (restored on another phone,
    /// a key the system dropped) means signed out, never a half-session.
    pub fn session(&self) -> Result<Option<Session>> {
        Ok(self
            .secrets
            .get(SESSION_KEY.into())?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// Keeps the session (in the secure storage) and takes its identity as the store's.
    pub fn save_session(&mut self, session: &Session) -> Result<()> {
        let json = serde_json::to_string(session).map_err(|_| Error::Invalid {
            field: "session",
            reason: "cannot be encoded",
        })?;
        self.secrets.put(SESSION_KEY.into(), json)?;
        self.set_identity(session.identity.clone())
    }

    /// Forgets the session's tokens (the identity stays, for the work done here).
    pub fn clear_session(&mut self) -> Result<()> {
        Ok(self.secrets.delete(SESSION_KEY.into())?)
    }

    /// Stores from before the secure storage kept the session in `meta`: move it out, and
    /// leave no copy of the tokens in the file's free pages or its WAL.
    pub(crate) fn move_session_to_secrets(&self) -> Result<()> {
        let Some(json) = self.meta(SESSION_KEY)? else {
            return Ok(());
        };
        if self.secrets.get(SESSION_KEY.into())?.is_none() {
            if let Err(e) = self.secrets.put(SESSION_KEY.into(), json) {
                // Keep it where it is rather than sign the person out; next open tries again.
                ::log::warn!("session not moved to secure storage: {e}");
                return Ok(());
            }
        }
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [SESSION_KEY])?;
        self.conn.pragma_update(None, "secure_delete", "OFF")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    pub fn record_sync_success(&self) -> Result<()> {
        self.set_meta("last_sync_ok", &self.now().to_string())?;
        self.conn.execute(
            "DELETE FROM meta WHERE key IN ('last_error_id', 'last_error_en')",
            [],
        )?;
        Ok(())
    }

    pub fn record_sync_failure(&self, error: &crate::error::AduanError) -> Result<()> {
        self.set_meta("last_error_id", error.message(crate::types::Language::Id))?;
        self.set_meta("last_error_en", error.message(crate::types::Language::En))
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let session = self.session()?;
        Ok(SyncStatus {
            signed_in: session.is_some(),
            server_url: session.map(|s| s.server_url),
            last_success_at: self.meta("last_sync_ok")?.and_then(|v| v.parse().ok()),
            pending_documents: self.pending_docs()?,
            pending_photos: self.pending_photos()?,
            last_error_id: self.meta("last_error_id")?,
            last_error_en: self.meta("last_error_en")?,
        })
    }

    /// Photos the server does not have yet, thumbnails first (they make lists useful sooner):
    /// (hash, bytes, full-size hash for a thumbnail).
    pub fn pending_photo_uploads(&self) -> Result<Vec<(String, Vec<u8>, Option<String>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT sha256, data, thumb_of FROM photos WHERE uploaded = 0
             ORDER BY thumb_of IS NULL, created_at",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn mark_photo_uploaded(&self, sha256: &str) -> Result<()> {
        self.conn
            .execute("UPDATE photos SET uploaded = 1 WHERE sha256 = ?1", [sha256])?;
        Ok(())
    }

    /// Keeps a photo received from the server, after checking it is what its name says.
    pub fn store_remote_photo(
        &self,
        sha256: &str,
        bytes: &[u8],
        thumb_of: Option<&str>,
    ) -> Result<()> {
        if crate::photo::sha256_hex(bytes) != sha256 {
            return Err(Error::Invalid {
                field: "photo",
                reason: "does not match its hash",
            });
        }
        let info = crate::photo::probe(bytes, &self.photo_options.limits)?;
        self.conn.execute(
            "INSERT OR IGNORE INTO photos (sha256, data, width, height, thumb_of, created_at, uploaded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
            params![sha256, bytes, info.width, info.height, thumb_of, self.now()],
        )?;
        Ok(())
    }

    /// Thumbnails of report photos this phone does not have: (thumbnail, full-size photo).
    pub fn missing_thumbnails(&mut self) -> Result<Vec<(String, String)>> {
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM complaints WHERE photo_count > 0 AND damaged IS NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            let report_id = model::doc_id(&id, DocKind::Report);
            let photos = match self.doc_mut(&report_id) {
                Ok(Some(stored)) => crate::model::report::read(&stored.doc)
                    .map(|r| r.photos)
                    .unwrap_or_default(),
                _ => continue,
            };
            for p in photos {
                if !p.thumb_sha256.is_empty() && !self.has_photo(&p.thumb_sha256)? {
                    out.push((p.thumb_sha256, p.sha256));
                }
            }
        }
        Ok(out)
    }

    pub fn sync_cursor(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'sync_cursor'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// The round of the last response applied, acknowledged in the next request: until then
    /// the server sends that response's grants and revocations again.
    pub fn sync_ack(&self) -> Result<u64> {
        Ok(self
            .meta("sync_ack")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Forget the cursor: the next sync downloads everything this user may see again.
    pub fn reset_sync_cursor(&self) -> Result<()> {
        self.set_meta("sync_cursor", "0")
    }

    /// The changes the server does not have yet, for every document changed here, up to
    /// `max_bytes` (at least one document is always included).
    pub fn outgoing(&mut self, max_bytes: usize) -> Result<Vec<Outgoing>> {
        let pending: Vec<(String, Option<Vec<u8>>)> = self
            .conn
            .prepare("SELECT doc_id, server_heads FROM sync_docs WHERE dirty = 1 ORDER BY doc_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        let mut total = 0usize;
        for (doc_id, server_heads) in pending {
            let server_heads = server_heads
                .as_deref()
                .and_then(decode_heads)
                .unwrap_or_default();
            let stored = match self.doc_mut(&doc_id) {
                Ok(Some(stored)) => stored,
                Ok(None) => continue,
                // A damaged document is not uploaded; a resync replaces it.
                Err(Error::Damaged { .. }) => continue,
                Err(e) => return Err(e),
            };
            let known: Vec<ChangeHash> = server_heads
                .into_iter()
                .filter(|h| stored.doc.get_change_by_hash(h).is_some())
                .collect();
            let changes: Vec<Vec<u8>> = stored
                .doc
                .get_changes(&known)
                .iter()
                .map(|c| c.raw_bytes().to_vec())
                .collect();
            let heads = stored.doc.get_heads();
            let size: usize = changes.iter().map(Vec::len).sum();
            if !out.is_empty() && total + size > max_bytes {
                break;
            }
            total += size;
            if !changes.is_empty() {
                out.push(Outgoing {
                    upload: DocUpload { doc_id, changes },
                    heads,
                });
            }
        }
        Ok(out)
    }

    /// Takes in the server's answer to an upload of `sent`.
    pub fn apply_sync_response(
        &mut self,
        sent: &[Outgoing],
        resp: &SyncResponse,
    ) -> Result<Applied> {
        let mut applied = Applied::default();
        let now = self.now();
        // Refused first: the local document is replaced by the server's (which comes in the
        // downloads), after its local-only events are set aside with the reason.
        for refusal in &resp.refused {
            let Some((complaint_id, kind)) = model::parse_doc_id(&refusal.doc_id) else {
                continue;
            };
            let complaint_id = complaint_id.to_string();
            let local_events = match (kind, self.doc_mut(&refusal.doc_id)) {
                (DocKind::Log, Ok(Some(stored))) => log::read(&stored.doc),
                _ => Vec::new(),
            };
            let server_heads = self.server_heads(&refusal.doc_id)?;
            let on_server: HashSet<String> = match self.doc_mut(&refusal.doc_id) {
                Ok(Some(stored)) if !server_heads.is_empty() => stored
                    .doc
                    .fork_at(&server_heads)
                    .map(|fork| log::read(&fork).into_iter().map(|e| e.id).collect())
                    .unwrap_or_default(),
                _ => HashSet::new(),
            };
            let tx = self.conn.savepoint()?;
            let mut kept = 0;
            for event in local_events.iter().filter(|e| !on_server.contains(&e.id)) {
                tx.execute(
                    "INSERT INTO refused (complaint_id, doc_id, event, code, message_id, message_en, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        complaint_id,
                        refusal.doc_id,
                        serde_json::to_string(event).ok(),
                        refusal.code,
                        refusal.message_id,
                        refusal.message_en,
                        now
                    ],
                )?;
                kept += 1;
            }
            if kept == 0 {
                tx.execute(
                    "INSERT INTO refused (complaint_id, doc_id, event, code, message_id, message_en, at)
                     VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6)",
                    params![complaint_id, refusal.doc_id, refusal.code, refusal.message_id, refusal.message_en, now],
                )?;
            }
            tx.execute(
                "DELETE FROM doc_changes WHERE doc_id = ?1",
                [&refusal.doc_id],
            )?;
            tx.execute("DELETE FROM docs WHERE doc_id = ?1", [&refusal.doc_id])?;
            tx.execute("DELETE FROM sync_docs WHERE doc_id = ?1", [&refusal.doc_id])?;
            tx.commit()?;
            self.forget(&refusal.doc_id);
            applied.refused += 1;
        }
        let refused: HashSet<&str> = resp.refused.iter().map(|r| r.doc_id.as_str()).collect();
        for (position, out) in (0u32..).zip(sent) {
            if refused.contains(out.upload.doc_id.as_str()) || !resp.accepted.contains(&position) {
                continue;
            }
            self.mark_uploaded(&out.upload.doc_id, &out.heads)?;
            applied.accepted += 1;
        }
        // A complaint's documents are applied together, so it is stored and indexed once.
        let mut i = 0;
        while i < resp.downloads.len() {
            let complaint = model::parse_doc_id(&resp.downloads[i].doc_id).map(|(c, _)| c);
            let mut j = i + 1;
            while j < resp.downloads.len()
                && complaint.is_some()
                && model::parse_doc_id(&resp.downloads[j].doc_id).map(|(c, _)| c) == complaint
            {
                j += 1;
            }
            let group: Vec<(&str, &[u8])> = resp.downloads[i..j]
                .iter()
                .map(|d| (d.doc_id.as_str(), d.data.as_slice()))
                .collect();
            applied.received += self.apply_remote_complaint(&group)? as u32;
            for download in &resp.downloads[i..j] {
                applied.bytes_received += download.data.len() as u64;
                let heads: Vec<ChangeHash> =
                    download.heads.iter().map(|h| ChangeHash(*h)).collect();
                self.merge_server_heads(&download.doc_id, &heads)?;
            }
            i = j;
        }
        self.purge_all(&resp.revoked)?;
        applied.revoked += resp.revoked.len() as u32;
        for complaint_id in &resp.owned {
            self.conn.execute(
                "UPDATE complaints SET mine = 1 WHERE id = ?1",
                [complaint_id],
            )?;
        }
        self.set_meta("sync_cursor", &resp.cursor.to_string())?;
        self.set_meta("sync_ack", &resp.round.to_string())?;
        Ok(applied)
    }

    /// The heads the server is known to have of a document (none: it never received it).
    pub(crate) fn server_heads_of(&self, doc_id: &str) -> Result<Vec<ChangeHash>> {
        self.server_heads(doc_id)
    }

    fn server_heads(&self, doc_id: &str) -> Result<Vec<ChangeHash>> {
        Ok(self
            .conn
            .query_row(
                "SELECT server_heads FROM sync_docs WHERE doc_id = ?1",
                [doc_id],
                |r| r.get::<_, Option<Vec<u8>>>(0),
            )
            .optional()?
            .flatten()
            .as_deref()
            .and_then(decode_heads)
            .unwrap_or_default())
    }

    /// The server now has `heads`: the document is clean unless it changed since.
    fn mark_uploaded(&mut self, doc_id: &str, heads: &[ChangeHash]) -> Result<()> {
        let current = match self.doc_mut(doc_id)? {
            Some(stored) => stored.doc.get_heads(),
            None => return Ok(()),
        };
        let mut a = current.clone();
        a.sort();
        let mut b = heads.to_vec();
        b.sort();
        self.conn.execute(
            "INSERT INTO sync_docs (doc_id, server_heads, dirty) VALUES (?1, ?2, ?3)
             ON CONFLICT(doc_id) DO UPDATE SET server_heads = excluded.server_heads, dirty = excluded.dirty",
            params![doc_id, encode_heads(heads), a != b],
        )?;
        Ok(())
    }

    /// After a download the server has what it sent; if the local document has nothing else,
    /// it is in step with the server.
    fn merge_server_heads(&mut self, doc_id: &str, heads: &[ChangeHash]) -> Result<()> {
        let Some(stored) = self.doc_mut(doc_id)? else {
            return Ok(());
        };
        let mut local = stored.doc.get_heads();
        local.sort();
        let mut server = heads.to_vec();
        server.sort();
        let dirty: Option<bool> = self
            .conn
            .query_row(
                "SELECT dirty FROM sync_docs WHERE doc_id = ?1",
                [doc_id],
                |r| r.get(0),
            )
            .optional()?;
        let still_dirty = dirty.unwrap_or(false) && local != server;
        self.conn.execute(
            "INSERT INTO sync_docs (doc_id, server_heads, dirty) VALUES (?1, ?2, ?3)
             ON CONFLICT(doc_id) DO UPDATE SET server_heads = excluded.server_heads, dirty = excluded.dirty",
            params![doc_id, encode_heads(heads), still_dirty],
        )?;
        Ok(())
    }

    /// Removes every trace of a complaint this user may no longer see.
    pub fn purge(&mut self, complaint_id: &str) -> Result<()> {
        self.purge_all(std::slice::from_ref(&complaint_id.to_string()))
    }

    /// Removes every trace of complaints this user may no longer see (an officer moved to
    /// another institution loses the old one's): their documents, index rows, search entries,
    /// sync records and the photos they show, zeroed on disk. A photo stays when a complaint
    /// still here shows it, or when it belongs to work the server refused (the user's own,
    /// kept with its reason).
    pub fn purge_all(&mut self, complaint_ids: &[String]) -> Result<()> {
        if complaint_ids.is_empty() {
            return Ok(());
        }
        let mut photos = std::collections::BTreeSet::new();
        for id in complaint_ids {
            photos.extend(self.photos_shown_by(id));
        }
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let result = self.purge_rows(complaint_ids, photos);
        self.conn.pragma_update(None, "secure_delete", "OFF")?;
        result
    }

    fn purge_rows(
        &mut self,
        complaint_ids: &[String],
        mut photos: std::collections::BTreeSet<String>,
    ) -> Result<()> {
        let tx = self.conn.savepoint()?;
        for complaint_id in complaint_ids {
            let num: Option<i64> = tx
                .query_row(
                    "SELECT num FROM complaints WHERE id = ?1",
                    [complaint_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(num) = num {
                tx.execute("DELETE FROM complaints_fts WHERE rowid = ?1", [num])?;
            }
            tx.execute("DELETE FROM complaints WHERE id = ?1", [complaint_id])?;
            for kind in [DocKind::Report, DocKind::Log] {
                let doc_id = model::doc_id(complaint_id, kind);
                tx.execute("DELETE FROM doc_changes WHERE doc_id = ?1", [&doc_id])?;
                tx.execute("DELETE FROM docs WHERE doc_id = ?1", [&doc_id])?;
                tx.execute("DELETE FROM sync_docs WHERE doc_id = ?1", [&doc_id])?;
            }
        }
        // The refused work stays: it is the user's, and shown with its reason.
        tx.commit()?;
        for complaint_id in complaint_ids {
            for kind in [DocKind::Report, DocKind::Log] {
                self.forget(&model::doc_id(complaint_id, kind));
            }
        }
        if photos.is_empty() {
            return Ok(());
        }
        for event in self.refused(None)?.into_iter().filter_map(|r| r.event) {
            for sha in event.photos {
                photos.remove(&sha);
            }
        }
        let remaining: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT complaint_id FROM docs")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in remaining {
            if photos.is_empty() {
                break;
            }
            for sha in self.photos_shown_by(&id) {
                photos.remove(&sha);
            }
        }
        let tx = self.conn.savepoint()?;
        for sha in &photos {
            tx.execute(
                "DELETE FROM photos WHERE sha256 = ?1 OR thumb_of = ?1",
                [sha],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The photos a complaint's documents show (full size and thumbnails), read from disk
    /// without filling the cache; a damaged document shows none.
    fn photos_shown_by(&self, complaint_id: &str) -> Vec<String> {
        let mut out = Vec::new();
        let load = |kind| {
            super::docs::load(&self.conn, &model::doc_id(complaint_id, kind))
                .ok()
                .flatten()
        };
        if let Some(stored) = load(DocKind::Report) {
            for p in crate::model::report::read(&stored.doc)
                .map(|r| r.photos)
                .unwrap_or_default()
            {
                out.push(p.sha256);
                out.push(p.thumb_sha256);
            }
        }
        if let Some(stored) = load(DocKind::Log) {
            for event in log::read(&stored.doc) {
                out.extend(event.photos);
            }
        }
        out.retain(|s| !s.is_empty());
        out
    }
}
