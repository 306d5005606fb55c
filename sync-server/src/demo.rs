//! A demo account for each role in the sample region, so `scripts/run.sh` shows the whole
//! workflow with no setup. Their password is published, so they are made only when the
//! operator asks (`serve --demo`), and only on an empty server.

use aduan_core::types::Role;

use crate::error::ApiError;
use crate::services::accounts::{validate_account, NewAccount};
use crate::services::sessions::hash_password;
use crate::storage::{Account, Db};

pub const DEMO_PASSWORD: &str = "aduan-demo";

pub fn accounts() -> Vec<(
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
)> {
    vec![
        ("warga", "Siti Aminah", Role::Citizen, None, None),
        (
            "kader",
            "Pakandatto Mangasa",
            Role::Cadre,
            Some("kota-makassar"),
            None,
        ),
        (
            "petugas",
            "Budi (Dinas PU)",
            Role::Officer,
            Some("kota-makassar"),
            Some("kota-makassar.dpu"),
        ),
        (
            "penghubung",
            "Admin Penghubung Makassar",
            Role::Officer,
            Some("kota-makassar"),
            None,
        ),
        (
            "admin-makassar",
            "Admin Pemkot Makassar",
            Role::InstitutionAdmin,
            Some("kota-makassar"),
            None,
        ),
        (
            "admin-samarinda",
            "Admin Pemkot Samarinda",
            Role::InstitutionAdmin,
            Some("kota-samarinda"),
            None,
        ),
        (
            "admin-nasional",
            "Admin Nasional LAPOR",
            Role::NationalAdmin,
            None,
            None,
        ),
    ]
}

/// Creates the demo accounts if the server has no account yet. Returns how many were made.
pub fn seed(db: &Db, directory: &aduan_core::catalog::Directory) -> Result<usize, ApiError> {
    if db.counts()?.0 > 0 {
        return Ok(0);
    }
    let hash = hash_password(DEMO_PASSWORD)?;
    let mut n = 0;
    for (id, name, role, institution, unit) in accounts() {
        let new = NewAccount {
            id: id.into(),
            display_name: name.into(),
            role,
            institution_id: institution.map(str::to_string),
            unit_id: unit.map(str::to_string),
            password: DEMO_PASSWORD.into(),
            area: None,
        };
        validate_account(directory, &new)?;
        db.create_account(
            &Account {
                id: new.id,
                display_name: new.display_name,
                role,
                institution_id: new.institution_id,
                unit_id: new.unit_id,
                disabled: false,
                area: None,
            },
            Some(&hash),
        )?;
        n += 1;
    }
    Ok(n)
}
