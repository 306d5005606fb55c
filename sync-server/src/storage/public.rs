//! Storage for the public view: which complaints are public and where and what they are
//! about (`public_complaints`, kept by every sync round that changes a complaint), so a page
//! of an area's or a category's public reports is one indexed query. What the public sees of
//! each is built by core from the documents (`aduan_core::api::public`).

use aduan_core::model::report::Report;
use aduan_core::model::{self, DocKind};
use automerge::AutoCommit;

use crate::error::ApiError;
use crate::storage::{Sql, Value};
use crate::vals;

/// Keeps a complaint's public row in step with its documents: there while it is not
/// confidential, gone as soon as it is.
pub fn index(
    sql: &mut dyn Sql,
    complaint_id: &str,
    report: &Report,
    confidential: bool,
) -> Result<(), ApiError> {
    if confidential {
        sql.execute(
            "DELETE FROM public_complaints WHERE complaint_id = $1",
            vals![complaint_id],
        )?;
        return Ok(());
    }
    let l = &report.location;
    sql.execute(
        "INSERT INTO public_complaints (complaint_id, category, province, city, kecamatan, kelurahan, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (complaint_id) DO UPDATE SET category = excluded.category,
           province = excluded.province, city = excluded.city, kecamatan = excluded.kecamatan,
           kelurahan = excluded.kelurahan, created_at = excluded.created_at",
        vals![
            complaint_id,
            &report.category,
            lower(&l.province),
            lower(&l.city),
            lower(&l.kecamatan),
            lower(&l.kelurahan),
            report.created_at
        ],
    )?;
    Ok(())
}

/// Areas match whatever case they were typed in.
pub fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The complaint a tracking id names, and whether it is confidential.
pub fn by_tracking_id(
    sql: &mut dyn Sql,
    tracking_id: &str,
) -> Result<Option<(String, bool)>, ApiError> {
    sql.query_opt(
        "SELECT id, confidential FROM complaints WHERE tracking_id = $1",
        vals![tracking_id],
    )?
    .map(|r| Ok((r.text(0)?, r.bool(1)?)))
    .transpose()
}

/// Public complaints newest first, in `area` (a kelurahan, kecamatan, city or province,
/// lower-cased) and among `categories`, `limit` of them after `offset`.
pub fn page(
    sql: &mut dyn Sql,
    area: Option<&str>,
    categories: Option<&[String]>,
    offset: u32,
    limit: u32,
) -> Result<Vec<String>, ApiError> {
    let mut params: Vec<Value> = Vec::new();
    let mut filters = vec!["c.confidential = FALSE".to_string()];
    if let Some(area) = area {
        params.push(area.into());
        let n = params.len();
        filters.push(format!(
            "(p.kelurahan = ${n} OR p.kecamatan = ${n} OR p.city = ${n} OR p.province = ${n})"
        ));
    }
    if let Some(categories) = categories {
        let mut marks = Vec::new();
        for c in categories {
            params.push(c.into());
            marks.push(format!("${}", params.len()));
        }
        if marks.is_empty() {
            return Ok(Vec::new());
        }
        filters.push(format!("p.category IN ({})", marks.join(", ")));
    }
    page_where(sql, &filters, params, offset, limit)
}

/// Public complaints (`p`, joined with `complaints` as `c`) meeting every one of `filters`,
/// newest first, `limit` of them after `offset`; `params` are the filters' own.
pub fn page_where(
    sql: &mut dyn Sql,
    filters: &[String],
    mut params: Vec<Value>,
    offset: u32,
    limit: u32,
) -> Result<Vec<String>, ApiError> {
    params.push(i64::from(limit).into());
    let l = params.len();
    params.push(i64::from(offset).into());
    let o = params.len();
    let rows = sql.query(
        &format!(
            "SELECT p.complaint_id FROM public_complaints p JOIN complaints c ON c.id = p.complaint_id
             WHERE {} ORDER BY p.created_at DESC, p.complaint_id LIMIT ${l} OFFSET ${o}",
            filters.join(" AND ")
        ),
        &params,
    )?;
    rows.iter().map(|r| r.text(0)).collect()
}

/// A complaint's stored documents: the report (none if it never arrived) and the log.
pub fn documents(
    sql: &mut dyn Sql,
    complaint_id: &str,
) -> Result<(Option<AutoCommit>, Option<AutoCommit>), ApiError> {
    let mut load = |kind| -> Result<Option<AutoCommit>, ApiError> {
        let doc_id = model::doc_id(complaint_id, kind);
        match sql.query_opt(
            "SELECT snapshot FROM docs WHERE doc_id = $1",
            vals![&doc_id],
        )? {
            Some(r) => AutoCommit::load(&r.blob(0)?)
                .map(Some)
                .map_err(|e| ApiError::internal(format!("stored document {doc_id}: {e}"))),
            None => Ok(None),
        }
    };
    Ok((load(DocKind::Report)?, load(DocKind::Log)?))
}

/// Complaints stored before the public index existed (or while it missed them).
pub fn unindexed(sql: &mut dyn Sql) -> Result<Vec<String>, ApiError> {
    let rows = sql.query(
        "SELECT c.id FROM complaints c WHERE c.confidential = FALSE
           AND NOT EXISTS (SELECT 1 FROM public_complaints p WHERE p.complaint_id = c.id)",
        &[],
    )?;
    rows.iter().map(|r| r.text(0)).collect()
}
