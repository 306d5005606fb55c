//! Reports by SMS (issue 17, items 1 to 3), end to end: a real `gammu-smsd` with Gammu's dummy
//! phone driver (the "phone" is a folder: an incoming SMS is a file put in its inbox folder;
//! what the daemon sends it moves from its outbox table to `sentitems`) and its SQL service on
//! the server's backend (SQLite, or PostgreSQL when the suite runs on it:
//! `ADUAN_E2E_BACKEND=postgres`), and the real `aduan-server` reading that database with its SMS
//! desk on.
//!
//! The tests need `gammu-smsd` (Debian's package, `.ci/run` installs it) and skip without it,
//! unless `ADUAN_REQUIRE_GAMMU=1` (scripts/test.sh) makes a missing one a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aduan_core::api::records::*;
use aduan_core::types::Status;
use aduan_e2e::*;

const DEADLINE: Duration = Duration::from_secs(60);
const DESK: &str = "sms-1708";
const DESK_PASSWORD: &str = "sms-desk-password-1708";

/// Gammu's database on PostgreSQL when the suite runs there.
fn on_postgres() -> bool {
    std::env::var("ADUAN_E2E_BACKEND").as_deref() == Ok("postgres")
}

/// Gammu's table definitions as the package ships them, for the backend in use.
fn gammu_schema() -> Option<String> {
    let file = if on_postgres() {
        "pgsql.sql"
    } else {
        "sqlite.sql"
    };
    for dir in [
        "/usr/share/doc/gammu-smsd/examples",
        "/usr/share/doc/gammu/examples/sql",
    ] {
        let path = format!("{dir}/{file}");
        if let Ok(sql) = std::fs::read_to_string(path) {
            return Some(sql);
        }
    }
    None
}

fn gammu_smsd() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("gammu-smsd"))
        .find(|p| p.exists())
}

/// A running `gammu-smsd` on a dummy phone, killed when dropped.
struct Gateway {
    dir: tempfile::TempDir,
    /// Gammu's tables on PostgreSQL, or in `gammu.db` in `dir`.
    postgres: Option<postgres_db::Database>,
    child: Child,
    next_location: std::cell::Cell<u32>,
}

/// Gammu's tables, with its SQL as each backend spells it (PostgreSQL's names are quoted).
enum GammuDb {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl GammuDb {
    fn texts(&mut self, sqlite: &str, pg: &str, number: &str) -> Vec<String> {
        match self {
            GammuDb::Sqlite(c) => {
                let mut stmt = c.prepare(sqlite).unwrap();
                stmt.query_map([number], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            }
            GammuDb::Postgres(c) => c
                .query(pg, &[&number])
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect(),
        }
    }

    fn execute(&mut self, sqlite: &str, pg: &str) {
        match self {
            GammuDb::Sqlite(c) => {
                c.execute(sqlite, []).unwrap();
            }
            GammuDb::Postgres(c) => {
                c.execute(pg, &[]).unwrap();
            }
        }
    }

    fn count(&mut self, sqlite: &str, pg: &str) -> i64 {
        match self {
            GammuDb::Sqlite(c) => c.query_row(sqlite, [], |r| r.get(0)).unwrap(),
            GammuDb::Postgres(c) => c.query_one(pg, &[]).unwrap().get(0),
        }
    }
}

impl Gateway {
    /// None (the test skips) without gammu-smsd, unless ADUAN_REQUIRE_GAMMU=1.
    fn start(test: &str) -> Option<Gateway> {
        let (Some(smsd), Some(schema)) = (gammu_smsd(), gammu_schema()) else {
            assert!(
                std::env::var("ADUAN_REQUIRE_GAMMU").as_deref() != Ok("1"),
                "{test}: gammu-smsd (and its sqlite.sql) is missing but ADUAN_REQUIRE_GAMMU=1"
            );
            eprintln!("SKIPPED {test}: install gammu-smsd to run it");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let postgres = if on_postgres() {
            let db = postgres_db::Database::create()
                .expect("ADUAN_E2E_BACKEND=postgres needs ADUAN_TEST_POSTGRES_URL");
            let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
            // The package's file predates PostgreSQL having plpgsql built in (psql only warns).
            c.batch_execute(&schema.replace(
                "CREATE LANGUAGE plpgsql;",
                "CREATE OR REPLACE LANGUAGE plpgsql;",
            ))
            .unwrap();
            Some(db)
        } else {
            let db = rusqlite::Connection::open(dir.path().join("gammu.db")).unwrap();
            db.execute_batch(&schema).unwrap();
            None
        };
        // Gammu's SQL service: SQLite in the folder, or the PostgreSQL database by its parts.
        let driver = match &postgres {
            None => format!(
                "Driver = sqlite3\nDBDir = {}\nDatabase = gammu.db\n",
                dir.path().display()
            ),
            Some(db) => {
                let rest = db.url.strip_prefix("postgres://").unwrap();
                let (user, rest) = rest.split_once('@').unwrap();
                let (host, name) = rest.split_once('/').unwrap();
                format!("Driver = native_pgsql\nHost = {host}\nUser = {user}\nPassword =\nDatabase = {name}\n")
            }
        };
        std::fs::create_dir_all(dir.path().join("phone")).unwrap();
        std::fs::create_dir_all(dir.path().join("staging")).unwrap();
        let rc = dir.path().join("smsdrc");
        std::fs::write(
            &rc,
            format!(
                "[gammu]\ndevice = {phone}\nmodel = dummy\nconnection = none\n\n\
                 [smsd]\nService = sql\n{driver}\
                 LogFile = {dir}/smsd.log\nDebugLevel = 0\nCommTimeout = 1\nSendTimeout = 5\n\
                 ReceiveFrequency = 1\nStatusFrequency = 0\nLoopSleep = 1\nPhoneID = dummy\n\
                 CheckSecurity = 0\nCheckBattery = 0\nCheckSignal = 0\n",
                phone = dir.path().join("phone").display(),
                dir = dir.path().display(),
            ),
        )
        .unwrap();
        let child = Command::new(smsd)
            .arg("-c")
            .arg(&rc)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gammu-smsd starts");
        Some(Gateway {
            dir,
            postgres,
            child,
            next_location: std::cell::Cell::new(1),
        })
    }

    /// What the server is given as `--sms-gammu-db`: the SQLite file or the PostgreSQL URL.
    fn db_target(&self) -> String {
        match &self.postgres {
            Some(db) => db.url.clone(),
            None => self.dir.path().join("gammu.db").display().to_string(),
        }
    }

    fn db(&self) -> GammuDb {
        match &self.postgres {
            Some(db) => {
                GammuDb::Postgres(postgres::Client::connect(&db.url, postgres::NoTls).unwrap())
            }
            None => {
                let c = rusqlite::Connection::open(self.dir.path().join("gammu.db")).unwrap();
                c.busy_timeout(Duration::from_secs(10)).unwrap();
                GammuDb::Sqlite(c)
            }
        }
    }

    /// Puts one part in the dummy phone's inbox folder, in Gammu's SMS backup format, whole
    /// at once (written aside, then renamed in).
    fn put(&self, sender: &str, udh: Option<&str>, coding: &str, text_hex: &str) {
        let location = self.next_location.get();
        self.next_location.set(location + 1);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let (days, secs) = (now / 86400, now % 86400);
        let (y, m, d) = civil(days as i64);
        let stamp = format!(
            "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        let mut body = format!(
            "[SMSBackup000]\nPDU = Deliver\nDateTime = {stamp}\nState = UnRead\nNumber = \"{sender}\"\n"
        );
        if let Some(udh) = udh {
            body += &format!("UDH = {udh}\n");
        }
        body += &format!(
            "Text00 = {text_hex}\nCoding = {coding}\nFolder = 1\nLength = {}\nClass = -1\n",
            text_hex.len() / 4
        );
        let staged = self.dir.path().join("staging").join(location.to_string());
        std::fs::write(&staged, body).unwrap();
        std::fs::rename(
            &staged,
            self.dir
                .path()
                .join("phone/sms/1")
                .join(location.to_string()),
        )
        .unwrap();
    }

    fn receive(&self, sender: &str, text: &str) {
        self.put(sender, None, "Default_No_Compression", &ucs2(text));
    }

    /// A long message in parts with one reference, put in the order given.
    fn receive_parts(&self, sender: &str, reference: u8, parts: &[(u8, &str)]) {
        let total = parts.len() as u8;
        for (seq, text) in parts {
            let udh = format!("050003{reference:02X}{total:02X}{seq:02X}");
            self.put(sender, Some(&udh), "Default_No_Compression", &ucs2(text));
        }
    }

    fn receive_binary(&self, sender: &str, bytes_hex: &str) {
        self.put(sender, None, "8bit", bytes_hex);
    }

    /// Texts the daemon has sent to `number`, in order.
    fn sent_to(&self, number: &str) -> Vec<String> {
        self.db().texts(
            "SELECT TextDecoded FROM sentitems WHERE DestinationNumber = ?1
             AND Status LIKE 'SendingOK%' ORDER BY ID",
            r#"SELECT "TextDecoded" FROM sentitems WHERE "DestinationNumber" = $1
               AND "Status"::TEXT LIKE 'SendingOK%' ORDER BY "ID""#,
            number,
        )
    }

    /// Waits until `number` has been sent at least `count` messages; returns them all.
    fn wait_sent(&self, number: &str, count: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let sent = self.sent_to(number);
            if sent.len() >= count {
                return sent;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "{count} messages expected, {} sent: {sent:?}\nsmsd log: {}",
                sent.len(),
                std::fs::read_to_string(self.dir.path().join("smsd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the sent messages to `number` include one that `matches`.
    fn wait_sent_matching(&self, number: &str, matches: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let sent = self.sent_to(number);
            if let Some(found) = sent.iter().find(|t| matches(t)) {
                return found.clone();
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no matching message; sent: {sent:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn unprocessed(&self) -> i64 {
        self.db().count(
            "SELECT COUNT(*) FROM inbox WHERE Processed = 'false'",
            r#"SELECT COUNT(*) FROM inbox WHERE NOT "Processed""#,
        )
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ucs2(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// Days since 1970-01-01 as a civil date (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A server with the demo accounts, the desk's account, and the SMS desk reading `gateway`.
/// The account is made before the desk starts (a desk signing in to an account that does not
/// exist yet would only meet the sign-in limits).
fn server_with_desk(gateway: &Gateway, quiet_hours: &str) -> Server {
    let first = Server::start_in(Storage::fresh());
    first.manage(&[
        "account-add",
        "--id",
        DESK,
        "--name",
        "Layanan SMS 1708",
        "--role",
        "national-admin",
        "--password",
        DESK_PASSWORD,
    ]);
    server_on(first.kill(), gateway, quiet_hours)
}

fn server_on(storage: Storage, gateway: &Gateway, quiet_hours: &str) -> Server {
    let log = storage.data.path().join("server.log");
    let db = gateway.db_target();
    Server::start_logged(
        storage,
        &[
            "--sms-gammu-db",
            &db,
            "--sms-account",
            DESK,
            "--sms-password",
            DESK_PASSWORD,
            "--sms-poll-ms",
            "150",
            "--sms-sync-ms",
            "300",
            "--sms-quiet-hours",
            quiet_hours,
        ],
        &log,
    )
}

/// The server's log so far.
fn server_log(storage: &Storage) -> String {
    std::fs::read_to_string(storage.data.path().join("server.log")).unwrap_or_default()
}

/// The tracking id in a text.
fn tracking_in(text: &str) -> String {
    let at = text
        .find("ADU-")
        .unwrap_or_else(|| panic!("no tracking id in {text:?}"));
    text[at..at + 15].to_string()
}

/// Waits until `phone` holds the complaint with this tracking id.
fn complaint(phone: &Phone, tracking: &str) -> ComplaintSummary {
    let start = Instant::now();
    loop {
        phone.sync_ok();
        if let Some(c) = phone.all().into_iter().find(|c| c.tracking_id == tracking) {
            return c;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{tracking} never reached the server"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The SMS desk's own records (its store's file, which the running desk holds exclusively:
/// read once the server has stopped).
fn desk_db(storage: &Storage) -> rusqlite::Connection {
    let path: &Path = storage.data.path();
    // Read-write: after a kill its write-ahead log is recovered on opening.
    rusqlite::Connection::open(path.join("sms-desk").join("aduan.db")).unwrap()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "never: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn act(phone: &Phone, id: &str, action: WorkflowAction, note: &str) {
    phone.sync_ok();
    phone
        .perform(id.into(), action, note.into(), vec![])
        .unwrap();
    phone.sync_ok();
}

/// The complaint goes the whole way to a follow-up by Makassar's public works.
fn follow_up(server: &Server, id: &str, note: &str) {
    let nasional = Phone::login(server, "admin-nasional");
    act(
        &nasional,
        id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "ke Pemkot Makassar",
    );
    let admin = Phone::login(server, "admin-makassar");
    act(
        &admin,
        id,
        WorkflowAction::Assign {
            unit_id: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        "",
    );
    let officer = Phone::login(server, "petugas");
    act(&officer, id, WorkflowAction::FollowUp, note);
}

#[test]
fn an_sms_report_becomes_a_complaint_and_its_sender_gets_the_tracking_id() {
    let Some(gw) = Gateway::start("an_sms_report_becomes_a_complaint") else {
        return;
    };
    let server = server_with_desk(&gw, "none");
    let siti = "+6281234567001";
    // A long report, its two parts arriving the wrong way round.
    gw.receive_parts(
        siti,
        0x2A,
        &[
            (
                2,
                " di depan pasar, sudah tiga hari dan baunya sampai ke rumah warga",
            ),
            (1, "lapr  SAMPAH menumpuk di Kel. Panaikang"),
        ],
    );
    let sent = gw.wait_sent(siti, 1);
    assert!(sent[0].starts_with("Laporan Anda diterima"), "{sent:?}");
    let tracking = tracking_in(&sent[0]);

    let nasional = Phone::login(&server, "admin-nasional");
    let c = complaint(&nasional, &tracking);
    assert_eq!(c.channel, "sms");
    assert_eq!(c.category_id, "lingkungan.sampah");
    assert_eq!(c.status, Status::Submitted);
    let detail = nasional.get(c.id.clone()).unwrap();
    assert_eq!(
        detail.description,
        "SAMPAH menumpuk di Kel. Panaikang di depan pasar, sudah tiga hari dan baunya sampai ke rumah warga"
    );
    // The sender's number is the reporter's contact, which the national desk handling it may
    // see; it is in no document anyone syncs.
    let contact = nasional.reporter_contact(c.id.clone()).unwrap().unwrap();
    assert_eq!(contact.phone, siti);
    let exported = nasional.export_json(c.id.clone()).unwrap();
    assert!(!exported.contains("81234567001"), "{exported}");
    assert_eq!(gw.unprocessed(), 0);
    // Nor in the desk's own records: a keyed hash stands for it, and the reply's copy of it
    // went with the reply to the gateway.
    let storage = server.kill();
    // The log tells what the desk did, by complaint and by a hash of the number.
    let log = server_log(&storage);
    assert!(log.contains("SMS handled") && log.contains(&c.id), "{log}");
    assert!(!log.contains("81234567001"), "{log}");
    let db = desk_db(&storage);
    let (hashed, kept): (i64, i64) = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM sms_inbound WHERE number_hash LIKE '%81234567001%'),
                    (SELECT COUNT(*) FROM sms_outgoing WHERE number IS NOT NULL)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((hashed, kept), (0, 0));
}

#[test]
fn an_officers_follow_up_reaches_the_sender_by_sms_and_the_sender_replies_and_rates() {
    let Some(gw) = Gateway::start("an_officers_follow_up_reaches_the_sender") else {
        return;
    };
    let server = server_with_desk(&gw, "none");
    let budi = "+6281234567002";
    gw.receive(
        budi,
        "LAPOR selokan tersumbat di depan SD Inpres, air meluap ke jalan",
    );
    let tracking = tracking_in(&gw.wait_sent(budi, 1)[0]);
    let nasional = Phone::login(&server, "admin-nasional");
    let id = complaint(&nasional, &tracking).id;

    follow_up(
        &server,
        &id,
        "Selokan sudah dibersihkan petugas DPU pagi ini",
    );
    let news = gw.wait_sent_matching(budi, |t| t.contains("Sudah ditindaklanjuti"));
    assert!(news.contains(&tracking), "{news}");
    assert!(news.contains("Selokan sudah dibersihkan"), "{news}");
    assert!(news.contains(&format!("BALAS {tracking}")), "{news}");
    // Never more than the day's share for one complaint.
    let about_it = gw
        .sent_to(budi)
        .iter()
        .filter(|t| t.starts_with(&format!("Aduan {tracking}")))
        .count();
    assert!(about_it <= 3, "{:?}", gw.sent_to(budi));

    // The reporter rates it by SMS, once, and answers it. (Status news may come between the
    // answers: each is waited for by what it says.)
    let rated = format!("Terima kasih. Nilai 4 untuk {tracking} tercatat.");
    gw.receive(budi, &format!("nilai 4 {tracking}"));
    gw.wait_sent_matching(budi, |t| t == rated);
    gw.receive(budi, &format!("NILAI {tracking} 5"));
    gw.wait_sent_matching(budi, |t| t.contains("belum dapat diproses"));
    gw.receive(
        budi,
        &format!("balas {} masih ada sisa lumpur", tracking.to_lowercase()),
    );
    gw.wait_sent_matching(budi, |t| t.starts_with("Tanggapan Anda"));
    // Their own step is no news to them.
    assert!(
        !gw.sent_to(budi).iter().any(|t| t.contains(": Selesai.")),
        "{:?}",
        gw.sent_to(budi)
    );
    let officer = Phone::login(&server, "petugas");
    wait_until("the reply and the rating reach the officer", || {
        officer.sync_ok();
        let detail = officer.get(id.clone()).unwrap();
        detail.rating.is_some_and(|r| r.stars == 4)
            && detail
                .timeline
                .iter()
                .any(|e| e.by_reporter && e.note == "masih ada sisa lumpur")
    });
}

#[test]
fn status_by_sms_answers_only_about_the_senders_own_complaints() {
    let Some(gw) = Gateway::start("status_by_sms") else {
        return;
    };
    let _server = server_with_desk(&gw, "none");
    let ani = "+6281234567003";
    gw.receive(
        ani,
        "LAPOR lampu penerangan jalan mati sepanjang jalan Urip Sumoharjo",
    );
    let tracking = tracking_in(&gw.wait_sent(ani, 1)[0]);
    gw.receive(
        ani,
        &format!("Cek {}", tracking.replace('-', " ").to_lowercase()),
    );
    let sent = gw.wait_sent(ani, 2);
    assert_eq!(
        sent[1],
        format!("Aduan {tracking}: Menunggu verifikasi."),
        "{sent:?}"
    );
    // Someone else's number learns nothing about it.
    let other = "+6281234567999";
    gw.receive(other, &format!("CEK {tracking}"));
    let sent = gw.wait_sent(other, 1);
    assert!(sent[0].contains("tidak ditemukan"), "{sent:?}");
}

#[test]
fn stop_means_no_more_messages_to_that_number() {
    let Some(gw) = Gateway::start("stop_means_no_more_messages") else {
        return;
    };
    let server = server_with_desk(&gw, "none");
    let dewi = "+6281234567004";
    gw.receive(
        dewi,
        "LAPOR jembatan kayu di kampung nelayan patah sebagian",
    );
    let tracking = tracking_in(&gw.wait_sent(dewi, 1)[0]);
    gw.receive(dewi, "berhenti");
    let sent = gw.wait_sent(dewi, 2);
    assert!(sent[1].contains("tidak akan menerima SMS lagi"), "{sent:?}");

    // Another sender's complaint is dispatched after Dewi's: once its news has gone, the desk
    // has seen Dewi's dispatch too (it syncs in order) and decided about it.
    let eko = "+6281234567010";
    gw.receive(eko, "LAPOR jembatan gantung di dusun sebelah juga rusak");
    let eko_tracking = tracking_in(&gw.wait_sent(eko, 1)[0]);
    let nasional = Phone::login(&server, "admin-nasional");
    for t in [&tracking, &eko_tracking] {
        let id = complaint(&nasional, t).id;
        act(
            &nasional,
            &id,
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "",
        );
    }
    gw.wait_sent_matching(eko, |t| t.contains("Didisposisikan"));
    assert_eq!(gw.sent_to(dewi).len(), 2, "{:?}", gw.sent_to(dewi));
    // Garbage from a stopped number gets no answer either; asking again lifts the stop.
    gw.receive(dewi, "halo?");
    gw.receive(dewi, &format!("CEK {tracking}"));
    let sent = gw.wait_sent(dewi, 3);
    assert!(sent[2].contains("Didisposisikan"), "{sent:?}");
    assert_eq!(sent.len(), 3);
}

#[test]
fn a_flood_from_one_number_is_limited_with_a_clear_reply() {
    let Some(gw) = Gateway::start("a_flood_from_one_number_is_limited") else {
        return;
    };
    let server = server_with_desk(&gw, "none");
    let flood = "+6281234567005";
    for i in 0..7 {
        gw.receive(
            flood,
            &format!("LAPOR laporan berulang nomor {i} tentang jalan rusak"),
        );
    }
    let sent = gw.wait_sent(flood, 7);
    let filed = sent
        .iter()
        .filter(|t| t.starts_with("Laporan Anda diterima"))
        .count();
    let limited = sent
        .iter()
        .filter(|t| t.starts_with("Batas 5 laporan"))
        .count();
    assert_eq!((filed, limited), (5, 2), "{sent:?}");
    // Another number is not held back by it.
    let other = "+6281234567006";
    gw.receive(other, "LAPOR jalan rusak di depan kantor lurah");
    assert!(gw.wait_sent(other, 1)[0].starts_with("Laporan Anda diterima"));
    let nasional = Phone::login(&server, "admin-nasional");
    wait_until("six SMS complaints at the national desk", || {
        nasional.sync_ok();
        nasional.all().iter().filter(|c| c.channel == "sms").count() == 6
    });
}

#[test]
fn a_malformed_or_binary_sms_gets_a_helpful_reply_and_nothing_breaks() {
    let Some(gw) = Gateway::start("a_malformed_or_binary_sms") else {
        return;
    };
    let server = server_with_desk(&gw, "none");
    let rudi = "+6281234567007";
    gw.receive_binary(rudi, "DEADBEEF00FF0A");
    let sent = gw.wait_sent(rudi, 1);
    assert!(sent[0].starts_with("Pesan tidak dapat dibaca"), "{sent:?}");
    gw.receive(rudi, "halo pak, mau tanya");
    let sent = gw.wait_sent(rudi, 2);
    assert!(sent[1].starts_with("Layanan aduan SMS: LAPOR"), "{sent:?}");
    gw.receive(rudi, "LAPOR");
    let sent = gw.wait_sent(rudi, 3);
    assert!(
        sent[2].starts_with("Isi laporan terlalu singkat"),
        "{sent:?}"
    );
    gw.receive(rudi, "NILAI ADU-7K3MQ-9XD2F 9");
    let sent = gw.wait_sent(rudi, 4);
    assert!(sent[3].starts_with("Nilai 1 sampai 5"), "{sent:?}");
    // The desk is still at work: a good report after all that is filed.
    gw.receive(rudi, "lapor: pohon tumbang menutup jalan di Kel. Panaikang");
    let sent = gw.wait_sent(rudi, 5);
    assert!(sent[4].starts_with("Laporan Anda diterima"), "{sent:?}");
    let nasional = Phone::login(&server, "admin-nasional");
    complaint(&nasional, &tracking_in(&sent[4]));
    assert_eq!(gw.unprocessed(), 0);
    assert!(!server_log(&server.storage).contains("81234567007"));
}

#[test]
fn a_message_handled_before_a_crash_is_not_filed_again_after_the_restart() {
    let Some(gw) = Gateway::start("a_message_handled_before_a_crash") else {
        return;
    };
    let server = server_with_desk(&gw, "none");
    let eka = "+6281234567008";
    gw.receive(eka, "LAPOR air PDAM tidak mengalir sejak kemarin pagi");
    let tracking = tracking_in(&gw.wait_sent(eka, 1)[0]);
    // The crash came after the desk recorded the message but before the gateway's row was
    // marked: the row is unprocessed again when the server comes back.
    let storage = server.kill();
    gw.db().execute(
        "UPDATE inbox SET Processed = 'false'",
        r#"UPDATE inbox SET "Processed" = FALSE"#,
    );
    let server = server_on(storage, &gw, "none");
    wait_until("the row is marked again", || gw.unprocessed() == 0);
    let nasional = Phone::login(&server, "admin-nasional");
    complaint(&nasional, &tracking);
    assert_eq!(
        nasional.all().iter().filter(|c| c.channel == "sms").count(),
        1
    );
    // Handled once, answered once: the desk's record of it, made with the filing, was found.
    let storage = server.kill();
    let db = desk_db(&storage);
    let (handled, outgoing): (i64, i64) = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM sms_inbound), (SELECT COUNT(*) FROM sms_outgoing)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((handled, outgoing), (1, 1));
    assert_eq!(gw.sent_to(eka).len(), 1);
}

/// Every text to `number` in the gateway's outbox or sent items.
fn all_to(gw: &Gateway, number: &str) -> Vec<String> {
    gw.db().texts(
        "SELECT TextDecoded FROM outbox WHERE DestinationNumber = ?1
         UNION ALL SELECT TextDecoded FROM sentitems WHERE DestinationNumber = ?1",
        r#"SELECT "TextDecoded" FROM outbox WHERE "DestinationNumber" = $1
           UNION ALL SELECT "TextDecoded" FROM sentitems WHERE "DestinationNumber" = $1"#,
        number,
    )
}

#[test]
fn status_news_waits_out_the_quiet_hours_and_goes_in_the_morning() {
    let Some(gw) = Gateway::start("status_news_waits_out_the_quiet_hours") else {
        return;
    };
    // Quiet hours around now, in WIB and WITA alike (the complaint's zone before and after
    // Makassar holds it), however the clock stands when the test runs.
    let hour = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 3600
        % 24;
    let quiet = format!("{}-{}", (hour + 7) % 24, (hour + 10) % 24);
    let server = server_with_desk(&gw, &quiet);
    let wati = "+6281234567011";
    gw.receive(wati, "LAPOR got mampet di lorong dekat masjid raya");
    // Answers to what someone just sent go at once, quiet hours or not.
    let tracking = tracking_in(&gw.wait_sent(wati, 1)[0]);
    let nasional = Phone::login(&server, "admin-nasional");
    let id = complaint(&nasional, &tracking).id;
    act(
        &nasional,
        &id,
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "",
    );
    // Once the desk answers CEK with the new status it has seen the change, and once it has
    // answered the next message its round (news included) is done: no news went.
    gw.receive(wati, &format!("CEK {tracking}"));
    gw.wait_sent_matching(wati, |t| t.contains("Didisposisikan"));
    gw.receive(wati, "BANTUAN");
    gw.wait_sent_matching(wati, |t| t.starts_with("Layanan aduan SMS"));
    let about = |texts: Vec<String>| {
        texts
            .iter()
            .filter(|t| t.contains("Didisposisikan"))
            .count()
    };
    assert_eq!(about(all_to(&gw, wati)), 1, "{:?}", all_to(&gw, wati));
    // Morning comes (here: the quiet hours end): the news that waited goes.
    let storage = server.kill();
    let _server = server_on(storage, &gw, "none");
    wait_until("the held news goes", || about(gw.sent_to(wati)) == 2);
}
