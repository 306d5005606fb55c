//! The figures bodies are judged by, over every complaint the server holds (not one phone's
//! copy). Core computes them ([`aduan_core::figures`]); the server keeps each complaint's facts
//! in one summary row, rewritten whenever the complaint's documents change (the sync round
//! has just replayed them anyway), and answers a period from the rows received in it.
//! Complaints stored before the summary existed get their row when the server starts.

use aduan_core::figures::{self, FiguresReport, GroupBy};
use aduan_core::model::log::Received;
use aduan_core::model::report::Report;
use aduan_core::model::{self, DocKind};
use aduan_core::types::Role;
use aduan_core::workflow::{Deadlines, Replay};
use automerge::AutoCommit;

use crate::error::ApiError;
use crate::storage::{figures as store, Account, Db, Sql};

/// Rewrites a complaint's summary row from its replayed history (inside the sync round's
/// transaction, so the row changes with the documents or not at all).
pub fn record(
    tx: &mut dyn Sql,
    report: &Report,
    replay: &Replay,
    received: &Received,
    deadlines: &Deadlines,
) -> Result<(), ApiError> {
    let facts = figures::derive(
        report,
        &figures::channel_of(report),
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
    let period = Period {
        from: ask.from,
        to: ask.to,
        by: ask.by,
    };
    let mut reports = reports(db, deadlines, account, ask.institution, &[period], now)?;
    Ok(reports.remove(0))
}

/// One period asked for (dates as the query string says them) and its grouping.
pub struct Period<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub by: Option<&'a str>,
}

/// The figures of several periods of the same institution(s) (a year and each of its
/// months), each as [`report`] gives it, from one read of the summary rows they span.
pub fn reports(
    db: &Db,
    deadlines: &Deadlines,
    account: &Account,
    institution: Option<&str>,
    asked: &[Period<'_>],
    now: i64,
) -> Result<Vec<FiguresReport>, ApiError> {
    let institution = scope(account, institution)?;
    let mut periods = Vec::with_capacity(asked.len());
    for ask in asked {
        let by = match ask.by.filter(|b| !b.is_empty()) {
            None => None,
            Some(code) => Some(GroupBy::from_code(code).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_grouping",
                    figures::FiguresError::UnknownGrouping.to_string(),
                )
            })?),
        };
        // Dates are days where the institution is; all institutions together, the national
        // desk's.
        let (from, to) = figures::period_of_dates(
            ask.from,
            ask.to,
            deadlines.offset_of(institution.as_deref()),
        )
        .map_err(|e| ApiError::bad_request("bad_period", e.to_string()))?;
        periods.push((from, to, by));
    }
    let (Some(first), Some(last)) = (
        periods.iter().map(|p| p.0).min(),
        periods.iter().map(|p| p.1).max(),
    ) else {
        return Ok(Vec::new());
    };
    let facts = db.run(|sql| store::received_between(sql, institution.as_deref(), first, last))?;
    periods
        .into_iter()
        .map(|(from, to, by)| {
            figures::compute(&facts, from, to, institution.as_deref(), by, now, deadlines)
                .map_err(|e| ApiError::bad_request("bad_period", e.to_string()))
        })
        .collect()
}

/// Gives every complaint stored before the summary existed its row (at start: the admission
/// writes it for every complaint since). How many it wrote.
pub fn backfill(db: &Db, deadlines: &Deadlines, now: i64) -> Result<usize, ApiError> {
    let mut written = 0;
    for id in db.run(store::missing)? {
        written += db.transaction(|tx| {
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
                Some(facts) => store::upsert(tx, &facts).map(|()| 1),
                // Not a complaint's documents: nothing to count.
                None => Ok(0),
            }
        })?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fixtures::dispatched;

    fn account(role: Role, institution: Option<&str>) -> Account {
        Account {
            id: "someone".into(),
            display_name: "Someone".into(),
            role,
            institution_id: institution.map(str::to_string),
            unit_id: None,
            disabled: false,
            area: None,
        }
    }

    #[test]
    fn complaints_stored_before_the_summary_are_counted_once_filled_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        // 2 June 2025, 10:00 WIB.
        let at = 1_748_833_200_000;
        // As a server of the previous version stored it: its documents and its row in
        // `complaints`, no summary row.
        dispatched(
            &db,
            "00000000-0000-4000-8000-000000000001",
            at,
            "dispatched",
        );
        let admin = account(Role::InstitutionAdmin, Some("kota-makassar"));
        let ask = || Ask {
            from: "2025-06-01",
            to: "2025-06-30",
            by: Some("channel"),
            institution: None,
        };
        let f = report(&db, &Deadlines::default(), &admin, ask(), at + 86_400_000).unwrap();
        assert_eq!(f.totals.received, 0, "not in the summary yet");
        assert_eq!(backfill(&db, &Deadlines::default(), at).unwrap(), 1);
        assert_eq!(backfill(&db, &Deadlines::default(), at).unwrap(), 0);
        let f = report(&db, &Deadlines::default(), &admin, ask(), at + 86_400_000).unwrap();
        assert_eq!((f.totals.received, f.totals.not_followed_up), (1, 1));
        assert_eq!(f.groups[0].key, "app");
        assert!(db.run(store::missing).unwrap().is_empty());
    }

    #[test]
    fn handlers_see_their_own_institution_only_and_citizens_none() {
        let officer = account(Role::Officer, Some("kota-makassar"));
        assert_eq!(
            scope(&officer, None).unwrap().as_deref(),
            Some("kota-makassar")
        );
        assert_eq!(
            scope(&officer, Some("kota-samarinda")).unwrap_err().code,
            "other_institution"
        );
        let national = account(Role::NationalAdmin, None);
        assert_eq!(scope(&national, None).unwrap(), None);
        assert_eq!(
            scope(&national, Some("kota-samarinda")).unwrap().as_deref(),
            Some("kota-samarinda")
        );
        for role in [Role::Citizen, Role::Cadre] {
            assert!(scope(&account(role, Some("kota-makassar")), None).is_err());
        }
    }
}
