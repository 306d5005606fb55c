//! Who may know the reporter, on the server: the reporter's contact details are given by the
//! phone that filed the complaint (its reporter's, or the operator's who typed it for a
//! caller), shown only as core's [`may_know_reporter`] allows (whoever filed it, and the
//! handlers of whoever holds it now), forgotten on request or as soon as the complaint is
//! anonymous, and never kept for an anonymous complaint. Every read by a handler is in the
//! security log (by complaint id; never the details).

use aduan_core::model::reporter::{may_know_reporter, Asker, ReporterContact};

use crate::error::{ApiError, Kind};
use crate::services::security;
use crate::storage::reporters as db;
use crate::storage::{Account, Sql};

/// A handler read a reporter's contact details.
pub const CONTACT_READ: &str = "reporter_contact_read";

fn not_found() -> ApiError {
    // The same answer whether the complaint, the details or the right to see them is missing:
    // asking reveals nothing about a reporter.
    ApiError::new(
        Kind::NotFound,
        "no_reporter_contact",
        "No contact details of the reporter are available to you.",
        "Tidak ada kontak pelapor yang dapat Anda lihat.",
    )
}

fn filed_it(account: &Account, holding: &db::Holding) -> bool {
    holding.owner == account.id
}

/// The phone that filed the complaint gives (or changes) its reporter's details.
pub fn give(
    sql: &mut dyn Sql,
    account: &Account,
    complaint_id: &str,
    contact: &ReporterContact,
    now_ms: i64,
) -> Result<(), ApiError> {
    let holding = db::holding(sql, complaint_id)?.ok_or_else(not_found)?;
    if !filed_it(account, &holding) {
        return Err(ApiError::forbidden(
            "reporter_only",
            "Only whoever filed the report gives its reporter's contact details.",
            "Hanya yang mengirim laporan yang dapat memberikan kontak pelapornya.",
        ));
    }
    if holding.anonymous {
        return Err(ApiError::new(
            Kind::Unprocessable,
            "anonymous_report",
            "An anonymous report keeps nothing about its reporter.",
            "Laporan anonim tidak menyimpan apa pun tentang pelapornya.",
        ));
    }
    let contact = contact.validated().map_err(|e| {
        ApiError::new(
            Kind::Invalid,
            "invalid_contact",
            format!("The contact details are invalid: {e}."),
            "Kontak pelapor tidak valid.",
        )
    })?;
    db::put(sql, complaint_id, &contact, now_ms)
}

/// The details, to whoever may know them; `not_found` to everyone else.
pub fn show(
    sql: &mut dyn Sql,
    account: &Account,
    complaint_id: &str,
) -> Result<ReporterContact, ApiError> {
    let holding = db::holding(sql, complaint_id)?.ok_or_else(not_found)?;
    let asker = Asker {
        role: account.role,
        institution_id: account.institution_id.as_deref(),
        filed_it: filed_it(account, &holding),
    };
    if !may_know_reporter(asker, holding.institution.as_deref(), holding.anonymous) {
        return Err(not_found());
    }
    let contact = db::get(sql, complaint_id)?.ok_or_else(not_found)?;
    if !asker.filed_it {
        security::record(sql, CONTACT_READ, Some(&account.id), None, complaint_id)?;
    }
    Ok(contact)
}

/// The reporter asks to be forgotten (through the phone, or the operator, that filed it).
pub fn forget(sql: &mut dyn Sql, account: &Account, complaint_id: &str) -> Result<(), ApiError> {
    let holding = db::holding(sql, complaint_id)?.ok_or_else(not_found)?;
    if !filed_it(account, &holding) {
        return Err(ApiError::forbidden(
            "reporter_only",
            "Only the reporter asks for their contact details to be removed.",
            "Hanya pelapor yang dapat meminta kontaknya dihapus.",
        ));
    }
    db::delete(sql, complaint_id)?;
    Ok(())
}

/// Called whenever a complaint's flags are derived again: an anonymous complaint keeps
/// nothing about its reporter.
pub fn forget_if_anonymous(
    sql: &mut dyn Sql,
    complaint_id: &str,
    anonymous: bool,
) -> Result<(), ApiError> {
    if anonymous {
        db::delete(sql, complaint_id)?;
    }
    Ok(())
}
