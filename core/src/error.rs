//! Two layers of errors, as in application-services: the internal [`Error`] carries the cause
//! for logs and `?`; the public [`AduanError`] crosses the FFI with a reason a person can read,
//! in Bahasa Indonesia and English. Neither ever holds complaint text, names or locations.

use crate::photo::PhotoError;
use crate::workflow::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("storage: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("document: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("photo: {0}")]
    Photo(#[from] PhotoError),
    #[error("action refused: {0:?}")]
    Refused(Refusal),
    #[error("not found: {what} {id}")]
    NotFound { what: &'static str, id: String },
    #[error("invalid {field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    #[error("no identity: sign in first")]
    NoIdentity,
    #[error("document {doc_id} is damaged: {reason}")]
    Damaged { doc_id: String, reason: String },
    #[error("store at this path is in use by another process")]
    Locked,
    #[error("store schema version {found} is newer than this app ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("sync: {0}")]
    Sync(String),
    /// The server refused, with its own reason in both languages.
    #[error("server refused: {code}")]
    Remote {
        code: String,
        message_en: String,
        message_id: String,
    },
    #[error("cancelled")]
    Cancelled,
    /// Plain http:// to a server that is not this device, without the developer setting.
    #[error("insecure server address")]
    InsecureServer,
    /// Signing out now would lose work the server does not have.
    #[error("unsynced work on this phone")]
    UnsyncedWork(crate::store::leave::UnsyncedWork),
    #[error("{0}")]
    SecretStore(#[from] crate::store::secrets::SecretStoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the shells see. Every variant carries a stable `code` for programs and the same
/// message in both languages for people.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum AduanError {
    #[error("{message_en}")]
    InvalidInput {
        code: String,
        message_id: String,
        message_en: String,
    },
    #[error("{message_en}")]
    NotFound {
        code: String,
        message_id: String,
        message_en: String,
    },
    #[error("{message_en}")]
    NotAllowed {
        code: String,
        message_id: String,
        message_en: String,
    },
    #[error("{message_en}")]
    PhotoRejected {
        code: String,
        message_id: String,
        message_en: String,
    },
    #[error("{message_en}")]
    Damaged {
        code: String,
        message_id: String,
        message_en: String,
    },
    #[error("{message_en}")]
    Storage {
        code: String,
        message_id: String,
        message_en: String,
    },
    #[error("{message_en}")]
    Sync {
        code: String,
        message_id: String,
        message_en: String,
    },
}

impl AduanError {
    pub fn code(&self) -> &str {
        match self {
            AduanError::InvalidInput { code, .. }
            | AduanError::NotFound { code, .. }
            | AduanError::NotAllowed { code, .. }
            | AduanError::PhotoRejected { code, .. }
            | AduanError::Damaged { code, .. }
            | AduanError::Storage { code, .. }
            | AduanError::Sync { code, .. } => code,
        }
    }

    pub fn message(&self, language: crate::types::Language) -> &str {
        match self {
            AduanError::InvalidInput {
                message_id,
                message_en,
                ..
            }
            | AduanError::NotFound {
                message_id,
                message_en,
                ..
            }
            | AduanError::NotAllowed {
                message_id,
                message_en,
                ..
            }
            | AduanError::PhotoRejected {
                message_id,
                message_en,
                ..
            }
            | AduanError::Damaged {
                message_id,
                message_en,
                ..
            }
            | AduanError::Storage {
                message_id,
                message_en,
                ..
            }
            | AduanError::Sync {
                message_id,
                message_en,
                ..
            } => match language {
                crate::types::Language::Id => message_id,
                crate::types::Language::En => message_en,
            },
        }
    }
}

fn texts(code: &str, id: impl Into<String>, en: impl Into<String>) -> (String, String, String) {
    (code.to_string(), id.into(), en.into())
}

impl From<Error> for AduanError {
    fn from(err: Error) -> Self {
        // The internal error goes to the log; the person gets the readable reason.
        log::warn!("{err}");
        match err {
            Error::Refused(refusal) => {
                let (code, message_id, message_en) =
                    texts(refusal.code(), refusal.message_id(), refusal.message_en());
                AduanError::NotAllowed {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::NotFound { what, .. } => {
                let (code, message_id, message_en) = texts(
                    "not_found",
                    format!("{} tidak ditemukan.", what_id(what)),
                    format!("{} not found.", what_en(what)),
                );
                AduanError::NotFound {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::Invalid { field, reason } => {
                let (code, message_id, message_en) = texts(
                    "invalid_input",
                    format!(
                        "Isian '{field}' tidak valid: {}.",
                        invalid_reason_id(reason)
                    ),
                    format!("Invalid '{field}': {reason}."),
                );
                AduanError::InvalidInput {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::NoIdentity => {
                let (code, message_id, message_en) = texts(
                    "no_identity",
                    "Silakan masuk atau lanjutkan sebagai warga terlebih dahulu.",
                    "Sign in or continue as a citizen first.",
                );
                AduanError::NotAllowed {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::Photo(photo) => {
                let (code, message_id, message_en) = photo_texts(&photo);
                AduanError::PhotoRejected {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::Damaged { .. } => {
                let (code, message_id, message_en) = texts(
                    "damaged",
                    "Data laporan ini rusak di perangkat. Laporan lain tidak terpengaruh; sinkronkan untuk memulihkannya dari server.",
                    "This report's data is damaged on this device. Other reports are not affected; sync to restore it from the server.",
                );
                AduanError::Damaged {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::Locked => {
                let (code, message_id, message_en) = texts(
                    "store_locked",
                    "Penyimpanan sedang dipakai oleh proses lain.",
                    "The store is in use by another process.",
                );
                AduanError::Storage {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::SchemaTooNew { .. } => {
                let (code, message_id, message_en) = texts(
                    "schema_too_new",
                    "Data dibuat oleh versi aplikasi yang lebih baru. Perbarui aplikasi.",
                    "The data was written by a newer version of the app. Update the app.",
                );
                AduanError::Storage {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::Remote {
                code,
                message_en,
                message_id,
            } => AduanError::Sync {
                code,
                message_id,
                message_en,
            },
            Error::Sync(reason) => AduanError::Sync {
                code: "sync_failed".into(),
                message_id: format!("Sinkronisasi gagal: {reason}"),
                message_en: format!("Sync failed: {reason}"),
            },
            Error::Cancelled => {
                let (code, message_id, message_en) = texts(
                    "cancelled",
                    "Sinkronisasi dibatalkan.",
                    "Sync was cancelled.",
                );
                AduanError::Sync {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::Sqlite(_) | Error::Automerge(_) | Error::Io(_) => {
                let (code, message_id, message_en) = texts(
                    "storage_failed",
                    "Gagal menyimpan atau membaca data di perangkat. Data yang sudah tersimpan tetap aman.",
                    "Could not write or read data on this device. What was already saved is safe.",
                );
                AduanError::Storage {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::InsecureServer => {
                let (code, message_id, message_en) = texts(
                    "insecure_server_address",
                    "Alamat server harus diawali https://. http:// biasa hanya untuk server di perangkat ini sendiri atau dengan pengaturan pengembang yang mengizinkannya.",
                    "The server address must start with https://. Plain http:// is only for a server on this device itself, or with the developer setting that allows it.",
                );
                AduanError::InvalidInput {
                    code,
                    message_id,
                    message_en,
                }
            }
            Error::UnsyncedWork(w) => AduanError::NotAllowed {
                code: "unsynced_work".into(),
                message_id: format!(
                    "Masih ada pekerjaan yang belum terkirim ke server: {} laporan ({} baru, {} perubahan), {} foto, {} pekerjaan yang ditolak. Sinkronkan dulu, atau keluar tetap dan pekerjaan itu hilang dari ponsel ini.",
                    w.complaints, w.new_complaints, w.changes, w.photos, w.refused
                ),
                message_en: format!(
                    "Work on this phone has not reached the server: {} reports ({} new, {} changes), {} photos, {} refused items. Sync first, or sign out anyway and lose it from this phone.",
                    w.complaints, w.new_complaints, w.changes, w.photos, w.refused
                ),
            },
            Error::SecretStore(_) => {
                let (code, message_id, message_en) = texts(
                    "secure_storage_failed",
                    "Penyimpanan aman perangkat tidak dapat dipakai untuk sesi masuk. Buka kunci perangkat lalu coba lagi.",
                    "The device's secure storage could not be used for the sign-in session. Unlock the device and try again.",
                );
                AduanError::Storage {
                    code,
                    message_id,
                    message_en,
                }
            }
        }
    }
}

fn what_id(what: &str) -> &'static str {
    match what {
        "complaint" => "Laporan",
        "photo" => "Foto",
        "category" => "Kategori",
        "institution" => "Instansi",
        "unit" => "Unit",
        _ => "Data",
    }
}

fn what_en(what: &str) -> &'static str {
    match what {
        "complaint" => "Report",
        "photo" => "Photo",
        "category" => "Category",
        "institution" => "Institution",
        "unit" => "Unit",
        _ => "Item",
    }
}

fn invalid_reason_id(reason: &str) -> String {
    match reason {
        "must not be empty" => "tidak boleh kosong".into(),
        "too long" => "terlalu panjang".into(),
        "out of range" => "di luar rentang".into(),
        "unknown" => "tidak dikenal".into(),
        "must be 1 to 5" => "harus 1 sampai 5".into(),
        "cannot be the complaint itself" => "tidak boleh laporan itu sendiri".into(),
        "does not belong to the institution" => "bukan bagian dari instansi".into(),
        "photo not in this store" => "foto tidak ada di perangkat".into(),
        other => other.into(),
    }
}

fn photo_texts(err: &PhotoError) -> (String, String, String) {
    match err {
        PhotoError::Empty => texts(
            "photo_empty",
            "Berkas foto kosong.",
            "The photo file is empty.",
        ),
        PhotoError::TooLarge { max, .. } => texts(
            "photo_too_large",
            format!(
                "Berkas foto terlalu besar (maksimal {} MB).",
                max / (1024 * 1024)
            ),
            format!(
                "The photo file is too large (at most {} MB).",
                max / (1024 * 1024)
            ),
        ),
        PhotoError::NotAnImage => texts(
            "photo_not_image",
            "Berkas ini bukan foto (JPEG, PNG, WebP atau GIF).",
            "This file is not a photo (JPEG, PNG, WebP or GIF).",
        ),
        PhotoError::UnsupportedFormat { .. } => texts(
            "photo_unsupported",
            "Format foto ini tidak didukung. Gunakan JPEG, PNG, WebP atau GIF.",
            "This photo format is not supported. Use JPEG, PNG, WebP or GIF.",
        ),
        PhotoError::TooManyPixels { .. } | PhotoError::MemoryLimit => texts(
            "photo_too_many_pixels",
            "Resolusi foto terlalu besar untuk diproses dengan aman.",
            "The photo's resolution is too large to process safely.",
        ),
        PhotoError::Corrupt { .. } => texts(
            "photo_corrupt",
            "Berkas foto rusak atau tidak lengkap.",
            "The photo file is damaged or incomplete.",
        ),
        PhotoError::Io(_) => texts(
            "photo_unreadable",
            "Berkas foto tidak dapat dibaca.",
            "The photo file cannot be read.",
        ),
        PhotoError::Encode { .. } => texts(
            "photo_encode_failed",
            "Foto tidak dapat disimpan ulang.",
            "The photo could not be re-encoded.",
        ),
    }
}

impl From<rusqlite::Error> for AduanError {
    fn from(err: rusqlite::Error) -> Self {
        Error::from(err).into()
    }
}
