//! The sync protocol, version 5: one request carries everything a phone changed in any number of
//! complaints and a cursor into the server's change sequence; one response carries everything
//! new that this user may see, what was accepted or refused, and what the phone must forget.
//! Messages are postcard-encoded (varints, raw bytes, no field names), compressed as one
//! magicless Zstandard frame primed with a fixed dictionary (see [`dictionary`]) unless that
//! would not make them smaller, and prefixed with one byte naming the version and whether the
//! rest is compressed. Every decode is bounded: sizes are checked before and counts after
//! decoding, the decoder's window is capped, and no input panics.
//!
//! Earlier versions are recognised and refused as themselves: version 1 was gzip (first byte
//! 0x1f), version 2 raw DEFLATE with no version byte (its first byte is a DEFLATE block header,
//! never of the reserved block type that [`version_byte`] uses), version 3 raw DEFLATE primed
//! with a smaller dictionary after its version byte, version 4 this framing with a dictionary
//! that had no [`VOCABULARY`].

use std::io::Read;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use zstd::dict::{DecoderDictionary, EncoderDictionary};
use zstd::zstd_safe::{CParameter, DParameter, FrameFormat};

use crate::model::event::valid_id;
use crate::model::parse_doc_id;

pub const VERSION: u32 = 5;

/// Everyday Indonesian of public-service complaints, by topic: days and numbers, people, the
/// words that join sentences, roads, drains and floods, waste, electricity, water, trees,
/// bridges, places, administrative services, asking and handling, harm, and the phrases
/// reporters repeat. A description finds most of its words here instead of spelling them out
/// (8.7 % fewer bytes on eight complaints it was not written from; the test in
/// `core/tests/sync_dictionary.rs` fails below 4 %).
const VOCABULARY: &str = include_str!("dictionary-vocabulary.txt");

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
const TEMPLATE: &[u8] = include_bytes!("dictionary-template.bin");

/// The head of the Zstandard dictionary: its magic number, id and the entropy tables (Huffman
/// for literals, FSE for match lengths, literal lengths and offsets) fitted by
/// `core/tests/sync_dictionary.rs` to typical messages compressed with [`content`]. A small
/// message therefore carries no tables of its own, which in DEFLATE cost a tenth of a complaint.
const TABLES: &[u8] = include_bytes!("dictionary-tables-v5.bin");

/// The dictionary's content: the vocabulary, words, names and template above. A message may
/// refer back into it from its first byte; the most likely matches come last (shortest
/// distances).
pub fn content() -> &'static [u8] {
    static CONTENT: OnceLock<Vec<u8>> = OnceLock::new();
    CONTENT.get_or_init(|| {
        [
            VOCABULARY.as_bytes(),
            WORDS.as_bytes(),
            NATIONAL.as_bytes(),
            TEMPLATE,
        ]
        .concat()
    })
}

/// A bound on the content, which every phone and server holds and every compressor loads.
pub const MAX_CONTENT_BYTES: usize = 32 * 1024;

/// The Zstandard dictionary of protocol version 5: [`TABLES`] then [`content`]. Both sides must
/// hold exactly these bytes: `dictionary_is_frozen` pins their hash.
pub fn dictionary() -> &'static [u8] {
    static DICTIONARY: OnceLock<Vec<u8>> = OnceLock::new();
    DICTIONARY.get_or_init(|| [TABLES, content()].concat())
}

/// Messages up to this size are compressed hard (a phone's uploads and most answers, where a
/// weak link pays for every byte); larger ones (a fresh phone's first pulls) fast.
const SMALL_MESSAGE_BYTES: usize = 16 * 1024;
const SMALL_LEVEL: i32 = 19;
const LARGE_LEVEL: i32 = 3;

/// The decoder's window: 1 MiB, what the encoder below uses at most, so a hostile frame that
/// asks for a larger one is refused instead of allocated.
const WINDOW_LOG: u32 = 20;

/// The first byte of a version 3 (or later) message: the version above a reserved DEFLATE
/// block type (binary 11 in bits 1-2), which no DEFLATE stream starts with.
pub const fn version_byte(version: u32) -> u8 {
    ((version as u8) << 3) | 0b110
}

/// Bit 0 of a version 4 (or later) first byte: the message follows uncompressed (a few bytes of
/// answer, which a frame's header would only make longer). In version 3 that bit was never set
/// (0x1f, the one value that would have it, is gzip's first byte).
const STORED: u8 = 1;

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
    /// The `round` of the last response this device applied (0 for none): the complaints that
    /// response granted are held from now on, the ones it revoked are gone. Appended to
    /// version 5 (see [`decode_request`]).
    pub ack: u64,
    /// The highest notification id this device has stored (0 for none): the server sends the
    /// user's notifications above it, and counts those up to it as delivered. Appended to
    /// version 5; [`NOTICES_UNSUPPORTED`] in requests from before.
    pub notices_after: u64,
}

/// The `notices_after` of a request from a phone that knows no notifications: it is sent none.
pub const NOTICES_UNSUPPORTED: u64 = u64::MAX;

/// A version 5 request as phones sent it before `notices_after` was appended.
#[derive(Serialize, Deserialize)]
struct RequestBeforeNotices {
    version: u32,
    cursor: u64,
    uploads: Vec<DocUpload>,
    resync: Vec<String>,
    max_response_bytes: u64,
    ack: u64,
}

/// The `ack` of a version 5 request from before acknowledgements: what the server sends counts
/// as held at once, as it did then.
pub const ACK_ON_SEND: u64 = u64::MAX;

/// A version 5 request as phones sent it before `ack` was appended.
#[derive(Serialize, Deserialize)]
struct RequestBeforeAck {
    version: u32,
    cursor: u64,
    uploads: Vec<DocUpload>,
    resync: Vec<String>,
    max_response_bytes: u64,
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
    /// Names this response when it grants or revokes complaints (0 when it does neither): the
    /// server sends them again in every response until a request acknowledges the round that
    /// carried them, so a lost response loses nothing. Appended to version 5.
    pub round: u64,
    /// The user's notifications above the request's `notices_after`, oldest first. Appended
    /// to version 5.
    pub notices: Vec<Notice>,
}

/// One notification for the phone to show: its kind and parameters (`crate::notify`), never
/// rendered text; the phone renders it in its own language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: u64,
    /// A [`crate::notify::NotificationKind`] code.
    pub kind: String,
    /// Empty for notifications about no one complaint (a daily summary).
    pub complaint_id: String,
    /// [`crate::notify::Params`] as JSON.
    pub params: String,
    pub created_at: i64,
}

pub const MAX_NOTICES: usize = 1_000;
pub const MAX_NOTICE_PARAMS_BYTES: usize = 4 * 1024;

/// A version 5 response as servers sent it before `notices` was appended.
#[derive(Serialize, Deserialize)]
struct ResponseBeforeNotices {
    version: u32,
    cursor: u64,
    more: bool,
    accepted: Vec<u32>,
    refused: Vec<Refused>,
    downloads: Vec<DocDownload>,
    revoked: Vec<String>,
    owned: Vec<String>,
    round: u64,
}

/// A version 5 response as servers sent it before `round` was appended.
#[derive(Serialize, Deserialize)]
struct ResponseBeforeRound {
    version: u32,
    cursor: u64,
    more: bool,
    accepted: Vec<u32>,
    refused: Vec<Refused>,
    downloads: Vec<DocDownload>,
    revoked: Vec<String>,
    owned: Vec<String>,
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
    #[error("message does not encode: {0}")]
    Encode(String),
}

/// A version 1 message: gzip's first byte, which no raw DEFLATE stream starts with (it would
/// be a final block of the reserved type 3).
const GZIP_MAGIC: u8 = 0x1f;

fn encoder_dictionary(level: i32) -> &'static EncoderDictionary<'static> {
    static SMALL: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    static LARGE: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    let cell = if level == SMALL_LEVEL { &SMALL } else { &LARGE };
    cell.get_or_init(|| EncoderDictionary::copy(dictionary(), level))
}

fn decoder_dictionary() -> &'static DecoderDictionary<'static> {
    static DICTIONARY: OnceLock<DecoderDictionary<'static>> = OnceLock::new();
    DICTIONARY.get_or_init(|| DecoderDictionary::copy(dictionary()))
}

/// The version byte, then one magicless frame: no checksum (postcard and Automerge check what
/// they decode), no content size and no dictionary id (the version names the dictionary).
fn compress(bytes: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let level = if bytes.len() <= SMALL_MESSAGE_BYTES {
        SMALL_LEVEL
    } else {
        LARGE_LEVEL
    };
    let frame = || -> std::io::Result<Vec<u8>> {
        let mut c = zstd::bulk::Compressor::with_prepared_dictionary(encoder_dictionary(level))?;
        c.set_parameter(CParameter::Format(FrameFormat::Magicless))?;
        c.set_parameter(CParameter::ChecksumFlag(false))?;
        c.set_parameter(CParameter::ContentSizeFlag(false))?;
        c.set_parameter(CParameter::DictIdFlag(false))?;
        c.set_parameter(CParameter::WindowLog(WINDOW_LOG))?;
        let mut out = vec![0; zstd::zstd_safe::compress_bound(bytes.len()) + 1];
        out[0] = version_byte(VERSION);
        let written = c.compress_to_buffer(bytes, &mut out[1..])?;
        out.truncate(written + 1);
        Ok(out)
    };
    let out = frame().map_err(|e| ProtocolError::Encode(e.to_string()))?;
    if out.len() <= bytes.len() {
        return Ok(out);
    }
    let mut stored = Vec::with_capacity(bytes.len() + 1);
    stored.push(version_byte(VERSION) | STORED);
    stored.extend_from_slice(bytes);
    Ok(stored)
}

/// Decompresses at most `MAX_MESSAGE_BYTES`: a compression bomb stops there.
fn decompress(bytes: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let bytes = match bytes.split_first() {
        Some((&GZIP_MAGIC, _)) => return Err(ProtocolError::Version(1)),
        Some((&tag, rest)) if tag == version_byte(VERSION) | STORED => {
            if rest.len() > MAX_MESSAGE_BYTES {
                return Err(ProtocolError::TooLarge(rest.len()));
            }
            return Ok(rest.to_vec());
        }
        Some((&tag, rest)) if tag == version_byte(VERSION) => rest,
        Some((&tag, _)) if tag & 0b110 == 0b110 => {
            return Err(ProtocolError::Version(u32::from(tag >> 3)))
        }
        Some(_) => return Err(ProtocolError::Version(2)),
        None => return Err(ProtocolError::Malformed),
    };
    let mut d = zstd::stream::read::Decoder::with_prepared_dictionary(bytes, decoder_dictionary())
        .map_err(|_| ProtocolError::Malformed)?
        .single_frame();
    d.set_parameter(DParameter::Format(FrameFormat::Magicless))
        .and_then(|()| d.window_log_max(WINDOW_LOG))
        .map_err(|_| ProtocolError::Malformed)?;
    let mut out = Vec::with_capacity((bytes.len() * 4).min(MAX_MESSAGE_BYTES + 1));
    d.take(MAX_MESSAGE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| ProtocolError::Malformed)?;
    if out.len() > MAX_MESSAGE_BYTES {
        return Err(ProtocolError::TooLarge(out.len()));
    }
    Ok(out)
}

pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, ProtocolError> {
    let raw = postcard::to_allocvec(message).map_err(|e| ProtocolError::Encode(e.to_string()))?;
    compress(&raw)
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

/// Postcard has no optional trailing fields: a message without the appended one fails to
/// decode as the new shape (it ends early), and decodes as the old.
pub fn decode_request(body: &[u8]) -> Result<SyncRequest, ProtocolError> {
    let raw = decompress(body)?;
    let req: SyncRequest = decode_raw(&raw)
        .or_else(|_| {
            decode_raw::<RequestBeforeNotices>(&raw).map(|r| SyncRequest {
                version: r.version,
                cursor: r.cursor,
                uploads: r.uploads,
                resync: r.resync,
                max_response_bytes: r.max_response_bytes,
                ack: r.ack,
                notices_after: NOTICES_UNSUPPORTED,
            })
        })
        .or_else(|_| {
            decode_raw::<RequestBeforeAck>(&raw).map(|r| SyncRequest {
                version: r.version,
                cursor: r.cursor,
                uploads: r.uploads,
                resync: r.resync,
                max_response_bytes: r.max_response_bytes,
                ack: ACK_ON_SEND,
                notices_after: NOTICES_UNSUPPORTED,
            })
        })?;
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
    let resp: SyncResponse = decode_raw(&raw)
        .or_else(|_| {
            decode_raw::<ResponseBeforeNotices>(&raw).map(|r| SyncResponse {
                version: r.version,
                cursor: r.cursor,
                more: r.more,
                accepted: r.accepted,
                refused: r.refused,
                downloads: r.downloads,
                revoked: r.revoked,
                owned: r.owned,
                round: r.round,
                notices: Vec::new(),
            })
        })
        .or_else(|_| {
            decode_raw::<ResponseBeforeRound>(&raw).map(|r| SyncResponse {
                version: r.version,
                cursor: r.cursor,
                more: r.more,
                accepted: r.accepted,
                refused: r.refused,
                downloads: r.downloads,
                revoked: r.revoked,
                owned: r.owned,
                round: 0,
                notices: Vec::new(),
            })
        })?;
    if resp.version != VERSION {
        return Err(ProtocolError::Version(resp.version));
    }
    if resp.downloads.len() > MAX_DOCS * 2 {
        return Err(ProtocolError::Limit("documents"));
    }
    if resp.notices.len() > MAX_NOTICES {
        return Err(ProtocolError::Limit("notifications"));
    }
    if resp.notices.iter().any(|n| {
        n.params.len() > MAX_NOTICE_PARAMS_BYTES
            || n.kind.len() > 64
            || !(n.complaint_id.is_empty() || valid_id(&n.complaint_id))
    }) {
        return Err(ProtocolError::Limit("notification"));
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
            ack: 3,
            notices_after: 9,
        }
    }

    #[test]
    fn request_round_trips() {
        assert_eq!(
            decode_request(&encode(&request()).unwrap()).unwrap(),
            request()
        );
    }

    #[test]
    fn a_few_bytes_of_answer_go_uncompressed() {
        let answer = SyncResponse {
            version: VERSION,
            cursor: 42,
            more: false,
            accepted: vec![0],
            refused: vec![],
            downloads: vec![],
            revoked: vec![],
            owned: vec![],
            round: 0,
            notices: vec![],
        };
        let bytes = encode(&answer).unwrap();
        assert_eq!(bytes[0], version_byte(VERSION) | STORED);
        assert_eq!(bytes[1..], postcard::to_allocvec(&answer).unwrap());
        assert_eq!(decode_response(&bytes).unwrap(), answer);
        let mut request = request();
        request.uploads[0].changes = vec![vec![7; 5_000]];
        assert_eq!(encode(&request).unwrap()[0], version_byte(VERSION));
    }

    #[test]
    fn garbage_and_bombs_are_refused_without_panic() {
        for junk in [&b""[..], b"\x1f\x8b", b"not deflate at all", &[0xFF; 300]] {
            assert!(decode_request(junk).is_err());
        }
        let whole = encode(&request()).unwrap();
        for cut in 0..whole.len() {
            assert!(decode_request(&whole[..cut]).is_err(), "cut at {cut}");
        }
        let bomb = compress(&vec![0u8; MAX_MESSAGE_BYTES + 10]).unwrap();
        assert!(matches!(
            decode_request(&bomb),
            Err(ProtocolError::TooLarge(_))
        ));
        let mut wrong = request();
        wrong.version = 99;
        assert_eq!(
            decode_request(&encode(&wrong).unwrap()),
            Err(ProtocolError::Version(99))
        );
        let mut bad_id = request();
        bad_id.uploads[0].doc_id = "../../etc/passwd".into();
        assert_eq!(
            decode_request(&encode(&bad_id).unwrap()),
            Err(ProtocolError::DocId)
        );
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
        assert_eq!(decode_request(&encode(&req).unwrap()).unwrap(), req);
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
        let raw = postcard::to_allocvec(&req).unwrap();
        let plain = zstd::bulk::compress(&raw, SMALL_LEVEL).unwrap().len() + 1;
        let primed = encode(&req).unwrap().len();
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
            "fe141ae4567a274853f5bedf1b073cfad251492ec96e0fd8b3a1c8f984b0847d",
            "the dictionary changed: raise VERSION"
        );
        assert!(content().len() <= MAX_CONTENT_BYTES);
        assert_eq!(
            zstd::zstd_safe::get_dict_id_from_dict(dictionary()).map(|id| id.get().to_be_bytes()),
            Some(*b"ADU5"),
            "a Zstandard dictionary with its fitted tables"
        );
    }

    #[test]
    fn a_frame_asking_for_a_huge_window_is_refused() {
        let mut body = encode(&request()).unwrap();
        assert_eq!(body[0], version_byte(VERSION), "compressed");
        // The frame header: no checksum, content size or dictionary id, then the window
        // descriptor, here made to ask for 2^27 bytes (128 MiB).
        assert_eq!(body[1], 0);
        body[2] = (27 - 10) << 3;
        assert_eq!(decode_request(&body), Err(ProtocolError::Malformed));
        body[2] = (WINDOW_LOG as u8 - 10) << 3;
        assert_eq!(decode_request(&body).unwrap(), request());
    }

    fn deflate(raw: &[u8], dictionary: Option<&[u8]>) -> Vec<u8> {
        let mut c = flate2::Compress::new(flate2::Compression::new(6), false);
        if let Some(d) = dictionary {
            c.set_dictionary(d).unwrap();
        }
        let mut out = Vec::with_capacity(raw.len() + 64);
        c.compress_vec(raw, &mut out, flate2::FlushCompress::Finish)
            .unwrap();
        out
    }

    #[test]
    fn version_5_messages_from_before_acknowledgements_still_decode() {
        let old = RequestBeforeAck {
            version: VERSION,
            cursor: 42,
            uploads: request().uploads,
            resync: vec![],
            max_response_bytes: 1 << 20,
        };
        let req = decode_request(&encode(&old).unwrap()).unwrap();
        assert_eq!((req.cursor, req.ack), (42, ACK_ON_SEND));
        assert_eq!(req.uploads, request().uploads);
        let old = ResponseBeforeRound {
            version: VERSION,
            cursor: 7,
            more: true,
            accepted: vec![0],
            refused: vec![],
            downloads: vec![],
            revoked: vec!["a".into()],
            owned: vec![],
        };
        let resp = decode_response(&encode(&old).unwrap()).unwrap();
        assert_eq!((resp.cursor, resp.more, resp.round), (7, true, 0));
        assert_eq!(resp.revoked, vec!["a".to_string()]);
        // A phone from before reads a new server's answer, ignoring what was appended.
        let new = SyncResponse {
            version: VERSION,
            cursor: 7,
            more: false,
            accepted: vec![],
            refused: vec![],
            downloads: vec![],
            revoked: vec![],
            owned: vec![],
            round: 300,
            notices: vec![],
        };
        let raw = postcard::to_allocvec(&new).unwrap();
        let read: ResponseBeforeRound = postcard::from_bytes(&raw).unwrap();
        assert_eq!(read.cursor, 7);
    }

    #[test]
    fn version_5_messages_from_before_notifications_still_decode() {
        let old = RequestBeforeNotices {
            version: VERSION,
            cursor: 42,
            uploads: request().uploads,
            resync: vec![],
            max_response_bytes: 1 << 20,
            ack: 3,
        };
        let req = decode_request(&encode(&old).unwrap()).unwrap();
        assert_eq!(
            (req.cursor, req.ack, req.notices_after),
            (42, 3, NOTICES_UNSUPPORTED)
        );
        let old = ResponseBeforeNotices {
            version: VERSION,
            cursor: 7,
            more: false,
            accepted: vec![],
            refused: vec![],
            downloads: vec![],
            revoked: vec![],
            owned: vec![],
            round: 5,
        };
        let resp = decode_response(&encode(&old).unwrap()).unwrap();
        assert_eq!((resp.round, resp.notices.len()), (5, 0));
        // A phone from before reads a new server's answer, notices and all, ignoring them.
        let new = SyncResponse {
            version: VERSION,
            cursor: 7,
            more: false,
            accepted: vec![],
            refused: vec![],
            downloads: vec![],
            revoked: vec![],
            owned: vec![],
            round: 5,
            notices: vec![Notice {
                id: 1,
                kind: "status_changed".into(),
                complaint_id: "0b0e6a4e-7a07-4d8f-9c41-1c6c6b0a2f11".into(),
                params: "{}".into(),
                created_at: 1,
            }],
        };
        let raw = postcard::to_allocvec(&new).unwrap();
        let read: ResponseBeforeNotices = postcard::from_bytes(&raw).unwrap();
        assert_eq!(read.round, 5);
        assert_eq!(decode_response(&encode(&new).unwrap()).unwrap(), new);
    }

    #[test]
    fn versions_2_to_4_and_later_bodies_are_refused_as_those_versions() {
        let raw = postcard::to_allocvec(&request()).unwrap();
        assert_eq!(
            decode_request(&deflate(&raw, None)),
            Err(ProtocolError::Version(2))
        );
        let mut v3 = vec![version_byte(3)];
        v3.extend(deflate(&raw, Some(content())));
        assert_eq!(decode_request(&v3), Err(ProtocolError::Version(3)));
        for (version, flags) in [(4, 0), (4, STORED), (6, 0)] {
            let mut other = encode(&request()).unwrap();
            other[0] = version_byte(version) | flags;
            assert_eq!(decode_request(&other), Err(ProtocolError::Version(version)));
        }
    }
}
