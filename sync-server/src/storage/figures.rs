//! Storage of the figures' summary: one row per complaint with its [`ComplaintFacts`] packed
//! by postcard, and the two columns the figures select by (institution, when it received the
//! complaint) indexed. A period's figures read only that period's rows, never a document.
//! Postcard does not describe itself: a change to `ComplaintFacts` needs a migration that
//! empties the table, which the start's backfill fills again.

use aduan_core::figures::ComplaintFacts;

use crate::error::ApiError;
use crate::storage::Sql;
use crate::vals;

pub fn upsert(sql: &mut dyn Sql, facts: &ComplaintFacts) -> Result<(), ApiError> {
    let packed = postcard::to_stdvec(facts).map_err(ApiError::internal)?;
    sql.execute(
        "INSERT INTO complaint_figures (complaint_id, institution_id, received_at, packed)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (complaint_id) DO UPDATE SET institution_id = excluded.institution_id,
            received_at = excluded.received_at, packed = excluded.packed",
        vals![
            &facts.complaint_id,
            facts.institution.as_deref(),
            facts.received_at,
            packed
        ],
    )?;
    Ok(())
}

/// The facts of complaints received in `[from, to)`, by `institution` when given.
pub fn received_between(
    sql: &mut dyn Sql,
    institution: Option<&str>,
    from: i64,
    to: i64,
) -> Result<Vec<ComplaintFacts>, ApiError> {
    let rows = match institution {
        Some(i) => sql.query(
            "SELECT packed FROM complaint_figures
             WHERE institution_id = $1 AND received_at >= $2 AND received_at < $3",
            vals![i, from, to],
        )?,
        None => sql.query(
            "SELECT packed FROM complaint_figures WHERE received_at >= $1 AND received_at < $2",
            vals![from, to],
        )?,
    };
    rows.iter()
        .map(|r| {
            postcard::from_bytes(&r.blob(0)?)
                .map_err(|e| ApiError::internal(format!("stored figures: {e}")))
        })
        .collect()
}

/// Complaints stored before the summary existed (or whose row is missing).
pub fn missing(sql: &mut dyn Sql) -> Result<Vec<String>, ApiError> {
    sql.query(
        "SELECT c.id FROM complaints c
         LEFT JOIN complaint_figures f ON f.complaint_id = c.id
         WHERE f.complaint_id IS NULL",
        &[],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

pub fn snapshot(sql: &mut dyn Sql, doc_id: &str) -> Result<Option<Vec<u8>>, ApiError> {
    sql.query_opt("SELECT snapshot FROM docs WHERE doc_id = $1", vals![doc_id])?
        .map(|r| r.blob(0))
        .transpose()
}
