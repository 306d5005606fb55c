//! Aduan's core: every rule the phones, the desk and the server must agree on.

pub mod api;
pub mod catalog;
pub mod error;
pub mod figures;
pub mod model;
pub mod notify;
pub mod photo;
pub mod sms;
pub mod store;
pub mod sync;
pub mod types;
pub mod workflow;

uniffi::setup_scaffolding!();
