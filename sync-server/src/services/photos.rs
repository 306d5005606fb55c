//! Photos travel apart from the documents: uploaded in chunks that resume where a cut
//! connection stopped, verified against the SHA-256 they are named by, re-checked with core's
//! hostile-image defences, and handed out only to people who may see a complaint that
//! references them (knowing a hash is not enough). The bytes are kept by a
//! [`PhotoStore`](crate::storage::PhotoStore).

use std::net::IpAddr;

use aduan_core::model::event::is_sha256_hex;
use aduan_core::photo::{self, PhotoLimits};

use super::quotas::Meter;
use super::sync::visible_to;
use crate::error::{ApiError, Kind};
pub use crate::storage::photos::MAX_PHOTO_BYTES;
use crate::storage::photos::{partial_key, PhotoStore};
use crate::storage::{Account, Db, Sql};

pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// A photo's name, checked: the lowercase hex SHA-256 of its bytes.
pub fn check_sha(sha: &str) -> Result<(), ApiError> {
    if is_sha256_hex(sha) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "bad_photo_id",
            "Photos are named by the lowercase hex SHA-256 of their bytes.",
        ))
    }
}

fn io(e: std::io::Error) -> ApiError {
    ApiError::internal(format!("photo store: {e}"))
}

/// Where an upload stands after a request; the phone resumes from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub outcome: Outcome,
    pub offset: u64,
    pub complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Taken (or already there): go on from `offset`.
    Received,
    /// The chunk was not where the server is: resume from `offset`.
    Resume,
    /// The last chunk: the photo is verified and stored.
    Stored,
}

fn progress(outcome: Outcome, offset: u64, complete: bool) -> Progress {
    Progress {
        outcome,
        offset,
        complete,
    }
}

/// Refuses a chunk at `offset` of `len` bytes of a photo of `total` bytes that is too large.
pub fn check_size(offset: u64, len: usize, total: u64) -> Result<(), ApiError> {
    if total == 0
        || total > MAX_PHOTO_BYTES
        || len > MAX_CHUNK_BYTES
        || offset.saturating_add(len as u64) > total
    {
        return Err(ApiError::new(
            Kind::TooLarge,
            "photo_too_large",
            "The photo or chunk is too large.",
            "Foto atau potongannya terlalu besar.",
        ));
    }
    Ok(())
}

/// How much of a photo the server has for `account`'s device `device_id`.
pub fn status(
    db: &Db,
    photos: &dyn PhotoStore,
    account: &Account,
    device_id: &str,
    sha: &str,
) -> Result<Progress, ApiError> {
    let partial = partial_key(device_id, sha);
    // Someone else's photo answers as an unknown one: a hash reveals nothing.
    if photos.exists(sha).map_err(io)? && db.run(|sql| may_read(sql, account, sha))? {
        return Ok(progress(Outcome::Received, 0, true));
    }
    Ok(progress(
        Outcome::Received,
        photos.partial_len(&partial).map_err(io)?,
        false,
    ))
}

/// One chunk of an upload (its name and size already checked).
pub struct Chunk<'a> {
    pub sha: &'a str,
    pub offset: u64,
    pub total: u64,
    /// The full-size photo this one is the thumbnail of.
    pub thumb_of: Option<String>,
    pub bytes: &'a [u8],
}

/// Takes one chunk from `account`'s device `device_id`; the last chunk verifies the photo.
pub fn upload(
    db: &Db,
    photos: &dyn PhotoStore,
    meter: &Meter,
    account: &Account,
    device_id: &str,
    address: Option<IpAddr>,
    chunk: Chunk<'_>,
) -> Result<Progress, ApiError> {
    let Chunk {
        sha,
        offset,
        total,
        thumb_of,
        bytes: body,
    } = chunk;
    let partial = partial_key(device_id, sha);
    // Only someone who may already read the photo learns it is there; anyone else uploads the
    // bytes like for a new photo (proving they hold them) and is then one of its uploaders.
    if photos.exists(sha).map_err(io)? && db.run(|sql| may_read(sql, account, sha))? {
        return Ok(progress(Outcome::Received, total, true));
    }
    meter.room_to_write()?;
    meter.photo_bytes(&account.id, address, body.len() as u64)?;
    let len = match photos.append(&partial, offset, body) {
        Ok(len) => len,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            // Not where the server is: tell the phone where to resume.
            return Ok(progress(
                Outcome::Resume,
                photos.partial_len(&partial).map_err(io)?,
                false,
            ));
        }
        Err(e) => return Err(io(e)),
    };
    if len < total {
        return Ok(progress(Outcome::Received, len, false));
    }
    let data = photos.read_partial(&partial).map_err(io)?;
    let bad = |code: &'static str, en: &str| {
        let _ = photos.discard(&partial);
        ApiError::new(Kind::Unprocessable, code, en, "Foto ditolak server.")
    };
    if data.len() as u64 != total || photo::sha256_hex(&data) != sha {
        return Err(bad(
            "photo_hash_mismatch",
            "The photo's bytes do not match its name; upload it again.",
        ));
    }
    let limits = PhotoLimits {
        max_input_bytes: MAX_PHOTO_BYTES,
        ..PhotoLimits::default()
    };
    let info = photo::probe(&data, &limits)
        .map_err(|e| bad("photo_rejected", &format!("The photo is refused: {e}.")))?;
    if let Err(found) = photo::check_stripped(&data) {
        let _ = photos.discard(&partial);
        return Err(ApiError::new(
            Kind::Unprocessable,
            "photo_has_metadata",
            format!("The photo carries {found}; the app removes it before sending. Update the app."),
            "Foto masih memuat metadata (misalnya lokasi GPS) yang seharusnya dihapus aplikasi. Perbarui aplikasi.",
        ));
    }
    if photos.exists(sha).map_err(io)? {
        // Someone else stored these bytes first: the same file, one more uploader.
        photos.discard(&partial).map_err(io)?;
    } else {
        photos.commit(&partial, sha).map_err(io)?;
    }
    db.transaction(|sql| {
        sql.execute(
            "INSERT INTO photos (sha256, bytes, width, height, thumb_of, device_id, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT DO NOTHING",
            crate::vals![sha, total as i64, info.width, info.height, thumb_of, device_id, crate::storage::now_secs() * 1000],
        )?;
        sql.execute(
            "INSERT INTO photo_uploaders (sha256, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            crate::vals![sha, &account.id],
        )
    })?;
    Ok(progress(Outcome::Stored, total, true))
}

fn not_found() -> ApiError {
    ApiError::new(
        Kind::NotFound,
        "photo_not_found",
        "No such photo.",
        "Foto tidak ditemukan.",
    )
}

/// A photo's bytes, for someone who may see a complaint that references it (or its full-size
/// photo).
pub fn download(
    db: &Db,
    photos: &dyn PhotoStore,
    account: &Account,
    sha: &str,
) -> Result<Vec<u8>, ApiError> {
    let allowed = db.run(|sql| may_read(sql, account, sha))?;
    if !allowed {
        // The same answer as for a photo that does not exist: a hash reveals nothing.
        return Err(not_found());
    }
    photos.get(sha).map_err(io)?.ok_or_else(not_found)
}

/// Whether `account` may read a stored photo: its uploaders may (every account that sent all
/// its bytes), and so may whoever sees a complaint that references it, but only through a
/// reference its writer may make. A writer references bytes they uploaded, or bytes they could
/// already read through an uploader's own references; writing a known hash into one's own
/// report opens nothing.
pub fn may_read(sql: &mut dyn Sql, account: &Account, sha: &str) -> Result<bool, ApiError> {
    let uploaders = sql
        .query(
            "SELECT u.account_id FROM photo_uploaders u JOIN photos p ON p.sha256 = u.sha256 WHERE u.sha256 = $1",
            crate::vals![sha],
        )?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<Vec<String>, ApiError>>()?;
    if uploaders.is_empty() {
        return Ok(false);
    }
    if uploaders.contains(&account.id) {
        return Ok(true);
    }
    // References to the photo, and to the full-size photo it is the thumbnail of.
    let refs = sql
        .query(
            "SELECT r.complaint_id, r.account_id FROM photo_refs r WHERE r.sha256 = $1
             UNION SELECT r.complaint_id, r.account_id FROM photo_refs r JOIN photos p ON p.thumb_of = r.sha256 WHERE p.sha256 = $1",
            crate::vals![sha],
        )?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect::<Result<Vec<(String, String)>, ApiError>>()?;
    let (own, others): (Vec<_>, Vec<_>) =
        refs.into_iter().partition(|(_, w)| uploaders.contains(w));
    for (complaint, _) in &own {
        if visible_to(sql, account, complaint)? {
            return Ok(true);
        }
    }
    for (complaint, writer) in &others {
        if !visible_to(sql, account, complaint)? {
            continue;
        }
        let Some(writer) = crate::storage::account(sql, writer)? else {
            continue;
        };
        for (seen, _) in &own {
            if visible_to(sql, &writer, seen)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_at_an_absurd_offset_is_refused_not_a_panic() {
        assert!(check_size(u64::MAX, 10, 1000).is_err());
        assert!(check_size(u64::MAX - 5, 10, MAX_PHOTO_BYTES).is_err());
        assert!(check_size(990, 10, 1000).is_ok());
    }
}
