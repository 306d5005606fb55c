//! Possible duplicates of a complaint being filed: the same category, about the same place
//! (within about 250 m, or the same kelurahan when no position is known), filed in the last
//! weeks, with similar words. Administrators merge duplicates; showing them while filing lets a
//! reporter or an operator follow the existing report instead.

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::store::index::{distance_m, fts_query};
use crate::types::Millis;

pub const DUPLICATE_RADIUS_M: f64 = 250.0;
pub const DUPLICATE_WINDOW_DAYS: i64 = 28;
/// Share of the new text's words an earlier report must also use.
pub const DUPLICATE_MIN_SIMILARITY: f64 = 0.3;
const MAX_SUGGESTIONS: usize = 5;
const DAY_MS: Millis = 24 * 60 * 60 * 1000;

/// Words that say nothing about the problem, in Bahasa Indonesia and English.
const STOPWORDS: &[&str] = &[
    "dan", "yang", "di", "ke", "dari", "ini", "itu", "ada", "sudah", "belum", "tidak", "dengan",
    "untuk", "pada", "karena", "sangat", "sekali", "mohon", "tolong", "kami", "saya", "kita",
    "para", "akan", "juga", "atau", "the", "and", "for", "with", "not", "has", "have", "this",
    "that", "sejak", "lagi", "masih", "bapak", "ibu", "pak", "segera",
];

/// What is being filed.
#[derive(Debug, Clone, Default)]
pub struct DuplicateQuery {
    pub category: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub kelurahan: String,
    /// Title and description.
    pub text: String,
    /// The complaint itself, once filed.
    pub exclude_id: Option<String>,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateCandidate {
    pub complaint_id: String,
    pub tracking_id: String,
    pub title: String,
    pub distance_m: Option<f64>,
    /// Share of the new text's words found in this one (0..1).
    pub similarity: f64,
    pub created_at: Millis,
}

fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if w.chars().count() >= 3 && !STOPWORDS.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out.truncate(16);
    out
}

pub fn suggest(conn: &Connection, q: &DuplicateQuery) -> Result<Vec<DuplicateCandidate>> {
    let words = words(&q.text);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let since = q.at - DUPLICATE_WINDOW_DAYS * DAY_MS;
    let mut stmt = conn.prepare_cached(
        "SELECT num, id, tracking_id, title, latitude, longitude, kelurahan, created_at
         FROM complaints
         WHERE category = ?1 AND created_at BETWEEN ?2 AND ?3 AND merged_into IS NULL
           AND status NOT IN ('archived', 'merged')",
    )?;
    type Row = (
        i64,
        String,
        String,
        String,
        Option<f64>,
        Option<f64>,
        String,
        Millis,
    );
    let rows: Vec<Row> = stmt
        .query_map(params![q.category, since, q.at], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let near: Vec<(Row, Option<f64>)> = rows
        .into_iter()
        .filter(|r| Some(&r.1) != q.exclude_id.as_ref())
        .filter_map(|r| same_place(q, r.4, r.5, &r.6).map(|d| (r, d)))
        .collect();
    if near.is_empty() {
        return Ok(Vec::new());
    }
    let nums: Vec<String> = near.iter().map(|(r, _)| r.0.to_string()).collect();
    let mut hits = vec![0usize; near.len()];
    for word in &words {
        let Some(term) = fts_query(word) else {
            continue;
        };
        // Numbers only in the IN list: they come from the table itself.
        let sql = format!(
            "SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?1 AND rowid IN ({})",
            nums.join(",")
        );
        let mut stmt = conn.prepare(&sql)?;
        let matched: Vec<i64> = stmt
            .query_map([format!("{{title description}} : {term}")], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        for (i, (r, _)) in near.iter().enumerate() {
            if matched.contains(&r.0) {
                hits[i] += 1;
            }
        }
    }
    Ok(ranked(near.into_iter().zip(hits).map(
        |((r, distance), hits)| DuplicateCandidate {
            complaint_id: r.1,
            tracking_id: r.2,
            title: r.3,
            distance_m: distance,
            similarity: hits as f64 / words.len() as f64,
            created_at: r.7,
        },
    )))
}

/// An earlier complaint held in memory (the desk reads them from the server's documents).
#[derive(Debug, Clone)]
pub struct Earlier<'a> {
    pub complaint_id: &'a str,
    pub tracking_id: String,
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub kelurahan: &'a str,
    pub created_at: Millis,
    /// Open (not merged, archived or otherwise closed for good).
    pub open: bool,
}

/// The same rule as [`suggest`] over complaints held in memory: a word of the new text
/// matches an earlier text that has a word starting with it, as the phone's full-text
/// search matches a prefix.
pub fn suggest_among<'a>(
    q: &DuplicateQuery,
    earlier: impl IntoIterator<Item = Earlier<'a>>,
) -> Vec<DuplicateCandidate> {
    let words = words(&q.text);
    if words.is_empty() {
        return Vec::new();
    }
    let since = q.at - DUPLICATE_WINDOW_DAYS * DAY_MS;
    ranked(earlier.into_iter().filter_map(|e| {
        if !e.open
            || e.category != q.category
            || !(since..=q.at).contains(&e.created_at)
            || Some(e.complaint_id) == q.exclude_id.as_deref()
        {
            return None;
        }
        let distance = same_place(q, e.latitude, e.longitude, e.kelurahan)?;
        let theirs: Vec<String> = format!("{} {}", e.title, e.description)
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .collect();
        let hits = words
            .iter()
            .filter(|w| theirs.iter().any(|t| t.starts_with(w.as_str())))
            .count();
        Some(DuplicateCandidate {
            complaint_id: e.complaint_id.to_string(),
            tracking_id: e.tracking_id,
            title: e.title.to_string(),
            distance_m: distance,
            similarity: hits as f64 / words.len() as f64,
            created_at: e.created_at,
        })
    }))
}

/// Whether an earlier complaint is about the same place: within [`DUPLICATE_RADIUS_M`] (the
/// distance), or, without both positions, the same named kelurahan (no distance).
fn same_place(
    q: &DuplicateQuery,
    lat: Option<f64>,
    lon: Option<f64>,
    kelurahan: &str,
) -> Option<Option<f64>> {
    match (q.latitude, q.longitude, lat, lon) {
        (Some(a), Some(b), Some(c), Some(d)) => {
            let m = distance_m(a, b, c, d);
            (m <= DUPLICATE_RADIUS_M).then_some(Some(m))
        }
        _ => (!q.kelurahan.trim().is_empty()
            && q.kelurahan.trim().to_lowercase() == kelurahan.trim().to_lowercase())
        .then_some(None),
    }
}

/// The candidates similar enough, most similar first (then nearest), at most a few.
fn ranked(candidates: impl Iterator<Item = DuplicateCandidate>) -> Vec<DuplicateCandidate> {
    let mut found: Vec<DuplicateCandidate> = candidates
        .filter(|c| c.similarity >= DUPLICATE_MIN_SIMILARITY)
        .collect();
    found.sort_by(|a, b| {
        b.similarity.total_cmp(&a.similarity).then(
            a.distance_m
                .unwrap_or(0.0)
                .total_cmp(&b.distance_m.unwrap_or(0.0)),
        )
    });
    found.truncate(MAX_SUGGESTIONS);
    found
}
