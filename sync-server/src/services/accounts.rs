//! Accounts the national administrator (or the operator, from the server's own command line)
//! creates, disables and moves between institutions; every change in the security log.

use aduan_core::catalog::Directory;
use aduan_core::types::Role;
use serde::Deserialize;

use super::security;
use crate::error::ApiError;
use crate::storage::{Account, Db};

#[derive(Deserialize)]
pub struct NewAccount {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    pub password: String,
    /// A field cadre's kelurahan (Kemendagri code), checked against core's catalog.
    #[serde(default)]
    pub area: Option<String>,
}

/// Validates an account against the directory: the same rules for the API and the CLI.
pub fn validate_account(directory: &Directory, a: &NewAccount) -> Result<(), ApiError> {
    if !aduan_core::model::event::valid_id(&a.id) || a.id.starts_with("anon-") {
        return Err(ApiError::bad_request(
            "bad_account_id",
            "Account ids are 1-80 letters, digits, '.', '-' or '_'.",
        ));
    }
    if a.display_name.trim().is_empty() || a.display_name.len() > 200 {
        return Err(ApiError::bad_request(
            "bad_name",
            "The display name must not be empty.",
        ));
    }
    super::passwords::check(&a.id, &a.password)?;
    let needs_institution = matches!(a.role, Role::Officer | Role::InstitutionAdmin | Role::Cadre);
    match (&a.institution_id, needs_institution) {
        (None, true) => {
            return Err(ApiError::bad_request(
                "institution_required",
                "This role belongs to an institution.",
            ))
        }
        (Some(i), _) if directory.institution(i).is_none() => {
            return Err(ApiError::bad_request(
                "unknown_institution",
                "No such institution in the directory.",
            ))
        }
        _ => {}
    }
    if let Some(unit) = &a.unit_id {
        match (directory.unit(unit), &a.institution_id) {
            (Some((inst, _)), Some(i)) if &inst.id == i => {}
            _ => {
                return Err(ApiError::bad_request(
                    "unknown_unit",
                    "No such unit in that institution.",
                ))
            }
        }
    }
    if let Some(area) = &a.area {
        check_area(directory, a.role, a.institution_id.as_deref(), area)?;
    }
    Ok(())
}

/// An area belongs to a field cadre, and is a kelurahan of their institution that core's
/// catalog of administrative areas knows.
fn check_area(
    directory: &Directory,
    role: Role,
    institution: Option<&str>,
    area: &str,
) -> Result<(), ApiError> {
    if role != Role::Cadre {
        return Err(ApiError::bad_request(
            "area_for_cadres",
            "Only a field cadre belongs to an area.",
        ));
    }
    directory
        .check_cadre_area(institution, area.trim())
        .map(|_| ())
        .map_err(|reason| ApiError::bad_request("bad_area", reason))
}

/// Sets (or with `None` clears) a field cadre's area. The national administrator sets any
/// cadre's; an institution's administrator only its own cadres'. Whether the account exists.
pub fn set_area(
    db: &Db,
    directory: &Directory,
    actor: Option<&Account>,
    id: &str,
    area: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(target) = db.account(id)? else {
        return Ok(false);
    };
    if let Some(actor) = actor {
        let allowed = match actor.role {
            Role::NationalAdmin => true,
            Role::InstitutionAdmin => {
                actor.institution_id.is_some() && actor.institution_id == target.institution_id
            }
            _ => false,
        };
        if !allowed {
            return Err(ApiError::forbidden(
                "not_your_cadre",
                "Only the national administrator or the cadre's institution's administrator sets a cadre's area.",
                "Hanya admin nasional atau admin instansi kader yang menetapkan wilayah kader.",
            ));
        }
    }
    let area = area.map(str::trim).filter(|a| !a.is_empty());
    if let Some(area) = area {
        check_area(
            directory,
            target.role,
            target.institution_id.as_deref(),
            area,
        )?;
    }
    let found = db.set_account_area(id, area)?;
    if found {
        // A kelurahan's code is the catalog's, not personal data.
        security::event(
            db,
            security::ACCOUNT_AREA_SET,
            Some(id),
            actor.map(|a| a.id.as_str()),
            area.unwrap_or("-"),
        )?;
    }
    Ok(found)
}

/// Creates a validated account with its password's hash; `actor` is the administrator who
/// did (none from the command line).
pub fn create(
    db: &Db,
    new: NewAccount,
    password_hash: &str,
    actor: Option<&str>,
) -> Result<(), ApiError> {
    security::event(
        db,
        security::ACCOUNT_CREATED,
        Some(&new.id),
        actor,
        new.role.code(),
    )?;
    db.create_account(
        &Account {
            id: new.id,
            display_name: new.display_name,
            role: new.role,
            institution_id: new.institution_id,
            unit_id: new.unit_id,
            disabled: false,
            area: new.area.map(|a| a.trim().to_string()),
        },
        Some(password_hash),
    )
}

/// Disables an account: its tokens stop working at once. Whether it exists.
pub fn disable(db: &Db, id: &str, actor: Option<&str>) -> Result<bool, ApiError> {
    let found = db.set_disabled(id, true)?;
    if found {
        security::event(db, security::ACCOUNT_DISABLED, Some(id), actor, "")?;
    }
    Ok(found)
}

/// Refuses an institution the directory does not know.
pub fn check_institution(directory: &Directory, institution: Option<&str>) -> Result<(), ApiError> {
    if let Some(i) = institution {
        if directory.institution(i).is_none() {
            return Err(ApiError::bad_request(
                "unknown_institution",
                "No such institution in the directory.",
            ));
        }
    }
    Ok(())
}

/// Moves an officer to another institution or unit. Whether the account exists.
pub fn move_to(
    db: &Db,
    id: &str,
    institution: Option<&str>,
    unit: Option<&str>,
    actor: Option<&str>,
) -> Result<bool, ApiError> {
    let found = db.move_account(id, institution, unit)?;
    if found {
        // A cadre's kelurahan was one of the institution they leave: set it again there.
        db.set_account_area(id, None)?;
        // Institution and unit ids are the directory's, not personal data.
        let to = format!("{}/{}", institution.unwrap_or("-"), unit.unwrap_or("-"));
        security::event(db, security::ACCOUNT_MOVED, Some(id), actor, &to)?;
    }
    Ok(found)
}
