//! One server for the whole country: phones take the server's directory, so every replica ends
//! a Makassar deadline at midnight WITA and the national desk's at midnight WIB.

use aduan_core::api::records::*;
use aduan_core::types::{Stage, Status};
use aduan_e2e::{draft, Phone, Server};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// `due` is the last millisecond of a day at `hours_east` of UTC.
fn ends_at_midnight(due: i64, hours_east: i64) -> bool {
    (due + 1 + hours_east * HOUR).rem_euclid(DAY) == 0
}

#[test]
fn phones_with_the_servers_directory_end_a_makassar_deadline_at_midnight_wita() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let pemkot = Phone::login(&server, "admin-makassar");
    for p in [&warga, &nasional, &pemkot] {
        p.fetch_directory().unwrap();
    }
    let filed = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap();
    assert_eq!(
        filed.summary.zone, "WITA",
        "filed from a Makassar kelurahan"
    );
    let dl = filed.deadline.unwrap();
    assert_eq!(dl.stage, Stage::NationalVerification);
    assert!(
        ends_at_midnight(dl.due_at, 7),
        "the national desk is in Jakarta"
    );
    let id = filed.summary.id;
    warga.sync_ok();
    nasional.sync_ok();
    nasional
        .perform(
            id.clone(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "disposisi".into(),
            vec![],
        )
        .unwrap();
    nasional.sync_ok();
    pemkot.sync_ok();
    warga.sync_ok();
    let due: Vec<i64> = [&warga, &nasional, &pemkot]
        .iter()
        .map(|p| {
            let d = p.get(id.clone()).unwrap();
            assert_eq!(d.summary.status, Status::Dispatched);
            assert_eq!(d.summary.utc_offset_minutes, 480);
            d.deadline.unwrap().due_at
        })
        .collect();
    assert!(due.iter().all(|d| *d == due[0]), "{due:?}");
    assert!(ends_at_midnight(due[0], 8), "Makassar's midnight");
    assert!(!ends_at_midnight(due[0], 7), "not Jakarta's");
}
