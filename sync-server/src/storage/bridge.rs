//! Queries for bridging (migration 11): which complaint each imported record of another
//! system became (`bridged_imports`, keyed by that system's name and reference), and the
//! complaints an export selects by what the `complaints` row knows.

use crate::error::ApiError;
use crate::storage::{Sql, Value};
use crate::vals;

/// The complaint an earlier import made of `system`'s `reference`.
pub fn imported(
    sql: &mut dyn Sql,
    system: &str,
    reference: &str,
) -> Result<Option<String>, ApiError> {
    sql.query_opt(
        "SELECT complaint_id FROM bridged_imports WHERE system = $1 AND reference = $2",
        vals![system, reference],
    )?
    .map(|r| r.text(0))
    .transpose()
}

pub fn record_import(
    sql: &mut dyn Sql,
    system: &str,
    reference: &str,
    complaint_id: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO bridged_imports (system, reference, complaint_id, imported_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (system, reference) DO NOTHING",
        vals![system, reference, complaint_id, now_ms],
    )?;
    Ok(())
}

/// A complaint as its row knows it.
pub struct Row {
    pub id: String,
    pub owner: String,
    pub institution: Option<String>,
    pub anonymous: bool,
    pub confidential: bool,
    pub status: String,
}

/// Complaints with `status` (a stored code) and held by `institution`, in id order, at most
/// `limit`.
pub fn complaints(
    sql: &mut dyn Sql,
    status: Option<&str>,
    institution: Option<&str>,
    limit: u32,
) -> Result<Vec<Row>, ApiError> {
    let mut params: Vec<Value> = Vec::new();
    let mut filters = vec!["1 = 1".to_string()];
    if let Some(s) = status {
        params.push(s.into());
        filters.push(format!("status = ${}", params.len()));
    }
    if let Some(i) = institution {
        params.push(i.into());
        filters.push(format!("institution_id = ${}", params.len()));
    }
    params.push(i64::from(limit).into());
    let l = params.len();
    sql.query(
        &format!(
            "SELECT id, owner_account, institution_id, anonymous, confidential, status FROM complaints WHERE {}
             ORDER BY id LIMIT ${l}",
            filters.join(" AND ")
        ),
        &params,
    )?
    .iter()
    .map(|r| {
        Ok(Row {
            id: r.text(0)?,
            owner: r.text(1)?,
            institution: r.opt_text(2)?,
            anonymous: r.bool(3)?,
            confidential: r.bool(4)?,
            status: r.text(5)?,
        })
    })
    .collect()
}
