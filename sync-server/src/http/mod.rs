//! The HTTP layer: the app is built from one `Router` per resource, each handler short
//! (parse, call a service, answer). Authentication and the client's address are extractors
//! (`extractor.rs`), errors answer through `error.rs`. Handlers get the shared
//! [`AppState`]; the logic is in `services`, storage in `storage`.

mod admin;
mod bridge;
pub mod error;
pub mod extractor;
mod figures;
pub mod forwarded;
mod live;
mod notifications;
mod open311;
pub mod openapi;
mod operator;
mod photos;
mod public;
mod reporters;
mod sessions;
mod sync;
mod web;

use aduan_core::sync::protocol;
use axum::extract::DefaultBodyLimit;
use axum::Router;

use crate::error::ApiError;
pub use crate::state::AppState;
pub use extractor::{Authenticated, ClientAddress};

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(operator::routes())
        .merge(sessions::routes())
        .merge(sync::routes())
        .merge(live::routes())
        .merge(photos::routes())
        .merge(reporters::routes())
        .merge(figures::routes())
        .merge(public::routes())
        .merge(admin::routes())
        .merge(notifications::routes())
        .merge(open311::routes())
        .merge(openapi::routes())
        .merge(bridge::routes())
        .merge(web::routes(&state))
        .layer(DefaultBodyLimit::max(protocol::MAX_MESSAGE_BYTES))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Runs blocking work (storage, password hashes) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}
