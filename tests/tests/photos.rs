//! Photos cross the server apart from the documents: resumable, verified, and only to people
//! who may see a complaint that shows them.

use aduan_core::api::records::*;
use aduan_e2e::{draft, jpeg, Phone, Server};

fn sha(bytes: &[u8]) -> String {
    aduan_core::photo::sha256_hex(bytes)
}

#[test]
fn a_reports_photo_reaches_the_handlers_thumbnail_first_and_nobody_else() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let nasional = Phone::login(&server, "admin-nasional");
    let samarinda = Phone::login(&server, "admin-samarinda");
    let photo = warga.import_photo(jpeg(2400, 1800, 0)).unwrap().photo;
    let id = warga
        .create_complaint(ComplaintDraft {
            photos: vec![photo.sha256.clone()],
            ..draft("Selokan", "pu.drainase")
        })
        .unwrap()
        .summary
        .id;
    assert_eq!(warga.sync_status().unwrap().pending_photos, 1);
    let report = warga.sync_ok();
    assert_eq!(report.photos_sent, 2, "thumbnail and full size");
    assert_eq!(warga.sync_status().unwrap().pending_photos, 0);

    let report = nasional.sync_ok();
    assert_eq!(
        report.photos_received, 1,
        "the thumbnail comes with the sync"
    );
    let d = nasional.get(id.clone()).unwrap();
    assert_eq!(d.photos.len(), 1);
    assert!(
        !d.photos[0].available,
        "the full size waits until asked for"
    );
    assert!(nasional
        .photo(photo.thumb_sha256.clone())
        .unwrap()
        .is_some());
    let full = nasional.fetch_photo(photo.sha256.clone()).unwrap().unwrap();
    assert_eq!(sha(&full), photo.sha256);
    assert!(nasional.get(id).unwrap().photos[0].available);

    // Knowing the hash is not enough.
    samarinda.sync_ok();
    assert!(samarinda
        .fetch_photo(photo.sha256.clone())
        .unwrap()
        .is_none());
    let http = reqwest::blocking::Client::new();
    let r = http
        .get(format!("{}/v1/photos/{}", server.url, photo.sha256))
        .bearer_auth(samarinda.session().access_token)
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[test]
fn a_cut_upload_resumes_where_it_stopped() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let bytes = jpeg(300, 200, 0);
    let name = sha(&bytes);
    let http = reqwest::blocking::Client::new();
    let token = warga.session().access_token;
    let put = |offset: usize, chunk: &[u8]| {
        http.put(format!("{}/v1/photos/{name}", server.url))
            .bearer_auth(&token)
            .header("upload-offset", offset)
            .header("upload-length", bytes.len())
            .body(chunk.to_vec())
            .send()
            .unwrap()
    };
    let half = bytes.len() / 2;
    assert_eq!(put(0, &bytes[..half]).status(), 200);
    // The connection drops; the phone asks where to resume.
    let head = http
        .head(format!("{}/v1/photos/{name}", server.url))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(
        head.headers()["upload-offset"].to_str().unwrap(),
        half.to_string()
    );
    // A stale retry of an old chunk is answered with the right offset, not stored twice.
    let stale = put(0, &bytes[..10]);
    assert_eq!(stale.status(), 409);
    assert_eq!(
        stale.headers()["upload-offset"].to_str().unwrap(),
        half.to_string()
    );
    assert_eq!(put(half, &bytes[half..]).status(), 201);
}

#[test]
fn forged_and_hostile_photos_are_refused() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let http = reqwest::blocking::Client::new();
    let token = warga.session().access_token;
    let send = |name: &str, body: &[u8]| {
        http.put(format!("{}/v1/photos/{name}", server.url))
            .bearer_auth(&token)
            .header("upload-offset", 0)
            .header("upload-length", body.len())
            .body(body.to_vec())
            .send()
            .unwrap()
    };
    let bytes = jpeg(100, 100, 0);
    let wrong_name = sha(b"something else");
    let r = send(&wrong_name, &bytes);
    assert_eq!(r.status(), 422);
    let text = b"not an image at all".to_vec();
    assert_eq!(send(&sha(&text), &text).status(), 422);
    assert_eq!(send("../../etc/passwd", &text).status(), 404, "not a route");
    assert_eq!(send("ABC", &text).status(), 400);
}
