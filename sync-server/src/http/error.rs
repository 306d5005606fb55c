//! How an [`ApiError`] answers: its kind's status, and a body with the stable code and the
//! sentence in both languages (never the internal detail).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::error::{ApiError, Kind};

pub fn status(kind: Kind) -> StatusCode {
    match kind {
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooMany => StatusCode::TOO_MANY_REQUESTS,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Kind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        Kind::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
    }
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message_en: &'a str,
    message_id: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status(self.kind);
        if status.is_client_error() {
            tracing::info!(
                status = status.as_u16(),
                code = self.code,
                "request refused"
            );
        }
        let body = Body {
            code: self.code,
            message_en: &self.message_en,
            message_id: &self.message_id,
        };
        (status, Json(body)).into_response()
    }
}
