//! `/v1/admin/*`, for the national administrator: accounts (`services::accounts`) and the
//! security log (`services::security`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::blocking;
use super::extractor::Authenticated;
use crate::error::ApiError;
use crate::services::accounts::{self, NewAccount};
use crate::services::{security, sessions};
use crate::state::AppState;
use aduan_core::types::Role;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/accounts", post(create_account))
        .route("/v1/admin/accounts/{id}/disable", post(disable_account))
        .route("/v1/admin/accounts/{id}/move", post(move_account))
        .route("/v1/admin/accounts/{id}/area", post(set_area))
        .route("/v1/admin/security-log", get(security_log))
}

fn require_admin(who: &Authenticated) -> Result<(), ApiError> {
    if who.account.role == Role::NationalAdmin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "admin_only",
            "Only a national administrator manages accounts.",
            "Hanya admin nasional yang mengelola akun.",
        ))
    }
}

fn found(found: bool) -> StatusCode {
    if found {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn create_account(
    State(state): State<AppState>,
    who: Authenticated,
    Json(req): Json<NewAccount>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    accounts::validate_account(&state.directory, &req)?;
    let db = state.db.clone();
    let mut slot = state.password_checks.slot().await?;
    blocking(move || {
        let hash = sessions::hash_password_in(slot.memory(), &req.password);
        drop(slot);
        accounts::create(&db, req, &hash?, Some(&who.account.id))
    })
    .await?;
    Ok(StatusCode::CREATED)
}

async fn disable_account(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    let db = state.db.clone();
    let done = blocking(move || accounts::disable(&db, &id, Some(&who.account.id))).await?;
    Ok(found(done))
}

#[derive(Deserialize)]
struct MoveRequest {
    institution_id: Option<String>,
    unit_id: Option<String>,
}

async fn move_account(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
    Json(req): Json<MoveRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    accounts::check_institution(&state.directory, req.institution_id.as_deref())?;
    let db = state.db.clone();
    let done = blocking(move || {
        accounts::move_to(
            &db,
            &id,
            req.institution_id.as_deref(),
            req.unit_id.as_deref(),
            Some(&who.account.id),
        )
    })
    .await?;
    Ok(found(done))
}

#[derive(Deserialize)]
struct AreaRequest {
    /// A kelurahan's Kemendagri code; null clears it.
    area: Option<String>,
}

/// A field cadre's kelurahan: set by the national administrator, or by the administrator of
/// the cadre's own institution (`services::accounts::set_area` decides).
async fn set_area(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
    Json(req): Json<AreaRequest>,
) -> Result<StatusCode, ApiError> {
    let (db, directory) = (state.db.clone(), state.directory.clone());
    let done = blocking(move || {
        accounts::set_area(
            &db,
            &directory,
            Some(&who.account),
            &id,
            req.area.as_deref(),
        )
    })
    .await?;
    Ok(found(done))
}

#[derive(Deserialize)]
struct LogQuery {
    before: Option<String>,
    limit: Option<u32>,
}

/// The security log, newest first, a page at a time: `next` is the `before` of the next page.
async fn security_log(
    State(state): State<AppState>,
    who: Authenticated,
    Query(q): Query<LogQuery>,
) -> Result<impl IntoResponse, ApiError> {
    require_admin(&who)?;
    let limit = q.limit.unwrap_or(100).clamp(1, security::MAX_PAGE);
    let db = state.db.clone();
    let entries = blocking(move || security::page(&db, q.before.as_deref(), limit)).await?;
    let next = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.id.clone()))
        .flatten();
    Ok(Json(
        serde_json::json!({ "entries": entries, "next": next }),
    ))
}
