//! The router, its state and its handlers. Handlers are short: authentication is an extractor,
//! the sync round is in `sync.rs`, storage in `db.rs`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use aduan_core::catalog::Directory;
use aduan_core::sync::protocol;
use aduan_core::types::Role;
use aduan_core::workflow::Deadlines;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::auth::{self, Authenticated, Session};
use crate::db::{Account, Db};
use crate::error::ApiError;
use crate::security;
use crate::sync;

/// Counters exposed at /metrics (Prometheus text format). No labels carry personal data.
#[derive(Default)]
pub struct Metrics {
    pub syncs: AtomicU64,
    pub sync_failures: AtomicU64,
    pub changes_accepted: AtomicU64,
    pub changes_refused: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub sync_micros: AtomicU64,
    pub logins: AtomicU64,
    pub login_failures: AtomicU64,
    /// SHA-256 of the operator's token that opens `/metrics` and `/health/detail`; without
    /// one they are off.
    pub operator_token: Option<Vec<u8>>,
}

impl Metrics {
    pub fn for_operator(token: Option<&str>) -> Metrics {
        Metrics {
            operator_token: token.map(auth::token_hash),
            ..Metrics::default()
        }
    }

    /// Figures are for the operator only: they tell how many complaints and accounts exist
    /// and how busy the server is.
    fn check_operator(&self, headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
        let Some(expected) = &self.operator_token else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_enabled",
                "Metrics are off: the operator has set no metrics token.",
                "Metrik tidak aktif: operator belum menetapkan token metrik.",
            ));
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| auth::token_hash(t.trim()));
        // Hashes of equal length: comparing them tells nothing about the token.
        if given.as_ref() == Some(expected) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "operator_only",
                "This is for the server's operator, with the metrics token.",
                "Hanya untuk operator server, dengan token metrik.",
            ))
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub directory: Arc<Directory>,
    pub deadlines: Arc<Deadlines>,
    pub metrics: Arc<Metrics>,
    pub photos: Arc<dyn crate::photos::PhotoStore>,
    pub live: crate::live::Live,
    pub login_limiter: Arc<crate::limits::LoginLimiter>,
    pub password_checks: Arc<auth::PasswordChecks>,
    /// Proxies whose forwarded-for headers name the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<Vec<crate::forwarded::Cidr>>,
    pub meter: Arc<crate::quotas::Meter>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/health/detail", get(health_detail))
        .route("/metrics", get(metrics))
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/device", post(device))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/directory", get(directory))
        .route("/v1/sync", post(sync_round))
        .route("/v1/events", get(crate::live::events))
        .route(
            "/v1/photos/{sha}",
            get(crate::photos::download)
                .head(crate::photos::status)
                .put(crate::photos::upload),
        )
        .route("/v1/admin/accounts", post(create_account))
        .route("/v1/admin/accounts/{id}/disable", post(disable_account))
        .route("/v1/admin/accounts/{id}/move", post(move_account))
        .route("/v1/admin/security-log", get(security_log))
        .layer(DefaultBodyLimit::max(protocol::MAX_MESSAGE_BYTES))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

/// Public: up or not, nothing more.
async fn health() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn health_detail(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    state.metrics.check_operator(&headers)?;
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
    headers: axum::http::HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let m = &state.metrics;
    m.check_operator(&headers)?;
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

#[derive(Deserialize)]
struct LoginRequest {
    account_id: String,
    password: String,
    device_id: String,
}

fn check_device_id(id: &str) -> Result<(), ApiError> {
    if aduan_core::model::event::valid_id(id) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "bad_device_id",
            "The device id must be 1-80 letters, digits, '.', '-' or '_'.",
        ))
    }
}

/// The client's address, when the server was started with connection info (not in tests that
/// call the router directly): the peer's, or behind a trusted proxy the one it forwards.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| {
                    crate::forwarded::client_address(
                        c.0.ip(),
                        &parts.headers,
                        &state.trusted_proxies,
                    )
                }),
        ))
    }
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Session>, ApiError> {
    check_device_id(&req.device_id)?;
    enum Outcome {
        Wait(std::time::Duration),
        Session(Session),
        Refused,
    }
    let mut slot = state.password_checks.slot().await?;
    let st = state.clone();
    let outcome = blocking(move || {
        let limiter = &st.login_limiter;
        let owner = st.db.device_owner(&req.device_id)?;
        let client = crate::limits::Client {
            address,
            known_device: (owner.as_deref() == Some(req.account_id.as_str()))
                .then_some(req.device_id.as_str()),
        };
        let account = st.db.account(&req.account_id)?;
        // What was typed as an account id is logged only when it names one: people type
        // their password there too.
        let named = account.as_ref().map(|a| a.id.as_str());
        // Held attempts cost no password check, so they are not logged one by one (that would
        // let anyone fill the log); the lock itself is, when it is set.
        if let Some(wait) = limiter.admit(&req.account_id, client)? {
            return Ok(Outcome::Wait(wait));
        }
        let hash = st.db.password_hash(&req.account_id)?;
        // Verify even for unknown accounts, so timing does not tell which accounts exist.
        let ok = match &hash {
            Some(h) => auth::verify_password(slot.memory(), &req.password, h),
            None => {
                let _ = auth::verify_password(slot.memory(), &req.password, auth::dummy_hash());
                false
            }
        };
        drop(slot);
        match &account {
            Some(a) if ok && !a.disabled => {
                limiter.succeeded(&a.id, client)?;
                let session = auth::issue(&st, a, &req.device_id)?;
                st.db
                    .security_event(security::SIGN_IN, named, None, "password")?;
                Ok(Outcome::Session(session))
            }
            _ => {
                let locked = limiter.failed(&req.account_id, client)?;
                let why = match &account {
                    None => "unknown_account",
                    Some(a) if a.disabled => "disabled",
                    Some(_) => "bad_password",
                };
                st.db
                    .security_event(security::SIGN_IN_FAILED, named, None, why)?;
                if locked {
                    st.db
                        .security_event(security::SIGN_IN_LOCKED, named, None, "")?;
                }
                Ok(Outcome::Refused)
            }
        }
    })
    .await?;
    match outcome {
        Outcome::Session(session) => {
            state.metrics.logins.fetch_add(1, Ordering::Relaxed);
            Ok(Json(session))
        }
        Outcome::Wait(wait) => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            let minutes = wait.as_secs().div_ceil(60).max(1);
            Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("Too many failed sign-ins; try again in {minutes} minutes."),
                format!(
                    "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit."
                ),
            ))
        }
        Outcome::Refused => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
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

/// A citizen who continues without an account: the device gets an account of its own, known
/// to nobody but the server, and a credential to sync with.
async fn device(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<DeviceRequest>,
) -> Result<Json<Session>, ApiError> {
    check_device_id(&req.device_id)?;
    let st = state.clone();
    let session = blocking(move || {
        // A device id already in use stays with its account: refused before an account is
        // made for it.
        if let Some(owner) = st.db.device_owner(&req.device_id)? {
            st.db
                .security_event(security::DEVICE_TAKEN, Some(&owner), None, "registration")?;
            return Err(auth::device_taken());
        }
        st.meter.room_to_write()?;
        st.meter.register(address)?;
        let account = Account {
            id: format!("anon-{}", uuid::Uuid::new_v4().simple()),
            display_name: "Warga".into(),
            role: Role::Citizen,
            institution_id: None,
            unit_id: None,
            disabled: false,
        };
        st.db.create_account(&account, None)?;
        auth::issue(&st, &account, &req.device_id)
    })
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
    if req.refresh_token.len() > 200 {
        return Err(ApiError::unauthorized());
    }
    let st = state.clone();
    let session = blocking(move || auth::refresh(&st, &req.refresh_token)).await?;
    Ok(Json(session))
}

async fn logout(State(state): State<AppState>, who: Authenticated) -> Result<StatusCode, ApiError> {
    let db = state.db.clone();
    blocking(move || {
        db.revoke_device(&who.device_id, &who.account.id)?;
        db.security_event(security::SIGN_OUT, Some(&who.account.id), None, "")
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn directory(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.directory.to_json(),
    )
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
        if req.uploads.iter().any(|u| !u.changes.is_empty()) {
            st.meter.room_to_write()?;
        }
        let ctx = sync::Context {
            account: &who.account,
            device_id: &who.device_id,
            now_ms: crate::db::now_secs() * 1000,
            deadlines: &st.deadlines,
            quotas: Some((&st.meter, address)),
        };
        st.db.transaction(|tx| {
            let (resp, mut tally) = sync::handle(tx, &ctx, req)?;
            for (id, _, _) in &tally.changed {
                crate::escalations::escalate(tx, id, ctx.now_ms, ctx.deadlines)?;
            }
            let changed = std::mem::take(&mut tally.changed);
            st.db.announce(tx, &st.live, tally.sequence, changed)?;
            record_refusals(tx, &who.account.id, &resp)?;
            Ok((resp, tally))
        })
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

#[derive(Deserialize)]
pub struct NewAccount {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    pub password: String,
}

/// Validates an account against the directory: the same rules for the API and the CLI.
pub fn validate_account(directory: &Directory, a: &NewAccount) -> Result<(), ApiError> {
    if !aduan_core::model::event::valid_id(&a.id) || a.id.starts_with("anon-") {
        return Err(ApiError::bad_request(
            "bad_account_id",
            "Account ids are 1-80 letters, digits, '.', '-' or '_'.",
        ));
    }
    if a.display_name.trim().is_empty() || a.display_name.len() > 200 {
        return Err(ApiError::bad_request(
            "bad_name",
            "The display name must not be empty.",
        ));
    }
    crate::passwords::check(&a.id, &a.password)?;
    let needs_institution = matches!(a.role, Role::Officer | Role::InstitutionAdmin | Role::Cadre);
    match (&a.institution_id, needs_institution) {
        (None, true) => {
            return Err(ApiError::bad_request(
                "institution_required",
                "This role belongs to an institution.",
            ))
        }
        (Some(i), _) if directory.institution(i).is_none() => {
            return Err(ApiError::bad_request(
                "unknown_institution",
                "No such institution in the directory.",
            ))
        }
        _ => {}
    }
    if let Some(unit) = &a.unit_id {
        match (directory.unit(unit), &a.institution_id) {
            (Some((inst, _)), Some(i)) if &inst.id == i => {}
            _ => {
                return Err(ApiError::bad_request(
                    "unknown_unit",
                    "No such unit in that institution.",
                ))
            }
        }
    }
    Ok(())
}

fn require_admin(who: &Authenticated) -> Result<(), ApiError> {
    if who.account.role == Role::NationalAdmin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "admin_only",
            "Only a national administrator manages accounts.",
            "Hanya admin nasional yang mengelola akun.",
        ))
    }
}

async fn create_account(
    State(state): State<AppState>,
    who: Authenticated,
    Json(req): Json<NewAccount>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    validate_account(&state.directory, &req)?;
    let db = state.db.clone();
    let mut slot = state.password_checks.slot().await?;
    blocking(move || {
        let hash = auth::hash_password_in(slot.memory(), &req.password);
        drop(slot);
        let hash = hash?;
        db.security_event(
            security::ACCOUNT_CREATED,
            Some(&req.id),
            Some(&who.account.id),
            req.role.code(),
        )?;
        db.create_account(
            &Account {
                id: req.id,
                display_name: req.display_name,
                role: req.role,
                institution_id: req.institution_id,
                unit_id: req.unit_id,
                disabled: false,
            },
            Some(&hash),
        )
    })
    .await?;
    Ok(StatusCode::CREATED)
}

async fn disable_account(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    let db = state.db.clone();
    let found = blocking(move || {
        let found = db.set_disabled(&id, true)?;
        if found {
            db.security_event(
                security::ACCOUNT_DISABLED,
                Some(&id),
                Some(&who.account.id),
                "",
            )?;
        }
        Ok(found)
    })
    .await?;
    Ok(if found {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    })
}

#[derive(Deserialize)]
struct MoveRequest {
    institution_id: Option<String>,
    unit_id: Option<String>,
}

async fn move_account(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
    Json(req): Json<MoveRequest>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    if let Some(i) = &req.institution_id {
        if state.directory.institution(i).is_none() {
            return Err(ApiError::bad_request(
                "unknown_institution",
                "No such institution in the directory.",
            ));
        }
    }
    let db = state.db.clone();
    let found = blocking(move || {
        let found = db.move_account(&id, req.institution_id.as_deref(), req.unit_id.as_deref())?;
        if found {
            // Institution and unit ids are the directory's, not personal data.
            let to = format!(
                "{}/{}",
                req.institution_id.as_deref().unwrap_or("-"),
                req.unit_id.as_deref().unwrap_or("-")
            );
            db.security_event(
                security::ACCOUNT_MOVED,
                Some(&id),
                Some(&who.account.id),
                &to,
            )?;
        }
        Ok(found)
    })
    .await?;
    Ok(if found {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    })
}

/// Each refused change of a round in the security log: whose, and the refusal's code (never
/// the document: its id names a complaint, its content is the complaint).
fn record_refusals(
    tx: &mut dyn crate::db::Sql,
    account: &str,
    resp: &protocol::SyncResponse,
) -> Result<(), ApiError> {
    let mut codes: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in &resp.refused {
        *codes.entry(r.code.as_str()).or_default() += 1;
    }
    for (code, n) in codes {
        let detail = format!("{code} x{n}");
        security::record(tx, security::CHANGE_REFUSED, Some(account), None, &detail)?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct LogQuery {
    before: Option<String>,
    limit: Option<u32>,
}

/// The security log, newest first, a page at a time: `next` is the `before` of the next page.
async fn security_log(
    State(state): State<AppState>,
    who: Authenticated,
    axum::extract::Query(q): axum::extract::Query<LogQuery>,
) -> Result<impl IntoResponse, ApiError> {
    require_admin(&who)?;
    let limit = q.limit.unwrap_or(100).clamp(1, security::MAX_PAGE);
    let db = state.db.clone();
    let entries = blocking(move || db.security_log(q.before.as_deref(), limit)).await?;
    let next = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.id.clone()))
        .flatten();
    Ok(Json(
        serde_json::json!({ "entries": entries, "next": next }),
    ))
}
