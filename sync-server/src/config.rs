//! Configuration from a TOML file, overridden by flags and environment variables (clap reads
//! both), overridden by nothing else.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL URL; without it the embedded SQLite file in `data_dir` is used.
    pub database_url: Option<String>,
    /// Connections to PostgreSQL from this instance (default 8).
    pub database_pool: Option<usize>,
    /// Where photos are kept (default `data_dir/photos`); instances sharing a database share
    /// this folder too (or an object store behind `PhotoStore`).
    pub photos_dir: Option<PathBuf>,
    /// Demo accounts with the published password on an empty server (default false).
    pub seed_demo: Option<bool>,
    /// The operator's token for /metrics and /health/detail; without one they are off.
    pub metrics_token: Option<String>,
    /// Proxies (addresses or CIDR ranges) whose forwarded-for headers name the client.
    pub trusted_proxies: Option<Vec<String>>,
    /// Password hashes computed at once (default: one per core).
    pub password_checks: Option<u16>,
    /// Hours east of UTC for the deadlines of institutions the directory does not know: 7 (WIB),
    /// 8 (WITA), 9 (WIT). Known ones end at midnight in their own zone.
    pub utc_offset_hours: Option<i8>,
    /// An operator's extra holidays (CSV, same shape as core/data/holidays-id.csv).
    pub extra_holidays: Option<PathBuf>,
    /// Another region's directory (JSON, same shape as core/data/region-makassar.json).
    pub directory: Option<PathBuf>,
    /// Limits on what an address or account makes the server store (see `quotas`).
    #[serde(default)]
    pub quotas: crate::quotas::QuotaFile,
    /// Serve HTTPS: the certificate chain and its private key (PEM files).
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl FileConfig {
    pub fn load(path: &std::path::Path) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}
