//! Sync: the protocol shared by the phone and the server ([`protocol`]), the server's checks
//! on every change ([`authority`]) and the phone's HTTP driver ([`client`]).

pub mod authority;
pub mod bounds;
pub mod client;
pub mod directory;
pub mod protocol;
