//! Public reports and tracking without an account: a complaint's public view by its tracking
//! id, and pages of public complaints by area and category. Core builds every view from the
//! documents, so the server and a phone show the same. A confidential complaint is answered
//! exactly as an unknown tracking id, so the answer does not tell that it exists.

use std::sync::OnceLock;

use aduan_core::api::public::{self, PublicComplaint, PublicPage, PAGE_SIZE};
use aduan_core::catalog::CategoryTree;
use aduan_core::types::Language;
use aduan_core::workflow::Deadlines;

use crate::error::{ApiError, Kind};
use crate::storage::public as storage;
use crate::storage::Db;

/// Pages beyond this are not served: nobody reads 20,000 reports a page at a time, and deep
/// offsets cost the database a scan.
pub const MAX_PAGE: u32 = 1000;

fn categories() -> &'static CategoryTree {
    static TREE: OnceLock<CategoryTree> = OnceLock::new();
    TREE.get_or_init(CategoryTree::bundled)
}

/// The one answer for an unknown tracking id and a confidential complaint alike.
pub fn not_found() -> ApiError {
    ApiError::new(
        Kind::NotFound,
        "not_found",
        "No public report has this tracking id.",
        "Tidak ada laporan publik dengan nomor pelacakan ini.",
    )
}

/// The public view of the complaint `tracking_id` names.
pub fn track(
    db: &Db,
    deadlines: &Deadlines,
    tracking_id: &str,
    language: Language,
    now_ms: i64,
) -> Result<PublicComplaint, ApiError> {
    let Some(tracking_id) = public::parse_tracking_id(tracking_id) else {
        return Err(ApiError::bad_request(
            "bad_tracking_id",
            "A tracking id looks like ADU-XXXXX-XXXXX.",
        ));
    };
    db.run(|sql| {
        let Some((complaint_id, false)) = storage::by_tracking_id(sql, &tracking_id)? else {
            return Err(not_found());
        };
        view(sql, deadlines, &complaint_id, language, now_ms)?.ok_or_else(not_found)
    })
}

/// The public view of a stored complaint; none when it is confidential.
pub fn view(
    sql: &mut dyn crate::storage::Sql,
    deadlines: &Deadlines,
    complaint_id: &str,
    language: Language,
    now_ms: i64,
) -> Result<Option<PublicComplaint>, ApiError> {
    let (report, log) = storage::documents(sql, complaint_id)?;
    Ok(report.and_then(|report| {
        public::from_docs(
            &report,
            log.as_ref(),
            deadlines,
            categories(),
            language,
            now_ms,
        )
    }))
}

/// Page `page` (from 0) of public complaints, newest first, in `area` (a kelurahan, kecamatan,
/// city or province, any case) and `category` (with everything below it).
pub fn page(
    db: &Db,
    deadlines: &Deadlines,
    area: Option<&str>,
    category: Option<&str>,
    page: u32,
    language: Language,
    now_ms: i64,
) -> Result<PublicPage, ApiError> {
    if page > MAX_PAGE {
        return Err(ApiError::bad_request(
            "page_too_far",
            format!("Pages go up to {MAX_PAGE}; narrow the area or category instead."),
        ));
    }
    let area = area
        .map(storage::lower)
        .filter(|a| !a.is_empty() && a.len() <= 100);
    let tree = categories();
    let within = match category.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) if !tree.contains(c) => {
            return Err(ApiError::bad_request(
                "unknown_category",
                "No such category (see the category tree).",
            ))
        }
        Some(c) => Some(
            tree.all()
                .iter()
                .filter(|x| tree.is_within(&x.id, c))
                .map(|x| x.id.clone())
                .collect::<Vec<_>>(),
        ),
    };
    db.run(|sql| {
        let ids = storage::page(
            sql,
            area.as_deref(),
            within.as_deref(),
            page * PAGE_SIZE,
            PAGE_SIZE + 1,
        )?;
        let more = ids.len() > PAGE_SIZE as usize;
        let mut complaints = Vec::with_capacity(PAGE_SIZE as usize);
        for id in ids.iter().take(PAGE_SIZE as usize) {
            if let Some(v) = view(sql, deadlines, id, language, now_ms)? {
                complaints.push(v);
            }
        }
        Ok(PublicPage {
            complaints,
            page,
            more,
        })
    })
}

/// Indexes complaints stored before the public index existed; run at start. Returns how many.
pub fn backfill(db: &Db) -> Result<usize, ApiError> {
    let ids = db.run(storage::unindexed)?;
    for id in &ids {
        db.transaction(|sql| {
            let (report, log) = storage::documents(sql, id)?;
            let Some(report) = report.as_ref().and_then(aduan_core::model::report::read) else {
                return Ok(());
            };
            let flagged = log.as_ref().is_some_and(|log| {
                aduan_core::model::log::read(log).iter().any(|e| {
                    matches!(
                        e.action,
                        aduan_core::model::event::Action::SetFlags {
                            confidential: true,
                            ..
                        }
                    )
                })
            });
            storage::index(sql, id, &report, report.confidential || flagged)
        })?;
    }
    Ok(ids.len())
}
