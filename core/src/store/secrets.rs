//! Where the sign-in tokens live: not in the store's SQLite file (it is backed up, copied and
//! read by anything with the app's files) but behind a small interface the shell implements
//! with the platform's secure storage: Android Keystore, iOS Keychain. The CLI keeps them in a
//! file only its user may read.

use std::path::{Path, PathBuf};

/// The platform's secure storage, as core sees it: small text values by key. Calls come from
/// whichever thread is signing in or syncing.
#[uniffi::export(callback_interface)]
pub trait SecretStore: Send + Sync {
    /// The value kept under `key`, or none.
    fn get(&self, key: String) -> Result<Option<String>, SecretStoreError>;
    /// Keeps `value` under `key`, replacing what was there; durable when it returns.
    fn put(&self, key: String, value: String) -> Result<(), SecretStoreError>;
    /// Forgets `key` (nothing to forget is not an error).
    fn delete(&self, key: String) -> Result<(), SecretStoreError>;
}

/// The secure storage could not be used (a locked keychain, a key the system invalidated).
/// The reason is the platform's and must not hold a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum SecretStoreError {
    #[error("secure storage unavailable: {reason}")]
    Unavailable { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for SecretStoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        SecretStoreError::Unavailable { reason: e.reason }
    }
}

/// Secrets as files in a folder, readable by their owner only (mode 0600): the CLI's secure
/// storage, and the default of `Store::open`.
pub struct FileSecretStore {
    dir: PathBuf,
}

impl FileSecretStore {
    pub fn new(dir: impl AsRef<Path>) -> FileSecretStore {
        FileSecretStore {
            dir: dir.as_ref().to_path_buf(),
        }
    }

    fn path(&self, key: &str) -> Result<PathBuf, SecretStoreError> {
        // Keys are core's own names; anything else must not become a path.
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(SecretStoreError::Unavailable {
                reason: "invalid key".into(),
            });
        }
        Ok(self.dir.join(format!("{key}.secret")))
    }
}

fn io(e: std::io::Error) -> SecretStoreError {
    SecretStoreError::Unavailable {
        reason: e.kind().to_string(),
    }
}

impl SecretStore for FileSecretStore {
    fn get(&self, key: String) -> Result<Option<String>, SecretStoreError> {
        match std::fs::read_to_string(self.path(&key)?) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    fn put(&self, key: String, value: String) -> Result<(), SecretStoreError> {
        use std::io::Write;
        let path = self.path(&key)?;
        let tmp = path.with_extension("secret.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(io)?;
        // A file left by an older version or another umask: tighten it before writing.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(io)?;
        }
        file.write_all(value.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)
    }

    fn delete(&self, key: String) -> Result<(), SecretStoreError> {
        match std::fs::remove_file(self.path(&key)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_secrets_are_readable_by_their_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileSecretStore::new(dir.path());
        assert_eq!(s.get("session".into()).unwrap(), None);
        s.put("session".into(), "v1".into()).unwrap();
        s.put("session".into(), "v2".into()).unwrap();
        assert_eq!(s.get("session".into()).unwrap().as_deref(), Some("v2"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("session.secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(s.put("../x".into(), "v".into()).is_err());
        s.delete("session".into()).unwrap();
        s.delete("session".into()).unwrap();
        assert_eq!(s.get("session".into()).unwrap(), None);
    }
}
