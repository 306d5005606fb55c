//! Overdue work escalates through the server: a cadre's report left unanswered for more than
//! its 24 hours gets a system-written escalation in its log, which every phone receives.

use aduan_core::types::Status;
use aduan_e2e::{draft, Phone, Server};

const HOUR: i64 = 3_600_000;

#[test]
fn cadre_report_escalates_after_24_hours() {
    let server = Server::start();
    let kader = Phone::login(&server, "kader");
    let pemkot = Phone::login(&server, "admin-makassar");
    for p in [&kader, &pemkot] {
        p.fetch_directory().unwrap();
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    // Filed 30 hours ago, offline; it reaches the server only now.
    kader.store.set_clock(Some(now - 30 * HOUR));
    let filed = kader
        .create_complaint(draft("Tumpukan sampah di pasar", "pu.drainase"))
        .unwrap();
    assert_eq!(filed.summary.status, Status::Dispatched);
    let id = filed.summary.id;
    kader.store.set_clock(None);
    kader.sync_ok();
    kader.sync_ok();
    pemkot.sync_ok();
    for p in [&kader, &pemkot] {
        let d = p.get(id.clone()).unwrap();
        let steps: Vec<_> = d
            .timeline
            .iter()
            .filter(|e| e.action == "escalate")
            .collect();
        assert_eq!(steps.len(), 1, "{:?}", d.timeline);
        assert!(steps[0].applied);
        assert!(steps[0].action_label.contains("Pemerintah Kota Makassar"));
    }
    // Another round writes nothing more.
    kader.sync_ok();
    pemkot.sync_ok();
    let d = pemkot.get(id).unwrap();
    assert_eq!(
        d.timeline.iter().filter(|e| e.action == "escalate").count(),
        1
    );
}
