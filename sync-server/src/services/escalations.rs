//! Escalating overdue work: the server writes the steps core's rule says are due
//! (`aduan_core::workflow::escalation`), as the system, into the complaint's log, the way it
//! writes receipt stamps. It runs after each sync round on the complaints the round touched,
//! and every ten minutes over every open complaint, so work nobody syncs escalates too.
//! A step has one id per level and deadline, so two instances writing it at once store one key.

use std::sync::Arc;
use std::time::Duration;

use aduan_core::model::{self, log, report, DocKind};
use aduan_core::store::facts;
use aduan_core::types::Status;
use aduan_core::workflow::{self, escalation, Deadlines};
use automerge::ActorId;

use super::sync::{load_doc, SERVER_DEVICE};
use crate::error::ApiError;
use crate::storage::{now_secs, Db, Sql};
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

/// How often a running server looks for overdue work that no sync round has touched.
pub const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// Writes the steps every open complaint owes at `now`, one complaint per transaction;
/// returns how many. Phones receive them at their next sync.
pub fn sweep(db: &Db, now: i64, deadlines: &Deadlines) -> Result<u32, ApiError> {
    let open: Vec<String> = db
        .run(|sql| sql.query("SELECT id, status FROM complaints", &[]))?
        .iter()
        .filter_map(|row| {
            let status = row.text(1).ok().and_then(|s| Status::from_code(&s))?;
            status.is_open().then(|| row.text(0).ok()).flatten()
        })
        .collect();
    let mut written = 0;
    for id in open {
        // The steps written notify those they concern; the deadlines notify their holders.
        written += db.transaction(|tx| {
            let log_id = model::doc_id(&id, DocKind::Log);
            let before = super::notifications::capture(tx, [log_id.as_str()])?;
            let steps = escalate(tx, &id, now, deadlines)?;
            super::notifications::after_change(tx, &before, &[id.clone()], now, deadlines)?;
            Ok(steps)
        })?;
    }
    Ok(written)
}

/// Sweeps every [`SWEEP_EVERY`] while the server runs.
pub fn spawn_sweeper(db: Db, deadlines: Arc<Deadlines>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(SWEEP_EVERY).await;
            let (db, deadlines) = (db.clone(), deadlines.clone());
            let now = now_secs() * 1000;
            // The administrators' daily summaries are made here too, at the first sweep of
            // each day (not at start: a restart is not a new day).
            let swept = move || {
                let steps = sweep(&db, now, &deadlines)?;
                super::notifications::daily_summaries(&db, now, &deadlines)?;
                Ok::<_, ApiError>(steps)
            };
            match tokio::task::spawn_blocking(swept).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(steps = n, "overdue work escalated"),
                Ok(Err(e)) => tracing::warn!(error = e.cause(), "escalation sweep failed"),
                Err(e) => tracing::warn!(error = %e, "escalation sweep stopped"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fixtures::dispatched;
    use aduan_core::model::event::Action;

    fn escalations(db: &Db, id: &str) -> usize {
        db.run(|sql| load_doc(sql, &model::doc_id(id, DocKind::Log)))
            .map(|doc| {
                log::read(&doc)
                    .iter()
                    .filter(|e| matches!(e.action, Action::Escalate { .. }))
                    .count()
            })
            .unwrap()
    }

    #[test]
    fn overdue_work_nobody_syncs_escalates_on_the_servers_sweep() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let deadlines = Deadlines::default();
        // 2 June 2025, 10:00 WIB.
        let at = 1_748_833_200_000;
        let (open, done) = (
            "00000000-0000-4000-8000-000000000001",
            "00000000-0000-4000-8000-000000000002",
        );
        dispatched(&db, open, at, "dispatched");
        dispatched(&db, done, at, "completed");
        assert_eq!(
            sweep(&db, at + 3_600_000, &deadlines).unwrap(),
            0,
            "not due yet"
        );
        let much_later = at + 60 * 86_400_000;
        let written = sweep(&db, much_later, &deadlines).unwrap();
        assert!(written >= 1, "the overdue complaint escalates");
        assert_eq!(escalations(&db, open), written as usize);
        assert_eq!(
            escalations(&db, done),
            0,
            "a completed complaint owes nothing"
        );
        assert_eq!(
            sweep(&db, much_later, &deadlines).unwrap(),
            0,
            "each step once"
        );
    }
}
