//! Aduan's sync server: phones sync here; it decides, per change, whether its author was
//! allowed to make it, and filters what each user may see.

pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod escalations;
pub mod forwarded;
pub mod limits;
pub mod live;
pub mod passwords;
pub mod photos;
pub mod quotas;
pub mod security;
pub mod sync;
pub mod tls;
