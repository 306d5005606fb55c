//! `/v1/sync`: one round of the sync protocol (`services::sync`), with its figures for
//! `/metrics`.

use std::sync::atomic::Ordering;
use std::time::Instant;

use aduan_core::sync::protocol;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;

use super::blocking;
use super::extractor::{Authenticated, ClientAddress};
use crate::error::ApiError;
use crate::services::sync;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/sync", post(sync_round))
}

async fn sync_round(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    who: Authenticated,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let started = Instant::now();
    state
        .metrics
        .bytes_in
        .fetch_add(body.len() as u64, Ordering::Relaxed);
    let req = protocol::decode_request(&body).map_err(|e| {
        state.metrics.sync_failures.fetch_add(1, Ordering::Relaxed);
        ApiError::bad_request(
            "bad_sync_request",
            format!("The sync request is invalid: {e}."),
        )
    })?;
    let st = state.clone();
    let (resp, tally) = blocking(move || {
        let ctx = sync::Context {
            account: &who.account,
            device_id: &who.device_id,
            now_ms: crate::storage::now_secs() * 1000,
            deadlines: &st.deadlines,
            quotas: Some((&st.meter, address)),
        };
        sync::round(&st.db, &st.live, &ctx, req)
    })
    .await
    .inspect_err(|_| {
        state.metrics.sync_failures.fetch_add(1, Ordering::Relaxed);
    })?;
    // Stored already: a phone that misses this answer asks again and gets the same.
    let bytes = protocol::encode(&resp).map_err(ApiError::internal)?;
    let m = &state.metrics;
    m.syncs.fetch_add(1, Ordering::Relaxed);
    m.changes_accepted
        .fetch_add(tally.changes_accepted, Ordering::Relaxed);
    m.changes_refused
        .fetch_add(tally.changes_refused, Ordering::Relaxed);
    m.bytes_out.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    m.sync_micros
        .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
    tracing::info!(
        accepted = tally.changes_accepted,
        refused = tally.changes_refused,
        docs_out = tally.docs_sent,
        bytes_out = bytes.len(),
        micros = started.elapsed().as_micros() as u64,
        "sync"
    );
    // No content type: both sides know what /v1/sync speaks, and a 2G link pays for every byte.
    Ok(axum::body::Body::from(bytes))
}
