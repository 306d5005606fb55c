//! What the desk's queues read by (migrations 14 and 15): each complaint's row carries, as the
//! admission last saw it, the running stage's deadline, when it was filed, its codes, and its
//! area's names and searchable words, so an inbox reads in deadline order and a filtered or
//! searched one reads only the complaints that may match, instead of replaying every one.

use std::collections::HashMap;

use aduan_core::model;
use aduan_core::model::report::Report;
use aduan_core::types::{Millis, Role, Status};
use aduan_core::workflow::{Deadlines, Replay};

use crate::error::ApiError;
use crate::storage::{Account, Row, Sql, Value};
use crate::vals;

/// What the admission keeps of a complaint for the desk's queues and their filters
/// (migrations 14 and 15): the running stage's deadline, when it was filed, its codes, and
/// its area's names and searchable words in lower case, one per line.
pub struct QueueColumns {
    pub due_at: Option<Millis>,
    pub created_at: Millis,
    pub kind: &'static str,
    pub category: String,
    pub unit: Option<String>,
    pub channel: &'static str,
    pub place: String,
    pub words: String,
}

impl QueueColumns {
    pub fn of(complaint_id: &str, report: &Report, replay: &Replay, deadlines: &Deadlines) -> Self {
        let l = &report.location;
        QueueColumns {
            due_at: replay.state.due_at(deadlines),
            created_at: report.created_at,
            kind: report.kind.code(),
            category: report.category.clone(),
            unit: replay.state.unit.clone(),
            channel: report.channel.code(),
            place: [&l.kelurahan, &l.kecamatan, &l.city, &l.province]
                .map(|v| v.to_lowercase())
                .join("\n"),
            words: [
                &model::tracking_id(complaint_id),
                &report.title,
                &report.description,
                &l.kelurahan,
                &l.address,
            ]
            .map(|v| v.to_lowercase())
            .join("\n"),
        }
    }

    /// Writes them to the complaint's row (which must exist).
    pub fn store(&self, sql: &mut dyn Sql, complaint_id: &str) -> Result<(), ApiError> {
        sql.execute(
            "UPDATE complaints SET due_at = $2, created_at = $3, kind = $4, category = $5,
                unit_id = $6, channel = $7, place = $8, words = $9, queued = TRUE
             WHERE id = $1",
            vals![
                complaint_id,
                self.due_at,
                self.created_at,
                self.kind,
                &self.category,
                self.unit.as_deref(),
                self.channel,
                &self.place,
                &self.words
            ],
        )?;
        Ok(())
    }
}

/// Which complaints a queue reads, narrowed in SQL by the columns the admission keeps
/// ([`QueueColumns`]). A narrowing only leaves out rows that cannot match: the caller still
/// decides each row it is handed by its own rule, on the replayed documents.
#[derive(Default, Clone)]
pub struct Narrow {
    /// Those still open.
    pub open_only: bool,
    /// Filed at or after / at or before (Unix ms).
    pub filed_from: Option<Millis>,
    pub filed_to: Option<Millis>,
    pub kind: Option<String>,
    /// Any of these categories (a category and those within it).
    pub categories: Option<Vec<String>>,
    pub unit: Option<String>,
    pub status: Option<String>,
    pub channel: Option<String>,
    /// Part of the area's names (any case).
    pub place: Option<String>,
    /// Each of these is part of the searchable words (any case).
    pub words: Vec<String>,
}

/// `text` in lower case as a LIKE pattern (with `\` as its escape) matching it anywhere.
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Narrow {
    /// The WHERE conditions (joined by AND) and their values, numbered from `$1`.
    fn conditions(&self, values: &mut Vec<Value>) -> Vec<String> {
        let bind = |values: &mut Vec<Value>, v: Value| {
            values.push(v);
            format!("${}", values.len())
        };
        let mut out = Vec::new();
        if self.open_only {
            let open: Vec<String> = Status::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| format!("'{}'", s.code()))
                .collect();
            out.push(format!("status IN ({})", open.join(", ")));
        }
        if let Some(from) = self.filed_from {
            out.push(format!("created_at >= {}", bind(values, from.into())));
        }
        if let Some(to) = self.filed_to {
            out.push(format!("created_at <= {}", bind(values, to.into())));
        }
        for (column, value) in [
            ("kind", &self.kind),
            ("unit_id", &self.unit),
            ("status", &self.status),
            ("channel", &self.channel),
        ] {
            if let Some(v) = value {
                out.push(format!("{column} = {}", bind(values, v.as_str().into())));
            }
        }
        if let Some(categories) = &self.categories {
            if categories.is_empty() {
                out.push("FALSE".to_string());
            } else {
                let list: Vec<String> = categories
                    .iter()
                    .map(|c| bind(values, c.as_str().into()))
                    .collect();
                out.push(format!("category IN ({})", list.join(", ")));
            }
        }
        if let Some(place) = &self.place {
            out.push(format!(
                "place LIKE {} ESCAPE '\\'",
                bind(values, like_literal(place).into())
            ));
        }
        for word in &self.words {
            out.push(format!(
                "words LIKE {} ESCAPE '\\'",
                bind(values, like_literal(word).into())
            ));
        }
        out
    }
}

/// The rows (id, owner, institution) of the complaints `narrow` leaves among those `account`
/// could see by institution or filing (the caller decides each by the full rule), soonest
/// stored deadline first, none last: `limit` of them after the first `offset` (the deadline
/// index walked only as far as that).
pub fn candidates(
    sql: &mut dyn Sql,
    account: &Account,
    narrow: &Narrow,
    offset: usize,
    limit: usize,
) -> Result<Vec<Row>, ApiError> {
    let mut values = Vec::new();
    let mut conditions = narrow.conditions(&mut values);
    match (&account.role, &account.institution_id) {
        (Role::NationalAdmin, _) => {}
        (_, Some(institution)) => {
            values.push(institution.as_str().into());
            values.push(account.id.as_str().into());
            conditions.push(format!(
                "(institution_id = ${} OR owner_account = ${})",
                values.len() - 1,
                values.len()
            ));
        }
        (_, None) => {
            values.push(account.id.as_str().into());
            conditions.push(format!("owner_account = ${}", values.len()));
        }
    }
    let filter = if conditions.is_empty() {
        "TRUE".to_string()
    } else {
        conditions.join(" AND ")
    };
    sql.query(
        &format!(
            "SELECT id, owner_account, institution_id FROM complaints WHERE {filter}
             ORDER BY due_at ASC NULLS LAST, id LIMIT {limit} OFFSET {offset}"
        ),
        &values,
    )
}

/// The stored snapshots of the documents `doc_ids` names (those that exist), by id: one query.
pub fn snapshots(
    sql: &mut dyn Sql,
    doc_ids: &[String],
) -> Result<HashMap<String, Vec<u8>>, ApiError> {
    if doc_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list: Vec<String> = (1..=doc_ids.len()).map(|i| format!("${i}")).collect();
    let values: Vec<Value> = doc_ids.iter().map(|d| d.as_str().into()).collect();
    sql.query(
        &format!(
            "SELECT doc_id, snapshot FROM docs WHERE doc_id IN ({})",
            list.join(", ")
        ),
        &values,
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.blob(1)?)))
    .collect()
}
