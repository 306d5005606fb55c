//! `GET`/`PUT /v1/notifications/preferences`: which kinds of notification a person wants by
//! which channel, their language and e-mail address. `GET /v1/notifications/audit[?account=]`:
//! what was sent to whom by which channel and how it went (one's own; everyone's for the
//! national administrator).

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::blocking;
use super::extractor::Authenticated;
use crate::error::ApiError;
use crate::services::notifications::{self, Preferences};
use crate::state::AppState;
use crate::storage::notifications::AuditEntry;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/notifications/preferences",
            get(preferences).put(set_preferences),
        )
        .route("/v1/notifications/audit", get(audit))
}

async fn preferences(
    State(state): State<AppState>,
    who: Authenticated,
) -> Result<Json<Preferences>, ApiError> {
    let db = state.db.clone();
    blocking(move || notifications::preferences(&db, &who.account.id))
        .await
        .map(Json)
}

async fn set_preferences(
    State(state): State<AppState>,
    who: Authenticated,
    Json(p): Json<Preferences>,
) -> Result<Json<Preferences>, ApiError> {
    let db = state.db.clone();
    blocking(move || notifications::set_preferences(&db, &who.account.id, &p))
        .await
        .map(Json)
}

#[derive(Deserialize)]
struct AuditQuery {
    account: Option<String>,
}

async fn audit(
    State(state): State<AppState>,
    who: Authenticated,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let db = state.db.clone();
    blocking(move || notifications::audit(&db, &who.account, q.account.as_deref()))
        .await
        .map(Json)
}
