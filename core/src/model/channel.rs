//! How a complaint arrived. Most complaints never touch an app (Makassar's call centre 112 took
//! 6,884 where the app took 189), so every complaint records its road in, and figures split by
//! it. Stored in the report document as `channel` (the code) and, for a complaint bridged from
//! another system, `bridged_system` and `bridged_reference`; written once at filing.

use serde::{Deserialize, Serialize};

use crate::types::{Language, Role};

/// The longest system name or foreign reference a bridged complaint may carry.
pub const MAX_BRIDGE_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Channel {
    /// The Aduan app on the reporter's own phone.
    App,
    Web,
    /// An SMS (LAPOR!'s 1708), typed in by an operator.
    Sms,
    /// A phone call to a call centre (Makassar's 112), typed in by its operator.
    CallCentre,
    /// A walk-in at a service desk, typed in by the desk officer.
    Desk,
    /// A field cadre's own report.
    Cadre,
    /// Brought over from another system, with that system's own reference.
    Bridged {
        system: String,
        reference: String,
    },
}

impl Channel {
    pub const CODES: [&'static str; 7] = [
        "app",
        "web",
        "sms",
        "call_centre",
        "desk",
        "cadre",
        "bridged",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Channel::App => "app",
            Channel::Web => "web",
            Channel::Sms => "sms",
            Channel::CallCentre => "call_centre",
            Channel::Desk => "desk",
            Channel::Cadre => "cadre",
            Channel::Bridged { .. } => "bridged",
        }
    }

    /// The channel for a code; a bridged one takes its system and reference.
    pub fn from_parts(code: &str, system: Option<&str>, reference: Option<&str>) -> Option<Self> {
        Some(match code {
            "app" => Channel::App,
            "web" => Channel::Web,
            "sms" => Channel::Sms,
            "call_centre" => Channel::CallCentre,
            "desk" => Channel::Desk,
            "cadre" => Channel::Cadre,
            "bridged" => Channel::Bridged {
                system: system?.to_string(),
                reference: reference?.to_string(),
            },
            _ => return None,
        })
    }

    /// What a report filed before channels existed arrived by: a cadre's own, or the app.
    pub fn before_channels(reporter_role: Role) -> Channel {
        if reporter_role == Role::Cadre {
            Channel::Cadre
        } else {
            Channel::App
        }
    }

    pub fn label(&self, language: Language) -> String {
        let base = match self {
            Channel::App => language.pick("Aplikasi", "App"),
            Channel::Web => language.pick("Situs web", "Web"),
            Channel::Sms => "SMS",
            Channel::CallCentre => language.pick("Call center", "Call centre"),
            Channel::Desk => language.pick("Loket pengaduan", "Service desk"),
            Channel::Cadre => language.pick("Kader lapangan", "Field cadre"),
            Channel::Bridged { .. } => language.pick("Dari sistem lain", "Bridged"),
        };
        match self {
            Channel::Bridged { system, reference } => format!("{base}: {system} {reference}"),
            _ => base.to_string(),
        }
    }

    /// Channels on which someone else types the complaint for its reporter.
    pub fn is_on_behalf(&self) -> bool {
        matches!(
            self,
            Channel::Sms | Channel::CallCentre | Channel::Desk | Channel::Bridged { .. }
        )
    }

    /// Whether a complaint may arrive by this channel, filed by this role, for itself or (with
    /// `on_behalf`) for a caller. The same rule on the phone and on the server, so figures by
    /// channel cannot be bent by a client that claims another road in.
    pub fn check(&self, filer: Role, on_behalf: bool) -> Result<(), &'static str> {
        if let Channel::Bridged { system, reference } = self {
            for v in [system, reference] {
                if v.trim().is_empty() {
                    return Err("a bridged complaint names its system and reference");
                }
                if v.chars().count() > MAX_BRIDGE_CHARS {
                    return Err("bridged system or reference too long");
                }
            }
        }
        if on_behalf {
            if !matches!(
                filer,
                Role::Officer | Role::InstitutionAdmin | Role::NationalAdmin
            ) {
                return Err("only an operator files for someone else");
            }
            if !self.is_on_behalf() {
                return Err(
                    "a complaint filed for a caller arrives by SMS, call centre, desk or bridge",
                );
            }
            return Ok(());
        }
        match (self, filer) {
            (Channel::Cadre, Role::Cadre) => Ok(()),
            (Channel::Cadre, _) => Err("only a field cadre files by the cadre channel"),
            (Channel::App | Channel::Web, Role::Cadre) => {
                Err("a field cadre's own report arrives by the cadre channel")
            }
            (Channel::App | Channel::Web, _) => Ok(()),
            _ => Err("this channel is for complaints filed by an operator"),
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
