//! Sync: the protocol shared by the phone and the server ([`protocol`]).

pub mod authority;
pub mod protocol;
