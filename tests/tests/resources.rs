//! Exhausting the server: change bombs that would take its memory, and uploads that would fill
//! its disk, are refused with clear errors and bounded cost.

#[path = "../../core/tests/common/bombs.rs"]
mod bombs;

use aduan_core::model::{self, DocKind};
use aduan_e2e::{draft, upload_raw, Phone, Server};

#[test]
fn change_bombs_are_refused_without_taking_the_servers_memory() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let filed = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    let token = warga.session().access_token;
    // A new complaint's report, and the log of one the server has.
    let fresh = "5d1c1f0e-2b7a-4c55-9e0e-8f3a7c2b9d41";
    let targets = [
        model::doc_id(fresh, DocKind::Report),
        model::doc_id(&filed, DocKind::Log),
        model::doc_id(&filed, DocKind::Report),
    ];
    let bombs = [
        ("inflates to 256 MiB", bombs::inflating()),
        ("128 MiB message", bombs::long_message()),
        ("a million operations", bombs::many_ops(1_000_000)),
    ];
    let before = server.peak_memory_kib();
    let mut answers = Vec::new();
    for (what, bomb) in &bombs {
        assert!(bomb.len() < 512 * 1024, "{what}: {} bytes", bomb.len());
        for doc_id in &targets {
            let resp = upload_raw(&server, &token, doc_id.clone(), vec![bomb.clone()])
                .unwrap_or_else(|status| panic!("{what}: HTTP {status}"));
            let codes: Vec<String> = resp.refused.iter().map(|r| r.code.clone()).collect();
            answers.push((what, doc_id, codes));
        }
    }
    let peak = server.peak_memory_kib();
    eprintln!("peak memory {peak} KiB, {before} KiB before the bombs");
    assert!(
        peak < before + 64 * 1024,
        "peak memory {peak} KiB, {before} KiB before the bombs"
    );
    for (what, doc_id, codes) in answers {
        assert_eq!(codes, ["change_too_large"], "{what} to {doc_id}");
    }
    // Nothing stored was damaged, and the server still syncs.
    let admin = Phone::login(&server, "admin-nasional");
    admin.sync_ok();
    assert_eq!(admin.get(filed).unwrap().summary.title, "Selokan tersumbat");
}
