//! The UniFFI surface: one object ([`ffi::AduanStore`]), plain records, one error enum.

pub mod ffi;
pub mod notifications;
pub mod places;
pub mod public;
pub mod records;
pub mod views;
