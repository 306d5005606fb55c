//! The list index: one row per complaint, refreshed in the same transaction as every document
//! write, and the queries behind lists, search and figures. Nothing here loads a document.

use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension, Row};

use crate::api::records::{ComplaintFilter, SortOrder};
use crate::error::Result;
use crate::model::report::Report;
use crate::types::{Millis, ReportKind, Status};
use crate::workflow::{Deadlines, WorkflowState};

/// A row of the index as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub id: String,
    pub tracking_id: String,
    pub kind: ReportKind,
    pub category: String,
    pub title: String,
    /// As derived from the history; a follow-up past its reply window reads as completed.
    pub status: Status,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    pub due_at: Option<Millis>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub mine: bool,
    pub anonymous: bool,
    pub confidential: bool,
    pub photo_count: u32,
    pub rating: Option<u8>,
    pub first_assigned_at: Option<Millis>,
    pub followed_up_at: Option<Millis>,
    pub completed_at: Option<Millis>,
    pub pending_sync: bool,
    pub damaged: bool,
    /// The place it is about, for its time zone before an institution holds it.
    pub kelurahan: Option<String>,
    /// How it arrived (a [`Channel`](crate::model::channel::Channel) code), for figures by
    /// channel.
    pub channel: String,
    /// The village it is about (Kemendagri code), empty when unknown.
    pub area: String,
    /// The institution owes it a response within its cadre hours (see
    /// [`WorkflowState::response_due`]).
    pub cadre_hours: bool,
    /// Whose desk its current escalation reached: an institution's id (its administrator) or
    /// the national desk.
    pub escalated_to: Option<String>,
}

const COLUMNS: &str = "c.id, c.tracking_id, c.kind, c.category, c.title, c.status, c.institution_id,
    c.unit_id, c.due_at, c.created_at, c.updated_at, c.latitude, c.longitude, c.mine, c.anonymous,
    c.confidential, c.photo_count, c.rating, c.first_assigned_at, c.followed_up_at, c.completed_at,
    c.damaged IS NOT NULL,
    EXISTS (SELECT 1 FROM sync_docs s WHERE s.dirty = 1 AND s.doc_id IN (c.id || '/report', c.id || '/log')),
    c.kelurahan, c.channel, c.area, c.cadre_hours, c.escalated_to";

fn from_row(row: &Row<'_>, now: Millis) -> rusqlite::Result<IndexRow> {
    let status = Status::from_code(&row.get::<_, String>(5)?).unwrap_or(Status::Submitted);
    let due_at: Option<Millis> = row.get(8)?;
    let status = match (status, due_at) {
        (Status::FollowedUp, Some(due)) if due < now => Status::Completed,
        _ => status,
    };
    Ok(IndexRow {
        id: row.get(0)?,
        tracking_id: row.get(1)?,
        kind: ReportKind::from_code(&row.get::<_, String>(2)?).unwrap_or(ReportKind::Complaint),
        category: row.get(3)?,
        title: row.get(4)?,
        status,
        institution_id: row.get(6)?,
        unit_id: row.get(7)?,
        due_at: if status == Status::Completed {
            None
        } else {
            due_at
        },
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
        latitude: row.get(11)?,
        longitude: row.get(12)?,
        mine: row.get(13)?,
        anonymous: row.get(14)?,
        confidential: row.get(15)?,
        photo_count: row.get(16)?,
        rating: row.get(17)?,
        first_assigned_at: row.get(18)?,
        followed_up_at: row.get(19)?,
        completed_at: row.get(20)?,
        damaged: row.get(21)?,
        pending_sync: row.get(22)?,
        kelurahan: row.get(23)?,
        channel: row.get(24)?,
        area: row.get(25)?,
        cadre_hours: row.get(26)?,
        escalated_to: row.get(27)?,
    })
}

/// What puts a complaint ahead in the queue: whether a response is owed within the cadres'
/// hours, and whose desk its current escalation reached (while it is open).
pub fn queue_marks(state: &WorkflowState, deadlines: &Deadlines) -> (bool, Option<String>) {
    let escalated_to = state
        .status
        .is_open()
        .then(|| state.current_escalation(deadlines).map(|e| e.to.clone()))
        .flatten();
    (state.response_due(deadlines).is_some(), escalated_to)
}

/// Writes the row for a complaint from its report and derived state.
pub fn upsert(
    conn: &Connection,
    report: &Report,
    tracking_id: &str,
    state: &WorkflowState,
    deadlines: &Deadlines,
    mine: bool,
    report_changed: bool,
) -> Result<()> {
    let due_at = state.due_at(deadlines);
    let (cadre_hours, escalated_to) = queue_marks(state, deadlines);
    conn.prepare_cached(
        "INSERT INTO complaints (id, tracking_id, kind, category, title, status, institution_id,
            unit_id, due_at, created_at, updated_at, latitude, longitude, kelurahan, mine,
            anonymous, confidential, photo_count, rating, merged_into, first_assigned_at,
            followed_up_at, completed_at, damaged, channel, area, cadre_hours, escalated_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, NULL, ?24, ?25, ?26, ?27)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, category = excluded.category,
            title = excluded.title, status = excluded.status,
            institution_id = excluded.institution_id, unit_id = excluded.unit_id,
            due_at = excluded.due_at, updated_at = excluded.updated_at,
            latitude = excluded.latitude, longitude = excluded.longitude,
            kelurahan = excluded.kelurahan, mine = MAX(mine, excluded.mine),
            anonymous = excluded.anonymous, confidential = excluded.confidential,
            photo_count = excluded.photo_count, rating = excluded.rating,
            merged_into = excluded.merged_into, first_assigned_at = excluded.first_assigned_at,
            followed_up_at = excluded.followed_up_at, completed_at = excluded.completed_at,
            damaged = NULL, channel = excluded.channel, area = excluded.area,
            cadre_hours = excluded.cadre_hours, escalated_to = excluded.escalated_to",
    )?
    .execute(params![
        report.id,
        tracking_id,
        report.kind.code(),
        report.category,
        report.title,
        state.status.code(),
        state.institution,
        state.unit,
        due_at,
        report.created_at,
        state.last_activity_at.max(report.created_at),
        report.location.latitude,
        report.location.longitude,
        report.location.kelurahan,
        mine,
        state.anonymous || report.anonymous,
        state.confidential || report.confidential,
        report.photos.len() as i64,
        state.rating.as_ref().map(|r| r.stars),
        state.merged_into,
        state.first_assigned_at,
        state.followed_up_at,
        state.completed_at,
        report.channel.code(),
        report.location.area,
        cadre_hours,
        escalated_to,
    ])?;
    if report_changed {
        let num: i64 = conn
            .prepare_cached("SELECT num FROM complaints WHERE id = ?1")?
            .query_row([&report.id], |r| r.get(0))?;
        conn.prepare_cached("DELETE FROM complaints_fts WHERE rowid = ?1")?
            .execute([num])?;
        conn.prepare_cached(
            "INSERT INTO complaints_fts (rowid, title, description, address) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            num,
            report.title,
            report.description,
            format!(
                "{} {} {} {}",
                report.location.address,
                report.location.kelurahan,
                report.location.kecamatan,
                report.location.city
            )
        ])?;
    }
    Ok(())
}

/// Marks a complaint's row as damaged (it stays listed, with a badge) without touching the rest.
pub fn mark_damaged(conn: &Connection, complaint_id: &str, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE complaints SET damaged = ?2 WHERE id = ?1",
        params![complaint_id, reason],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str, now: Millis) -> Result<Option<IndexRow>> {
    let sql = format!("SELECT {COLUMNS} FROM complaints c WHERE c.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| from_row(r, now))
        .optional()?)
}

pub fn id_for_tracking(conn: &Connection, tracking_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT id FROM complaints WHERE tracking_id = ?1")?
        .query_row([tracking_id.trim().to_ascii_uppercase()], |r| r.get(0))
        .optional()?)
}

pub fn duplicates_of(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tracking_id FROM complaints WHERE merged_into = ?1 ORDER BY created_at",
    )?;
    let rows = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

/// Turns what a person typed into an FTS5 query: every word must match, as a prefix.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// One page of complaints matching `filter`. `categories` is the category and its descendants.
/// `desk`: whose escalations come first in the queue (an institution's id for its
/// administrator, [`NATIONAL_DESK`](crate::workflow::escalation::NATIONAL_DESK) for the
/// national one; none for everyone else).
pub fn list(
    conn: &Connection,
    filter: &ComplaintFilter,
    categories: Option<Vec<String>>,
    now: Millis,
    desk: Option<&str>,
) -> Result<Vec<IndexRow>> {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<(String, Value)> = vec![
        (":now".into(), Value::Integer(now)),
        (":desk".into(), Value::Text(desk.unwrap_or("").into())),
    ];
    let bind = |values: &mut Vec<(String, Value)>, v: Value| {
        let name = format!(":p{}", values.len());
        values.push((name.clone(), v));
        name
    };
    if !filter.statuses.is_empty() {
        // Written out rather than through the CASE expression, so the status index is used.
        let mut any = Vec::new();
        let plain: Vec<String> = filter
            .statuses
            .iter()
            .filter(|s| !matches!(s, Status::Completed | Status::FollowedUp))
            .map(|s| bind(&mut values, Value::Text(s.code().into())))
            .collect();
        if !plain.is_empty() {
            any.push(format!("c.status IN ({})", plain.join(",")));
        }
        if filter.statuses.contains(&Status::FollowedUp) {
            any.push(
                "(c.status = 'followed_up' AND (c.due_at IS NULL OR c.due_at >= :now))".into(),
            );
        }
        if filter.statuses.contains(&Status::Completed) {
            any.push("c.status = 'completed'".into());
            any.push("(c.status = 'followed_up' AND c.due_at < :now)".into());
        }
        clauses.push(format!("({})", any.join(" OR ")));
    }
    if !filter.kinds.is_empty() {
        let names: Vec<String> = filter
            .kinds
            .iter()
            .map(|k| bind(&mut values, Value::Text(k.code().into())))
            .collect();
        clauses.push(format!("c.kind IN ({})", names.join(",")));
    }
    if let Some(ids) = categories {
        let names: Vec<String> = ids
            .into_iter()
            .map(|c| bind(&mut values, Value::Text(c)))
            .collect();
        clauses.push(format!("c.category IN ({})", names.join(",")));
    }
    if let Some(inst) = &filter.institution_id {
        let n = bind(&mut values, Value::Text(inst.clone()));
        clauses.push(format!("c.institution_id = {n}"));
    }
    if let Some(unit) = &filter.unit_id {
        let n = bind(&mut values, Value::Text(unit.clone()));
        clauses.push(format!("c.unit_id = {n}"));
    }
    if let Some(area) = &filter.area {
        let n = bind(&mut values, Value::Text(area.trim().to_string()));
        clauses.push(format!("(c.area = {n} OR c.area LIKE {n} || '.%')"));
    }
    if filter.mine_only {
        clauses.push("c.mine = 1".into());
    }
    if filter.overdue_only {
        clauses.push(
            "c.due_at < :now AND c.status IN ('submitted','dispatched','assigned','in_progress')"
                .into(),
        );
    }
    if let Some(since) = filter.updated_since {
        let n = bind(&mut values, Value::Integer(since));
        clauses.push(format!("c.updated_at >= {n}"));
    }
    if let Some(area) = &filter.near {
        // A bounding box the position index can use; the exact circle is applied after.
        let dlat = area.radius_m / 111_320.0;
        let dlon = area.radius_m / (111_320.0 * area.latitude.to_radians().cos().abs().max(0.01));
        let a = bind(&mut values, Value::Real(area.latitude - dlat));
        let b = bind(&mut values, Value::Real(area.latitude + dlat));
        let c = bind(&mut values, Value::Real(area.longitude - dlon));
        let d = bind(&mut values, Value::Real(area.longitude + dlon));
        clauses.push(format!(
            "c.latitude BETWEEN {a} AND {b} AND c.longitude BETWEEN {c} AND {d}"
        ));
    }
    if let Some(text) = &filter.text {
        match fts_query(text) {
            Some(q) => {
                let n = bind(&mut values, Value::Text(q));
                clauses.push(format!(
                    "c.num IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH {n})"
                ));
            }
            None => clauses.push("0".into()),
        }
    }
    let order = match filter.sort {
        // The queue: what was escalated to this desk, then what is owed within the cadres'
        // hours, then by deadline (overdue on top), then those without one.
        SortOrder::DueSoonest => {
            "c.escalated_to IS NOT NULL AND c.escalated_to = :desk DESC, c.cadre_hours DESC,
            c.due_at IS NULL, c.due_at, c.updated_at DESC"
        }
        SortOrder::RecentlyUpdated => "c.updated_at DESC",
        SortOrder::Newest | SortOrder::Nearest => "c.created_at DESC",
        SortOrder::Oldest => "c.created_at",
    };
    let limit = filter.limit.clamp(1, 1000);
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    // Pick the page by its sort key first, then read the columns of those rows only: with the
    // columns in the sort, SQLite would compute them for every match.
    let sql = format!(
        "SELECT {COLUMNS} FROM complaints c WHERE c.num IN
            (SELECT c.num FROM complaints c {where_sql} ORDER BY {order} LIMIT {} OFFSET {})
         ORDER BY {order}",
        if filter.near.is_some() { 10_000 } else { limit },
        if filter.near.is_some() {
            0
        } else {
            filter.offset
        }
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let named: Vec<(&str, &dyn rusqlite::ToSql)> = values
        .iter()
        .filter(|(name, _)| sql.contains(name.as_str()))
        .map(|(name, v)| (name.as_str(), v as &dyn rusqlite::ToSql))
        .collect();
    let mut rows = stmt
        .query_map(named.as_slice(), |r| from_row(r, now))?
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(area) = &filter.near {
        rows.retain(|r| match (r.latitude, r.longitude) {
            (Some(lat), Some(lon)) => {
                distance_m(area.latitude, area.longitude, lat, lon) <= area.radius_m
            }
            _ => false,
        });
        if filter.sort == SortOrder::Nearest {
            // Stable: among equals the newest stays first.
            let distance = |r: &IndexRow| match (r.latitude, r.longitude) {
                (Some(lat), Some(lon)) => distance_m(area.latitude, area.longitude, lat, lon),
                _ => f64::INFINITY,
            };
            rows.sort_by(|a, b| distance(a).total_cmp(&distance(b)));
        }
        rows = rows
            .into_iter()
            .skip(filter.offset as usize)
            .take(limit as usize)
            .collect();
    }
    Ok(rows)
}

/// Every row, for the figures (one pass; no document is loaded).
pub fn all(conn: &Connection, institution_id: Option<&str>, now: Millis) -> Result<Vec<IndexRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM complaints c WHERE (?1 IS NULL OR c.institution_id = ?1)");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter([institution_id]), |r| from_row(r, now))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Great-circle distance in metres.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * a.sqrt().asin()
}
