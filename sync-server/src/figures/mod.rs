//! The figures bodies are judged by, over every complaint the server holds (not one phone's
//! copy). Core computes them ([`aduan_core::figures`]); the server keeps each complaint's facts
//! in one summary row, rewritten whenever the complaint's documents change (the sync round
//! has just replayed them anyway), and answers a period from the rows received in it.
//! Complaints stored before the summary existed get their row on the first request.

pub mod http;

use aduan_core::figures::{self, FiguresReport, GroupBy};
use aduan_core::model::log::Received;
use aduan_core::model::report::Report;
use aduan_core::model::{self, DocKind};
use aduan_core::types::Role;
use aduan_core::workflow::{Deadlines, Replay};
use automerge::AutoCommit;

use crate::db::{figures as store, Account, Db, Sql};
use crate::error::ApiError;

/// Rewrites a complaint's summary row from its replayed history (inside the sync round's
/// transaction, so the row changes with the documents or not at all).
pub fn record(
    tx: &mut dyn Sql,
    report_doc: &AutoCommit,
    report: &Report,
    replay: &Replay,
    received: &Received,
    deadlines: &Deadlines,
) -> Result<(), ApiError> {
    let facts = figures::derive(
        report,
        &figures::channel_of(report_doc, report),
        replay,
        received,
        deadlines,
    );
    store::upsert(tx, &facts)
}

/// Whose figures `account` may see: the national administrator any institution's or all
/// (`None`); an institution's administrators and officers their own institution's only.
pub fn scope(account: &Account, asked: Option<&str>) -> Result<Option<String>, ApiError> {
    match account.role {
        Role::NationalAdmin => Ok(asked.map(str::to_string)),
        Role::InstitutionAdmin | Role::Officer => {
            let Some(own) = account.institution_id.as_deref() else {
                return Err(not_yours());
            };
            match asked {
                Some(other) if other != own => Err(not_yours()),
                _ => Ok(Some(own.to_string())),
            }
        }
        Role::Citizen | Role::Cadre => Err(ApiError::forbidden(
            "handlers_only",
            "The figures are for institutions' handlers and the national administrator.",
            "Angka kinerja hanya untuk petugas instansi dan admin nasional.",
        )),
    }
}

fn not_yours() -> ApiError {
    ApiError::forbidden(
        "other_institution",
        "You may see your own institution's figures only.",
        "Anda hanya dapat melihat angka kinerja instansi Anda sendiri.",
    )
}

/// What was asked, as the query string says it.
pub struct Ask<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub by: Option<&'a str>,
    pub institution: Option<&'a str>,
}

/// The figures `account` asked for, as of `now` (Unix ms).
pub fn report(
    db: &Db,
    deadlines: &Deadlines,
    account: &Account,
    ask: Ask<'_>,
    now: i64,
) -> Result<FiguresReport, ApiError> {
    let institution = scope(account, ask.institution)?;
    let by = match ask.by.filter(|b| !b.is_empty()) {
        None => None,
        Some(code) => Some(GroupBy::from_code(code).ok_or_else(|| {
            ApiError::bad_request(
                "bad_grouping",
                figures::FiguresError::UnknownGrouping.to_string(),
            )
        })?),
    };
    // Dates are days where the institution is; all institutions together, the national desk's.
    let (from, to) = figures::period_of_dates(
        ask.from,
        ask.to,
        deadlines.offset_of(institution.as_deref()),
    )
    .map_err(|e| ApiError::bad_request("bad_period", e.to_string()))?;
    backfill(db, deadlines, now)?;
    let facts = db.run(|sql| store::received_between(sql, institution.as_deref(), from, to))?;
    figures::compute(&facts, from, to, institution.as_deref(), by, now, deadlines)
        .map_err(|e| ApiError::bad_request("bad_period", e.to_string()))
}

/// Gives every complaint stored before the summary existed its row.
fn backfill(db: &Db, deadlines: &Deadlines, now: i64) -> Result<(), ApiError> {
    let missing = db.run(store::missing)?;
    for id in missing {
        db.transaction(|tx| {
            let load = |tx: &mut dyn Sql, kind| -> Result<AutoCommit, ApiError> {
                match store::snapshot(tx, &model::doc_id(&id, kind))? {
                    Some(bytes) => AutoCommit::load(&bytes)
                        .map_err(|e| ApiError::internal(format!("stored document: {e}"))),
                    None => Ok(AutoCommit::new()),
                }
            };
            let report_doc = load(tx, DocKind::Report)?;
            let log_doc = load(tx, DocKind::Log)?;
            match figures::from_docs(&report_doc, &log_doc, now, deadlines) {
                Some(facts) => store::upsert(tx, &facts),
                None => Ok(()),
            }
        })?;
    }
    Ok(())
}
