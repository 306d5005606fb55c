//! The web desk's logic: administrators, officers and operators act in a browser on the same
//! documents and under the same core rules as the phones. A step is made by core's own
//! functions as the signed-in account ([`Event::new_by`], [`workflow::check`],
//! [`report::file`]) and stored through [`sync::submit`], the admission a phone's upload goes
//! through: the same authority checks, escalation, security log and live announcement, so the
//! phones hear of a desk's step the way they hear of each other's.

use aduan_core::api::records::ActionKind;
use aduan_core::api::views;
use aduan_core::catalog::{CategoryTree, Directory};
use aduan_core::error::AduanError;
use aduan_core::model::event::{acts_as_reporter, valid_id, Action, Event};
use aduan_core::model::report::{self, NewReport, PhotoRef, Report};
use aduan_core::model::reporter::ReporterContact;
use aduan_core::model::{self, log, DocKind};
use aduan_core::photo::{self, PhotoOptions};
use aduan_core::store::facts;
use aduan_core::store::similar::{self, DuplicateCandidate, DuplicateQuery, Earlier};
use aduan_core::sync::protocol::Refused;
use aduan_core::types::Millis;
use aduan_core::workflow::{self, Deadlines, Replay};
use automerge::{ActorId, AutoCommit};

use super::live::Live;
use super::photos::{self as photo_service, Chunk, MAX_CHUNK_BYTES};
use super::quotas::Meter;
use super::sync::{self, load_doc, Context};
use crate::error::{ApiError, Kind};
use crate::storage::photos::PhotoStore;
use crate::storage::queue::{self as queue_rows, Narrow, QueueColumns};
use crate::storage::{Account, Db, Sql};
use crate::vals;

/// A complaint as the desk shows it: both documents read and replayed.
pub struct Opened {
    pub id: String,
    pub owner: String,
    pub report: Report,
    pub replay: Replay,
}

impl Opened {
    /// Whether `account` filed it (for itself, or as the operator who typed it for a caller).
    pub fn filed_by(&self, account: &Account) -> bool {
        self.owner == account.id
    }

    pub fn due_at(&self, deadlines: &Deadlines) -> Option<Millis> {
        self.replay.state.due_at(deadlines)
    }
}

/// The same answer whether the complaint does not exist or is not this account's to see.
pub fn not_found() -> ApiError {
    ApiError::new(
        Kind::NotFound,
        "complaint_not_found",
        "No such report, or it is not yours to see.",
        "Laporan tidak ditemukan, atau bukan wewenang Anda untuk melihatnya.",
    )
}

/// The complaint, if `account` may see it (the sync round's rule); `not_found` otherwise.
pub fn open(
    sql: &mut dyn Sql,
    account: &Account,
    complaint_id: &str,
    now: Millis,
    deadlines: &Deadlines,
) -> Result<Opened, ApiError> {
    if !valid_id(complaint_id) {
        return Err(not_found());
    }
    let row = sql
        .query_opt(
            "SELECT owner_account, institution_id FROM complaints WHERE id = $1",
            vals![complaint_id],
        )?
        .ok_or_else(not_found)?;
    let (owner, institution) = (row.text(0)?, row.opt_text(1)?);
    if !sync::may_see_parts(account, &owner, institution.as_ref()) {
        return Err(not_found());
    }
    read(sql, complaint_id, owner, now, deadlines)?.ok_or_else(not_found)
}

fn read(
    sql: &mut dyn Sql,
    complaint_id: &str,
    owner: String,
    now: Millis,
    deadlines: &Deadlines,
) -> Result<Option<Opened>, ApiError> {
    let report_doc = load_doc(sql, &model::doc_id(complaint_id, DocKind::Report))?;
    let log_doc = load_doc(sql, &model::doc_id(complaint_id, DocKind::Log))?;
    Ok(replayed(
        complaint_id,
        owner,
        &report_doc,
        &log_doc,
        now,
        deadlines,
    ))
}

/// The complaint its two documents hold, replayed; `None` when there is no report.
fn replayed(
    complaint_id: &str,
    owner: String,
    report_doc: &AutoCommit,
    log_doc: &AutoCommit,
    now: Millis,
    deadlines: &Deadlines,
) -> Option<Opened> {
    let report = report::read(report_doc)?;
    let replay = workflow::replay(
        &facts(&report),
        log::read(log_doc),
        &log::received(log_doc),
        now,
        deadlines,
    );
    Some(Opened {
        id: complaint_id.to_string(),
        owner,
        report,
        replay,
    })
}

/// How many complaints the queue reads from the database at once (their rows, then their
/// documents in one query): a page costs a few round trips, not two for every complaint, and
/// the database walks its deadline index only as far as the page needs.
const READ_AHEAD: usize = 32;

/// The complaints `account` may see (the sync round's rule) that `narrow` leaves, soonest
/// stored deadline first (none last), read and replayed in order and handed to `take` until
/// it returns false: the inbox reads only as far as it shows ([`READ_AHEAD`] at a time).
/// Which rows to read is narrowed in SQL (the account's institution, its own filings, the
/// stored codes, names and words) and decided by the same rule as everywhere.
pub fn queue(
    sql: &mut dyn Sql,
    account: &Account,
    narrow: &Narrow,
    now: Millis,
    deadlines: &Deadlines,
    mut take: impl FnMut(Opened) -> bool,
) -> Result<(), ApiError> {
    // A row that moved between two reads (a step stored meanwhile) is handed over once.
    let mut seen = std::collections::HashSet::new();
    for offset in (0..).step_by(READ_AHEAD) {
        let rows = queue_rows::candidates(sql, account, narrow, offset, READ_AHEAD)?;
        let last = rows.len() < READ_AHEAD;
        let mut visible = Vec::with_capacity(rows.len());
        for row in rows {
            let (id, owner, institution) = (row.text(0)?, row.text(1)?, row.opt_text(2)?);
            if sync::may_see_parts(account, &owner, institution.as_ref()) && seen.insert(id.clone())
            {
                visible.push((id, owner));
            }
        }
        let doc_ids: Vec<String> = visible
            .iter()
            .flat_map(|(id, _)| {
                [
                    model::doc_id(id, DocKind::Report),
                    model::doc_id(id, DocKind::Log),
                ]
            })
            .collect();
        let mut snapshots = queue_rows::snapshots(sql, &doc_ids)?;
        let mut load = |doc_id: &str| sync::doc_from(doc_id, snapshots.remove(doc_id));
        for (id, owner) in visible {
            let report_doc = load(&model::doc_id(&id, DocKind::Report))?;
            let log_doc = load(&model::doc_id(&id, DocKind::Log))?;
            if let Some(opened) = replayed(&id, owner, &report_doc, &log_doc, now, deadlines) {
                if !take(opened) {
                    return Ok(());
                }
            }
        }
        if last {
            break;
        }
    }
    Ok(())
}

/// Fills the queue columns of complaints stored before they existed (migrations 14 and 15):
/// each is replayed once, at start.
pub fn backfill_queue(db: &Db, deadlines: &Deadlines, now: Millis) -> Result<usize, ApiError> {
    let ids: Vec<String> = db.run(|sql| {
        sql.query("SELECT id FROM complaints WHERE queued = FALSE", &[])?
            .iter()
            .map(|r| r.text(0))
            .collect()
    })?;
    for id in &ids {
        db.transaction(|tx| match read(tx, id, String::new(), now, deadlines)? {
            Some(o) => QueueColumns::of(id, &o.report, &o.replay, deadlines).store(tx, id),
            // Not readable (no report document): nothing to narrow by; left out of no queue.
            None => {
                tx.execute(
                    "UPDATE complaints SET queued = TRUE WHERE id = $1",
                    vals![id],
                )?;
                Ok(())
            }
        })?;
    }
    Ok(ids.len())
}

/// The complaints `account` filed (a citizen's own reports, an operator's filings for
/// callers), newest first, read and replayed.
pub fn reports_of(
    sql: &mut dyn Sql,
    account: &Account,
    now: Millis,
    deadlines: &Deadlines,
) -> Result<Vec<Opened>, ApiError> {
    let rows = sql.query(
        "SELECT id FROM complaints WHERE owner_account = $1",
        vals![&account.id],
    )?;
    let mut out = Vec::new();
    for row in rows {
        if let Some(opened) = read(sql, &row.text(0)?, account.id.clone(), now, deadlines)? {
            out.push(opened);
        }
    }
    out.sort_by_key(|o| std::cmp::Reverse(o.report.created_at));
    Ok(out)
}

/// Earlier open complaints `account` may see that `opened` may repeat, by core's rule (the
/// phone's: the same category, about the same place, filed in the weeks before it, similar
/// words), most likely first: what an administrator merges it into.
pub fn duplicates(
    sql: &mut dyn Sql,
    account: &Account,
    opened: &Opened,
    now: Millis,
    deadlines: &Deadlines,
) -> Result<Vec<DuplicateCandidate>, ApiError> {
    let r = &opened.report;
    let since = r.created_at - similar::DUPLICATE_WINDOW_DAYS * 86_400_000;
    let mut others = Vec::new();
    // Core's rule asks for the same category, open, filed in the window: only those are read.
    let narrow = Narrow {
        open_only: true,
        filed_from: Some(since),
        filed_to: Some(r.created_at),
        categories: Some(vec![r.category.clone()]),
        ..Narrow::default()
    };
    queue(sql, account, &narrow, now, deadlines, |o| {
        others.push(o);
        true
    })?;
    let query = DuplicateQuery {
        category: r.category.clone(),
        latitude: r.location.latitude,
        longitude: r.location.longitude,
        kelurahan: r.location.kelurahan.clone(),
        text: format!("{} {}", r.title, r.description),
        exclude_id: Some(opened.id.clone()),
        at: r.created_at,
    };
    Ok(similar::suggest_among(
        &query,
        others.iter().map(|o| Earlier {
            complaint_id: &o.id,
            tracking_id: aduan_core::model::tracking_id(&o.id),
            category: &o.report.category,
            title: &o.report.title,
            description: &o.report.description,
            latitude: o.report.location.latitude,
            longitude: o.report.location.longitude,
            kelurahan: &o.report.location.kelurahan,
            created_at: o.report.created_at,
            open: o.replay.state.status.is_open(),
        }),
    ))
}

/// What `account` may do on the complaint now, by core's rules (as on the phone).
pub fn actions(
    directory: &Directory,
    account: &Account,
    opened: &Opened,
    now: Millis,
) -> Vec<ActionKind> {
    views::actions_for(
        directory,
        &account.identity(),
        opened.filed_by(account),
        &opened.replay,
        now,
    )
}

/// Workflow steps (not replies or ratings): what puts a complaint in someone's queue.
pub fn is_step(kind: &ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Dispatch
            | ActionKind::Assign
            | ActionKind::Resume
            | ActionKind::StartWork
            | ActionKind::FollowUp
            | ActionKind::Close
    )
}

/// A core error as the phones show it, in both languages.
pub fn from_core(err: aduan_core::error::Error) -> ApiError {
    let shown = AduanError::from(err);
    let kind = match shown {
        AduanError::NotFound { .. } => Kind::NotFound,
        AduanError::NotAllowed { .. } => Kind::Forbidden,
        AduanError::PhotoRejected { .. } => Kind::Unprocessable,
        AduanError::InvalidInput { .. } => Kind::Invalid,
        _ => Kind::Internal,
    };
    ApiError::new(
        kind,
        "refused",
        shown.message(aduan_core::types::Language::En).to_string(),
        shown.message(aduan_core::types::Language::Id).to_string(),
    )
}

fn from_refused(r: Refused) -> ApiError {
    let kind = if r.code == "no_access" {
        Kind::NotFound
    } else {
        Kind::Unprocessable
    };
    ApiError::new(kind, "refused", r.message_en, r.message_id)
}

/// Checks what only the server's directory and photo store can tell (as the phone's store
/// does with its own).
fn validate_parameters(
    sql: &mut dyn Sql,
    directory: &Directory,
    account: &Account,
    complaint_id: &str,
    action: &Action,
    photos: &[String],
) -> Result<(), ApiError> {
    for p in photos {
        if !photo_service::may_read(sql, account, p)? {
            return Err(from_core(aduan_core::error::Error::Invalid {
                field: "photos",
                reason: "photo not in this store",
            }));
        }
    }
    let missing = |what: &'static str, id: &str| {
        from_core(aduan_core::error::Error::NotFound {
            what,
            id: id.to_string(),
        })
    };
    match action {
        Action::Dispatch { institution } if directory.institution(institution).is_none() => {
            Err(missing("institution", institution))
        }
        Action::Assign { unit, .. } if directory.unit(unit).is_none() => Err(missing("unit", unit)),
        Action::MergeInto { target } if target == complaint_id => {
            Err(from_core(aduan_core::error::Error::Invalid {
                field: "merge target",
                reason: "cannot be the complaint itself",
            }))
        }
        _ => Ok(()),
    }
}

/// The signed-in account takes one step (or writes a reply) on a complaint it may see, as a
/// phone would: core builds and checks the event, the sync admission stores it.
#[allow(clippy::too_many_arguments)]
pub fn act(
    db: &Db,
    live: &Live,
    ctx: &Context<'_>,
    directory: &Directory,
    complaint_id: &str,
    action: Action,
    note: &str,
    photos: Vec<String>,
) -> Result<(), ApiError> {
    let account = ctx.account;
    let opened = db.run(|sql| open(sql, account, complaint_id, ctx.now_ms, ctx.deadlines))?;
    db.run(|sql| validate_parameters(sql, directory, account, complaint_id, &action, &photos))?;
    let event = Event::new_by(
        &account.identity(),
        acts_as_reporter(opened.filed_by(account), &action),
        opened.replay.max_lamport,
        ctx.now_ms,
        action,
        note.trim().to_string(),
        photos,
    );
    event.validate_shape().map_err(|reason| {
        from_core(aduan_core::error::Error::Invalid {
            field: "action",
            reason,
        })
    })?;
    workflow::check(&opened.replay.state, &event)
        .map_err(|r| from_core(aduan_core::error::Error::Refused(r)))?;
    let log_id = model::doc_id(complaint_id, DocKind::Log);
    let mut doc = db.run(|sql| load_doc(sql, &log_id))?;
    // A fresh actor per step, bound to this browser session's device by the admission.
    doc.set_actor(ActorId::random());
    log::append(&mut doc, &event).map_err(from_core)?;
    let change = doc
        .get_last_local_change()
        .map(|c| c.raw_bytes().to_vec())
        .ok_or_else(|| ApiError::internal("a desk step made no change"))?;
    match sync::submit(db, live, ctx, vec![(log_id, vec![change])])?
        .into_iter()
        .next()
    {
        Some(refused) => Err(from_refused(refused)),
        None => Ok(()),
    }
}

/// Files a complaint as the signed-in account: for itself (a citizen on the web), or with
/// `on_behalf` for a caller or walk-in (an operator, recorded as who typed it). `contact` is
/// the reporter's, kept as the phones' filings keep theirs; an operator's caller who gives no
/// name stays anonymous, and an anonymous report keeps no contact. Returns the complaint's id;
/// the reporter follows it by its tracking id.
pub fn file(
    db: &Db,
    live: &Live,
    ctx: &Context<'_>,
    categories: &CategoryTree,
    mut new: NewReport,
    on_behalf: bool,
    contact: Option<ReporterContact>,
) -> Result<String, ApiError> {
    if on_behalf && contact.is_none() {
        new.anonymous = true;
    }
    let contact = contact
        .filter(|_| !new.anonymous)
        .map(|c| c.validated())
        .transpose()
        .map_err(from_core)?;
    let complaint_id = model::new_complaint_id();
    let mut doc = model::new_doc(ActorId::random());
    report::file(
        &mut doc,
        &complaint_id,
        &new,
        ctx.now_ms,
        &ctx.account.identity(),
        on_behalf,
        categories,
    )
    .map_err(from_core)?;
    let changes = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let report_id = model::doc_id(&complaint_id, DocKind::Report);
    if let Some(refused) = sync::submit(db, live, ctx, vec![(report_id, changes)])?
        .into_iter()
        .next()
    {
        return Err(from_refused(refused));
    }
    if let Some(contact) = contact {
        let id = complaint_id.clone();
        db.transaction(|tx| super::reporters::give(tx, ctx.account, &id, &contact, ctx.now_ms))?;
    }
    Ok(complaint_id)
}

/// A photo taken at the desk (evidence of a follow-up, a walk-in's picture): processed by
/// core as on a phone (metadata stripped, resized), then stored through the photo service as
/// this account's upload, full size and thumbnail. Returns its reference.
pub fn store_photo(
    db: &Db,
    photos: &dyn PhotoStore,
    meter: &Meter,
    account: &Account,
    device_id: &str,
    bytes: &[u8],
    now: Millis,
) -> Result<PhotoRef, ApiError> {
    let processed = photo::process(bytes, &PhotoOptions::default())
        .map_err(|e| from_core(aduan_core::error::Error::from(e)))?;
    for (image, thumb_of) in [
        (&processed.full, None),
        (&processed.thumb, Some(processed.full.sha256.clone())),
    ] {
        let total = image.bytes.len() as u64;
        let mut offset = 0usize;
        loop {
            let end = (offset + MAX_CHUNK_BYTES).min(image.bytes.len());
            let progress = photo_service::upload(
                db,
                photos,
                meter,
                account,
                device_id,
                None,
                Chunk {
                    sha: &image.sha256,
                    offset: offset as u64,
                    total,
                    thumb_of: thumb_of.clone(),
                    bytes: &image.bytes[offset..end],
                },
            )?;
            if progress.complete {
                break;
            }
            offset = progress.offset as usize;
        }
    }
    Ok(PhotoRef {
        sha256: processed.full.sha256.clone(),
        thumb_sha256: processed.thumb.sha256.clone(),
        width: processed.full.width,
        height: processed.full.height,
        bytes: processed.full.bytes.len() as u64,
        added_at: now,
    })
}
