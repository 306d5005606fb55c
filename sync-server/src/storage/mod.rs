//! The server's storage: accounts, devices and tokens, and for every complaint its owner,
//! current institution and flags, its documents and the global change sequence phones sync
//! against. Embedded SQLite by default; PostgreSQL when several instances share one database.
//! Queries are written once, in the dialect both accept, against [`Sql`].
//!
//! The bottom layer: it imports nothing from `services`, `http` or `state`. What a round
//! changed reaches live updates through [`ChangeSink`], which the live updates service
//! implements.

pub mod bridge;
pub mod figures;
pub mod gammu;
pub mod notifications;
pub mod open311;
pub mod photos;
mod postgres;
pub mod public;
pub mod queue;
pub mod reporters;
pub mod sms_desk;
mod sqlite;
mod value;

use std::path::Path;
use std::sync::{Arc, Mutex};

use aduan_core::types::{Identity, Role};

use crate::error::ApiError;
pub use photos::{FsPhotoStore, PhotoStore};
pub use value::{Row, Sql, Value};

/// The schema's version: 1 is each backend's `SCHEMA`; every later version is one step of
/// [`MIGRATIONS`], written in the dialect both accept and applied in order on open.
pub const SCHEMA_VERSION: i64 = 1 + MIGRATIONS.len() as i64;

/// `MIGRATIONS[i]` takes a database from version `i + 1` to `i + 2`.
const MIGRATIONS: &[&str] = &[
    // 2: sign-in failures, shared by every instance (see `limits`). `subject` is
    // "account:<id>" or "address:<ip>"; times are Unix milliseconds.
    "CREATE TABLE sign_in_failures (
         subject       TEXT PRIMARY KEY,
         failures      BIGINT NOT NULL,
         first_failure BIGINT NOT NULL,
         locked_until  BIGINT NOT NULL
     );",
    // What a device holds follows what it acknowledges: a complaint granted or revoked in a
    // response stays pending ('granted' / 'revoked', with the round of the last response that
    // carried it) and is sent again until the device acknowledges that round; 'held' rows get
    // changes since the cursor. `device_rounds` numbers each device's responses.
    "ALTER TABLE device_complaints ADD COLUMN state TEXT NOT NULL DEFAULT 'held';
     ALTER TABLE device_complaints ADD COLUMN round BIGINT NOT NULL DEFAULT 0;
     CREATE TABLE device_rounds (
         device_id TEXT PRIMARY KEY,
         round     BIGINT NOT NULL
     );",
    // 4 (issue 13, item 2): who wrote each photo reference, so a reference opens only bytes
    // its writer uploaded or could already see (knowing a hash opens nothing). References
    // stored before are attributed to the photo's uploader where that account could see the
    // complaint (its reporter, its handlers), else to the reporter, until the complaint next
    // changes and its references are rebuilt from its documents.
    "ALTER TABLE photo_refs RENAME TO photo_refs_unattributed;
     CREATE TABLE photo_refs (
         complaint_id TEXT NOT NULL,
         sha256       TEXT NOT NULL,
         account_id   TEXT NOT NULL,
         PRIMARY KEY (sha256, complaint_id, account_id)
     );
     INSERT INTO photo_refs (complaint_id, sha256, account_id)
     SELECT r.complaint_id, r.sha256,
            CASE WHEN a.id = c.owner_account OR a.role = 'national_admin'
                      OR (a.role IN ('officer', 'institution_admin') AND a.institution_id = c.institution_id)
                 THEN a.id ELSE c.owner_account END
       FROM photo_refs_unattributed r
       JOIN complaints c ON c.id = r.complaint_id
       LEFT JOIN photos p ON p.sha256 = r.sha256
       LEFT JOIN devices d ON d.id = p.device_id
       LEFT JOIN accounts a ON a.id = d.account_id;
     DROP TABLE photo_refs_unattributed;",
    // 5: sessions that survive a lost answer, devices bound to one account, the security log.
    // `parent`: the refresh token whose rotation issued this token, until the new pair is
    // first used; `spent`: a refresh token whose successor was used (presenting it again
    // means a copy was stolen). Tokens a device was given for an account other than the one
    // that registered it are revoked (any login could claim any device id before).
    // `security_log.id` is the time in milliseconds, zero-padded, and a random suffix: it
    // sorts by time and pages without a sequence (which the two dialects spell differently).
    "ALTER TABLE tokens ADD COLUMN parent BYTEA;
     ALTER TABLE tokens ADD COLUMN spent BOOLEAN NOT NULL DEFAULT FALSE;
     CREATE INDEX tokens_by_parent ON tokens(parent);
     UPDATE tokens SET revoked = TRUE WHERE NOT EXISTS (
         SELECT 1 FROM devices WHERE devices.id = tokens.device_id
                                 AND devices.account_id = tokens.account_id);
     CREATE TABLE security_log (
         id         TEXT PRIMARY KEY,
         at         BIGINT NOT NULL,
         kind       TEXT NOT NULL,
         account_id TEXT,
         actor_id   TEXT,
         detail     TEXT NOT NULL
     );",
    // 6: quotas on what an address or account makes the server store, shared by every
    // instance (see `quotas`): `subject` is "register:<window>:<address>",
    // "complaints:<account>" or "photo-bytes:<account>"; `window_start` in Unix ms. And when
    // each photo arrived (Unix ms), so photos no complaint shows are forgotten after a grace
    // period; 0 for photos from before, which the sweep leaves alone.
    "CREATE TABLE quota_use (
         subject      TEXT NOT NULL,
         window_start BIGINT NOT NULL,
         used         BIGINT NOT NULL,
         PRIMARY KEY (subject, window_start)
     );
     ALTER TABLE photos ADD COLUMN received_at BIGINT NOT NULL DEFAULT 0;",
    // 7 (issue 14): who may know the reporter. The contact details a named reporter (or the
    // operator who filed for them) gave, apart from the documents and their change log so
    // that removing the row forgets them; served only as `reporters` allows.
    "CREATE TABLE reporter_contacts (
         complaint_id TEXT PRIMARY KEY,
         name         TEXT NOT NULL,
         phone        TEXT NOT NULL,
         email        TEXT NOT NULL,
         updated_at   BIGINT NOT NULL
     );",
    // 8 (issue 14, item 7): the figures' summary, one row per complaint (see `figures`):
    // core's facts as JSON, selected by institution and when it received the complaint.
    // Complaints stored before get their row on the first figures request.
    "CREATE TABLE complaint_figures (
         complaint_id   TEXT PRIMARY KEY,
         institution_id TEXT,
         received_at    BIGINT,
         facts          TEXT NOT NULL
     );
     CREATE INDEX complaint_figures_by_institution ON complaint_figures(institution_id, received_at);
     CREATE INDEX complaint_figures_by_received ON complaint_figures(received_at);",
    // 9 (issue 14, item 4): the complaints anyone may see without an account, with what a
    // public page filters on (areas lower-cased). Confidential complaints have no row. Rows
    // for complaints stored before are made at start (`services::public::backfill`).
    "CREATE TABLE public_complaints (
         complaint_id TEXT PRIMARY KEY,
         category     TEXT NOT NULL,
         province     TEXT NOT NULL,
         city         TEXT NOT NULL,
         kecamatan    TEXT NOT NULL,
         kelurahan    TEXT NOT NULL,
         created_at   BIGINT NOT NULL
     );
     CREATE INDEX public_complaints_created ON public_complaints(created_at);
     CREATE INDEX public_complaints_kelurahan ON public_complaints(kelurahan);
     CREATE INDEX public_complaints_city ON public_complaints(city);",
    // 10 (issue 13, item 2): every account that sent a photo's whole bytes is one of its
    // uploaders (the second to send the same bytes used to be told "complete" at once, which
    // also told anyone that the photo existed). Earlier photos: their first uploader.
    "CREATE TABLE photo_uploaders (
         sha256     TEXT NOT NULL,
         account_id TEXT NOT NULL,
         PRIMARY KEY (sha256, account_id)
     );
     INSERT INTO photo_uploaders (sha256, account_id)
         SELECT p.sha256, d.account_id FROM photos p JOIN devices d ON d.id = p.device_id;",
    // 11 (issue 14, item 5): a field cadre's area (a kelurahan's Kemendagri code), and the
    // village each complaint is about (from its report's location, when it names one), so a
    // cadre is sent their kelurahan's open reports. Earlier accounts and complaints have none.
    "ALTER TABLE accounts ADD COLUMN area TEXT;
     ALTER TABLE complaints ADD COLUMN area TEXT;
     CREATE INDEX complaints_by_area ON complaints(area);",
    // 12 (issue 17, item 4): the notification outbox (see `storage::notifications`).
    notifications::MIGRATION,
    // 13 (issue 16): Open311 API keys (only their SHA-256 kept), the tokens a POST answers
    // with, and each key's uses (what and when; nothing about a reporter). See `open311`.
    // And which complaint each imported record of another system became (`bridge`), so
    // importing the same export again files nothing new.
    "CREATE TABLE open311_keys (
         id          TEXT PRIMARY KEY,
         hash        BYTEA NOT NULL UNIQUE,
         system      TEXT NOT NULL,
         channel     TEXT NOT NULL,
         account_id  TEXT NOT NULL,
         per_hour    BIGINT NOT NULL,
         created_by  TEXT,
         created_at  BIGINT NOT NULL,
         revoked_at  BIGINT
     );
     CREATE TABLE open311_tokens (
         token        TEXT PRIMARY KEY,
         complaint_id TEXT NOT NULL,
         key_id       TEXT NOT NULL,
         created_at   BIGINT NOT NULL
     );
     CREATE TABLE open311_uses (
         key_id   TEXT NOT NULL,
         at       BIGINT NOT NULL,
         action   TEXT NOT NULL,
         outcome  TEXT NOT NULL
     );
     CREATE INDEX open311_uses_by_key ON open311_uses(key_id, at);
     CREATE TABLE bridged_imports (
         system       TEXT NOT NULL,
         reference    TEXT NOT NULL,
         complaint_id TEXT NOT NULL,
         imported_at  BIGINT NOT NULL,
         PRIMARY KEY (system, reference)
     );",
    // 14 (issue 15, item 8): where each complaint stands in the queues, so the desk's inbox
    // reads the soonest deadlines first instead of replaying every complaint: the running
    // stage's deadline (core's, from its events; none when no stage runs), written by the
    // admission with the status; and when it was filed, so merge suggestions read only the
    // weeks core's duplicate rule looks at. Rows stored before are filled at start
    // (`services::desk::backfill_queue`, `queued` false until then).
    "ALTER TABLE complaints ADD COLUMN due_at BIGINT;
     ALTER TABLE complaints ADD COLUMN created_at BIGINT;
     ALTER TABLE complaints ADD COLUMN queued BOOLEAN NOT NULL DEFAULT FALSE;
     CREATE INDEX complaints_by_due ON complaints(due_at);
     CREATE INDEX complaints_by_created ON complaints(created_at);",
    // 15 (issue 15, item 8): what the inbox's filters and search narrow by, so a filtered
    // inbox reads only the complaints that may match (`services::desk::Narrow`): the kind,
    // category, unit and channel codes, the area's names and the searched words (both in
    // lower case, one per line). Written by the admission with the status; rows stored before
    // are filled at start (`queued` false again until then).
    "ALTER TABLE complaints ADD COLUMN kind TEXT;
     ALTER TABLE complaints ADD COLUMN category TEXT;
     ALTER TABLE complaints ADD COLUMN unit_id TEXT;
     ALTER TABLE complaints ADD COLUMN channel TEXT;
     ALTER TABLE complaints ADD COLUMN place TEXT;
     ALTER TABLE complaints ADD COLUMN words TEXT;
     UPDATE complaints SET queued = FALSE;",
    // 16 (issue 15, item 5 at scale): the figures' summary packed (postcard, a third of the
    // JSON's size and far quicker to read back: a year's figures read every row of it). The
    // rows are made again at start (`services::figures::backfill`).
    "DROP TABLE complaint_figures;
     CREATE TABLE complaint_figures (
         complaint_id   TEXT PRIMARY KEY,
         institution_id TEXT,
         received_at    BIGINT,
         packed         BYTEA NOT NULL
     );
     CREATE INDEX complaint_figures_by_institution ON complaint_figures(institution_id, received_at);
     CREATE INDEX complaint_figures_by_received ON complaint_figures(received_at);",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    pub disabled: bool,
    /// A field cadre's kelurahan (Kemendagri code).
    pub area: Option<String>,
}

impl Account {
    pub fn identity(&self) -> Identity {
        Identity {
            account_id: self.id.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            institution_id: self.institution_id.clone(),
            unit_id: self.unit_id.clone(),
            area: self.area.clone(),
        }
    }
}

pub fn now_secs() -> i64 {
    now_ms() / 1000
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn account_from_row(r: &Row) -> Result<Account, ApiError> {
    Ok(Account {
        id: r.text(0)?,
        display_name: r.text(1)?,
        role: Role::from_code(&r.text(2)?).unwrap_or(Role::Citizen),
        institution_id: r.opt_text(3)?,
        unit_id: r.opt_text(4)?,
        disabled: r.bool(5)?,
        area: r.opt_text(6)?,
    })
}

/// Where storage delivers the complaints that changed, as (complaint id, owner account,
/// institution): live updates implement it, so storage needs to know nothing of them.
pub trait ChangeSink: Clone + Send + 'static {
    fn publish(&self, sequence: u64, complaints: Vec<(String, String, Option<String>)>);
    /// Listeners may have missed changes (another instance's notices were not received):
    /// they should sync.
    fn resync(&self);
}

/// Where the data lives.
#[derive(Clone)]
enum Backend {
    Sqlite(Arc<Mutex<rusqlite::Connection>>),
    Postgres {
        pool: Arc<postgres::Pool>,
        url: String,
    },
}

#[derive(Clone)]
pub struct Db {
    backend: Backend,
}

impl Db {
    /// The embedded default: `aduan-server.db` in the data folder.
    pub fn open(dir: &Path) -> Result<Db, ApiError> {
        Ok(Db {
            backend: Backend::Sqlite(Arc::new(Mutex::new(sqlite::open(dir)?))),
        })
    }

    /// A PostgreSQL database (`postgres://user:password@host:port/name`), shared by any number
    /// of instances; at most `pool` connections from this one.
    pub fn open_postgres(url: &str, pool: usize) -> Result<Db, ApiError> {
        Ok(Db {
            backend: Backend::Postgres {
                pool: postgres::open(url, pool)?,
                url: url.to_string(),
            },
        })
    }

    /// Runs `f` in one transaction that commits if it returns `Ok`. Transactions are
    /// serialized (SQLite's single writer; an advisory lock on PostgreSQL), so the change
    /// sequence commits in order.
    pub fn transaction<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(&mut sqlite::Lite(&tx))?;
                tx.commit()?;
                Ok(out)
            }
            Backend::Postgres { pool, .. } => {
                let mut pooled = pool.get()?;
                let mut tx = pooled.client().transaction()?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&postgres::SYNC_LOCK])?;
                let out = f(&mut tx)?;
                tx.commit()?;
                Ok(out)
            }
        }
    }

    /// Runs `f` outside any transaction (each statement commits on its own), without waiting
    /// for sync rounds in progress.
    pub fn run<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                let conn = conn.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut sqlite::Lite(&conn))
            }
            Backend::Postgres { pool, .. } => f(pool.get()?.client()),
        }
    }

    /// Publishes the complaints a round changed, from inside its transaction `tx`: on
    /// PostgreSQL through the database to every instance's listeners (NOTIFY is delivered only
    /// if the round commits); on SQLite straight to this instance's (a listener that syncs at
    /// once waits for the commit, which holds the only connection).
    pub fn announce(
        &self,
        tx: &mut dyn Sql,
        live: &impl ChangeSink,
        sequence: u64,
        changed: Vec<(String, String, Option<String>)>,
    ) -> Result<(), ApiError> {
        if changed.is_empty() {
            return Ok(());
        }
        match &self.backend {
            Backend::Postgres { .. } => postgres::notify(tx, sequence, &changed),
            Backend::Sqlite(_) => {
                live.publish(sequence, changed);
                Ok(())
            }
        }
    }

    /// Starts relaying other instances' changes to this instance's live listeners.
    pub fn relay_live_updates(&self, live: &impl ChangeSink) {
        if let Backend::Postgres { url, .. } = &self.backend {
            postgres::listen(url.clone(), live.clone());
        }
    }

    pub fn account(&self, id: &str) -> Result<Option<Account>, ApiError> {
        self.run(|sql| account(sql, id))
    }

    pub fn create_account(&self, a: &Account, password_hash: Option<&str>) -> Result<(), ApiError> {
        let inserted = self.run(|sql| {
            sql.execute(
                "INSERT INTO accounts (id, display_name, role, institution_id, unit_id, password_hash, created_at, area)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                crate::vals![&a.id, &a.display_name, a.role.code(), a.institution_id.as_deref(), a.unit_id.as_deref(), password_hash, now_secs(), a.area.as_deref()],
            )
        })?;
        if inserted == 0 {
            return Err(ApiError::conflict(
                "account_exists",
                "An account with this id exists.",
            ));
        }
        Ok(())
    }

    pub fn password_hash(&self, id: &str) -> Result<Option<String>, ApiError> {
        self.run(|sql| {
            match sql.query_opt(
                "SELECT password_hash FROM accounts WHERE id = $1",
                crate::vals![id],
            )? {
                Some(row) => row.opt_text(0),
                None => Ok(None),
            }
        })
    }

    pub fn set_disabled(&self, id: &str, disabled: bool) -> Result<bool, ApiError> {
        self.transaction(|sql| {
            let n = sql.execute(
                "UPDATE accounts SET disabled = $2 WHERE id = $1",
                crate::vals![id, disabled],
            )?;
            if disabled {
                sql.execute(
                    "UPDATE tokens SET revoked = TRUE WHERE account_id = $1",
                    crate::vals![id],
                )?;
            }
            Ok(n > 0)
        })
    }

    pub fn move_account(
        &self,
        id: &str,
        institution: Option<&str>,
        unit: Option<&str>,
    ) -> Result<bool, ApiError> {
        self.run(|sql| {
            Ok(sql.execute(
                "UPDATE accounts SET institution_id = $2, unit_id = $3 WHERE id = $1",
                crate::vals![id, institution, unit],
            )? > 0)
        })
    }

    /// Sets (or clears) an account's area. Whether the account exists.
    pub fn set_account_area(&self, id: &str, area: Option<&str>) -> Result<bool, ApiError> {
        self.run(|sql| {
            Ok(sql.execute(
                "UPDATE accounts SET area = $2 WHERE id = $1",
                crate::vals![id, area],
            )? > 0)
        })
    }

    /// The account a device id is bound to, if it was ever used.
    pub fn device_owner(&self, device_id: &str) -> Result<Option<String>, ApiError> {
        self.run(|sql| device_owner(sql, device_id))
    }

    /// Binds a new device id to `account_id`; whether the device is this account's (a device
    /// id bound to another account stays theirs).
    pub fn bind_device(&self, device_id: &str, account_id: &str) -> Result<bool, ApiError> {
        self.run(|sql| {
            sql.execute(
                "INSERT INTO devices (id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                crate::vals![device_id, account_id, now_secs()],
            )?;
            Ok(device_owner(sql, device_id)?.as_deref() == Some(account_id))
        })
    }

    /// The account and device of a valid, unrevoked, unexpired token of `kind`, whose account
    /// is enabled.
    pub fn token(&self, hash: &[u8], kind: &str) -> Result<Option<(Account, String)>, ApiError> {
        Ok(self.token_with_parent(hash, kind)?.map(|(a, d, _)| (a, d)))
    }

    /// An access token's account and device. The first use of a pair issued by a refresh
    /// confirms it arrived: the refresh token it replaced is spent from then on.
    pub fn access(&self, hash: &[u8]) -> Result<Option<(Account, String)>, ApiError> {
        let Some((account, device, parent)) = self.token_with_parent(hash, "access")? else {
            return Ok(None);
        };
        if let Some(parent) = parent {
            self.run(|sql| spend(sql, &parent))?;
        }
        Ok(Some((account, device)))
    }

    fn token_with_parent(&self, hash: &[u8], kind: &str) -> Result<Option<TokenHolder>, ApiError> {
        self.run(|sql| {
            let Some(row) = sql.query_opt(
                "SELECT account_id, device_id, parent FROM tokens
                 WHERE hash = $1 AND kind = $2 AND revoked = FALSE AND expires_at > $3",
                crate::vals![hash, kind, now_secs()],
            )?
            else {
                return Ok(None);
            };
            let device = row.text(1)?;
            let parent = row.opt_blob(2)?;
            Ok(account(sql, &row.text(0)?)?
                .filter(|a| !a.disabled)
                .map(|a| (a, device, parent)))
        })
    }

    /// Revokes every token of a device of an account (a sign-out, or a stolen token's chain).
    pub fn revoke_device(&self, device: &str, account: &str) -> Result<(), ApiError> {
        self.run(|sql| revoke_device(sql, device, account))
    }

    pub fn counts(&self) -> Result<(i64, i64, i64), ApiError> {
        self.run(|sql| {
            Ok((
                sql.query_int("SELECT COUNT(*) FROM accounts", &[])?,
                sql.query_int("SELECT COUNT(*) FROM complaints", &[])?,
                sql.query_int("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])?,
            ))
        })
    }
}

/// A valid token's account, device, and the refresh token whose rotation issued it (until
/// first used).
type TokenHolder = (Account, String, Option<Vec<u8>>);

/// A token to store.
pub struct NewToken<'a> {
    pub hash: &'a [u8],
    pub account: &'a str,
    pub device: &'a str,
    pub kind: &'a str,
    pub expires_at: i64,
    pub parent: Option<&'a [u8]>,
}

/// Stores a token; `parent` is the refresh token whose rotation issued it.
pub fn store_token(sql: &mut dyn Sql, token: NewToken<'_>) -> Result<(), ApiError> {
    sql.execute(
        "INSERT INTO tokens (hash, account_id, device_id, kind, expires_at, parent) VALUES ($1, $2, $3, $4, $5, $6)",
        crate::vals![token.hash, token.account, token.device, token.kind, token.expires_at, token.parent],
    )?;
    Ok(())
}

pub fn device_owner(sql: &mut dyn Sql, device_id: &str) -> Result<Option<String>, ApiError> {
    sql.query_opt(
        "SELECT account_id FROM devices WHERE id = $1",
        crate::vals![device_id],
    )?
    .map(|r| r.text(0))
    .transpose()
}

pub fn revoke_device(sql: &mut dyn Sql, device: &str, account: &str) -> Result<(), ApiError> {
    sql.execute(
        "UPDATE tokens SET revoked = TRUE WHERE device_id = $1 AND account_id = $2",
        crate::vals![device, account],
    )?;
    Ok(())
}

/// The pair issued in place of refresh token `parent` has been used: `parent` is spent, and
/// the pair is an ordinary one.
pub fn spend(sql: &mut dyn Sql, parent: &[u8]) -> Result<(), ApiError> {
    sql.execute(
        "UPDATE tokens SET revoked = TRUE, spent = TRUE WHERE hash = $1",
        crate::vals![parent],
    )?;
    sql.execute(
        "UPDATE tokens SET parent = NULL WHERE parent = $1",
        crate::vals![parent],
    )?;
    Ok(())
}

pub fn account(sql: &mut dyn Sql, id: &str) -> Result<Option<Account>, ApiError> {
    sql.query_opt(
        "SELECT id, display_name, role, institution_id, unit_id, disabled, area FROM accounts WHERE id = $1",
        crate::vals![id],
    )?
    .map(|r| account_from_row(&r))
    .transpose()
}
