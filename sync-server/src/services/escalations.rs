//! Escalating overdue work: the server writes the steps core's rule says are due
//! (`aduan_core::workflow::escalation`), as the system, into the complaint's log, the way it
//! writes receipt stamps. It runs after each sync round on the complaints the round touched.
//! A step has one id per level and deadline, so two instances writing it at once store one key.

use aduan_core::model::{self, log, report, DocKind};
use aduan_core::store::facts;
use aduan_core::workflow::{self, escalation, Deadlines};
use automerge::ActorId;

use super::sync::{load_doc, SERVER_DEVICE};
use crate::error::ApiError;
use crate::storage::Sql;
use crate::vals;

/// Writes the escalation steps `complaint_id` owes at `now`; returns how many.
pub fn escalate(
    tx: &mut dyn Sql,
    complaint_id: &str,
    now: i64,
    deadlines: &Deadlines,
) -> Result<u32, ApiError> {
    let report_doc = load_doc(tx, &model::doc_id(complaint_id, DocKind::Report))?;
    let Some(report) = report::read(&report_doc) else {
        return Ok(0);
    };
    let log_id = model::doc_id(complaint_id, DocKind::Log);
    let mut doc = load_doc(tx, &log_id)?;
    let mut written = 0;
    loop {
        let replay = workflow::replay(
            &facts(&report),
            log::read(&doc),
            &log::received(&doc),
            now,
            deadlines,
        );
        let Some(event) = escalation::next_event(&replay, now, deadlines) else {
            break;
        };
        if replay.timeline.iter().any(|(e, _)| e.id == event.id) {
            break;
        }
        // A fresh actor per step, as for receipt stamps: two instances never share one.
        doc.set_actor(ActorId::random());
        log::append(&mut doc, &event).map_err(ApiError::internal)?;
        let Some(hash) = doc.commit() else {
            break;
        };
        let change = doc
            .get_change_by_hash(&hash)
            .ok_or_else(|| ApiError::internal("escalation change not in its document"))?;
        tx.execute(
            "INSERT INTO actors (actor, device_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            vals![change.actor_id().to_bytes().to_vec(), SERVER_DEVICE],
        )?;
        tx.execute(
            "INSERT INTO changes (doc_id, complaint_id, hash, data, device_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING",
            vals![&log_id, complaint_id, &hash.0[..], change.raw_bytes().to_vec(), SERVER_DEVICE],
        )?;
        written += 1;
    }
    if written > 0 {
        let mut heads: Vec<[u8; 32]> = doc.get_heads().iter().map(|h| h.0).collect();
        heads.sort();
        tx.execute(
            "INSERT INTO docs (doc_id, complaint_id, snapshot, heads) VALUES ($1, $2, $3, $4)
             ON CONFLICT (doc_id) DO UPDATE SET snapshot = excluded.snapshot, heads = excluded.heads",
            vals![&log_id, complaint_id, doc.save(), heads.concat()],
        )?;
    }
    Ok(written)
}
