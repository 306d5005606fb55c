//! The CLI as a person uses it: a report filed, handled and rated across store folders, and
//! mistakes answered with a sentence and a failing exit code, never a panic.

use std::path::Path;
use std::process::{Command, Output};

fn aduan(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aduan"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("aduan runs")
}

fn ok(store: &Path, args: &[&str]) -> String {
    let out = aduan(store, args);
    assert!(
        out.status.success(),
        "aduan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(store: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(store, &all)).unwrap()
}

#[test]
fn help_explains_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_aduan"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in [
        "login", "file", "list", "show", "act", "reply", "rate", "figures", "calendar",
    ] {
        assert!(text.contains(cmd), "{cmd} missing from --help");
    }
}

#[test]
fn a_report_is_filed_dispatched_and_shown_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let siti = dir.path().join("siti");
    let admin = dir.path().join("admin");
    ok(
        &siti,
        &[
            "login",
            "--account",
            "siti",
            "--name",
            "Siti",
            "--role",
            "citizen",
        ],
    );
    let filed = json(
        &siti,
        &[
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "Selokan tersumbat",
            "--description",
            "Air meluap",
            "--lat",
            "-5.18",
            "--lon",
            "119.42",
            "--kelurahan",
            "Mangasa",
        ],
    );
    let tracking = filed["summary"]["tracking_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(filed["summary"]["status"], "submitted");
    ok(
        &admin,
        &[
            "login",
            "--account",
            "adm",
            "--name",
            "Admin",
            "--role",
            "national-admin",
        ],
    );
    ok(&admin, &["exchange", siti.to_str().unwrap()]);
    let shown = ok(
        &admin,
        &[
            "--lang",
            "en",
            "act",
            &tracking,
            "dispatch",
            "--institution",
            "kota-makassar",
        ],
    );
    assert!(shown.contains("Dispatched to institution"), "{shown}");
    ok(&siti, &["exchange", admin.to_str().unwrap()]);
    let shown = ok(&siti, &["show", &tracking]);
    assert!(shown.contains("Didisposisikan ke instansi"), "{shown}");
    let listed = json(&siti, &["list", "--mine"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let found = json(&siti, &["search", "selokan"]);
    assert_eq!(found[0]["tracking_id"], tracking.as_str());
}

#[test]
fn mistakes_get_a_sentence_and_a_failing_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = aduan(
        &store,
        &[
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "x",
            "--description",
            "y",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("masuk"),
        "asks to sign in first"
    );
    ok(
        &store,
        &[
            "login",
            "--account",
            "a",
            "--name",
            "A",
            "--role",
            "citizen",
        ],
    );
    let out = aduan(
        &store,
        &[
            "--lang",
            "en",
            "file",
            "--category",
            "no.such",
            "--title",
            "x",
            "--description",
            "y",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("category"));
    let out = aduan(
        &store,
        &[
            "--lang",
            "en",
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "x",
            "--description",
            "y",
            "--photo",
            "/nonexistent.jpg",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        json(&store, &["list"]).as_array().unwrap().is_empty(),
        "nothing filed after a bad photo path"
    );
    let not_image = dir.path().join("note.jpg");
    std::fs::write(&not_image, b"this is not a picture").unwrap();
    let out = aduan(
        &store,
        &[
            "--lang",
            "en",
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "x",
            "--description",
            "y",
            "--photo",
            not_image.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a photo"));
    assert!(
        json(&store, &["list"]).as_array().unwrap().is_empty(),
        "nothing filed with a rejected photo"
    );
    let out = aduan(&store, &["show", "ADU-00000-00000"]);
    assert_eq!(out.status.code(), Some(1));
    let out = aduan(&store, &["act", "x", "dispatch"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn calendar_counts_working_days() {
    let dir = tempfile::tempdir().unwrap();
    let due = ok(dir.path(), &["calendar", "due", "2025-03-27", "3"]);
    assert_eq!(due.trim(), "2025-04-10");
    let extra = dir.path().join("extra.csv");
    std::fs::write(
        &extra,
        "date,kind,name_id,name_en\n2025-04-08,holiday,Libur daerah,Regional holiday\n",
    )
    .unwrap();
    let due = ok(
        dir.path(),
        &[
            "calendar",
            "due",
            "2025-03-27",
            "3",
            "--holidays",
            extra.to_str().unwrap(),
        ],
    );
    assert_eq!(due.trim(), "2025-04-11");
    let out = aduan(dir.path(), &["calendar", "due", "27-03-2025", "3"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_cli_shows_a_makassar_complaint_in_wita() {
    let dir = tempfile::tempdir().unwrap();
    let siti = dir.path().join("siti");
    ok(
        &siti,
        &[
            "login",
            "--account",
            "siti",
            "--name",
            "Siti",
            "--role",
            "citizen",
        ],
    );
    let filed = json(
        &siti,
        &[
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "Selokan tersumbat",
            "--description",
            "Air meluap",
            "--kelurahan",
            "Mangasa",
        ],
    );
    assert_eq!(filed["summary"]["zone"], "WITA");
    assert_eq!(filed["summary"]["utc_offset_minutes"], 480);
    let created = filed["summary"]["created_at"].as_i64().unwrap();
    let at = |hours: i8| {
        let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
        time::OffsetDateTime::from_unix_timestamp(created / 1000)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(hours, 0, 0).unwrap())
            .format(format)
            .unwrap()
    };
    let tracking = filed["summary"]["tracking_id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = ok(&siti, &["show", &tracking]);
    assert!(shown.contains(&format!("{} WITA", at(8))), "{shown}");
    assert!(!shown.contains(&at(7)), "not in Jakarta's time: {shown}");
    // The national verification's deadline is Jakarta's midnight, shown in Makassar's time.
    assert!(shown.contains("00:59 WITA"), "{shown}");
}

#[test]
fn a_call_centre_operator_files_for_a_caller_and_reads_back_the_tracking_id() {
    let dir = tempfile::tempdir().unwrap();
    let operator = dir.path().join("operator");
    ok(
        &operator,
        &[
            "login",
            "--account",
            "operator-112",
            "--name",
            "Operator 112",
            "--role",
            "officer",
            "--institution",
            "kota-makassar",
        ],
    );
    let text = ok(
        &operator,
        &[
            "--lang",
            "en",
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "Selokan tersumbat",
            "--description",
            "Penelepon melaporkan air meluap",
            "--kelurahan",
            "Mangasa",
            "--channel",
            "call-centre",
            "--on-behalf-name",
            "Daeng Baso",
            "--on-behalf-phone",
            "081144556677",
        ],
    );
    let tracking = text
        .lines()
        .find_map(|l| l.strip_prefix("Read this tracking id back to the caller: "))
        .expect("the tracking id to read out")
        .to_string();
    assert!(tracking.starts_with("ADU-"), "{text}");
    assert!(text.contains("Channel: Call centre"), "{text}");
    assert!(text.contains("Filed by: operator-112"), "{text}");
    let shown = ok(&operator, &["--lang", "en", "show", &tracking]);
    assert!(
        shown.contains("Daeng Baso") && shown.contains("081144556677"),
        "{shown}"
    );
    let contact = json(&operator, &["contact", &tracking]);
    assert_eq!(contact["name"], "Daeng Baso");
    // The caller asks to be forgotten.
    ok(&operator, &["contact", &tracking, "--remove"]);
    assert_eq!(
        json(&operator, &["contact", &tracking]),
        serde_json::Value::Null
    );
    let shown = ok(&operator, &["show", &tracking]);
    assert!(!shown.contains("Daeng Baso"), "{shown}");
}

#[test]
fn a_citizen_cannot_file_for_someone_else() {
    let dir = tempfile::tempdir().unwrap();
    let siti = dir.path().join("siti");
    ok(
        &siti,
        &[
            "login",
            "--account",
            "siti",
            "--name",
            "Siti",
            "--role",
            "citizen",
        ],
    );
    let out = aduan(
        &siti,
        &[
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "Untuk tetangga",
            "--description",
            "Air meluap",
            "--on-behalf-name",
            "Tetangga",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Tetangga"),
        "{err}"
    );
}

#[test]
fn sign_out_warns_about_unsynced_work_and_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let siti = dir.path().join("siti");
    ok(
        &siti,
        &[
            "login",
            "--account",
            "siti",
            "--name",
            "Siti",
            "--role",
            "citizen",
        ],
    );
    ok(
        &siti,
        &[
            "file",
            "--category",
            "pu.drainase",
            "--title",
            "Selokan tersumbat",
            "--description",
            "Air meluap ke jalan",
            "--kelurahan",
            "Mangasa",
        ],
    );
    let refused = aduan(&siti, &["--lang", "en", "sign-out"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("WARNING"), "{said}");
    assert!(said.contains("reports: 1 (1 new)"), "{said}");
    assert!(said.contains("--force"), "{said}");
    assert_eq!(json(&siti, &["list"]).as_array().unwrap().len(), 1);

    let done = ok(&siti, &["--lang", "en", "sign-out", "--force"]);
    assert!(done.contains("Signed out"), "{done}");
    assert_eq!(json(&siti, &["list"]).as_array().unwrap().len(), 0);
    assert!(json(&siti, &["whoami"]).is_null());
}

#[test]
fn tracking_a_malformed_id_is_refused_before_any_network() {
    let dir = tempfile::tempdir().unwrap();
    let out = aduan(
        dir.path(),
        &["track", "ADU-123", "--server", "http://127.0.0.1:9"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ADU-XXXXX-XXXXX"));
}

#[test]
fn filing_shows_the_kelurahan_office_and_a_likely_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let operator = dir.path().join("operator");
    ok(
        &operator,
        &[
            "login",
            "--account",
            "op",
            "--name",
            "Op",
            "--role",
            "citizen",
        ],
    );
    let file = |title: &str, lat: &str| {
        ok(
            &operator,
            &[
                "--lang",
                "en",
                "file",
                "--category",
                "lingkungan.sampah",
                "--title",
                title,
                "--description",
                "Sampah menumpuk di depan pasar, belum diangkut",
                "--kelurahan",
                "Mangasa",
                "--lat",
                lat,
                "--lon",
                "119.4327",
            ],
        )
    };
    let first = file("Sampah menumpuk di pasar", "-5.1477");
    assert!(
        first.contains("Area: Kelurahan Mangasa (73.71.10.1004)"),
        "{first}"
    );
    let office = first
        .lines()
        .skip_while(|l| !l.starts_with("Suggested handling:"))
        .nth(1)
        .unwrap_or_default();
    assert!(
        office.contains("kota-makassar.kel-tamalate-mangasa"),
        "{first}"
    );
    assert!(!first.contains("May be the same"), "{first}");
    let second = file("Tumpukan sampah di pasar", "-5.1480");
    assert!(second.contains("May be the same as"), "{second}");
}
