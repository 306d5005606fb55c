//! End-to-end helpers: real `aduan-server` processes on loopback, and phones that are real
//! stores driven through the same `AduanStore` object the apps use.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::{ComplaintDraft, ComplaintFilter, ComplaintSummary};
use aduan_core::types::{Location, ReportKind};

/// The workspace's build of a binary (scripts/test.sh builds them before the tests run).
pub fn binary(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let path = target.join("debug").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first (scripts/test.sh does)",
        path.display()
    );
    path
}

/// A server process with its own data folder, killed when dropped.
pub struct Server {
    pub url: String,
    pub data: tempfile::TempDir,
    child: Child,
}

impl Server {
    pub fn start() -> Server {
        let data = tempfile::tempdir().unwrap();
        Self::start_in(data)
    }

    pub fn start_in(data: tempfile::TempDir) -> Server {
        let mut child = Command::new(binary("aduan-server"))
            .args(["--data"])
            .arg(data.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("aduan-server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "unexpected first line: {line}"
        );
        Server { url, data, child }
    }

    /// Runs `aduan-server` management commands on this server's data folder.
    pub fn manage(&self, args: &[&str]) {
        let out = Command::new(binary("aduan-server"))
            .arg("--data")
            .arg(self.data.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn kill(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.data, dir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const PASSWORD: &str = "aduan-demo";

/// A phone: a real store in its own folder, signed in to the server as a demo account.
pub struct Phone {
    pub store: Arc<AduanStore>,
    pub dir: tempfile::TempDir,
}

impl std::ops::Deref for Phone {
    type Target = AduanStore;
    fn deref(&self) -> &AduanStore {
        &self.store
    }
}

impl Phone {
    pub fn login(server: &Server, account: &str) -> Phone {
        Self::login_result(server, account, PASSWORD).unwrap()
    }

    pub fn login_result(
        server: &Server,
        account: &str,
        password: &str,
    ) -> Result<Phone, aduan_core::error::AduanError> {
        let dir = tempfile::tempdir().unwrap();
        let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
        store.login(server.url.clone(), account.into(), password.into())?;
        Ok(Phone { store, dir })
    }

    pub fn sync_ok(&self) -> aduan_core::sync::client::SyncReport {
        self.sync(None)
            .unwrap_or_else(|e| panic!("sync failed: {e}"))
    }

    pub fn session(&self) -> aduan_core::sync::client::Session {
        self.with_store(|s| s.session()).unwrap().unwrap()
    }

    /// Sends this phone's syncs to another address (a restarted server, a faulty proxy).
    pub fn point_at(&self, url: &str) {
        self.with_store(|s| {
            let mut session = s.session()?.unwrap();
            session.server_url = url.to_string();
            s.save_session(&session)
        })
        .unwrap();
    }

    /// Every complaint this phone holds.
    pub fn all(&self) -> Vec<ComplaintSummary> {
        self.list(ComplaintFilter {
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
    }
}

/// A complaint as a citizen in Makassar would file it.
pub fn draft(title: &str, category: &str) -> ComplaintDraft {
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: category.into(),
        title: title.into(),
        description: "Air meluap ke jalan setiap hujan.".into(),
        location: Location {
            kelurahan: "Mangasa".into(),
            ..Location::default()
        },
        anonymous: false,
        confidential: false,
        photos: vec![],
    }
}
pub mod faults;
