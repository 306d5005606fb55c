//! HTTP for the reporter's contact details (`/v1/complaints/{id}/reporter`): PUT by the phone
//! that filed the complaint, GET by whoever may know the reporter, DELETE on the reporter's
//! request. The rules are in `reporters` (and core's `model::reporter`).

use aduan_core::model::event::valid_id;
use aduan_core::model::reporter::ReporterContact;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::blocking;
use super::extractor::Authenticated;
use crate::error::ApiError;
use crate::services::reporters;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/v1/complaints/{id}/reporter",
        get(show).put(give).delete(forget),
    )
}

/// Larger than any valid contact (three short fields) with room for JSON.
const MAX_BODY_BYTES: usize = 4096;

fn check_id(id: &str) -> Result<(), ApiError> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(ApiError::bad_request("bad_complaint_id", "Unknown report."))
    }
}

pub async fn give(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    check_id(&id)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::bad_request(
            "invalid_contact",
            "The contact details are too long.",
        ));
    }
    // The parser's message could quote what was sent; it is not passed on.
    let contact: ReporterContact = serde_json::from_slice(&body).map_err(|_| {
        ApiError::bad_request("invalid_contact", "The contact details are not readable.")
    })?;
    let now_ms = crate::storage::now_secs() * 1000;
    blocking(move || {
        state
            .db
            .transaction(|tx| reporters::give(tx, &who.account, &id, &contact, now_ms))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn show(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    check_id(&id)?;
    let contact = blocking(move || {
        state
            .db
            .transaction(|tx| reporters::show(tx, &who.account, &id))
    })
    .await?;
    Ok((
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(contact),
    ))
}

pub async fn forget(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    check_id(&id)?;
    blocking(move || {
        state
            .db
            .transaction(|tx| reporters::forget(tx, &who.account, &id))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
