//! The SMS desk (issue 17): reports by SMS, as LAPOR! takes them at 1708, through Gammu's SMS
//! daemon. It works like a call-centre operator at a desk: a store of its own signed in to
//! this server as an operator account, filing each SMS report for its sender
//! (`file_on_behalf`, channel SMS, the sender's number as the reporter's contact, never in a
//! document), and syncing over the same sync path as every phone, so the workflow, the checks
//! and who may see what are the same as for any other road in. What a message asks for is
//! core's grammar (`aduan_core::sms`); this only performs it.
//!
//! Each round: read the gateway's inbox, join the parts of long messages, handle each message
//! once (the record that it was handled commits with what it did, in the desk's store), sync,
//! turn the notifications the server's outbox sent its account about the complaints it filed
//! into short news (not at night in the complaint's zone, a few a day at most), and hand what
//! is due to the gateway's outbox (once: each message carries a creator id the gateway keeps).
//!
//! Off unless a Gammu database is configured. Numbers never go into a log line: a keyed hash
//! stands for them in the desk's records.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aduan_core::api::ffi::AduanStore;
use aduan_core::catalog::{CategoryTree, Directory, UnitKind};
use aduan_core::error::Error as CoreError;
use aduan_core::model::channel::Channel;
use aduan_core::model::event::Action;
use aduan_core::model::report::NewReport;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::model::tracking_id;
use aduan_core::notify::{NotificationKind, Params};
use aduan_core::sms::notice::{self, QuietHours};
use aduan_core::sms::parts::{assemble, Body, InboxPart, Message};
use aduan_core::sms::{can_reply_to, normalize_number, parse, Command, Vocabulary};
use aduan_core::store::Store;
use aduan_core::types::{Location, ReportKind, Status};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::storage::gammu::Gammu;
use crate::storage::sms_desk as desk;

/// The `[sms]` table of the configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsFile {
    pub gammu_db: Option<PathBuf>,
    pub desk_dir: Option<PathBuf>,
    pub account: Option<String>,
    pub password: Option<String>,
    pub server_url: Option<String>,
    pub quiet_hours: Option<String>,
    pub reports_per_day: Option<u32>,
    pub poll_ms: Option<u64>,
    pub sync_ms: Option<u64>,
}

/// The SMS desk's flags (each overrides the `[sms]` table).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SmsArgs {
    /// Take reports by SMS: the database of Gammu's SMS daemon (`Service = sql`), a SQLite
    /// file (`Driver = sqlite3`) or a PostgreSQL URL (`Driver = native_pgsql`; prefer the
    /// environment for a URL with a password). Off when not given.
    #[arg(long, env = "ADUAN_SMS_GAMMU_DB")]
    pub sms_gammu_db: Option<PathBuf>,
    /// The operator account the SMS desk files as (an officer, institution or national
    /// administrator, e.g. the national desk for a 1708-like number).
    #[arg(long, env = "ADUAN_SMS_ACCOUNT")]
    pub sms_account: Option<String>,
    /// Its password (prefer the environment: a flag shows in the process list).
    #[arg(long, env = "ADUAN_SMS_PASSWORD", hide_env_values = true)]
    pub sms_password: Option<String>,
    /// The desk's own store (default DATA/sms-desk).
    #[arg(long, env = "ADUAN_SMS_DESK")]
    pub sms_desk: Option<PathBuf>,
    /// This server's address as the desk reaches it (default: the listening address, plain
    /// HTTP on loopback; needed with TLS).
    #[arg(long, env = "ADUAN_SMS_SERVER_URL")]
    pub sms_server_url: Option<String>,
    /// Local hours without status news, like 21-7 (the default), or none.
    #[arg(long, env = "ADUAN_SMS_QUIET_HOURS")]
    pub sms_quiet_hours: Option<String>,
    /// Reports one number may file a day (default 5).
    #[arg(long, env = "ADUAN_SMS_REPORTS_PER_DAY")]
    pub sms_reports_per_day: Option<u32>,
    /// How often the gateway's inbox is read, in milliseconds (default 5000).
    #[arg(long, env = "ADUAN_SMS_POLL_MS")]
    pub sms_poll_ms: Option<u64>,
    /// How often the desk syncs to learn of status changes, in milliseconds (default 30000).
    #[arg(long, env = "ADUAN_SMS_SYNC_MS")]
    pub sms_sync_ms: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub gammu_db: PathBuf,
    pub desk_dir: PathBuf,
    pub account: String,
    pub password: String,
    pub server_url: Option<String>,
    pub quiet: QuietHours,
    pub reports_per_day: u32,
    pub poll: Duration,
    pub sync_every: Duration,
    /// The zone of complaints whose institution and place are not known yet.
    pub default_offset_hours: i8,
}

impl SmsArgs {
    /// The desk's settings; `None` when no Gammu database is configured (the default).
    pub fn config(
        &self,
        file: &SmsFile,
        data: &Path,
        default_offset_hours: i8,
    ) -> Result<Option<SmsConfig>, String> {
        let Some(gammu_db) = self.sms_gammu_db.clone().or(file.gammu_db.clone()) else {
            return Ok(None);
        };
        let account = self
            .sms_account
            .clone()
            .or(file.account.clone())
            .ok_or("the SMS desk needs an account (--sms-account) to file as")?;
        let password = self
            .sms_password
            .clone()
            .or(file.password.clone())
            .ok_or("the SMS desk needs its account's password (ADUAN_SMS_PASSWORD)")?;
        let quiet = match self.sms_quiet_hours.as_ref().or(file.quiet_hours.as_ref()) {
            Some(q) => QuietHours::parse(q)?,
            None => QuietHours::default(),
        };
        Ok(Some(SmsConfig {
            gammu_db,
            desk_dir: self
                .sms_desk
                .clone()
                .or(file.desk_dir.clone())
                .unwrap_or_else(|| data.join("sms-desk")),
            account,
            password,
            server_url: self.sms_server_url.clone().or(file.server_url.clone()),
            quiet,
            reports_per_day: self
                .sms_reports_per_day
                .or(file.reports_per_day)
                .unwrap_or(notice::REPORTS_PER_NUMBER_PER_DAY),
            poll: Duration::from_millis(self.sms_poll_ms.or(file.poll_ms).unwrap_or(5000).max(50)),
            sync_every: Duration::from_millis(
                self.sms_sync_ms.or(file.sync_ms).unwrap_or(30_000).max(50),
            ),
            default_offset_hours,
        }))
    }
}

/// Why a round of the desk failed. Carries causes only: no numbers, no message text.
#[derive(Debug)]
pub struct DeskError(String);

impl std::fmt::Display for DeskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<crate::storage::gammu::GammuError> for DeskError {
    fn from(e: crate::storage::gammu::GammuError) -> Self {
        DeskError(e.to_string())
    }
}

impl From<aduan_core::error::AduanError> for DeskError {
    fn from(e: aduan_core::error::AduanError) -> Self {
        DeskError(format!("desk store: {e}"))
    }
}

/// Starts the desk on a thread of its own (it blocks on SQLite and on its syncs); it retries
/// after any failure, so a gateway that is down for a while only delays messages.
pub fn spawn(config: SmsConfig, directory: Arc<Directory>, server_url: String) {
    let server_url = config.server_url.clone().unwrap_or(server_url);
    std::thread::Builder::new()
        .name("sms-desk".into())
        .spawn(move || {
            let mut desk: Option<Desk> = None;
            loop {
                if desk.is_none() {
                    match Desk::open(config.clone(), &directory, &server_url) {
                        Ok(d) => {
                            tracing::info!("SMS desk started");
                            desk = Some(d);
                        }
                        Err(e) => tracing::warn!(error = %e, "SMS desk cannot start yet"),
                    }
                }
                if let Some(d) = desk.as_mut() {
                    if let Err(e) = d.round() {
                        tracing::warn!(error = %e, "SMS desk round failed; retrying");
                    }
                }
                std::thread::sleep(config.poll);
            }
        })
        .expect("a thread for the SMS desk");
}

pub struct Desk {
    config: SmsConfig,
    store: Arc<AduanStore>,
    gammu: Gammu,
    directory: Directory,
    vocabulary: Vocabulary,
    server_url: String,
    number_key: [u8; 32],
    first_seen: HashMap<i64, i64>,
    last_sync: Option<Instant>,
}

use crate::storage::now_ms;

/// The desk's key for hashing numbers: made once, kept beside its store, readable by the
/// server's user only. A plain hash of a phone number is reversed by trying them all.
fn number_key(dir: &Path) -> Result<[u8; 32], DeskError> {
    let path = dir.join("sms-number-key");
    let io = |e: std::io::Error| DeskError(format!("the desk's number key: {e}"));
    if let Ok(text) = std::fs::read_to_string(&path) {
        let bytes = hex::decode(text.trim()).map_err(|e| DeskError(format!("number key: {e}")))?;
        return bytes
            .try_into()
            .map_err(|_| DeskError("number key: not 32 bytes".into()));
    }
    let key: [u8; 32] = rand::random();
    let tmp = dir.join("sms-number-key.tmp");
    std::fs::write(&tmp, hex::encode(key)).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(key)
}

/// The names of the kelurahan the directory knows, for the grammar.
fn kelurahan_names(directory: &Directory) -> Vec<String> {
    directory
        .institutions()
        .iter()
        .flat_map(|i| i.units.iter())
        .filter(|u| u.kind == UnitKind::Kelurahan)
        .map(|u| u.name.clone())
        .collect()
}

/// What one message led to.
struct Outcome {
    kind: &'static str,
    complaint_id: Option<String>,
    reply: Option<String>,
}

impl Outcome {
    fn new(kind: &'static str, reply: Option<String>) -> Outcome {
        Outcome {
            kind,
            complaint_id: None,
            reply,
        }
    }
}

impl Desk {
    pub fn open(
        config: SmsConfig,
        directory: &Directory,
        server_url: &str,
    ) -> Result<Desk, DeskError> {
        std::fs::create_dir_all(&config.desk_dir)
            .map_err(|e| DeskError(format!("the desk's folder: {e}")))?;
        let gammu = Gammu::open(&config.gammu_db)?;
        let store = AduanStore::open(config.desk_dir.to_string_lossy().into_owned())?;
        store.with_store(|s| {
            desk::create(s.conn())?;
            s.set_directory(directory.clone())
        })?;
        let number_key = number_key(&config.desk_dir)?;
        Ok(Desk {
            vocabulary: Vocabulary::new(&CategoryTree::bundled(), &kelurahan_names(directory)),
            directory: directory.clone(),
            config,
            store,
            gammu,
            server_url: server_url.to_string(),
            number_key,
            first_seen: HashMap::new(),
            last_sync: None,
        })
    }

    fn hash(&self, number: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.number_key);
        h.update(number.as_bytes());
        hex::encode(&h.finalize()[..16])
    }

    fn signed_in(&self) -> Result<(), DeskError> {
        let current = self.store.identity().map(|i| i.account_id);
        if current.as_deref() != Some(self.config.account.as_str()) {
            self.store.login(
                self.server_url.clone(),
                self.config.account.clone(),
                self.config.password.clone(),
            )?;
            tracing::info!("SMS desk signed in");
        }
        Ok(())
    }

    fn sync(&mut self) {
        match self.store.sync(None) {
            Ok(_) => self.last_sync = Some(Instant::now()),
            // What was filed stays in the desk's store and goes at the next sync.
            Err(e) => tracing::warn!(error = %e, "SMS desk sync failed"),
        }
    }

    /// One round: inbox, sync, news, outbox.
    pub fn round(&mut self) -> Result<(), DeskError> {
        self.signed_in()?;
        if self
            .last_sync
            .is_none_or(|t| t.elapsed() >= self.config.sync_every)
        {
            self.sync();
        }
        if self.handle_inbox()? > 0 {
            self.sync();
        }
        self.watch_statuses()?;
        self.flush()
    }

    /// Handles every whole message in the inbox; returns how many.
    fn handle_inbox(&mut self) -> Result<usize, DeskError> {
        let now = now_ms();
        let first_seen = &mut self.first_seen;
        let rows = self
            .gammu
            .unprocessed(500, &mut |id| *first_seen.entry(id).or_insert(now))?;
        let mut keys = HashMap::new();
        let mut parts: Vec<InboxPart> = Vec::new();
        for row in rows {
            keys.insert(
                row.part.id,
                format!("gammu:{}:{}", row.part.id, row.received),
            );
            parts.push(row.part);
        }
        let messages = assemble(&parts, now);
        let count = messages.len();
        for message in messages {
            let key = keys[&message.ids[0]].clone();
            self.handle(&key, &message)?;
            // Marked only after the desk's record commits: a restart in between finds the
            // record and only marks the rows.
            self.gammu.mark_processed(&message.ids)?;
            for id in &message.ids {
                self.first_seen.remove(id);
            }
        }
        Ok(count)
    }

    fn handle(&self, key: &str, message: &Message) -> Result<(), DeskError> {
        let number = normalize_number(&message.sender);
        let hash = self.hash(&number);
        let now = now_ms();
        let day = notice::local_day(now, self.config.default_offset_hours);
        let outcome = self.store.with_store(|s| {
            s.in_one_transaction(|s| {
                if desk::seen(s.conn(), key)? {
                    return Ok(None);
                }
                let outcome = self.decide(s, &number, &hash, message, now, day)?;
                desk::record_inbound(
                    s.conn(),
                    key,
                    &hash,
                    day,
                    outcome.kind,
                    outcome.complaint_id.as_deref(),
                )?;
                if let Some(text) = &outcome.reply {
                    if can_reply_to(&number) {
                        desk::queue_reply(s.conn(), &number, text, now)?;
                    }
                }
                Ok(Some(outcome))
            })
        })?;
        if let Some(o) = outcome {
            match &o.complaint_id {
                Some(id) => {
                    tracing::info!(kind = o.kind, complaint = %id, sender = %hash, "SMS handled")
                }
                None => tracing::info!(kind = o.kind, sender = %hash, "SMS handled"),
            }
        }
        Ok(())
    }

    /// What a message asks for, performed on the desk's store.
    fn decide(
        &self,
        s: &mut Store,
        number: &str,
        hash: &str,
        message: &Message,
        now: i64,
        day: i64,
    ) -> Result<Outcome, CoreError> {
        let stopped = desk::is_stopped(s.conn(), hash)?;
        // A number that asked to stop gets no answer to what it did not ask for.
        let answer = |text: String| (!stopped).then_some(text);
        let text = match &message.body {
            Body::Binary => return Ok(Outcome::new("binary", answer(notice::binary()))),
            Body::Text(t) => t,
        };
        let command = match parse(text, &self.vocabulary) {
            Ok(c) => c,
            Err(p) => return Ok(Outcome::new("problem", answer(notice::problem(p)))),
        };
        if stopped && command != Command::Stop {
            // Writing to the service again is asking for its messages again.
            desk::unstop(s.conn(), hash)?;
        }
        Ok(match command {
            Command::Stop => {
                desk::stop(s.conn(), hash, number, now)?;
                Outcome::new("stop", (!stopped).then(notice::stopped))
            }
            Command::Help => Outcome::new("help", Some(notice::help())),
            Command::Report(r) => {
                if desk::reports_on(s.conn(), hash, day)? >= self.config.reports_per_day {
                    return Ok(Outcome::new("limited", Some(notice::report_limit())));
                }
                let new = NewReport {
                    kind: ReportKind::Complaint,
                    category: r.category,
                    title: r.title,
                    description: r.description,
                    location: Location {
                        kelurahan: r.kelurahan.unwrap_or_default(),
                        ..Default::default()
                    },
                    anonymous: false,
                    // The sender never saw the choice: nothing they wrote is published
                    // unless an administrator decides it may be.
                    confidential: true,
                    photos: Vec::new(),
                    channel: Channel::Sms,
                };
                let contact = ReporterContact {
                    name: String::new(),
                    phone: number.to_string(),
                    email: String::new(),
                };
                let contact = if contact.validated().is_ok() {
                    Some(contact)
                } else {
                    // A sender id that is no phone number cannot be a contact; the report is
                    // still taken, as an anonymous one.
                    None
                };
                let id = match s.file_on_behalf(&new, contact.as_ref()) {
                    Ok(id) => id,
                    Err(CoreError::Invalid { .. }) => {
                        return Ok(Outcome::new(
                            "problem",
                            Some(notice::problem(aduan_core::sms::Problem::MissingText(
                                aduan_core::sms::Keyword::Report,
                            ))),
                        ))
                    }
                    Err(e) => return Err(e),
                };
                let status = s.load(&id)?.replay.state.status;
                desk::record_filed(s.conn(), &id, hash, status.code())?;
                Outcome {
                    kind: "report",
                    reply: Some(notice::filed(&tracking_id(&id))),
                    complaint_id: Some(id),
                }
            }
            Command::Status { tracking } => match self.own(s, &tracking, hash)? {
                None => Outcome::new("status", Some(notice::unknown_tracking(&tracking))),
                Some(id) => {
                    let status = s.load(&id)?.replay.state.status;
                    Outcome {
                        kind: "status",
                        reply: Some(notice::status(&tracking, status, "")),
                        complaint_id: Some(id),
                    }
                }
            },
            Command::Reply { tracking, text } => self.act(
                s,
                &tracking,
                hash,
                "reply",
                Action::Reply,
                &text,
                notice::replied(&tracking),
            )?,
            Command::Rate { tracking, stars } => self.act(
                s,
                &tracking,
                hash,
                "rate",
                Action::Rate { stars },
                "",
                notice::rated(&tracking, stars),
            )?,
        })
    }

    /// The complaint behind a tracking id, if this number filed it.
    fn own(&self, s: &Store, tracking: &str, hash: &str) -> Result<Option<String>, CoreError> {
        let id = match s.resolve(tracking) {
            Ok(id) => id,
            Err(CoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(desk::filed_by(s.conn(), &id, hash)?.then_some(id))
    }

    /// The reporter's reply or rating, as the desk that filed it (core's workflow decides
    /// whether it may be done now).
    #[allow(clippy::too_many_arguments)]
    fn act(
        &self,
        s: &mut Store,
        tracking: &str,
        hash: &str,
        kind: &'static str,
        action: Action,
        note: &str,
        done: String,
    ) -> Result<Outcome, CoreError> {
        let Some(id) = self.own(s, tracking, hash)? else {
            return Ok(Outcome::new(kind, Some(notice::unknown_tracking(tracking))));
        };
        let reply = match s.perform(&id, action, note, &[]) {
            Ok(()) => done,
            Err(CoreError::Refused(_) | CoreError::Invalid { .. }) => {
                let status = s.load(&id)?.replay.state.status;
                notice::not_now(tracking, status)
            }
            Err(e) => return Err(e),
        };
        Ok(Outcome {
            kind,
            complaint_id: Some(id),
            reply: Some(reply),
        })
    }

    /// The hours east of UTC where the complaint is handled (or, before an institution holds
    /// it, where its kelurahan is).
    fn offset_of(&self, s: &mut Store, complaint_id: &str) -> i8 {
        s.load(complaint_id)
            .ok()
            .and_then(|l| {
                self.directory.zone_of_place(
                    l.replay.state.institution.as_deref(),
                    Some(l.report.location.kelurahan.as_str()),
                )
            })
            .map_or(self.config.default_offset_hours, |z| z.utc_offset_hours())
    }

    /// The outbox's news for the complaints this desk filed become SMS for their senders: the
    /// server's notification outbox tells the desk's account (their owner) of each status
    /// change, completion and closing reply window with its syncs, once each, as it tells any
    /// reporter's phone; the desk words them for SMS, holds them through the quiet hours and
    /// keeps to a few a day, then marks them shown. One delivery path for every channel.
    fn watch_statuses(&self) -> Result<(), DeskError> {
        let now = now_ms();
        let quiet = self.config.quiet;
        let queued = self.store.with_store(|s| {
            s.in_one_transaction(|s| {
                let mut queued = Vec::new();
                let mut notices = s.notices(true, 500)?;
                // Oldest first, so the newest news for a complaint is the one kept.
                notices.reverse();
                let shown: Vec<u64> = notices.iter().map(|n| n.id).collect();
                for n in notices {
                    let Some(kind) = NotificationKind::from_code(&n.kind) else {
                        continue;
                    };
                    if !matches!(
                        kind,
                        NotificationKind::StatusChanged
                            | NotificationKind::Completed
                            | NotificationKind::ReplyWindowClosing
                    ) {
                        continue;
                    }
                    // Only complaints filed here by SMS have a sender to tell.
                    let Some(f) = desk::filed(s.conn(), &n.complaint_id)? else {
                        continue;
                    };
                    if desk::is_stopped(s.conn(), &f.number_hash)? {
                        continue;
                    }
                    let params = Params::from_json(&n.params);
                    let text = if kind == NotificationKind::ReplyWindowClosing {
                        notice::reply_window_closing(&params)
                    } else {
                        let loaded = match s.load(&f.complaint_id) {
                            Ok(l) => l,
                            // No longer on the desk's store (taken from it): nothing to tell.
                            Err(CoreError::NotFound { .. }) => continue,
                            Err(e) => return Err(e),
                        };
                        let status = params.status.unwrap_or(loaded.replay.state.status);
                        let note = news_note(&loaded.replay.timeline, status);
                        notice::status(&tracking_id(&f.complaint_id), status, &note)
                    };
                    let offset = self.offset_of(s, &f.complaint_id);
                    let sent_today = if f.news_day == notice::local_day(now, offset) {
                        f.news_count
                    } else {
                        0
                    };
                    let at = notice::schedule(&quiet, now, offset, sent_today);
                    desk::queue_news(s.conn(), &f.complaint_id, &text, at)?;
                    queued.push((f.complaint_id, at > now));
                }
                s.mark_notices_shown(&shown)?;
                Ok(queued)
            })
        })?;
        for (id, held) in queued {
            tracing::info!(complaint = %id, held_until_morning = held, "SMS status news queued");
        }
        Ok(())
    }

    /// Hands what is due to the gateway.
    fn flush(&self) -> Result<(), DeskError> {
        let now = now_ms();
        let due = self
            .store
            .with_store(|s| Ok(desk::due(s.conn(), now, 100)?))?;
        for o in due {
            let creator = format!("aduan-sms-{}", o.id);
            let fate = self.store.with_store(|s| {
                Ok(match (&o.number, &o.complaint_id) {
                    // A reply to a message that just came in.
                    (Some(n), _) => Fate::Send(n.clone()),
                    (None, Some(cid)) => {
                        let Some(f) = desk::filed(s.conn(), cid)? else {
                            return Ok(Fate::Drop);
                        };
                        if desk::is_stopped(s.conn(), &f.number_hash)? {
                            return Ok(Fate::Drop);
                        }
                        // The day may have turned or the share been used since it was queued:
                        // asked again at the moment it would go.
                        let offset = self.offset_of(s, cid);
                        let today = notice::local_day(now, offset);
                        let sent = if f.news_day == today { f.news_count } else { 0 };
                        let at = notice::schedule(&self.config.quiet, now, offset, sent);
                        if at > now {
                            desk::postpone(s.conn(), o.id, at)?;
                            return Ok(Fate::Later);
                        }
                        // Forgotten, or anonymous since: no number, no news.
                        match s
                            .local_reporter_contact(cid)?
                            .map(|c| normalize_number(&c.phone))
                            .filter(|p| can_reply_to(p))
                        {
                            Some(n) => {
                                desk::count_news(s.conn(), cid, today)?;
                                Fate::Send(n)
                            }
                            None => Fate::Drop,
                        }
                    }
                    (None, None) => Fate::Drop,
                })
            })?;
            let number = match fate {
                Fate::Send(n) => n,
                Fate::Later => continue,
                Fate::Drop => {
                    self.store
                        .with_store(|s| Ok(desk::handed(s.conn(), o.id, now)?))?;
                    continue;
                }
            };
            let (text, unicode) = notice::fit(&o.text);
            if !self.gammu.has_creator(&creator)? {
                self.gammu.send(&number, &text, unicode, &creator)?;
            }
            self.store
                .with_store(|s| Ok(desk::handed(s.conn(), o.id, now)?))?;
            match &o.complaint_id {
                Some(id) => tracing::info!(complaint = %id, "SMS handed to the gateway"),
                None => tracing::info!("SMS reply handed to the gateway"),
            }
        }
        Ok(())
    }
}

enum Fate {
    Send(String),
    Later,
    Drop,
}

/// The officer's words that come with a status, for the reporter: the note of the follow-up
/// or closing step that made it (other steps' notes are between handlers).
fn news_note(
    timeline: &[(
        aduan_core::model::event::Event,
        Option<aduan_core::workflow::Refusal>,
    )],
    status: Status,
) -> String {
    if !matches!(status, Status::FollowedUp | Status::Completed) {
        return String::new();
    }
    timeline
        .iter()
        .rev()
        .filter(|(_, refused)| refused.is_none())
        .find(|(e, _)| matches!(e.action, Action::FollowUp | Action::Close))
        .map(|(e, _)| e.note.clone())
        .unwrap_or_default()
}
