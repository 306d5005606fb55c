//! The log document: the complaint's handling timeline and conversation. Each event is one
//! root key `ev:<id>` holding the event as JSON, written once and never changed. No structure
//! needs creating first, so any replica can add an event without racing another over a shared
//! container, and the server checks an uploaded change by the keys it adds.

use std::collections::BTreeMap;

use automerge::{
    transaction::Transactable, ActorId, AutoCommit, ChangeHash, ReadDoc, ScalarValue, Value, ROOT,
};

use super::event::Event;
use crate::error::{Error, Result};
use crate::types::Millis;

pub const EVENT_KEY_PREFIX: &str = "ev:";
/// One event as JSON: a 4,000-character note escaped is under 25 KB.
pub const MAX_EVENT_BYTES: usize = 64 * 1024;

/// `rx:<event id>`: when the server received an event whose time others' deadlines count from
/// (a follow-up starts the reporter's reply window). Written by the server only, in the same
/// document, so every replica counts from the same moment; phones never write these keys.
pub const RECEIVED_KEY_PREFIX: &str = "rx:";

/// When the server received each stamped event, by event id.
pub type Received = BTreeMap<String, Millis>;

pub fn event_key(id: &str) -> String {
    format!("{EVENT_KEY_PREFIX}{id}")
}

pub fn append(doc: &mut AutoCommit, event: &Event) -> Result<()> {
    let key = event_key(&event.id);
    if doc.get(ROOT, key.as_str())?.is_some() {
        return Err(Error::Invalid {
            field: "event id",
            reason: "already used",
        });
    }
    let json = serde_json::to_string(event).map_err(|_| Error::Invalid {
        field: "event",
        reason: "cannot be encoded",
    })?;
    doc.put(ROOT, key, json)?;
    Ok(())
}

/// Parses one stored value. A value that is not an event (a foreign or tampered write) is
/// skipped by readers; the server refuses to store one in the first place.
pub fn parse(key: &str, value: &Value<'_>) -> Option<Event> {
    let id = key.strip_prefix(EVENT_KEY_PREFIX)?;
    let Value::Scalar(s) = value else { return None };
    let ScalarValue::Str(json) = s.as_ref() else {
        return None;
    };
    let event: Event = serde_json::from_str(json).ok()?;
    (event.id == id).then_some(event)
}

pub fn read(doc: &AutoCommit) -> Vec<Event> {
    doc.map_range(ROOT, EVENT_KEY_PREFIX.to_string().."ev;".to_string())
        .filter_map(|item| {
            let value: Value<'static> = item.value.into();
            parse(item.key.as_ref(), &value)
        })
        .collect()
}

/// The server's receipt stamps.
pub fn received(doc: &AutoCommit) -> Received {
    doc.map_range(ROOT, RECEIVED_KEY_PREFIX.to_string().."rx;".to_string())
        .filter_map(|item| {
            let id = item.key.strip_prefix(RECEIVED_KEY_PREFIX)?;
            match item.value.into() {
                Value::Scalar(s) => match s.as_ref() {
                    ScalarValue::Int(at) => Some((id.to_string(), *at)),
                    _ => None,
                },
                _ => None,
            }
        })
        .collect()
}

/// Stamps `ids` as received `at`, in one change of a fresh actor (two servers stamping at once
/// must not write the same actor's next change twice). Returns the change's hash.
pub fn stamp_received(
    doc: &mut AutoCommit,
    ids: &[String],
    at: Millis,
) -> Result<Option<ChangeHash>> {
    if ids.is_empty() {
        return Ok(None);
    }
    let actor = doc.get_actor().clone();
    doc.set_actor(ActorId::random());
    let mut stamp = || -> Result<()> {
        for id in ids {
            doc.put(ROOT, format!("{RECEIVED_KEY_PREFIX}{id}"), at)?;
        }
        Ok(())
    };
    let written = stamp();
    let hash = doc.commit();
    doc.set_actor(actor);
    written?;
    Ok(hash)
}
