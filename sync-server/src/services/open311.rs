//! The Open311 GeoReport v2 door: other systems (a city's 311 app, LAPOR!'s bridge, civic
//! apps) list services, file service requests and follow them.
//!
//! - Services are core's category tree, named in the asker's language.
//! - A request filed with an API key becomes a real complaint the way an operator's does: core
//!   files it on the caller's behalf (`Store::file_on_behalf`, so the same validation, channel
//!   rule and anonymity rule), and its documents reach the server through the same sync round
//!   as a phone's (authority, per-account daily quota, public index, figures, live updates).
//!   The key's account is its filer; the caller's contact details, if given, are kept as any
//!   operator's are (`reporters`).
//! - What leaves is only what core's public view shows; a confidential complaint is answered
//!   exactly as an unknown one.
//! - Keys are issued and revoked by the national administrator, kept as their SHA-256,
//!   limited to a number of uses an hour, and every use is recorded (key, endpoint, outcome).

use std::path::PathBuf;

use aduan_core::api::public::{self as core_public, PublicComplaint};
use aduan_core::catalog::{Category, CategoryTree, Directory};
use aduan_core::model::channel::Channel;
use aduan_core::model::report::NewReport;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::store::Store;
use aduan_core::sync::protocol::{SyncRequest, ACK_ON_SEND, VERSION};
use aduan_core::types::{Language, Location, ReportKind, Role, Status};
use aduan_core::workflow::Deadlines;
use sha2::{Digest, Sha256};

use super::live::Live;
use super::quotas::Meter;
use super::{public, reporters, security, sync};
use crate::error::{ApiError, Kind};
use crate::storage::open311::{self as db, Key, Selection};
use crate::storage::{Account, Db};

pub const KEY_ISSUED: &str = "open311_key_issued";
pub const KEY_REVOKED: &str = "open311_key_revoked";
/// Uses an hour a key gets unless the administrator says otherwise.
pub const DEFAULT_PER_HOUR: i64 = 600;
/// The most requests one `GET requests` answers (the specification's default limit).
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Without dates, `GET requests` covers the last 90 days (the specification's default).
const DEFAULT_SPAN_MS: i64 = 90 * 24 * 3_600_000;
const HOUR_MS: i64 = 3_600_000;

/// Channels a key may file by: those on which someone else types the complaint.
pub const KEY_CHANNELS: [&str; 4] = ["bridged", "sms", "call_centre", "desk"];

fn categories() -> &'static CategoryTree {
    static TREE: std::sync::OnceLock<CategoryTree> = std::sync::OnceLock::new();
    TREE.get_or_init(CategoryTree::bundled)
}

pub fn language(locale: Option<&str>) -> Language {
    match locale.map(|l| l.trim().to_ascii_lowercase()) {
        Some(l) if l == "en" || l.starts_with("en-") || l.starts_with("en_") => Language::En,
        _ => Language::Id,
    }
}

fn label(c: &Category, language: Language) -> &str {
    match language {
        Language::Id => &c.name_id,
        Language::En => &c.name_en,
    }
}

// ---- keys ----------------------------------------------------------------------------------

/// What an administrator asks for when issuing a key.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewKey {
    /// The other system's name (kept with each complaint it bridges).
    pub system: String,
    /// `bridged` (the default), `sms`, `call_centre` or `desk`.
    #[serde(default)]
    pub channel: Option<String>,
    /// An institution whose own door this is: its complaints go straight to it, as its call
    /// centre's do. None: they wait for the national desk like any other.
    #[serde(default)]
    pub institution_id: Option<String>,
    #[serde(default)]
    pub per_hour: Option<i64>,
}

/// A key as issued: `key` is shown this once and never stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IssuedKey {
    pub id: String,
    pub key: String,
    pub account_id: String,
}

fn key_hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.trim().as_bytes()).to_vec()
}

fn invalid(code: &'static str, en: impl Into<String>, id: impl Into<String>) -> ApiError {
    ApiError::new(Kind::Invalid, code, en, id)
}

/// Issues a key for another system; `actor` is the administrator (none from the command line).
pub fn issue(
    db: &Db,
    directory: &Directory,
    new: &NewKey,
    actor: Option<&str>,
    now_ms: i64,
) -> Result<IssuedKey, ApiError> {
    let system = new.system.trim();
    let channel = new.channel.as_deref().unwrap_or("bridged").trim();
    if !KEY_CHANNELS.contains(&channel) {
        return Err(invalid(
            "bad_channel",
            "A key files by bridged, sms, call_centre or desk.",
            "Kunci mengirim lewat bridged, sms, call_centre, atau desk.",
        ));
    }
    let probe = Channel::from_parts(channel, Some(system), Some("probe"))
        .ok_or_else(|| invalid("bad_channel", "Unknown channel.", "Kanal tidak dikenal."))?;
    if system.is_empty() || probe.check(Role::Officer, true).is_err() {
        return Err(invalid(
            "bad_system",
            "Name the other system (at most 100 characters).",
            "Sebutkan nama sistem lain (paling banyak 100 karakter).",
        ));
    }
    super::accounts::check_institution(directory, new.institution_id.as_deref())?;
    let per_hour = new.per_hour.unwrap_or(DEFAULT_PER_HOUR);
    if !(1..=100_000).contains(&per_hour) {
        return Err(invalid(
            "bad_rate",
            "per_hour is between 1 and 100000.",
            "per_hour antara 1 dan 100000.",
        ));
    }
    let id = hex::encode(rand::random::<[u8; 6]>());
    let key = format!("o311_{id}_{}", hex::encode(rand::random::<[u8; 20]>()));
    // Core lets an operator file for a caller: an institution's officer (its complaints go
    // straight to it) or, for a door of the national desk, its administrator (they wait for
    // verification like any other). The account has no password, so nobody signs in as it;
    // it only files what its key sends.
    let role = if new.institution_id.is_some() {
        Role::Officer
    } else {
        Role::NationalAdmin
    };
    let account = Account {
        id: format!("open311-{id}"),
        display_name: format!("Open311 {system}"),
        role,
        institution_id: new.institution_id.clone(),
        unit_id: None,
        disabled: false,
        area: None,
    };
    db.create_account(&account, None)?;
    db.bind_device(&account.id, &account.id)?;
    let stored = Key {
        id: id.clone(),
        system: system.to_string(),
        channel: channel.to_string(),
        account_id: account.id.clone(),
        per_hour,
        created_by: actor.map(str::to_string),
        created_at: now_ms,
        revoked_at: None,
    };
    db.transaction(|tx| {
        db::insert_key(tx, &stored, &key_hash(&key))?;
        security::record(tx, KEY_ISSUED, Some(&account.id), actor, &id)
    })?;
    Ok(IssuedKey {
        id,
        key,
        account_id: account.id,
    })
}

/// Revokes a key at once. Whether there was an unrevoked key with this id.
pub fn revoke(db: &Db, id: &str, actor: Option<&str>, now_ms: i64) -> Result<bool, ApiError> {
    db.transaction(|tx| {
        let Some(key) = db::key(tx, id)? else {
            return Ok(false);
        };
        let done = db::revoke(tx, id, now_ms)?;
        if done {
            security::record(tx, KEY_REVOKED, Some(&key.account_id), actor, id)?;
        }
        Ok(done)
    })
}

pub fn keys(db: &Db) -> Result<Vec<Key>, ApiError> {
    db.run(db::keys)
}

pub fn uses(db: &Db, id: &str, limit: u32) -> Result<Vec<db::Use>, ApiError> {
    db.run(|sql| db::uses(sql, id, limit.clamp(1, 1000)))
}

fn bad_key() -> ApiError {
    ApiError::new(
        Kind::Forbidden,
        "bad_api_key",
        "The api_key is unknown or revoked.",
        "api_key tidak dikenal atau sudah dicabut.",
    )
}

/// The key `api_key` names, counted as one use of `action` (refused past its hourly rate).
/// Every use is recorded, the refused ones too.
pub fn admit(db: &Db, api_key: &str, action: &str, now_ms: i64) -> Result<Key, ApiError> {
    db.run(|sql| {
        let Some(key) = db::key_by_hash(sql, &key_hash(api_key))? else {
            return Err(bad_key());
        };
        if db::counted_uses(sql, &key.id, now_ms - HOUR_MS)? >= key.per_hour {
            db::record_use(sql, &key.id, now_ms, action, db::RATE_LIMITED)?;
            return Err(ApiError::new(
                Kind::TooMany,
                "quota_exceeded",
                "This api_key has made as many requests as an hour allows; try again later.",
                "api_key ini sudah mencapai batas permintaan per jam; coba lagi nanti.",
            ));
        }
        Ok(key)
    })
}

/// Records how a use of `key` ended (its error's code, or `ok`).
pub fn used(db: &Db, key: &Key, action: &str, outcome: &str, now_ms: i64) {
    let recorded = db.run(|sql| db::record_use(sql, &key.id, now_ms, action, outcome));
    if let Err(e) = recorded {
        tracing::warn!(key = %key.id, error = %e.cause(), "open311 use not recorded");
    }
    tracing::info!(key = %key.id, action, outcome, "open311 use");
}

// ---- services ------------------------------------------------------------------------------

/// One Open311 service: a category.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub code: String,
    pub name: String,
    /// Where it sits in the tree ("Infrastruktur > Drainase").
    pub description: String,
    /// The top-level category's name.
    pub group: String,
}

pub fn services(language: Language) -> Vec<Service> {
    let tree = categories();
    tree.all()
        .iter()
        .map(|c| {
            let path = tree.path(&c.id);
            Service {
                code: c.id.clone(),
                name: label(c, language).to_string(),
                description: path
                    .iter()
                    .map(|p| label(p, language))
                    .collect::<Vec<_>>()
                    .join(" > "),
                group: path
                    .first()
                    .map(|p| label(p, language).to_string())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// A service definition's attribute (the specification's fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub code: &'static str,
    pub datatype: &'static str,
    pub required: bool,
    pub description: String,
    pub order: u32,
    /// (key, name) for list datatypes.
    pub values: Vec<(String, String)>,
}

/// What every service asks besides the specification's own fields: the kind of report and
/// where it is by administrative area (what the public view shows instead of coordinates).
pub fn definition(code: &str, language: Language) -> Result<Vec<Attribute>, ApiError> {
    if !categories().contains(code) {
        return Err(unknown_service());
    }
    let area = |code: &'static str, order: u32, id: &'static str, en: &'static str| Attribute {
        code,
        datatype: "string",
        required: false,
        description: language.pick(id, en).to_string(),
        order,
        values: vec![],
    };
    Ok(vec![
        Attribute {
            code: "kind",
            datatype: "singlevaluelist",
            required: false,
            description: language
                .pick(
                    "Jenis laporan (bawaan: pengaduan)",
                    "Kind of report (default: complaint)",
                )
                .to_string(),
            order: 1,
            values: ReportKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label(language).to_string()))
                .collect(),
        },
        area(
            "kelurahan",
            2,
            "Kelurahan atau desa",
            "Urban village (kelurahan or desa)",
        ),
        area("kecamatan", 3, "Kecamatan", "District (kecamatan)"),
        area("city", 4, "Kabupaten atau kota", "Regency or city"),
        area("province", 5, "Provinsi", "Province"),
        Attribute {
            code: "title",
            datatype: "string",
            required: false,
            description: language
                .pick(
                    "Judul singkat (bawaan: nama layanan)",
                    "Short title (default: the service's name)",
                )
                .to_string(),
            order: 6,
            values: vec![],
        },
    ])
}

fn unknown_service() -> ApiError {
    ApiError::new(
        Kind::NotFound,
        "unknown_service",
        "No service has this service_code.",
        "Tidak ada layanan dengan service_code ini.",
    )
}

// ---- filing --------------------------------------------------------------------------------

/// A `POST requests` form, as the specification names its fields (`attribute[code]` values
/// in `attributes`).
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    pub service_code: String,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub address_string: Option<String>,
    pub address_id: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    /// The other system's own reference for a bridged complaint (an extension field); the
    /// token answered is kept instead when none is given.
    pub external_id: Option<String>,
    pub attributes: Vec<(String, String)>,
}

/// What a filed request answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Filed {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: String,
}

fn from_core(e: aduan_core::error::Error) -> ApiError {
    match e {
        aduan_core::error::Error::Invalid { field, reason } => ApiError::new(
            Kind::Invalid,
            "invalid_input",
            format!("Invalid {field}: {reason}."),
            format!("Isian '{field}' tidak valid."),
        ),
        other => ApiError::internal(format!("open311 filing: {other}")),
    }
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_coordinate(v: &str, field: &'static str) -> Result<f64, ApiError> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| {
            invalid(
                "invalid_input",
                format!("{field} is not a number."),
                format!("{field} bukan angka."),
            )
        })
}

/// The report and the caller's contact a form describes; the channel is filled in by `file`.
fn report_of(
    form: &NewRequest,
    language: Language,
) -> Result<(NewReport, Option<ReporterContact>), ApiError> {
    let tree = categories();
    let category = tree
        .get(form.service_code.trim())
        .ok_or_else(unknown_service)?;
    let attr = |code: &str| {
        form.attributes
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let (latitude, longitude) = match (present(&form.lat), present(&form.long)) {
        (Some(a), Some(b)) => (
            Some(parse_coordinate(a, "lat")?),
            Some(parse_coordinate(b, "long")?),
        ),
        (None, None) => (None, None),
        _ => {
            return Err(invalid(
                "invalid_input",
                "lat and long go together.",
                "lat dan long harus diisi bersama.",
            ))
        }
    };
    let address = present(&form.address_string)
        .or(present(&form.address_id))
        .unwrap_or_default()
        .to_string();
    // The specification's rule: a request says where, by coordinates or an address.
    if latitude.is_none() && address.is_empty() {
        return Err(invalid(
            "location_required",
            "Give lat and long, address_string or address_id.",
            "Isi lat dan long, address_string, atau address_id.",
        ));
    }
    let description = present(&form.description).ok_or_else(|| {
        invalid(
            "description_required",
            "Describe the problem (description).",
            "Jelaskan masalahnya (description).",
        )
    })?;
    let kind = match attr("kind").as_str() {
        "" => ReportKind::Complaint,
        k => ReportKind::from_code(k).ok_or_else(|| {
            invalid(
                "invalid_input",
                "Unknown kind.",
                "Jenis laporan tidak dikenal.",
            )
        })?,
    };
    let title = match attr("title") {
        t if t.is_empty() => label(category, language).to_string(),
        t => t,
    };
    let name = [present(&form.first_name), present(&form.last_name)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let contact = ReporterContact {
        name,
        phone: present(&form.phone).unwrap_or_default().to_string(),
        email: present(&form.email).unwrap_or_default().to_string(),
    };
    let named = !(contact.name.is_empty() && contact.phone.is_empty() && contact.email.is_empty());
    let report = NewReport {
        kind,
        category: category.id.clone(),
        title,
        description: description.to_string(),
        location: Location {
            latitude,
            longitude,
            accuracy_m: None,
            address,
            province: attr("province"),
            city: attr("city"),
            kecamatan: attr("kecamatan"),
            kelurahan: attr("kelurahan"),
            // Core fills in the village's code from the names when it finds exactly one.
            area: String::new(),
        },
        anonymous: !named,
        confidential: false,
        photos: vec![],
        channel: Channel::App,
    };
    Ok((report, named.then_some(contact)))
}

/// A core store for one filing, in its own folder, removed when done.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Everything `file` needs from the server.
pub struct Filing<'a> {
    pub db: &'a Db,
    pub live: &'a Live,
    pub deadlines: &'a Deadlines,
    /// The quotas filing counts against; none for the operator's own command line.
    pub meter: Option<&'a Meter>,
    pub address: Option<std::net::IpAddr>,
    pub now_ms: i64,
}

/// Files `form` as a complaint for the key's account (see the module's notes).
pub fn file(
    f: &Filing<'_>,
    key: &Key,
    form: &NewRequest,
    language: Language,
) -> Result<Filed, ApiError> {
    let account =
        f.db.account(&key.account_id)?
            .filter(|a| !a.disabled)
            .ok_or_else(bad_key)?;
    let (mut report, contact) = report_of(form, language)?;
    let token = hex::encode(rand::random::<[u8; 12]>());
    report.channel = match key.channel.as_str() {
        "bridged" => Channel::Bridged {
            system: key.system.clone(),
            reference: present(&form.external_id).unwrap_or(&token).to_string(),
        },
        other => Channel::from_parts(other, None, None).ok_or_else(bad_key)?,
    };
    let complaint_id = file_report(f, &account, &report, contact.as_ref())?;
    f.db.transaction(|tx| db::put_token(tx, &token, &complaint_id, &key.id, f.now_ms))?;
    let tracking_id = aduan_core::model::tracking_id(&complaint_id);
    let service_notice = match language {
        Language::Id => format!(
            "Laporan diterima dengan nomor pelacakan {tracking_id}; statusnya dapat dilihat tanpa akun."
        ),
        Language::En => format!(
            "Report received with tracking id {tracking_id}; anyone holding it can follow its status."
        ),
    };
    Ok(Filed {
        service_request_id: tracking_id,
        token,
        service_notice,
    })
}

/// Files `report` for a caller as `account` (an operator), the way an operator's phone would:
/// core files it on the caller's behalf in a scratch store, and its documents reach the
/// server through a sync round as the account's own device (the account's id). The caller's
/// contact, if any, is kept as `reporters` keeps any operator's. Returns the complaint's id.
pub fn file_report(
    f: &Filing<'_>,
    account: &Account,
    report: &NewReport,
    contact: Option<&ReporterContact>,
) -> Result<String, ApiError> {
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "aduan-open311-{}",
        hex::encode(rand::random::<[u8; 12]>())
    )));
    let (complaint_id, uploads) = {
        let mut store = Store::open(&scratch.0).map_err(from_core)?;
        store.set_identity(account.identity()).map_err(from_core)?;
        let id = store.file_on_behalf(report, contact).map_err(from_core)?;
        let uploads = store
            .outgoing(usize::MAX)
            .map_err(from_core)?
            .into_iter()
            .map(|o| o.upload)
            .collect::<Vec<_>>();
        (id, uploads)
    };
    drop(scratch);
    let ctx = sync::Context {
        account,
        device_id: &account.id,
        now_ms: f.now_ms,
        deadlines: f.deadlines,
        quotas: f.meter.map(|m| (m, f.address)),
    };
    let request = SyncRequest {
        version: VERSION,
        cursor: 0,
        uploads,
        resync: vec![],
        // Only the upload matters: the key's "device" keeps nothing.
        max_response_bytes: 1,
        ack: ACK_ON_SEND,
        notices_after: aduan_core::sync::protocol::NOTICES_UNSUPPORTED,
    };
    let (response, _) = sync::round(f.db, f.live, &ctx, request)?;
    if let Some(r) = response.refused.first() {
        return Err(if r.code == "quota_exceeded" {
            ApiError::new(
                Kind::TooMany,
                "quota_exceeded",
                &r.message_en,
                &r.message_id,
            )
        } else {
            ApiError::new(Kind::Unprocessable, "refused", &r.message_en, &r.message_id)
        });
    }
    if let Some(contact) = contact {
        f.db.transaction(|tx| reporters::give(tx, account, &complaint_id, contact, f.now_ms))?;
    }
    Ok(complaint_id)
}

// ---- reading -------------------------------------------------------------------------------

/// `GET requests` filters as the specification names them (comma-separated lists).
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub status: Option<String>,
    /// From 1 (the paging extension).
    pub page: u32,
    pub page_size: u32,
}

fn list(v: &Option<String>) -> Option<Vec<String>> {
    present(v).map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
}

/// The stored status codes an Open311 status (`open`, `closed`) stands for.
fn statuses(open311: &str) -> Result<Vec<String>, ApiError> {
    let open = match open311.to_ascii_lowercase().as_str() {
        "open" => true,
        "closed" => false,
        _ => {
            return Err(invalid(
                "invalid_input",
                "status is open or closed.",
                "status adalah open atau closed.",
            ))
        }
    };
    Ok(Status::ALL
        .iter()
        .filter(|s| s.is_open() == open)
        .map(|s| s.code().to_string())
        .collect())
}

/// Public complaints as the query selects, newest first: the list when no request id is
/// named covers 90 days unless dates are given.
pub fn requests(
    db: &Db,
    deadlines: &Deadlines,
    q: &Query,
    language: Language,
    now_ms: i64,
) -> Result<Vec<PublicComplaint>, ApiError> {
    let ids = list(&q.service_request_id).map(|ids| {
        ids.iter()
            .filter_map(|id| core_public::parse_tracking_id(id))
            .collect::<Vec<_>>()
    });
    let mut selection = Selection {
        tracking_ids: ids.clone(),
        ..Selection::default()
    };
    // The specification: a list of request ids overrides every other filter.
    if ids.is_none() {
        selection.categories = list(&q.service_code);
        selection.statuses = match list(&q.status) {
            None => None,
            Some(s) => {
                let mut all = Vec::new();
                for one in s {
                    all.extend(statuses(&one)?);
                }
                Some(all)
            }
        };
        if let (Some(a), Some(b)) = (q.start_ms, q.end_ms) {
            if a > b {
                return Err(invalid(
                    "invalid_input",
                    "start_date is after end_date.",
                    "start_date sesudah end_date.",
                ));
            }
        }
        selection.from_ms = q.start_ms.or(match q.end_ms {
            Some(end) => Some(end - DEFAULT_SPAN_MS),
            None => Some(now_ms - DEFAULT_SPAN_MS),
        });
        selection.to_ms = q.end_ms;
    }
    let size = q.page_size.clamp(1, MAX_PAGE_SIZE);
    let page = q.page.max(1);
    if page > public::MAX_PAGE {
        return Err(invalid(
            "page_too_far",
            "Narrow the dates instead of paging this far.",
            "Persempit tanggal daripada membuka halaman sejauh ini.",
        ));
    }
    db.run(|sql| {
        let ids = db::select(sql, &selection, (page - 1) * size, size)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(v) = public::view(sql, deadlines, &id, language, now_ms)? {
                out.push(v);
            }
        }
        Ok(out)
    })
}

/// One request by its id (a tracking id); confidential ones are unknown.
pub fn request(
    db: &Db,
    deadlines: &Deadlines,
    id: &str,
    language: Language,
    now_ms: i64,
) -> Result<PublicComplaint, ApiError> {
    let Some(tracking_id) = core_public::parse_tracking_id(id) else {
        return Err(public::not_found());
    };
    public::track(db, deadlines, &tracking_id, language, now_ms)
}

/// The request id a token stands for, once its complaint is public.
pub fn token(db: &Db, token: &str) -> Result<String, ApiError> {
    let t = token.trim();
    if t.is_empty() || t.len() > 64 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(public::not_found());
    }
    db.run(|sql| {
        let Some(id) = db::token(sql, t)? else {
            return Err(public::not_found());
        };
        let tracking = aduan_core::model::tracking_id(&id);
        match crate::storage::public::by_tracking_id(sql, &tracking)? {
            Some((_, false)) => Ok(tracking),
            _ => Err(public::not_found()),
        }
    })
}
