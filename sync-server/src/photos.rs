//! Photos travel apart from the documents: uploaded in chunks that resume where a cut
//! connection stopped, verified against the SHA-256 they are named by, re-checked with core's
//! hostile-image defences, and handed out only to people who may see a complaint that
//! references them (knowing a hash is not enough).

use std::io::{Read, Write};
use std::path::PathBuf;

use aduan_core::model::event::is_sha256_hex;
use aduan_core::photo::{self, PhotoLimits};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::auth::Authenticated;
use crate::db::{Account, Sql};
use crate::error::ApiError;

/// Largest photo accepted (phones upload processed JPEGs of a few hundred KB).
pub const MAX_PHOTO_BYTES: u64 = 8 * 1024 * 1024;
pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// Where photo bytes live. The filesystem by default; an object store implements the same.
/// A partial upload is named by [`partial_key`]: it belongs to the device uploading it.
pub trait PhotoStore: Send + Sync {
    fn exists(&self, sha: &str) -> std::io::Result<bool>;
    fn partial_len(&self, partial: &str) -> std::io::Result<u64>;
    /// Appends at `offset`, which must be the partial length; returns the new length.
    fn append(&self, partial: &str, offset: u64, chunk: &[u8]) -> std::io::Result<u64>;
    fn read_partial(&self, partial: &str) -> std::io::Result<Vec<u8>>;
    /// Makes the verified partial upload the photo `sha`.
    fn commit(&self, partial: &str, sha: &str) -> std::io::Result<()>;
    fn discard(&self, partial: &str) -> std::io::Result<()>;
    fn get(&self, sha: &str) -> std::io::Result<Option<Vec<u8>>>;
    /// Removes partial uploads untouched for `age`; returns how many.
    fn expire_partials(&self, age: std::time::Duration) -> std::io::Result<u64>;
    /// Removes a photo (no complaint shows it).
    fn remove(&self, sha: &str) -> std::io::Result<()>;
}

/// The name of `device`'s partial upload of `sha`: another device can neither append to it
/// nor complete it.
pub fn partial_key(device: &str, sha: &str) -> String {
    format!("{}-{sha}", &photo::sha256_hex(device.as_bytes())[..32])
}

pub struct FsPhotoStore {
    root: PathBuf,
}

impl FsPhotoStore {
    pub fn new(root: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(root.join("partial"))?;
        Ok(FsPhotoStore { root })
    }

    fn done(&self, sha: &str) -> PathBuf {
        self.root.join(&sha[..2]).join(sha)
    }

    fn partial(&self, partial: &str) -> PathBuf {
        self.root.join("partial").join(partial)
    }
}

impl PhotoStore for FsPhotoStore {
    fn exists(&self, sha: &str) -> std::io::Result<bool> {
        Ok(self.done(sha).exists())
    }

    fn partial_len(&self, sha: &str) -> std::io::Result<u64> {
        match std::fs::metadata(self.partial(sha)) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn append(&self, sha: &str, offset: u64, chunk: &[u8]) -> std::io::Result<u64> {
        let len = self.partial_len(sha)?;
        if len != offset {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "offset",
            ));
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.partial(sha))?;
        f.write_all(chunk)?;
        f.sync_data()?;
        Ok(len + chunk.len() as u64)
    }

    fn read_partial(&self, sha: &str) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        std::fs::File::open(self.partial(sha))?
            .take(MAX_PHOTO_BYTES + 1)
            .read_to_end(&mut out)?;
        Ok(out)
    }

    fn commit(&self, partial: &str, sha: &str) -> std::io::Result<()> {
        let done = self.done(sha);
        if let Some(dir) = done.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(self.partial(partial), done)
    }

    fn expire_partials(&self, age: std::time::Duration) -> std::io::Result<u64> {
        let mut removed = 0;
        for entry in std::fs::read_dir(self.root.join("partial"))? {
            let entry = entry?;
            let modified = entry.metadata()?.modified()?;
            if modified.elapsed().is_ok_and(|e| e >= age) {
                match std::fs::remove_file(entry.path()) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => removed += 1,
                }
            }
        }
        Ok(removed)
    }

    fn remove(&self, sha: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.done(sha)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn discard(&self, sha: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.partial(sha)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn get(&self, sha: &str) -> std::io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.done(sha)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn check_sha(sha: &str) -> Result<(), ApiError> {
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

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.parse().ok()
}

fn offset_response(status: StatusCode, offset: u64, complete: bool) -> Response {
    let mut r = status.into_response();
    r.headers_mut()
        .insert("upload-offset", HeaderValue::from(offset));
    r.headers_mut().insert(
        "upload-complete",
        HeaderValue::from_static(if complete { "1" } else { "0" }),
    );
    r
}

/// How much of a photo the server has: a cut upload resumes from `Upload-Offset`.
pub async fn status(
    State(state): State<AppState>,
    who: Authenticated,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    check_sha(&sha)?;
    let st = state.clone();
    let partial = partial_key(&who.device_id, &sha);
    tokio::task::spawn_blocking(move || {
        let photos = &st.photos;
        // Someone else's photo answers as an unknown one: a hash reveals nothing.
        if photos.exists(&sha).map_err(io)? && st.db.run(|sql| may_read(sql, &who.account, &sha))? {
            return Ok(offset_response(StatusCode::OK, 0, true));
        }
        Ok(offset_response(
            StatusCode::OK,
            photos.partial_len(&partial).map_err(io)?,
            false,
        ))
    })
    .await
    .map_err(ApiError::internal)?
}

/// One chunk at `Upload-Offset` of a photo of `Upload-Length` bytes; the last chunk verifies it.
pub async fn upload(
    State(state): State<AppState>,
    crate::app::ClientAddress(address): crate::app::ClientAddress,
    who: Authenticated,
    Path(sha): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_sha(&sha)?;
    let offset = header_u64(&headers, "upload-offset")
        .ok_or_else(|| ApiError::bad_request("upload_offset", "Upload-Offset is required."))?;
    let total = header_u64(&headers, "upload-length")
        .ok_or_else(|| ApiError::bad_request("upload_length", "Upload-Length is required."))?;
    let thumb_of = headers
        .get("thumb-of")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(t) = &thumb_of {
        check_sha(t)?;
    }
    if total == 0
        || total > MAX_PHOTO_BYTES
        || body.len() > MAX_CHUNK_BYTES
        || offset + body.len() as u64 > total
    {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "photo_too_large",
            "The photo or chunk is too large.",
            "Foto atau potongannya terlalu besar.",
        ));
    }
    let partial = partial_key(&who.device_id, &sha);
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let photos = &st.photos;
        if photos.exists(&sha).map_err(io)? {
            return Ok(offset_response(StatusCode::OK, total, true));
        }
        st.meter.room_to_write()?;
        st.meter.photo_bytes(&who.account.id, address, body.len() as u64)?;
        let len = match photos.append(&partial, offset, &body) {
            Ok(len) => len,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                // Not where the server is: tell the phone where to resume.
                return Ok(offset_response(StatusCode::CONFLICT, photos.partial_len(&partial).map_err(io)?, false));
            }
            Err(e) => return Err(io(e)),
        };
        if len < total {
            return Ok(offset_response(StatusCode::OK, len, false));
        }
        let data = photos.read_partial(&partial).map_err(io)?;
        let bad = |code: &'static str, en: &str| {
            let _ = photos.discard(&partial);
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, en, "Foto ditolak server.")
        };
        if data.len() as u64 != total || photo::sha256_hex(&data) != sha {
            return Err(bad("photo_hash_mismatch", "The photo's bytes do not match its name; upload it again."));
        }
        let limits = PhotoLimits { max_input_bytes: MAX_PHOTO_BYTES, ..PhotoLimits::default() };
        let info = photo::probe(&data, &limits).map_err(|e| bad("photo_rejected", &format!("The photo is refused: {e}.")))?;
        if let Err(found) = photo::check_stripped(&data) {
            let _ = photos.discard(&partial);
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "photo_has_metadata",
                format!("The photo carries {found}; the app removes it before sending. Update the app."),
                "Foto masih memuat metadata (misalnya lokasi GPS) yang seharusnya dihapus aplikasi. Perbarui aplikasi.",
            ));
        }
        photos.commit(&partial, &sha).map_err(io)?;
        st.db.run(|sql| {
            sql.execute(
                "INSERT INTO photos (sha256, bytes, width, height, thumb_of, device_id, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT DO NOTHING",
                crate::vals![&sha, total as i64, info.width, info.height, thumb_of, &who.device_id, crate::db::now_secs() * 1000],
            )
        })?;
        Ok(offset_response(StatusCode::CREATED, total, true))
    })
    .await
    .map_err(ApiError::internal)?
}

/// A photo, for someone who may see a complaint that references it (or its full-size photo).
pub async fn download(
    State(state): State<AppState>,
    who: Authenticated,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    check_sha(&sha)?;
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let allowed = st.db.run(|sql| may_read(sql, &who.account, &sha))?;
        if !allowed {
            // The same answer as for a photo that does not exist: a hash reveals nothing.
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "photo_not_found",
                "No such photo.",
                "Foto tidak ditemukan.",
            ));
        }
        match st.photos.get(&sha).map_err(io)? {
            Some(bytes) => {
                // Photos stored before uploads were checked may be other images.
                let kind = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                    "image/jpeg"
                } else {
                    "application/octet-stream"
                };
                Ok((
                    [
                        (header::CONTENT_TYPE, kind),
                        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                    ],
                    bytes,
                )
                    .into_response())
            }
            None => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "photo_not_found",
                "No such photo.",
                "Foto tidak ditemukan.",
            )),
        }
    })
    .await
    .map_err(ApiError::internal)?
}

/// Whether `account` may read a stored photo: its uploader may, and so may whoever sees a
/// complaint that references it, but only through a reference its writer may make. A writer
/// references bytes they uploaded, or bytes they could already read through the uploader's
/// own references; writing a known hash into one's own report opens nothing.
pub fn may_read(sql: &mut dyn Sql, account: &Account, sha: &str) -> Result<bool, ApiError> {
    let Some(uploader) = sql.query_opt(
        "SELECT d.account_id FROM photos p JOIN devices d ON d.id = p.device_id WHERE p.sha256 = $1",
        crate::vals![sha],
    )?
    else {
        return Ok(false);
    };
    let uploader = uploader.text(0)?;
    if uploader == account.id {
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
    let (own, others): (Vec<_>, Vec<_>) = refs.into_iter().partition(|(_, w)| *w == uploader);
    for (complaint, _) in &own {
        if crate::sync::visible_to(sql, account, complaint)? {
            return Ok(true);
        }
    }
    for (complaint, writer) in &others {
        if !crate::sync::visible_to(sql, account, complaint)? {
            continue;
        }
        let Some(writer) = crate::db::account(sql, writer)? else {
            continue;
        };
        for (seen, _) in &own {
            if crate::sync::visible_to(sql, &writer, seen)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
