//! Sessions and accounts under attack: default credentials, device ids claimed by another
//! account, a refresh answer lost on the way, lock-outs forced by a guesser, weak passwords,
//! and the security log the national administrator reads.

use aduan_core::model::{self, DocKind};
use aduan_e2e::faults::{Fault, FaultyProxy};
use aduan_e2e::{draft, upload_raw, Phone, Server, Storage, PASSWORD};
use automerge::transaction::Transactable;
use serde_json::{json, Value};

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

/// POSTs JSON (optionally from a forwarded address); the status and the JSON answer.
fn post(server: &Server, path: &str, body: &Value, forwarded_for: Option<&str>) -> (u16, Value) {
    let mut req = http().post(format!("{}{path}", server.url)).json(body);
    if let Some(address) = forwarded_for {
        req = req.header("x-forwarded-for", address);
    }
    let resp = req.send().unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

fn sign_in(server: &Server, account: &str, password: &str, device: &str) -> (u16, Value) {
    post(
        server,
        "/v1/auth/login",
        &json!({"account_id": account, "password": password, "device_id": device}),
        None,
    )
}

fn sign_in_from(server: &Server, account: &str, password: &str, from: &str) -> (u16, Value) {
    post(
        server,
        "/v1/auth/login",
        &json!({"account_id": account, "password": password, "device_id": format!("dev-{}", from.replace([':', '.'], "-"))}),
        Some(from),
    )
}

fn refresh(server: &Server, token: &str) -> (u16, Value) {
    post(
        server,
        "/v1/auth/refresh",
        &json!({"refresh_token": token}),
        None,
    )
}

/// A sync round with nothing to upload: whether the access token still works.
fn token_works(server: &Server, access: &str) -> bool {
    match upload_raw(server, access, "tidak-ada/report".into(), vec![]) {
        Ok(_) => true,
        Err(401) => false,
        Err(status) => panic!("HTTP {status}"),
    }
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

// --- 8: no default credentials ---------------------------------------------------------

#[test]
fn a_plain_server_has_no_account_with_the_published_demo_password() {
    let server = Server::plain(Storage::fresh());
    for account in ["warga", "petugas", "admin-nasional"] {
        let (status, body) = sign_in(&server, account, PASSWORD, "dev-penyerang");
        assert_eq!(status, 401, "{account}: {body}");
        assert_eq!(text(&body, "code"), "bad_credentials");
    }
}

// --- 9: device ids belong to their account -----------------------------------------------

#[test]
fn a_login_cannot_claim_another_accounts_device_id_to_sign_it_out() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let id = warga
        .create_complaint(draft("Selokan", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    let victim = warga.session().device_id;
    // Another account naming the victim's device, by password and as a new anonymous device.
    let (status, body) = sign_in(&server, "petugas", PASSWORD, &victim);
    assert_eq!(status, 409, "{body}");
    assert_eq!(text(&body, "code"), "device_taken");
    let (status, body) = post(
        &server,
        "/v1/auth/device",
        &json!({"device_id": victim}),
        None,
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(text(&body, "code"), "device_taken");
    // Had either worked, its logout would have revoked the victim's tokens; try it anyway
    // with whatever came back.
    if let Some(token) = body["access_token"].as_str() {
        http()
            .post(format!("{}/v1/auth/logout", server.url))
            .bearer_auth(token)
            .send()
            .unwrap();
    }
    assert!(token_works(&server, &warga.session().access_token));
    warga.sync_ok();
    assert!(warga.get(id).is_ok());
}

#[test]
fn a_phone_whose_device_id_is_taken_signs_in_with_a_new_one() {
    let server = Server::start();
    // An anonymous start binds the phone's device id to a server-made account...
    let phone = Phone::anonymous(&server);
    let anonymous_device = phone.session().device_id;
    // ...so signing the same phone in to an account needs a device id of its own.
    phone
        .login(server.url.clone(), "warga".into(), PASSWORD.into())
        .unwrap_or_else(|e| panic!("{e}"));
    let session = phone.session();
    assert_eq!(session.identity.account_id, "warga");
    assert_ne!(session.device_id, anonymous_device);
    phone.sync_ok();
}

// --- 10: a lost response must not sign anyone out ---------------------------------------

#[test]
fn a_lost_refresh_answer_does_not_end_the_session_and_a_replayed_token_ends_the_chain() {
    let server = Server::start();
    let (status, first) = sign_in(&server, "warga", PASSWORD, "dev-hp-siti");
    assert_eq!(status, 200, "{first}");
    let old = text(&first, "refresh_token");
    // The answer to this refresh is lost on the way.
    let (status, lost) = refresh(&server, &old);
    assert_eq!(status, 200, "{lost}");
    // The phone still holds only the old token, and it still works.
    let (status, renewed) = refresh(&server, &old);
    assert_eq!(status, 200, "a lost answer signed the phone out: {renewed}");
    let access = text(&renewed, "access_token");
    assert!(token_works(&server, &access));
    // The phone used its new tokens; the lost pair was never delivered and is void.
    assert!(!token_works(&server, &text(&lost, "access_token")));
    assert_eq!(refresh(&server, &text(&lost, "refresh_token")).0, 401);
    // Someone replays the old token after its successor was used: a copy was stolen, so
    // every token of the device ends (the owner signs in again).
    let (status, _) = refresh(&server, &old);
    assert_eq!(status, 401);
    assert!(!token_works(&server, &access));
    assert_eq!(refresh(&server, &text(&renewed, "refresh_token")).0, 401);
    assert_eq!(sign_in(&server, "warga", PASSWORD, "dev-hp-siti").0, 200);
}

#[test]
fn a_network_error_during_refresh_keeps_the_anonymous_reporters_session() {
    let server = Server::start();
    let phone = Phone::anonymous(&server);
    let id = phone
        .create_complaint(draft("Lampu jalan mati", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    phone.sync_ok();
    // The access token ran out; every answer to a refresh is cut on the way back (the
    // server renews the tokens each time, the phone never hears of it).
    phone
        .with_store(|s| {
            let mut session = s.session()?.unwrap();
            session.access_token = "kedaluwarsa".into();
            s.save_session(&session)
        })
        .unwrap();
    let proxy = FaultyProxy::by_path(&server.url, |path| {
        if path.starts_with("/v1/auth/refresh") {
            Fault::CutResponse
        } else {
            Fault::None
        }
    });
    phone.point_at(&proxy.url);
    let later = phone
        .create_complaint(draft("Sampah di pasar", "lingkungan.sampah"))
        .unwrap()
        .summary
        .id;
    let err = phone.sync(None).unwrap_err();
    assert_ne!(err.code(), "signed_out", "{err}");
    assert!(phone.sync_status().unwrap().signed_in);
    // Back on a good link the same phone carries on, both reports its own.
    phone.point_at(&server.url);
    phone.sync_ok();
    let fresh = phone.session();
    assert!(token_works(&server, &fresh.access_token));
    for id in [&id, &later] {
        assert!(phone.get(id.clone()).unwrap().summary.mine, "{id}");
    }
}

// --- 11: throttling that cannot lock real users out -------------------------------------

#[test]
fn a_guesser_elsewhere_cannot_lock_the_national_administrator_out() {
    let server = Server::start_with(Storage::fresh(), &["--trusted-proxy", "127.0.0.1/32"]);
    for _ in 0..30 {
        let (status, body) =
            sign_in_from(&server, "admin-nasional", "tebak-tebakan", "203.0.113.7");
        assert!(status == 401 || status == 429, "{body}");
    }
    let (status, body) = sign_in_from(&server, "admin-nasional", PASSWORD, "203.0.113.7");
    assert_eq!(status, 429, "the guesser's own address is held: {body}");
    let (status, body) = sign_in_from(&server, "admin-nasional", PASSWORD, "198.51.100.20");
    assert_eq!(
        status, 200,
        "the administrator elsewhere was locked out: {body}"
    );
}

#[test]
fn a_forwarded_address_from_an_untrusted_peer_is_ignored() {
    // The proxy the operator trusts is elsewhere: loopback's headers are the client's word.
    let server = Server::start_with(Storage::fresh(), &["--trusted-proxy", "10.0.0.0/8"]);
    for i in 0..5 {
        let (status, body) = sign_in_from(
            &server,
            "petugas",
            "tebak-tebakan",
            &format!("198.51.100.{i}"),
        );
        assert_eq!(status, 401, "{body}");
    }
    let (status, body) = sign_in_from(&server, "petugas", PASSWORD, "198.51.100.99");
    assert_eq!(
        status, 429,
        "a made-up forwarded address escaped the lock: {body}"
    );
}

#[test]
fn guesses_from_one_ipv6_network_count_together() {
    let server = Server::start_with(Storage::fresh(), &["--trusted-proxy", "127.0.0.1/32"]);
    for i in 1..=5 {
        let (status, body) = sign_in_from(
            &server,
            "petugas",
            "tebak-tebakan",
            &format!("2001:db8:1:2::{i:x}"),
        );
        assert_eq!(status, 401, "{body}");
    }
    // Another address of the same /64 (one customer's network) is the same guesser.
    let (status, body) = sign_in_from(&server, "petugas", PASSWORD, "2001:db8:1:2:aaaa::1");
    assert_eq!(status, 429, "{body}");
    let (status, body) = sign_in_from(&server, "petugas", PASSWORD, "2001:db8:1:3::1");
    assert_eq!(status, 200, "{body}");
}

// --- 12: passwords and the security log -------------------------------------------------

#[test]
fn short_common_and_huge_passwords_are_refused_for_new_accounts() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let create = |id: &str, password: &str| {
        let resp = http()
            .post(format!("{}/v1/admin/accounts", server.url))
            .bearer_auth(admin.session().access_token)
            .json(&json!({
                "id": id, "display_name": "Petugas Baru", "role": "officer",
                "institution_id": "kota-makassar", "password": password,
            }))
            .send()
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().unwrap_or(Value::Null))
    };
    let huge = "k".repeat(300);
    for password in [
        "abc12345",
        "sembilan9",
        "rahasia123",
        "Password123",
        "1234567890",
        "indonesia1945",
        huge.as_str(),
    ] {
        let (status, body) = create("baru", password);
        assert_eq!(status, 400, "{password}: {body}");
        assert_eq!(text(&body, "code"), "weak_password", "{password}");
    }
    assert_eq!(create("baru", "kucing oren suka tidur").0, 201);
    // The server's own account command applies the same rules.
    let out = std::process::Command::new(aduan_e2e::binary("aduan-server"))
        .args(["--data"])
        .arg(server.storage.data.path())
        .args(
            server
                .storage
                .postgres
                .iter()
                .flat_map(|d| ["--database-url".to_string(), d.url.clone()]),
        )
        .args([
            "account-add",
            "--id",
            "lain",
            "--name",
            "Lain",
            "--role",
            "citizen",
        ])
        .args(["--password", "rahasia123"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("common"));
}

#[test]
fn the_security_log_shows_failed_sign_ins_and_refused_changes_without_personal_data() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let petugas = Phone::login(&server, "petugas");
    let nasional = Phone::login(&server, "admin-nasional");
    let title = "Pungli di kantor kelurahan oleh pak Rahmat";
    let id = warga
        .create_complaint(draft(title, "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    // A failed sign-in (its password must not be kept), one naming no account (what was typed
    // may be a password), and an officer writing into a report that is not theirs.
    let secret = "sandi-petugas-keliru";
    assert_eq!(sign_in(&server, "petugas", secret, "dev-lain").0, 401);
    assert_eq!(
        sign_in(&server, "ketik-sandi-di-sini", secret, "dev-lain").0,
        401
    );
    // Someone guessing until the account locks for them.
    for _ in 0..5 {
        assert_eq!(sign_in(&server, "kader", secret, "dev-lain").0, 401);
    }
    let mut doc = automerge::AutoCommit::new();
    doc.put(automerge::ROOT, "title", "diubah").unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let refused = upload_raw(
        &server,
        &petugas.session().access_token,
        model::doc_id(&id, DocKind::Report),
        vec![change],
    )
    .unwrap();
    assert_eq!(refused.refused.len(), 1);

    let read = |token: &str, query: &str| {
        let resp = http()
            .get(format!("{}/v1/admin/security-log{query}", server.url))
            .bearer_auth(token)
            .send()
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.text().unwrap())
    };
    assert_eq!(read(&petugas.session().access_token, "").0, 403);
    let (status, body) = read(&nasional.session().access_token, "");
    assert_eq!(status, 200, "{body}");
    for private in [title, secret, "ketik-sandi-di-sini", "Mangasa", "Siti"] {
        assert!(!body.contains(private), "{private} in the log: {body}");
    }
    let log: Value = serde_json::from_str(&body).unwrap();
    let entries = log["entries"].as_array().unwrap();
    let has = |kind: &str, account: Option<&str>| {
        entries
            .iter()
            .any(|e| e["kind"] == kind && e["account_id"].as_str() == account)
    };
    assert!(has("sign_in_failed", Some("petugas")), "{body}");
    assert!(has("sign_in_failed", None), "{body}");
    assert!(has("sign_in", Some("warga")), "{body}");
    assert!(has("change_refused", Some("petugas")), "{body}");
    assert!(has("sign_in_locked", Some("kader")), "{body}");
    // Paging: newest first, one entry at a time, following `next`.
    let (_, page) = read(&nasional.session().access_token, "?limit=1");
    let page: Value = serde_json::from_str(&page).unwrap();
    assert_eq!(page["entries"].as_array().unwrap().len(), 1);
    assert_eq!(page["entries"][0], entries[0]);
    let next = page["next"].as_str().unwrap();
    let (_, second) = read(
        &nasional.session().access_token,
        &format!("?limit=1&before={next}"),
    );
    let second: Value = serde_json::from_str(&second).unwrap();
    assert_eq!(second["entries"][0], entries[1]);
}
