//! For the server's operator and for anyone: `/health` (up or not), and, with the metrics
//! token, `/health/detail` and `/metrics`. Also the public directory of institutions.

use std::sync::atomic::{AtomicU64, Ordering};

use aduan_core::sync::protocol;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::blocking;
use super::extractor::bearer_of;
use crate::error::{ApiError, Kind};
use crate::services::sessions::token_hash;
use crate::state::{AppState, Metrics};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/health/detail", get(health_detail))
        .route("/metrics", get(metrics))
        .route("/v1/directory", get(directory))
}

/// Figures are for the operator only: they tell how many complaints and accounts exist and
/// how busy the server is.
fn check_operator(metrics: &Metrics, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &metrics.operator_token else {
        return Err(ApiError::new(
            Kind::NotFound,
            "not_enabled",
            "Metrics are off: the operator has set no metrics token.",
            "Metrik tidak aktif: operator belum menetapkan token metrik.",
        ));
    };
    let given = bearer_of(headers).map(token_hash);
    // Hashes of equal length: comparing them tells nothing about the token.
    if given.as_ref() == Some(expected) {
        Ok(())
    } else {
        Err(ApiError::new(
            Kind::Unauthenticated,
            "operator_only",
            "This is for the server's operator, with the metrics token.",
            "Hanya untuk operator server, dengan token metrik.",
        ))
    }
}

/// Public: up or not, nothing more.
async fn health() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn health_detail(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    check_operator(&state.metrics, &headers)?;
    let db = state.db.clone();
    let (accounts, complaints, seq) = blocking(move || db.counts()).await?;
    Ok(Json(serde_json::json!({
        "status": "ok",
        "accounts": accounts,
        "complaints": complaints,
        "change_sequence": seq,
        "protocol": protocol::VERSION,
    })))
}

async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let m = &state.metrics;
    check_operator(m, &headers)?;
    let line = |name: &str, help: &str, kind: &str, v: &AtomicU64| {
        format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}\n",
            v.load(Ordering::Relaxed)
        )
    };
    let mut out = String::new();
    out += &line(
        "aduan_syncs_total",
        "Sync rounds served.",
        "counter",
        &m.syncs,
    );
    out += &line(
        "aduan_sync_failures_total",
        "Sync rounds that failed.",
        "counter",
        &m.sync_failures,
    );
    out += &line(
        "aduan_changes_accepted_total",
        "Uploaded changes accepted.",
        "counter",
        &m.changes_accepted,
    );
    out += &line(
        "aduan_changes_refused_total",
        "Uploaded changes refused.",
        "counter",
        &m.changes_refused,
    );
    out += &line(
        "aduan_sync_bytes_in_total",
        "Sync request bytes received.",
        "counter",
        &m.bytes_in,
    );
    out += &line(
        "aduan_sync_bytes_out_total",
        "Sync response bytes sent.",
        "counter",
        &m.bytes_out,
    );
    out += &line(
        "aduan_sync_duration_microseconds_total",
        "Time spent serving sync rounds.",
        "counter",
        &m.sync_micros,
    );
    out += &line(
        "aduan_logins_total",
        "Successful sign-ins.",
        "counter",
        &m.logins,
    );
    out += &line(
        "aduan_login_failures_total",
        "Refused sign-ins.",
        "counter",
        &m.login_failures,
    );
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out))
}

async fn directory(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.directory.to_json(),
    )
}
