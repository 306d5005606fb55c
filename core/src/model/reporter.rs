//! Who may know the reporter. A named reporter's contact details let the unit that holds the
//! complaint call them back (for a field inspection, say); they are personal data, so they are
//! never written into the report or log documents (which travel to every handler's phone and
//! stay there), but kept apart: on the phone that took them, and on the server, which shows
//! them only as [`may_know_reporter`] allows. An anonymous report has none, anywhere.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::types::Role;

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_PHONE_CHARS: usize = 20;
pub const MAX_EMAIL_CHARS: usize = 200;

/// How to reach a named reporter. Empty strings are "not given"; at least one field is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
pub struct ReporterContact {
    pub name: String,
    #[uniffi(default = "")]
    #[serde(default)]
    pub phone: String,
    #[uniffi(default = "")]
    #[serde(default)]
    pub email: String,
}

impl ReporterContact {
    /// Trimmed, and checked. Errors name the field, never its value.
    pub fn validated(&self) -> Result<ReporterContact> {
        let c = ReporterContact {
            name: self.name.trim().to_string(),
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_string(),
        };
        if c.name.is_empty() && c.phone.is_empty() && c.email.is_empty() {
            return Err(Error::Invalid {
                field: "contact",
                reason: "give a name, a phone number or an email address",
            });
        }
        if c.name.chars().count() > MAX_NAME_CHARS || c.name.chars().any(char::is_control) {
            return Err(Error::Invalid {
                field: "name",
                reason: "too long or not text",
            });
        }
        if !c.phone.is_empty() {
            let digits = c.phone.chars().filter(char::is_ascii_digit).count();
            let allowed = c.phone.chars().enumerate().all(|(i, ch)| {
                ch.is_ascii_digit() || matches!(ch, ' ' | '-' | '(' | ')') || (ch == '+' && i == 0)
            });
            if !allowed || !(6..=15).contains(&digits) || c.phone.len() > MAX_PHONE_CHARS {
                return Err(Error::Invalid {
                    field: "phone",
                    reason: "must be a phone number (6 to 15 digits, may start with +)",
                });
            }
        }
        if !c.email.is_empty() {
            let parts: Vec<&str> = c.email.split('@').collect();
            let ok = parts.len() == 2
                && !parts[0].is_empty()
                && parts[1].contains('.')
                && !c
                    .email
                    .chars()
                    .any(|ch| ch.is_whitespace() || ch.is_control());
            if !ok || c.email.chars().count() > MAX_EMAIL_CHARS {
                return Err(Error::Invalid {
                    field: "email",
                    reason: "must be an email address",
                });
            }
        }
        Ok(c)
    }
}

/// Who asks to know the reporter.
#[derive(Debug, Clone, Copy)]
pub struct Asker<'a> {
    pub role: Role,
    pub institution_id: Option<&'a str>,
    /// The asker filed the complaint: its reporter, or the operator who typed it for them.
    pub filed_it: bool,
}

/// The rule: whoever filed it, and the handlers of whoever holds the complaint now (the
/// institution it was dispatched to; before that, the national desk verifying it). Nobody
/// else: not another institution, not a cadre, not the public. An anonymous complaint shows
/// nobody anything about its reporter.
pub fn may_know_reporter(asker: Asker<'_>, holder: Option<&str>, anonymous: bool) -> bool {
    if anonymous {
        return false;
    }
    if asker.filed_it {
        return true;
    }
    match (asker.role, holder) {
        (Role::Officer | Role::InstitutionAdmin, Some(holder)) => {
            asker.institution_id == Some(holder)
        }
        (Role::NationalAdmin, None) => true,
        _ => false,
    }
}
