//! A phone on a link that cuts, delays and replays its requests, and a server killed in the
//! middle of a sync: afterwards nothing is lost and nothing is duplicated.

use std::collections::HashMap;

use aduan_core::api::records::WorkflowAction;
use aduan_e2e::faults::FaultyProxy;
use aduan_e2e::{draft, Phone, Server};

/// Every note in every complaint this phone holds, counted.
fn notes(phone: &Phone) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for row in phone.all() {
        for e in phone.get(row.id.clone()).unwrap().timeline {
            *out.entry(e.note).or_default() += 1;
        }
    }
    out
}

#[test]
fn cut_delayed_and_replayed_requests_lose_and_duplicate_nothing() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let proxy = FaultyProxy::start(&server.url, 0xFA17, [3, 2, 2, 2, 1]);
    warga.point_at(&proxy.url);
    let mut titles = Vec::new();
    let mut written = Vec::new();
    for round in 0..16 {
        if round % 3 == 0 {
            let title = format!("Laporan {round}");
            warga
                .create_complaint(draft(&title, "pu.drainase"))
                .unwrap();
            titles.push(title);
        }
        for row in warga.all() {
            if round % 2 == 0 {
                let note = format!("catatan {round} {}", row.tracking_id);
                warga.comment(row.id.clone(), note.clone(), vec![]).unwrap();
                written.push(note);
            }
        }
        let _ = warga.sync(None); // may fail: the link is bad
        nasional.sync_ok();
        for row in nasional.all() {
            if row.institution_id.is_none() {
                nasional
                    .perform(
                        row.id.clone(),
                        WorkflowAction::Dispatch {
                            institution_id: "kota-makassar".into(),
                        },
                        format!("disposisi {}", row.tracking_id),
                        vec![],
                    )
                    .unwrap();
                written.push(format!("disposisi {}", row.tracking_id));
            }
        }
        nasional.sync_ok();
    }
    assert!(
        proxy.exchanges.load(std::sync::atomic::Ordering::SeqCst) > 15,
        "the proxy saw traffic"
    );
    // The link heals.
    warga.point_at(&server.url);
    warga.sync_ok();
    warga.sync_ok();
    nasional.sync_ok();
    let fresh = Phone::login(&server, "warga");
    fresh.sync_ok();
    let rows = fresh.all();
    let mut got: Vec<String> = rows.iter().map(|r| r.title.clone()).collect();
    got.sort();
    titles.sort();
    assert_eq!(got, titles, "every report exactly once");
    let counted = notes(&fresh);
    for note in &written {
        assert_eq!(counted.get(note), Some(&1), "{note}: lost or duplicated");
    }
    assert_eq!(notes(&warga), counted, "the phone and the server agree");
}

#[test]
fn a_server_killed_mid_sync_loses_nothing_it_acknowledged() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let ids: Vec<String> = (0..150)
        .map(|i| {
            warga
                .create_complaint(draft(&format!("Laporan {i}"), "pu.drainase"))
                .unwrap()
                .summary
                .id
        })
        .collect();
    let store = warga.store.clone();
    let syncing = std::thread::spawn(move || store.sync(None));
    std::thread::sleep(std::time::Duration::from_millis(40));
    let data = server.kill(); // SIGKILL
    let _ = syncing.join().unwrap();
    let server = Server::start_in(data);
    warga.point_at(&server.url);
    warga.sync_ok();
    assert_eq!(warga.sync_status().unwrap().pending_documents, 0);
    let fresh = Phone::login(&server, "warga");
    fresh.sync_ok();
    let rows = fresh.all();
    assert_eq!(rows.len(), ids.len(), "every report exactly once");
}
