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

fn put_photo(
    server: &Server,
    token: &str,
    name: &str,
    total: usize,
    offset: usize,
    chunk: &[u8],
) -> reqwest::blocking::Response {
    reqwest::blocking::Client::new()
        .put(format!("{}/v1/photos/{name}", server.url))
        .bearer_auth(token)
        .header("upload-offset", offset)
        .header("upload-length", total)
        .body(chunk.to_vec())
        .send()
        .unwrap()
}

fn head_offset(server: &Server, token: &str, name: &str) -> String {
    let r = reqwest::blocking::Client::new()
        .head(format!("{}/v1/photos/{name}", server.url))
        .bearer_auth(token)
        .send()
        .unwrap();
    r.headers()["upload-offset"].to_str().unwrap().to_string()
}

fn register(server: &Server, device: &str) -> (u16, String) {
    let r = reqwest::blocking::Client::new()
        .post(format!("{}/v1/auth/device", server.url))
        .json(&serde_json::json!({ "device_id": device }))
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

#[test]
fn registering_devices_from_one_address_is_limited() {
    let server = Server::start_with(
        aduan_e2e::Storage::fresh(),
        &["--registrations-per-hour", "3"],
    );
    for i in 0..3 {
        assert_eq!(register(&server, &format!("hp-{i}")).0, 200);
    }
    let (status, body) = register(&server, "hp-3");
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("quota_exceeded"), "{body}");
    // The phone says so in its own words.
    let dir = tempfile::tempdir().unwrap();
    let store =
        aduan_core::api::ffi::AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    let e = store.continue_anonymously(server.url.clone()).unwrap_err();
    assert!(format!("{e:?}").contains("quota_exceeded"), "{e:?}");
    // Signing in to an account is not a registration.
    Phone::login(&server, "petugas").sync_ok();
}

#[test]
fn one_account_cannot_file_more_complaints_than_a_day_allows() {
    let server = Server::start_with(aduan_e2e::Storage::fresh(), &["--complaints-per-day", "2"]);
    let warga = Phone::login(&server, "warga");
    for i in 0..3 {
        warga
            .create_complaint(draft(&format!("Selokan {i}"), "pu.drainase"))
            .unwrap();
    }
    warga.sync_ok();
    let refused = warga.refused_work().unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].reason.contains("batas harian"), "{refused:?}");
    let admin = Phone::login(&server, "admin-nasional");
    admin.sync_ok();
    assert_eq!(admin.all().len(), 2);
}

#[test]
fn one_account_cannot_upload_more_photo_bytes_than_a_day_allows() {
    let server = Server::start_with(
        aduan_e2e::Storage::fresh(),
        &["--photo-bytes-per-day", "20000"],
    );
    let token = Phone::login(&server, "warga").session().access_token;
    let first = aduan_e2e::jpeg(64, 48, 1);
    assert!(first.len() < 10_000);
    let name = aduan_core::photo::sha256_hex(&first);
    assert_eq!(
        put_photo(&server, &token, &name, first.len(), 0, &first).status(),
        201
    );
    // Garbage uploads count as much as photos: they took the disk too.
    let junk = vec![7u8; 30_000];
    let name = aduan_core::photo::sha256_hex(&junk);
    let r = put_photo(&server, &token, &name, junk.len(), 0, &junk);
    assert_eq!(r.status(), 429);
    assert!(r.text().unwrap().contains("quota_exceeded"));
    assert_eq!(
        head_offset(&server, &token, &name),
        "0",
        "nothing of it stored"
    );
}

#[test]
fn another_device_cannot_append_to_or_complete_someone_elses_partial_upload() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga").session().access_token;
    let other = Phone::anonymous(&server).session().access_token;
    let bytes = aduan_e2e::jpeg(300, 200, 3);
    let name = aduan_core::photo::sha256_hex(&bytes);
    let half = bytes.len() / 2;
    assert_eq!(
        put_photo(&server, &warga, &name, bytes.len(), 0, &bytes[..half]).status(),
        200
    );
    // The other device sees none of it and cannot finish it with its own bytes.
    assert_eq!(head_offset(&server, &other, &name), "0");
    let r = put_photo(&server, &other, &name, bytes.len(), half, &[0u8; 10]);
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["upload-offset"], "0");
    assert_eq!(head_offset(&server, &warga, &name), half.to_string());
    assert_eq!(
        put_photo(&server, &warga, &name, bytes.len(), half, &bytes[half..]).status(),
        201
    );
}

#[test]
fn a_nearly_full_disk_refuses_new_writes_and_keeps_what_is_stored() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let first = warga
        .create_complaint(draft("Selokan tersumbat", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    warga.sync_ok();
    let storage = server.kill();
    // More free bytes asked for than any disk has.
    let full = Server::start_with(storage, &["--min-free-bytes", "18000000000000000000"]);
    warga.point_at(&full.url);
    let second = warga
        .create_complaint(draft("Sampah menumpuk", "pu.drainase"))
        .unwrap()
        .summary
        .id;
    let e = warga.sync(None).unwrap_err();
    assert!(format!("{e:?}").contains("server_storage_full"), "{e:?}");
    let (status, body) = register(&full, "hp-baru");
    assert_eq!(status, 507, "{body}");
    assert!(body.contains("server_storage_full"), "{body}");
    let bytes = aduan_e2e::jpeg(64, 48, 2);
    let token = warga.session().access_token;
    let r = put_photo(
        &full,
        &token,
        &aduan_core::photo::sha256_hex(&bytes),
        bytes.len(),
        0,
        &bytes,
    );
    assert_eq!(r.status(), 507);
    // Reading still works, and what was stored is whole.
    let admin = Phone::login(&full, "admin-nasional");
    admin.sync_ok();
    assert_eq!(admin.all().len(), 1);
    assert!(admin.get(first.clone()).is_ok());
    // Room again: the phone's work arrives.
    let server = Server::start_in(full.kill());
    warga.point_at(&server.url);
    admin.point_at(&server.url);
    warga.sync_ok();
    admin.sync_ok();
    assert!(admin.get(second).is_ok());
    assert!(admin.get(first).is_ok());
    drop(server);
}

#[test]
fn unfinished_uploads_and_photos_no_complaint_shows_are_swept() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let token = warga.session().access_token;
    // A photo the complaint shows, one nobody shows, and one never finished.
    let shown = warga
        .import_photo(aduan_e2e::jpeg(320, 240, 4))
        .unwrap()
        .photo;
    warga
        .create_complaint(aduan_core::api::records::ComplaintDraft {
            photos: vec![shown.sha256.clone()],
            ..draft("Selokan", "pu.drainase")
        })
        .unwrap();
    warga.sync_ok();
    let orphan = aduan_e2e::jpeg(64, 48, 5);
    let orphan_name = aduan_core::photo::sha256_hex(&orphan);
    assert_eq!(
        put_photo(&server, &token, &orphan_name, orphan.len(), 0, &orphan).status(),
        201
    );
    let cut = aduan_e2e::jpeg(300, 200, 6);
    let cut_name = aduan_core::photo::sha256_hex(&cut);
    assert_eq!(
        put_photo(&server, &token, &cut_name, cut.len(), 0, &cut[..100]).status(),
        200
    );
    let get = |name: &str| {
        reqwest::blocking::Client::new()
            .get(format!("{}/v1/photos/{name}", server.url))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(get(&orphan_name), 200);
    // Young enough: a sweep with the default ages keeps everything.
    server.manage(&["sweep"]);
    assert_eq!(get(&orphan_name), 200);
    assert_eq!(head_offset(&server, &token, &cut_name), "100");
    // Arrival times are kept to the second.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    server.manage(&[
        "sweep",
        "--unfinished-upload-secs",
        "1",
        "--unreferenced-photo-secs",
        "1",
    ]);
    assert_eq!(get(&orphan_name), 404);
    assert_eq!(head_offset(&server, &token, &cut_name), "0");
    assert_eq!(get(&shown.sha256), 200);
    assert_eq!(get(&shown.thumb_sha256), 200);
}
