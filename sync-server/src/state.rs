//! The one shared application state: what every handler gets through axum's `State`. It
//! holds the services and storage handlers call; services themselves never see it (each is
//! handed what it works with).

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use aduan_core::catalog::Directory;
use aduan_core::workflow::Deadlines;

use crate::config::Cidr;
use crate::services::limits::LoginLimiter;
use crate::services::live::Live;
use crate::services::quotas::Meter;
use crate::services::sessions::{self, PasswordChecks};
use crate::storage::{Db, PhotoStore};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub directory: Arc<Directory>,
    pub deadlines: Arc<Deadlines>,
    pub metrics: Arc<Metrics>,
    pub photos: Arc<dyn PhotoStore>,
    pub live: Live,
    pub login_limiter: Arc<LoginLimiter>,
    pub password_checks: Arc<PasswordChecks>,
    /// Proxies whose forwarded-for headers name the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<Vec<Cidr>>,
    pub meter: Arc<Meter>,
    /// Served over TLS directly: the desk's cookies are then marked Secure.
    pub tls: bool,
    /// Where the web pages' maps get their tiles, if anywhere (`--map-tiles`).
    pub map: Arc<crate::config::MapConfig>,
}

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
            operator_token: token.map(sessions::token_hash),
            ..Metrics::default()
        }
    }
}
