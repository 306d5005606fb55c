//! The store on the phone: one SQLite database in a folder. Every action is one transaction
//! that writes the document changes, refreshes the index and records what sync owes, and the
//! app is told "saved" only after that transaction is durable (WAL, synchronous=FULL).

pub mod contacts;
pub mod docs;
pub mod index;
pub mod leave;
pub mod notices;
pub mod schema;
pub mod secrets;
pub mod similar;
pub mod sync_state;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use automerge::AutoCommit;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::catalog::{AreaScope, Areas, CategoryTree, Directory, Route};
use crate::error::{Error, Result};
use crate::model::event::{Action, Event};
use crate::model::report::{self, NewReport, PhotoRef, Report, ReportEdit};
use crate::model::reporter::ReporterContact;
use crate::model::{self, log, DocKind};
use crate::photo::{self, PhotoOptions, ProcessedPhoto};
use crate::sync::bounds::{self, Bound};
use crate::types::{Identity, Millis, Role, Status};
use crate::workflow::{self, Deadlines, Refusal, Replay, ReportFacts};

use docs::StoredDoc;

pub const DB_FILE: &str = "aduan.db";
const CACHE_DOCS: usize = 64;

pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// Work done here that the server refused, with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedRecord {
    pub complaint_id: String,
    /// The refused event (none when a report change was refused).
    pub event: Option<Event>,
    pub code: String,
    pub message_id: String,
    pub message_en: String,
    pub at: Millis,
}

/// A complaint loaded whole: both documents, read and replayed.
pub struct Loaded {
    pub report: Report,
    pub replay: Replay,
    pub mine: bool,
    /// When the server received each event it stamped (the figures count from these).
    pub received: model::log::Received,
}

pub struct Store {
    conn: Connection,
    dir: PathBuf,
    session_secret: [u8; 32],
    cache: HashMap<String, StoredDoc>,
    cache_order: Vec<String>,
    pub deadlines: Deadlines,
    pub categories: CategoryTree,
    pub directory: Directory,
    /// The national areas this device keeps, loaded on first use (see `areas`).
    areas: std::cell::OnceCell<Areas>,
    area_scope: Option<AreaScope>,
    pub photo_options: PhotoOptions,
    identity: Option<Identity>,
    /// Tests and demos pin the clock; `None` reads the system clock.
    pub clock: Option<Millis>,
    compaction_due: Vec<String>,
    /// Where the session's tokens are kept: never in this SQLite file.
    secrets: Arc<dyn secrets::SecretStore>,
    /// How this phone talks to servers (trusted roots, the developer's plain-http switch).
    pub transport: crate::sync::client::TransportOptions,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, keeping tokens in a file in `dir` that
    /// only its owner may read (the CLI's way). Only one process may hold it at a time.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store> {
        let secrets = Arc::new(secrets::FileSecretStore::new(dir.as_ref()));
        Self::open_with_secrets(dir, secrets)
    }

    /// Opens the store in `dir` with tokens kept in the platform's secure storage.
    pub fn open_with_secrets(
        dir: impl AsRef<Path>,
        secrets: Arc<dyn secrets::SecretStore>,
    ) -> Result<Store> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let mut conn = Connection::open_with_flags(
            dir.join(DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_millis(0))?;
        let setup = |conn: &Connection| -> rusqlite::Result<()> {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // FULL: a commit is on disk before we say "saved", power cut or not.
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
            // Take the lock now, so a second process fails at open rather than mid-action.
            conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
        };
        setup(&conn).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::DatabaseBusy
                    || f.code == rusqlite::ErrorCode::DatabaseLocked =>
            {
                Error::Locked
            }
            other => Error::Sqlite(other),
        })?;
        let found_version = schema::migrate(&mut conn)?;
        let identity = conn
            .query_row("SELECT value FROM meta WHERE key = 'identity'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|json| serde_json::from_str(&json).ok());
        let mut session_secret = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut session_secret);
        let directory = Directory::bundled_sample();
        let store = Store {
            conn,
            dir,
            session_secret,
            cache: HashMap::new(),
            cache_order: Vec::new(),
            deadlines: Deadlines::default().with_directory(&directory),
            categories: CategoryTree::bundled(),
            directory,
            areas: std::cell::OnceCell::new(),
            area_scope: None,
            photo_options: PhotoOptions::default(),
            identity,
            clock: None,
            compaction_due: Vec::new(),
            secrets,
            transport: Default::default(),
        };
        store.move_session_to_secrets()?;
        let mut store = store;
        if (1..3).contains(&found_version) {
            // Rows indexed before channels (version 1) or before cadres' areas and the queue's
            // order (version 2): index them again from their documents.
            store.reindex()?;
        }
        Ok(store)
    }

    /// Uses another directory (the server's, so this phone's deadlines match it): each
    /// institution's zone changes when its deadlines end, so the listed due times are derived
    /// again.
    pub fn set_directory(&mut self, directory: Directory) -> Result<()> {
        self.deadlines = self.deadlines.clone().with_directory(&directory);
        self.directory = directory;
        self.areas = std::cell::OnceCell::new();
        self.rederive_due_times()
    }

    /// Which districts and villages this device keeps: by default those of the regions its
    /// directory governs (a phone), or the whole country (a desk).
    pub fn set_area_scope(&mut self, scope: Option<AreaScope>) {
        self.area_scope = scope;
        self.areas = std::cell::OnceCell::new();
    }

    /// Indonesia's administrative areas as this device keeps them: every province and regency,
    /// and the districts and villages of its scope.
    pub fn areas(&self) -> &Areas {
        self.areas.get_or_init(|| {
            let scope = self
                .area_scope
                .clone()
                .unwrap_or_else(|| AreaScope::Within(self.directory.area_scope()));
            let loaded = match &scope {
                AreaScope::Whole => Areas::bundled_whole(),
                AreaScope::Within(codes) => Areas::bundled_slice(codes),
            };
            loaded.unwrap_or_else(|e| {
                ::log::error!("bundled areas do not load: {e}");
                Areas::default()
            })
        })
    }

    /// The village a location names (by its kelurahan, kecamatan, city and province), and
    /// who should handle a complaint in `category` there.
    pub fn route(
        &self,
        location: &crate::types::Location,
        category: &str,
    ) -> (Option<crate::catalog::Area>, Vec<Route>) {
        let village = self
            .areas()
            .village_of(
                &location.kelurahan,
                &location.kecamatan,
                &location.city,
                &location.province,
            )
            .cloned();
        let routes = village
            .as_ref()
            .map(|v| self.directory.route(&v.code, category, &self.categories))
            .unwrap_or_default();
        (village, routes)
    }

    /// Earlier complaints that may be the same problem (see `similar`).
    pub fn suggest_duplicates(
        &self,
        query: &similar::DuplicateQuery,
    ) -> Result<Vec<similar::DuplicateCandidate>> {
        similar::suggest(&self.conn, query)
    }

    /// Derives every listed complaint's due time again after the deadlines changed.
    pub fn rederive_due_times(&mut self) -> Result<()> {
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM complaints")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let (due, cadre_hours, escalated_to) = match self.load(&id) {
                Ok(loaded) => {
                    let state = &loaded.replay.state;
                    let (cadre_hours, escalated_to) = index::queue_marks(state, &self.deadlines);
                    (state.due_at(&self.deadlines), cadre_hours, escalated_to)
                }
                // A damaged or missing complaint keeps its row as it is.
                Err(_) => continue,
            };
            self.conn
                .prepare_cached(
                    "UPDATE complaints SET due_at = ?2, cadre_hours = ?3, escalated_to = ?4
                     WHERE id = ?1",
                )?
                .execute(rusqlite::params![id, due, cadre_hours, escalated_to])?;
        }
        Ok(())
    }

    /// Writes every complaint's index row again from its documents.
    pub fn reindex(&mut self) -> Result<()> {
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM complaints")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let Ok(loaded) = self.load(&id) else {
                // A damaged complaint keeps its row (and its badge).
                continue;
            };
            index::upsert(
                &self.conn,
                &loaded.report,
                &model::tracking_id(&id),
                &loaded.replay.state,
                &self.deadlines,
                loaded.mine,
                false,
            )?;
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn now(&self) -> Millis {
        self.clock.unwrap_or_else(now_millis)
    }

    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    pub fn set_identity(&mut self, identity: Identity) -> Result<()> {
        validate_identity(&identity)?;
        let json = serde_json::to_string(&identity).map_err(|_| Error::Invalid {
            field: "identity",
            reason: "cannot be encoded",
        })?;
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('identity', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [json],
        )?;
        self.identity = Some(identity);
        Ok(())
    }

    fn require_identity(&self) -> Result<Identity> {
        self.identity.clone().ok_or(Error::NoIdentity)
    }

    // ---- documents -------------------------------------------------------------------------

    fn doc_mut(&mut self, doc_id: &str) -> Result<Option<&mut StoredDoc>> {
        if !self.cache.contains_key(doc_id) {
            let Some(stored) = docs::load(&self.conn, doc_id)? else {
                return Ok(None);
            };
            self.remember(doc_id.to_string(), stored);
        }
        Ok(self.cache.get_mut(doc_id))
    }

    fn remember(&mut self, doc_id: String, stored: StoredDoc) {
        if self.cache.len() >= CACHE_DOCS {
            if let Some(old) = (!self.cache_order.is_empty()).then(|| self.cache_order.remove(0)) {
                self.cache.remove(&old);
            }
        }
        self.cache_order.retain(|d| d != &doc_id);
        self.cache_order.push(doc_id.clone());
        self.cache.insert(doc_id, stored);
    }

    fn forget(&mut self, doc_id: &str) {
        self.cache.remove(doc_id);
        self.cache_order.retain(|d| d != doc_id);
    }

    fn is_mine(&self, complaint_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT mine FROM complaints WHERE id = ?1")?
            .query_row([complaint_id], |r| r.get::<_, bool>(0))
            .optional()?
            .unwrap_or(false))
    }

    /// Loads and replays a complaint. A damaged document marks the complaint damaged in the
    /// index (so lists show it) and returns the error; nothing else is affected.
    pub fn load(&mut self, complaint_id: &str) -> Result<Loaded> {
        let result = self.load_inner(complaint_id);
        if let Err(Error::Damaged { reason, .. }) = &result {
            ::log::error!("complaint {complaint_id} damaged: {reason}");
            index::mark_damaged(&self.conn, complaint_id, reason)?;
        }
        result
    }

    fn load_inner(&mut self, complaint_id: &str) -> Result<Loaded> {
        let now = self.now();
        let mine = self.is_mine(complaint_id)?;
        let report_id = model::doc_id(complaint_id, DocKind::Report);
        let report = match self.doc_mut(&report_id)? {
            Some(stored) => report::read(&stored.doc).ok_or_else(|| Error::Damaged {
                doc_id: report_id.clone(),
                reason: "holds no report".into(),
            })?,
            None => {
                return Err(Error::NotFound {
                    what: "complaint",
                    id: complaint_id.to_string(),
                })
            }
        };
        let log_id = model::doc_id(complaint_id, DocKind::Log);
        let (events, received) = match self.doc_mut(&log_id)? {
            Some(stored) => (log::read(&stored.doc), log::received(&stored.doc)),
            None => Default::default(),
        };
        let replay = workflow::replay(&facts(&report), events, &received, now, &self.deadlines);
        Ok(Loaded {
            report,
            replay,
            mine,
            received,
        })
    }

    /// Resolves a complaint id or a tracking id.
    pub fn resolve(&self, id_or_tracking: &str) -> Result<String> {
        let trimmed = id_or_tracking.trim();
        if let Some(id) = index::id_for_tracking(&self.conn, trimmed)? {
            return Ok(id);
        }
        let exists: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM complaints WHERE id = ?1")?
            .query_row([trimmed], |r| r.get(0))
            .optional()?;
        exists.ok_or_else(|| Error::NotFound {
            what: "complaint",
            id: trimmed.to_string(),
        })
    }

    /// Writes the documents touched by one action, the index row and the sync record, in one
    /// durable transaction; the cache learns of the save only after the commit.
    fn commit(
        &mut self,
        complaint_id: &str,
        touched: &[DocKind],
        mine: bool,
        report_changed: bool,
    ) -> Result<()> {
        self.commit_as(complaint_id, touched, mine, report_changed, true)
    }

    /// `local`: the change was made here, so the server does not have it yet.
    fn commit_as(
        &mut self,
        complaint_id: &str,
        touched: &[DocKind],
        mine: bool,
        report_changed: bool,
        local: bool,
    ) -> Result<()> {
        let report_id = model::doc_id(complaint_id, DocKind::Report);
        let has_report = self.doc_mut(&report_id)?.is_some();
        // A log can arrive before its report; it is stored, and indexed once the report comes.
        let loaded = if has_report {
            Some(self.load_inner(complaint_id)?)
        } else {
            None
        };
        let tracking = model::tracking_id(complaint_id);
        let mut due = Vec::new();
        // A savepoint: its own transaction, or part of a sync round's (see `in_one_transaction`).
        let tx = self.conn.savepoint()?;
        for kind in touched {
            let doc_id = model::doc_id(complaint_id, *kind);
            let stored = self
                .cache
                .get_mut(&doc_id)
                .expect("a touched document is in the cache");
            if docs::append(&tx, &doc_id, complaint_id, stored)? >= docs::COMPACT_AFTER_CHANGES {
                due.push(doc_id.clone());
            }
            if local {
                tx.prepare_cached(
                    "INSERT INTO sync_docs (doc_id, dirty) VALUES (?1, 1)
                     ON CONFLICT(doc_id) DO UPDATE SET dirty = 1",
                )?
                .execute([&doc_id])?;
            }
        }
        if let Some(loaded) = &loaded {
            // Once a complaint is anonymous (the reporter's choice, or an administrator's),
            // nothing about its reporter is kept: the server is told to forget it too.
            if loaded.replay.state.anonymous || loaded.report.anonymous {
                contacts::remove(&tx, complaint_id)?;
            }
            index::upsert(
                &tx,
                &loaded.report,
                &tracking,
                &loaded.replay.state,
                &self.deadlines,
                mine,
                report_changed,
            )?;
        }
        tx.commit()?;
        self.compaction_due.extend(due);
        for kind in touched {
            let doc_id = model::doc_id(complaint_id, *kind);
            if let Some(stored) = self.cache.get_mut(&doc_id) {
                docs::mark_saved(stored);
            }
        }
        Ok(())
    }

    /// Drops unsaved changes from cached documents after a failed action, so the next action
    /// starts from what is on disk.
    fn discard(&mut self, complaint_id: &str) {
        for kind in [DocKind::Report, DocKind::Log] {
            self.forget(&model::doc_id(complaint_id, kind));
        }
    }

    fn with_rollback<T>(
        &mut self,
        complaint_id: &str,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let result = f(self);
        if result.is_err() {
            self.discard(complaint_id);
        }
        result
    }

    // ---- reporting -------------------------------------------------------------------------

    /// Files a new report. Returns its id once it is durably stored.
    pub fn create(&mut self, new: &NewReport) -> Result<String> {
        self.file(new, false, None)
    }

    /// Files a new report with the reporter's contact details, which only the handlers of
    /// whoever holds it will see (see [`model::reporter`]).
    pub fn create_named(&mut self, new: &NewReport, contact: &ReporterContact) -> Result<String> {
        self.file(new, false, Some(contact))
    }

    /// A call-centre or desk operator files for a caller who has no app: the operator is
    /// recorded as who typed it, the caller is its reporter (named by `caller`, or anonymous
    /// when no details are given). The caller follows it by its tracking id.
    pub fn file_on_behalf(
        &mut self,
        new: &NewReport,
        caller: Option<&ReporterContact>,
    ) -> Result<String> {
        let mut new = new.clone();
        if caller.is_none() {
            new.anonymous = true;
        }
        self.file(&new, true, caller)
    }

    fn file(
        &mut self,
        new: &NewReport,
        on_behalf: bool,
        contact: Option<&ReporterContact>,
    ) -> Result<String> {
        let identity = self.require_identity()?;
        let contact = contact.map(ReporterContact::validated).transpose()?;
        if contact.is_some() && new.anonymous {
            return Err(Error::Invalid {
                field: "contact",
                reason: "an anonymous report keeps nothing about its reporter",
            });
        }
        // The village it is about, when the names find exactly one (a cadre's area needs it).
        let mut new = new.clone();
        self.fill_area(&mut new.location);
        let new = &new;
        let complaint_id = model::new_complaint_id();
        let report_id = model::doc_id(&complaint_id, DocKind::Report);
        let mut doc: AutoCommit =
            model::new_doc(model::session_actor(&self.session_secret, &report_id));
        report::file(
            &mut doc,
            &complaint_id,
            new,
            self.now(),
            &identity,
            on_behalf,
            &self.categories,
        )?;
        self.remember(report_id, StoredDoc::new(doc));
        let id = complaint_id.clone();
        // The report and its reporter's details are kept together, or neither is.
        self.in_one_transaction(move |s| {
            s.with_rollback(&id, |s| s.commit(&id, &[DocKind::Report], true, true))?;
            if let Some(contact) = &contact {
                contacts::put(&s.conn, &id, contact)?;
            }
            Ok(())
        })?;
        Ok(complaint_id)
    }

    // ---- who may know the reporter -----------------------------------------------------------

    /// Gives (or changes) the reporter's contact details for a complaint filed here; they go to
    /// the server at the next sync, never into the documents.
    pub fn set_reporter_contact(
        &mut self,
        complaint_id: &str,
        contact: &ReporterContact,
    ) -> Result<()> {
        self.require_identity()?;
        let contact = contact.validated()?;
        let loaded = self.load(complaint_id)?;
        if !loaded.mine {
            return Err(Error::Refused(Refusal::NotReporter { action: "edit" }));
        }
        if loaded.report.anonymous || loaded.replay.state.anonymous {
            return Err(Error::Invalid {
                field: "contact",
                reason: "an anonymous report keeps nothing about its reporter",
            });
        }
        contacts::put(&self.conn, complaint_id, &contact)
    }

    /// The reporter's contact details as this phone holds them (only the phone that filed the
    /// complaint does; handlers ask the server).
    pub fn local_reporter_contact(&self, complaint_id: &str) -> Result<Option<ReporterContact>> {
        contacts::get(&self.conn, complaint_id)
    }

    /// The reporter asks to be forgotten: the details are gone from this phone at once, and
    /// from the server at the next sync. Only the phone that filed it may ask.
    pub fn remove_reporter_contact(&mut self, complaint_id: &str) -> Result<bool> {
        self.require_identity()?;
        if !self.is_mine(complaint_id)? {
            return Err(Error::Refused(Refusal::NotReporter {
                action: "remove_contact",
            }));
        }
        contacts::remove(&self.conn, complaint_id)
    }

    /// Contact details the server has still to learn (`Some`) or forget (`None`).
    pub fn pending_contacts(&self) -> Result<Vec<(String, Option<ReporterContact>)>> {
        contacts::pending(&self.conn)
    }

    pub fn mark_contact_sent(&self, complaint_id: &str, removed: bool) -> Result<()> {
        contacts::mark_sent(&self.conn, complaint_id, removed)
    }

    /// Forgets a complaint's contact here with nothing left to tell the server.
    pub fn drop_contact(&self, complaint_id: &str) -> Result<()> {
        contacts::drop(&self.conn, complaint_id)
    }

    /// The reporter edits the report while it has not reached a unit.
    pub fn edit(&mut self, complaint_id: &str, edit: &ReportEdit) -> Result<()> {
        self.require_identity()?;
        let loaded = self.load(complaint_id)?;
        if !loaded.mine {
            return Err(Error::Refused(Refusal::NotReporter { action: "edit" }));
        }
        let status = loaded.replay.state.status;
        if !matches!(
            status,
            Status::Submitted | Status::Dispatched | Status::Deferred
        ) {
            return Err(Error::Refused(Refusal::Status {
                action: "edit",
                status,
            }));
        }
        if let Some(category) = &edit.category {
            if !self.categories.contains(category) {
                return Err(Error::Invalid {
                    field: "category",
                    reason: "unknown",
                });
            }
        }
        let mut edit = edit.clone();
        if let Some(location) = &mut edit.location {
            self.fill_area(location);
        }
        self.write_report(complaint_id, true, |doc| report::edit(doc, &edit))
    }

    /// Names the village a location is in by its code, when it names none and this device's
    /// catalog finds exactly one village by its names: the kelurahan a cadre's hours and a
    /// cadre's view go by.
    fn fill_area(&self, location: &mut crate::types::Location) {
        if location.area.is_empty() {
            if let Some(village) = self.areas().village_of(
                &location.kelurahan,
                &location.kecamatan,
                &location.city,
                &location.province,
            ) {
                location.area = village.code.clone();
            }
        }
    }

    /// Applies `change` to the reporter's report document as this session's actor, and saves
    /// it if it changed anything.
    fn write_report(
        &mut self,
        complaint_id: &str,
        text_changed: bool,
        change: impl FnOnce(&mut AutoCommit) -> Result<()>,
    ) -> Result<()> {
        let report_id = model::doc_id(complaint_id, DocKind::Report);
        let actor = model::session_actor(&self.session_secret, &report_id);
        self.with_rollback(complaint_id, |s| {
            let stored = s.doc_mut(&report_id)?.ok_or_else(|| Error::NotFound {
                what: "complaint",
                id: complaint_id.to_string(),
            })?;
            stored.doc.set_actor(actor);
            change(&mut stored.doc)?;
            if !stored.has_unsaved() {
                return Ok(());
            }
            s.commit(complaint_id, &[DocKind::Report], true, text_changed)
        })
    }

    /// Processes a photo and keeps it (full size and thumbnail) on the device.
    pub fn import_photo(&mut self, bytes: &[u8]) -> Result<(PhotoRef, ProcessedPhoto)> {
        let processed = photo::process(bytes, &self.photo_options)?;
        let now = self.now();
        let tx = self.conn.transaction()?;
        for (img, thumb_of) in [
            (&processed.full, None),
            (&processed.thumb, Some(processed.full.sha256.as_str())),
        ] {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO photos (sha256, data, width, height, thumb_of, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                img.sha256, img.bytes, img.width, img.height, thumb_of, now
            ])?;
        }
        tx.commit()?;
        let photo_ref = PhotoRef {
            sha256: processed.full.sha256.clone(),
            thumb_sha256: processed.thumb.sha256.clone(),
            width: processed.full.width,
            height: processed.full.height,
            bytes: processed.full.bytes.len() as u64,
            added_at: now,
        };
        Ok((photo_ref, processed))
    }

    /// Attaches an imported photo to the reporter's own report.
    pub fn attach_photo(&mut self, complaint_id: &str, photo: &PhotoRef) -> Result<()> {
        self.require_identity()?;
        let loaded = self.load(complaint_id)?;
        if !loaded.mine {
            return Err(Error::Refused(Refusal::NotReporter { action: "edit" }));
        }
        if loaded.replay.state.status.is_terminal() {
            return Err(Error::Refused(Refusal::Status {
                action: "edit",
                status: loaded.replay.state.status,
            }));
        }
        self.write_report(complaint_id, false, |doc| report::add_photo(doc, photo))
    }

    pub fn photo_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT data FROM photos WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?)
    }

    /// The reference to a photo imported earlier, for attaching it to a report.
    pub fn photo_ref(&self, sha256: &str) -> Result<PhotoRef> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT p.width, p.height, LENGTH(p.data), p.created_at,
                        (SELECT t.sha256 FROM photos t WHERE t.thumb_of = p.sha256)
                 FROM photos p WHERE p.sha256 = ?1 AND p.thumb_of IS NULL",
            )?
            .query_row([sha256], |r| {
                Ok(PhotoRef {
                    sha256: sha256.to_string(),
                    width: r.get(0)?,
                    height: r.get(1)?,
                    bytes: r.get::<_, i64>(2)? as u64,
                    added_at: r.get(3)?,
                    thumb_sha256: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                })
            })
            .optional()?;
        found.ok_or(Error::Invalid {
            field: "photos",
            reason: "photo not in this store",
        })
    }

    pub fn has_photo(&self, sha256: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM photos WHERE sha256 = ?1")?
            .query_row([sha256], |_| Ok(()))
            .optional()?
            .is_some())
    }

    // ---- the workflow ----------------------------------------------------------------------

    /// Builds the event the present user would write for `action`.
    pub fn event_for(
        &self,
        identity: &Identity,
        loaded: &Loaded,
        action: Action,
        note: String,
        photos: Vec<String>,
    ) -> Event {
        Event::new_by(
            identity,
            crate::model::event::acts_as_reporter(loaded.mine, &action),
            loaded.replay.max_lamport,
            self.now(),
            action,
            note,
            photos,
        )
    }

    /// Records one workflow step, reply or rating by the present user.
    pub fn perform(
        &mut self,
        complaint_id: &str,
        action: Action,
        note: &str,
        photos: &[String],
    ) -> Result<()> {
        let identity = self.require_identity()?;
        let loaded = self.load(complaint_id)?;
        self.validate_parameters(complaint_id, &action, photos)?;
        let event = self.event_for(
            &identity,
            &loaded,
            action,
            note.trim().to_string(),
            photos.to_vec(),
        );
        event.validate_shape().map_err(|what| Error::Invalid {
            field: "action",
            reason: what,
        })?;
        workflow::check(&loaded.replay.state, &event).map_err(Error::Refused)?;
        let log_id = model::doc_id(complaint_id, DocKind::Log);
        let actor = model::session_actor(&self.session_secret, &log_id);
        self.with_rollback(complaint_id, |s| {
            if s.doc_mut(&log_id)?.is_none() {
                s.remember(log_id.clone(), StoredDoc::new(AutoCommit::new()));
            }
            let stored = s.cache.get_mut(&log_id).expect("just cached");
            stored.doc.set_actor(actor);
            log::append(&mut stored.doc, &event)?;
            s.commit(complaint_id, &[DocKind::Log], loaded.mine, false)
        })
    }

    /// Writes the escalation steps `complaint_id` owes as of now, as the system (the server's
    /// sweep; see [`workflow::escalation`]). A step already in the log is not written again.
    /// Returns how many were written.
    pub fn escalate_overdue(&mut self, complaint_id: &str) -> Result<u32> {
        let now = self.now();
        let log_id = model::doc_id(complaint_id, DocKind::Log);
        let mut written = 0;
        loop {
            let loaded = self.load(complaint_id)?;
            let Some(event) =
                workflow::escalation::next_event(&loaded.replay, now, &self.deadlines)
            else {
                return Ok(written);
            };
            if loaded.replay.timeline.iter().any(|(e, _)| e.id == event.id) {
                return Ok(written);
            }
            self.with_rollback(complaint_id, |s| {
                if s.doc_mut(&log_id)?.is_none() {
                    s.remember(log_id.clone(), StoredDoc::new(AutoCommit::new()));
                }
                let stored = s.cache.get_mut(&log_id).expect("just cached");
                // A fresh actor per step: two writers of the same step must not reuse one.
                stored.doc.set_actor(automerge::ActorId::random());
                log::append(&mut stored.doc, &event)?;
                s.commit(complaint_id, &[DocKind::Log], loaded.mine, false)
            })?;
            written += 1;
        }
    }

    /// Checks what only this device's directory and photos can tell (the replay cannot, since
    /// its answer must not depend on which directory a replica has).
    fn validate_parameters(
        &self,
        complaint_id: &str,
        action: &Action,
        photos: &[String],
    ) -> Result<()> {
        for p in photos {
            if !self.has_photo(p)? {
                return Err(Error::Invalid {
                    field: "photos",
                    reason: "photo not in this store",
                });
            }
        }
        match action {
            Action::Dispatch { institution }
                if self.directory.institution(institution).is_none() =>
            {
                Err(Error::NotFound {
                    what: "institution",
                    id: institution.clone(),
                })
            }
            Action::Assign { unit, .. } if self.directory.unit(unit).is_none() => {
                Err(Error::NotFound {
                    what: "unit",
                    id: unit.clone(),
                })
            }
            Action::MergeInto { target } if target == complaint_id => Err(Error::Invalid {
                field: "merge target",
                reason: "cannot be the complaint itself",
            }),
            Action::Rate { stars } if !(1..=5).contains(stars) => Err(Error::Invalid {
                field: "stars",
                reason: "must be 1 to 5",
            }),
            _ => Ok(()),
        }
    }

    // ---- exchange with other replicas ------------------------------------------------------

    /// Applies changes received from another replica (the server, or in tests another phone).
    /// Returns whether anything new arrived. Bytes that do not decode change nothing.
    pub fn apply_remote(&mut self, doc_id: &str, bytes: &[u8]) -> Result<bool> {
        Ok(self.apply_remote_complaint(&[(doc_id, bytes)])? > 0)
    }

    /// Applies changes from elsewhere to one complaint's documents (each `(doc_id, bytes)`
    /// of the same complaint) and stores and indexes them once. Returns how many documents
    /// changed.
    pub fn apply_remote_complaint(&mut self, docs: &[(&str, &[u8])]) -> Result<usize> {
        let mut parsed = Vec::with_capacity(docs.len());
        for (doc_id, bytes) in docs {
            let (complaint_id, kind) = model::parse_doc_id(doc_id).ok_or(Error::Invalid {
                field: "document id",
                reason: "unknown",
            })?;
            parsed.push((complaint_id.to_string(), kind, *doc_id, *bytes));
        }
        let Some(complaint_id) = parsed.first().map(|p| p.0.clone()) else {
            return Ok(0);
        };
        if parsed.iter().any(|p| p.0 != complaint_id) {
            return Err(Error::Invalid {
                field: "document id",
                reason: "not of one complaint",
            });
        }
        self.with_rollback(&complaint_id, |s| {
            let mut touched = Vec::new();
            for (_, kind, doc_id, bytes) in &parsed {
                if s.doc_mut(doc_id)?.is_none() {
                    let actor = model::session_actor(&s.session_secret, doc_id);
                    s.remember(doc_id.to_string(), StoredDoc::new(model::new_doc(actor)));
                }
                let stored = s.cache.get_mut(*doc_id).expect("just cached");
                // A server (or a change that slipped past one) must not blow up the phone:
                // measured before automerge inflates anything.
                within_bounds(bytes)?;
                // Bytes from elsewhere: a decoder panic is bad input (the rollback drops the
                // cached copy), never a crash.
                let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    stored.doc.load_incremental(bytes)
                }));
                if !matches!(loaded, Ok(Ok(_))) {
                    return Err(Error::Invalid {
                        field: "changes",
                        reason: "do not decode",
                    });
                }
                // What it already held and what came, together (the rollback drops it).
                bounds::measure_doc(&mut stored.doc)
                    .within_doc()
                    .map_err(bound_error)?;
                if stored.has_unsaved() && !touched.contains(kind) {
                    touched.push(*kind);
                }
            }
            if touched.is_empty() {
                return Ok(0);
            }
            let mine = s.is_mine(&complaint_id)?;
            let report_changed = touched.contains(&DocKind::Report);
            s.commit_as(&complaint_id, &touched, mine, report_changed, false)?;
            Ok(touched.len())
        })
    }

    /// Runs `f` as one transaction: every savepoint inside commits with it, or nothing does
    /// (and cached documents are dropped, so memory never holds what the disk lost). A sync
    /// round's response is applied this way: one durable write instead of one per document.
    ///
    /// Called inside a transaction already open on this store's connection (a desk that keeps
    /// its own records of what it filed beside the store, in the same file), `f` joins it: the
    /// caller's commit or rollback decides for both.
    pub fn in_one_transaction<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            let result = f(self);
            if result.is_err() {
                self.cache.clear();
            }
            return result;
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = f(self);
        let result = match result {
            Ok(v) => self
                .conn
                .execute_batch("COMMIT")
                .map(|()| v)
                .map_err(Error::from),
            Err(e) => Err(e),
        };
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.cache.clear();
        }
        result
    }

    /// A whole document as bytes (for a replica that has nothing of it).
    pub fn doc_bytes(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.doc_mut(doc_id)?.map(|stored| stored.doc.save()))
    }

    /// Every document id held here.
    pub fn doc_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id FROM docs ORDER BY doc_id")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    // ---- reading ---------------------------------------------------------------------------

    /// Local work the server refused, for one complaint or all (kept even after the
    /// complaint itself left the phone), oldest first.
    pub fn refused(&self, complaint_id: Option<&str>) -> Result<Vec<RefusedRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT complaint_id, event, code, message_id, message_en, at FROM refused
             WHERE ?1 IS NULL OR complaint_id = ?1 ORDER BY num",
        )?;
        let rows = stmt
            .query_map([complaint_id], |r| {
                let event: Option<String> = r.get(1)?;
                Ok(RefusedRecord {
                    complaint_id: r.get(0)?,
                    event: event.and_then(|e| serde_json::from_str(&e).ok()),
                    code: r.get(2)?,
                    message_id: r.get(3)?,
                    message_en: r.get(4)?,
                    at: r.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn duplicates_of(&self, complaint_id: &str) -> Result<Vec<String>> {
        index::duplicates_of(&self.conn, complaint_id)
    }

    pub fn pending_photos(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM photos WHERE uploaded = 0 AND thumb_of IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    pub fn pending_docs(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM sync_docs WHERE dirty = 1", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    // ---- upkeep ----------------------------------------------------------------------------

    /// Folds incremental changes into snapshots for up to `max_docs` documents. Meant for a
    /// background job; each document is compacted in its own short transaction.
    pub fn compact(&mut self, max_docs: u32) -> Result<(u32, u64, u64)> {
        let ids = docs::needing_compaction(&self.conn, 2, max_docs)?;
        self.compact_docs(&ids)
    }

    /// Documents whose changes piled past the threshold since the last call: the shells' store
    /// object hands them to its background worker.
    pub fn take_compaction_due(&mut self) -> Vec<String> {
        std::mem::take(&mut self.compaction_due)
    }

    pub fn compact_docs(&mut self, ids: &[String]) -> Result<(u32, u64, u64)> {
        let (mut done, mut before, mut after) = (0u32, 0u64, 0u64);
        for doc_id in ids {
            let Some((complaint_id, _)) = model::parse_doc_id(doc_id) else {
                continue;
            };
            let complaint_id = complaint_id.to_string();
            let size = |conn: &Connection| -> Result<u64> {
                Ok(conn.query_row(
                    "SELECT COALESCE(LENGTH(snapshot), 0) + change_bytes FROM docs WHERE doc_id = ?1",
                    [doc_id],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?
                .unwrap_or(0) as u64)
            };
            before += size(&self.conn)?;
            // Loaded apart from the cache: compaction does not change a document's heads, so
            // a cached copy stays valid.
            let mut stored = match docs::load(&self.conn, doc_id) {
                Ok(Some(stored)) => stored,
                Ok(None) => continue,
                Err(Error::Damaged { reason, .. }) => {
                    index::mark_damaged(&self.conn, &complaint_id, &reason)?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let tx = self.conn.savepoint()?;
            docs::compact(&tx, doc_id, &mut stored)?;
            tx.commit()?;
            after += size(&self.conn)?;
            done += 1;
        }
        Ok((done, before, after))
    }

    /// Loads every document and checks the database; damaged complaints are marked.
    pub fn check(&mut self) -> Result<(u32, Vec<String>, bool)> {
        let ok: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT complaint_id FROM docs")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut damaged = Vec::new();
        for id in &ids {
            for kind in [DocKind::Report, DocKind::Log] {
                self.forget(&model::doc_id(id, kind));
            }
            match self.load(id) {
                Ok(_) => {}
                Err(Error::Damaged { .. }) => damaged.push(id.clone()),
                Err(e) => return Err(e),
            }
        }
        Ok((ids.len() as u32, damaged, ok == "ok"))
    }
}

pub fn facts(report: &Report) -> ReportFacts {
    ReportFacts {
        complaint_id: report.id.clone(),
        kind: report.kind,
        created_at: report.created_at,
        direct_institution: direct_filing(report)
            .then(|| report.direct_institution.clone())
            .flatten(),
        anonymous: report.anonymous,
        confidential: report.confidential,
        cadre_report: report.reporter_role == Role::Cadre && report.direct_institution.is_some(),
        area: Some(report.location.area.clone()).filter(|a| !a.is_empty()),
    }
}

/// A field cadre's own report, and a complaint an institution's call centre or desk takes for a
/// caller, go straight to that institution (the server checks the filer belongs to it).
fn direct_filing(report: &Report) -> bool {
    match &report.filed_by {
        None => report.reporter_role == Role::Cadre,
        Some(f) => matches!(f.role, Role::Officer | Role::InstitutionAdmin),
    }
}

fn validate_identity(identity: &Identity) -> Result<()> {
    if !model::event::valid_id(&identity.account_id) {
        return Err(Error::Invalid {
            field: "account id",
            reason: "must be letters, digits, '.', '-' or '_'",
        });
    }
    if identity.display_name.trim().is_empty() || identity.display_name.len() > 200 {
        return Err(Error::Invalid {
            field: "display name",
            reason: "must not be empty",
        });
    }
    let needs_institution = matches!(
        identity.role,
        Role::Officer | Role::InstitutionAdmin | Role::Cadre
    );
    if needs_institution && identity.institution_id.is_none() {
        return Err(Error::Invalid {
            field: "institution",
            reason: "this role belongs to an institution",
        });
    }
    if let Some(area) = &identity.area {
        if identity.role != Role::Cadre || !report::village_code(area) {
            return Err(Error::Invalid {
                field: "area",
                reason: "only a field cadre has one: a kelurahan's Kemendagri code",
            });
        }
    }
    if let (Some(unit), Some(inst)) = (&identity.unit_id, &identity.institution_id) {
        if !workflow::rules::unit_belongs(unit, inst) {
            return Err(Error::Invalid {
                field: "unit",
                reason: "does not belong to the institution",
            });
        }
    }
    Ok(())
}

/// Whether data from elsewhere stays within one document's limits once inflated.
fn within_bounds(bytes: &[u8]) -> Result<()> {
    bounds::measure_data(bytes).map(|_| ()).map_err(bound_error)
}

fn bound_error(b: Bound) -> Error {
    match b {
        Bound::Malformed => Error::Invalid {
            field: "changes",
            reason: "do not decode",
        },
        Bound::TooLarge(what) => Error::Invalid {
            field: "changes",
            reason: what,
        },
    }
}
