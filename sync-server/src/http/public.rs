//! HTTP for public reports and tracking: no account, counted per client address like the
//! other anonymous endpoints.

use aduan_core::api::public::{PublicComplaint, PublicPage};
use aduan_core::types::Language;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::extractor::ClientAddress;
use crate::error::ApiError;
use crate::services::public as service;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/public/complaints", get(list))
        .route("/v1/track/{tracking_id}", get(track))
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    area: Option<String>,
    category: Option<String>,
    page: Option<u32>,
    lang: Option<String>,
}

fn language(lang: Option<&str>) -> Language {
    match lang {
        Some("en") => Language::En,
        _ => Language::Id,
    }
}

fn now_ms() -> i64 {
    crate::storage::now_secs() * 1000
}

/// `GET /v1/track/{tracking_id}`: a complaint's public view.
pub async fn track(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(tracking_id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Json<PublicComplaint>, ApiError> {
    let lang = language(q.lang.as_deref());
    let view = tokio::task::spawn_blocking(move || {
        state.meter.public_read(address)?;
        service::track(&state.db, &state.deadlines, &tracking_id, lang, now_ms())
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(view))
}

/// `GET /v1/public/complaints?area=&category=&page=`: public complaints, newest first.
pub async fn list(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<PageQuery>,
) -> Result<Json<PublicPage>, ApiError> {
    let lang = language(q.lang.as_deref());
    let page = tokio::task::spawn_blocking(move || {
        state.meter.public_read(address)?;
        service::page(
            &state.db,
            &state.deadlines,
            q.area.as_deref(),
            q.category.as_deref(),
            q.page.unwrap_or(0),
            lang,
            now_ms(),
        )
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(page))
}
