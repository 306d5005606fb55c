//! Accounts and sessions: passwords hashed with Argon2id (memory-hard), bearer tokens stored
//! only as hashes. An access token keeps a phone working through weeks offline; a refresh
//! token renews it; both are revoked with the device or the account. Authentication is an
//! extractor (`http/extractor.rs`), so no handler can forget it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use std::net::IpAddr;

use aduan_core::types::Role;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::limits::{Client, LoginLimiter};
use super::quotas::Meter;
use super::security;
use crate::error::{ApiError, Kind};
use crate::storage::{self, now_secs, Account, Db, NewToken, Sql};
use crate::vals;

pub const ACCESS_TTL_SECS: i64 = 30 * 24 * 3600;
pub const REFRESH_TTL_SECS: i64 = 180 * 24 * 3600;

/// Memory for one Argon2 computation with this server's parameters (19 MiB).
fn argon2_memory() -> Vec<Block> {
    vec![Block::default(); Params::DEFAULT.block_count()]
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    hash_password_in(&mut argon2_memory(), password)
}

/// A new PHC string for `password` (Argon2id, version 19, default parameters, 16 random bytes
/// of salt), computed in `memory`.
pub fn hash_password_in(memory: &mut [Block], password: &str) -> Result<String, ApiError> {
    let fail = |e: argon2::password_hash::Error| ApiError::internal(format!("argon2: {e}"));
    let mut salt = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut salt);
    let params = Params::DEFAULT;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let hash = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), &salt, out, &mut *memory)?)
    })
    .map_err(fail)?;
    let salt = SaltString::encode_b64(&salt).map_err(fail)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(fail)?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` is the one `stored` (a PHC string) was made from, computed in `memory`
/// (a hash with larger parameters than this server makes gets memory of its own). A stored
/// value that does not parse matches nothing.
pub fn verify_password(memory: &mut [Block], password: &str, stored: &str) -> bool {
    matches_hash(memory, password, stored).unwrap_or(false)
}

fn matches_hash(
    memory: &mut [Block],
    password: &str,
    stored: &str,
) -> Result<bool, argon2::password_hash::Error> {
    let hash = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return Ok(false);
    };
    let params = Params::try_from(&hash)?;
    let algorithm = Algorithm::try_from(hash.algorithm)?;
    let version = hash.version.map(Version::try_from).transpose()?;
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    let mut own = Vec::new();
    let blocks = if params.block_count() <= memory.len() {
        memory
    } else {
        own.resize(params.block_count(), Block::default());
        &mut own[..]
    };
    let argon2 = Argon2::new(algorithm, version.unwrap_or_default(), params);
    let computed = Output::init_with(expected.len(), |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut *blocks)?)
    })?;
    // Output compares in constant time.
    Ok(computed == expected)
}

/// A real hash of nothing, verified against for unknown accounts so a failed sign-in takes
/// the same time whether or not the account exists.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

/// Password hashes computed at once, at most: each Argon2 computation takes 19 MiB and a core
/// for a few dozen milliseconds, so a flood of sign-ins (each refused one still costs a hash)
/// waits here instead of taking the server's memory. Each slot keeps its memory for the next
/// check: allocating it anew on whichever thread runs the check would leave up to one copy
/// per allocator arena behind.
pub struct PasswordChecks {
    slots: Arc<Semaphore>,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

/// A slot: room to compute one hash, returned when dropped.
pub struct PasswordSlot {
    _permit: OwnedSemaphorePermit,
    memory: Vec<Block>,
    pool: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl PasswordSlot {
    pub fn memory(&mut self) -> &mut [Block] {
        &mut self.memory
    }
}

impl Drop for PasswordSlot {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(memory);
        }
    }
}

/// How long a sign-in waits for a slot before it is told the server is busy.
const PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(30);

impl PasswordChecks {
    pub fn new(at_once: usize) -> PasswordChecks {
        PasswordChecks {
            slots: Arc::new(Semaphore::new(at_once.max(1))),
            memory: Arc::default(),
        }
    }

    /// One per core.
    pub fn per_core() -> PasswordChecks {
        PasswordChecks::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// A slot for one hash, held until dropped.
    pub async fn slot(&self) -> Result<PasswordSlot, ApiError> {
        match tokio::time::timeout(PASSWORD_CHECK_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => {
                let kept = self.memory.lock().ok().and_then(|mut pool| pool.pop());
                Ok(PasswordSlot {
                    _permit: permit,
                    memory: kept.unwrap_or_else(argon2_memory),
                    pool: self.memory.clone(),
                })
            }
            Ok(Err(closed)) => Err(ApiError::internal(closed)),
            Err(_) => Err(ApiError::new(
                Kind::Busy,
                "busy",
                "The server is busy checking sign-ins; try again in a minute.",
                "Server sedang sibuk memeriksa proses masuk; coba lagi sebentar lagi.",
            )),
        }
    }
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// 128 random bits: beyond guessing, and 22 characters on every request rather than 43 (a 2G
/// link pays for each byte).
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at: i64,
    pub device_id: String,
    pub identity: aduan_core::types::Identity,
}

pub fn device_taken() -> ApiError {
    ApiError::new(
        Kind::Conflict,
        "device_taken",
        "This device id belongs to another account; sign in with a new device id.",
        "Id perangkat ini milik akun lain; masuk dengan id perangkat yang baru.",
    )
}

/// Issues a fresh pair of tokens for a device of an account, binding a new device id to it.
pub fn issue(db: &Db, account: &Account, device_id: &str) -> Result<Session, ApiError> {
    // A device id decides which actors, held complaints and photos are whose, and what a
    // sign-out ends: it stays with the account that used it first.
    if !db.bind_device(device_id, &account.id)? {
        security::event(
            db,
            security::DEVICE_TAKEN,
            Some(&account.id),
            None,
            "sign_in",
        )?;
        return Err(device_taken());
    }
    db.run(|sql| issue_in(sql, account, device_id, None))
}

/// A pair of tokens; `parent` is the refresh token it replaces.
fn issue_in(
    sql: &mut dyn Sql,
    account: &Account,
    device_id: &str,
    parent: Option<&[u8]>,
) -> Result<Session, ApiError> {
    let access = new_token();
    let refresh = new_token();
    let now = now_secs();
    for (token, kind, ttl) in [
        (&access, "access", ACCESS_TTL_SECS),
        (&refresh, "refresh", REFRESH_TTL_SECS),
    ] {
        storage::store_token(
            sql,
            NewToken {
                hash: &token_hash(token),
                account: &account.id,
                device: device_id,
                kind,
                expires_at: now + ttl,
                parent,
            },
        )?;
    }
    Ok(Session {
        access_token: access,
        refresh_token: refresh,
        access_expires_at: now + ACCESS_TTL_SECS,
        device_id: device_id.to_string(),
        identity: account.identity(),
    })
}

/// Renews a device's tokens with its refresh token. The token stays usable until the pair it
/// was exchanged for is first used, so an answer lost on the way costs nothing: the phone
/// asks again with the token it still has (and the pair it never received is voided).
/// Presented again after that, the token is a copy in someone else's hands: every token of
/// the device ends, and its owner signs in again.
pub fn refresh(db: &Db, token: &str) -> Result<Session, ApiError> {
    if token.len() > 200 {
        return Err(ApiError::unauthorized());
    }
    let hash = token_hash(token);
    db.transaction(|sql| {
        let Some(row) = sql.query_opt(
            "SELECT account_id, device_id, revoked, spent, parent, expires_at FROM tokens
                 WHERE hash = $1 AND kind = 'refresh'",
            vals![&hash],
        )?
        else {
            return Err(ApiError::unauthorized());
        };
        let (account_id, device) = (row.text(0)?, row.text(1)?);
        if row.bool(3)? {
            storage::revoke_device(sql, &device, &account_id)?;
            security::record(
                sql,
                security::TOKEN_REPLAYED,
                Some(&account_id),
                None,
                "device_revoked",
            )?;
            return Ok(None);
        }
        if row.bool(2)? || row.int(5)? <= now_secs() {
            return Err(ApiError::unauthorized());
        }
        let account = storage::account(sql, &account_id)?
            .filter(|a| !a.disabled)
            .ok_or_else(ApiError::unauthorized)?;
        // This token arriving means the pair it came in was received.
        if let Some(parent) = row.opt_blob(4)? {
            storage::spend(sql, &parent)?;
        }
        // Pairs issued for this token before were never used: their answers were lost.
        sql.execute(
            "UPDATE tokens SET revoked = TRUE WHERE parent = $1",
            vals![&hash],
        )?;
        issue_in(sql, &account, &device, Some(&hash)).map(Some)
    })?
    // The revocation above must commit, so the refusal comes after the transaction.
    .ok_or_else(ApiError::unauthorized)
}

/// The account and device an access token stands for, if it is valid.
pub fn authenticate(db: &Db, token: &str) -> Result<(Account, String), ApiError> {
    if token.len() > 200 {
        return Err(ApiError::unauthorized());
    }
    db.access(&token_hash(token))?
        .ok_or_else(ApiError::unauthorized)
}

/// A device id, checked.
pub fn check_device_id(id: &str) -> Result<(), ApiError> {
    if aduan_core::model::event::valid_id(id) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "bad_device_id",
            "The device id must be 1-80 letters, digits, '.', '-' or '_'.",
        ))
    }
}

/// What a sign-in with a password came to.
pub enum SignIn {
    Session(Session),
    /// Too many failures: held without a password check for this long.
    Wait(Duration),
    Refused,
}

/// Signs `account_id` in on device `device_id` from `address` with `password`, checked in
/// `slot`: throttled by the limiter, logged in the security log.
pub fn sign_in(
    db: &Db,
    limiter: &LoginLimiter,
    mut slot: PasswordSlot,
    account_id: &str,
    password: &str,
    device_id: &str,
    address: Option<IpAddr>,
) -> Result<SignIn, ApiError> {
    let owner = db.device_owner(device_id)?;
    let client = Client {
        address,
        known_device: (owner.as_deref() == Some(account_id)).then_some(device_id),
    };
    let account = db.account(account_id)?;
    // What was typed as an account id is logged only when it names one: people type
    // their password there too.
    let named = account.as_ref().map(|a| a.id.as_str());
    // Held attempts cost no password check, so they are not logged one by one (that would
    // let anyone fill the log); the lock itself is, when it is set.
    if let Some(wait) = limiter.admit(account_id, client)? {
        return Ok(SignIn::Wait(wait));
    }
    let hash = db.password_hash(account_id)?;
    // Verify even for unknown accounts, so timing does not tell which accounts exist.
    let ok = match &hash {
        Some(h) => verify_password(slot.memory(), password, h),
        None => {
            let _ = verify_password(slot.memory(), password, dummy_hash());
            false
        }
    };
    drop(slot);
    match &account {
        Some(a) if ok && !a.disabled => {
            limiter.succeeded(&a.id, client)?;
            let session = issue(db, a, device_id)?;
            security::event(db, security::SIGN_IN, named, None, "password")?;
            Ok(SignIn::Session(session))
        }
        _ => {
            let locked = limiter.failed(account_id, client)?;
            let why = match &account {
                None => "unknown_account",
                Some(a) if a.disabled => "disabled",
                Some(_) => "bad_password",
            };
            security::event(db, security::SIGN_IN_FAILED, named, None, why)?;
            if locked {
                security::event(db, security::SIGN_IN_LOCKED, named, None, "")?;
            }
            Ok(SignIn::Refused)
        }
    }
}

/// A citizen who continues without an account: the device gets an account of its own, known
/// to nobody but the server, and a credential to sync with.
pub fn register_device(
    db: &Db,
    meter: &Meter,
    device_id: &str,
    address: Option<IpAddr>,
) -> Result<Session, ApiError> {
    // A device id already in use stays with its account: refused before an account is
    // made for it.
    if let Some(owner) = db.device_owner(device_id)? {
        security::event(
            db,
            security::DEVICE_TAKEN,
            Some(&owner),
            None,
            "registration",
        )?;
        return Err(device_taken());
    }
    meter.room_to_write()?;
    meter.register(address)?;
    let account = Account {
        id: format!("anon-{}", uuid::Uuid::new_v4().simple()),
        display_name: "Warga".into(),
        role: Role::Citizen,
        institution_id: None,
        unit_id: None,
        disabled: false,
        area: None,
    };
    db.create_account(&account, None)?;
    issue(db, &account, device_id)
}

/// Ends a device's session: every token of it.
pub fn sign_out(db: &Db, account: &Account, device_id: &str) -> Result<(), ApiError> {
    db.revoke_device(device_id, &account.id)?;
    security::event(db, security::SIGN_OUT, Some(&account.id), None, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn a_password_checks_against_its_hash_in_memory_used_before() {
        let mut memory = argon2_memory();
        let hash = hash_password_in(&mut memory, "kata-sandi-benar").unwrap();
        let other = hash_password("lain").unwrap();
        assert_ne!(
            hash_password("lain").unwrap(),
            other,
            "a new salt every time"
        );
        // What Argon2's own verifier accepts: a standard PHC string.
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(Argon2::default()
            .verify_password(b"kata-sandi-benar", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"salah", &parsed)
            .is_err());
        for _ in 0..2 {
            assert!(verify_password(&mut memory, "kata-sandi-benar", &hash));
            assert!(!verify_password(&mut memory, "kata-sandi-salah", &hash));
            assert!(verify_password(&mut memory, "lain", &other));
            assert!(!verify_password(&mut memory, "kata-sandi-benar", &other));
        }
    }

    #[test]
    fn hashes_with_other_parameters_check_as_argon2_made_them() {
        let mut memory = argon2_memory();
        let salt = SaltString::encode_b64(b"garam-enambelas!").unwrap();
        for (m, t, p) in [(1024, 1, 1), (8 * 1024, 3, 2), (64 * 1024, 1, 1)] {
            let params = Params::new(m, t, p, None).unwrap();
            let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(b"sandi", &salt)
                .unwrap()
                .to_string();
            assert!(verify_password(&mut memory, "sandi", &hash), "{hash}");
            assert!(!verify_password(&mut memory, "sandI", &hash), "{hash}");
        }
    }

    #[test]
    fn stored_values_that_are_not_hashes_match_nothing() {
        let mut memory = argon2_memory();
        for stored in [
            "",
            "sandi",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$md5$abc$def",
        ] {
            assert!(!verify_password(&mut memory, "sandi", stored), "{stored}");
            assert!(!verify_password(&mut memory, "", stored), "{stored}");
        }
    }
}
