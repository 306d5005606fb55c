//! Change bombs, built the way a hostile client or server would: small on the wire, huge once
//! automerge inflates or expands them.

use std::num::NonZeroU64;

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Change, ExpandedChange, ObjType, ROOT};

/// A change compressed the way automerge compresses (chunk type 2).
fn compressed(message: Option<String>, extra_bytes: Vec<u8>) -> Vec<u8> {
    let mut change = Change::from(ExpandedChange {
        operations: vec![],
        actor_id: ActorId::random(),
        hash: None,
        seq: 1,
        start_op: NonZeroU64::new(1).unwrap(),
        time: 0,
        message,
        deps: vec![],
        extra_bytes,
        author: None,
    });
    change.bytes().into_owned()
}

/// About 260 KB that inflates to 256 MiB (in the change's extra bytes).
pub fn inflating() -> Vec<u8> {
    compressed(None, vec![0; 256 << 20])
}

/// No operation at all, and a 128 MiB message.
pub fn long_message() -> Vec<u8> {
    compressed(Some("a".repeat(128 << 20)), vec![])
}

/// One change typing `chars` characters into a text: one operation each.
pub fn many_ops(chars: usize) -> Vec<u8> {
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, "description", ObjType::Text).unwrap();
    doc.splice_text(&text, 0, 0, &"a".repeat(chars)).unwrap();
    doc.get_last_local_change().unwrap().bytes().into_owned()
}
