//! The sync protocol, version 1: one request carries everything a phone changed in any number of
//! complaints and a cursor into the server's change sequence; one response carries everything
//! new that this user may see, what was accepted or refused, and what the phone must forget.
//! Messages are postcard-encoded (varints, raw bytes, no field names) and gzip-compressed on the
//! wire. Every decode is bounded: sizes are checked before and counts after decoding, and no
//! input panics.

use serde::{Deserialize, Serialize};

use crate::model::event::valid_id;
use crate::model::parse_doc_id;

pub const VERSION: u32 = 1;
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
    pub accepted: Vec<String>,
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

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Decompresses at most `MAX_MESSAGE_BYTES`: a gzip bomb stops there.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_MESSAGE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| ProtocolError::Malformed)?;
    if out.len() > MAX_MESSAGE_BYTES {
        return Err(ProtocolError::TooLarge(out.len()));
    }
    Ok(out)
}

pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    gzip(&postcard::to_allocvec(message).unwrap_or_default())
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
    let raw = gunzip(body)?;
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
    let raw = gunzip(body)?;
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
        for junk in [&b""[..], b"\x1f\x8b", b"not gzip at all", &[0xFF; 300]] {
            assert!(decode_request(junk).is_err());
        }
        let bomb = gzip(&vec![0u8; MAX_MESSAGE_BYTES + 10]);
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
}
