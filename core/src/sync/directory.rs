//! The server's directory for this phone. Deadlines end at midnight in each institution's zone,
//! which the directory holds, so a phone computes the server's deadlines only with its
//! directory.

use std::sync::Mutex;
use std::time::Duration;

use crate::catalog::Directory;
use crate::error::{Error, Result};
use crate::store::Store;

/// Fetches `GET /v1/directory` from the server this phone is signed in to and uses it.
pub fn fetch(store: &Mutex<Store>) -> Result<()> {
    let lock = || store.lock().unwrap_or_else(|p| p.into_inner());
    let url = lock()
        .session()?
        .map(|s| s.server_url)
        .ok_or(Error::Invalid {
            field: "session",
            reason: "not signed in to a server",
        })?;
    let base = url.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(Error::Invalid {
            field: "server address",
            reason: "must start with http:// or https://",
        });
    }
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(180))
        .build()
        .map_err(|e| Error::Sync(format!("client: {e}")))?;
    let resp = client
        .get(format!("{base}/v1/directory"))
        .send()
        .map_err(|e| Error::Sync(format!("directory: {}", e.without_url())))?;
    if !resp.status().is_success() {
        return Err(Error::Sync(format!(
            "directory: server answered {}",
            resp.status()
        )));
    }
    let text = resp
        .text()
        .map_err(|e| Error::Sync(format!("directory: {}", e.without_url())))?;
    let directory = Directory::from_json(&text)
        .map_err(|e| Error::Sync(format!("the server's directory: {e}")))?;
    lock().set_directory(directory)
}
