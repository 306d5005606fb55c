//! The server's storage: accounts, devices and tokens, and for every complaint its owner,
//! current institution and flags, its documents and the global change sequence phones sync
//! against. Embedded SQLite by default; PostgreSQL when several instances share one database.
//! Queries are written once, in the dialect both accept, against [`Sql`].

mod postgres;
mod sqlite;
mod value;

use std::path::Path;
use std::sync::{Arc, Mutex};

use aduan_core::types::{Identity, Role};

use crate::error::ApiError;
use crate::live::Live;
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
    // 3: quotas on what an address or account makes the server store, shared by every
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
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    pub disabled: bool,
}

impl Account {
    pub fn identity(&self) -> Identity {
        Identity {
            account_id: self.id.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            institution_id: self.institution_id.clone(),
            unit_id: self.unit_id.clone(),
        }
    }
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
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
    })
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
        live: &Live,
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
    pub fn relay_live_updates(&self, live: &Live) {
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
                "INSERT INTO accounts (id, display_name, role, institution_id, unit_id, password_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                crate::vals![&a.id, &a.display_name, a.role.code(), a.institution_id.as_deref(), a.unit_id.as_deref(), password_hash, now_secs()],
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

    pub fn add_device(&self, device_id: &str, account_id: &str) -> Result<(), ApiError> {
        self.run(|sql| {
            sql.execute(
                "INSERT INTO devices (id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                crate::vals![device_id, account_id, now_secs()],
            )
        })?;
        Ok(())
    }

    pub fn store_token(
        &self,
        hash: &[u8],
        account: &str,
        device: &str,
        kind: &str,
        expires_at: i64,
    ) -> Result<(), ApiError> {
        self.run(|sql| {
            sql.execute(
                "INSERT INTO tokens (hash, account_id, device_id, kind, expires_at) VALUES ($1, $2, $3, $4, $5)",
                crate::vals![hash, account, device, kind, expires_at],
            )
        })?;
        Ok(())
    }

    /// The account and device of a valid, unrevoked, unexpired token of `kind`, whose account
    /// is enabled.
    pub fn token(&self, hash: &[u8], kind: &str) -> Result<Option<(Account, String)>, ApiError> {
        self.run(|sql| {
            let Some(row) = sql.query_opt(
                "SELECT account_id, device_id FROM tokens
                 WHERE hash = $1 AND kind = $2 AND revoked = FALSE AND expires_at > $3",
                crate::vals![hash, kind, now_secs()],
            )?
            else {
                return Ok(None);
            };
            let device = row.text(1)?;
            Ok(account(sql, &row.text(0)?)?
                .filter(|a| !a.disabled)
                .map(|a| (a, device)))
        })
    }

    /// Revokes a token; whether it was still valid (so a refresh token is used once only, even
    /// when two requests race with it).
    pub fn revoke_token(&self, hash: &[u8]) -> Result<bool, ApiError> {
        self.run(|sql| {
            Ok(sql.execute(
                "UPDATE tokens SET revoked = TRUE WHERE hash = $1 AND revoked = FALSE",
                crate::vals![hash],
            )? > 0)
        })
    }

    pub fn revoke_device(&self, device: &str) -> Result<(), ApiError> {
        self.run(|sql| {
            sql.execute(
                "UPDATE tokens SET revoked = TRUE WHERE device_id = $1",
                crate::vals![device],
            )
        })?;
        Ok(())
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

pub fn account(sql: &mut dyn Sql, id: &str) -> Result<Option<Account>, ApiError> {
    sql.query_opt(
        "SELECT id, display_name, role, institution_id, unit_id, disabled FROM accounts WHERE id = $1",
        crate::vals![id],
    )?
    .map(|r| account_from_row(&r))
    .transpose()
}
