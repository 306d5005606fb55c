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

/// Adds a photo reference to `who`'s own report by hand, as a tampered client would, and
/// uploads just that change.
fn reference_in_own_report(server: &Server, who: &Phone, complaint: &str, photo: &PhotoView) {
    use aduan_core::model::{self, report, DocKind};
    let doc_id = model::doc_id(complaint, DocKind::Report);
    let bytes = who.with_store(|s| s.doc_bytes(&doc_id)).unwrap().unwrap();
    let mut doc = automerge::AutoCommit::load(&bytes).unwrap();
    report::add_photo(
        &mut doc,
        &report::PhotoRef {
            sha256: photo.sha256.clone(),
            thumb_sha256: photo.thumb_sha256.clone(),
            width: 640,
            height: 480,
            bytes: 1000,
            added_at: 1_795_000_000_000,
        },
    )
    .unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let resp =
        aduan_e2e::upload_raw(server, &who.session().access_token, doc_id, vec![change]).unwrap();
    assert!(resp.refused.is_empty(), "{:?}", resp.refused);
}

/// Siti's confidential report with one photo, synced with its full-size bytes.
fn confidential_report_with_photo(server: &Server, seed: u8) -> (Phone, PhotoView) {
    let warga = Phone::login(server, "warga");
    let photo = warga.import_photo(jpeg(640, 480, seed)).unwrap().photo;
    warga
        .create_complaint(ComplaintDraft {
            confidential: true,
            photos: vec![photo.sha256.clone()],
            ..draft("Rahasia", "pu.drainase")
        })
        .unwrap();
    warga.set_upload_full_photos(true);
    warga.sync_ok();
    (warga, photo)
}

#[test]
fn a_photo_hash_written_into_ones_own_report_opens_nothing() {
    let server = Server::start();
    let (warga, photo) = confidential_report_with_photo(&server, 3);
    let http = reqwest::blocking::Client::new();
    // Hashes are not secret (a moved officer, an old backup): the attacker writes them into a
    // report of their own, and into an officer's follow-up.
    for attacker in [
        Phone::anonymous(&server),
        Phone::login(&server, "admin-samarinda"),
    ] {
        let own = attacker
            .create_complaint(draft("Laporan saya", "pu.drainase"))
            .unwrap()
            .summary
            .id;
        attacker.sync_ok();
        reference_in_own_report(&server, &attacker, &own, &photo);
        let token = attacker.session().access_token;
        for sha in [&photo.sha256, &photo.thumb_sha256] {
            let r = http
                .get(format!("{}/v1/photos/{sha}", server.url))
                .bearer_auth(&token)
                .send()
                .unwrap();
            assert_eq!(
                r.status(),
                404,
                "a reference grants only the writer's own bytes"
            );
            let head = http
                .head(format!("{}/v1/photos/{sha}", server.url))
                .bearer_auth(&token)
                .send()
                .unwrap();
            assert_eq!(
                (
                    head.status().as_u16(),
                    head.headers()["upload-offset"].to_str().unwrap(),
                    head.headers()["upload-complete"].to_str().unwrap()
                ),
                (200, "0", "0"),
                "HEAD answers as for an unknown photo"
            );
        }
        // And the attacker's own phone, syncing, fetches nothing either.
        attacker.sync_ok();
        assert!(attacker
            .fetch_photo(photo.sha256.clone())
            .unwrap()
            .is_none());
    }
    // The reporter's own photo still reaches whoever may see the complaint.
    let nasional = Phone::login(&server, "admin-nasional");
    nasional.sync_ok();
    assert_eq!(
        sha(&nasional.fetch_photo(photo.sha256.clone()).unwrap().unwrap()),
        photo.sha256
    );
    let head = http
        .head(format!("{}/v1/photos/{}", server.url, photo.sha256))
        .bearer_auth(warga.session().access_token)
        .send()
        .unwrap();
    assert_eq!(
        head.headers()["upload-complete"],
        "1",
        "the uploader sees it is there"
    );
}

/// `jpeg` with one more segment right after the start-of-image marker.
fn with_segment(jpeg: &[u8], marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn a_tampered_client_cannot_store_a_photo_carrying_gps_or_other_metadata() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let http = reqwest::blocking::Client::new();
    let token = warga.session().access_token;
    let send = |body: &[u8]| {
        http.put(format!("{}/v1/photos/{}", server.url, sha(body)))
            .bearer_auth(&token)
            .header("upload-offset", 0)
            .header("upload-length", body.len())
            .body(body.to_vec())
            .send()
            .unwrap()
    };
    let clean = jpeg(120, 90, 5);
    // An EXIF block with a GPS position (TIFF header, IFD0 pointing at a GPS IFD).
    let mut exif =
        b"Exif\0\0II*\0\x08\0\0\0\x01\0\x25\x88\x04\0\x01\0\0\0\x1a\0\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"\x01\0\x01\0\x02\0\x02\0\0\0S\0\0\0\0\0\0\0");
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>5,8.1S</exif:GPSLatitude></x:xmpmeta>";
    let mut thumbnail_in_jfif = b"JFIF\0\x01\x01\0\0\x01\0\x01\x01\x01".to_vec();
    thumbnail_in_jfif.extend_from_slice(&[0x80; 3]);
    let mut trailing = clean.clone();
    trailing.extend_from_slice(b"PK\x03\x04 a zip after the image");
    for (what, body) in [
        ("EXIF with GPS", with_segment(&clean, 0xE1, &exif)),
        ("XMP", with_segment(&clean, 0xE1, xmp)),
        (
            "ICC profile",
            with_segment(&clean, 0xE2, b"ICC_PROFILE\0\x01\x01abc"),
        ),
        (
            "a maker's APP segment",
            with_segment(&clean, 0xEC, b"Ducky\0\x01"),
        ),
        (
            "a comment",
            with_segment(&clean, 0xFE, b"Jl. Mangasa 12, rumah Siti"),
        ),
        ("a JFIF thumbnail", {
            // Core's JPEGs open with a plain JFIF header; swap in one that carries pixels.
            let mut b = clean[..2].to_vec();
            let app0_len = u16::from_be_bytes([clean[4], clean[5]]) as usize;
            b.extend_from_slice(&[0xFF, 0xE0]);
            b.extend_from_slice(&((thumbnail_in_jfif.len() + 2) as u16).to_be_bytes());
            b.extend_from_slice(&thumbnail_in_jfif);
            b.extend_from_slice(&clean[4 + app0_len..]);
            b
        }),
        ("bytes after the image", trailing),
    ] {
        let r = send(&body);
        assert_eq!(r.status(), 422, "{what}");
        let json: serde_json::Value = r.json().unwrap();
        assert_eq!(json["code"], "photo_has_metadata", "{what}: {json}");
        assert!(!json["message_en"].as_str().unwrap().is_empty());
        assert!(!json["message_id"].as_str().unwrap().is_empty());
    }
    // What core's pipeline makes passes, and comes back as a JPEG browsers must not sniff.
    let processed = warga.import_photo(jpeg(800, 600, 6)).unwrap().photo;
    let bytes = warga.photo(processed.sha256.clone()).unwrap().unwrap();
    assert_eq!(send(&bytes).status(), 201);
    let got = http
        .get(format!("{}/v1/photos/{}", server.url, processed.sha256))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    assert_eq!(got.headers()["x-content-type-options"], "nosniff");
    assert_eq!(sha(&got.bytes().unwrap()), processed.sha256);
}

#[test]
fn sending_a_known_hash_answers_as_for_an_unknown_photo() {
    let server = Server::start();
    let (_warga, photo) = confidential_report_with_photo(&server, 5);
    let attacker = Phone::anonymous(&server);
    let http = reqwest::blocking::Client::new();
    let put = |sha: &str| {
        let r = http
            .put(format!("{}/v1/photos/{sha}", server.url))
            .bearer_auth(attacker.session().access_token)
            .header("upload-offset", "0")
            .header("upload-length", "5000")
            .body(vec![7u8; 10])
            .send()
            .unwrap();
        (
            r.status().as_u16(),
            r.headers()["upload-offset"].to_str().unwrap().to_string(),
            r.headers()["upload-complete"].to_str().unwrap().to_string(),
        )
    };
    let unknown = sha(b"a photo nobody has");
    assert_eq!(put(&unknown), (200, "10".into(), "0".into()));
    assert_eq!(
        put(&photo.sha256),
        (200, "10".into(), "0".into()),
        "a stored photo is taken chunk by chunk like an unknown one"
    );
}

#[test]
fn a_second_account_sending_the_same_bytes_is_one_of_its_uploaders() {
    let server = Server::start();
    // The same picture, forwarded to two neighbours, each reporting it.
    let (siti, budi) = (Phone::login(&server, "warga"), Phone::anonymous(&server));
    let mut shas = Vec::new();
    for phone in [&siti, &budi] {
        let photo = phone.import_photo(jpeg(640, 480, 6)).unwrap().photo;
        phone
            .create_complaint(ComplaintDraft {
                photos: vec![photo.sha256.clone()],
                ..draft("Sampah menumpuk", "lingkungan.sampah")
            })
            .unwrap();
        phone.set_upload_full_photos(true);
        phone.sync_ok();
        shas.push(photo.sha256);
    }
    assert_eq!(shas[0], shas[1], "the same bytes make the same photo");
    let r = reqwest::blocking::Client::new()
        .get(format!("{}/v1/photos/{}", server.url, shas[1]))
        .bearer_auth(budi.session().access_token)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "the second sender may read what they sent");
    assert_eq!(sha(&r.bytes().unwrap()), shas[1]);
}
