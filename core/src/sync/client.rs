//! The phone's sync driver: moves protocol messages over HTTP (reqwest) between the store's
//! sans-IO sync state and the server. The store's lock is held only to take or apply a
//! message, never across the network, so the app stays usable while a sync runs on 2G.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::reporter::ReporterContact;
use crate::store::Store;
use crate::sync::protocol::{self, SyncRequest};
use crate::types::Identity;

/// What the server handed this device at sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub server_url: String,
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at: i64,
    pub device_id: String,
    pub identity: Identity,
}

#[derive(Deserialize)]
struct ServerSession {
    access_token: String,
    refresh_token: String,
    access_expires_at: i64,
    device_id: String,
    identity: Identity,
}

#[derive(Deserialize)]
struct ServerError {
    code: String,
    message_en: String,
    message_id: String,
}

/// Progress of one sync, both ways.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    pub round: u32,
    pub documents_sent: u64,
    pub documents_received: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}

/// The result of a sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    pub progress: SyncProgress,
    pub photos_sent: u32,
    pub photos_received: u32,
    /// Full-size photos left for an unmetered network (thumbnails always go).
    pub photos_deferred: u32,
    pub accepted: u32,
    /// Complaints whose local changes the server refused (kept and shown with the reason).
    pub refused: u32,
    /// Complaints this user may no longer see, removed from the phone.
    pub revoked: u32,
}

/// Why a request failed, in a form the retry policy can act on.
enum Failure {
    /// The network or a 5xx: worth retrying.
    Transient(String),
    Unauthorized,
    Refused {
        code: String,
        en: String,
        id: String,
    },
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Transient(m) => Error::Sync(m),
            Failure::Unauthorized => Error::Sync("sign in again".into()),
            Failure::Refused { code, en, .. } => Error::Sync(format!("{en} ({code})")),
        }
    }
}

/// How this phone reaches servers. Android's and iOS's network security rules do not govern
/// core's own HTTP client, so core enforces its own.
#[derive(Debug, Clone, Default)]
pub struct TransportOptions {
    /// Developers only: plain http:// to any host (an emulator's 10.0.2.2, a laptop on the LAN).
    pub allow_insecure_http: bool,
    /// PEM certificates trusted besides the public roots: a private deployment's own CA.
    pub extra_roots_pem: Option<String>,
}

impl TransportOptions {
    /// Parses a PEM bundle of CA certificates (at least one).
    pub fn roots_from_pem(pem: &str) -> Result<Vec<reqwest::Certificate>> {
        match reqwest::Certificate::from_pem_bundle(pem.as_bytes()) {
            Ok(certs) if !certs.is_empty() => Ok(certs),
            _ => Err(Error::Invalid {
                field: "trusted certificates",
                reason: "not PEM certificates",
            }),
        }
    }
}

/// Plain http:// is allowed to this device only: tokens and complaints cross the network in
/// the clear otherwise. Decided from the address alone, before any connection.
fn check_server_url(url: &str, options: &TransportOptions) -> Result<()> {
    let parsed = reqwest::Url::parse(url).map_err(|_| Error::Invalid {
        field: "server address",
        reason: "must start with http:// or https://",
    })?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if options.allow_insecure_http => Ok(()),
        "http" => {
            let host = parsed.host_str().unwrap_or_default();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = match host.parse::<std::net::IpAddr>() {
                Ok(ip) => ip.is_loopback(),
                Err(_) => host.eq_ignore_ascii_case("localhost"),
            };
            if loopback {
                Ok(())
            } else {
                Err(Error::InsecureServer)
            }
        }
        _ => Err(Error::Invalid {
            field: "server address",
            reason: "must start with http:// or https://",
        }),
    }
}

pub struct Http {
    client: reqwest::blocking::Client,
    base: String,
}

impl Http {
    pub fn new(server_url: &str, options: &TransportOptions) -> Result<Http> {
        let base = server_url.trim_end_matches('/').to_string();
        check_server_url(&base, options)?;
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(20))
            // Generous: a 2G link moves about 5 KB/s.
            .timeout(Duration::from_secs(180));
        if let Some(pem) = &options.extra_roots_pem {
            for cert in TransportOptions::roots_from_pem(pem)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::Sync(format!("client: {e}")))?;
        Ok(Http { client, base })
    }

    fn check(
        resp: reqwest::blocking::Response,
    ) -> std::result::Result<reqwest::blocking::Response, Failure> {
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(Failure::Unauthorized);
        }
        if status == reqwest::StatusCode::INSUFFICIENT_STORAGE {
            // The server's disk is nearly full: worth retrying later, and its words say why.
            return Err(Failure::Transient(
                resp.json::<ServerError>()
                    .map(|e| format!("{} ({})", e.message_en, e.code))
                    .unwrap_or_else(|_| format!("server answered {status}")),
            ));
        }
        if status.is_server_error() {
            return Err(Failure::Transient(format!("server answered {status}")));
        }
        let body = resp.json::<ServerError>();
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            // Throttled sign-in: retrying at once cannot help; the user reads how long to wait.
            // A 429 without the server's explanation (a proxy) is worth retrying later.
            return match body {
                Ok(e) => Err(Failure::Refused {
                    code: e.code,
                    en: e.message_en,
                    id: e.message_id,
                }),
                Err(_) => Err(Failure::Transient(format!("server answered {status}"))),
            };
        }
        match body {
            Ok(e) => Err(Failure::Refused {
                code: e.code,
                en: e.message_en,
                id: e.message_id,
            }),
            Err(_) => Err(Failure::Refused {
                code: "http".into(),
                en: format!("server answered {status}"),
                id: format!("server menjawab {status}"),
            }),
        }
    }

    fn post_json<T: Serialize>(
        &self,
        path: &str,
        body: &T,
    ) -> std::result::Result<ServerSession, Failure> {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        Self::check(resp)?
            .json::<ServerSession>()
            .map_err(|e| Failure::Transient(format!("answer: {e}")))
    }

    fn photo_offset(&self, token: &str, sha: &str) -> std::result::Result<(u64, bool), Failure> {
        let resp = self
            .client
            .head(format!("{}/v1/photos/{sha}", self.base))
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        let resp = Self::check(resp)?;
        Ok(offset_of(&resp))
    }

    /// Sends one chunk; answers where the server now is.
    fn photo_put(
        &self,
        token: &str,
        sha: &str,
        offset: u64,
        total: u64,
        chunk: &[u8],
        thumb_of: Option<&str>,
    ) -> std::result::Result<(u64, bool), Failure> {
        let mut req = self
            .client
            .put(format!("{}/v1/photos/{sha}", self.base))
            .bearer_auth(token)
            .header("upload-offset", offset)
            .header("upload-length", total)
            .body(chunk.to_vec());
        if let Some(t) = thumb_of {
            req = req.header("thumb-of", t);
        }
        let resp = req
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        if resp.status() == reqwest::StatusCode::CONFLICT {
            return Ok(offset_of(&resp));
        }
        let resp = Self::check(resp)?;
        Ok(offset_of(&resp))
    }

    fn photo_get(&self, token: &str, sha: &str) -> std::result::Result<Option<Vec<u8>>, Failure> {
        let resp = self
            .client
            .get(format!("{}/v1/photos/{sha}", self.base))
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let resp = Self::check(resp)?;
        read_bounded(resp, MAX_PHOTO_DOWNLOAD_BYTES).map(Some)
    }

    fn sync(&self, token: &str, body: Vec<u8>) -> std::result::Result<Vec<u8>, Failure> {
        let resp = self
            .client
            .post(format!("{}/v1/sync", self.base))
            .bearer_auth(token)
            .body(body)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        read_bounded(Self::check(resp)?, protocol::MAX_MESSAGE_BYTES as u64)
    }
}

impl Http {
    /// Gives the server a complaint's reporter contact (`Some`) or has it forget them (`None`).
    fn reporter_contact_send(
        &self,
        token: &str,
        complaint_id: &str,
        contact: Option<&ReporterContact>,
    ) -> std::result::Result<(), Failure> {
        let url = format!("{}/v1/complaints/{complaint_id}/reporter", self.base);
        let req = match contact {
            Some(c) => self.client.put(url).json(c),
            None => self.client.delete(url),
        };
        let resp = req
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        Self::check(resp).map(|_| ())
    }

    fn reporter_contact_get(
        &self,
        token: &str,
        complaint_id: &str,
    ) -> std::result::Result<Option<ReporterContact>, Failure> {
        let resp = self
            .client
            .get(format!(
                "{}/v1/complaints/{complaint_id}/reporter",
                self.base
            ))
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let body = read_bounded(Self::check(resp)?, 64 * 1024)?;
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| Failure::Transient(format!("answer: {e}")))
    }

    /// `GET /v1/figures`: the server's answer as JSON text, at most 4 MiB.
    fn figures(
        &self,
        token: &str,
        query: &[(&str, &str)],
    ) -> std::result::Result<Vec<u8>, Failure> {
        let resp = self
            .client
            .get(format!("{}/v1/figures", self.base))
            .query(query)
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        read_bounded(Self::check(resp)?, 4 * 1024 * 1024)
    }
}

impl Http {
    /// `GET` (no body) or `PUT` (a body) of a JSON resource; the answer's bytes, at most 1 MiB.
    fn json(
        &self,
        token: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> std::result::Result<Vec<u8>, Failure> {
        let url = format!("{}{path}", self.base);
        let req = match body {
            Some(b) => self.client.put(url).json(b),
            None => self.client.get(url),
        };
        let resp = req
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        read_bounded(Self::check(resp)?, 1024 * 1024)
    }
}

/// The signed-in person's notification preferences on the server (`PUT` them first when
/// `set` is given): `GET`/`PUT /v1/notifications/preferences`, as JSON.
pub fn notification_preferences(
    store: &Mutex<Store>,
    set: Option<serde_json::Value>,
) -> Result<serde_json::Value> {
    let mut session = lock(store).session()?.ok_or(Error::NoIdentity)?;
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    let path = "/v1/notifications/preferences";
    let body = match http.json(&session.access_token, path, set.as_ref()) {
        Err(Failure::Unauthorized) => {
            session = renew(store, &http, &session)?;
            http.json(&session.access_token, path, set.as_ref())
        }
        other => other,
    }
    .map_err(refused_error)?;
    serde_json::from_slice(&body).map_err(|e| Error::Sync(format!("preferences: {e}")))
}

/// Sends the server the reporter contacts it has still to learn or forget (after the round
/// that brought it their reports, which it needs first).
fn transfer_contacts(store: &Mutex<Store>, cancel: &AtomicBool) -> Result<()> {
    let pending = lock(store).pending_contacts()?;
    if pending.is_empty() {
        return Ok(());
    }
    let session = lock(store).session()?.ok_or(Error::NoIdentity)?;
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    for (complaint_id, contact) in pending {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        match http.reporter_contact_send(&session.access_token, &complaint_id, contact.as_ref()) {
            Ok(()) => lock(store).mark_contact_sent(&complaint_id, contact.is_none())?,
            // The server holds nothing to forget, or keeps nothing for an anonymous report:
            // nothing stays here either.
            Err(Failure::Refused { code, .. })
                if code == "anonymous_report"
                    || (contact.is_none() && code == "no_reporter_contact") =>
            {
                lock(store).drop_contact(&complaint_id)?
            }
            // Its report was refused, or this account lost it: kept here, one complaint's
            // trouble does not stop the sync. The code only, never the details.
            Err(Failure::Refused { code, .. }) => {
                log::info!("reporter contact of {complaint_id} not taken ({code}); kept")
            }
            Err(f) => return Err(refused_error(f)),
        }
    }
    Ok(())
}

/// Asks the server for a complaint's reporter contact; it answers only those who may know
/// them (see `model::reporter`). Nothing is kept on this phone.
pub fn fetch_reporter_contact(
    store: &Mutex<Store>,
    complaint_id: &str,
) -> Result<Option<ReporterContact>> {
    let Some(session) = lock(store).session()? else {
        return Ok(None);
    };
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    http.reporter_contact_get(&session.access_token, complaint_id)
        .map_err(refused_error)
}

impl Http {
    /// Ends every token of this device at the server (`/v1/auth/logout`).
    fn logout(&self, token: &str) -> std::result::Result<(), Failure> {
        let resp = self
            .client
            .post(format!("{}/v1/auth/logout", self.base))
            .bearer_auth(token)
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        Self::check(resp).map(|_| ())
    }

    /// A public read, without any token; `None` for a 404.
    fn get_public<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> std::result::Result<Option<T>, Failure> {
        let resp = self
            .client
            .get(format!("{}{path_and_query}", self.base))
            .send()
            .map_err(|e| Failure::Transient(e.without_url().to_string()))?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let bytes = read_bounded(Self::check(resp)?, MAX_PUBLIC_ANSWER_BYTES)?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Failure::Transient(format!("answer: {e}")))
    }
}

/// A public page is a few dozen complaints' timelines.
const MAX_PUBLIC_ANSWER_BYTES: u64 = 4 * 1024 * 1024;

/// What a sign-out did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignOutReport {
    /// The server ended this device's tokens (or had already ended them). False when it could
    /// not be reached: the tokens are gone from this phone and end at their expiry, or when an
    /// administrator disables the account.
    pub server_session_ended: bool,
    /// What was discarded because the person chose to sign out anyway.
    pub discarded: crate::store::leave::UnsyncedWork,
}

/// Signs out: refuses while work the server does not have would be lost, unless
/// `discard_unsynced`; ends the device's session at the server (renewing it first if its access
/// token has expired, so the refresh chain ends too); then removes the account's data from
/// the phone. The store stays usable for the next account.
pub fn sign_out(store: &Mutex<Store>, discard_unsynced: bool) -> Result<SignOutReport> {
    let unsynced = lock(store).unsynced_work()?;
    if !unsynced.is_empty() && !discard_unsynced {
        return Err(Error::UnsyncedWork(unsynced));
    }
    let session = lock(store).session()?;
    let server_session_ended = match session {
        None => true,
        Some(session) => {
            let transport = lock(store).transport.clone();
            match Http::new(&session.server_url, &transport) {
                Ok(http) => end_server_session(&http, &session),
                Err(_) => false,
            }
        }
    };
    lock(store).remove_account_data()?;
    Ok(SignOutReport {
        server_session_ended,
        discarded: unsynced,
    })
}

fn end_server_session(http: &Http, session: &Session) -> bool {
    match http.logout(&session.access_token) {
        Ok(()) => true,
        Err(Failure::Unauthorized) => {
            // The access token expired (or the session already ended): the refresh token may
            // still be alive, so it is exchanged and the new pair ended with the rest.
            let _one = REFRESHING.lock().unwrap_or_else(|p| p.into_inner());
            match http.post_json(
                "/v1/auth/refresh",
                &serde_json::json!({ "refresh_token": session.refresh_token }),
            ) {
                Ok(renewed) => http.logout(&renewed.access_token).is_ok(),
                Err(Failure::Unauthorized) => true,
                Err(_) => false,
            }
        }
        Err(_) => false,
    }
}

/// A complaint's public view by its tracking id, without an account. `None` when no public
/// complaint has that id (unknown, or confidential: the server answers both the same).
pub fn track(
    server_url: &str,
    transport: &TransportOptions,
    tracking_id: &str,
    language: crate::types::Language,
) -> Result<Option<crate::api::public::PublicComplaint>> {
    let Some(tracking_id) = crate::api::public::parse_tracking_id(tracking_id) else {
        return Err(Error::Invalid {
            field: "tracking id",
            reason: "must look like ADU-XXXXX-XXXXX",
        });
    };
    let http = Http::new(server_url, transport)?;
    http.get_public(&format!(
        "/v1/track/{tracking_id}?lang={}",
        language_code(language)
    ))
    .map_err(refused_error)
}

/// A page of public complaints, newest first, optionally in one area (a kelurahan, kecamatan,
/// city or province, by name) and category (with everything below it).
pub fn public_complaints(
    server_url: &str,
    transport: &TransportOptions,
    area: Option<&str>,
    category: Option<&str>,
    page: u32,
    language: crate::types::Language,
) -> Result<crate::api::public::PublicPage> {
    let http = Http::new(server_url, transport)?;
    let mut url = reqwest::Url::parse("http://x/v1/public/complaints").expect("a valid url");
    {
        let mut q = url.query_pairs_mut();
        if let Some(a) = area.filter(|a| !a.trim().is_empty()) {
            q.append_pair("area", a.trim());
        }
        if let Some(c) = category.filter(|c| !c.trim().is_empty()) {
            q.append_pair("category", c.trim());
        }
        q.append_pair("page", &page.to_string());
        q.append_pair("lang", language_code(language));
    }
    let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
    http.get_public(&path)
        .map_err(refused_error)?
        .ok_or_else(|| Error::Sync("the server has no public reports".into()))
}

fn language_code(language: crate::types::Language) -> &'static str {
    match language {
        crate::types::Language::Id => "id",
        crate::types::Language::En => "en",
    }
}

/// The largest photo a server stores (its `MAX_PHOTO_BYTES`).
const MAX_PHOTO_DOWNLOAD_BYTES: u64 = 8 * 1024 * 1024;

/// Reads at most `max` bytes of a response: a hostile or broken server cannot make the phone
/// hold more.
fn read_bounded(
    resp: reqwest::blocking::Response,
    max: u64,
) -> std::result::Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut out = Vec::new();
    resp.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| Failure::Transient(e.to_string()))?;
    if out.len() as u64 > max {
        return Err(Failure::Refused {
            code: "response_too_large".into(),
            en: "The server's answer is larger than any answer may be.".into(),
            id: "Jawaban server lebih besar daripada batas yang diizinkan.".into(),
        });
    }
    Ok(out)
}

fn offset_of(resp: &reqwest::blocking::Response) -> (u64, bool) {
    let h = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    (
        h("upload-offset").and_then(|v| v.parse().ok()).unwrap_or(0),
        h("upload-complete").as_deref() == Some("1"),
    )
}

/// Photo chunks small enough to finish on 2G between drops.
const PHOTO_CHUNK: usize = 64 * 1024;

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_session(server_url: &str, s: ServerSession) -> Session {
    Session {
        server_url: server_url.trim_end_matches('/').to_string(),
        access_token: s.access_token,
        refresh_token: s.refresh_token,
        access_expires_at: s.access_expires_at,
        device_id: s.device_id,
        identity: s.identity,
    }
}

fn refused_error(f: Failure) -> Error {
    match f {
        Failure::Refused { en, id, code } => Error::Remote {
            code,
            message_en: en,
            message_id: id,
        },
        Failure::Unauthorized => Error::Remote {
            code: "bad_credentials".into(),
            message_en: "Wrong account or password.".into(),
            message_id: "Akun atau kata sandi salah.".into(),
        },
        other => other.into(),
    }
}

/// Posts a sign-in with this install's device id. A device id is bound to the account that
/// first used it; when the server says it belongs to another, the install takes a new one and
/// asks once more.
fn sign_in(
    store: &Mutex<Store>,
    http: &Http,
    path: &str,
    body: impl Fn(&str) -> serde_json::Value,
) -> Result<ServerSession> {
    let device_id = lock(store).device_id()?;
    match http.post_json(path, &body(&device_id)) {
        Err(Failure::Refused { code, .. }) if code == "device_taken" => {
            let device_id = lock(store).renew_device_id()?;
            http.post_json(path, &body(&device_id))
                .map_err(refused_error)
        }
        other => other.map_err(refused_error),
    }
}

/// Signs in with an account and password; the store keeps the session and the identity.
pub fn login(
    store: &Mutex<Store>,
    server_url: &str,
    account_id: &str,
    password: &str,
) -> Result<Identity> {
    let http = Http::new(server_url, &lock(store).transport.clone())?;
    let session = sign_in(
        store,
        &http,
        "/v1/auth/login",
        |device_id| serde_json::json!({ "account_id": account_id, "password": password, "device_id": device_id }),
    )?;
    let session = into_session(server_url, session);
    let identity = session.identity.clone();
    lock(store).save_session(&session)?;
    Ok(identity)
}

/// A citizen continuing without an account: the server gives this device one of its own.
pub fn continue_anonymously(store: &Mutex<Store>, server_url: &str) -> Result<Identity> {
    let http = Http::new(server_url, &lock(store).transport.clone())?;
    let session = sign_in(
        store,
        &http,
        "/v1/auth/device",
        |device_id| serde_json::json!({ "device_id": device_id }),
    )?;
    let session = into_session(server_url, session);
    let identity = session.identity.clone();
    lock(store).save_session(&session)?;
    Ok(identity)
}

/// Held while a session is renewed (see `run`).
static REFRESHING: Mutex<()> = Mutex::new(());

const MAX_ROUNDS: u32 = 200;
const UPLOAD_BYTES_PER_ROUND: usize = 512 * 1024;
const DOWNLOAD_BYTES_PER_ROUND: u64 = 1024 * 1024;
const RETRIES: u32 = 4;

/// Syncs until nothing is left to send or receive. Safe to call at any moment: every round is
/// idempotent on the server, and a failed round leaves the store as it was before it.
pub fn sync(
    store: &Mutex<Store>,
    cancel: &AtomicBool,
    upload_full_photos: bool,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport> {
    let result = run(store, cancel, progress).and_then(|mut report| {
        transfer_contacts(store, cancel)?;
        transfer_photos(store, cancel, upload_full_photos, &mut report)?;
        Ok(report)
    });
    let s = lock(store);
    match &result {
        Ok(_) => s.record_sync_success()?,
        Err(e) => s.record_sync_failure(&crate::error::AduanError::from(clone_error(e)))?,
    }
    result
}

fn clone_error(e: &Error) -> Error {
    match e {
        Error::Sync(m) => Error::Sync(m.clone()),
        Error::Cancelled => Error::Cancelled,
        Error::Remote {
            code,
            message_en,
            message_id,
        } => Error::Remote {
            code: code.clone(),
            message_en: message_en.clone(),
            message_id: message_id.clone(),
        },
        other => Error::Sync(other.to_string()),
    }
}

/// Uploads what the server lacks (resuming cut uploads), then fetches missing thumbnails.
fn transfer_photos(
    store: &Mutex<Store>,
    cancel: &AtomicBool,
    upload_full: bool,
    report: &mut SyncReport,
) -> Result<()> {
    let session = lock(store).session()?.ok_or(Error::NoIdentity)?;
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    let token = session.access_token.as_str();
    let pending = lock(store).pending_photo_uploads()?;
    for (sha, data, thumb_of) in pending {
        if thumb_of.is_none() && !upload_full {
            report.photos_deferred += 1;
            continue;
        }
        let total = data.len() as u64;
        let mut attempts = 0;
        let (mut offset, mut complete) = http.photo_offset(token, &sha).map_err(refused_error)?;
        while !complete {
            if cancel.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            let end = (offset as usize + PHOTO_CHUNK).min(data.len());
            match http.photo_put(
                token,
                &sha,
                offset,
                total,
                &data[offset as usize..end],
                thumb_of.as_deref(),
            ) {
                Ok((o, c)) => {
                    report.progress.bytes_sent += (end - offset as usize) as u64;
                    offset = o.min(total);
                    complete = c;
                }
                Err(Failure::Transient(m)) if attempts < RETRIES => {
                    attempts += 1;
                    log::info!("photo chunk failed ({m}); resuming");
                    std::thread::sleep(Duration::from_millis(300 * (1 << attempts)));
                    offset = http.photo_offset(token, &sha).map_err(refused_error)?.0;
                }
                Err(f) => return Err(refused_error(f)),
            }
        }
        lock(store).mark_photo_uploaded(&sha)?;
        report.photos_sent += 1;
    }
    let missing = lock(store).missing_thumbnails()?;
    for (thumb, full) in missing {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        // A photo still on its way from the reporter's phone comes at a later sync.
        if let Some(bytes) = http.photo_get(token, &thumb).map_err(refused_error)? {
            report.progress.bytes_received += bytes.len() as u64;
            lock(store).store_remote_photo(&thumb, &bytes, Some(&full))?;
            report.photos_received += 1;
        }
    }
    Ok(())
}

/// A photo's bytes: from the phone, or fetched from the server (full size on demand).
pub fn fetch_photo(store: &Mutex<Store>, sha: &str) -> Result<Option<Vec<u8>>> {
    if let Some(bytes) = lock(store).photo_bytes(sha)? {
        return Ok(Some(bytes));
    }
    let Some(session) = lock(store).session()? else {
        return Ok(None);
    };
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    let Some(bytes) = http
        .photo_get(&session.access_token, sha)
        .map_err(refused_error)?
    else {
        return Ok(None);
    };
    lock(store).store_remote_photo(sha, &bytes, None)?;
    Ok(Some(bytes))
}

fn run(
    store: &Mutex<Store>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport> {
    let mut session = lock(store).session()?.ok_or(Error::NoIdentity)?;
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    let mut report = SyncReport::default();
    let mut refreshed = false;
    for round in 1..=MAX_ROUNDS {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let (outgoing, cursor, ack, notices_after) = {
            let mut s = lock(store);
            (
                s.outgoing(UPLOAD_BYTES_PER_ROUND)?,
                s.sync_cursor()?,
                s.sync_ack()?,
                s.notices_after()?,
            )
        };
        let request = SyncRequest {
            version: protocol::VERSION,
            cursor,
            uploads: outgoing.iter().map(|o| o.upload.clone()).collect(),
            resync: Vec::new(),
            max_response_bytes: DOWNLOAD_BYTES_PER_ROUND,
            ack,
            notices_after,
        };
        let body = protocol::encode(&request).map_err(|e| Error::Sync(format!("request: {e}")))?;
        let mut attempt = 0;
        let answer = loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            match http.sync(&session.access_token, body.clone()) {
                Ok(bytes) => break bytes,
                Err(Failure::Unauthorized) if !refreshed => {
                    // Only the server saying the refresh token is dead ends the session: an
                    // answer lost on the way leaves the old token usable (the server keeps it
                    // until the new pair is used), so it is simply tried again.
                    // One refresh at a time (see `renew_once`).
                    match renew_once(store, &http, &session)? {
                        Ok(Renewal::Taken(stored)) => {
                            session = stored;
                            continue;
                        }
                        Ok(Renewal::Renewed(renewed)) => {
                            refreshed = true;
                            session = renewed;
                        }
                        Err(Failure::Transient(m)) if attempt < RETRIES => {
                            attempt += 1;
                            log::info!("refresh failed ({m}); retry {attempt}");
                            std::thread::sleep(Duration::from_millis(300 * (1 << attempt)));
                        }
                        Err(f) => return Err(refused_error(f)),
                    }
                }
                Err(Failure::Transient(m)) if attempt < RETRIES => {
                    attempt += 1;
                    log::info!("sync round {round} failed ({m}); retry {attempt}");
                    std::thread::sleep(Duration::from_millis(300 * (1 << attempt)));
                }
                Err(f) => return Err(refused_error(f)),
            }
        };
        let response =
            protocol::decode_response(&answer).map_err(|e| Error::Sync(format!("answer: {e}")))?;
        // One durable write for the whole round: all of it lands, or none (and the cursor with it).
        let applied = lock(store).in_one_transaction(|s| {
            let applied = s.apply_sync_response(&outgoing, &response)?;
            s.store_notices(&response.notices)?;
            Ok(applied)
        })?;
        report.progress.round = round;
        report.progress.documents_sent += outgoing.len() as u64;
        report.progress.bytes_sent += body.len() as u64;
        report.progress.documents_received += u64::from(applied.received);
        report.progress.bytes_received += answer.len() as u64;
        report.accepted += applied.accepted;
        report.refused += applied.refused;
        report.revoked += applied.revoked;
        progress(report.progress);
        let pending = lock(store).pending_docs()?;
        if !response.more && (pending == 0 || outgoing.is_empty()) {
            return Ok(report);
        }
    }
    Ok(report)
}

/// A new access token for `session`, once: the pair another thread already renewed, or a
/// refresh. The sync loop does the same with retries of its own.
fn renew(store: &Mutex<Store>, http: &Http, session: &Session) -> Result<Session> {
    match renew_once(store, http, session)? {
        Ok(Renewal::Taken(s) | Renewal::Renewed(s)) => Ok(s),
        Err(f) => Err(refused_error(f)),
    }
}

/// A session after [`renew_once`].
enum Renewal {
    /// Another call renewed it meanwhile: its new pair, from the store.
    Taken(Session),
    /// Renewed here, and saved.
    Renewed(Session),
}

/// Exchanges `session`'s refresh token once. One refresh at a time: a second call running
/// meanwhile must not present a token the first has already exchanged (the server would take
/// it for a stolen copy and end the device's session); it takes the new pair instead. Only the
/// server saying the refresh token is dead ends the session (`signed_out`); any other failure
/// is the caller's to retry or report.
fn renew_once(
    store: &Mutex<Store>,
    http: &Http,
    session: &Session,
) -> Result<std::result::Result<Renewal, Failure>> {
    let _one = REFRESHING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(stored) = lock(store).session()? {
        if stored.refresh_token != session.refresh_token {
            return Ok(Ok(Renewal::Taken(stored)));
        }
    }
    match http.post_json(
        "/v1/auth/refresh",
        &serde_json::json!({ "refresh_token": session.refresh_token }),
    ) {
        Ok(renewed) => {
            let renewed = into_session(&session.server_url, renewed);
            lock(store).save_session(&renewed)?;
            Ok(Ok(Renewal::Renewed(renewed)))
        }
        Err(Failure::Unauthorized) => Err(Error::Remote {
            code: "signed_out".into(),
            message_en: "Sign in again: this device's session ended.".into(),
            message_id: "Silakan masuk lagi: sesi perangkat ini berakhir.".into(),
        }),
        Err(f) => Ok(Err(f)),
    }
}

/// The figures of the complaints received from `from` to `to` (dates, both included), over
/// every complaint on the server this phone is signed in to: `by` groups them, `institution`
/// picks one (handlers see only their own). See [`crate::figures`].
pub fn fetch_figures(
    store: &Mutex<Store>,
    from: &str,
    to: &str,
    by: Option<crate::figures::GroupBy>,
    institution: Option<&str>,
) -> Result<crate::figures::FiguresReport> {
    let mut session = lock(store).session()?.ok_or(Error::NoIdentity)?;
    let http = Http::new(&session.server_url, &lock(store).transport.clone())?;
    let mut query = vec![("from", from), ("to", to)];
    if let Some(by) = by {
        query.push(("by", by.code()));
    }
    if let Some(institution) = institution {
        query.push(("institution", institution));
    }
    let body = match http.figures(&session.access_token, &query) {
        Err(Failure::Unauthorized) => {
            session = renew(store, &http, &session)?;
            http.figures(&session.access_token, &query)
        }
        other => other,
    }
    .map_err(refused_error)?;
    serde_json::from_slice(&body).map_err(|e| Error::Sync(format!("figures: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_this_device_or_the_developer_setting_only() {
        let strict = TransportOptions::default();
        for ok in [
            "https://aduan.example.go.id",
            "http://127.0.0.1:8787",
            "http://[::1]:8787/",
            "http://localhost:8787",
        ] {
            assert!(check_server_url(ok, &strict).is_ok(), "{ok}");
        }
        for refused in [
            "http://aduan.example.go.id",
            "http://10.0.2.2:8787",
            "http://127.0.0.1.example.com",
            "http://localhost.example.com",
        ] {
            assert!(
                matches!(
                    check_server_url(refused, &strict),
                    Err(Error::InsecureServer)
                ),
                "{refused}"
            );
        }
        assert!(check_server_url("ftp://aduan.example.go.id", &strict).is_err());
        let developer = TransportOptions {
            allow_insecure_http: true,
            ..Default::default()
        };
        assert!(check_server_url("http://10.0.2.2:8787", &developer).is_ok());
    }
}
