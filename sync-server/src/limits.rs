//! Sign-in throttling: guessing passwords gets slower the more it fails. Per account, five
//! failures lock it for a minute, and every further failure doubles the lock (at most an
//! hour); per client address, fifty failures in ten minutes lock that address for ten
//! minutes (password spraying across accounts). A success clears the account's count. Kept
//! in memory per instance: behind several instances the limits apply per instance.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const ACCOUNT_FREE_FAILURES: u32 = 5;
const ACCOUNT_FIRST_LOCK: Duration = Duration::from_secs(60);
const ACCOUNT_MAX_LOCK: Duration = Duration::from_secs(3600);
const ADDRESS_FAILURES: u32 = 50;
const ADDRESS_WINDOW: Duration = Duration::from_secs(600);
const ADDRESS_LOCK: Duration = Duration::from_secs(600);
/// Entries kept before old ones are dropped (bounded memory under a flood).
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    first_failure: Instant,
    locked_until: Option<Instant>,
}

#[derive(Default)]
pub struct LoginLimiter {
    accounts: Mutex<HashMap<String, Entry>>,
    addresses: Mutex<HashMap<IpAddr, Entry>>,
}

fn locked<K: std::hash::Hash + Eq>(
    map: &Mutex<HashMap<K, Entry>>,
    key: &K,
    now: Instant,
) -> Option<Duration> {
    let map = map.lock().unwrap_or_else(|p| p.into_inner());
    map.get(key)?
        .locked_until
        .filter(|until| *until > now)
        .map(|until| until - now)
}

fn prune<K>(map: &mut HashMap<K, Entry>, now: Instant) {
    if map.len() >= MAX_ENTRIES {
        map.retain(|_, e| {
            e.locked_until.is_some_and(|u| u > now)
                || now.duration_since(e.first_failure) < ADDRESS_WINDOW
        });
    }
}

impl LoginLimiter {
    /// How long this sign-in must wait, if it must.
    pub fn wait(&self, account: &str, address: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let by_account = locked(&self.accounts, &account.to_string(), now);
        let by_address = address.and_then(|a| locked(&self.addresses, &a, now));
        by_account.max(by_address)
    }

    pub fn failed(&self, account: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        {
            let mut map = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
            prune(&mut map, now);
            let e = map.entry(account.to_string()).or_insert(Entry {
                failures: 0,
                first_failure: now,
                locked_until: None,
            });
            e.failures += 1;
            if e.failures >= ACCOUNT_FREE_FAILURES {
                let doublings = (e.failures - ACCOUNT_FREE_FAILURES).min(10);
                let lock = (ACCOUNT_FIRST_LOCK * 2u32.pow(doublings)).min(ACCOUNT_MAX_LOCK);
                e.locked_until = Some(now + lock);
            }
        }
        if let Some(address) = address {
            let mut map = self.addresses.lock().unwrap_or_else(|p| p.into_inner());
            prune(&mut map, now);
            let e = map.entry(address).or_insert(Entry {
                failures: 0,
                first_failure: now,
                locked_until: None,
            });
            if now.duration_since(e.first_failure) > ADDRESS_WINDOW {
                *e = Entry {
                    failures: 0,
                    first_failure: now,
                    locked_until: None,
                };
            }
            e.failures += 1;
            if e.failures >= ADDRESS_FAILURES {
                e.locked_until = Some(now + ADDRESS_LOCK);
            }
        }
    }

    pub fn succeeded(&self, account: &str) {
        self.accounts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_account_and_not_others() {
        let l = LoginLimiter::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..4 {
            l.failed("petugas", Some(ip));
            assert!(l.wait("petugas", Some(ip)).is_none());
        }
        l.failed("petugas", Some(ip));
        let wait = l.wait("petugas", Some(ip)).expect("locked");
        assert!(wait > Duration::from_secs(50) && wait <= ACCOUNT_FIRST_LOCK);
        assert!(l.wait("warga", Some(ip)).is_none());
        l.failed("petugas", Some(ip));
        assert!(
            l.wait("petugas", None).unwrap() > ACCOUNT_FIRST_LOCK,
            "doubles"
        );
    }

    #[test]
    fn spraying_many_accounts_locks_the_address() {
        let l = LoginLimiter::default();
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        for i in 0..ADDRESS_FAILURES {
            l.failed(&format!("akun-{i}"), Some(ip));
        }
        assert!(l.wait("akun-baru", Some(ip)).is_some());
        assert!(l
            .wait("akun-baru", Some("10.0.0.10".parse().unwrap()))
            .is_none());
    }

    #[test]
    fn success_clears_the_account() {
        let l = LoginLimiter::default();
        for _ in 0..3 {
            l.failed("kader", None);
        }
        l.succeeded("kader");
        for _ in 0..4 {
            l.failed("kader", None);
        }
        assert!(l.wait("kader", None).is_none());
    }
}
