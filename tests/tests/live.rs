//! Desks learn of changes as they reach the server, without polling, and only of complaints
//! they may see.

use std::time::{Duration, Instant};

use aduan_core::api::records::ComplaintDraft;
use aduan_e2e::{draft, listen_events, Phone, Server};

#[test]
fn the_desk_hears_of_a_new_complaint_and_other_institutions_hear_nothing() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let samarinda = Phone::login(&server, "admin-samarinda");
    let desk = listen_events(&server, &nasional);
    let other = listen_events(&server, &samarinda);
    std::thread::sleep(Duration::from_millis(200));
    let id = warga
        .create_complaint(ComplaintDraft {
            confidential: true,
            ..draft("Banjir", "pu.drainase")
        })
        .unwrap()
        .summary
        .id;
    let sent = Instant::now();
    warga.sync_ok();
    let data = desk
        .recv_timeout(Duration::from_secs(5))
        .expect("the desk is told");
    eprintln!("live update after {:?}", sent.elapsed());
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(json["complaints"][0], id.as_str());
    assert!(!data.contains("Banjir"), "events carry no content");
    assert!(
        other.recv_timeout(Duration::from_millis(500)).is_err(),
        "nothing leaks to another institution"
    );
    let unauth = reqwest::blocking::get(format!("{}/v1/events", server.url)).unwrap();
    assert_eq!(unauth.status(), 401);
}

/// Waits until the stream `rx` reads from has ended, failing if it carries `forbidden` first.
fn ends_without(rx: &std::sync::mpsc::Receiver<String>, forbidden: &str, within: Duration) {
    let until = Instant::now() + within;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(data) => assert!(!data.contains(forbidden), "heard {data}"),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("the stream is still open after {within:?}")
            }
        }
    }
}

fn admin_post(server: &Server, path: &str, body: serde_json::Value) {
    let nasional = Phone::login(server, "admin-nasional");
    let r = reqwest::blocking::Client::new()
        .post(format!("{}{path}", server.url))
        .bearer_auth(nasional.session().access_token)
        .json(&body)
        .send()
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

#[test]
fn a_disabled_account_stops_hearing_live_updates() {
    let server = Server::start();
    let petugas = Phone::login(&server, "petugas");
    let desk = listen_events(&server, &petugas);
    std::thread::sleep(Duration::from_millis(200));
    admin_post(
        &server,
        "/v1/admin/accounts/petugas/disable",
        serde_json::json!({}),
    );
    // Nothing happens on the server: the stream still ends on its own.
    ends_without(&desk, "", Duration::from_secs(20));
}

#[test]
fn a_signed_out_token_stops_its_live_updates() {
    let server = Server::start();
    let nasional = Phone::login(&server, "admin-nasional");
    let desk = listen_events(&server, &nasional);
    std::thread::sleep(Duration::from_millis(200));
    let r = reqwest::blocking::Client::new()
        .post(format!("{}/v1/auth/logout", server.url))
        .bearer_auth(nasional.session().access_token)
        .send()
        .unwrap();
    assert!(r.status().is_success());
    let kader = Phone::login(&server, "kader");
    let id = kader
        .create_complaint(draft("Sampah", "lingkungan.sampah"))
        .unwrap()
        .summary
        .id;
    kader.sync_ok();
    ends_without(&desk, &id, Duration::from_secs(20));
}

#[test]
fn a_moved_officer_stops_hearing_the_old_institutions_complaints() {
    let server = Server::start();
    let petugas = Phone::login(&server, "petugas");
    let desk = listen_events(&server, &petugas);
    std::thread::sleep(Duration::from_millis(200));
    admin_post(
        &server,
        "/v1/admin/accounts/petugas/move",
        serde_json::json!({ "institution_id": "kota-samarinda" }),
    );
    // A cadre's report goes straight to Kota Makassar, which the officer has left.
    let kader = Phone::login(&server, "kader");
    let id = kader
        .create_complaint(ComplaintDraft {
            confidential: true,
            ..draft("Sampah", "lingkungan.sampah")
        })
        .unwrap()
        .summary
        .id;
    kader.sync_ok();
    ends_without(&desk, &id, Duration::from_secs(20));
}

#[test]
fn live_streams_per_account_are_capped() {
    let server = Server::start();
    let nasional = Phone::login(&server, "admin-nasional");
    let http = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap();
    let open = |token: &str| {
        http.get(format!("{}/v1/events", server.url))
            .bearer_auth(token)
            .send()
            .unwrap()
    };
    let token = nasional.session().access_token;
    let mut held = Vec::new();
    let refused = loop {
        let r = open(&token);
        if r.status() != 200 || held.len() > 64 {
            break r;
        }
        held.push(r);
    };
    assert_eq!(refused.status(), 429, "after {} streams", held.len());
    assert!(held.len() >= 2, "a desk may keep a few tabs open");
    let json: serde_json::Value = refused.json().unwrap();
    assert_eq!(json["code"], "too_many_streams");
    // The cap is per account: another account still listens.
    let other = Phone::login(&server, "petugas");
    assert_eq!(open(&other.session().access_token).status(), 200);
    // A stream closed frees its place.
    held.pop();
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let r = open(&token);
        if r.status() == 200 {
            break;
        }
        assert!(
            Instant::now() < until,
            "a closed stream's place is never freed"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}
