//! Signing in and out: `/v1/auth/login` (password), `/v1/auth/device` (a citizen without an
//! account), `/v1/auth/refresh`, `/v1/auth/logout`.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

use super::blocking;
use super::extractor::{Authenticated, ClientAddress};
use crate::error::{ApiError, Kind};
use crate::services::sessions::{self, Session, SignIn};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/device", post(device))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
}

#[derive(Deserialize)]
struct LoginRequest {
    account_id: String,
    password: String,
    device_id: String,
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Session>, ApiError> {
    sessions::check_device_id(&req.device_id)?;
    let slot = state.password_checks.slot().await?;
    let st = state.clone();
    let outcome = blocking(move || {
        sessions::sign_in(
            &st.db,
            &st.login_limiter,
            slot,
            &req.account_id,
            &req.password,
            &req.device_id,
            address,
        )
    })
    .await?;
    match outcome {
        SignIn::Session(session) => {
            state.metrics.logins.fetch_add(1, Ordering::Relaxed);
            Ok(Json(session))
        }
        SignIn::Wait(wait) => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            let minutes = wait.as_secs().div_ceil(60).max(1);
            Err(ApiError::new(
                Kind::TooMany,
                "too_many_attempts",
                format!("Too many failed sign-ins; try again in {minutes} minutes."),
                format!(
                    "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit."
                ),
            ))
        }
        SignIn::Refused => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            Err(ApiError::new(
                Kind::Unauthenticated,
                "bad_credentials",
                "Wrong account or password, or the account is disabled.",
                "Akun atau kata sandi salah, atau akun dinonaktifkan.",
            ))
        }
    }
}

#[derive(Deserialize)]
struct DeviceRequest {
    device_id: String,
}

/// A citizen who continues without an account (see `sessions::register_device`).
async fn device(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<DeviceRequest>,
) -> Result<Json<Session>, ApiError> {
    sessions::check_device_id(&req.device_id)?;
    let st = state.clone();
    let session =
        blocking(move || sessions::register_device(&st.db, &st.meter, &req.device_id, address))
            .await?;
    Ok(Json(session))
}

#[derive(Deserialize)]
struct RefreshRequest {
    refresh_token: String,
}

async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<Json<Session>, ApiError> {
    let db = state.db.clone();
    let session = blocking(move || sessions::refresh(&db, &req.refresh_token)).await?;
    Ok(Json(session))
}

async fn logout(State(state): State<AppState>, who: Authenticated) -> Result<StatusCode, ApiError> {
    let db = state.db.clone();
    blocking(move || sessions::sign_out(&db, &who.account, &who.device_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
