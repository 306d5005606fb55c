//! Where photo bytes live: the filesystem by default; an object store implements the same
//! [`PhotoStore`]. What a photo may be, and who may read it, is `services::photos`'.

use std::io::{Read, Write};
use std::path::PathBuf;

use aduan_core::photo;

/// Largest photo accepted (phones upload processed JPEGs of a few hundred KB).
pub const MAX_PHOTO_BYTES: u64 = 8 * 1024 * 1024;

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
