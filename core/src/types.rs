//! The small vocabulary every part of core shares: kinds of report, roles, statuses, languages.
//! Each enum has a stable lowercase code (stored in documents, the index and on the wire) and
//! labels in Bahasa Indonesia and English (shown to people).

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $id:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            pub fn label(self, language: Language) -> &'static str {
                match (self, language) {
                    $(($name::$variant, Language::Id) => $id, ($name::$variant, Language::En) => $en,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use coded_enum;

/// The language of labels and error messages. Bahasa Indonesia is the default.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, uniffi::Enum,
)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    pub fn pick(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Language::Id => id,
            Language::En => en,
        }
    }
}

coded_enum! {
    /// The three kinds of report SP4N-LAPOR! accepts.
    ReportKind {
        Complaint => "pengaduan", "Pengaduan", "Complaint";
        Aspiration => "aspirasi", "Aspirasi", "Aspiration";
        InformationRequest => "permintaan_informasi", "Permintaan informasi", "Request for information";
    }
}

coded_enum! {
    /// What an account is. A reporter is not a role: whoever files a complaint is its reporter.
    Role {
        Citizen => "citizen", "Warga", "Citizen";
        Cadre => "cadre", "Kader lapangan", "Field cadre";
        Officer => "officer", "Petugas", "Officer";
        InstitutionAdmin => "institution_admin", "Admin instansi", "Institution administrator";
        NationalAdmin => "national_admin", "Admin nasional", "National administrator";
    }
}

coded_enum! {
    /// Where a complaint stands, derived from its whole merged history (never stored as a
    /// last-writer-wins field).
    Status {
        Submitted => "submitted", "Menunggu verifikasi", "Awaiting verification";
        Dispatched => "dispatched", "Didisposisikan ke instansi", "Dispatched to institution";
        Assigned => "assigned", "Diteruskan ke unit", "Assigned to unit";
        InProgress => "in_progress", "Sedang diproses", "In progress";
        FollowedUp => "followed_up", "Sudah ditindaklanjuti", "Followed up";
        Completed => "completed", "Selesai", "Completed";
        Deferred => "deferred", "Ditunda", "Deferred";
        Archived => "archived", "Diarsipkan", "Archived";
        Merged => "merged", "Digabung dengan laporan lain", "Merged into another report";
    }
}

impl Role {
    /// Parses a role as typed on a command line: `national-admin` or `national_admin`.
    pub fn parse_arg(s: &str) -> Result<Role, String> {
        Role::from_code(&s.trim().replace('-', "_")).ok_or_else(|| {
            let all: Vec<String> = Role::ALL
                .iter()
                .map(|r| r.code().replace('_', "-"))
                .collect();
            format!("unknown role; one of: {}", all.join(", "))
        })
    }
}

impl Status {
    /// No action can move a complaint out of these.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Archived | Status::Merged)
    }

    /// Open complaints are the ones whose deadlines are watched.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Completed | Status::Archived | Status::Merged)
    }
}

coded_enum! {
    /// The stage whose deadline is running.
    Stage {
        NationalVerification => "national_verification", "Verifikasi admin nasional", "National verification";
        InstitutionVerification => "institution_verification", "Verifikasi instansi", "Institution verification";
        FollowUp => "follow_up", "Tindak lanjut", "Follow-up";
        AwaitingReporter => "awaiting_reporter", "Menunggu tanggapan pelapor", "Awaiting the reporter's reply";
    }
}

/// Who is using this store: set at sign-in (or by the CLI for demos).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct Identity {
    pub account_id: String,
    pub display_name: String,
    pub role: Role,
    /// Officers, institution administrators and cadres belong to one institution.
    pub institution_id: Option<String>,
    /// An officer bound to one unit acts only on complaints assigned to that unit.
    pub unit_id: Option<String>,
    /// A field cadre's area: the Kemendagri code of their kelurahan (`73.71.10.1005`). They
    /// see its open reports that are not confidential. Absent from identities made before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[uniffi(default = None)]
    pub area: Option<String>,
}

/// Where the problem is. `accuracy_m` is the radius reported by the phone's positioning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, uniffi::Record)]
pub struct Location {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub address: String,
    pub province: String,
    pub city: String,
    pub kecamatan: String,
    pub kelurahan: String,
    /// The Kemendagri code of the village (kelurahan or desa) when known: filled at filing
    /// from the names when the catalog finds exactly one. Empty when unknown.
    #[serde(default)]
    #[uniffi(default = "")]
    pub area: String,
}
