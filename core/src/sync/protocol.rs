//! The sync protocol, version 3: one request carries everything a phone changed in any number of
//! complaints and a cursor into the server's change sequence; one response carries everything
//! new that this user may see, what was accepted or refused, and what the phone must forget.
//! Messages are postcard-encoded (varints, raw bytes, no field names), compressed with raw
//! DEFLATE primed with a fixed dictionary (see [`dictionary`]), and prefixed with one byte
//! naming the version. Every decode is bounded: sizes are checked before and counts after
//! decoding, and no input panics.
//!
//! Earlier versions are recognised and refused as themselves: version 1 was gzip (first byte
//! 0x1f), version 2 raw DEFLATE with no version byte (its first byte is a DEFLATE block header,
//! never of the reserved block type that [`version_byte`] uses).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::model::event::valid_id;
use crate::model::parse_doc_id;

pub const VERSION: u32 = 3;

/// Common words of Indonesian complaints, the codes documents store and the keys of reports and
/// log events (the whole dictionary of version 2).
const WORDS: &str = concat!(
    // Common words of Indonesian complaints.
    "yang dengan untuk tidak sudah belum karena sehingga sejak selama setiap sekitar kepada ",
    "oleh dari pada ada akan masih juga agar atau bisa sangat mohon segera tolong terima kasih ",
    "bapak ibu warga masyarakat lingkungan rumah sekolah pasar kantor depan dekat samping ",
    "hari minggu bulan tahun pagi malam hujan musim banjir genangan air bersih saluran drainase ",
    "got selokan sampah limbah bau jalan rusak berlubang jembatan lampu mati listrik pipa bocor ",
    "macet pohon tumbang tersumbat menumpuk meluap ditangani diperbaiki dibersihkan petugas dinas ",
    // Places.
    "Provinsi Kabupaten Kota Kecamatan Kelurahan Desa Jalan Jl. No. RT RW ",
    // Codes stored in documents.
    "permintaan_informasi aspirasi pengaduan citizen cadre officer institution_admin national_admin ",
    "submitted dispatched assigned in_progress followed_up completed deferred archived merged ",
    "national_verification institution_verification awaiting_reporter ",
    "dispatch assign not_our_authority defer resume archive merge_into set_flags start_work ",
    "follow_up close reply reopen rate stars field_inspection target unit institution ",
    // Keys of the report and of log events.
    "\"lamport\":\"at\":\"by\":{\"reporter\":true,\"role\":\"account\":\"name\":",
    "\"action\":{\"type\":\"note\":\"photos\":[\"id\":\"",
    "direct_institution thumb width height bytes added_at reporter_role schema created_at ",
    "anonymous confidential category kind title description location accuracy_m address ",
    "latitude longitude province city kecamatan kelurahan photos ev:/report/log",
);

/// Names every complaint may carry wherever it is filed: the 38 provinces and the national
/// category codes of version 3 (new categories later simply cost their letters).
const NATIONAL: &str = concat!(
    "Aceh Sumatera Utara Sumatera Barat Riau Kepulauan Riau Jambi Sumatera Selatan ",
    "Kepulauan Bangka Belitung Bengkulu Lampung DKI Jakarta Jawa Barat Banten Jawa Tengah ",
    "DI Yogyakarta Jawa Timur Bali Nusa Tenggara Barat Nusa Tenggara Timur Kalimantan Barat ",
    "Kalimantan Tengah Kalimantan Selatan Kalimantan Timur Kalimantan Utara Sulawesi Utara ",
    "Gorontalo Sulawesi Tengah Sulawesi Barat Sulawesi Selatan Sulawesi Tenggara Maluku ",
    "Maluku Utara Papua Papua Barat Papua Barat Daya Papua Tengah Papua Pegunungan Papua Selatan ",
    "pu.drainase pu.banjir pu.jalan pu.jembatan pu.air-bersih pu.sanitasi pu.perumahan ",
    "pu.penerangan-jalan lingkungan.sampah lingkungan.pencemaran-air lingkungan.pencemaran-udara ",
    "lingkungan.kebisingan lingkungan.taman-pohon pendidikan.sekolah pendidikan.guru ",
    "pendidikan.ppdb pendidikan.beasiswa pendidikan.kebudayaan kesehatan.puskesmas ",
    "kesehatan.rumah-sakit kesehatan.jaminan kesehatan.wabah ketertiban.pkl ",
    "ketertiban.bangunan-liar ketertiban.parkir-liar ketertiban.keamanan ",
    "perhubungan.angkutan-umum perhubungan.lalu-lintas perhubungan.kemacetan perhubungan.parkir ",
    "damkar.kebakaran damkar.penyelamatan damkar.hidran sosial.bansos sosial.disabilitas ",
    "sosial.anak-terlantar sosial.lansia anggaran.dana-kelurahan anggaran.pengadaan ",
    "anggaran.pungli kependudukan.ktp kependudukan.kk kependudukan.akta bencana.longsor ",
    "bencana.angin bencana.pengungsian pelayanan.perizinan pelayanan.sikap-petugas ",
    "pelayanan.informasi lainnya.umum ",
);

/// Typical messages, uncompressed (a citizen filing with and without a photo, a desk's dispatch,
/// the answers), made once by `core/tests/sync_dictionary.rs`: a new message finds its whole
/// structure here (document keys, Automerge's column layout, postcard framing) and pays only
/// for what differs. Frozen like the rest: regenerating it makes a new version.
const TEMPLATE: &[u8] = include_bytes!("dictionary-v3.bin");

/// DEFLATE refers back at most 32 KiB, dictionary included.
pub const MAX_DICTIONARY_BYTES: usize = 32 * 1024;

/// The preset dictionary of protocol version 3: DEFLATE may refer back into it from the first
/// byte of a message. The most likely matches come last (shortest distances). Both sides must
/// hold exactly these bytes: `dictionary_is_frozen` pins their hash.
pub fn dictionary() -> &'static [u8] {
    static DICTIONARY: OnceLock<Vec<u8>> = OnceLock::new();
    DICTIONARY.get_or_init(|| [WORDS.as_bytes(), NATIONAL.as_bytes(), TEMPLATE].concat())
}

/// The first byte of a version 3 (or later) message: the version above a reserved DEFLATE
/// block type (binary 11 in bits 1-2), which no DEFLATE stream starts with.
pub const fn version_byte(version: u32) -> u8 {
    ((version as u8) << 3) | 0b110
}

/// A request body, decompressed.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_DOCS: usize = 5_000;
pub const MAX_CHANGES_PER_DOC: usize = 2_000;
pub const MAX_CHANGE_BYTES: usize = 512 * 1024;
pub const MAX_HEADS: usize = 64;

pub type Hash = [u8; 32];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub version: u32,
    /// The server sequence number up to which this device has everything it may see.
    pub cursor: u64,
    pub uploads: Vec<DocUpload>,
    /// Documents the device wants whole (its copy is damaged, or it lost its cursor).
    pub resync: Vec<String>,
    /// Upper bound of change bytes in the response (a weak link asks for less per round trip).
    pub max_response_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocUpload {
    pub doc_id: String,
    /// Raw Automerge changes (each `Change::raw_bytes`), in causal order.
    pub changes: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub version: u32,
    pub cursor: u64,
    /// More changes are waiting: sync again with the new cursor.
    pub more: bool,
    /// Positions in the request's `uploads` of the documents accepted whole (the phone knows
    /// their ids: naming them again would cost a round of random hex per complaint).
    pub accepted: Vec<u32>,
    pub refused: Vec<Refused>,
    pub downloads: Vec<DocDownload>,
    /// Complaints this user may no longer see: the phone purges them.
    pub revoked: Vec<String>,
    /// Complaints this user reported (so a reinstalled phone knows they are "mine").
    pub owned: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub doc_id: String,
    pub code: String,
    pub message_id: String,
    pub message_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocDownload {
    pub doc_id: String,
    /// Either the whole document (`Automerge::save`) or changes since what the device has;
    /// both load with `load_incremental`.
    pub data: Vec<u8>,
    /// The document's heads on the server after this download.
    pub heads: Vec<Hash>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("message too large: {0} bytes")]
    TooLarge(usize),
    #[error("message does not decode")]
    Malformed,
    #[error("unsupported protocol version {0}")]
    Version(u32),
    #[error("limit exceeded: {0}")]
    Limit(&'static str),
    #[error("invalid document id")]
    DocId,
}

/// A version 1 message: gzip's first byte, which no raw DEFLATE stream starts with (it would
/// be a final block of the reserved type 3).
const GZIP_MAGIC: u8 = 0x1f;

fn compress(bytes: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let mut c = Compress::new(Compression::new(6), false);
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.push(version_byte(VERSION));
    // Priming a fresh compressor cannot fail; the decompressor would refuse the stream if it did.
    let _ = c.set_dictionary(dictionary());
    loop {
        out.reserve(out.len().max(256));
        let consumed = c.total_in() as usize;
        match c.compress_vec(&bytes[consumed..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) | Err(_) => return out,
            Ok(_) => {}
        }
    }
}

/// Decompresses at most `MAX_MESSAGE_BYTES`: a compression bomb stops there.
fn decompress(bytes: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    use flate2::{Decompress, FlushDecompress, Status};
    let bytes = match bytes.split_first() {
        Some((&GZIP_MAGIC, _)) => return Err(ProtocolError::Version(1)),
        Some((&tag, rest)) if tag == version_byte(VERSION) => rest,
        Some((&tag, _)) if tag & 0b110 == 0b110 => {
            return Err(ProtocolError::Version(u32::from(tag >> 3)))
        }
        Some(_) => return Err(ProtocolError::Version(2)),
        None => return Err(ProtocolError::Malformed),
    };
    let mut d = Decompress::new(false);
    d.set_dictionary(dictionary())
        .map_err(|_| ProtocolError::Malformed)?;
    let mut out = Vec::with_capacity((bytes.len() * 3).min(MAX_MESSAGE_BYTES + 1));
    loop {
        let room = (out.len().max(4096)).min(MAX_MESSAGE_BYTES + 1 - out.len());
        out.reserve(room);
        let consumed = d.total_in() as usize;
        let before = (d.total_in(), d.total_out());
        let status = d
            .decompress_vec(&bytes[consumed..], &mut out, FlushDecompress::Finish)
            .map_err(|_| ProtocolError::Malformed)?;
        if out.len() > MAX_MESSAGE_BYTES {
            return Err(ProtocolError::TooLarge(out.len()));
        }
        match status {
            Status::StreamEnd => return Ok(out),
            // No progress with input left and room to write: a truncated or corrupt stream.
            _ if (d.total_in(), d.total_out()) == before => return Err(ProtocolError::Malformed),
            _ => {}
        }
    }
}

pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    compress(&postcard::to_allocvec(message).unwrap_or_default())
}

fn decode_raw<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ProtocolError> {
    postcard::from_bytes(bytes).map_err(|_| ProtocolError::Malformed)
}

pub fn check_doc_id(doc_id: &str) -> Result<(), ProtocolError> {
    match parse_doc_id(doc_id) {
        Some((complaint, _)) if valid_id(complaint) => Ok(()),
        _ => Err(ProtocolError::DocId),
    }
}

pub fn decode_request(body: &[u8]) -> Result<SyncRequest, ProtocolError> {
    let raw = decompress(body)?;
    let req: SyncRequest = decode_raw(&raw)?;
    if req.version != VERSION {
        return Err(ProtocolError::Version(req.version));
    }
    if req.uploads.len() > MAX_DOCS || req.resync.len() > MAX_DOCS {
        return Err(ProtocolError::Limit("documents"));
    }
    for up in &req.uploads {
        check_doc_id(&up.doc_id)?;
        if up.changes.len() > MAX_CHANGES_PER_DOC {
            return Err(ProtocolError::Limit("changes per document"));
        }
        if up
            .changes
            .iter()
            .any(|c| c.len() > MAX_CHANGE_BYTES || c.is_empty())
        {
            return Err(ProtocolError::Limit("change size"));
        }
    }
    for id in &req.resync {
        check_doc_id(id)?;
    }
    Ok(req)
}

pub fn decode_response(body: &[u8]) -> Result<SyncResponse, ProtocolError> {
    let raw = decompress(body)?;
    let resp: SyncResponse = decode_raw(&raw)?;
    if resp.version != VERSION {
        return Err(ProtocolError::Version(resp.version));
    }
    if resp.downloads.len() > MAX_DOCS * 2 {
        return Err(ProtocolError::Limit("documents"));
    }
    for d in &resp.downloads {
        check_doc_id(&d.doc_id)?;
        if d.heads.len() > MAX_HEADS {
            return Err(ProtocolError::Limit("heads"));
        }
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SyncRequest {
        SyncRequest {
            version: VERSION,
            cursor: 42,
            uploads: vec![DocUpload {
                doc_id: "0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11/log".into(),
                changes: vec![vec![1, 2, 3], vec![4; 100]],
            }],
            resync: vec![],
            max_response_bytes: 1 << 20,
        }
    }

    #[test]
    fn request_round_trips() {
        assert_eq!(decode_request(&encode(&request())).unwrap(), request());
    }

    #[test]
    fn garbage_and_bombs_are_refused_without_panic() {
        for junk in [&b""[..], b"\x1f\x8b", b"not deflate at all", &[0xFF; 300]] {
            assert!(decode_request(junk).is_err());
        }
        let whole = encode(&request());
        for cut in 0..whole.len() {
            assert!(decode_request(&whole[..cut]).is_err(), "cut at {cut}");
        }
        let bomb = compress(&vec![0u8; MAX_MESSAGE_BYTES + 10]);
        assert!(matches!(
            decode_request(&bomb),
            Err(ProtocolError::TooLarge(_))
        ));
        let mut wrong = request();
        wrong.version = 99;
        assert_eq!(
            decode_request(&encode(&wrong)),
            Err(ProtocolError::Version(99))
        );
        let mut bad_id = request();
        bad_id.uploads[0].doc_id = "../../etc/passwd".into();
        assert_eq!(decode_request(&encode(&bad_id)), Err(ProtocolError::DocId));
    }

    #[test]
    fn large_messages_round_trip() {
        let mut req = request();
        let mut seed = 7u32;
        req.uploads = (0..300)
            .map(|d| DocUpload {
                doc_id: format!("complaint-{d}/log"),
                changes: (0..3)
                    .map(|_| {
                        (0..2_000)
                            .map(|_| {
                                seed ^= seed << 13;
                                seed ^= seed >> 17;
                                seed ^= seed << 5;
                                (seed % 7) as u8
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        assert_eq!(decode_request(&encode(&req)).unwrap(), req);
    }

    #[test]
    fn a_version_1_body_is_refused_as_that_version() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&postcard::to_allocvec(&request()).unwrap())
            .unwrap();
        let v1 = gz.finish().unwrap();
        assert_eq!(decode_request(&v1), Err(ProtocolError::Version(1)));
    }

    #[test]
    fn the_dictionary_pays_for_itself() {
        let mut req = request();
        req.uploads[0].changes = vec![br#"{"kind":"pengaduan","category":"pu.drainase","location":{"province":"Sulawesi Selatan","city":"Kota Makassar","kecamatan":"Tamalate"},"reporter_role":"citizen"}"#.to_vec()];
        let plain = {
            let mut c = flate2::Compress::new(flate2::Compression::new(6), false);
            let raw = postcard::to_allocvec(&req).unwrap();
            let mut out = Vec::with_capacity(raw.len() + 64);
            c.compress_vec(&raw, &mut out, flate2::FlushCompress::Finish)
                .unwrap();
            out.len() + 1
        };
        let primed = encode(&req).len();
        assert!(
            primed + 20 < plain,
            "{primed} bytes with the dictionary, {plain} without"
        );
    }

    /// Both sides must hold the same dictionary byte for byte: a change needs a new version.
    #[test]
    fn dictionary_is_frozen() {
        use sha2::{Digest, Sha256};
        assert_eq!(
            hex::encode(Sha256::digest(dictionary())),
            "0349c678c09910c0a89d62f85c642b08e1487ea5438a2378cb963717659bd26c",
            "the dictionary changed: raise VERSION"
        );
        assert!(dictionary().len() <= MAX_DICTIONARY_BYTES);
    }

    #[test]
    fn a_version_2_body_is_refused_as_that_version() {
        let raw = postcard::to_allocvec(&request()).unwrap();
        let mut c = flate2::Compress::new(flate2::Compression::new(6), false);
        let mut v2 = Vec::with_capacity(raw.len() + 64);
        c.compress_vec(&raw, &mut v2, flate2::FlushCompress::Finish)
            .unwrap();
        assert_eq!(decode_request(&v2), Err(ProtocolError::Version(2)));
        let mut v4 = encode(&request());
        v4[0] = version_byte(4);
        assert_eq!(decode_request(&v4), Err(ProtocolError::Version(4)));
    }
}
