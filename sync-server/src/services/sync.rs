//! One sync round, as one database transaction: admit or refuse each uploaded document's
//! changes (core's authority rules, plus actor ownership), then answer with what this user may
//! see and does not have, and what they may no longer see. The round is announced to live
//! updates ([`Live`]) and its refusals go to the security log.

use std::collections::{BTreeSet, HashMap};

use aduan_core::model::{self, log, report, DocKind};
use aduan_core::store::facts;
use aduan_core::sync::authority::{self, Denial, Uploader};
use aduan_core::sync::protocol::{
    DocDownload, Refused, SyncRequest, SyncResponse, ACK_ON_SEND, VERSION,
};
use aduan_core::types::{Role, Status};
use aduan_core::workflow::{self, Deadlines};
use automerge::{AutoCommit, ChangeHash};

use super::live::Live;
use super::notifications;
use super::quotas::Meter;
use super::security;
use crate::error::ApiError;
use crate::storage::{Account, Db, Sql};
use crate::vals;

/// What the server knows of a complaint, for deciding who may see and write it.
#[derive(Debug, Clone)]
struct Meta {
    owner: String,
    institution: Option<String>,
    /// The village it is about (Kemendagri code), when its report names one.
    area: Option<String>,
    confidential: bool,
    open: bool,
}

fn meta(sql: &mut dyn Sql, complaint_id: &str) -> Result<Option<Meta>, ApiError> {
    match sql.query_opt(
        "SELECT owner_account, institution_id, area, confidential, status FROM complaints WHERE id = $1",
        vals![complaint_id],
    )? {
        Some(r) => Ok(Some(Meta {
            owner: r.text(0)?,
            institution: r.opt_text(1)?,
            area: r.opt_text(2)?,
            confidential: r.bool(3)?,
            open: Status::from_code(&r.text(4)?).is_some_and(Status::is_open),
        })),
        None => Ok(None),
    }
}

/// Handlers see what is with their institution; the national administrator sees everything;
/// everyone sees what they reported; a field cadre also sees their kelurahan's open reports
/// that are not confidential. Nobody else sees anything, so confidential complaints reach only
/// the reporter and the handling bodies. (Live updates decide by owner and institution only:
/// a cadre hears of their area's reports at their next sync.)
pub fn may_see_parts(account: &Account, owner: &str, institution: Option<&String>) -> bool {
    may_see(
        account,
        &Meta {
            owner: owner.to_string(),
            institution: institution.cloned(),
            area: None,
            confidential: true,
            open: false,
        },
    )
}

fn may_see(account: &Account, m: &Meta) -> bool {
    m.owner == account.id || may_handle(account, m) || in_cadres_area(account, m)
}

/// A field cadre watches their kelurahan: its open, non-confidential reports are sent to
/// them to read (they act on none of them: `may_handle` stays false). Their reporters'
/// contact details are never among what a cadre is sent (`services::reporters`).
fn in_cadres_area(account: &Account, m: &Meta) -> bool {
    account.role == Role::Cadre
        && !m.confidential
        && m.open
        && account.area.is_some()
        && m.area == account.area
}

fn may_handle(account: &Account, m: &Meta) -> bool {
    match account.role {
        Role::NationalAdmin => true,
        Role::InstitutionAdmin | Role::Officer => {
            account.institution_id.is_some() && m.institution == account.institution_id
        }
        Role::Citizen | Role::Cadre => false,
    }
}

/// Whether `account` may see the complaint (for photo downloads).
pub fn visible_to(
    sql: &mut dyn Sql,
    account: &Account,
    complaint_id: &str,
) -> Result<bool, ApiError> {
    Ok(meta(sql, complaint_id)?.is_some_and(|m| may_see(account, &m)))
}

/// A refusal the protocol carries back, from a denial or a server-side reason.
fn refusal(doc_id: &str, code: &str, en: String, id: String) -> Refused {
    Refused {
        doc_id: doc_id.to_string(),
        code: code.to_string(),
        message_en: en,
        message_id: id,
    }
}

fn no_access(doc_id: &str) -> Refused {
    refusal(
        doc_id,
        "no_access",
        "You no longer have access to this report; your change is kept on your phone.".into(),
        "Anda tidak lagi memiliki akses ke laporan ini; perubahan Anda tetap tersimpan di ponsel."
            .into(),
    )
}

fn from_denial(doc_id: &str, d: &Denial) -> Refused {
    refusal(doc_id, d.code(), d.message_en(), d.message_id())
}

pub(crate) fn load_doc(tx: &mut dyn Sql, doc_id: &str) -> Result<AutoCommit, ApiError> {
    let snapshot =
        match tx.query_opt("SELECT snapshot FROM docs WHERE doc_id = $1", vals![doc_id])? {
            Some(r) => Some(r.blob(0)?),
            None => None,
        };
    doc_from(doc_id, snapshot)
}

/// The document a stored snapshot holds (an empty one when none is stored).
pub(crate) fn doc_from(doc_id: &str, snapshot: Option<Vec<u8>>) -> Result<AutoCommit, ApiError> {
    match snapshot {
        Some(bytes) => AutoCommit::load(&bytes)
            .map_err(|e| ApiError::internal(format!("stored document {doc_id}: {e}"))),
        None => Ok(AutoCommit::new()),
    }
}

fn encode_heads(heads: &[ChangeHash]) -> Vec<[u8; 32]> {
    let mut h: Vec<[u8; 32]> = heads.iter().map(|h| h.0).collect();
    h.sort();
    h
}

pub struct Context<'a> {
    pub account: &'a Account,
    pub device_id: &'a str,
    pub now_ms: i64,
    pub deadlines: &'a Deadlines,
    /// Counts new complaints against the account's daily quota (with the client's address).
    pub quotas: Option<(&'a Meter, Option<std::net::IpAddr>)>,
}

/// Counters for metrics and logs.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub changes_accepted: u64,
    pub changes_refused: u64,
    pub docs_sent: u64,
    pub bytes_sent: u64,
    /// Complaints changed by this round, for live updates: (id, owner, institution).
    pub changed: Vec<(String, String, Option<String>)>,
    pub sequence: u64,
}

/// Serves one round in one transaction: what it changed is announced on `live` once it
/// commits, its refusals are in the security log. Uploads are refused while the disk is
/// nearly full.
pub fn round(
    db: &Db,
    live: &Live,
    ctx: &Context<'_>,
    req: SyncRequest,
) -> Result<(SyncResponse, Tally), ApiError> {
    if req.uploads.iter().any(|u| !u.changes.is_empty()) {
        if let Some((meter, _)) = ctx.quotas {
            meter.room_to_write()?;
        }
    }
    db.transaction(|tx| {
        let before = notifications::capture(tx, req.uploads.iter().map(|u| u.doc_id.as_str()))?;
        let notices_after = req.notices_after;
        let (mut resp, mut tally) = handle(tx, ctx, req)?;
        // Overdue work escalates as the round that touched it ends (see `escalations`).
        for (id, _, _) in &tally.changed {
            super::escalations::escalate(tx, id, ctx.now_ms, ctx.deadlines)?;
        }
        // What the events stored in this round owe people, then the phone's share.
        let changed: Vec<String> = tally.changed.iter().map(|(id, _, _)| id.clone()).collect();
        notifications::after_change(tx, &before, &changed, ctx.now_ms, ctx.deadlines)?;
        resp.notices =
            notifications::for_phone(tx, ctx.account, ctx.device_id, notices_after, ctx.now_ms)?;
        let changed = std::mem::take(&mut tally.changed);
        db.announce(tx, live, tally.sequence, changed)?;
        record_refusals(tx, &ctx.account.id, &resp)?;
        Ok((resp, tally))
    })
}

/// Admits changes made on the server on `ctx.account`'s behalf (the desk acting for its
/// signed-in account) exactly as a phone's upload is admitted: the same authority checks,
/// the same stores, escalation, notifications, live announcement and security log as
/// [`round`], without a download (the desk reads documents straight from the store).
/// Returns the refusals.
pub fn submit(
    db: &Db,
    live: &Live,
    ctx: &Context<'_>,
    uploads: Vec<(String, Vec<Vec<u8>>)>,
) -> Result<Vec<Refused>, ApiError> {
    if let Some((meter, _)) = ctx.quotas {
        meter.room_to_write()?;
    }
    db.transaction(|tx| {
        let mut uploads = uploads.clone();
        // A new complaint's report must exist before its log.
        uploads.sort_by_key(|(doc_id, _)| (doc_id.ends_with("/log"), doc_id.clone()));
        let before = notifications::capture(tx, uploads.iter().map(|(d, _)| d.as_str()))?;
        let mut changed = Vec::new();
        let mut refused = Vec::new();
        for (doc_id, changes) in &uploads {
            match admit_upload(tx, ctx, doc_id, changes)? {
                Ok(complaint_id) => {
                    if let Some(m) = meta(tx, &complaint_id)? {
                        if !changed.iter().any(|(id, _, _)| *id == complaint_id) {
                            changed.push((complaint_id, m.owner, m.institution));
                        }
                    }
                }
                Err(r) => {
                    tracing::info!(code = %r.code, "desk change refused");
                    refused.push(r);
                }
            }
        }
        for (id, _, _) in &changed {
            super::escalations::escalate(tx, id, ctx.now_ms, ctx.deadlines)?;
        }
        // What the desk's steps owe people, as a phone's would.
        let ids: Vec<String> = changed.iter().map(|(id, _, _)| id.clone()).collect();
        notifications::after_change(tx, &before, &ids, ctx.now_ms, ctx.deadlines)?;
        let sequence = tx.query_int("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])? as u64;
        db.announce(tx, live, sequence, changed)?;
        let resp = SyncResponse {
            version: VERSION,
            cursor: 0,
            more: false,
            accepted: Vec::new(),
            refused: refused.clone(),
            downloads: Vec::new(),
            revoked: Vec::new(),
            owned: Vec::new(),
            round: 0,
            notices: Vec::new(),
        };
        record_refusals(tx, &ctx.account.id, &resp)?;
        Ok(refused)
    })
}

/// Each refused change of a round in the security log: whose, and the refusal's code (never
/// the document: its id names a complaint, its content is the complaint).
fn record_refusals(tx: &mut dyn Sql, account: &str, resp: &SyncResponse) -> Result<(), ApiError> {
    let mut codes: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in &resp.refused {
        *codes.entry(r.code.as_str()).or_default() += 1;
    }
    for (code, n) in codes {
        let detail = format!("{code} x{n}");
        security::record(tx, security::CHANGE_REFUSED, Some(account), None, &detail)?;
    }
    Ok(())
}

/// Serves one round inside the caller's transaction.
pub fn handle(
    tx: &mut dyn Sql,
    ctx: &Context<'_>,
    req: SyncRequest,
) -> Result<(SyncResponse, Tally), ApiError> {
    let mut tally = Tally::default();
    if req.ack != ACK_ON_SEND {
        acknowledge(tx, ctx.device_id, req.ack)?;
    }
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    let mut uploads: Vec<(u32, _)> = (0u32..).zip(req.uploads).collect();
    // A new complaint's report must exist before its log.
    uploads.sort_by_key(|(_, u)| (u.doc_id.ends_with("/log"), u.doc_id.clone()));
    let mut held_now: BTreeSet<String> = BTreeSet::new();
    for (position, up) in &uploads {
        let n = up.changes.len() as u64;
        match admit_upload(tx, ctx, &up.doc_id, &up.changes)? {
            Ok(complaint_id) => {
                accepted.push(*position);
                if n > 0 {
                    if let Some(m) = meta(tx, &complaint_id)? {
                        tally
                            .changed
                            .push((complaint_id.clone(), m.owner, m.institution));
                    }
                    // Naming a document proves nothing; changes to it show the device has it.
                    held_now.insert(complaint_id);
                }
                tally.changes_accepted += n;
            }
            Err(r) => {
                tracing::info!(code = %r.code, "upload refused");
                refused.push(r);
                tally.changes_refused += n;
            }
        }
    }
    for complaint_id in &held_now {
        hold(tx, ctx.device_id, complaint_id)?;
    }

    // This response's number, should it grant or revoke anything.
    let round = tx
        .query_opt(
            "SELECT round FROM device_rounds WHERE device_id = $1",
            vals![ctx.device_id],
        )?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0)
        + 1;
    let mut pending = false;

    // What the device holds, or is still being sent, against what it may see now. A
    // revocation is repeated until acknowledged; one the user may see again is undone by
    // sending the complaint whole (the device may have purged it already).
    let rows = tx.query(
        "SELECT complaint_id, state FROM device_complaints WHERE device_id = $1 ORDER BY complaint_id",
        vals![ctx.device_id],
    )?;
    let mut revoked = Vec::new();
    let mut regrant = Vec::new();
    for row in rows {
        let (id, state) = (row.text(0)?, row.text(1)?);
        let visible = meta(tx, &id)?.is_some_and(|m| may_see(ctx.account, &m));
        match (state.as_str(), visible) {
            ("held", true) => {}
            (_, true) => regrant.push(id),
            (_, false) => {
                mark(tx, ctx.device_id, &id, "revoked", round)?;
                pending = true;
                revoked.push(id);
            }
        }
    }

    // A phone refused for a complaint it may not see drops its copy and is sent none back:
    // it forgets the complaint too (naming it back tells the asker nothing it did not say).
    for r in &refused {
        if r.code != "no_access" {
            continue;
        }
        if let Some((cid, _)) = model::parse_doc_id(&r.doc_id) {
            if !revoked.iter().any(|id| id == cid) && !visible(tx, ctx, cid)? {
                revoked.push(cid.to_string());
            }
        }
    }

    let budget = req.max_response_bytes.clamp(64 * 1024, 32 * 1024 * 1024) as usize;
    let mut downloads = Vec::new();
    let mut size = 0usize;
    let mut more = false;

    // Documents to send whole: refused ones (the phone resets to the server's copy) and those
    // the phone asked for again, if this user may see them.
    let mut whole: Vec<String> = refused.iter().map(|r| r.doc_id.clone()).collect();
    whole.extend(req.resync.iter().cloned());
    for doc_id in whole {
        let Some((cid, _)) = model::parse_doc_id(&doc_id) else {
            continue;
        };
        if !visible(tx, ctx, cid)? {
            continue;
        }
        if let Some(d) = whole_doc(tx, &doc_id)? {
            size += d.data.len();
            downloads.push(d);
        }
    }

    // Changes since the cursor to complaints the device holds, oldest first, within budget.
    let max_seq = tx.query_int("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])? as u64;
    let mut cursor = max_seq;
    {
        // Read in pages, so a phone far behind does not make the server hold every change.
        const PAGE: i64 = 500;
        let mut after = req.cursor.min(i64::MAX as u64) as i64;
        let mut by_doc: Vec<(String, Vec<u8>)> = Vec::new();
        'pages: loop {
            let rows = tx.query(
                "SELECT c.seq, c.doc_id, c.data FROM changes c
             JOIN device_complaints d ON d.complaint_id = c.complaint_id AND d.device_id = $1
             WHERE c.seq > $2 AND c.device_id != $1 AND d.state = 'held'
             ORDER BY c.seq LIMIT $3",
                vals![ctx.device_id, after, PAGE],
            )?;
            let last_page = (rows.len() as i64) < PAGE;
            for row in rows {
                let seq = row.int(0)?;
                let doc_id = row.text(1)?;
                let data = row.blob(2)?;
                after = seq;
                if size + data.len() > budget && size > 0 {
                    cursor = (seq - 1).max(0) as u64;
                    more = true;
                    break 'pages;
                }
                size += data.len();
                match by_doc.iter_mut().find(|(d, _)| *d == doc_id) {
                    Some((_, bytes)) => bytes.extend_from_slice(&data),
                    None => by_doc.push((doc_id, data)),
                }
            }
            if last_page {
                break;
            }
        }
        for (doc_id, data) in by_doc {
            let heads =
                match tx.query_opt("SELECT heads FROM docs WHERE doc_id = $1", vals![&doc_id])? {
                    Some(r) => r.blob(0)?,
                    None => Vec::new(),
                };
            downloads.push(DocDownload {
                doc_id,
                data,
                heads: decode_heads(&heads),
            });
        }
    }

    // Complaints the user may see and the device does not hold yet, whole, within budget:
    // first those sent in a response not acknowledged yet, then new ones. They stay pending
    // until the device acknowledges this round.
    let mut owned = Vec::new();
    if !more {
        let new = visible_not_held(tx, ctx)?;
        for id in regrant.into_iter().chain(new) {
            if size > budget {
                more = true;
                break;
            }
            let m = meta(tx, &id)?;
            for kind in [DocKind::Report, DocKind::Log] {
                if let Some(d) = whole_doc(tx, &model::doc_id(&id, kind))? {
                    size += d.data.len();
                    downloads.push(d);
                }
            }
            if m.is_some_and(|m| m.owner == ctx.account.id) {
                owned.push(id.clone());
            }
            mark(tx, ctx.device_id, &id, "granted", round)?;
            pending = true;
        }
    }

    // Whatever path put a document here, it leaves only for someone who may see it now.
    let mut seen: HashMap<String, bool> = HashMap::new();
    let mut kept = Vec::with_capacity(downloads.len());
    for d in downloads {
        let Some((cid, _)) = model::parse_doc_id(&d.doc_id) else {
            continue;
        };
        let ok = match seen.get(cid) {
            Some(ok) => *ok,
            None => {
                let ok = visible(tx, ctx, cid)?;
                seen.insert(cid.to_string(), ok);
                ok
            }
        };
        if ok {
            kept.push(d);
        } else {
            size -= d.data.len();
        }
    }
    let downloads = kept;

    let round = if pending {
        tx.execute(
            "INSERT INTO device_rounds (device_id, round) VALUES ($1, $2)
             ON CONFLICT (device_id) DO UPDATE SET round = excluded.round",
            vals![ctx.device_id, round],
        )?;
        if req.ack == ACK_ON_SEND {
            acknowledge(tx, ctx.device_id, round as u64)?;
        }
        round as u64
    } else {
        0
    };
    tally.docs_sent = downloads.len() as u64;
    tally.sequence = max_seq;
    tally.bytes_sent = size as u64;
    Ok((
        SyncResponse {
            version: VERSION,
            cursor,
            more,
            accepted,
            refused,
            downloads,
            revoked,
            owned,
            round,
            notices: Vec::new(),
        },
        tally,
    ))
}

fn visible(tx: &mut dyn Sql, ctx: &Context<'_>, complaint_id: &str) -> Result<bool, ApiError> {
    Ok(meta(tx, complaint_id)?.is_some_and(|m| may_see(ctx.account, &m)))
}

/// The device applied response `round`: what it granted is held, what it revoked is gone.
fn acknowledge(tx: &mut dyn Sql, device_id: &str, round: u64) -> Result<(), ApiError> {
    if round == 0 {
        return Ok(());
    }
    let round = round.min(i64::MAX as u64) as i64;
    tx.execute(
        "UPDATE device_complaints SET state = 'held'
         WHERE device_id = $1 AND state = 'granted' AND round = $2",
        vals![device_id, round],
    )?;
    tx.execute(
        "DELETE FROM device_complaints WHERE device_id = $1 AND state = 'revoked' AND round = $2",
        vals![device_id, round],
    )?;
    Ok(())
}

/// Records that response `round` grants or revokes a complaint, pending acknowledgement.
fn mark(
    tx: &mut dyn Sql,
    device_id: &str,
    complaint_id: &str,
    state: &str,
    round: i64,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO device_complaints (device_id, complaint_id, state, round) VALUES ($1, $2, $3, $4)
         ON CONFLICT (device_id, complaint_id) DO UPDATE SET state = excluded.state, round = excluded.round",
        vals![device_id, complaint_id, state, round],
    )?;
    Ok(())
}

fn decode_heads(bytes: &[u8]) -> Vec<[u8; 32]> {
    bytes
        .chunks_exact(32)
        .map(|c| {
            let mut h = [0u8; 32];
            h.copy_from_slice(c);
            h
        })
        .collect()
}

fn hold(tx: &mut dyn Sql, device_id: &str, complaint_id: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO device_complaints (device_id, complaint_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        vals![device_id, complaint_id],
    )?;
    Ok(())
}

fn whole_doc(tx: &mut dyn Sql, doc_id: &str) -> Result<Option<DocDownload>, ApiError> {
    match tx.query_opt(
        "SELECT snapshot, heads FROM docs WHERE doc_id = $1",
        vals![doc_id],
    )? {
        Some(r) => Ok(Some(DocDownload {
            doc_id: doc_id.to_string(),
            data: r.blob(0)?,
            heads: decode_heads(&r.blob(1)?),
        })),
        None => Ok(None),
    }
}

fn visible_not_held(tx: &mut dyn Sql, ctx: &Context<'_>) -> Result<Vec<String>, ApiError> {
    let a = ctx.account;
    let not_held = "NOT EXISTS (SELECT 1 FROM device_complaints d WHERE d.device_id = $1 AND d.complaint_id = c.id)";
    let rows = match a.role {
        Role::NationalAdmin => tx.query(
            &format!("SELECT id FROM complaints c WHERE {not_held} ORDER BY c.id"),
            vals![ctx.device_id],
        )?,
        Role::InstitutionAdmin | Role::Officer => tx.query(
            &format!("SELECT id FROM complaints c WHERE (c.owner_account = $2 OR c.institution_id = $3) AND {not_held} ORDER BY c.id"),
            vals![ctx.device_id, &a.id, a.institution_id.as_deref()],
        )?,
        Role::Cadre if a.area.is_some() => tx.query(
            &format!("SELECT id FROM complaints c WHERE (c.owner_account = $2
                OR (c.area = $3 AND c.confidential = $4 AND c.status NOT IN ('completed', 'archived', 'merged')))
                AND {not_held} ORDER BY c.id"),
            vals![ctx.device_id, &a.id, a.area.as_deref(), false],
        )?,
        Role::Citizen | Role::Cadre => tx.query(
            &format!("SELECT id FROM complaints c WHERE c.owner_account = $2 AND {not_held} ORDER BY c.id"),
            vals![ctx.device_id, &a.id],
        )?,
    };
    rows.iter().map(|r| r.text(0)).collect()
}

/// The device the server's own changes are recorded under: not a valid device id, so no
/// phone's changes are ever taken for the server's, nor the server's for a phone's.
pub(crate) const SERVER_DEVICE: &str = "(server)";

/// Admits one document's changes, or says why not. `Err` is for server failures only.
fn admit_upload(
    tx: &mut dyn Sql,
    ctx: &Context<'_>,
    doc_id: &str,
    raw: &[Vec<u8>],
) -> Result<Result<String, Refused>, ApiError> {
    let Some((complaint_id, kind)) = model::parse_doc_id(doc_id) else {
        return Ok(Err(refusal(
            doc_id,
            "bad_document_id",
            "Unknown document.".into(),
            "Dokumen tidak dikenal.".into(),
        )));
    };
    let existing = meta(tx, complaint_id)?;
    let owner = match &existing {
        Some(m) => m.owner == ctx.account.id,
        None if kind == DocKind::Report => true,
        None => {
            return Ok(Err(refusal(
                doc_id,
                "unknown_complaint",
                "The report this belongs to has not reached the server.".into(),
                "Laporan induknya belum sampai di server.".into(),
            )))
        }
    };
    if let Some(m) = &existing {
        if !owner && !may_handle(ctx.account, m) {
            return Ok(Err(no_access(doc_id)));
        }
    } else {
        let taken = tx.query_opt(
            "SELECT 1 FROM complaints WHERE tracking_id = $1",
            vals![model::tracking_id(complaint_id)],
        )?;
        if taken.is_some() {
            return Ok(Err(refusal(
                doc_id,
                "tracking_collision",
                "Another report has the same tracking id; file it again.".into(),
                "Laporan lain memakai nomor pelacakan yang sama; kirim ulang laporan.".into(),
            )));
        }
    }
    let mut doc = load_doc(tx, doc_id)?;
    let changes = match authority::decode_new(&mut doc, raw) {
        Ok(c) => c,
        Err(d) => return Ok(Err(from_denial(doc_id, &d))),
    };
    if changes.is_empty() {
        return Ok(Ok(complaint_id.to_string()));
    }
    if let Err(d) = within_doc_limits(tx, doc_id, &mut doc, &changes)? {
        return Ok(Err(from_denial(doc_id, &d)));
    }
    if let (None, Some((meter, address))) = (&existing, ctx.quotas) {
        if !meter.new_complaint(tx, &ctx.account.id, address)? {
            return Ok(Err(refusal(
                doc_id,
                "quota_exceeded",
                "This account has filed as many reports as a day allows; file it again tomorrow."
                    .into(),
                "Akun ini sudah mengirim laporan sebanyak batas harian; kirim lagi besok.".into(),
            )));
        }
    }
    // An actor belongs to the device that first used it: nobody writes as another device.
    let mut new_actors = Vec::new();
    for change in &changes {
        let actor = change.actor_id().to_bytes().to_vec();
        let bound = match tx.query_opt(
            "SELECT device_id FROM actors WHERE actor = $1",
            vals![&actor],
        )? {
            Some(r) => Some(r.text(0)?),
            None => None,
        };
        match bound {
            Some(device) if device != ctx.device_id => {
                return Ok(Err(refusal(
                    doc_id,
                    "forged_actor",
                    "This change claims to come from another device.".into(),
                    "Perubahan ini mengaku berasal dari perangkat lain.".into(),
                )))
            }
            Some(_) => {}
            None => new_actors.push(actor),
        }
    }
    let uploader = Uploader {
        account_id: ctx.account.id.clone(),
        role: ctx.account.role,
        institution_id: ctx.account.institution_id.clone(),
        unit_id: ctx.account.unit_id.clone(),
        owner,
        display_name: ctx.account.display_name.clone(),
        now: ctx.now_ms,
    };
    let raw_by_hash: Vec<(ChangeHash, Vec<u8>)> = changes
        .iter()
        .map(|c| (c.hash(), c.raw_bytes().to_vec()))
        .collect();
    let added = match authority::admit(kind, complaint_id, &mut doc, changes, &uploader) {
        Ok(added) => added,
        Err(d) => return Ok(Err(from_denial(doc_id, &d))),
    };
    for actor in new_actors {
        tx.execute(
            "INSERT INTO actors (actor, device_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            vals![actor, ctx.device_id],
        )?;
    }
    // The admission's own changes (the receipt stamps) go to every device, the uploader's too.
    let mut stored: Vec<(ChangeHash, Vec<u8>, &str)> = raw_by_hash
        .into_iter()
        .map(|(h, data)| (h, data, ctx.device_id))
        .collect();
    for hash in added {
        if !stored.iter().any(|(h, _, _)| *h == hash) {
            if let Some(change) = doc.get_change_by_hash(&hash) {
                tx.execute(
                    "INSERT INTO actors (actor, device_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    vals![change.actor_id().to_bytes().to_vec(), SERVER_DEVICE],
                )?;
                stored.push((hash, change.raw_bytes().to_vec(), SERVER_DEVICE));
            }
        }
    }
    for (hash, data, device) in &stored {
        tx.execute(
            "INSERT INTO changes (doc_id, complaint_id, hash, data, device_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING",
            vals![doc_id, complaint_id, &hash.0[..], data, *device],
        )?;
    }
    let heads: Vec<u8> = encode_heads(&doc.get_heads()).concat();
    tx.execute(
        "INSERT INTO docs (doc_id, complaint_id, snapshot, heads) VALUES ($1, $2, $3, $4)
         ON CONFLICT (doc_id) DO UPDATE SET snapshot = excluded.snapshot, heads = excluded.heads",
        vals![doc_id, complaint_id, doc.save(), heads],
    )?;
    refresh_meta(tx, ctx, complaint_id, existing.as_ref())?;
    Ok(Ok(complaint_id.to_string()))
}

/// Whether the document stays within its limits with `changes`: its stored changes (kept
/// inflated) count towards its size.
fn within_doc_limits(
    tx: &mut dyn Sql,
    doc_id: &str,
    doc: &mut automerge::AutoCommit,
    changes: &[automerge::Change],
) -> Result<Result<(), authority::Denial>, ApiError> {
    let stored = tx.query_int(
        "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM changes WHERE doc_id = $1",
        vals![doc_id],
    )?;
    Ok(authority::check_doc_size(
        doc,
        stored.max(0) as u64,
        changes,
    ))
}

/// Re-derives the complaint's institution, status and flags from its documents; when the
/// institution changes, who may see it changes too.
fn refresh_meta(
    tx: &mut dyn Sql,
    ctx: &Context<'_>,
    complaint_id: &str,
    existing: Option<&Meta>,
) -> Result<(), ApiError> {
    let report_doc = load_doc(tx, &model::doc_id(complaint_id, DocKind::Report))?;
    let Some(report) = report::read(&report_doc) else {
        return Ok(());
    };
    let log_doc = load_doc(tx, &model::doc_id(complaint_id, DocKind::Log))?;
    let events = log::read(&log_doc);
    let received = log::received(&log_doc);
    // Who may fetch a photo is decided through the complaints that show it and who wrote each
    // reference (the reporter the report's, each event's author its own): a reference opens
    // only what its writer may (services::photos::may_read).
    tx.execute(
        "DELETE FROM photo_refs WHERE complaint_id = $1",
        vals![complaint_id],
    )?;
    let owner = existing.map_or(ctx.account.id.as_str(), |m| m.owner.as_str());
    let refs = report
        .photos
        .iter()
        .flat_map(|p| [p.sha256.clone(), p.thumb_sha256.clone()])
        .map(|sha| (sha, owner.to_string()))
        .chain(events.iter().flat_map(|e| {
            let writer = match (&e.by.account, e.by.reporter) {
                (Some(account), false) => account.clone(),
                _ => owner.to_string(),
            };
            e.photos
                .iter()
                .map(move |sha| (sha.clone(), writer.clone()))
        }))
        .filter(|(sha, _)| aduan_core::model::event::is_sha256_hex(sha));
    for (sha, writer) in refs {
        tx.execute(
            "INSERT INTO photo_refs (complaint_id, sha256, account_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            vals![complaint_id, sha, writer],
        )?;
    }
    let replay = workflow::replay(
        &facts(&report),
        events,
        &received,
        ctx.now_ms,
        ctx.deadlines,
    );
    super::figures::record(tx, &report, &replay, &received, ctx.deadlines)?;
    let state = &replay.state;
    super::reporters::forget_if_anonymous(tx, complaint_id, state.anonymous || report.anonymous)?;
    let seq = tx.query_int("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])?;
    crate::storage::public::index(
        tx,
        complaint_id,
        &report,
        state.confidential || report.confidential,
    )?;
    let status: Status = state.status;
    let area = state.area.as_deref();
    match existing {
        None => {
            tx.execute(
                "INSERT INTO complaints (id, owner_account, tracking_id, institution_id, status, anonymous, confidential, access_seq, area)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                vals![
                    complaint_id,
                    &ctx.account.id,
                    model::tracking_id(complaint_id),
                    state.institution.as_deref(),
                    status.code(),
                    state.anonymous || report.anonymous,
                    state.confidential || report.confidential,
                    seq,
                    area
                ],
            )?;
        }
        Some(old) => {
            let moved = old.institution != state.institution;
            tx.execute(
                "UPDATE complaints SET institution_id = $2, status = $3, anonymous = $4, confidential = $5,
                    access_seq = CASE WHEN $6 THEN $7 ELSE access_seq END, area = $8
                 WHERE id = $1",
                vals![
                    complaint_id,
                    state.institution.as_deref(),
                    status.code(),
                    state.anonymous || report.anonymous,
                    state.confidential || report.confidential,
                    moved,
                    seq,
                    area
                ],
            )?;
        }
    }
    crate::storage::queue::QueueColumns::of(complaint_id, &report, &replay, ctx.deadlines)
        .store(tx, complaint_id)?;
    Ok(())
}
