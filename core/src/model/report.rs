//! The report document: what the reporter wrote. Only the reporter's devices write it, so the
//! server can accept or refuse a change to it by who sent it alone. Title and description are
//! Automerge text, so edits made on two of the reporter's phones merge character by character.

use automerge::{
    transaction::Transactable, AutoCommit, ObjType, ReadDoc, ScalarValue, Value, ROOT,
};
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use crate::error::{Error, Result};
use crate::types::{Location, Millis, ReportKind, Role};

pub const SCHEMA: i64 = 1;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 8000;
pub const MAX_ADDRESS_CHARS: usize = 500;
pub const MAX_REPORT_PHOTOS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub sha256: String,
    pub thumb_sha256: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub added_at: Millis,
}

/// The report as read back from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub kind: ReportKind,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: Location,
    pub anonymous: bool,
    pub confidential: bool,
    pub created_at: Millis,
    pub reporter_role: Role,
    pub direct_institution: Option<String>,
    pub photos: Vec<PhotoRef>,
    /// How it arrived; a report from before channels reads as the app (a cadre's: cadre).
    pub channel: Channel,
    /// The operator who typed it for a caller (the caller is its reporter).
    pub filed_by: Option<FiledBy>,
}

/// Who typed a complaint filed on someone's behalf: a staff account, never the reporter's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledBy {
    pub account: String,
    pub role: Role,
}

/// What a reporter fills in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub kind: ReportKind,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: Location,
    pub anonymous: bool,
    pub confidential: bool,
    pub photos: Vec<PhotoRef>,
    pub channel: Channel,
}

/// Fields left `None` are not touched.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportEdit {
    pub kind: Option<ReportKind>,
    pub category: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<Location>,
    /// Turning a flag on is always allowed; turning it off is the reporter's own choice.
    pub anonymous: Option<bool>,
    pub confidential: Option<bool>,
}

fn check_len(field: &'static str, value: &str, max: usize, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::Invalid {
            field,
            reason: "must not be empty",
        });
    }
    if value.chars().count() > max {
        return Err(Error::Invalid {
            field,
            reason: "too long",
        });
    }
    Ok(())
}

pub fn validate_location(location: &Location) -> Result<()> {
    if let Some(lat) = location.latitude {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(Error::Invalid {
                field: "latitude",
                reason: "out of range",
            });
        }
    }
    if let Some(lon) = location.longitude {
        if !(-180.0..=180.0).contains(&lon) {
            return Err(Error::Invalid {
                field: "longitude",
                reason: "out of range",
            });
        }
    }
    if location.latitude.is_some() != location.longitude.is_some() {
        return Err(Error::Invalid {
            field: "location",
            reason: "latitude and longitude go together",
        });
    }
    if let Some(acc) = location.accuracy_m {
        if !(0.0..=100_000.0).contains(&acc) {
            return Err(Error::Invalid {
                field: "accuracy",
                reason: "out of range",
            });
        }
    }
    if !location.area.is_empty() && !village_code(&location.area) {
        return Err(Error::Invalid {
            field: "area",
            reason: "must be a village's Kemendagri code, such as 73.71.10.1005",
        });
    }
    check_len("address", &location.address, MAX_ADDRESS_CHARS, false)?;
    for (field, v) in [
        ("province", &location.province),
        ("city", &location.city),
        ("kecamatan", &location.kecamatan),
        ("kelurahan", &location.kelurahan),
    ] {
        check_len(field, v, 100, false)?;
    }
    Ok(())
}

pub fn validate_new(report: &NewReport) -> Result<()> {
    check_len("title", &report.title, MAX_TITLE_CHARS, true)?;
    check_len(
        "description",
        &report.description,
        MAX_DESCRIPTION_CHARS,
        true,
    )?;
    validate_location(&report.location)?;
    if report.photos.len() > MAX_REPORT_PHOTOS {
        return Err(Error::Invalid {
            field: "photos",
            reason: "at most 10 photos per report",
        });
    }
    Ok(())
}

/// Files a new report into `doc` as `filer` (for itself, or with `on_behalf` for a caller):
/// the channel, category and field rules, who holds it from the start (a field cadre's own
/// institution, or the institution whose operator took the call) and who typed it. The phone
/// and the desk file through this one function.
pub fn file(
    doc: &mut AutoCommit,
    id: &str,
    new: &NewReport,
    now: Millis,
    filer: &crate::types::Identity,
    on_behalf: bool,
    categories: &crate::catalog::CategoryTree,
) -> Result<()> {
    new.channel
        .check(filer.role, on_behalf)
        .map_err(|reason| Error::Invalid {
            field: "channel",
            reason,
        })?;
    if !categories.contains(&new.category) {
        return Err(Error::Invalid {
            field: "category",
            reason: "unknown",
        });
    }
    validate_new(new)?;
    // A field cadre's report goes straight to their own institution, and so does what an
    // institution's call centre or desk takes for a caller.
    let direct = match (filer.role, &filer.institution_id, on_behalf) {
        (Role::Cadre, Some(inst), false) => Some(inst.as_str()),
        (Role::Officer | Role::InstitutionAdmin, Some(inst), true) => Some(inst.as_str()),
        _ => None,
    };
    let filed_by = on_behalf.then(|| FiledBy {
        account: filer.account_id.clone(),
        role: filer.role,
    });
    let reporter_role = if on_behalf { Role::Citizen } else { filer.role };
    create(doc, id, new, now, reporter_role, direct, filed_by.as_ref())
}

/// Writes a new report into an empty document (the first change of its history).
pub fn create(
    doc: &mut AutoCommit,
    id: &str,
    report: &NewReport,
    created_at: Millis,
    reporter_role: Role,
    direct_institution: Option<&str>,
    filed_by: Option<&FiledBy>,
) -> Result<()> {
    validate_new(report)?;
    let filer = filed_by.map_or(reporter_role, |f| f.role);
    report
        .channel
        .check(filer, filed_by.is_some())
        .map_err(|reason| Error::Invalid {
            field: "channel",
            reason,
        })?;
    doc.put(ROOT, "schema", SCHEMA)?;
    doc.put(ROOT, "id", id)?;
    doc.put(ROOT, "kind", report.kind.code())?;
    doc.put(ROOT, "category", report.category.as_str())?;
    let title = doc.put_object(ROOT, "title", ObjType::Text)?;
    doc.splice_text(&title, 0, 0, &report.title)?;
    let description = doc.put_object(ROOT, "description", ObjType::Text)?;
    doc.splice_text(&description, 0, 0, &report.description)?;
    let location = doc.put_object(ROOT, "location", ObjType::Map)?;
    write_location(doc, &location, &report.location)?;
    doc.put(ROOT, "anonymous", report.anonymous)?;
    doc.put(ROOT, "confidential", report.confidential)?;
    doc.put(ROOT, "created_at", ScalarValue::Timestamp(created_at))?;
    doc.put(ROOT, "reporter_role", reporter_role.code())?;
    if let Some(inst) = direct_institution {
        doc.put(ROOT, "direct_institution", inst)?;
    }
    doc.put(ROOT, "channel", report.channel.code())?;
    if let Channel::Bridged { system, reference } = &report.channel {
        doc.put(ROOT, "bridged_system", system.trim())?;
        doc.put(ROOT, "bridged_reference", reference.trim())?;
    }
    if let Some(f) = filed_by {
        doc.put(ROOT, "filed_by", f.account.as_str())?;
        doc.put(ROOT, "filed_by_role", f.role.code())?;
    }
    doc.put_object(ROOT, "photos", ObjType::Map)?;
    for photo in &report.photos {
        add_photo(doc, photo)?;
    }
    Ok(())
}

fn write_location(doc: &mut AutoCommit, obj: &automerge::ObjId, loc: &Location) -> Result<()> {
    for (key, value) in [
        ("latitude", loc.latitude),
        ("longitude", loc.longitude),
        ("accuracy_m", loc.accuracy_m),
    ] {
        match value {
            Some(v) => doc.put(obj, key, v)?,
            None => {
                if doc.get(obj, key)?.is_some() {
                    doc.delete(obj, key)?;
                }
            }
        }
    }
    for (key, value) in [
        ("address", &loc.address),
        ("province", &loc.province),
        ("city", &loc.city),
        ("kecamatan", &loc.kecamatan),
        ("kelurahan", &loc.kelurahan),
    ] {
        doc.put(obj, key, value.as_str())?;
    }
    // Written only when known, so a report without one stays readable by older servers.
    if !loc.area.is_empty() {
        doc.put(obj, "area", loc.area.as_str())?;
    } else if doc.get(obj, "area")?.is_some() {
        doc.delete(obj, "area")?;
    }
    Ok(())
}

/// A village's Kemendagri code (`73.71.10.1005`): the only kind of area a location names.
pub fn village_code(code: &str) -> bool {
    crate::catalog::areas::valid_area_code(code) && code.split('.').count() == 4
}

pub fn edit(doc: &mut AutoCommit, edit: &ReportEdit) -> Result<()> {
    if let Some(title) = &edit.title {
        check_len("title", title, MAX_TITLE_CHARS, true)?;
    }
    if let Some(description) = &edit.description {
        check_len("description", description, MAX_DESCRIPTION_CHARS, true)?;
    }
    if let Some(location) = &edit.location {
        validate_location(location)?;
    }
    if let Some(kind) = edit.kind {
        doc.put(ROOT, "kind", kind.code())?;
    }
    if let Some(category) = &edit.category {
        doc.put(ROOT, "category", category.as_str())?;
    }
    if let Some(title) = &edit.title {
        let obj = text_obj(doc, "title")?;
        doc.update_text(&obj, title)?;
    }
    if let Some(description) = &edit.description {
        let obj = text_obj(doc, "description")?;
        doc.update_text(&obj, description)?;
    }
    if let Some(location) = &edit.location {
        let obj = match doc.get(ROOT, "location")? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => doc.put_object(ROOT, "location", ObjType::Map)?,
        };
        write_location(doc, &obj, location)?;
    }
    if let Some(anonymous) = edit.anonymous {
        doc.put(ROOT, "anonymous", anonymous)?;
    }
    if let Some(confidential) = edit.confidential {
        doc.put(ROOT, "confidential", confidential)?;
    }
    Ok(())
}

fn text_obj(doc: &mut AutoCommit, key: &str) -> Result<automerge::ObjId> {
    match doc.get(ROOT, key)? {
        Some((Value::Object(ObjType::Text), id)) => Ok(id),
        _ => Ok(doc.put_object(ROOT, key, ObjType::Text)?),
    }
}

pub fn add_photo(doc: &mut AutoCommit, photo: &PhotoRef) -> Result<()> {
    let photos = match doc.get(ROOT, "photos")? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(ROOT, "photos", ObjType::Map)?,
    };
    if doc.get(&photos, photo.sha256.as_str())?.is_some() {
        return Ok(());
    }
    if doc.length(&photos) >= MAX_REPORT_PHOTOS {
        return Err(Error::Invalid {
            field: "photos",
            reason: "at most 10 photos per report",
        });
    }
    let entry = doc.put_object(&photos, photo.sha256.as_str(), ObjType::Map)?;
    doc.put(&entry, "thumb", photo.thumb_sha256.as_str())?;
    doc.put(&entry, "width", photo.width as i64)?;
    doc.put(&entry, "height", photo.height as i64)?;
    doc.put(&entry, "bytes", photo.bytes as i64)?;
    doc.put(&entry, "added_at", ScalarValue::Timestamp(photo.added_at))?;
    Ok(())
}

fn scalar<'a>(doc: &'a AutoCommit, obj: &automerge::ObjId, key: &str) -> Option<ScalarValue> {
    match doc.get(obj, key).ok().flatten() {
        Some((Value::Scalar(s), _)) => Some(s.into_owned()),
        _ => None,
    }
}

fn string(doc: &AutoCommit, obj: &automerge::ObjId, key: &str) -> Option<String> {
    match scalar(doc, obj, key)? {
        ScalarValue::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

fn number(doc: &AutoCommit, obj: &automerge::ObjId, key: &str) -> Option<f64> {
    match scalar(doc, obj, key)? {
        ScalarValue::F64(f) => Some(f),
        ScalarValue::Int(i) => Some(i as f64),
        ScalarValue::Uint(u) => Some(u as f64),
        _ => None,
    }
}

fn int(doc: &AutoCommit, obj: &automerge::ObjId, key: &str) -> Option<i64> {
    match scalar(doc, obj, key)? {
        ScalarValue::Int(i) | ScalarValue::Timestamp(i) => Some(i),
        ScalarValue::Uint(u) => i64::try_from(u).ok(),
        _ => None,
    }
}

fn boolean(doc: &AutoCommit, obj: &automerge::ObjId, key: &str) -> bool {
    matches!(scalar(doc, obj, key), Some(ScalarValue::Boolean(true)))
}

fn text(doc: &AutoCommit, key: &str) -> String {
    match doc.get(ROOT, key).ok().flatten() {
        Some((Value::Object(ObjType::Text), id)) => doc.text(&id).unwrap_or_default(),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// Reads the report back. `None` when the document holds no report (empty or foreign).
pub fn read(doc: &AutoCommit) -> Option<Report> {
    let root = ROOT.into();
    let id = string(doc, &root, "id")?;
    let kind = ReportKind::from_code(&string(doc, &root, "kind")?)?;
    let location = match doc.get(ROOT, "location").ok().flatten() {
        Some((Value::Object(ObjType::Map), obj)) => Location {
            latitude: number(doc, &obj, "latitude"),
            longitude: number(doc, &obj, "longitude"),
            accuracy_m: number(doc, &obj, "accuracy_m"),
            address: string(doc, &obj, "address").unwrap_or_default(),
            province: string(doc, &obj, "province").unwrap_or_default(),
            city: string(doc, &obj, "city").unwrap_or_default(),
            kecamatan: string(doc, &obj, "kecamatan").unwrap_or_default(),
            kelurahan: string(doc, &obj, "kelurahan").unwrap_or_default(),
            area: string(doc, &obj, "area")
                .filter(|a| village_code(a))
                .unwrap_or_default(),
        },
        _ => Location::default(),
    };
    let mut photos = Vec::new();
    if let Some((Value::Object(ObjType::Map), obj)) = doc.get(ROOT, "photos").ok().flatten() {
        for key in doc.keys(&obj) {
            if let Some((Value::Object(ObjType::Map), entry)) =
                doc.get(&obj, key.as_str()).ok().flatten()
            {
                photos.push(PhotoRef {
                    thumb_sha256: string(doc, &entry, "thumb").unwrap_or_default(),
                    width: int(doc, &entry, "width")
                        .unwrap_or(0)
                        .clamp(0, u32::MAX as i64) as u32,
                    height: int(doc, &entry, "height")
                        .unwrap_or(0)
                        .clamp(0, u32::MAX as i64) as u32,
                    bytes: int(doc, &entry, "bytes").unwrap_or(0).max(0) as u64,
                    added_at: int(doc, &entry, "added_at").unwrap_or(0),
                    sha256: key,
                });
            }
        }
        photos.sort_by(|a, b| (a.added_at, &a.sha256).cmp(&(b.added_at, &b.sha256)));
    }
    let reporter_role = string(doc, &root, "reporter_role")
        .and_then(|r| Role::from_code(&r))
        .unwrap_or(Role::Citizen);
    let channel = match string(doc, &root, "channel") {
        Some(code) => Channel::from_parts(
            &code,
            string(doc, &root, "bridged_system").as_deref(),
            string(doc, &root, "bridged_reference").as_deref(),
        )
        // The server refuses such a report (`check_shape`); a replica still shows it.
        .unwrap_or_else(|| Channel::before_channels(reporter_role)),
        None => Channel::before_channels(reporter_role),
    };
    let filed_by = match (
        string(doc, &root, "filed_by"),
        string(doc, &root, "filed_by_role").and_then(|r| Role::from_code(&r)),
    ) {
        (Some(account), Some(role)) => Some(FiledBy { account, role }),
        _ => None,
    };
    Some(Report {
        id,
        kind,
        category: string(doc, &root, "category").unwrap_or_default(),
        title: text(doc, "title"),
        description: text(doc, "description"),
        location,
        anonymous: boolean(doc, &root, "anonymous"),
        confidential: boolean(doc, &root, "confidential"),
        created_at: int(doc, &root, "created_at").unwrap_or(0),
        reporter_role,
        direct_institution: string(doc, &root, "direct_institution"),
        photos,
        channel,
        filed_by,
    })
}

const ROOT_KEYS: [&str; 18] = [
    "schema",
    "id",
    "kind",
    "category",
    "title",
    "description",
    "location",
    "anonymous",
    "confidential",
    "created_at",
    "reporter_role",
    "direct_institution",
    "photos",
    "channel",
    "bridged_system",
    "bridged_reference",
    "filed_by",
    "filed_by_role",
];
const LOCATION_KEYS: [&str; 9] = [
    "latitude",
    "longitude",
    "accuracy_m",
    "address",
    "province",
    "city",
    "kecamatan",
    "kelurahan",
    "area",
];
const PHOTO_KEYS: [&str; 5] = ["thumb", "width", "height", "bytes", "added_at"];
/// The longest scalar a report holds is an address of 500 characters.
const MAX_SCALAR_BYTES: usize = 4 * MAX_ADDRESS_CHARS;

/// The report holds only its own keys, each of its own shape and size: a reporter's tampered
/// client cannot park anything else in a document every handler's phone loads. `read` checks
/// the lengths of what it reads; this checks everything else.
pub fn check_shape(doc: &AutoCommit) -> std::result::Result<(), &'static str> {
    for key in doc.keys(ROOT) {
        let Some(key) = ROOT_KEYS.iter().find(|k| **k == key) else {
            return Err("unknown field");
        };
        match (*key, doc.get(ROOT, *key).ok().flatten()) {
            ("title" | "description", Some((Value::Object(ObjType::Text), _))) => {}
            ("location", Some((Value::Object(ObjType::Map), obj))) => {
                check_map(doc, &obj, &LOCATION_KEYS)?;
            }
            ("photos", Some((Value::Object(ObjType::Map), obj))) => {
                if doc.length(&obj) > MAX_REPORT_PHOTOS {
                    return Err("photos");
                }
                for sha in doc.keys(&obj) {
                    if !crate::model::event::is_sha256_hex(&sha) {
                        return Err("photo hash");
                    }
                    match doc.get(&obj, sha.as_str()).ok().flatten() {
                        Some((Value::Object(ObjType::Map), entry)) => {
                            check_map(doc, &entry, &PHOTO_KEYS)?
                        }
                        _ => return Err("photo"),
                    }
                }
            }
            (_, Some((Value::Scalar(s), _))) => check_scalar(&s)?,
            _ => return Err("field type"),
        }
    }
    let root = ROOT;
    for key in [
        "channel",
        "bridged_system",
        "bridged_reference",
        "filed_by",
        "filed_by_role",
    ] {
        if doc.get(ROOT, key).ok().flatten().is_some() && string(doc, &root, key).is_none() {
            return Err("field type");
        }
    }
    if let Some(code) = string(doc, &root, "channel") {
        let channel = Channel::from_parts(
            &code,
            string(doc, &root, "bridged_system").as_deref(),
            string(doc, &root, "bridged_reference").as_deref(),
        )
        .ok_or("channel")?;
        if !matches!(channel, Channel::Bridged { .. })
            && (doc.get(ROOT, "bridged_system").ok().flatten().is_some()
                || doc.get(ROOT, "bridged_reference").ok().flatten().is_some())
        {
            return Err("channel");
        }
    }
    match (
        string(doc, &root, "filed_by"),
        string(doc, &root, "filed_by_role"),
    ) {
        (None, None) => {}
        (Some(account), Some(role))
            if crate::model::event::valid_id(&account) && Role::from_code(&role).is_some() => {}
        _ => return Err("filed by"),
    }
    Ok(())
}

fn check_map(
    doc: &AutoCommit,
    obj: &automerge::ObjId,
    known: &[&str],
) -> std::result::Result<(), &'static str> {
    for key in doc.keys(obj) {
        if !known.contains(&key.as_str()) {
            return Err("unknown field");
        }
        match doc.get(obj, key.as_str()).ok().flatten() {
            Some((Value::Scalar(s), _)) => check_scalar(&s)?,
            _ => return Err("field type"),
        }
    }
    Ok(())
}

fn check_scalar(s: &ScalarValue) -> std::result::Result<(), &'static str> {
    match s {
        ScalarValue::Str(s) if s.len() > MAX_SCALAR_BYTES => Err("field size"),
        ScalarValue::Bytes(_) | ScalarValue::Unknown { .. } => Err("field type"),
        _ => Ok(()),
    }
}
