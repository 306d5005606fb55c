//! The server's logic, between the HTTP routes above and storage below: sync rounds,
//! sessions, accounts, photos, live updates, quotas and sign-in limits, the security log,
//! password rules. Nothing here speaks HTTP (no axum types) or reaches for the shared state:
//! each function is handed what it works with.

pub mod accounts;
pub mod bridge;
pub mod desk;
pub mod escalations;
pub mod figures;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod limits;
pub mod live;
pub mod mail;
pub mod notifications;
pub mod open311;
pub mod passwords;
pub mod photos;
pub mod public;
pub mod quotas;
pub mod reporters;
pub mod security;
pub mod sessions;
pub mod sms;
pub mod sync;
