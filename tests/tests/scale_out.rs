//! Two server instances on one PostgreSQL database serve the same phones consistently: a phone
//! may hit either, live updates cross instances, concurrent rounds on both lose nothing, and
//! sign-in limits are the same on both.
//! Runs when `ADUAN_TEST_POSTGRES_URL` is set (scripts/test.sh starts a private PostgreSQL and
//! requires it).

use std::time::Duration;

use aduan_core::api::records::{ComplaintDraft, WorkflowAction};
use aduan_core::types::Status;
use aduan_e2e::postgres_db::Database;
use aduan_e2e::{
    draft, jpeg, listen_events, Phone, Server, Storage, PASSWORD, UNDO_MIGRATIONS_AFTER_6_POSTGRES,
};

/// Instances A and B on one fresh database and one photo folder.
fn two_instances(test: &str) -> Option<(Server, Server)> {
    let storage = Storage::postgres(Database::for_test(test)?);
    let a = Server::start_in(storage.clone());
    let b = Server::start_in(storage);
    Some((a, b))
}

#[test]
fn a_phone_syncs_through_instance_a_and_then_instance_b() {
    let Some((a, b)) = two_instances("a_phone_syncs_through_instance_a_and_then_instance_b") else {
        return;
    };
    let warga = Phone::login(&a, "warga");
    let photo = warga.import_photo(jpeg(900, 600, 0)).unwrap().photo;
    let id = warga
        .create_complaint(ComplaintDraft {
            photos: vec![photo.sha256.clone()],
            ..draft("Sampah menumpuk di pasar", "lingkungan.sampah")
        })
        .unwrap()
        .summary
        .id;
    warga.sync_ok();

    // The national desk signed in through B sees it, photo included.
    let nasional = Phone::login(&b, "admin-nasional");
    nasional.sync_ok();
    let seen = nasional.get(id.clone()).unwrap();
    assert_eq!(seen.summary.title, "Sampah menumpuk di pasar");
    assert!(nasional
        .fetch_photo(photo.thumb_sha256.clone())
        .unwrap()
        .is_some());
    nasional
        .perform(
            id.clone(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "Wewenang Pemkot".into(),
            vec![],
        )
        .unwrap();
    nasional.sync_ok();

    // The citizen's phone now syncs through B with the token A issued, and back through A:
    // the cursor means the same on both, nothing arrives twice or goes missing.
    warga.point_at(&b.url);
    let through_b = warga.sync_ok();
    assert_eq!(
        warga.get(id.clone()).unwrap().summary.status,
        Status::Dispatched
    );
    assert!(through_b.progress.documents_received >= 1);
    warga.point_at(&a.url);
    let again = warga.sync_ok();
    assert_eq!(
        again.progress.documents_received, 0,
        "nothing new, nothing repeated"
    );
    warga
        .comment(id.clone(), "Terima kasih".into(), vec![])
        .unwrap();
    warga.sync_ok();
    nasional.point_at(&a.url);
    nasional.sync_ok();
    assert_eq!(
        nasional.get(id.clone()).unwrap().timeline,
        warga.get(id).unwrap().timeline
    );
}

#[test]
fn live_updates_cross_instances() {
    let Some((a, b)) = two_instances("live_updates_cross_instances") else {
        return;
    };
    let nasional = Phone::login(&b, "admin-nasional");
    let samarinda = Phone::login(&b, "admin-samarinda");
    let desk = listen_events(&b, &nasional);
    let other = listen_events(&b, &samarinda);
    std::thread::sleep(Duration::from_millis(300));
    let warga = Phone::login(&a, "warga");
    let id = warga
        .create_complaint(draft("Banjir", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    let data = desk
        .recv_timeout(Duration::from_secs(5))
        .expect("a desk on B hears of a change made through A");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(json["complaints"][0], id.as_str());
    assert!(
        other.recv_timeout(Duration::from_millis(500)).is_err(),
        "another institution hears nothing"
    );
}

#[test]
fn concurrent_rounds_on_both_instances_lose_nothing() {
    let Some((a, b)) = two_instances("concurrent_rounds_on_both_instances_lose_nothing") else {
        return;
    };
    let urls = [a.url.clone(), b.url.clone()];
    // Four citizens' phones, each with complaints the desk already holds.
    let phones: Vec<Phone> = (0..4)
        .map(|i| Phone::login(if i % 2 == 0 { &a } else { &b }, "warga"))
        .collect();
    let mut ids = Vec::new();
    for (i, p) in phones.iter().enumerate() {
        for j in 0..2 {
            let id = p
                .create_complaint(draft(&format!("Laporan {i}-{j}"), "pu.drainase"))
                .unwrap()
                .summary
                .id;
            ids.push((i, id));
        }
        p.sync_ok();
    }
    let desk = Phone::login(&a, "admin-nasional");
    desk.sync_ok();
    assert_eq!(desk.all().len(), 8);
    let before: Vec<usize> = ids
        .iter()
        .map(|(_, id)| desk.get(id.clone()).unwrap().timeline.len())
        .collect();

    // Replies written and synced concurrently through both instances while the desk keeps
    // syncing through both: its cursor must never step over a change still being written.
    std::thread::scope(|scope| {
        for (i, p) in phones.iter().enumerate() {
            let mine: Vec<String> = ids
                .iter()
                .filter(|(owner, _)| *owner == i)
                .map(|(_, id)| id.clone())
                .collect();
            let urls = &urls;
            scope.spawn(move || {
                for round in 0..6 {
                    for id in &mine {
                        p.comment(id.clone(), format!("Balasan {round}"), vec![])
                            .unwrap();
                    }
                    p.point_at(&urls[(i + round) % 2]);
                    p.sync_ok();
                }
            });
        }
        let desk = &desk;
        let urls = &urls;
        scope.spawn(move || {
            for round in 0..12 {
                desk.point_at(&urls[round % 2]);
                desk.sync_ok();
            }
        });
    });
    desk.sync_ok();
    for ((i, id), before) in ids.iter().zip(before) {
        let at_desk = desk.get(id.clone()).unwrap().timeline;
        let at_phone = phones[*i].get(id.clone()).unwrap().timeline;
        assert_eq!(at_desk.len(), before + 6, "six replies: {id}");
        assert_eq!(at_desk, at_phone, "{id}");
    }
}

#[test]
fn guessing_passwords_through_both_instances_locks_the_account_on_both() {
    let Some((a, b)) =
        two_instances("guessing_passwords_through_both_instances_locks_the_account_on_both")
    else {
        return;
    };
    // Five wrong guesses, alternating: the limit is per account, not per instance.
    for server in [&a, &b, &a, &b, &a] {
        let e = Phone::login_result(server, "petugas", "tebak-tebakan")
            .err()
            .unwrap();
        assert!(format!("{e:?}").contains("bad_credentials"), "{e:?}");
    }
    for server in [&b, &a] {
        let e = Phone::login_result(server, "petugas", PASSWORD)
            .err()
            .unwrap();
        assert!(format!("{e:?}").contains("too_many_attempts"), "{e:?}");
    }
    Phone::login(&b, "warga");
}

#[test]
fn a_database_from_before_shared_sign_in_limits_is_migrated_on_start() {
    let Some(db) =
        Database::for_test("a_database_from_before_shared_sign_in_limits_is_migrated_on_start")
    else {
        return;
    };
    let storage = Storage::postgres(db);
    let first = Server::start_in(storage.clone());
    let warga = Phone::login(&first, "warga");
    let id = warga
        .create_complaint(draft("Sampah di pasar", "lingkungan.sampah"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    drop(first);
    // Back to schema 1, as a server of the first release left it.
    let url = &storage.postgres.as_ref().unwrap().url;
    let mut sql = postgres::Client::connect(url, postgres::NoTls).unwrap();
    sql.batch_execute(&format!(
        "DROP TABLE sign_in_failures;
         ALTER TABLE device_complaints DROP COLUMN state, DROP COLUMN round;
         DROP TABLE device_rounds;
         DROP TABLE photo_refs;
         CREATE TABLE photo_refs (
             complaint_id TEXT NOT NULL,
             sha256       TEXT NOT NULL,
             PRIMARY KEY (sha256, complaint_id)
         );
         DROP TABLE security_log;
         DROP INDEX tokens_by_parent; ALTER TABLE tokens DROP COLUMN parent, DROP COLUMN spent;
         DROP TABLE quota_use; ALTER TABLE photos DROP COLUMN received_at;
         {UNDO_MIGRATIONS_AFTER_6_POSTGRES}
         UPDATE aduan_schema SET version = 1"
    ))
    .unwrap();
    drop(sql);

    let upgraded = Server::start_in(storage.clone());
    let e = Phone::login_result(&upgraded, "warga", "salah")
        .err()
        .unwrap();
    assert!(format!("{e:?}").contains("bad_credentials"), "{e:?}");
    let again = Phone::login(&upgraded, "warga");
    again.sync_ok();
    // Complaints from before the public index are listed after the upgrade.
    let page = again
        .public_complaints(upgraded.url.clone(), None, None, 0)
        .unwrap();
    assert_eq!(page.complaints.len(), 1);
    assert_eq!(
        page.complaints[0].tracking_id,
        aduan_core::model::tracking_id(&id)
    );
    assert_eq!(again.get(id).unwrap().summary.title, "Sampah di pasar");
    let mut sql = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let version: i64 = sql
        .query_one("SELECT version FROM aduan_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, aduan_e2e::SERVER_SCHEMA_VERSION);
}
