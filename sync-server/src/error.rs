//! One error type for every layer: a kind, a stable code and a sentence in both languages.
//! Services and storage say what went wrong without speaking HTTP; `http/error.rs` answers
//! each kind with its status. Internal causes go to the log, never to the client, and neither
//! carries complaint text.

/// What kind of failure or refusal; the HTTP layer gives each its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request is malformed or a value is invalid (400).
    Invalid,
    /// No valid session (401).
    Unauthenticated,
    /// Signed in, but not allowed (403).
    Forbidden,
    /// Nothing there, or nothing this caller may know is there (404).
    NotFound,
    /// It exists already, or belongs to someone else (409).
    Conflict,
    /// Larger than the server takes (413).
    TooLarge,
    /// Well-formed but refused on inspection (422).
    Unprocessable,
    /// A limit on attempts or on what may be stored (429).
    TooMany,
    /// The server's own failure; nothing was half-saved (500).
    Internal,
    /// Busy for now (503).
    Busy,
    /// The disk is nearly full: no new writes for now (507).
    StorageFull,
}

#[derive(Debug)]
pub struct ApiError {
    pub kind: Kind,
    pub code: &'static str,
    pub message_en: String,
    pub message_id: String,
    /// An internal error's cause: logged, shown by the server's own commands (a database it
    /// cannot open), never sent to a client.
    pub detail: Option<String>,
}

impl ApiError {
    pub fn new(
        kind: Kind,
        code: &'static str,
        en: impl Into<String>,
        id: impl Into<String>,
    ) -> Self {
        ApiError {
            kind,
            code,
            message_en: en.into(),
            message_id: id.into(),
            detail: None,
        }
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        ApiError {
            detail: Some(detail.to_string()),
            ..ApiError::new(
                Kind::Internal,
                "internal",
                "The server could not complete the request; nothing was half-saved. Try again.",
                "Server tidak dapat menyelesaikan permintaan; tidak ada yang tersimpan setengah. Coba lagi.",
            )
        }
    }

    /// The cause for the server's operator: the detail of an internal error, else the message.
    pub fn cause(&self) -> &str {
        self.detail.as_deref().unwrap_or(&self.message_en)
    }

    pub fn unauthorized() -> Self {
        ApiError::new(
            Kind::Unauthenticated,
            "unauthorized",
            "Sign in again: the session has expired, was revoked, or the account is disabled.",
            "Silakan masuk lagi: sesi kedaluwarsa, dicabut, atau akun dinonaktifkan.",
        )
    }

    pub fn bad_request(code: &'static str, en: impl Into<String>) -> Self {
        ApiError::new(Kind::Invalid, code, en, "Permintaan tidak valid.")
    }

    pub fn conflict(code: &'static str, en: impl Into<String>) -> Self {
        ApiError::new(Kind::Conflict, code, en, "Data sudah ada.")
    }

    pub fn forbidden(code: &'static str, en: impl Into<String>, id: impl Into<String>) -> Self {
        ApiError::new(Kind::Forbidden, code, en, id)
    }
}
