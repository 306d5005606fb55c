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

/// Where a test server keeps its data: its own folder, and with PostgreSQL a fresh database
/// (several instances may share one `Storage`).
#[derive(Clone)]
pub struct Storage {
    pub data: Arc<tempfile::TempDir>,
    pub postgres: Option<Arc<postgres_db::Database>>,
}

impl Storage {
    /// The backend the suite runs on: PostgreSQL when `ADUAN_E2E_BACKEND=postgres` (then
    /// `ADUAN_TEST_POSTGRES_URL` names a server to create databases on), SQLite otherwise.
    pub fn fresh() -> Storage {
        match std::env::var("ADUAN_E2E_BACKEND").as_deref() {
            Ok("postgres") => Storage::postgres(
                postgres_db::Database::create()
                    .expect("ADUAN_E2E_BACKEND=postgres needs ADUAN_TEST_POSTGRES_URL"),
            ),
            Ok("sqlite") | Err(_) => Storage::sqlite(),
            Ok(other) => panic!("ADUAN_E2E_BACKEND={other}: use sqlite or postgres"),
        }
    }

    pub fn sqlite() -> Storage {
        Storage {
            data: Arc::new(tempfile::tempdir().unwrap()),
            postgres: None,
        }
    }

    pub fn postgres(db: postgres_db::Database) -> Storage {
        Storage {
            data: Arc::new(tempfile::tempdir().unwrap()),
            postgres: Some(Arc::new(db)),
        }
    }

    fn args(&self, cmd: &mut Command) {
        cmd.arg("--data").arg(self.data.path());
        if let Some(db) = &self.postgres {
            cmd.arg("--database-url").arg(&db.url);
        }
    }
}

pub mod postgres_db {
    //! Fresh PostgreSQL databases for tests, on the server `ADUAN_TEST_POSTGRES_URL` names
    //! (scripts/test.sh starts a private one on loopback).

    pub struct Database {
        pub url: String,
        admin_url: String,
        name: String,
    }

    impl Database {
        /// None when no PostgreSQL is configured.
        pub fn create() -> Option<Database> {
            let admin_url = std::env::var("ADUAN_TEST_POSTGRES_URL").ok()?;
            let name = format!("aduan_test_{}", uuid_like());
            let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls)
                .unwrap_or_else(|e| panic!("cannot reach ADUAN_TEST_POSTGRES_URL: {e}"));
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create a test database");
            let (base, _) = admin_url.rsplit_once('/').expect("URL ends in /database");
            Some(Database {
                url: format!("{base}/{name}"),
                admin_url,
                name,
            })
        }

        /// PostgreSQL tests run when a server is configured; when `ADUAN_REQUIRE_POSTGRES=1`
        /// (scripts/test.sh) a missing one fails instead of skipping.
        pub fn for_test(test: &str) -> Option<Database> {
            let db = Database::create();
            if db.is_none() {
                assert!(
                    std::env::var("ADUAN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "{test}: ADUAN_TEST_POSTGRES_URL is not set but ADUAN_REQUIRE_POSTGRES=1"
                );
                eprintln!("SKIPPED {test}: set ADUAN_TEST_POSTGRES_URL to run it");
            }
            db
        }
    }

    impl Drop for Database {
        fn drop(&mut self) {
            if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
                let _ = admin.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }

    fn uuid_like() -> String {
        use std::time::{SystemTime, UNIX_EPOCH};
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        format!("{}_{}", std::process::id(), nanos)
    }
}

/// A server process, killed when dropped.
pub struct Server {
    pub url: String,
    pub storage: Storage,
    child: Child,
}

impl Server {
    /// A server on a fresh store of the suite's backend, with the demo accounts.
    pub fn start() -> Server {
        Self::start_in(Storage::fresh())
    }

    /// A server on existing storage (a restart, or a second instance on a shared database),
    /// with the demo accounts if the storage is empty.
    pub fn start_in(storage: Storage) -> Server {
        Self::start_with(storage, &[])
    }

    /// A server started as an operator would, with no demo accounts.
    pub fn plain(storage: Storage) -> Server {
        Self::launch(storage, &[])
    }

    /// A server with the demo accounts (made on empty storage) and more flags for `serve`.
    pub fn start_with(storage: Storage, serve_flags: &[&str]) -> Server {
        Self::launch(storage, &[&["--demo"], serve_flags].concat())
    }

    /// Like [`Server::start_with`], with the server's log (stderr) written to `log`.
    pub fn start_logged(storage: Storage, serve_flags: &[&str], log: &std::path::Path) -> Server {
        let file = std::fs::File::create(log).expect("a log file");
        Self::launch_to(storage, &[&["--demo"], serve_flags].concat(), file.into())
    }

    fn launch(storage: Storage, serve_flags: &[&str]) -> Server {
        Self::launch_to(storage, serve_flags, Stdio::null())
    }

    fn launch_to(storage: Storage, serve_flags: &[&str], stderr: Stdio) -> Server {
        let mut cmd = Command::new(binary("aduan-server"));
        storage.args(&mut cmd);
        let mut child = cmd
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(serve_flags)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("aduan-server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") || url.starts_with("https://127.0.0.1:"),
            "unexpected first line: {line}"
        );
        Server {
            url,
            storage,
            child,
        }
    }

    /// Runs `aduan-server` management commands on this server's storage.
    pub fn manage(&self, args: &[&str]) {
        self.manage_output(args);
    }

    /// Runs a management command as `manage` does; what it printed on stdout.
    pub fn manage_output(&self, args: &[&str]) -> String {
        let mut cmd = Command::new(binary("aduan-server"));
        self.storage.args(&mut cmd);
        let out = cmd.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The server process's peak resident memory so far (Linux's VmHWM), in KiB.
    pub fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmHWM line")
    }

    /// SIGKILL; the storage, to restart on.
    pub fn kill(mut self) -> Storage {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.storage.clone()
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

    /// A citizen who continues without an account.
    pub fn anonymous(server: &Server) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
        store.continue_anonymously(server.url.clone()).unwrap();
        Phone { store, dir }
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

/// Sends hand-made changes to one document with a bearer token, as a tampered client would;
/// the server's answer (a sync response), or the HTTP status when it refused the request.
pub fn upload_raw(
    server: &Server,
    token: &str,
    doc_id: String,
    changes: Vec<Vec<u8>>,
) -> Result<aduan_core::sync::protocol::SyncResponse, u16> {
    use aduan_core::sync::protocol::{self, DocUpload, SyncRequest};
    let req = SyncRequest {
        version: protocol::VERSION,
        cursor: 0,
        uploads: vec![DocUpload { doc_id, changes }],
        resync: vec![],
        max_response_bytes: 1 << 20,
        ack: 0,
        notices_after: 0,
    };
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/sync", server.url))
        .bearer_auth(token)
        .body(protocol::encode(&req).expect("the request encodes"))
        .send()
        .expect("the server answers");
    if !resp.status().is_success() {
        return Err(resp.status().as_u16());
    }
    Ok(protocol::decode_response(&resp.bytes().unwrap()).expect("a valid response"))
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
        channel: None,
    }
}
pub mod faults;

/// A JPEG as a phone camera would hand it over; `seed` makes photos of the same size differ.
pub fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x % 256) as u8 ^ seed,
            (y % 256) as u8,
            ((x * y) % 256) as u8 ^ seed,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("in memory");
    out.into_inner()
}

/// Opens a phone's live event stream (`GET /v1/events`) and forwards its `data:` lines.
pub fn listen_events(server: &Server, phone: &Phone) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let resp = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap()
        .get(format!("{}/v1/events", server.url))
        .bearer_auth(phone.session().access_token)
        .send()
        .unwrap();
    assert!(resp.status().is_success());
    std::thread::spawn(move || {
        for line in BufReader::new(resp).lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data:") {
                if tx.send(data.trim().to_string()).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

/// The server's newest schema version (`aduan_server::storage::SCHEMA_VERSION`), which the
/// upgrade tests expect a database to reach.
pub const SERVER_SCHEMA_VERSION: i64 = 16;

/// What the server's migrations after schema 6 (the last before issue 14) add, undone: a test
/// takes a server database back to schema 6 with this and `PRAGMA user_version = 6`, then
/// checks it migrates forward. Every new migration adds its undoing here, once, for both
/// backends.
macro_rules! undo_migrations_after_6 {
    () => {
        "DROP TABLE reporter_contacts;
     DROP TABLE complaint_figures;
     DROP TABLE public_complaints;
     DROP TABLE photo_uploaders;
     DROP TABLE open311_keys;
     DROP TABLE open311_tokens;
     DROP TABLE open311_uses;
     DROP TABLE bridged_imports;
     DROP TABLE notifications;
     DROP TABLE notification_deliveries;
     DROP TABLE notification_audit;
     DROP TABLE notice_devices;
     DROP TABLE notification_settings;
     DROP TABLE notification_opt_outs;
     ALTER TABLE complaints DROP COLUMN kind;
     ALTER TABLE complaints DROP COLUMN category;
     ALTER TABLE complaints DROP COLUMN unit_id;
     ALTER TABLE complaints DROP COLUMN channel;
     ALTER TABLE complaints DROP COLUMN place;
     ALTER TABLE complaints DROP COLUMN words;
     DROP INDEX complaints_by_due;
     DROP INDEX complaints_by_created;
     ALTER TABLE complaints DROP COLUMN due_at;
     ALTER TABLE complaints DROP COLUMN created_at;
     ALTER TABLE complaints DROP COLUMN queued;
     DROP INDEX complaints_by_area;
     ALTER TABLE complaints DROP COLUMN area;
     ALTER TABLE accounts DROP COLUMN area;"
    };
}

/// The same, for SQLite: with `PRAGMA user_version = 6`.
pub const UNDO_MIGRATIONS_AFTER_6: &str = concat!(
    undo_migrations_after_6!(),
    "\n     PRAGMA user_version = 6;"
);

/// The same statements for PostgreSQL (`tests/scale_out.rs` goes further back, to schema 1,
/// and sets `aduan_schema`'s version itself).
pub const UNDO_MIGRATIONS_AFTER_6_POSTGRES: &str = undo_migrations_after_6!();
