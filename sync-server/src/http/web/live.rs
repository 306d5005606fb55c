//! `GET /desk/events`: the live feed (`services::live`) for the desk's pages, authorized by
//! the session cookie the way `/v1/events` is by a bearer token: the same listener, so a
//! page hears of exactly the complaints its account may see. The page's script reloads
//! what changed; without it, the pages work as they are.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::{Desk, Page};
use crate::services::live::Notice;
use crate::services::sessions::token_hash;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/desk/events", get(events))
}

async fn events(State(state): State<AppState>, desk: Desk) -> Response {
    let lang = desk.lang;
    let listener = match state
        .live
        .listen(state.db.clone(), desk.account, token_hash(&desk.token))
    {
        Ok(l) => l,
        Err(e) => return Page::from_error(lang, e).into_response(),
    };
    let stream = futures_util::stream::unfold(listener, |mut l| async move {
        let event = match l.next().await? {
            Notice::Resync => Event::default().event("resync").data("{}"),
            Notice::Changed { complaints, .. } => Event::default()
                .event("changed")
                .data(serde_json::json!({ "complaints": complaints }).to_string()),
        };
        Some((Ok::<_, Infallible>(event), l))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
