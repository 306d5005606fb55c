//! Leaving a phone: what would be lost by signing out now, and removing the account's data so
//! the next person to sign in on this phone finds nothing of it.

use std::collections::BTreeSet;

use super::Store;
use crate::error::Result;
use crate::model::{self, DocKind};

/// Work on this phone the server does not have yet: signing out now would lose it.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct UnsyncedWork {
    /// Complaints with changes not yet uploaded (new ones included).
    pub complaints: u64,
    /// Of those, complaints the server has never received at all.
    pub new_complaints: u64,
    /// Changes (edits, workflow steps, replies) not yet uploaded.
    pub changes: u64,
    /// Photos (full size) not yet uploaded.
    pub photos: u64,
    /// Work the server refused, kept here with its reason; it is lost too.
    pub refused: u64,
}

impl UnsyncedWork {
    /// Whether signing out loses nothing the server does not already have.
    pub fn is_empty(&self) -> bool {
        self.complaints == 0 && self.changes == 0 && self.photos == 0 && self.refused == 0
    }
}

impl Store {
    /// What signing out now would lose.
    pub fn unsynced_work(&mut self) -> Result<UnsyncedWork> {
        let outgoing = self.outgoing(usize::MAX)?;
        let mut complaints = BTreeSet::new();
        let mut new_complaints = 0;
        let mut changes = 0;
        for out in &outgoing {
            let Some((complaint, kind)) = model::parse_doc_id(&out.upload.doc_id) else {
                continue;
            };
            complaints.insert(complaint.to_string());
            changes += out.upload.changes.len() as u64;
            if kind == DocKind::Report && self.server_heads_of(&out.upload.doc_id)?.is_empty() {
                new_complaints += 1;
            }
        }
        Ok(UnsyncedWork {
            complaints: complaints.len() as u64,
            new_complaints,
            changes,
            photos: self.pending_photos()?,
            refused: self.refused(None)?.len() as u64,
        })
    }

    /// Removes the account's data from this phone: the session in the secure storage, every
    /// document, the index and search entries, photos, refused work, sync state, the identity
    /// and the device id (the next account gets a device of its own, not linked to this one).
    /// Deleted pages are zeroed and the write-ahead log emptied, so nothing stays readable in
    /// the file. The store stays open and usable for the next sign-in.
    pub fn remove_account_data(&mut self) -> Result<()> {
        // The session first: if the secure storage refuses, nothing else has changed and the
        // person is still signed in with all their data.
        self.clear_session()?;
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let wiped = self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM doc_changes;
             DELETE FROM docs;
             DELETE FROM sync_docs;
             DELETE FROM complaints;
             INSERT INTO complaints_fts(complaints_fts) VALUES('delete-all');
             DELETE FROM refused;
             DELETE FROM photos;
             DELETE FROM meta;
             COMMIT;",
        );
        if wiped.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.conn.pragma_update(None, "secure_delete", "OFF")?;
        wiped?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.identity = None;
        self.cache.clear();
        self.cache_order.clear();
        self.compaction_due.clear();
        // Actors are never reused across sessions; a new account must not share this one's.
        rand::Rng::fill(&mut rand::rng(), &mut self.session_secret);
        Ok(())
    }
}
