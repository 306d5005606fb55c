//! Accounts and sessions: passwords hashed with Argon2id (memory-hard), bearer tokens stored
//! only as hashes. An access token keeps a phone working through weeks offline; a refresh
//! token renews it; both are revoked with the device or the account. Authentication is an
//! extractor, so no handler can forget it.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::db::{now_secs, Account};
use crate::error::ApiError;

pub const ACCESS_TTL_SECS: i64 = 30 * 24 * 3600;
pub const REFRESH_TTL_SECS: i64 = 180 * 24 * 3600;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| ApiError::internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("argon2: {e}")))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A real hash of nothing, verified against for unknown accounts so a failed sign-in takes
/// the same time whether or not the account exists.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// 128 random bits: beyond guessing, and 22 characters on every request rather than 43 (a 2G
/// link pays for each byte).
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at: i64,
    pub device_id: String,
    pub identity: aduan_core::types::Identity,
}

/// Issues a fresh pair of tokens for a device of an account.
pub fn issue(state: &AppState, account: &Account, device_id: &str) -> Result<Session, ApiError> {
    state.db.add_device(device_id, &account.id)?;
    let access = new_token();
    let refresh = new_token();
    let now = now_secs();
    state.db.store_token(
        &token_hash(&access),
        &account.id,
        device_id,
        "access",
        now + ACCESS_TTL_SECS,
    )?;
    state.db.store_token(
        &token_hash(&refresh),
        &account.id,
        device_id,
        "refresh",
        now + REFRESH_TTL_SECS,
    )?;
    Ok(Session {
        access_token: access,
        refresh_token: refresh,
        access_expires_at: now + ACCESS_TTL_SECS,
        device_id: device_id.to_string(),
        identity: account.identity(),
    })
}

/// The authenticated account and device of a request.
pub struct Authenticated {
    pub account: Account,
    pub device_id: String,
}

pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
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
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        if token.len() > 200 {
            return Err(ApiError::unauthorized());
        }
        let hash = token_hash(token);
        let db = state.db.clone();
        let found = tokio::task::spawn_blocking(move || db.token(&hash, "access"))
            .await
            .map_err(ApiError::internal)??;
        let (account, device_id) = found.ok_or_else(ApiError::unauthorized)?;
        Ok(Authenticated { account, device_id })
    }
}
