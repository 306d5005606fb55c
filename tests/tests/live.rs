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
