//! Automerge documents in SQLite: a snapshot plus the incremental changes written since, with
//! the expected heads checked on every load. A document that does not load whole, or loads to
//! other heads than were recorded, is reported as damaged; it never comes back half-loaded.

use automerge::{AutoCommit, ChangeHash};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

/// Compact when this many incremental changes have piled up on a document.
pub const COMPACT_AFTER_CHANGES: i64 = 32;

pub fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    let mut sorted = heads.to_vec();
    sorted.sort();
    sorted.iter().flat_map(|h| h.0).collect()
}

pub fn decode_heads(bytes: &[u8]) -> Option<Vec<ChangeHash>> {
    if bytes.len() % 32 != 0 {
        return None;
    }
    Some(
        bytes
            .chunks_exact(32)
            .map(|c| {
                let mut h = [0u8; 32];
                h.copy_from_slice(c);
                ChangeHash(h)
            })
            .collect(),
    )
}

fn damaged(doc_id: &str, reason: impl Into<String>) -> Error {
    Error::Damaged {
        doc_id: doc_id.to_string(),
        reason: reason.into(),
    }
}

/// A document and the heads already written to the store (Automerge's own save cursor is not
/// restored by a load, so the store keeps it).
pub struct StoredDoc {
    pub doc: AutoCommit,
    pub saved: Vec<ChangeHash>,
}

impl StoredDoc {
    pub fn new(doc: AutoCommit) -> Self {
        StoredDoc {
            doc,
            saved: Vec::new(),
        }
    }

    pub fn has_unsaved(&mut self) -> bool {
        let mut heads = self.doc.get_heads();
        heads.sort();
        let mut saved = self.saved.clone();
        saved.sort();
        heads != saved
    }
}

/// Loads a document; `Ok(None)` when the store has no such document.
pub fn load(conn: &Connection, doc_id: &str) -> Result<Option<StoredDoc>> {
    let row: Option<(Option<Vec<u8>>, Vec<u8>)> = conn
        .query_row(
            "SELECT snapshot, heads FROM docs WHERE doc_id = ?1",
            [doc_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((snapshot, heads)) = row else {
        return Ok(None);
    };
    let expected = decode_heads(&heads).ok_or_else(|| damaged(doc_id, "bad heads record"))?;
    let mut doc = match snapshot {
        Some(bytes) => AutoCommit::load(&bytes)
            .map_err(|e| damaged(doc_id, format!("snapshot does not load: {e}")))?,
        None => AutoCommit::new(),
    };
    let mut stmt =
        conn.prepare_cached("SELECT data FROM doc_changes WHERE doc_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([doc_id])?;
    while let Some(row) = rows.next()? {
        let bytes: Vec<u8> = row.get(0)?;
        doc.load_incremental(&bytes)
            .map_err(|e| damaged(doc_id, format!("change does not load: {e}")))?;
    }
    let mut actual = doc.get_heads();
    actual.sort();
    if actual != expected {
        return Err(damaged(doc_id, "heads differ from the recorded heads"));
    }
    Ok(Some(StoredDoc { doc, saved: actual }))
}

/// Appends what the document gained since its last save, inside the caller's transaction.
/// Returns the number of incremental changes the document now has.
/// The caller marks `stored.saved` once its transaction commits (see [`mark_saved`]).
pub fn append(
    conn: &Connection,
    doc_id: &str,
    complaint_id: &str,
    stored: &mut StoredDoc,
) -> Result<i64> {
    let bytes = stored.doc.save_after(&stored.saved);
    if bytes.is_empty() {
        return Ok(0);
    }
    let heads = encode_heads(&stored.doc.get_heads());
    conn.prepare_cached(
        "INSERT INTO docs (doc_id, complaint_id, snapshot, heads, change_count, change_bytes)
         VALUES (?1, ?2, NULL, ?3, 1, ?4)
         ON CONFLICT(doc_id) DO UPDATE SET heads = excluded.heads,
             change_count = change_count + 1, change_bytes = change_bytes + excluded.change_bytes",
    )?
    .execute(params![doc_id, complaint_id, heads, bytes.len() as i64])?;
    conn.prepare_cached(
        "INSERT INTO doc_changes (doc_id, seq, data)
         VALUES (?1, COALESCE((SELECT MAX(seq) FROM doc_changes WHERE doc_id = ?1), 0) + 1, ?2)",
    )?
    .execute(params![doc_id, bytes])?;
    let count: i64 = conn
        .prepare_cached("SELECT change_count FROM docs WHERE doc_id = ?1")?
        .query_row([doc_id], |r| r.get(0))?;
    Ok(count)
}

/// After the transaction that wrote it has committed.
pub fn mark_saved(stored: &mut StoredDoc) {
    stored.saved = stored.doc.get_heads();
}

/// Replaces a document's snapshot and changes by one fresh snapshot.
pub fn compact(conn: &Connection, doc_id: &str, stored: &mut StoredDoc) -> Result<()> {
    let snapshot = stored.doc.save();
    let heads = encode_heads(&stored.doc.get_heads());
    conn.prepare_cached(
        "UPDATE docs SET snapshot = ?2, heads = ?3, change_count = 0, change_bytes = 0
         WHERE doc_id = ?1",
    )?
    .execute(params![doc_id, snapshot, heads])?;
    conn.prepare_cached("DELETE FROM doc_changes WHERE doc_id = ?1")?
        .execute([doc_id])?;
    Ok(())
}

/// Documents with at least `min_changes` incremental changes, most first.
pub fn needing_compaction(conn: &Connection, min_changes: i64, limit: u32) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT doc_id FROM docs WHERE change_count >= ?1 ORDER BY change_count DESC LIMIT ?2",
    )?;
    let ids = stmt
        .query_map(params![min_changes, limit], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}
