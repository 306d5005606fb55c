//! Public reports and tracking without an account (issue 14, item 4), and leaving a phone
//! (item 10), against the real server binary.

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::model;
use aduan_core::types::{Location, Status};
use aduan_e2e::{draft, jpeg, upload_raw, Phone, Server, Storage};
use serde_json::Value;

/// Raw GET without any credential: the status and the body's bytes.
fn get(server: &Server, path: &str) -> (u16, String) {
    let resp = reqwest::blocking::Client::new()
        .get(format!("{}{path}", server.url))
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.text().unwrap())
}

/// A store that has never signed in: anyone at all.
fn stranger() -> (std::sync::Arc<AduanStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    (store, dir)
}

const DESCRIPTION: &str = "Rumah saya Jl. Kenanga 12, telepon 0813-1111-2222";
const CONFIDENTIAL_DESCRIPTION: &str = "Pungutan liar oleh oknum di kantor kelurahan";

fn located(title: &str, category: &str, kelurahan: &str, confidential: bool) -> ComplaintDraft {
    ComplaintDraft {
        description: if confidential {
            CONFIDENTIAL_DESCRIPTION.into()
        } else {
            DESCRIPTION.into()
        },
        location: Location {
            latitude: Some(-5.1712),
            longitude: Some(119.4321),
            accuracy_m: Some(10.0),
            address: "Jl. Kenanga 12".into(),
            province: "Sulawesi Selatan".into(),
            city: "Kota Makassar".into(),
            kecamatan: "Tamalate".into(),
            kelurahan: kelurahan.into(),
            area: String::new(),
        },
        confidential,
        ..draft(title, category)
    }
}

fn dispatch(p: &Phone, id: &str) {
    p.perform(
        id.into(),
        WorkflowAction::Dispatch {
            institution_id: "kota-makassar".into(),
        },
        "diteruskan oleh admin nasional".into(),
        vec![],
    )
    .unwrap();
}

#[test]
fn anyone_with_the_tracking_id_sees_its_status_without_an_account() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let filed = warga
        .create_complaint(located(
            "Selokan tersumbat",
            "pu.drainase",
            "Mangasa",
            false,
        ))
        .unwrap()
        .summary;
    warga.sync_ok();
    nasional.sync_ok();
    dispatch(&nasional, &filed.id);
    nasional.sync_ok();

    let (status, body) = get(&server, &format!("/v1/track/{}", filed.tracking_id));
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "dispatched");
    assert_eq!(json["institution_id"], "kota-makassar");
    // Read back over the phone in lower case, it is the same complaint.
    let (status, _) = get(
        &server,
        &format!("/v1/track/{}", filed.tracking_id.to_lowercase()),
    );
    assert_eq!(status, 200);

    // Through core, from a phone that never signed in: the same view the handlers' phones
    // build from their own copy.
    let (anyone, _dir) = stranger();
    let seen = anyone
        .track(server.url.clone(), filed.tracking_id.clone())
        .unwrap()
        .expect("public");
    assert_eq!(seen.status, Status::Dispatched);
    assert_eq!(
        Some(seen),
        nasional.public_view(filed.id.clone()).unwrap(),
        "server and phone agree"
    );
    assert!(anyone.identity().is_none());

    // And on the command line, from a store that never signed in.
    let cli_store = tempfile::tempdir().unwrap();
    let cli = std::process::Command::new(aduan_e2e::binary("aduan"))
        .arg("--store")
        .arg(cli_store.path())
        .args([
            "--lang",
            "en",
            "track",
            &filed.tracking_id,
            "--server",
            &server.url,
        ])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&cli.stdout);
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert!(shown.contains("Dispatched to institution"), "{shown}");
    assert!(shown.contains("Mangasa"), "{shown}");
    assert!(shown.contains("WITA"), "Makassar's zone: {shown}");

    let bad = anyone
        .track(server.url.clone(), "ADU-123".into())
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_input");
}

#[test]
fn a_named_reporters_contact_is_not_in_the_national_public_view() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let open = warga
        .create_complaint(located("Lampu jalan mati", "pu", "Mangasa", false))
        .unwrap()
        .summary;
    let secret = warga
        .create_complaint(located("Pungli", "pu", "Mangasa", true))
        .unwrap()
        .summary;
    warga.sync_ok();
    nasional.sync_ok();
    dispatch(&nasional, &open.id);
    nasional.sync_ok();
    let warga_identity = warga.identity().unwrap();
    assert_eq!(warga_identity.display_name, "Siti Aminah");
    let nasional_identity = nasional.identity().unwrap();

    let (_, tracked) = get(&server, &format!("/v1/track/{}", open.tracking_id));
    let (_, listed) = get(&server, "/v1/public/complaints?area=Kota%20Makassar");
    let page: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(page["complaints"].as_array().unwrap().len(), 1, "{listed}");
    for body in [&tracked, &listed] {
        for personal in [
            "Siti",
            "Aminah",
            &warga_identity.account_id,
            &nasional_identity.account_id,
            &nasional_identity.display_name,
            "Lampu jalan mati",
            DESCRIPTION,
            "0813",
            "Kenanga",
            "-5.17",
            "119.43",
            "diteruskan oleh admin nasional",
            CONFIDENTIAL_DESCRIPTION,
            "Pungli",
            &secret.tracking_id,
            &secret.id,
            &open.id,
        ] {
            assert!(!body.contains(personal), "{personal:?} is public: {body}");
        }
    }
}

#[test]
fn a_confidential_complaint_is_answered_exactly_as_an_unknown_tracking_id() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let secret = warga
        .create_complaint(located("Pungli", "pu", "Mangasa", true))
        .unwrap()
        .summary;
    warga.sync_ok();
    let unknown = model::tracking_id("no-such-complaint");
    let confidential = get(&server, &format!("/v1/track/{}", secret.tracking_id));
    let never_filed = get(&server, &format!("/v1/track/{unknown}"));
    assert_eq!(confidential.0, 404);
    assert_eq!(confidential, never_filed);
    let (anyone, _dir) = stranger();
    assert_eq!(
        anyone
            .track(server.url.clone(), secret.tracking_id.clone())
            .unwrap(),
        None
    );
    // The reporter still follows it in the app.
    assert_eq!(
        warga.get(secret.tracking_id).unwrap().summary.title,
        "Pungli"
    );
}

#[test]
fn public_pages_filter_by_area_and_category_newest_first() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let drain = warga
        .create_complaint(located("Selokan", "pu.drainase", "Mangasa", false))
        .unwrap()
        .summary;
    let lamp = warga
        .create_complaint(located("Lampu", "pu", "Jongaya", false))
        .unwrap()
        .summary;
    warga
        .create_complaint(located("Pungli", "pu.drainase", "Mangasa", true))
        .unwrap();
    warga.sync_ok();
    let (anyone, _dir) = stranger();
    let page = |area: Option<&str>, category: Option<&str>| {
        anyone
            .public_complaints(
                server.url.clone(),
                area.map(str::to_string),
                category.map(str::to_string),
                0,
            )
            .unwrap()
            .complaints
            .into_iter()
            .map(|c| c.tracking_id)
            .collect::<Vec<_>>()
    };
    let mut all = page(None, None);
    all.sort();
    let mut expected = vec![drain.tracking_id.clone(), lamp.tracking_id.clone()];
    expected.sort();
    assert_eq!(all, expected, "the confidential one is not listed");
    assert_eq!(page(Some("mangasa"), None), [drain.tracking_id.clone()]);
    assert_eq!(page(Some("Jongaya"), None), [lamp.tracking_id.clone()]);
    assert_eq!(page(Some("Tamalate"), None).len(), 2);
    assert_eq!(page(None, Some("pu.drainase")), [drain.tracking_id.clone()]);
    assert_eq!(
        page(None, Some("pu")).len(),
        2,
        "a category and all below it"
    );
    assert!(page(Some("Panakkukang"), None).is_empty());
    let (status, body) = get(&server, "/v1/public/complaints?category=tidak-ada");
    assert_eq!(status, 400, "{body}");
}

#[test]
fn public_reads_are_counted_per_address_like_anonymous_registration() {
    let server = Server::start_with(Storage::fresh(), &["--public-reads-per-hour", "3"]);
    let unknown = model::tracking_id("x");
    for _ in 0..2 {
        assert_eq!(get(&server, &format!("/v1/track/{unknown}")).0, 404);
    }
    assert_eq!(get(&server, "/v1/public/complaints").0, 200);
    let (status, body) = get(&server, &format!("/v1/track/{unknown}"));
    assert_eq!(status, 429, "{body}");
    assert_eq!(get(&server, "/v1/public/complaints").0, 429);
}

#[test]
fn sign_out_ends_the_devices_session_at_the_server_and_leaves_the_phone_empty() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let id = warga
        .create_complaint(located("Selokan", "pu.drainase", "Mangasa", false))
        .unwrap()
        .summary
        .id;
    assert_eq!(warga.sign_out(false).unwrap_err().code(), "unsynced_work");
    warga.sync_ok();
    let session = warga.session();
    let report = warga.sign_out(false).unwrap();
    assert!(report.server_session_ended);
    assert!(warga.get(id).is_err());
    assert!(warga.identity().is_none());
    assert!(!warga.sync_status().unwrap().signed_in);
    assert_eq!(
        upload_raw(&server, &session.access_token, "x/report".into(), vec![]).err(),
        Some(401),
        "the access token ended"
    );
    let refreshed = reqwest::blocking::Client::new()
        .post(format!("{}/v1/auth/refresh", server.url))
        .json(&serde_json::json!({ "refresh_token": session.refresh_token }))
        .send()
        .unwrap();
    assert_eq!(refreshed.status().as_u16(), 401, "the refresh chain ended");
    // The next person signs in on the same phone and gets their own data.
    warga
        .login(
            server.url.clone(),
            "petugas".into(),
            aduan_e2e::PASSWORD.into(),
        )
        .unwrap();
    warga.sync_ok();
    assert_eq!(warga.identity().unwrap().account_id, "petugas");
    assert_ne!(warga.session().device_id, session.device_id);
}

#[test]
fn sign_out_with_a_dead_access_token_still_ends_the_refresh_chain() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let session = warga.session();
    // As after a month offline: the access token is no longer accepted.
    warga
        .with_store(|s| {
            let mut expired = s.session()?.unwrap();
            expired.access_token = "kedaluwarsa".into();
            s.save_session(&expired)
        })
        .unwrap();
    assert!(warga.sign_out(false).unwrap().server_session_ended);
    let refreshed = reqwest::blocking::Client::new()
        .post(format!("{}/v1/auth/refresh", server.url))
        .json(&serde_json::json!({ "refresh_token": session.refresh_token }))
        .send()
        .unwrap();
    assert_eq!(refreshed.status().as_u16(), 401);
}

#[test]
fn an_officer_moved_to_another_institution_keeps_none_of_the_old_ones_complaints_or_photos() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let petugas = Phone::login(&server, "penghubung");
    let photo = warga.import_photo(jpeg(640, 480, 7)).unwrap().photo;
    let id = warga
        .create_complaint(ComplaintDraft {
            photos: vec![photo.sha256.clone()],
            ..located("Selokan", "pu.drainase", "Mangasa", false)
        })
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    nasional.sync_ok();
    dispatch(&nasional, &id);
    nasional.sync_ok();
    petugas.sync_ok();
    petugas.fetch_photo(photo.sha256.clone()).unwrap().unwrap();
    assert!(petugas.photo(photo.thumb_sha256.clone()).unwrap().is_some());
    assert!(petugas.photo(photo.sha256.clone()).unwrap().is_some());
    // A photo of the officer's own, for other work, stays.
    let own = petugas.import_photo(jpeg(320, 240, 9)).unwrap().photo;

    server.manage(&[
        "account-move",
        "penghubung",
        "--institution",
        "kota-samarinda",
    ]);
    let report = petugas.sync_ok();
    assert_eq!(report.revoked, 1);
    assert!(petugas.get(id).is_err());
    assert!(
        petugas.photo(photo.sha256).unwrap().is_none(),
        "the full-size photo left with the complaint"
    );
    assert!(
        petugas.photo(photo.thumb_sha256).unwrap().is_none(),
        "and its thumbnail"
    );
    assert!(petugas.photo(own.sha256).unwrap().is_some());
    assert!(petugas.all().is_empty());
}

#[test]
fn complaints_stored_before_the_public_index_are_tracked_and_listed_after_the_upgrade() {
    let storage = Storage::sqlite();
    let first = Server::start_in(storage.clone());
    let warga = Phone::login(&first, "warga");
    let filed = warga
        .create_complaint(located("Sampah di pasar", "pu", "Mangasa", false))
        .unwrap()
        .summary;
    warga.sync_ok();
    let storage = first.kill();
    {
        // Back to schema 6, as today's main left it.
        let db = rusqlite::Connection::open(storage.data.path().join("aduan-server.db")).unwrap();
        db.execute_batch(aduan_e2e::UNDO_MIGRATIONS_AFTER_6)
            .unwrap();
    }
    let upgraded = Server::start_in(storage);
    let (anyone, _dir) = stranger();
    let page = anyone
        .public_complaints(upgraded.url.clone(), Some("Mangasa".into()), None, 0)
        .unwrap();
    assert_eq!(
        page.complaints
            .iter()
            .map(|c| c.tracking_id.as_str())
            .collect::<Vec<_>>(),
        [filed.tracking_id.as_str()]
    );
    assert!(anyone
        .track(upgraded.url.clone(), filed.tracking_id)
        .unwrap()
        .is_some());
}
