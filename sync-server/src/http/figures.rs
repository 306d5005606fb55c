//! `GET /v1/figures?from=YYYY-MM-DD&to=YYYY-MM-DD[&by=institution|unit|area|category|channel]
//! [&institution=<id>]`: the figures of the complaints received from `from` to `to` (both
//! days included, where the institution is), as of now.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::extractor::Authenticated;
use crate::error::ApiError;
use crate::services::figures;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/figures", get(self::figures))
}

#[derive(Deserialize)]
pub struct FiguresQuery {
    from: String,
    to: String,
    by: Option<String>,
    institution: Option<String>,
}

pub async fn figures(
    State(state): State<AppState>,
    who: Authenticated,
    Query(q): Query<FiguresQuery>,
) -> Result<Json<aduan_core::figures::FiguresReport>, ApiError> {
    let (db, deadlines) = (state.db.clone(), state.deadlines.clone());
    let report = tokio::task::spawn_blocking(move || {
        figures::report(
            &db,
            &deadlines,
            &who.account,
            figures::Ask {
                from: &q.from,
                to: &q.to,
                by: q.by.as_deref(),
                institution: q.institution.as_deref(),
            },
            crate::storage::now_secs() * 1000,
        )
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(report))
}
