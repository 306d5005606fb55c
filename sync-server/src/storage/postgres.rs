//! PostgreSQL, for when one machine is not enough: several server instances share one
//! database. Sync rounds are serialized by a transaction-scoped advisory lock, so the change
//! sequence commits in order and a cursor never skips a change another instance is still
//! writing. Live updates cross instances with LISTEN/NOTIFY.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::Client;

use super::{ChangeSink, Row, Sql, Value, MIGRATIONS, SCHEMA_VERSION};
use crate::error::ApiError;

/// Advisory lock keys (arbitrary, fixed): schema creation, and every sync transaction.
const SCHEMA_LOCK: i64 = 0x4164_7561_6e00;
pub const SYNC_LOCK: i64 = 0x4164_7561_6e01;
/// The channel live updates cross instances on.
pub const CHANNEL: &str = "aduan_changes";

/// Version 1; [`MIGRATIONS`] bring it up to date.
const SCHEMA: &str = r#"
CREATE TABLE accounts (
    id             TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    institution_id TEXT,
    unit_id        TEXT,
    password_hash  TEXT,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT NOT NULL
);
CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL
);
CREATE TABLE tokens (
    hash       BYTEA PRIMARY KEY,
    account_id TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX tokens_by_device ON tokens(device_id);
CREATE TABLE actors (
    actor     BYTEA PRIMARY KEY,
    device_id TEXT NOT NULL
);
CREATE TABLE complaints (
    id             TEXT PRIMARY KEY,
    owner_account  TEXT NOT NULL,
    tracking_id    TEXT NOT NULL UNIQUE,
    institution_id TEXT,
    status         TEXT NOT NULL,
    anonymous      BOOLEAN NOT NULL DEFAULT FALSE,
    confidential   BOOLEAN NOT NULL DEFAULT FALSE,
    access_seq     BIGINT NOT NULL
);
CREATE INDEX complaints_owner ON complaints(owner_account);
CREATE INDEX complaints_institution ON complaints(institution_id);
CREATE TABLE docs (
    doc_id       TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL,
    snapshot     BYTEA NOT NULL,
    heads        BYTEA NOT NULL
);
CREATE TABLE changes (
    seq          BIGSERIAL PRIMARY KEY,
    doc_id       TEXT NOT NULL,
    complaint_id TEXT NOT NULL,
    hash         BYTEA NOT NULL,
    data         BYTEA NOT NULL,
    device_id    TEXT NOT NULL,
    UNIQUE (doc_id, hash)
);
CREATE INDEX changes_by_complaint ON changes(complaint_id, seq);
CREATE TABLE photos (
    sha256    TEXT PRIMARY KEY,
    bytes     BIGINT NOT NULL,
    width     BIGINT NOT NULL,
    height    BIGINT NOT NULL,
    thumb_of  TEXT,
    device_id TEXT NOT NULL
);
CREATE INDEX photos_thumb ON photos(thumb_of);
CREATE TABLE photo_refs (
    complaint_id TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (sha256, complaint_id)
);
CREATE TABLE device_complaints (
    device_id    TEXT NOT NULL,
    complaint_id TEXT NOT NULL,
    PRIMARY KEY (device_id, complaint_id)
);
"#;

impl From<postgres::Error> for ApiError {
    fn from(e: postgres::Error) -> Self {
        ApiError::internal(format!("database: {e}"))
    }
}

/// Opens connections with the TLS the URL's `sslmode` asks for (see [`crate::tls`]).
#[derive(Clone)]
struct Connector {
    url: String,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
}

impl Connector {
    fn new(url: &str) -> Result<Connector, ApiError> {
        let (url, tls) = crate::tls::postgres_connection(url)
            .map_err(|e| ApiError::internal(format!("database: {e}")))?;
        Ok(Connector { url, tls })
    }

    fn connect(&self) -> Result<Client, postgres::Error> {
        Client::connect(&self.url, self.tls.clone())
    }
}

/// A small blocking pool: at most `max` connections, reused, replaced when they break.
pub struct Pool {
    connector: Connector,
    max: usize,
    state: Mutex<PoolState>,
    freed: Condvar,
}

struct PoolState {
    idle: Vec<Client>,
    open: usize,
}

pub struct Pooled {
    pool: Arc<Pool>,
    client: Option<Client>,
}

impl Pooled {
    pub fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("present until dropped")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let mut s = self.pool.state.lock().unwrap_or_else(|p| p.into_inner());
        match self.client.take() {
            Some(c) if !c.is_closed() => s.idle.push(c),
            _ => s.open -= 1,
        }
        self.pool.freed.notify_one();
    }
}

impl Pool {
    pub fn get(self: &Arc<Self>) -> Result<Pooled, ApiError> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(c) = s.idle.pop() {
                if c.is_closed() {
                    s.open -= 1;
                    continue;
                }
                return Ok(Pooled {
                    pool: self.clone(),
                    client: Some(c),
                });
            }
            if s.open < self.max {
                s.open += 1;
                drop(s);
                return match self.connector.connect() {
                    Ok(c) => Ok(Pooled {
                        pool: self.clone(),
                        client: Some(c),
                    }),
                    Err(e) => {
                        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                        s.open -= 1;
                        self.freed.notify_one();
                        Err(e.into())
                    }
                };
            }
            let (next, timeout) = self
                .freed
                .wait_timeout(s, Duration::from_secs(30))
                .unwrap_or_else(|p| p.into_inner());
            s = next;
            if timeout.timed_out() && s.idle.is_empty() && s.open >= self.max {
                return Err(ApiError::internal("database: no connection free for 30 s"));
            }
        }
    }
}

/// Connects, creates the schema on a new database (once, even when instances start together)
/// and returns the pool.
pub fn open(url: &str, max: usize) -> Result<Arc<Pool>, ApiError> {
    let connector = Connector::new(url)?;
    let mut client = connector.connect()?;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS aduan_schema (version BIGINT NOT NULL)")?;
    let version: Option<i64> = tx
        .query_opt("SELECT version FROM aduan_schema", &[])?
        .map(|r| r.get(0));
    match version {
        Some(v) if v > SCHEMA_VERSION => {
            return Err(ApiError::internal(format!(
                "database schema {v} is newer than this server ({SCHEMA_VERSION})"
            )))
        }
        Some(_) => {}
        None => {
            tx.batch_execute(SCHEMA)?;
            tx.execute("INSERT INTO aduan_schema (version) VALUES (1)", &[])?;
        }
    }
    let version = version.unwrap_or(1).max(1);
    if version < SCHEMA_VERSION {
        for step in MIGRATIONS.iter().skip(version as usize - 1) {
            tx.batch_execute(step)?;
        }
        tx.execute("UPDATE aduan_schema SET version = $1", &[&SCHEMA_VERSION])?;
    }
    tx.commit()?;
    Ok(Arc::new(Pool {
        connector,
        max: max.max(1),
        state: Mutex::new(PoolState {
            idle: vec![client],
            open: 1,
        }),
        freed: Condvar::new(),
    }))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let int = |v: i64, out: &mut BytesMut| match *ty {
            Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
            Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
            Type::BOOL => (v != 0).to_sql(ty, out),
            _ => v.to_sql(ty, out),
        };
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => int(*v, out),
            Value::Bool(b) if *ty == Type::BOOL => b.to_sql(ty, out),
            Value::Bool(b) => int(*b as i64, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn convert(rows: Vec<postgres::Row>) -> Result<Vec<Row>, ApiError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut row = Vec::with_capacity(r.len());
        for (i, column) in r.columns().iter().enumerate() {
            let v = match *column.type_() {
                Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map(Value::Bool),
                Type::INT2 => r
                    .try_get::<_, Option<i16>>(i)?
                    .map(|v| Value::Int(v.into())),
                Type::INT4 => r
                    .try_get::<_, Option<i32>>(i)?
                    .map(|v| Value::Int(v.into())),
                Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
                    r.try_get::<_, Option<String>>(i)?.map(Value::Text)
                }
                Type::BYTEA => r.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
                Type::VOID => None,
                ref other => {
                    return Err(ApiError::internal(format!(
                        "database: column {i} has unsupported type {other}"
                    )))
                }
            };
            row.push(v.unwrap_or(Value::Null));
        }
        out.push(Row(row));
    }
    Ok(out)
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for Client {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ApiError> {
        Ok(Client::execute(self, sql, &refs(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ApiError> {
        convert(Client::query(self, sql, &refs(params))?)
    }
}

impl Sql for postgres::Transaction<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ApiError> {
        Ok(postgres::Transaction::execute(self, sql, &refs(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ApiError> {
        convert(postgres::Transaction::query(self, sql, &refs(params))?)
    }
}

/// Tells every instance (this one included) which complaints changed; delivered at commit.
/// NOTIFY payloads are limited to 8,000 bytes, so large rounds go in several.
pub fn notify(
    tx: &mut dyn Sql,
    sequence: u64,
    changed: &[(String, String, Option<String>)],
) -> Result<(), ApiError> {
    for chunk in changed.chunks(40) {
        let payload = serde_json::json!({ "sequence": sequence, "complaints": chunk }).to_string();
        tx.execute("SELECT pg_notify($1, $2)", crate::vals![CHANNEL, payload])?;
    }
    Ok(())
}

/// Forwards notifications from every instance to this instance's live listeners, on a thread
/// of its own, reconnecting when the connection drops.
pub fn listen(url: String, live: impl ChangeSink) {
    std::thread::Builder::new()
        .name("aduan-pg-listen".into())
        .spawn(move || loop {
            match listen_once(&url, &live) {
                Ok(()) => tracing::warn!("live updates: database connection closed; reconnecting"),
                Err(e) => tracing::warn!(
                    error = e.cause(),
                    "live updates: database connection failed; reconnecting"
                ),
            }
            // Listeners may have missed something while disconnected: tell them to sync.
            live.resync();
            std::thread::sleep(Duration::from_secs(1));
        })
        .expect("spawn the listener thread");
}

fn listen_once(url: &str, live: &impl ChangeSink) -> Result<(), ApiError> {
    let mut client = Connector::new(url)?.connect()?;
    client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
    let mut notifications = client.notifications();
    let mut it = notifications.blocking_iter();
    use postgres::fallible_iterator::FallibleIterator;
    while let Some(n) = it.next()? {
        #[derive(serde::Deserialize)]
        struct Payload {
            sequence: u64,
            complaints: Vec<(String, String, Option<String>)>,
        }
        match serde_json::from_str::<Payload>(n.payload()) {
            Ok(p) => live.publish(p.sequence, p.complaints),
            Err(e) => tracing::warn!(error = %e, "live updates: unreadable notification"),
        }
    }
    Ok(())
}
