//! One error type for every handler: a status, a stable code and a sentence in both languages.
//! Internal causes go to the log, never to the client, and neither carries complaint text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_en: String,
    pub message_id: String,
    /// An internal error's cause: logged, shown by the server's own commands (a database it
    /// cannot open), never sent to a client.
    pub detail: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message_en: &'a str,
    message_id: &'a str,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        en: impl Into<String>,
        id: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
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
                StatusCode::INTERNAL_SERVER_ERROR,
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
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sign in again: the session has expired, was revoked, or the account is disabled.",
            "Silakan masuk lagi: sesi kedaluwarsa, dicabut, atau akun dinonaktifkan.",
        )
    }

    pub fn bad_request(code: &'static str, en: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, en, "Permintaan tidak valid.")
    }

    pub fn conflict(code: &'static str, en: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, code, en, "Data sudah ada.")
    }

    pub fn forbidden(code: &'static str, en: impl Into<String>, id: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, code, en, id)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_client_error() {
            tracing::info!(
                status = self.status.as_u16(),
                code = self.code,
                "request refused"
            );
        }
        let body = Body {
            code: self.code,
            message_en: &self.message_en,
            message_id: &self.message_id,
        };
        (self.status, Json(body)).into_response()
    }
}
