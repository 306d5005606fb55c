//! HTTP for bridging (`services::bridge`): the national administrator imports another
//! system's export (`POST /v1/admin/bridge/import`, JSON, or CSV with `Content-Type:
//! text/csv`); any signed-in account exports what it may see (`GET /v1/bridge/export`,
//! `format=json|csv|geojson`).

use aduan_core::types::Role;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::blocking;
use super::extractor::{Authenticated, ClientAddress};
use crate::error::ApiError;
use crate::services::bridge::{self, Selection};
use crate::services::open311::Filing;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/bridge/import", post(import))
        .route("/v1/bridge/export", get(export))
}

async fn import(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    who: Authenticated,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    if who.account.role != Role::NationalAdmin {
        return Err(ApiError::forbidden(
            "admin_only",
            "Only a national administrator imports from other systems.",
            "Hanya admin nasional yang mengimpor dari sistem lain.",
        ));
    }
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let imported = blocking(move || {
        let records = if csv {
            let text = std::str::from_utf8(&body)
                .map_err(|_| ApiError::bad_request("invalid_export", "The CSV is not UTF-8."))?;
            bridge::from_csv(text)?
        } else {
            bridge::from_json(&body)?
        };
        let filing = Filing {
            db: &state.db,
            live: &state.live,
            deadlines: &state.deadlines,
            meter: Some(&state.meter),
            address,
            now_ms: crate::storage::now_secs() * 1000,
        };
        bridge::import(&filing, &records)
    })
    .await?;
    Ok(Json(imported))
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    #[serde(flatten)]
    selection: Selection,
}

async fn export(
    State(state): State<AppState>,
    who: Authenticated,
    Query(q): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv" | "geojson") {
        return Err(ApiError::bad_request(
            "bad_format",
            "format is json, csv or geojson.",
        ));
    }
    let records = blocking(move || bridge::export(&state.db, &who.account, &q.selection)).await?;
    // Exports may hold reporters' contacts: never cached on the way.
    let no_store = (header::CACHE_CONTROL, "no-store");
    Ok(match format.as_str() {
        "csv" => (
            [no_store, (header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            bridge::to_csv(&records),
        )
            .into_response(),
        "geojson" => (
            [no_store, (header::CONTENT_TYPE, "application/geo+json")],
            bridge::to_geojson(&records).to_string(),
        )
            .into_response(),
        _ => ([no_store], Json(records)).into_response(),
    })
}
