//! The complaint model. A complaint is two Automerge documents, split where authority splits:
//! the [`report`] (written by the reporter only) and the [`log`] (events appended by anyone
//! entitled to act, each signed by its author's account and role). Photos live outside both,
//! referenced by SHA-256.

pub mod channel;
pub mod event;
pub mod log;
pub mod report;
pub mod reporter;

use automerge::{ActorId, AutoCommit};
use sha2::{Digest, Sha256};

/// Which of a complaint's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Report,
    Log,
}

impl DocKind {
    pub fn suffix(self) -> &'static str {
        match self {
            DocKind::Report => "report",
            DocKind::Log => "log",
        }
    }
}

pub fn doc_id(complaint_id: &str, kind: DocKind) -> String {
    format!("{complaint_id}/{}", kind.suffix())
}

/// Splits `"<complaint>/<kind>"`.
pub fn parse_doc_id(doc_id: &str) -> Option<(&str, DocKind)> {
    let (complaint, kind) = doc_id.rsplit_once('/')?;
    let kind = match kind {
        "report" => DocKind::Report,
        "log" => DocKind::Log,
        _ => return None,
    };
    event::valid_id(complaint).then_some((complaint, kind))
}

pub fn new_complaint_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A short id a person can read over the phone: 50 bits of the complaint id in Crockford
/// base32 (no I, L, O, U), e.g. `ADU-7K3MQ-9XD2F`. Made offline without coordination; at a
/// million complaints the chance of any collision is about one in two thousand, and the server
/// refuses a duplicate tracking id on upload.
pub fn tracking_id(complaint_id: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let digest = Sha256::digest(complaint_id.as_bytes());
    let mut bits: u64 = 0;
    for b in &digest[..8] {
        bits = (bits << 8) | u64::from(*b);
    }
    let chars: Vec<char> = (0..10)
        .map(|i| ALPHABET[((bits >> (64 - 5 * (i + 1))) & 31) as usize] as char)
        .collect();
    let (a, b) = chars.split_at(5);
    format!(
        "ADU-{}-{}",
        a.iter().collect::<String>(),
        b.iter().collect::<String>()
    )
}

/// The actor a session uses for one document: derived from a secret that lives only in the
/// process's memory, so it is never reused after a restart or a backup restored on another
/// phone, and differs per document so an anonymous report cannot be linked by its actor to
/// the same person's other reports.
pub fn session_actor(session_secret: &[u8; 32], doc_id: &str) -> ActorId {
    let mut hasher = Sha256::new();
    hasher.update(session_secret);
    hasher.update(doc_id.as_bytes());
    ActorId::from(&hasher.finalize()[..16])
}

pub fn new_doc(actor: ActorId) -> AutoCommit {
    AutoCommit::new().with_actor(actor)
}
