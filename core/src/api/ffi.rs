//! The one object the shells hold. Every method takes the lock, does one action and returns
//! plain records; errors come back as [`AduanError`] with both languages filled in.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::api::records::*;
use crate::api::views;
use crate::error::{AduanError, Error};
use crate::model::channel::Channel;
use crate::model::event::Action;
use crate::model::report::{NewReport, ReportEdit};
use crate::model::reporter::ReporterContact;
use crate::store::secrets::SecretStore;
use crate::store::sync_state::SyncStatus;
use crate::store::{index, Store};
use crate::sync::{
    self,
    client::{SyncProgress, SyncReport, TransportOptions},
};
use crate::types::{Identity, Language, Millis, Status};
use crate::workflow::{calendar::WorkingCalendar, Deadlines};

type Result<T> = std::result::Result<T, AduanError>;

/// Receives sync progress (called on the syncing thread).
#[uniffi::export(callback_interface)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

#[derive(uniffi::Object)]
pub struct AduanStore {
    inner: Arc<Mutex<Store>>,
    cancel: std::sync::atomic::AtomicBool,
    upload_full_photos: std::sync::atomic::AtomicBool,
    language: Mutex<Language>,
    /// Documents to compact, for the background worker; it ends when this object is dropped.
    compaction: Mutex<Option<std::sync::mpsc::Sender<Vec<String>>>>,
    worker: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Drop for AduanStore {
    fn drop(&mut self) {
        // Close the channel and wait, so the database is closed when this object is gone and
        // the same process can open it again at once.
        if let Ok(mut sender) = self.compaction.lock() {
            sender.take();
        }
        if let Some(worker) = self.worker.lock().ok().and_then(|mut w| w.take()) {
            let _ = worker.join();
        }
    }
}

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    // A panic while holding the lock leaves nothing half-written in SQLite (every action is one
    // transaction), so the store stays usable.
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// Folds a document's changes into a snapshot once they pile up, off the caller's thread and
/// between its actions, so saving stays one small append.
fn spawn_compactor(
    store: &Arc<Mutex<Store>>,
) -> (
    std::sync::mpsc::Sender<Vec<String>>,
    Option<std::thread::JoinHandle<()>>,
) {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<String>>();
    let weak = Arc::downgrade(store);
    let worker = std::thread::Builder::new()
        .name("aduan-compactor".into())
        .spawn(move || {
            for ids in rx {
                let Some(store) = weak.upgrade() else { break };
                let result = lock(&store).compact_docs(&ids);
                if let Err(e) = result {
                    log::warn!("background compaction: {e}");
                }
            }
        })
        .ok();
    (tx, worker)
}

impl AduanStore {
    fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.inner)
    }

    pub(crate) fn inner(&self) -> &Mutex<Store> {
        &self.inner
    }

    fn lang(&self) -> Language {
        *self.language.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> crate::error::Result<T>,
    ) -> Result<T> {
        let (result, due) = {
            let mut store = self.store();
            let result = f(&mut store);
            (result, store.take_compaction_due())
        };
        self.schedule_compaction(due);
        result.map_err(AduanError::from)
    }

    /// Hands documents whose changes piled up to the background worker.
    fn schedule_compaction(&self, due: Vec<String>) {
        if due.is_empty() {
            return;
        }
        if let Some(sender) = self
            .compaction
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            let _ = sender.send(due);
        }
    }

    fn detail_of(&self, store: &mut Store, id: &str) -> crate::error::Result<ComplaintDetail> {
        let loaded = store.load(id)?;
        let now = store.now();
        let row = index::get(store.conn(), id, now)?.ok_or_else(|| Error::NotFound {
            what: "complaint",
            id: id.to_string(),
        })?;
        views::detail(store, &row, &loaded, self.lang(), now)
    }
}

fn to_action(store: &Store, action: WorkflowAction) -> crate::error::Result<Action> {
    Ok(match action {
        WorkflowAction::Dispatch { institution_id } => Action::Dispatch {
            institution: institution_id,
        },
        WorkflowAction::Assign {
            unit_id,
            field_inspection,
        } => Action::Assign {
            unit: unit_id,
            field_inspection,
        },
        WorkflowAction::NotOurAuthority => Action::NotOurAuthority,
        WorkflowAction::Defer => Action::Defer,
        WorkflowAction::Resume => Action::Resume,
        WorkflowAction::Archive => Action::Archive,
        WorkflowAction::MergeInto { target } => Action::MergeInto {
            target: store.resolve(&target)?,
        },
        WorkflowAction::SetFlags {
            anonymous,
            confidential,
        } => Action::SetFlags {
            anonymous,
            confidential,
        },
        WorkflowAction::StartWork => Action::StartWork,
        WorkflowAction::FollowUp => Action::FollowUp,
        WorkflowAction::Close => Action::Close,
        WorkflowAction::Reply => Action::Reply,
        WorkflowAction::Reopen => Action::Reopen,
        WorkflowAction::Rate { stars } => Action::Rate { stars },
    })
}

#[uniffi::export]
impl AduanStore {
    /// Opens the store kept in the folder `path` (created if missing), with the sign-in
    /// tokens in a file there that only its owner may read: for the CLI and tests. The apps
    /// use [`AduanStore::open_with_secret_store`].
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>> {
        Self::with(Store::open(&path)?)
    }

    /// Opens the store kept in the folder `path`, with the sign-in tokens kept in the
    /// platform's secure storage (Android Keystore, iOS Keychain), never in the store's file.
    /// A session an older version kept in the file moves there now.
    #[uniffi::constructor]
    pub fn open_with_secret_store(
        path: String,
        secrets: Box<dyn SecretStore>,
    ) -> Result<Arc<Self>> {
        Self::with(Store::open_with_secrets(&path, Arc::from(secrets))?)
    }

    /// Trusts these CA certificates (PEM) besides the public ones, for a deployment with its
    /// own CA; none goes back to the public ones only. Not kept: set at every start.
    pub fn set_trusted_certificates(&self, pem: Option<String>) -> Result<()> {
        if let Some(pem) = &pem {
            TransportOptions::roots_from_pem(pem)?;
        }
        self.store().transport.extra_roots_pem = pem;
        Ok(())
    }

    /// For development only: lets sign-in and sync use plain http:// to any host (an
    /// emulator's 10.0.2.2, a laptop on the LAN). Without it, http:// is refused except to
    /// this device itself: tokens and complaints would cross the network readable by anyone on
    /// the path. Not kept: set at every start, in debug builds only.
    pub fn allow_insecure_http_for_development(&self, allowed: bool) {
        self.store().transport.allow_insecure_http = allowed;
    }
}

impl AduanStore {
    fn with(store: Store) -> Result<Arc<Self>> {
        let store = Arc::new(Mutex::new(store));
        let (sender, worker) = spawn_compactor(&store);
        Ok(Arc::new(AduanStore {
            cancel: std::sync::atomic::AtomicBool::new(false),
            upload_full_photos: std::sync::atomic::AtomicBool::new(true),
            inner: store,
            language: Mutex::new(Language::Id),
            compaction: Mutex::new(Some(sender)),
            worker: Mutex::new(worker),
        }))
    }
}

#[uniffi::export]
impl AduanStore {
    /// Signs in to the server with an account; the store takes its identity.
    pub fn login(
        &self,
        server_url: String,
        account_id: String,
        password: String,
    ) -> Result<Identity> {
        sync::client::login(&self.inner, &server_url, &account_id, &password)
            .map_err(AduanError::from)
    }

    /// A citizen without an account: the server gives this device one of its own.
    pub fn continue_anonymously(&self, server_url: String) -> Result<Identity> {
        sync::client::continue_anonymously(&self.inner, &server_url).map_err(AduanError::from)
    }

    /// What signing out now would lose: complaints, changes and photos the server does not
    /// have yet, and refused work kept here. The app shows it before asking to confirm.
    pub fn unsynced_work(&self) -> Result<crate::store::leave::UnsyncedWork> {
        self.with_store(|s| s.unsynced_work())
    }

    /// Signs out and removes the account's data from this phone (documents, photos, sync
    /// state, the session in the secure storage); the store stays usable for the next
    /// account. Refused with `unsynced_work` while something would be lost, unless
    /// `discard_unsynced` (the person confirmed). A running sync is asked to stop first.
    pub fn sign_out(&self, discard_unsynced: bool) -> Result<sync::client::SignOutReport> {
        self.cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        let report = sync::client::sign_out(&self.inner, discard_unsynced);
        self.cancel
            .store(false, std::sync::atomic::Ordering::SeqCst);
        report.map_err(AduanError::from)
    }

    /// A complaint's public view by its tracking id, asked of `server_url` without any account;
    /// none when no public complaint has that id (unknown and confidential look the same).
    pub fn track(
        &self,
        server_url: String,
        tracking_id: String,
    ) -> Result<Option<crate::api::public::PublicComplaint>> {
        let transport = self.store().transport.clone();
        sync::client::track(&server_url, &transport, &tracking_id, self.lang())
            .map_err(AduanError::from)
    }

    /// A page (from 0) of public complaints on `server_url`, newest first, optionally in one
    /// area (kelurahan, kecamatan, city or province name) and category.
    pub fn public_complaints(
        &self,
        server_url: String,
        area: Option<String>,
        category_id: Option<String>,
        page: u32,
    ) -> Result<crate::api::public::PublicPage> {
        let transport = self.store().transport.clone();
        sync::client::public_complaints(
            &server_url,
            &transport,
            area.as_deref(),
            category_id.as_deref(),
            page,
            self.lang(),
        )
        .map_err(AduanError::from)
    }

    /// What the public sees of a complaint held here (the same view the server gives);
    /// none for a confidential one.
    pub fn public_view(&self, id: String) -> Result<Option<crate::api::public::PublicComplaint>> {
        let language = self.lang();
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            let loaded = s.load(&id)?;
            let now = s.now();
            Ok(crate::api::public::of(
                &loaded.report,
                &loaded.replay,
                &s.deadlines,
                &s.categories,
                language,
                now,
            ))
        })
    }

    /// Sends everything changed here and brings back everything new this user may see.
    /// Blocks until done: call it from a background thread or job. Safe at any moment.
    pub fn sync(&self, listener: Option<Box<dyn SyncListener>>) -> Result<SyncReport> {
        self.cancel
            .store(false, std::sync::atomic::Ordering::SeqCst);
        let mut on_progress = |p: SyncProgress| {
            if let Some(l) = &listener {
                l.on_progress(p);
            }
        };
        let full = self
            .upload_full_photos
            .load(std::sync::atomic::Ordering::SeqCst);
        let result = sync::client::sync(&self.inner, &self.cancel, full, &mut on_progress);
        let due = self.store().take_compaction_due();
        self.schedule_compaction(due);
        result.map_err(AduanError::from)
    }

    /// Whether syncs upload full-size photos (thumbnails always go). The shell turns this off
    /// on metered networks unless the user said otherwise.
    pub fn set_upload_full_photos(&self, allowed: bool) {
        self.upload_full_photos
            .store(allowed, std::sync::atomic::Ordering::SeqCst);
    }

    /// A photo by hash: from the phone, or fetched from the server (full size on demand).
    pub fn fetch_photo(&self, sha256: String) -> Result<Option<Vec<u8>>> {
        sync::client::fetch_photo(&self.inner, &sha256).map_err(AduanError::from)
    }

    /// All work done here that the server refused (the user lost rights while offline), with
    /// the reasons; kept even for complaints that have left this phone.
    pub fn refused_work(&self) -> Result<Vec<RefusedView>> {
        let language = self.lang();
        self.with_store(|s| {
            Ok(s.refused(None)?
                .into_iter()
                .map(|r| views::refused_view(r, language, Some(&s.directory)))
                .collect())
        })
    }

    /// Asks a running sync to stop after its current request.
    pub fn cancel_sync(&self) {
        self.cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        self.with_store(|s| s.sync_status())
    }

    pub fn set_language(&self, language: Language) {
        *self.language.lock().unwrap_or_else(|p| p.into_inner()) = language;
    }

    pub fn language(&self) -> Language {
        self.lang()
    }

    pub fn identity(&self) -> Option<Identity> {
        self.store().identity().cloned()
    }

    pub fn set_identity(&self, identity: Identity) -> Result<()> {
        self.with_store(|s| s.set_identity(identity))
    }

    /// Pins the clock (tests and demos); `None` returns to the system clock.
    pub fn set_clock(&self, now: Option<Millis>) {
        self.store().clock = now;
    }

    /// Uses another working-day calendar: the bundled one extended by an operator's CSV. The
    /// UTC offset (7 for WIB, 8 for WITA, 9 for WIT) is only for institutions the directory
    /// does not know: the others' deadlines end at midnight in their own zone.
    pub fn set_calendar(
        &self,
        extra_holidays_csv: Option<String>,
        utc_offset_hours: i8,
    ) -> Result<()> {
        let mut calendar = WorkingCalendar::indonesia();
        if let Some(csv) = extra_holidays_csv {
            calendar
                .extend_from_csv(&csv)
                .map_err(|e| AduanError::InvalidInput {
                    code: "calendar".into(),
                    message_id: format!("Berkas hari libur tidak valid: {e}"),
                    message_en: format!("Invalid holiday file: {e}"),
                })?;
        }
        // The offset is for institutions the directory does not know; known ones keep their
        // own zone.
        self.with_store(|s| {
            s.deadlines = Deadlines::with_offset_hours(calendar, utc_offset_hours)
                .with_directory(&s.directory);
            s.rederive_due_times()
        })
    }

    /// Uses the server's directory (the JSON `GET /v1/directory` returns). Deadlines end at
    /// midnight in each institution's zone, so a phone computes the server's deadlines only
    /// with the server's directory.
    pub fn set_directory(&self, directory_json: String) -> Result<()> {
        let directory = crate::catalog::Directory::from_json(&directory_json).map_err(|e| {
            AduanError::InvalidInput {
                code: "directory".into(),
                message_id: format!("Direktori tidak valid: {e}"),
                message_en: format!("Invalid directory: {e}"),
            }
        })?;
        self.with_store(|s| s.set_directory(directory))
    }

    /// Fetches and uses the directory of the server this phone is signed in to (call it after
    /// signing in, and now and then after): see `set_directory`.
    pub fn fetch_directory(&self) -> Result<()> {
        sync::directory::fetch(&self.inner).map_err(AduanError::from)
    }

    /// Files a new report; it is durably stored when this returns.
    pub fn create_complaint(&self, draft: ComplaintDraft) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let photos = draft
                .photos
                .iter()
                .map(|h| s.photo_ref(h))
                .collect::<crate::error::Result<Vec<_>>>()?;
            let new = new_report(s, draft, photos);
            let id = s.create(&new)?;
            self.detail_of(s, &id)
        })
    }

    /// Files a report with the reporter's contact details: they never enter the documents,
    /// and only the handlers of whoever holds the report see them (`reporter_contact`).
    pub fn create_named_complaint(
        &self,
        draft: ComplaintDraft,
        contact: ReporterContact,
    ) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let photos = draft
                .photos
                .iter()
                .map(|h| s.photo_ref(h))
                .collect::<crate::error::Result<Vec<_>>>()?;
            let new = new_report(s, draft, photos);
            let id = s.create_named(&new, &contact)?;
            self.detail_of(s, &id)
        })
    }

    /// A call-centre or desk operator files for a caller without the app. The draft's channel
    /// says how the caller reached them (call centre when none); `caller` names them, or the
    /// report is anonymous. Read the returned tracking id back to the caller.
    pub fn file_on_behalf(
        &self,
        draft: ComplaintDraft,
        caller: Option<ReporterContact>,
    ) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let photos = draft
                .photos
                .iter()
                .map(|h| s.photo_ref(h))
                .collect::<crate::error::Result<Vec<_>>>()?;
            let mut draft = draft;
            draft.channel.get_or_insert(Channel::CallCentre);
            let new = new_report(s, draft, photos);
            let id = s.file_on_behalf(&new, caller.as_ref())?;
            self.detail_of(s, &id)
        })
    }

    /// Gives or changes the reporter's contact details on a report filed on this phone.
    pub fn set_reporter_contact(&self, id: String, contact: ReporterContact) -> Result<()> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            s.set_reporter_contact(&id, &contact)
        })
    }

    /// The reporter's name and contact, when this user may know them: on the phone that filed
    /// it, from its own store; for a handler, from the server, which answers only the
    /// handlers of whoever holds the report (`None` when not allowed, anonymous, or not
    /// given). Never stored on a handler's phone.
    pub fn reporter_contact(&self, id: String) -> Result<Option<ReporterContact>> {
        let (id, local, mine) = self.with_store(|s| {
            let id = s.resolve(&id)?;
            let mine = s.load(&id)?.mine;
            Ok((id.clone(), s.local_reporter_contact(&id)?, mine))
        })?;
        if local.is_some() || mine {
            return Ok(local);
        }
        sync::client::fetch_reporter_contact(&self.inner, &id).map_err(AduanError::from)
    }

    /// The reporter asks that their contact details be forgotten: gone from this phone now,
    /// from the server at the next sync.
    pub fn remove_reporter_contact(&self, id: String) -> Result<bool> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            s.remove_reporter_contact(&id)
        })
    }

    pub fn edit_complaint(&self, id: String, edit: ComplaintEdit) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            s.edit(
                &id,
                &ReportEdit {
                    kind: edit.kind,
                    category: edit.category_id,
                    title: edit.title,
                    description: edit.description,
                    location: edit.location,
                    anonymous: edit.anonymous,
                    confidential: edit.confidential,
                },
            )?;
            self.detail_of(s, &id)
        })
    }

    /// Imports a photo (bytes as read from the camera or gallery) and attaches it to the
    /// reporter's own report.
    pub fn add_photo(&self, id: String, bytes: Vec<u8>) -> Result<PhotoAdded> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            let (photo_ref, processed) = s.import_photo(&bytes)?;
            s.attach_photo(&id, &photo_ref)?;
            Ok(photo_added(photo_ref, processed))
        })
    }

    /// Imports a photo (for a new report's `photos`, `attach_photo`, or evidence in a step or
    /// reply) and keeps it on the device; returns its hash and any location it carried.
    pub fn import_photo(&self, bytes: Vec<u8>) -> Result<PhotoAdded> {
        self.with_store(|s| {
            let (p, processed) = s.import_photo(&bytes)?;
            Ok(photo_added(p, processed))
        })
    }

    /// Attaches a photo imported earlier to the reporter's own report.
    pub fn attach_photo(&self, id: String, sha256: String) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            let photo = s.photo_ref(&sha256)?;
            s.attach_photo(&id, &photo)?;
            self.detail_of(s, &id)
        })
    }

    /// A stored photo's JPEG bytes (full size or thumbnail, by hash).
    pub fn photo(&self, sha256: String) -> Result<Option<Vec<u8>>> {
        self.with_store(|s| s.photo_bytes(&sha256))
    }

    /// Records one workflow step, reply or rating. `photos` are hashes from `import_photo`.
    pub fn perform(
        &self,
        id: String,
        action: WorkflowAction,
        note: String,
        photos: Vec<String>,
    ) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            let action = to_action(s, action)?;
            s.perform(&id, action, &note, &photos)?;
            self.detail_of(s, &id)
        })
    }

    pub fn comment(
        &self,
        id: String,
        text: String,
        photos: Vec<String>,
    ) -> Result<ComplaintDetail> {
        self.perform(id, WorkflowAction::Reply, text, photos)
    }

    pub fn rate(&self, id: String, stars: u8, note: String) -> Result<ComplaintDetail> {
        self.perform(id, WorkflowAction::Rate { stars }, note, Vec::new())
    }

    /// A complaint by id or tracking id.
    pub fn get(&self, id: String) -> Result<ComplaintDetail> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            self.detail_of(s, &id)
        })
    }

    pub fn list(&self, filter: ComplaintFilter) -> Result<Vec<ComplaintSummary>> {
        let language = self.lang();
        self.with_store(|s| {
            let now = s.now();
            let categories = match &filter.category_id {
                Some(c) if !s.categories.contains(c) => {
                    return Err(Error::Invalid {
                        field: "category",
                        reason: "unknown",
                    })
                }
                Some(c) => Some(
                    s.categories
                        .all()
                        .iter()
                        .filter(|x| s.categories.is_within(&x.id, c))
                        .map(|x| x.id.clone())
                        .collect(),
                ),
                None => None,
            };
            let desk = s.identity().and_then(|i| match i.role {
                crate::types::Role::InstitutionAdmin => i.institution_id.clone(),
                crate::types::Role::NationalAdmin => {
                    Some(crate::workflow::escalation::NATIONAL_DESK.to_string())
                }
                _ => None,
            });
            let rows = index::list(s.conn(), &filter, categories, now, desk.as_deref())?;
            Ok(rows
                .iter()
                .map(|r| views::summary(r, s, language, now))
                .collect())
        })
    }

    /// A field cadre's area: the open reports about their kelurahan that this phone holds (the
    /// server sends a cadre those that are not confidential), in queue order. Empty for anyone
    /// without an area.
    pub fn my_area_open_reports(&self, limit: u32) -> Result<Vec<ComplaintSummary>> {
        let Some(area) = self.with_store(|s| Ok(s.identity().and_then(|i| i.area.clone())))? else {
            return Ok(Vec::new());
        };
        self.list(ComplaintFilter {
            area: Some(area),
            statuses: vec![
                Status::Submitted,
                Status::Dispatched,
                Status::Assigned,
                Status::InProgress,
                Status::FollowedUp,
                Status::Deferred,
            ],
            sort: SortOrder::DueSoonest,
            limit,
            ..ComplaintFilter::default()
        })
    }

    /// Full-text search over title, description and address, newest activity first.
    pub fn search(&self, text: String, limit: u32) -> Result<Vec<ComplaintSummary>> {
        self.list(ComplaintFilter {
            text: Some(text),
            sort: SortOrder::RecentlyUpdated,
            limit,
            ..ComplaintFilter::default()
        })
    }

    pub fn categories(&self) -> Vec<CategoryView> {
        let language = self.lang();
        let store = self.store();
        store
            .categories
            .all()
            .iter()
            .map(|c| CategoryView {
                id: c.id.clone(),
                parent_id: c.parent.clone(),
                label: match language {
                    Language::Id => c.name_id.clone(),
                    Language::En => c.name_en.clone(),
                },
                name_id: c.name_id.clone(),
                name_en: c.name_en.clone(),
            })
            .collect()
    }

    pub fn institutions(&self) -> Vec<InstitutionView> {
        let store = self.store();
        store
            .directory
            .institutions()
            .iter()
            .map(|i| InstitutionView {
                id: i.id.clone(),
                name: i.name.clone(),
                level: format!("{:?}", i.level).to_lowercase(),
                units: i
                    .units
                    .iter()
                    .map(|u| UnitView {
                        id: u.id.clone(),
                        name: u.name.clone(),
                        kind: format!("{:?}", u.kind).to_lowercase(),
                        parent_id: u.parent.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The figures the bodies are judged by, over what this device holds.
    pub fn figures(&self, institution_id: Option<String>) -> Result<Figures> {
        let language = self.lang();
        self.with_store(|s| {
            let now = s.now();
            let rows = index::all(s.conn(), institution_id.as_deref(), now)?;
            figures(&rows, s, language, now)
        })
    }

    /// The figures over every complaint on the server (not this phone's copy) received from
    /// `from` to `to` (YYYY-MM-DD, both included), grouped `by` one key when given; for one
    /// `institution` when given (handlers get their own institution's only).
    pub fn server_figures(
        &self,
        from: String,
        to: String,
        by: Option<crate::figures::GroupBy>,
        institution: Option<String>,
    ) -> Result<crate::figures::FiguresReport> {
        sync::client::fetch_figures(&self.inner, &from, &to, by, institution.as_deref())
            .map_err(AduanError::from)
    }

    /// One complaint as JSON (report, timeline, deadline), for sharing or archiving.
    pub fn export_json(&self, id: String) -> Result<String> {
        let detail = self.get(id)?;
        serde_json::to_string_pretty(&detail).map_err(|_| AduanError::Storage {
            code: "export".into(),
            message_id: "Gagal mengekspor laporan.".into(),
            message_en: "Could not export the report.".into(),
        })
    }

    pub fn pending_sync(&self) -> Result<PendingSync> {
        self.with_store(|s| {
            Ok(PendingSync {
                documents: s.pending_docs()?,
                photos: s.pending_photos()?,
            })
        })
    }

    /// Background upkeep: compacts up to `max_documents` documents.
    pub fn compact(&self, max_documents: u32) -> Result<MaintenanceReport> {
        self.with_store(|s| {
            let (done, before, after) = s.compact(max_documents)?;
            Ok(MaintenanceReport {
                documents_compacted: done,
                bytes_before: before,
                bytes_after: after,
            })
        })
    }

    /// Verifies every document and the database; damaged complaints are marked, not dropped.
    pub fn check(&self) -> Result<CheckReport> {
        self.with_store(|s| {
            let (checked, damaged, ok) = s.check()?;
            Ok(CheckReport {
                documents_checked: checked,
                damaged,
                database_ok: ok,
            })
        })
    }
}

fn new_report(
    s: &Store,
    draft: ComplaintDraft,
    photos: Vec<crate::model::report::PhotoRef>,
) -> NewReport {
    let role = s.identity().map_or(crate::types::Role::Citizen, |i| i.role);
    NewReport {
        kind: draft.kind,
        category: draft.category_id,
        title: draft.title,
        description: draft.description,
        location: draft.location,
        anonymous: draft.anonymous,
        confidential: draft.confidential,
        photos,
        channel: draft
            .channel
            .unwrap_or_else(|| Channel::before_channels(role)),
    }
}

fn photo_added(
    p: crate::model::report::PhotoRef,
    processed: crate::photo::ProcessedPhoto,
) -> PhotoAdded {
    PhotoAdded {
        photo: PhotoView {
            sha256: p.sha256,
            thumb_sha256: p.thumb_sha256,
            width: p.width,
            height: p.height,
            bytes: p.bytes,
            available: true,
        },
        gps_suggestion: processed.gps.map(|g| GpsSuggestionView {
            latitude: g.latitude,
            longitude: g.longitude,
            accuracy_m: g.accuracy_m,
        }),
    }
}

/// The figures over `rows`, by core's one definition ([`crate::figures`]): each complaint's
/// facts derived from its replayed history, as the server derives them.
pub fn figures(
    rows: &[index::IndexRow],
    store: &mut Store,
    language: Language,
    now: Millis,
) -> crate::error::Result<Figures> {
    let mut by_category: std::collections::BTreeMap<String, u64> = Default::default();
    let mut facts = Vec::with_capacity(rows.len());
    let mut overdue = 0;
    for r in rows {
        let top = store
            .categories
            .path(&r.category)
            .first()
            .map(|c| c.id.clone())
            .unwrap_or_else(|| r.category.clone());
        *by_category.entry(top).or_default() += 1;
        let watched = matches!(
            r.status,
            Status::Submitted | Status::Dispatched | Status::Assigned | Status::InProgress
        );
        if watched && r.due_at.is_some_and(|d| d < now) {
            overdue += 1;
        }
        let loaded = match store.load(&r.id) {
            Ok(loaded) => loaded,
            // A damaged complaint keeps its row (and its badge) but has no history to count.
            Err(Error::Damaged { .. }) => continue,
            Err(e) => return Err(e),
        };
        facts.push(crate::figures::derive(
            &loaded.report,
            &crate::figures::channel_of(&loaded.report),
            &loaded.replay,
            &loaded.received,
            &store.deadlines,
        ));
    }
    let at_national_desk = facts
        .iter()
        .filter(|f| f.standing == crate::figures::Standing::National)
        .count() as u64;
    let totals = crate::figures::figure_set(&facts, now, &store.deadlines);
    let mut by_category: Vec<CategoryCount> = by_category
        .into_iter()
        .map(|(id, count)| CategoryCount {
            label: views::category_label(&store.categories, &id, language),
            category_id: id,
            count,
        })
        .collect();
    by_category.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.category_id.cmp(&b.category_id))
    });
    Ok(Figures {
        totals,
        at_national_desk,
        overdue,
        by_category,
    })
}
