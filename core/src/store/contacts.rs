//! The reporter's contact details on the phone that took them (see
//! [`crate::model::reporter`]): one row per complaint, apart from the documents, so they never
//! sync to other phones. The server learns them through their own request.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::reporter::ReporterContact;

/// Keeps `contact` for the complaint, to be sent to the server.
pub fn put(conn: &Connection, complaint_id: &str, contact: &ReporterContact) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO reporter_contacts (complaint_id, name, phone, email, state)
         VALUES (?1, ?2, ?3, ?4, 'pending')
         ON CONFLICT(complaint_id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
             email = excluded.email, state = 'pending'",
    )?
    .execute(params![
        complaint_id,
        contact.name,
        contact.phone,
        contact.email
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, complaint_id: &str) -> Result<Option<ReporterContact>> {
    Ok(conn
        .prepare_cached(
            "SELECT name, phone, email FROM reporter_contacts
             WHERE complaint_id = ?1 AND state <> 'remove'",
        )?
        .query_row([complaint_id], |r| {
            Ok(ReporterContact {
                name: r.get(0)?,
                phone: r.get(1)?,
                email: r.get(2)?,
            })
        })
        .optional()?)
}

/// Blanks the details here at once; the row stays until the server has forgotten them too.
/// Returns whether there was anything to remove.
pub fn remove(conn: &Connection, complaint_id: &str) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE reporter_contacts SET name = '', phone = '', email = '', state = 'remove'
             WHERE complaint_id = ?1 AND state <> 'remove'",
        )?
        .execute([complaint_id])?;
    Ok(changed > 0)
}

/// What the server still has to learn or forget, for complaints the server already has (the
/// report document is not waiting to be sent): `(complaint, Some(details))` to send,
/// `(complaint, None)` to remove.
pub fn pending(conn: &Connection) -> Result<Vec<(String, Option<ReporterContact>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.complaint_id, c.state, c.name, c.phone, c.email FROM reporter_contacts c
         WHERE c.state IN ('pending', 'remove')
           AND NOT EXISTS (SELECT 1 FROM sync_docs s
                           WHERE s.doc_id = c.complaint_id || '/report' AND s.dirty = 1)
         ORDER BY c.complaint_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let state: String = r.get(1)?;
            let contact = (state == "pending")
                .then(|| -> rusqlite::Result<ReporterContact> {
                    Ok(ReporterContact {
                        name: r.get(2)?,
                        phone: r.get(3)?,
                        email: r.get(4)?,
                    })
                })
                .transpose()?;
            Ok((r.get(0)?, contact))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The server has what was pending (or has forgotten what was to be removed).
pub fn mark_sent(conn: &Connection, complaint_id: &str, removed: bool) -> Result<()> {
    if removed {
        conn.prepare_cached(
            "DELETE FROM reporter_contacts WHERE complaint_id = ?1 AND state = 'remove'",
        )?
        .execute([complaint_id])?;
    } else {
        conn.prepare_cached(
            "UPDATE reporter_contacts SET state = 'sent' WHERE complaint_id = ?1 AND state = 'pending'",
        )?
        .execute([complaint_id])?;
    }
    Ok(())
}

/// Forgets the row whatever its state (the server holds nothing of it).
pub fn drop(conn: &Connection, complaint_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM reporter_contacts WHERE complaint_id = ?1")?
        .execute([complaint_id])?;
    Ok(())
}
