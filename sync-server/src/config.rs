//! Configuration from a TOML file, overridden by flags and environment variables (clap reads
//! both), overridden by nothing else.

use std::net::{IpAddr, SocketAddr};
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
    /// Proxies (addresses or CIDR ranges) whose forwarded-for headers name the client
    /// (`http/forwarded.rs`).
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
    pub quotas: crate::services::quotas::QuotaFile,
    /// Serve HTTPS: the certificate chain and its private key (PEM files).
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// The mail server for notification e-mails (`services::mail::SmtpArgs`).
    #[serde(default)]
    pub smtp: crate::services::mail::SmtpArgs,
    /// Reports by SMS through Gammu's SMS daemon (`services/sms.rs`); off without `gammu_db`.
    #[serde(default)]
    pub sms: crate::services::sms::SmsFile,
    /// Map tiles for the web pages' maps (`MapArgs`); without them a plain offline base.
    pub map_tiles: Option<String>,
    pub map_attribution: Option<String>,
}

impl FileConfig {
    pub fn load(path: &std::path::Path) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// An address range: `10.0.0.0/8`, `fd00::/8`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    bits: u8,
}

/// IPv4-mapped IPv6 addresses as the IPv4 they carry (a dual-stack listener reports them).
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Cidr, String> {
        let bad = || format!("{s}: not an address range (like 10.0.0.0/8 or fd00::/8)");
        let (ip, bits) = match s.split_once('/') {
            Some((ip, bits)) => (ip, Some(bits)),
            None => (s, None),
        };
        let network = canonical(ip.trim().parse::<IpAddr>().map_err(|_| bad())?);
        let max = if network.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(b) => b.trim().parse::<u8>().map_err(|_| bad())?,
            None => max,
        };
        if bits > max {
            return Err(bad());
        }
        Ok(Cidr { network, bits })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let masked = |bits: u32, width: u32, v: u128| {
            if bits == 0 {
                0
            } else {
                v >> (width - bits)
            }
        };
        match (self.network, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let b = u32::from(self.bits);
                masked(b, 32, u32::from(n).into()) == masked(b, 32, u32::from(a).into())
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let b = u32::from(self.bits);
                masked(b, 128, u128::from(n)) == masked(b, 128, u128::from(a))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_contain() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains(ip("10.200.1.1")) && !c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.1.2.3")));
        let c: Cidr = "fd00::/8".parse().unwrap();
        assert!(c.contains(ip("fd12::1")) && !c.contains(ip("fe80::1")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0/8", "::/129"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }
}

/// Where the web pages' maps get their tiles.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MapArgs {
    /// Map tiles for the desk's and public pages' maps: a URL template with {z}, {x} and {y}
    /// (http://tiles.example.go.id/{z}/{x}/{y}.png) of a tile server the operator runs or may
    /// use. Without it, maps draw a plain offline base (villages' points, a grid).
    #[arg(long = "map-tiles", env = "ADUAN_MAP_TILES")]
    pub tiles: Option<String>,
    /// What the tiles' licence asks to show under each map (e.g. "© OpenStreetMap").
    #[arg(long = "map-attribution", env = "ADUAN_MAP_ATTRIBUTION")]
    pub attribution: Option<String>,
}

/// A checked tile source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiles {
    /// The URL template, with `{z}`, `{x}` and `{y}`.
    pub template: String,
    /// Its scheme, host and port: what the pages' content policy lets images come from.
    pub origin: String,
    pub attribution: String,
}

/// The maps' configuration: tiles, or none (the offline base).
#[derive(Debug, Clone, Default)]
pub struct MapConfig {
    pub tiles: Option<Tiles>,
}

impl MapArgs {
    /// Flags over the file; a template that is not an http(s) URL with all three placeholders
    /// is refused with the reason.
    pub fn config(&self, file: &FileConfig) -> Result<MapConfig, String> {
        let Some(template) = self.tiles.clone().or(file.map_tiles.clone()) else {
            return Ok(MapConfig::default());
        };
        let template = template.trim().to_string();
        let rest = template
            .strip_prefix("https://")
            .or_else(|| template.strip_prefix("http://"))
            .ok_or("map tiles: the template is an http:// or https:// URL")?;
        for p in ["{z}", "{x}", "{y}"] {
            if !template.contains(p) {
                return Err(format!("map tiles: the template has no {p}"));
            }
        }
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || host.contains(['{', '}', '@', ' ', '\'', '"', ';']) {
            return Err("map tiles: the template names no plain host".into());
        }
        let scheme = if template.starts_with("https://") {
            "https"
        } else {
            "http"
        };
        let attribution = self
            .attribution
            .clone()
            .or(file.map_attribution.clone())
            .unwrap_or_default();
        Ok(MapConfig {
            tiles: Some(Tiles {
                origin: format!("{scheme}://{host}"),
                template,
                attribution: attribution.trim().to_string(),
            }),
        })
    }
}

#[cfg(test)]
mod map_tests {
    use super::*;

    fn args(t: &str) -> MapArgs {
        MapArgs {
            tiles: Some(t.into()),
            attribution: Some("© Peta Kota".into()),
        }
    }

    #[test]
    fn a_tile_template_is_checked_and_its_origin_kept() {
        let c = args("http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png")
            .config(&FileConfig::default())
            .unwrap();
        let t = c.tiles.unwrap();
        assert_eq!(t.origin, "http://127.0.0.1:8081");
        assert_eq!(t.attribution, "© Peta Kota");
        for bad in [
            "ftp://h/{z}/{x}/{y}.png",
            "http://h/{z}/{x}.png",
            "http:///{z}/{x}/{y}",
            "https://h'x/{z}/{x}/{y}",
            "tiles/{z}/{x}/{y}.png",
        ] {
            assert!(args(bad).config(&FileConfig::default()).is_err(), "{bad}");
        }
        assert!(MapArgs::default()
            .config(&FileConfig::default())
            .unwrap()
            .tiles
            .is_none());
    }
}
