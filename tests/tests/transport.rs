//! Transport and the phone's secrets (issue 13, items 15 and 17): the server serves TLS itself,
//! reaches PostgreSQL over verified TLS, phones refuse plain http:// to anything but themselves,
//! and sign-in tokens live in the platform's secure storage, not in the store's SQLite file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aduan_core::api::ffi::AduanStore;
use aduan_core::store::secrets::{SecretStore, SecretStoreError};
use aduan_e2e::*;

/// A throwaway CA and a server certificate it signed, as PEM files in a folder.
struct Pki {
    dir: tempfile::TempDir,
    ca_pem: String,
}

impl Pki {
    fn new(server_names: &[&str]) -> Pki {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Aduan test CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(
            server_names
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, server_names[0]);
        let cert = params.signed_by(&key, &issuer).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca_cert.pem()).unwrap();
        std::fs::write(dir.path().join("server.pem"), cert.pem()).unwrap();
        std::fs::write(dir.path().join("server.key"), key.serialize_pem()).unwrap();
        Pki {
            ca_pem: ca_cert.pem(),
            dir,
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    fn tls_flags(&self) -> [String; 4] {
        [
            "--tls-cert".into(),
            self.path("server.pem"),
            "--tls-key".into(),
            self.path("server.key"),
        ]
    }
}

fn https_server(pki: &Pki) -> Server {
    let flags = pki.tls_flags();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let server = Server::start_with(Storage::fresh(), &flags);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    server
}

fn new_store() -> (tempfile::TempDir, Arc<AduanStore>) {
    let dir = tempfile::tempdir().unwrap();
    let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    (dir, store)
}

#[test]
fn a_phone_syncs_over_the_servers_own_tls_with_a_private_ca() {
    let pki = Pki::new(&["127.0.0.1", "aduan.test"]);
    let server = https_server(&pki);
    let (dir, store) = new_store();
    store
        .set_trusted_certificates(Some(pki.ca_pem.clone()))
        .unwrap();
    // Anonymous registration reads the client's address (ConnectInfo) on the TLS path too.
    store.continue_anonymously(server.url.clone()).unwrap();
    let phone = Phone { store, dir };
    phone
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap();
    let report = phone.sync_ok();
    assert!(report.accepted >= 1, "{report:?}");
    assert_eq!(phone.sync_status().unwrap().pending_documents, 0);
}

#[test]
fn a_phone_that_does_not_trust_the_certificate_sends_nothing() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = https_server(&pki);
    let (_dir, store) = new_store();
    let err = store
        .continue_anonymously(server.url.clone())
        .expect_err("an unknown CA must not be trusted");
    assert_eq!(err.code(), "sync_failed", "{err}");
    // And a bad PEM is refused when it is set, not at the first sync.
    assert!(store
        .set_trusted_certificates(Some("not a certificate".into()))
        .is_err());
}

#[test]
fn plain_http_to_a_remote_server_is_refused_before_connecting() {
    let (_dir, store) = new_store();
    let url = "http://aduan.example.go.id".to_string();
    // No server, no DNS: the refusal comes from the address alone (a connection attempt would
    // fail as `sync_failed` instead).
    let login = store
        .login(url.clone(), "warga".into(), "kata-sandi-panjang".into())
        .expect_err("plain http to a remote name");
    assert_eq!(login.code(), "insecure_server_address", "{login}");
    assert!(login.to_string().contains("https://"), "{login}");
    let anonymous = store.continue_anonymously(url).expect_err("the same");
    assert_eq!(anonymous.code(), "insecure_server_address");
    // To this device itself plain http stays allowed (a server on the same machine).
    let server = Server::start();
    let (_dir, local) = new_store();
    local.continue_anonymously(server.url.clone()).unwrap();
}

#[test]
fn the_cli_refuses_plain_http_to_a_remote_server() {
    let store = tempfile::tempdir().unwrap();
    let out = Command::new(binary("aduan"))
        .args(["--lang", "en", "--store"])
        .arg(store.path())
        .args(["anonymous", "--server", "http://aduan.example.go.id"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("must start with https://"), "{stderr}");
}

// ---- tokens in the secure storage --------------------------------------------------------------

/// The platform's secure storage as a test sees it: a map shared across reopenings.
#[derive(Clone, Default)]
struct Keychain(Arc<Mutex<HashMap<String, String>>>);

impl SecretStore for Keychain {
    fn get(&self, key: String) -> Result<Option<String>, SecretStoreError> {
        Ok(self.0.lock().unwrap().get(&key).cloned())
    }
    fn put(&self, key: String, value: String) -> Result<(), SecretStoreError> {
        self.0.lock().unwrap().insert(key, value);
        Ok(())
    }
    fn delete(&self, key: String) -> Result<(), SecretStoreError> {
        self.0.lock().unwrap().remove(&key);
        Ok(())
    }
}

fn open_with(dir: &Path, keychain: &Keychain) -> Arc<AduanStore> {
    AduanStore::open_with_secret_store(
        dir.to_string_lossy().into_owned(),
        Box::new(keychain.clone()),
    )
    .unwrap()
}

/// Every byte of the store's SQLite files (the database, its WAL and journal).
fn sqlite_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(aduan_core::store::DB_FILE) {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn tokens_are_not_in_the_store_file_a_backup_or_copy_would_carry() {
    let server = Server::start();
    let (dir, store) = new_store();
    store.continue_anonymously(server.url.clone()).unwrap();
    let session = store.with_store(|s| s.session()).unwrap().unwrap();
    let bytes = sqlite_bytes(dir.path());
    assert!(!bytes.is_empty());
    assert!(!contains(&bytes, &session.access_token));
    assert!(!contains(&bytes, &session.refresh_token));
    assert!(!contains(&bytes, "refresh_token"));
    // The CLI's secure storage: a file only its owner may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("session.secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "mode {mode:o}");
    }
}

#[test]
fn the_session_lives_in_the_platform_secure_storage_and_survives_reopening() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let keychain = Keychain::default();
    let store = open_with(dir.path(), &keychain);
    store.continue_anonymously(server.url.clone()).unwrap();
    let session = store.with_store(|s| s.session()).unwrap().unwrap();
    let kept = keychain.0.lock().unwrap().get("session").cloned().unwrap();
    assert!(kept.contains(&session.refresh_token));
    store
        .create_complaint(draft("Sampah menumpuk", "pu.drainase"))
        .unwrap();
    drop(store);
    assert!(!contains(&sqlite_bytes(dir.path()), &session.refresh_token));
    assert!(!dir.path().join("session.secret").exists());

    let store = open_with(dir.path(), &keychain);
    assert!(store.sync_status().unwrap().signed_in);
    let report = store.sync(None).unwrap();
    assert!(report.accepted >= 1, "{report:?}");
    drop(store);

    // Without its secure storage (a copy of the folder on another phone) the store holds no
    // session at all.
    let store = open_with(dir.path(), &Keychain::default());
    assert!(!store.sync_status().unwrap().signed_in);
}

#[test]
fn a_session_an_older_version_kept_in_the_file_moves_to_the_secure_storage() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let session = {
        let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
        store.continue_anonymously(server.url.clone()).unwrap();
        let session = store.with_store(|s| s.session()).unwrap().unwrap();
        // As an older version kept it: a row in `meta`, no secret file.
        store
            .with_store(|s| {
                s.conn().execute(
                    "INSERT INTO meta (key, value) VALUES ('session', ?1)",
                    [serde_json::to_string(&session).unwrap()],
                )?;
                Ok(())
            })
            .unwrap();
        std::fs::remove_file(dir.path().join("session.secret")).unwrap();
        session
    };
    assert!(contains(&sqlite_bytes(dir.path()), &session.refresh_token));

    let keychain = Keychain::default();
    let store = open_with(dir.path(), &keychain);
    assert!(keychain.0.lock().unwrap().contains_key("session"));
    assert_eq!(
        store.with_store(|s| s.session()).unwrap().as_ref(),
        Some(&session)
    );
    // Gone from the file, its free pages and its WAL, not only from the table.
    let bytes = sqlite_bytes(dir.path());
    assert!(!contains(&bytes, &session.refresh_token));
    assert!(!contains(&bytes, &session.access_token));
    store.sync(None).unwrap();
}

// ---- PostgreSQL over TLS --------------------------------------------------------------------

/// A private PostgreSQL started by scripts/postgres.sh (with TLS when given a certificate).
struct PrivatePostgres {
    dir: tempfile::TempDir,
    url: String,
}

impl PrivatePostgres {
    fn start(test: &str, tls: Option<&Pki>) -> Option<PrivatePostgres> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(&script).arg("start").arg(dir.path().join("pg"));
        if let Some(pki) = tls {
            cmd.arg(pki.path("server.pem")).arg(pki.path("server.key"));
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() && stderr.contains("not installed") {
            assert!(
                std::env::var("ADUAN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "{test}: PostgreSQL is not installed but ADUAN_REQUIRE_POSTGRES=1"
            );
            eprintln!("SKIPPED {test}: PostgreSQL is not installed");
            return None;
        }
        assert!(out.status.success(), "postgres.sh: {stderr}");
        let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
        Some(PrivatePostgres { dir, url })
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
        let _ = Command::new("bash")
            .arg(script)
            .arg("stop")
            .arg(self.dir.path().join("pg"))
            .output();
    }
}

/// Runs `aduan-server serve` on `database_url` expecting it to refuse to start; its stderr.
fn server_refuses_to_start(database_url: &str) -> String {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(binary("aduan-server"))
        .arg("--data")
        .arg(data.path())
        .args([
            "--database-url",
            database_url,
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success());
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return stderr;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the server started on {database_url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_server_reaches_postgres_over_verified_tls() {
    let pki = Pki::new(&["127.0.0.1"]);
    let Some(pg) =
        PrivatePostgres::start("the_server_reaches_postgres_over_verified_tls", Some(&pki))
    else {
        return;
    };
    let url = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        pg.url,
        pki.path("ca.pem")
    );
    let server = Server::start_with(Storage::sqlite(), &["--database-url", &url]);
    let phone = Phone::anonymous(&server);
    phone
        .create_complaint(draft("Air bersih mati", "pu.drainase"))
        .unwrap();
    assert!(phone.sync_ok().accepted >= 1);
    // Every connection the server holds is encrypted.
    let mut admin = postgres::Client::connect(&pg.url, postgres::NoTls).unwrap();
    let (tls, plain): (i64, i64) = {
        let row = admin
            .query_one(
                "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl)
                 FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                 WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert!(tls >= 1, "no TLS connection from the server");
    assert_eq!(plain, 0, "a plain connection from the server");

    // verify-full checks the name (the certificate is for 127.0.0.1, not localhost) and the
    // chain (another CA).
    let stderr = server_refuses_to_start(&format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        pg.url.replace("127.0.0.1", "localhost"),
        pki.path("ca.pem")
    ));
    assert!(
        stderr.contains("cannot open the PostgreSQL database"),
        "{stderr}"
    );
    let other = Pki::new(&["127.0.0.1"]);
    let stderr = server_refuses_to_start(&format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        pg.url,
        other.path("ca.pem")
    ));
    assert!(
        stderr.contains("cannot open the PostgreSQL database"),
        "{stderr}"
    );
}

#[test]
fn sslmode_require_refuses_a_postgres_without_tls() {
    let Some(pg) = PrivatePostgres::start("sslmode_require_refuses_a_postgres_without_tls", None)
    else {
        return;
    };
    let stderr = server_refuses_to_start(&format!("{}?sslmode=require", pg.url));
    assert!(
        stderr.contains("cannot open the PostgreSQL database"),
        "{stderr}"
    );
    assert!(!stderr.contains(&pg.url), "the URL is not echoed: {stderr}");
}
