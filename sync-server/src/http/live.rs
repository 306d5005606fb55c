//! `GET /v1/events`: live updates as server-sent events (`services::live`). `changed` carries
//! the new sequence number and the complaint ids; `resync` says: simply sync.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::stream::Stream;

use super::extractor::{bearer_of, Authenticated};
use crate::error::ApiError;
use crate::services::live::Notice;
use crate::services::sessions::token_hash;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/events", get(events))
}

/// The stream ends when its session no longer stands.
async fn events(
    State(state): State<AppState>,
    who: Authenticated,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let token = bearer_of(&headers).ok_or_else(ApiError::unauthorized)?;
    let listener = state
        .live
        .listen(state.db.clone(), who.account, token_hash(token))?;
    let stream = futures_util::stream::unfold(listener, |mut l| async move {
        let event = match l.next().await? {
            Notice::Resync => Event::default().event("resync").data("{}"),
            Notice::Changed {
                sequence,
                complaints,
            } => Event::default().event("changed").data(
                serde_json::json!({ "sequence": sequence, "complaints": complaints }).to_string(),
            ),
        };
        Some((Ok(event), l))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
