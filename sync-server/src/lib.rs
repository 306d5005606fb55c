//! Aduan's sync server: phones sync here; it decides, per change, whether its author was
//! allowed to make it, and filters what each user may see.
//!
//! Laid out in layers, each importing only those below it:
//! - [`http`]: one router per resource; handlers parse, call a service, answer. They get the
//!   one shared [`state::AppState`].
//! - [`services`]: the logic (sync rounds, sessions, accounts, photos, live updates, quotas,
//!   sign-in limits, the security log, password rules); no HTTP types.
//! - [`storage`]: the database (both backends, schema and migrations, shared queries) and the
//!   photo store; it knows nothing above it.
//!
//! Beside them: [`error`] (the one error type, answered by `http/error.rs`), [`config`],
//! [`tls`] and [`demo`]. `tests/layers.rs` keeps the layers honest.

pub mod config;
pub mod demo;
pub mod error;
pub mod http;
pub mod services;
pub mod state;
pub mod storage;
pub mod tls;
