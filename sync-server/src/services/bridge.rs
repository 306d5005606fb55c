//! Bridging, as LAPOR! connects to regional systems: complaints imported from another
//! system's export, and any selection exported as JSON, CSV or GeoJSON.
//!
//! The record shape (one JSON object, or one CSV row with these columns, in this order):
//!
//! | field | meaning |
//! | --- | --- |
//! | `system`, `reference` | the other system and its own id for the complaint (required) |
//! | `category` | a category id of Aduan's tree (required) |
//! | `kind` | `pengaduan` (default), `aspirasi`, `permintaan_informasi` |
//! | `title`, `description` | the reporter's words (description required; title defaults to the category's name) |
//! | `latitude`, `longitude`, `address`, `province`, `city`, `kecamatan`, `kelurahan` | where |
//! | `anonymous`, `confidential` | `true` / `false` |
//! | `reporter_name`, `reporter_phone`, `reporter_email` | the reporter's contact, if named |
//! | `tracking_id`, `status`, `institution_id`, `created_at` | written by an export, ignored on import |
//!
//! An import files each record as a complaint bridged from its system, with its reference,
//! the way an operator files for a caller (`open311::file_report`: core's validation, the
//! sync round, the daily quota). A (system, reference) already imported is skipped, so
//! importing the same file again files nothing. A complaint's filing time is when it was
//! imported. Aduan's own complaints export as system `aduan` with their tracking id as the
//! reference.
//!
//! An export holds only complaints the exporting account may see (the sync rule), the
//! reporter's contact only where core's `may_know_reporter` lets that account know it, and
//! for an anonymous complaint neither coordinates nor an address (its place is often the
//! reporter's own door).

use aduan_core::model::channel::Channel;
use aduan_core::model::report::NewReport;
use aduan_core::model::reporter::{may_know_reporter, Asker, ReporterContact};
use aduan_core::types::{Location, ReportKind};
use serde::{Deserialize, Serialize};

use super::open311::{self, Filing};
use crate::error::{ApiError, Kind};
use crate::storage::bridge as db;
use crate::storage::{Account, Db};

/// The most records one import or export holds.
pub const MAX_RECORDS: usize = 10_000;
/// The system name Aduan's own complaints export under.
pub const ADUAN: &str = "aduan";

/// One complaint in the bridging shape (see the module's table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    pub system: String,
    pub reference: String,
    pub tracking_id: String,
    pub category: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub institution_id: String,
    pub created_at: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: String,
    pub province: String,
    pub city: String,
    pub kecamatan: String,
    pub kelurahan: String,
    pub anonymous: bool,
    pub confidential: bool,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub reporter_email: String,
}

/// CSV columns, in order.
pub const COLUMNS: [&str; 22] = [
    "system",
    "reference",
    "tracking_id",
    "category",
    "kind",
    "title",
    "description",
    "status",
    "institution_id",
    "created_at",
    "latitude",
    "longitude",
    "address",
    "province",
    "city",
    "kecamatan",
    "kelurahan",
    "anonymous",
    "confidential",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
];

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Imported {
    pub created: usize,
    /// Already imported before (same system and reference).
    pub skipped: usize,
    /// (record number from 1, refusal code) for records not filed; no record's content.
    pub failed: Vec<(usize, String)>,
}

fn invalid(en: impl Into<String>) -> ApiError {
    ApiError::new(
        Kind::Invalid,
        "invalid_export",
        en,
        "Berkas ekspor tidak valid.",
    )
}

/// The account imports are filed as: the national desk's own door for other systems.
pub const IMPORT_ACCOUNT: &str = "bridge-import";

fn import_account(database: &Db) -> Result<Account, ApiError> {
    if let Some(a) = database.account(IMPORT_ACCOUNT)? {
        return Ok(a);
    }
    let account = Account {
        id: IMPORT_ACCOUNT.into(),
        display_name: "Impor sistem lain".into(),
        role: aduan_core::types::Role::NationalAdmin,
        institution_id: None,
        unit_id: None,
        disabled: false,
        area: None,
    };
    // No password: nobody signs in as it.
    match database.create_account(&account, None) {
        Ok(())
        | Err(ApiError {
            kind: Kind::Conflict,
            ..
        }) => {}
        Err(e) => return Err(e),
    }
    database.bind_device(IMPORT_ACCOUNT, IMPORT_ACCOUNT)?;
    Ok(account)
}

fn report_of(r: &Record) -> Result<(NewReport, Option<ReporterContact>), &'static str> {
    let system = r.system.trim();
    let reference = r.reference.trim();
    if system.is_empty() || reference.is_empty() {
        return Err("missing_reference");
    }
    let kind = match r.kind.trim() {
        "" => ReportKind::Complaint,
        k => ReportKind::from_code(k).ok_or("bad_kind")?,
    };
    let category = r.category.trim();
    let tree = aduan_core::catalog::CategoryTree::bundled();
    let Some(c) = tree.get(category) else {
        return Err("unknown_category");
    };
    let contact = ReporterContact {
        name: r.reporter_name.trim().into(),
        phone: r.reporter_phone.trim().into(),
        email: r.reporter_email.trim().into(),
    };
    let named = !r.anonymous
        && !(contact.name.is_empty() && contact.phone.is_empty() && contact.email.is_empty());
    let report = NewReport {
        kind,
        category: category.into(),
        title: match r.title.trim() {
            "" => c.name_id.clone(),
            t => t.into(),
        },
        description: r.description.clone(),
        location: Location {
            latitude: r.latitude,
            longitude: r.longitude,
            accuracy_m: None,
            address: r.address.clone(),
            province: r.province.clone(),
            city: r.city.clone(),
            kecamatan: r.kecamatan.clone(),
            kelurahan: r.kelurahan.clone(),
            // Core fills in the village's code from the names when it finds exactly one.
            area: String::new(),
        },
        anonymous: !named,
        confidential: r.confidential,
        photos: vec![],
        channel: Channel::Bridged {
            system: system.into(),
            reference: reference.into(),
        },
    };
    Ok((report, named.then_some(contact)))
}

/// Files every record not imported before; each record stands alone (one refused does not
/// stop the rest).
pub fn import(f: &Filing<'_>, records: &[Record]) -> Result<Imported, ApiError> {
    if records.len() > MAX_RECORDS {
        return Err(invalid(format!("At most {MAX_RECORDS} records an import.")));
    }
    let account = import_account(f.db)?;
    let mut out = Imported::default();
    for (i, r) in records.iter().enumerate() {
        let (system, reference) = (r.system.trim(), r.reference.trim());
        if f.db
            .run(|sql| db::imported(sql, system, reference))?
            .is_some()
        {
            out.skipped += 1;
            continue;
        }
        let (report, contact) = match report_of(r) {
            Ok(x) => x,
            Err(code) => {
                out.failed.push((i + 1, code.to_string()));
                continue;
            }
        };
        match open311::file_report(f, &account, &report, contact.as_ref()) {
            Ok(id) => {
                f.db.run(|sql| db::record_import(sql, system, reference, &id, f.now_ms))?;
                out.created += 1;
            }
            Err(e) if e.kind == Kind::Internal || e.kind == Kind::StorageFull => return Err(e),
            Err(e) => out.failed.push((i + 1, e.code.to_string())),
        }
    }
    Ok(out)
}

/// Which complaints an export holds.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Selection {
    pub status: Option<String>,
    pub institution: Option<String>,
    /// A category and everything below it.
    pub category: Option<String>,
    /// A kelurahan, kecamatan, city or province (any case).
    pub area: Option<String>,
    pub system: Option<String>,
}

fn iso(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The complaints `exporter` may see that `s` selects, in the bridging shape.
pub fn export(database: &Db, exporter: &Account, s: &Selection) -> Result<Vec<Record>, ApiError> {
    let tree = aduan_core::catalog::CategoryTree::bundled();
    if let Some(c) = s.category.as_deref().filter(|c| !tree.contains(c)) {
        let _ = c;
        return Err(ApiError::bad_request(
            "unknown_category",
            "No such category (see the category tree).",
        ));
    }
    let area = s.area.as_deref().map(|a| a.trim().to_lowercase());
    database.run(|sql| {
        let rows = db::complaints(
            sql,
            s.status.as_deref(),
            s.institution.as_deref(),
            MAX_RECORDS as u32,
        )?;
        let mut out = Vec::new();
        for row in rows {
            if !super::sync::may_see_parts(exporter, &row.owner, row.institution.as_ref()) {
                continue;
            }
            let (doc, _) = crate::storage::public::documents(sql, &row.id)?;
            let Some(report) = doc.as_ref().and_then(aduan_core::model::report::read) else {
                continue;
            };
            if let Some(c) = &s.category {
                if !tree.is_within(&report.category, c) {
                    continue;
                }
            }
            let l = &report.location;
            if let Some(a) = &area {
                if ![&l.kelurahan, &l.kecamatan, &l.city, &l.province]
                    .iter()
                    .any(|x| x.trim().to_lowercase() == *a)
                {
                    continue;
                }
            }
            let tracking_id = aduan_core::model::tracking_id(&row.id);
            let (system, reference) = match &report.channel {
                Channel::Bridged { system, reference } => (system.clone(), reference.clone()),
                _ => (ADUAN.to_string(), tracking_id.clone()),
            };
            if s.system.as_deref().is_some_and(|x| x != system) {
                continue;
            }
            let anonymous = row.anonymous || report.anonymous;
            let asker = Asker {
                role: exporter.role,
                institution_id: exporter.institution_id.as_deref(),
                filed_it: row.owner == exporter.id,
            };
            let contact = if may_know_reporter(asker, row.institution.as_deref(), anonymous) {
                crate::storage::reporters::get(sql, &row.id)?
            } else {
                None
            }
            .unwrap_or_default();
            out.push(Record {
                system,
                reference,
                tracking_id,
                category: report.category.clone(),
                kind: report.kind.code().into(),
                title: report.title.clone(),
                description: report.description.clone(),
                status: row.status.clone(),
                institution_id: row.institution.clone().unwrap_or_default(),
                created_at: iso(report.created_at),
                latitude: if anonymous { None } else { l.latitude },
                longitude: if anonymous { None } else { l.longitude },
                address: if anonymous {
                    String::new()
                } else {
                    l.address.clone()
                },
                province: l.province.clone(),
                city: l.city.clone(),
                kecamatan: l.kecamatan.clone(),
                kelurahan: l.kelurahan.clone(),
                anonymous,
                confidential: row.confidential || report.confidential,
                reporter_name: contact.name,
                reporter_phone: contact.phone,
                reporter_email: contact.email,
            });
        }
        Ok(out)
    })
}

// ---- formats -------------------------------------------------------------------------------

fn field(r: &Record, column: &str) -> String {
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    match column {
        "system" => r.system.clone(),
        "reference" => r.reference.clone(),
        "tracking_id" => r.tracking_id.clone(),
        "category" => r.category.clone(),
        "kind" => r.kind.clone(),
        "title" => r.title.clone(),
        "description" => r.description.clone(),
        "status" => r.status.clone(),
        "institution_id" => r.institution_id.clone(),
        "created_at" => r.created_at.clone(),
        "latitude" => num(r.latitude),
        "longitude" => num(r.longitude),
        "address" => r.address.clone(),
        "province" => r.province.clone(),
        "city" => r.city.clone(),
        "kecamatan" => r.kecamatan.clone(),
        "kelurahan" => r.kelurahan.clone(),
        "anonymous" => r.anonymous.to_string(),
        "confidential" => r.confidential.to_string(),
        "reporter_name" => r.reporter_name.clone(),
        "reporter_phone" => r.reporter_phone.clone(),
        "reporter_email" => r.reporter_email.clone(),
        _ => String::new(),
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// RFC 4180 CSV with a header row of [`COLUMNS`].
pub fn to_csv(records: &[Record]) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for r in records {
        let cells: Vec<String> = COLUMNS.iter().map(|c| csv_cell(&field(r, c))).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Rows of an RFC 4180 document (quoted cells may hold commas, quotes and line breaks).
fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, ApiError> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(invalid("A quoted CSV cell is not closed."));
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows
        .into_iter()
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect())
}

/// Records from CSV whose header names some of [`COLUMNS`] (any order; others ignored).
pub fn from_csv(text: &str) -> Result<Vec<Record>, ApiError> {
    let rows = csv_rows(text)?;
    let Some((header, rows)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    if rows.len() > MAX_RECORDS {
        return Err(invalid(format!("At most {MAX_RECORDS} records an import.")));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (n, row) in rows.iter().enumerate() {
        let mut r = Record::default();
        for (name, value) in header.iter().zip(row) {
            let value = value.clone();
            let flag = |v: &str| {
                matches!(
                    v.trim().to_ascii_lowercase().as_str(),
                    "true" | "1" | "ya" | "yes"
                )
            };
            let number = |v: &str| -> Result<Option<f64>, ApiError> {
                match v.trim() {
                    "" => Ok(None),
                    x => x
                        .parse()
                        .map(Some)
                        .map_err(|_| invalid(format!("Row {}: {name} is not a number.", n + 2))),
                }
            };
            match name.trim() {
                "system" => r.system = value,
                "reference" => r.reference = value,
                "tracking_id" => r.tracking_id = value,
                "category" => r.category = value,
                "kind" => r.kind = value,
                "title" => r.title = value,
                "description" => r.description = value,
                "status" => r.status = value,
                "institution_id" => r.institution_id = value,
                "created_at" => r.created_at = value,
                "latitude" => r.latitude = number(&value)?,
                "longitude" => r.longitude = number(&value)?,
                "address" => r.address = value,
                "province" => r.province = value,
                "city" => r.city = value,
                "kecamatan" => r.kecamatan = value,
                "kelurahan" => r.kelurahan = value,
                "anonymous" => r.anonymous = flag(&value),
                "confidential" => r.confidential = flag(&value),
                "reporter_name" => r.reporter_name = value,
                "reporter_phone" => r.reporter_phone = value,
                "reporter_email" => r.reporter_email = value,
                _ => {}
            }
        }
        out.push(r);
    }
    Ok(out)
}

/// Records from a JSON array of them.
pub fn from_json(bytes: &[u8]) -> Result<Vec<Record>, ApiError> {
    // The parser's message could quote a record; it is not passed on.
    let records: Vec<Record> = serde_json::from_slice(bytes)
        .map_err(|_| invalid("The JSON is not an array of records in the bridging shape."))?;
    if records.len() > MAX_RECORDS {
        return Err(invalid(format!("At most {MAX_RECORDS} records an import.")));
    }
    Ok(records)
}

/// A GeoJSON FeatureCollection: one feature a record, a Point where the record has
/// coordinates (none for anonymous complaints), the rest as properties.
pub fn to_geojson(records: &[Record]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = records
        .iter()
        .map(|r| {
            let geometry = match (r.latitude, r.longitude) {
                (Some(lat), Some(lon)) => {
                    serde_json::json!({ "type": "Point", "coordinates": [lon, lat] })
                }
                _ => serde_json::Value::Null,
            };
            let mut properties = serde_json::to_value(r).unwrap_or_default();
            if let Some(p) = properties.as_object_mut() {
                p.remove("latitude");
                p.remove("longitude");
            }
            serde_json::json!({ "type": "Feature", "geometry": geometry, "properties": properties })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trips_commas_quotes_and_line_breaks() {
        let r = Record {
            system: "LAPOR".into(),
            reference: "LPR-1".into(),
            category: "pu.drainase".into(),
            description: "Air \"meluap\", lagi\nsetiap hujan".into(),
            latitude: Some(-5.17),
            anonymous: true,
            ..Record::default()
        };
        let back = from_csv(&to_csv(std::slice::from_ref(&r))).unwrap();
        assert_eq!(back, vec![r]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_not_a_guess() {
        assert!(from_csv("system,reference\n\"LAPOR,1\n").is_err());
    }
}
