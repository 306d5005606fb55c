//! Where the protocol's frozen dictionary comes from: its content (vocabulary, words and names
//! in `core/src/sync/`, then a template of typical sync messages) and its entropy tables, and
//! what the vocabulary earns on complaints it was not written from.
//!
//! The template is a set of typical messages (a citizen filing, one filing with a photo, a desk's
//! dispatch, the answers), uncompressed, so that a new message finds its structure (document
//! keys, Automerge column layout, postcard framing) in the dictionary and pays only for what
//! differs. The tables are Zstandard's (Huffman for literals, FSE for sequences), fitted to a
//! few hundred typical messages compressed with that content, so a small message carries none
//! of its own. Both files are frozen with the protocol version (`core/src/sync/protocol.rs` pins
//! the dictionary's hash); this test regenerates one only when a new version is being made (the
//! samples' ids are random, so each fit differs a little):
//!
//! ```sh
//! ADUAN_WRITE_TEMPLATE=core/src/sync/dictionary-template.bin cargo test -p aduan-core --test sync_dictionary
//! ADUAN_WRITE_TABLES=core/src/sync/dictionary-tables-v6.bin cargo test -p aduan-core --test sync_dictionary
//! ```
//!
//! Neither the template's complaints nor the fitting samples are the benchmark's (other places,
//! other words).

mod common;

use aduan_core::api::records::{ComplaintDraft, WorkflowAction};
use aduan_core::sync::protocol::{self, DocDownload, SyncRequest, SyncResponse};
use aduan_core::types::{Location, ReportKind, Role};
use common::*;

fn draft(title: &str, description: &str, photos: Vec<String>) -> ComplaintDraft {
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: "pu.jalan".into(),
        title: title.into(),
        description: description.into(),
        location: Location {
            latitude: Some(-6.9147),
            longitude: Some(107.6098),
            accuracy_m: Some(8.0),
            address: "Jl. Merdeka No. 12, RT 03 RW 05".into(),
            province: "Jawa Barat".into(),
            city: "Kota Bandung".into(),
            kecamatan: "Sumur Bandung".into(),
            kelurahan: "Babakan Ciamis".into(),
            area: String::new(),
        },
        anonymous: false,
        confidential: false,
        photos,
        channel: None,
    }
}

fn request(phone: &common::Phone) -> SyncRequest {
    let uploads = phone
        .with_store(|s| s.outgoing(usize::MAX))
        .unwrap()
        .into_iter()
        .map(|o| o.upload)
        .collect();
    SyncRequest {
        version: protocol::VERSION,
        cursor: 0,
        uploads,
        resync: vec![],
        max_response_bytes: 4 << 20,
        ack: 0,
        notices_after: 0,
    }
}

fn answer(accepted: Vec<u32>, downloads: Vec<DocDownload>, cursor: u64) -> SyncResponse {
    SyncResponse {
        version: protocol::VERSION,
        cursor,
        more: false,
        accepted,
        refused: vec![],
        downloads,
        revoked: vec![],
        owned: vec![],
        round: 0,
        notices: vec![],
    }
}

/// Typical messages, least likely first: DEFLATE codes nearer matches in fewer bits.
fn template() -> Vec<u8> {
    let now = wib(2026, 3, 2, 9);
    let citizen = phone(common::citizen(), now);
    let photo = citizen.import_photo(jpeg(640, 480)).unwrap().photo;
    let with_photo = citizen
        .create_complaint(draft(
            "Trotoar ambles di depan puskesmas",
            "Trotoar di depan puskesmas ambles dan paving lepas, pejalan kaki harus turun ke jalan raya.",
            vec![photo.sha256],
        ))
        .unwrap();
    let with_photo_request = request(&citizen);
    let neighbour = phone(common::citizen(), now + 60_000);
    let plain = neighbour
        .create_complaint(draft(
            "Jalan berlubang dekat pasar",
            "Lubang besar di tengah jalan dekat pasar tradisional, sudah ada pengendara motor yang jatuh.",
            vec![],
        ))
        .unwrap();
    let plain_request = request(&neighbour);

    let desk = phone(national_admin(), now + 3_600_000);
    push(&citizen, &desk);
    push(&neighbour, &desk);
    act(
        &desk,
        &plain.summary.id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "Diteruskan ke pemerintah kota untuk ditindaklanjuti.",
    );
    let dispatch_request = request(&desk);
    let downloads = downloads(
        &desk,
        |id| id.starts_with(&with_photo.summary.id) || id.starts_with(&plain.summary.id),
        [7u8; 32],
    );

    let mut out = Vec::new();
    out.extend(postcard(&answer(vec![], downloads, 120)));
    out.extend(postcard(&dispatch_request));
    out.extend(postcard(&with_photo_request));
    out.extend(postcard(&answer(
        (0..plain_request.uploads.len() as u32).collect(),
        vec![],
        42,
    )));
    out.extend(postcard(&plain_request));
    out
}

/// The phone's documents whose ids `keep` accepts, whole, as a server sends them.
fn downloads(
    phone: &common::Phone,
    mut keep: impl FnMut(&str) -> bool,
    heads: protocol::Hash,
) -> Vec<DocDownload> {
    phone
        .with_store(|s| {
            let mut out = Vec::new();
            for id in s.doc_ids()? {
                if keep(&id) {
                    out.push(DocDownload {
                        data: s.doc_bytes(&id)?.unwrap_or_default(),
                        doc_id: id,
                        heads: vec![heads],
                    });
                }
            }
            Ok(out)
        })
        .unwrap()
}

fn postcard<T: serde::Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).unwrap()
}

/// Writes `bytes` to the file `var` names (relative to the workspace), if it is set.
fn write_if_asked(var: &str, bytes: &[u8]) {
    if let Ok(path) = std::env::var(var) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path);
        std::fs::write(&path, bytes).unwrap();
        eprintln!("wrote {} bytes to {}", bytes.len(), path.display());
    }
}

#[test]
fn dictionary_template_can_be_regenerated() {
    let t = template();
    assert!(
        t.len() < protocol::MAX_CONTENT_BYTES,
        "{} bytes: more than the content may hold",
        t.len()
    );
    write_if_asked("ADUAN_WRITE_TEMPLATE", &t);
}

/// Sentences of the fitting samples: everyday complaints, none of them the benchmark's.
const SENTENCES: [&str; 24] = [
    "Gorong-gorong di ujung gang tertutup pasir dan daun kering.",
    "Setiap sore air menggenang setinggi mata kaki di depan toko kelontong.",
    "Truk sampah hanya lewat seminggu sekali padahal tumpukan sudah menggunung.",
    "Warga terpaksa membakar sampah sendiri sehingga asapnya masuk ke rumah.",
    "Tiang listrik miring setelah ditabrak mobil bak terbuka minggu lalu.",
    "Kabel menjuntai rendah di atas jalan dan berbahaya bagi pengendara.",
    "Air PDAM keruh dan berbau kaporit sejak tiga hari terakhir.",
    "Meteran air berputar terus walaupun semua keran sudah ditutup.",
    "Aspal mengelupas sepanjang kurang lebih dua ratus meter.",
    "Marka jalan dan rambu penunjuk arah sudah tidak terlihat lagi.",
    "Anak sekolah harus menyeberang sungai karena jembatan gantung putus.",
    "Papan lantai jembatan banyak yang berlubang dan paku mencuat.",
    "Pedagang kaki lima memenuhi trotoar sehingga pejalan kaki turun ke badan jalan.",
    "Parkir liar di depan rumah sakit menghalangi ambulans yang keluar masuk.",
    "Antrean di puskesmas sangat panjang dan dokter datang terlambat.",
    "Obat yang diresepkan sering kosong sehingga pasien disuruh membeli di luar.",
    "Limbah cair dari rumah potong hewan dibuang langsung ke kanal.",
    "Asap pabrik pada malam hari membuat warga sesak napas.",
    "Bantuan sosial untuk lansia di RT kami belum cair sejak tiga bulan.",
    "Pengurusan akta kelahiran dipungut biaya padahal seharusnya gratis.",
    "Lampu lalu lintas di perempatan mati dan sering terjadi kecelakaan kecil.",
    "Pohon peneduh di taman kota rantingnya rapuh dan sering patah.",
    "Mohon petugas segera meninjau lokasi dan memberi kabar kepada warga.",
    "Kami sudah melapor ke kelurahan tetapi belum ada tindak lanjut.",
];

const TITLES: [&str; 8] = [
    "Genangan air di depan toko",
    "Sampah tidak diangkut",
    "Tiang listrik miring",
    "Air PDAM keruh",
    "Aspal mengelupas",
    "Jembatan gantung putus",
    "Parkir liar depan rumah sakit",
    "Bantuan lansia belum cair",
];

const CATEGORIES: [&str; 8] = [
    "pu.drainase",
    "lingkungan.sampah",
    "pu.penerangan-jalan",
    "pu.air-bersih",
    "pu.jalan",
    "pu.jembatan",
    "ketertiban.parkir-liar",
    "sosial.lansia",
];

/// Province, city, kecamatan, kelurahan, street.
const PLACES: [(&str, &str, &str, &str, &str); 6] = [
    (
        "Sulawesi Selatan",
        "Kota Makassar",
        "Panakkukang",
        "Pandang",
        "Jl. Pettarani",
    ),
    (
        "Sulawesi Selatan",
        "Kota Makassar",
        "Rappocini",
        "Gunung Sari",
        "Jl. Hertasning",
    ),
    (
        "Jawa Timur",
        "Kota Surabaya",
        "Wonokromo",
        "Darmo",
        "Jl. Raya Darmo",
    ),
    (
        "Kalimantan Timur",
        "Kota Samarinda",
        "Sungai Kunjang",
        "Karang Asam",
        "Jl. Slamet Riyadi",
    ),
    (
        "Sumatera Utara",
        "Kota Medan",
        "Medan Baru",
        "Petisah Hulu",
        "Jl. Gatot Subroto",
    ),
    (
        "DKI Jakarta",
        "Kota Jakarta Timur",
        "Jatinegara",
        "Cipinang",
        "Jl. Bekasi Timur",
    ),
];

/// A small deterministic generator: the same choices on every run (only the ids differ).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn sample_draft(dice: &mut Dice, i: usize, photos: Vec<String>) -> ComplaintDraft {
    let (province, city, kecamatan, kelurahan, street) = PLACES[dice.roll(PLACES.len())];
    let sentences = 1 + dice.roll(4);
    let description = (0..sentences)
        .map(|_| SENTENCES[dice.roll(SENTENCES.len())])
        .collect::<Vec<_>>()
        .join(" ");
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: CATEGORIES[dice.roll(CATEGORIES.len())].into(),
        title: TITLES[dice.roll(TITLES.len())].into(),
        description,
        location: Location {
            latitude: Some(-7.0 + dice.roll(1000) as f64 / 97.0),
            longitude: Some(106.0 + dice.roll(1000) as f64 / 89.0),
            accuracy_m: Some(4.0 + dice.roll(30) as f64),
            address: format!("{street} No. {}", 1 + i % 120),
            province: province.into(),
            city: city.into(),
            kecamatan: kecamatan.into(),
            kelurahan: kelurahan.into(),
            area: String::new(),
        },
        anonymous: dice.roll(8) == 0,
        confidential: dice.roll(12) == 0,
        photos,
        channel: None,
    }
}

/// Typical messages, uncompressed: citizens filing complaints one at a time (some with a photo,
/// some anonymous or confidential), the answers, a desk's dispatches and downloads.
fn samples() -> Vec<Vec<u8>> {
    let mut dice = Dice(0x5eed_ad0a);
    let now = wib(2026, 5, 11, 8);
    let desk = phone(national_admin(), now + 86_400_000);
    let mut out = Vec::new();
    let mut filed = Vec::new();
    for p in 0..24 {
        let citizen = phone(
            common::identity(&format!("warga-{p}"), Role::Citizen, None, None),
            now + p as i64 * 600_000,
        );
        for c in 0..8 {
            let photos = if dice.roll(6) == 0 {
                vec![citizen.import_photo(jpeg(64, 48)).unwrap().photo.sha256]
            } else {
                vec![]
            };
            let detail = citizen
                .create_complaint(sample_draft(&mut dice, p * 8 + c, photos))
                .unwrap();
            let mut req = request(&citizen);
            req.uploads
                .retain(|u| u.doc_id.starts_with(&detail.summary.id));
            out.push(postcard(&answer(
                (0..req.uploads.len() as u32).collect(),
                vec![],
                (p * 8 + c) as u64,
            )));
            out.push(postcard(&req));
            filed.push(detail.summary.id);
        }
        push(&citizen, &desk);
    }
    for id in filed.iter().step_by(6) {
        act(
            &desk,
            id,
            WorkflowAction::Dispatch {
                institution_id: INSTITUTION.into(),
            },
            SENTENCES[dice.roll(SENTENCES.len())],
        );
        let mut req = request(&desk);
        req.uploads.retain(|u| u.doc_id.starts_with(id.as_str()));
        out.push(postcard(&req));
    }
    let mut seen = 0;
    let downloads = downloads(
        &desk,
        |_| {
            seen += 1;
            seen <= 40
        },
        [9u8; 32],
    );
    for chunk in downloads.chunks(4) {
        out.push(postcard(&answer(vec![], chunk.to_vec(), 500)));
    }
    out
}

/// Fits Zstandard's entropy tables to `samples` compressed with `content`; returns the
/// dictionary's head (magic, id, tables), which `protocol::dictionary` puts before the content.
fn fit_tables(content: &[u8], samples: &[Vec<u8>]) -> Vec<u8> {
    let joined: Vec<u8> = samples.concat();
    let sizes: Vec<usize> = samples.iter().map(Vec::len).collect();
    let mut out = vec![0u8; content.len() + 64 * 1024];
    let params = zstd_sys::ZDICT_params_t {
        compressionLevel: 19,
        notificationLevel: 0,
        // "ADU" and the version: never written into a frame (the version byte names the
        // dictionary).
        dictID: u32::from_be_bytes(*b"ADU0") + protocol::VERSION,
    };
    // SAFETY: every pointer and length comes from a live slice of that length, `out` has room
    // for the content and the tables, and the result is checked before `out` is read.
    let written = unsafe {
        zstd_sys::ZDICT_finalizeDictionary(
            out.as_mut_ptr().cast(),
            out.len(),
            content.as_ptr().cast(),
            content.len(),
            joined.as_ptr().cast(),
            sizes.as_ptr(),
            sizes.len() as u32,
            params,
        )
    };
    // SAFETY: a pure function of the number returned.
    assert_eq!(
        unsafe { zstd_sys::ZDICT_isError(written) },
        0,
        "fitting failed"
    );
    out.truncate(written);
    assert!(
        out.ends_with(content),
        "the fitted dictionary must keep the content whole, at its end"
    );
    out.truncate(written - content.len());
    out
}

fn compressed_total(dictionary: &[u8], samples: &[Vec<u8>]) -> usize {
    let mut c = zstd::bulk::Compressor::with_dictionary(19, dictionary).unwrap();
    samples.iter().map(|s| c.compress(s).unwrap().len()).sum()
}

#[test]
fn dictionary_tables_can_be_refitted_and_pay_for_themselves() {
    let samples = samples();
    let content = protocol::content();
    let tables = fit_tables(content, &samples);
    write_if_asked("ADUAN_WRITE_TABLES", &tables);
    let frozen = protocol::dictionary();
    assert!(
        frozen.ends_with(content),
        "the dictionary is its tables, then its content"
    );
    let with_tables = compressed_total(frozen, &samples);
    let content_only = compressed_total(content, &samples);
    eprintln!(
        "{} samples: {with_tables} bytes with the frozen tables, {content_only} with the content alone",
        samples.len()
    );
    assert!(
        with_tables * 100 < content_only * 95,
        "the frozen tables should save at least 5 %: {with_tables} vs {content_only}"
    );
}

/// Complaints written apart from the vocabulary, the samples and the benchmark: how a
/// reporter might put other troubles in their own words.
const UNSEEN: [(&str, &str); 8] = [
    ("Sampah di pinggir kali", "Sudah sebulan ini sampah di pinggir kali dekat rumah kami tidak pernah diangkut, baunya sampai ke dalam rumah dan banyak nyamuk. Anak saya dua kali kena demam. Tolong dikirim truk sampah secepatnya."),
    ("Lampu komplek mati", "Lampu jalan di komplek perumahan blok F mati semua sejak hujan angin minggu kemarin. Jalanan jadi gelap gulita dan sudah ada motor warga yang hilang dicuri malam hari."),
    ("Air PDAM tidak mengalir", "Air PDAM di rumah kami tidak mengalir sama sekali sejak hari Senin, padahal tagihan bulan ini tetap naik. Kami terpaksa membeli air galon untuk masak dan mandi."),
    ("Jalan ke pasar rusak", "Jalan menuju pasar rusak berat, lubangnya banyak dan dalam. Kalau hujan tergenang dan tidak kelihatan, kemarin ada ibu yang jatuh dari motor bersama anaknya."),
    ("Pohon keropos depan SD", "Ada pohon mangga tua di pinggir jalan depan SD yang batangnya sudah keropos dan miring ke jalan. Kami takut roboh saat anak-anak pulang sekolah."),
    ("Pungutan surat pengantar", "Petugas di kantor kelurahan meminta uang lima puluh ribu untuk surat pengantar, katanya supaya cepat. Padahal tidak ada tarif resminya."),
    ("Gorong-gorong ambles", "Gorong-gorong di bawah jalan masuk kompleks ambles dan tanahnya longsor ke dalam selokan, sekarang jalan tinggal separuh dan mobil tidak bisa lewat."),
    ("Air masuk rumah RT 04", "Tiap kali hujan deras air setinggi lutut masuk ke rumah-rumah di RT 04, karena saluran pembuangan ke sungai tertutup bangunan ruko yang baru."),
];

/// The vocabulary earns its place on complaints nobody fitted it to: each is filed on its own
/// phone and its request compressed with the frozen dictionary, and with one made the same way
/// but without the vocabulary.
#[test]
fn the_vocabulary_shrinks_complaints_it_was_not_written_from() {
    let vocabulary = include_bytes!("../src/sync/dictionary-vocabulary.txt");
    let content = protocol::content();
    assert!(
        content.starts_with(vocabulary),
        "the content opens with the vocabulary"
    );
    let requests: Vec<Vec<u8>> = UNSEEN
        .iter()
        .enumerate()
        .map(|(i, (title, description))| {
            let citizen = phone(common::citizen(), wib(2026, 7, 1 + i as u8, 10));
            citizen
                .create_complaint(draft(title, description, vec![]))
                .unwrap();
            postcard(&request(&citizen))
        })
        .collect();
    let samples = samples();
    let rest = &content[vocabulary.len()..];
    let without = [fit_tables(rest, &samples), rest.to_vec()].concat();
    let with_vocabulary = compressed_total(protocol::dictionary(), &requests);
    let without_vocabulary = compressed_total(&without, &requests);
    eprintln!(
        "{} unseen complaints: {with_vocabulary} bytes with the vocabulary, {without_vocabulary} without",
        requests.len()
    );
    assert!(
        with_vocabulary * 100 < without_vocabulary * 96,
        "the vocabulary should save at least 4 %: {with_vocabulary} vs {without_vocabulary}"
    );
}
