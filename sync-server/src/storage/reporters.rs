//! Queries for the reporter's contact details (table `reporter_contacts`, migration 7): kept
//! apart from the documents and the change log, so deleting a row forgets them (no copy stays
//! in a change anyone can sync).

use aduan_core::model::reporter::ReporterContact;

use crate::error::ApiError;
use crate::storage::Sql;
use crate::vals;

/// What decides who may know a complaint's reporter.
pub struct Holding {
    pub owner: String,
    /// The institution that holds it; none while the national desk verifies it.
    pub institution: Option<String>,
    pub anonymous: bool,
}

pub fn holding(sql: &mut dyn Sql, complaint_id: &str) -> Result<Option<Holding>, ApiError> {
    match sql.query_opt(
        "SELECT owner_account, institution_id, anonymous FROM complaints WHERE id = $1",
        vals![complaint_id],
    )? {
        Some(r) => Ok(Some(Holding {
            owner: r.text(0)?,
            institution: r.opt_text(1)?,
            anonymous: r.bool(2)?,
        })),
        None => Ok(None),
    }
}

pub fn put(
    sql: &mut dyn Sql,
    complaint_id: &str,
    c: &ReporterContact,
    now_ms: i64,
) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO reporter_contacts (complaint_id, name, phone, email, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (complaint_id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
             email = excluded.email, updated_at = excluded.updated_at",
        vals![complaint_id, &c.name, &c.phone, &c.email, now_ms],
    )?;
    Ok(())
}

pub fn get(sql: &mut dyn Sql, complaint_id: &str) -> Result<Option<ReporterContact>, ApiError> {
    match sql.query_opt(
        "SELECT name, phone, email FROM reporter_contacts WHERE complaint_id = $1",
        vals![complaint_id],
    )? {
        Some(r) => Ok(Some(ReporterContact {
            name: r.text(0)?,
            phone: r.text(1)?,
            email: r.text(2)?,
        })),
        None => Ok(None),
    }
}

/// Returns whether there was anything to forget.
pub fn delete(sql: &mut dyn Sql, complaint_id: &str) -> Result<bool, ApiError> {
    Ok(sql.execute(
        "DELETE FROM reporter_contacts WHERE complaint_id = $1",
        vals![complaint_id],
    )? > 0)
}
