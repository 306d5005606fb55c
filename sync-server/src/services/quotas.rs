//! Limits on what one address or one account may make the server store, and a guard on the
//! disk: anonymous registrations per address (per hour and per day), new complaints per
//! account per day, photo bytes per account per day; new writes refused before the disk is
//! full. Counts live in the database (`quota_use`), so instances sharing one share the limits.
//! Also the sweep that forgets unfinished photo uploads and photos no complaint shows.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{ApiError, Kind};
use crate::storage::PhotoStore;
use crate::storage::{Db, Sql};
use crate::vals;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Every this many counted uses, windows older than two days are forgotten.
const PRUNE_EVERY: u64 = 256;

#[derive(Debug, Clone)]
pub struct Quotas {
    pub registrations_per_hour: i64,
    pub registrations_per_day: i64,
    pub complaints_per_day: i64,
    pub photo_bytes_per_day: i64,
    /// Public reads (tracking, public pages) per client address per hour.
    pub public_reads_per_hour: i64,
    /// Loopback clients are not counted (a benchmark's thousand phones on one machine); off
    /// unless the operator asks.
    pub exempt_loopback: bool,
    /// New writes are refused while less than this is free where data and photos are kept.
    pub min_free_bytes: u64,
    /// Folders whose disks the guard watches.
    pub watched: Vec<PathBuf>,
    pub unfinished_upload_age: Duration,
    pub unreferenced_photo_age: Duration,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            registrations_per_hour: 20,
            registrations_per_day: 100,
            // A desk or call-centre operator files for every caller: Makassar's 112 takes about
            // 400 complaints a working day across the centre.
            complaints_per_day: 500,
            photo_bytes_per_day: 256 * 1024 * 1024,
            // A desk looking callers' complaints up, or a journalist paging through an area.
            public_reads_per_hour: 600,
            exempt_loopback: false,
            min_free_bytes: 64 * 1024 * 1024,
            watched: Vec::new(),
            unfinished_upload_age: Duration::from_secs(24 * 3600),
            unreferenced_photo_age: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

pub struct Meter {
    pub quotas: Quotas,
    db: Db,
    uses: AtomicU64,
}

fn too_many(en: &str, id: &str) -> ApiError {
    ApiError::new(Kind::TooMany, "quota_exceeded", en, id)
}

impl Meter {
    pub fn new(db: Db, quotas: Quotas) -> Meter {
        Meter {
            quotas,
            db,
            uses: AtomicU64::new(0),
        }
    }

    fn exempt(&self, address: Option<IpAddr>) -> bool {
        self.quotas.exempt_loopback && address.is_some_and(|a| a.is_loopback())
    }

    /// Counts `amount` against `subject`'s window; refused (and not counted) beyond `limit`.
    fn take(
        &self,
        sql: &mut dyn Sql,
        subject: &str,
        window_ms: i64,
        limit: i64,
        amount: i64,
    ) -> Result<bool, ApiError> {
        let now = crate::storage::now_secs() * 1000;
        let window = now - now.rem_euclid(window_ms);
        let used = sql.query_int(
            "INSERT INTO quota_use (subject, window_start, used) VALUES ($1, $2, $3)
             ON CONFLICT (subject, window_start) DO UPDATE SET used = quota_use.used + excluded.used
             RETURNING used",
            vals![subject, window, amount],
        )?;
        if self.uses.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            sql.execute(
                "DELETE FROM quota_use WHERE window_start < $1",
                vals![now - 2 * DAY_MS],
            )?;
        }
        if used > limit {
            // Given back: what is refused does not count against tomorrow's honest use.
            sql.execute(
                "UPDATE quota_use SET used = used - $3 WHERE subject = $1 AND window_start = $2",
                vals![subject, window, amount],
            )?;
            return Ok(false);
        }
        Ok(true)
    }

    /// One anonymous registration from `address`.
    pub fn register(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        let (Some(address), false) = (address, self.exempt(address)) else {
            return Ok(());
        };
        let key = super::limits::network(address);
        let q = &self.quotas;
        self.db.run(|sql| {
            for (window, limit) in [
                (HOUR_MS, q.registrations_per_hour),
                (DAY_MS, q.registrations_per_day),
            ] {
                if !self.take(sql, &format!("register:{window}:{key}"), window, limit, 1)? {
                    return Err(too_many(
                        "Too many new devices from this network; try again later.",
                        "Terlalu banyak perangkat baru dari jaringan ini; coba lagi nanti.",
                    ));
                }
            }
            Ok(())
        })
    }

    /// One public read (tracking, a public page) from `address`.
    pub fn public_read(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        let (Some(address), false) = (address, self.exempt(address)) else {
            return Ok(());
        };
        let key = super::limits::network(address);
        let limit = self.quotas.public_reads_per_hour;
        self.db.run(|sql| {
            if self.take(sql, &format!("public:{key}"), HOUR_MS, limit, 1)? {
                Ok(())
            } else {
                Err(too_many(
                    "Too many lookups from this network; try again in an hour.",
                    "Terlalu banyak permintaan dari jaringan ini; coba lagi satu jam lagi.",
                ))
            }
        })
    }

    /// One new complaint by `account`, counted inside the sync round's transaction; `false`
    /// when the day's quota is used up.
    pub fn new_complaint(
        &self,
        tx: &mut dyn Sql,
        account: &str,
        address: Option<IpAddr>,
    ) -> Result<bool, ApiError> {
        if self.exempt(address) {
            return Ok(true);
        }
        self.take(
            tx,
            &format!("complaints:{account}"),
            DAY_MS,
            self.quotas.complaints_per_day,
            1,
        )
    }

    /// `bytes` of photo upload by `account`.
    pub fn photo_bytes(
        &self,
        account: &str,
        address: Option<IpAddr>,
        bytes: u64,
    ) -> Result<(), ApiError> {
        if self.exempt(address) || bytes == 0 {
            return Ok(());
        }
        let limit = self.quotas.photo_bytes_per_day;
        self.db.run(|sql| {
            if self.take(
                sql,
                &format!("photo-bytes:{account}"),
                DAY_MS,
                limit,
                bytes as i64,
            )? {
                Ok(())
            } else {
                Err(too_many(
                    "Today's photo upload allowance for this account is used up; try tomorrow.",
                    "Jatah unggah foto akun ini untuk hari ini sudah habis; coba lagi besok.",
                ))
            }
        })
    }

    /// Refuses a new write while the disk holding data or photos is nearly full, so nothing is
    /// written half and what is stored stays whole.
    pub fn room_to_write(&self) -> Result<(), ApiError> {
        for dir in &self.quotas.watched {
            if let Some(free) = free_bytes(dir) {
                if free < self.quotas.min_free_bytes {
                    tracing::warn!(free, path = %dir.display(), "disk nearly full: refusing writes");
                    return Err(ApiError::new(
                        Kind::StorageFull,
                        "server_storage_full",
                        "The server is short of disk space and takes no new data for now; what you have stays on your phone. Try again later.",
                        "Ruang penyimpanan server hampir penuh; data baru belum dapat diterima dan tetap tersimpan di ponsel Anda. Coba lagi nanti.",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Bytes available to this process on the disk holding `dir`.
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid C string and a zeroed struct statvfs fills in.
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub unfinished_uploads: u64,
    pub unreferenced_photos: u64,
}

/// Forgets photo uploads left unfinished longer than `unfinished_upload_age`, and photos no
/// complaint shows (neither itself nor as the thumbnail of one it shows) received longer than
/// `unreferenced_photo_age` ago.
pub fn sweep(db: &Db, photos: &dyn PhotoStore, quotas: &Quotas) -> Result<Swept, ApiError> {
    let io = |e: std::io::Error| ApiError::internal(format!("photo store: {e}"));
    let unfinished_uploads = photos
        .expire_partials(quotas.unfinished_upload_age)
        .map_err(io)?;
    let before =
        crate::storage::now_secs() * 1000 - quotas.unreferenced_photo_age.as_millis() as i64;
    let orphans = db.run(|sql| {
        sql.query(
            "SELECT p.sha256 FROM photos p WHERE p.received_at > 0 AND p.received_at < $1
               AND NOT EXISTS (SELECT 1 FROM photo_refs r WHERE r.sha256 = p.sha256)
               AND NOT EXISTS (SELECT 1 FROM photo_refs r WHERE r.sha256 = p.thumb_of)",
            vals![before],
        )
    })?;
    let mut unreferenced_photos = 0;
    for row in orphans {
        let sha = row.text(0)?;
        // The row first: a photo without its row is never served, and the next sweep of a
        // row without its file changes nothing.
        db.transaction(|sql| {
            sql.execute("DELETE FROM photo_uploaders WHERE sha256 = $1", vals![&sha])?;
            sql.execute("DELETE FROM photos WHERE sha256 = $1", vals![&sha])
        })?;
        photos.remove(&sha).map_err(io)?;
        unreferenced_photos += 1;
    }
    Ok(Swept {
        unfinished_uploads,
        unreferenced_photos,
    })
}

/// The `[quotas]` table of the TOML file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaFile {
    pub registrations_per_hour: Option<i64>,
    pub registrations_per_day: Option<i64>,
    pub complaints_per_day: Option<i64>,
    pub photo_bytes_per_day: Option<i64>,
    pub public_reads_per_hour: Option<i64>,
    pub exempt_loopback: Option<bool>,
    pub min_free_bytes: Option<u64>,
    pub unfinished_upload_secs: Option<u64>,
    pub unreferenced_photo_secs: Option<u64>,
}

/// The same as flags (and environment variables), which win over the file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct QuotaArgs {
    /// Anonymous registrations per client address (IPv6: per /64) per hour (default 20).
    #[arg(long, env = "ADUAN_REGISTRATIONS_PER_HOUR")]
    pub registrations_per_hour: Option<i64>,
    /// ... and per day (default 100).
    #[arg(long, env = "ADUAN_REGISTRATIONS_PER_DAY")]
    pub registrations_per_day: Option<i64>,
    /// New complaints per account per day (default 100).
    #[arg(long, env = "ADUAN_COMPLAINTS_PER_DAY")]
    pub complaints_per_day: Option<i64>,
    /// Photo bytes uploaded per account per day (default 256 MiB).
    #[arg(long, env = "ADUAN_PHOTO_BYTES_PER_DAY")]
    pub photo_bytes_per_day: Option<i64>,
    /// Public reads (tracking, public pages) per client address per hour (default 600).
    #[arg(long, env = "ADUAN_PUBLIC_READS_PER_HOUR")]
    pub public_reads_per_hour: Option<i64>,
    /// Count nothing from loopback clients (benchmarks; never behind a local proxy).
    #[arg(long, env = "ADUAN_QUOTA_EXEMPT_LOOPBACK")]
    pub quota_exempt_loopback: Option<bool>,
    /// Refuse new writes while less than this many bytes are free (default 64 MiB).
    #[arg(long, env = "ADUAN_MIN_FREE_BYTES")]
    pub min_free_bytes: Option<u64>,
    /// Forget photo uploads unfinished for this long (default a day).
    #[arg(long, env = "ADUAN_UNFINISHED_UPLOAD_SECS")]
    pub unfinished_upload_secs: Option<u64>,
    /// Forget photos no complaint shows, this long after they arrived (default a week).
    #[arg(long, env = "ADUAN_UNREFERENCED_PHOTO_SECS")]
    pub unreferenced_photo_secs: Option<u64>,
}

impl QuotaArgs {
    pub fn quotas(&self, file: &QuotaFile, watched: Vec<PathBuf>) -> Quotas {
        let d = Quotas::default();
        Quotas {
            registrations_per_hour: self
                .registrations_per_hour
                .or(file.registrations_per_hour)
                .unwrap_or(d.registrations_per_hour),
            registrations_per_day: self
                .registrations_per_day
                .or(file.registrations_per_day)
                .unwrap_or(d.registrations_per_day),
            complaints_per_day: self
                .complaints_per_day
                .or(file.complaints_per_day)
                .unwrap_or(d.complaints_per_day),
            photo_bytes_per_day: self
                .photo_bytes_per_day
                .or(file.photo_bytes_per_day)
                .unwrap_or(d.photo_bytes_per_day),
            public_reads_per_hour: self
                .public_reads_per_hour
                .or(file.public_reads_per_hour)
                .unwrap_or(d.public_reads_per_hour),
            exempt_loopback: self
                .quota_exempt_loopback
                .or(file.exempt_loopback)
                .unwrap_or(d.exempt_loopback),
            min_free_bytes: self
                .min_free_bytes
                .or(file.min_free_bytes)
                .unwrap_or(d.min_free_bytes),
            watched,
            unfinished_upload_age: self
                .unfinished_upload_secs
                .or(file.unfinished_upload_secs)
                .map_or(d.unfinished_upload_age, Duration::from_secs),
            unreferenced_photo_age: self
                .unreferenced_photo_secs
                .or(file.unreferenced_photo_secs)
                .map_or(d.unreferenced_photo_age, Duration::from_secs),
        }
    }
}

/// Sweeps every `every` for as long as the server runs.
pub fn spawn_sweeper(db: Db, photos: std::sync::Arc<dyn PhotoStore>, quotas: Quotas) {
    let every = quotas.unfinished_upload_age.min(Duration::from_secs(600));
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let (db, photos, quotas) = (db.clone(), photos.clone(), quotas.clone());
            match tokio::task::spawn_blocking(move || sweep(&db, photos.as_ref(), &quotas)).await {
                Ok(Ok(s)) if s != Swept::default() => tracing::info!(
                    unfinished_uploads = s.unfinished_uploads,
                    unreferenced_photos = s.unreferenced_photos,
                    "swept"
                ),
                Ok(Err(e)) => tracing::warn!(error = e.cause(), "sweep failed"),
                _ => {}
            }
        }
    });
}
