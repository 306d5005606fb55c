//! What a handler takes from a request besides its body: the signed-in account and device
//! ([`Authenticated`]: a handler that names it cannot forget authentication) and the
//! client's address ([`ClientAddress`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::blocking;
use crate::error::ApiError;
use crate::services::sessions;
use crate::state::AppState;
use crate::storage::Account;

/// The authenticated account and device of a request.
pub struct Authenticated {
    pub account: Account,
    pub device_id: String,
}

/// The bearer token of a request, if it has one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    bearer_of(&parts.headers)
}

pub fn bearer_of(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)
            .ok_or_else(ApiError::unauthorized)?
            .to_string();
        let db = state.db.clone();
        let (account, device_id) = blocking(move || sessions::authenticate(&db, &token)).await?;
        Ok(Authenticated { account, device_id })
    }
}

/// The client's address, when the server was started with connection info (not in tests that
/// call the router directly): the peer's, or behind a trusted proxy the one it forwards.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| {
                    super::forwarded::client_address(
                        c.0.ip(),
                        &parts.headers,
                        &state.trusted_proxies,
                    )
                }),
        ))
    }
}
