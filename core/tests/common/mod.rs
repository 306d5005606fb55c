//! Phones for tests: each is a real store in its own temporary folder, with the identity of one
//! of the people in DOMAIN.md, and `exchange` moves every document both ways as sync would.
#![allow(dead_code)]

use std::sync::Arc;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::types::{Identity, Location, ReportKind, Role};

pub const INSTITUTION: &str = "kota-makassar";
pub const UNIT_PU: &str = "kota-makassar.dpu";
pub const UNIT_DLH: &str = "kota-makassar.dlh";
pub const OTHER_INSTITUTION: &str = "kota-samarinda";

pub struct Phone {
    pub store: Arc<AduanStore>,
    pub dir: tempfile::TempDir,
}

impl std::ops::Deref for Phone {
    type Target = AduanStore;
    fn deref(&self) -> &AduanStore {
        &self.store
    }
}

pub fn identity(
    account: &str,
    role: Role,
    institution: Option<&str>,
    unit: Option<&str>,
) -> Identity {
    Identity {
        account_id: account.into(),
        display_name: format!("Nama {account}"),
        role,
        institution_id: institution.map(str::to_string),
        unit_id: unit.map(str::to_string),
        area: None,
    }
}

pub fn citizen() -> Identity {
    identity("warga-siti", Role::Citizen, None, None)
}
pub fn national_admin() -> Identity {
    identity("admin-nasional", Role::NationalAdmin, None, None)
}
pub fn institution_admin() -> Identity {
    identity(
        "admin-makassar",
        Role::InstitutionAdmin,
        Some(INSTITUTION),
        None,
    )
}
pub fn officer() -> Identity {
    identity(
        "petugas-pu",
        Role::Officer,
        Some(INSTITUTION),
        Some(UNIT_PU),
    )
}
pub fn liaison_officer() -> Identity {
    identity("penghubung", Role::Officer, Some(INSTITUTION), None)
}
pub fn officer_other_unit() -> Identity {
    identity(
        "petugas-dlh",
        Role::Officer,
        Some(INSTITUTION),
        Some(UNIT_DLH),
    )
}
pub fn officer_other_institution() -> Identity {
    identity(
        "petugas-samarinda",
        Role::Officer,
        Some(OTHER_INSTITUTION),
        None,
    )
}
pub fn admin_other_institution() -> Identity {
    identity(
        "admin-samarinda",
        Role::InstitutionAdmin,
        Some(OTHER_INSTITUTION),
        None,
    )
}
pub fn cadre() -> Identity {
    identity("pakandatto-01", Role::Cadre, Some(INSTITUTION), None)
}

/// Milliseconds at a local time in Makassar... or rather WIB (+7), the store's default offset.
pub fn wib(y: i32, m: u8, d: u8, h: u8) -> i64 {
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap();
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap();
    date.with_hms(h, 0, 0)
        .unwrap()
        .assume_offset(offset)
        .unix_timestamp()
        * 1000
}

/// Milliseconds at a local time in WITA (+8): Makassar, Samarinda.
pub fn wita(y: i32, m: u8, d: u8, h: u8) -> i64 {
    wib(y, m, d, h) - 3_600_000
}

/// Milliseconds at a local time in WIT (+9): Jayapura.
pub fn wit(y: i32, m: u8, d: u8, h: u8) -> i64 {
    wib(y, m, d, h) - 7_200_000
}

pub fn phone(who: Identity, now: i64) -> Phone {
    let dir = tempfile::tempdir().unwrap();
    let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    store.set_identity(who).unwrap();
    store.set_clock(Some(now));
    Phone { store, dir }
}

pub fn draft(title: &str) -> ComplaintDraft {
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: "pu.drainase".into(),
        title: title.into(),
        description: "Selokan tersumbat sampah, air meluap ke jalan setiap hujan.".into(),
        location: Location {
            latitude: Some(-5.1477),
            longitude: Some(119.4327),
            accuracy_m: Some(12.0),
            address: "Jl. Sultan Alauddin".into(),
            province: "Sulawesi Selatan".into(),
            city: "Kota Makassar".into(),
            kecamatan: "Tamalate".into(),
            kelurahan: "Mangasa".into(),
            area: String::new(),
        },
        anonymous: false,
        confidential: false,
        photos: vec![],
        channel: None,
    }
}

/// Moves every document from `from` to `to` (one direction).
pub fn push(from: &AduanStore, to: &AduanStore) {
    let docs: Vec<(String, Vec<u8>)> = from
        .with_store(|s| {
            let ids = s.doc_ids()?;
            let mut out = Vec::new();
            for id in ids {
                if let Some(bytes) = s.doc_bytes(&id)? {
                    out.push((id, bytes));
                }
            }
            Ok(out)
        })
        .unwrap();
    to.with_store(|s| {
        for (id, bytes) in &docs {
            s.apply_remote(id, bytes)?;
        }
        Ok(())
    })
    .unwrap();
}

pub fn exchange(a: &AduanStore, b: &AduanStore) {
    push(a, b);
    push(b, a);
}

pub fn act(p: &AduanStore, id: &str, action: WorkflowAction, note: &str) -> ComplaintDetail {
    p.perform(id.into(), action, note.into(), vec![])
        .unwrap_or_else(|e| panic!("{:?} refused: {e}", p.identity().map(|i| i.role)))
}

pub fn refused_code(p: &AduanStore, id: &str, action: WorkflowAction, note: &str) -> String {
    match p.perform(id.into(), action, note.into(), vec![]) {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.code().to_string(),
    }
}

/// A small real JPEG (gradient) for photo tests.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}
