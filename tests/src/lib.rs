//! Helpers for end-to-end tests: start real servers, drive CLI phones.
