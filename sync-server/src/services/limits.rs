//! Sign-in throttling: guessing passwords gets slower the more it fails, and a guesser cannot
//! lock the real user out.
//! - Per account and client (the address, or a device already bound to the account: the
//!   device cookies of OWASP's guidance), five failures lock that pair for a minute, and every
//!   further failure doubles the lock (at most an hour). A guesser locks only themselves; the
//!   administrator on their own phone, or from another address, still signs in.
//! - Per account everywhere, a hundred failures since its last success (NIST SP 800-63B's
//!   ceiling) lock it for an hour against every device it does not know yet.
//! - Per client address, fifty failures in ten minutes lock that address for ten minutes
//!   (password spraying across accounts); devices known to the account they sign in to pass.
//!
//! IPv6 addresses count by /64 (one customer's network), IPv4-mapped ones as IPv4. A success
//! clears the pair and the account; a count whose first failure and lock are both a day old
//! is forgotten.
//!
//! Kept in the database (`sign_in_failures`), so instances sharing a PostgreSQL database
//! share the limits: alternating between them buys an attacker nothing. An attempt is counted
//! against its pair when it is admitted, before its password is checked, and the attempt that
//! may lock the pair locks it while it is checked: guesses sent in parallel get no more tries
//! than guesses sent one after the other.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::ApiError;
use crate::storage::{Db, Sql};
use crate::vals;

const PAIR_FREE_FAILURES: i64 = 5;
const PAIR_FIRST_LOCK: Duration = Duration::from_secs(60);
const PAIR_MAX_LOCK: Duration = Duration::from_secs(3600);
const ACCOUNT_FAILURES: i64 = 100;
const ACCOUNT_LOCK: Duration = Duration::from_secs(3600);
const ADDRESS_FAILURES: i64 = 50;
const ADDRESS_WINDOW: Duration = Duration::from_secs(600);
const ADDRESS_LOCK: Duration = Duration::from_secs(600);
/// Every this many failures seen by an instance, it forgets the rows whose first failure and
/// lock are both older than [`FORGET_AFTER`] (bounded storage under a flood of made-up
/// accounts). Sooner would let a patient guesser reset an account's count below its lock.
const PRUNE_EVERY: u64 = 256;
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

use crate::storage::now_ms;

fn ms(d: Duration) -> i64 {
    d.as_millis() as i64
}

/// The network an address stands for: IPv4 as it is, IPv6 by its /64.
pub fn network(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Who is signing in: the client address, and the device id when it is already bound to the
/// account named.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client<'a> {
    pub address: Option<IpAddr>,
    pub known_device: Option<&'a str>,
}

fn pair_key(account: &str, client: Client<'_>) -> String {
    match client.known_device {
        Some(device) => format!("pair:{account}#{device}"),
        None => format!(
            "pair:{account}@{}",
            client.address.map(network).unwrap_or_default()
        ),
    }
}

fn account_key(account: &str) -> String {
    format!("account:{account}")
}

fn address_key(address: IpAddr) -> String {
    format!("address:{}", network(address))
}

fn lock_until(sql: &mut dyn Sql, subject: String, until: i64) -> Result<u64, ApiError> {
    sql.execute(
        "UPDATE sign_in_failures SET locked_until = $2 WHERE subject = $1",
        vals![subject, until],
    )
}

/// How long a pair's `failures` lock it for (none below the free failures).
fn pair_lock(failures: i64) -> Option<Duration> {
    let beyond = failures - PAIR_FREE_FAILURES;
    (beyond >= 0).then(|| {
        let doublings = beyond.min(10) as u32;
        (PAIR_FIRST_LOCK * 2u32.pow(doublings)).min(PAIR_MAX_LOCK)
    })
}

/// Counts one failure of `subject`, starting over when the first failure is older than
/// `window_start`; the count.
fn count_failure(
    sql: &mut dyn Sql,
    subject: String,
    now: i64,
    window_start: i64,
) -> Result<i64, ApiError> {
    sql.query_int(
        "INSERT INTO sign_in_failures (subject, failures, first_failure, locked_until)
         VALUES ($1, 1, $2, 0)
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN sign_in_failures.first_failure < $3 THEN 1
                           ELSE sign_in_failures.failures + 1 END,
           first_failure = CASE WHEN sign_in_failures.first_failure < $3 THEN $2
                                ELSE sign_in_failures.first_failure END
         RETURNING failures",
        vals![subject, now, window_start],
    )
}

pub struct LoginLimiter {
    db: Db,
    failures_seen: AtomicU64,
}

impl LoginLimiter {
    pub fn new(db: Db) -> LoginLimiter {
        LoginLimiter {
            db,
            failures_seen: AtomicU64::new(0),
        }
    }

    /// Admits a sign-in attempt (counted against its pair from now on), or says how long it
    /// must wait.
    pub fn admit(&self, account: &str, client: Client<'_>) -> Result<Option<Duration>, ApiError> {
        let now = now_ms();
        let pair = pair_key(account, client);
        // A device the account knows is held only by its own pair.
        let mut subjects = vec![pair.clone()];
        if client.known_device.is_none() {
            subjects.push(account_key(account));
            subjects.extend(client.address.map(address_key));
        }
        self.db.run(|sql| {
            let locked_until = |sql: &mut dyn Sql| {
                let mut max = 0;
                for subject in &subjects {
                    if let Some(row) = sql.query_opt(
                        "SELECT locked_until FROM sign_in_failures WHERE subject = $1",
                        vals![subject],
                    )? {
                        max = max.max(row.int(0)?);
                    }
                }
                Ok::<_, ApiError>(max)
            };
            let wait =
                |until: i64| (until > now).then(|| Duration::from_millis((until - now) as u64));
            if let Some(wait) = wait(locked_until(sql)?) {
                return Ok(Some(wait));
            }
            // One statement, so that of attempts racing here exactly one can be the one that
            // may lock the pair, and the others find it locked (no row comes back).
            let admitted = sql.query_opt(
                "INSERT INTO sign_in_failures (subject, failures, first_failure, locked_until)
                 VALUES ($1, 1, $2, 0)
                 ON CONFLICT (subject) DO UPDATE SET
                   failures = sign_in_failures.failures + 1,
                   locked_until = CASE WHEN sign_in_failures.failures + 1 >= $3 THEN $4
                                       ELSE sign_in_failures.locked_until END
                 WHERE sign_in_failures.locked_until <= $2
                 RETURNING failures",
                vals![&pair, now, PAIR_FREE_FAILURES, now + ms(PAIR_FIRST_LOCK)],
            )?;
            if admitted.is_none() {
                return Ok(Some(wait(locked_until(sql)?).unwrap_or(PAIR_FIRST_LOCK)));
            }
            Ok(None)
        })
    }

    /// The admitted attempt failed: the pair locks once it has used its free attempts, the
    /// account and the address at their own thresholds. Whether anything locked now.
    pub fn failed(&self, account: &str, client: Client<'_>) -> Result<bool, ApiError> {
        let now = now_ms();
        let pair = pair_key(account, client);
        self.db.run(|sql| {
            let mut locked = false;
            let failures = sql
                .query_opt(
                    "SELECT failures FROM sign_in_failures WHERE subject = $1",
                    vals![&pair],
                )?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(0);
            if let Some(lock) = pair_lock(failures) {
                lock_until(sql, pair, now + ms(lock))?;
                locked = failures == PAIR_FREE_FAILURES;
            }
            // Consecutive failures: the count starts over only with a success (or a day).
            let everywhere = count_failure(sql, account_key(account), now, now - ms(FORGET_AFTER))?;
            if everywhere >= ACCOUNT_FAILURES {
                lock_until(sql, account_key(account), now + ms(ACCOUNT_LOCK))?;
                locked |= everywhere == ACCOUNT_FAILURES;
            }
            if let Some(address) = client.address {
                // A failure after the window starts a new one.
                let failures =
                    count_failure(sql, address_key(address), now, now - ms(ADDRESS_WINDOW))?;
                if failures >= ADDRESS_FAILURES {
                    lock_until(sql, address_key(address), now + ms(ADDRESS_LOCK))?;
                    locked |= failures == ADDRESS_FAILURES;
                }
            }
            if self.failures_seen.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
                sql.execute(
                    "DELETE FROM sign_in_failures WHERE locked_until < $1 AND first_failure < $1",
                    vals![now - ms(FORGET_AFTER)],
                )?;
            }
            Ok(locked)
        })
    }

    pub fn succeeded(&self, account: &str, client: Client<'_>) -> Result<(), ApiError> {
        self.db.run(|sql| {
            sql.execute(
                "DELETE FROM sign_in_failures WHERE subject IN ($1, $2)",
                vals![pair_key(account, client), account_key(account)],
            )
            .map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> (LoginLimiter, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (LoginLimiter::new(Db::open(dir.path()).unwrap()), dir)
    }

    fn from(address: &str) -> Client<'static> {
        Client {
            address: Some(address.parse().unwrap()),
            known_device: None,
        }
    }

    /// One wrong password: admitted and failed, or the wait it was given instead.
    fn guess(l: &LoginLimiter, account: &str, client: Client<'_>) -> Option<Duration> {
        let wait = l.admit(account, client).unwrap();
        if wait.is_none() {
            l.failed(account, client).unwrap();
        }
        wait
    }

    /// As if every lock had run out.
    fn expire(l: &LoginLimiter) {
        l.db.run(|sql| sql.execute("UPDATE sign_in_failures SET locked_until = 0", vals![]))
            .unwrap();
    }

    #[test]
    fn five_failures_lock_the_guessers_pair_and_not_others() {
        let (l, _dir) = limiter();
        let guesser = from("203.0.113.7");
        for _ in 0..PAIR_FREE_FAILURES {
            assert_eq!(guess(&l, "petugas", guesser), None);
        }
        let wait = l.admit("petugas", guesser).unwrap().expect("locked");
        assert!(wait > Duration::from_secs(50) && wait <= PAIR_FIRST_LOCK);
        assert_eq!(guess(&l, "warga", guesser), None);
        assert_eq!(l.admit("petugas", from("198.51.100.20")).unwrap(), None);
        expire(&l);
        assert_eq!(
            guess(&l, "petugas", guesser),
            None,
            "one try once the lock is over"
        );
        let wait = l.admit("petugas", guesser).unwrap().expect("locked again");
        assert!(wait > PAIR_FIRST_LOCK, "doubles: {wait:?}");
    }

    #[test]
    fn the_attempt_that_may_lock_the_pair_locks_it_while_it_is_checked() {
        let (l, _dir) = limiter();
        let c = Client::default();
        for _ in 0..PAIR_FREE_FAILURES - 1 {
            guess(&l, "petugas", c);
        }
        assert_eq!(l.admit("petugas", c).unwrap(), None, "the fifth is checked");
        assert!(
            l.admit("petugas", c).unwrap().is_some(),
            "a sixth sent meanwhile waits"
        );
        l.succeeded("petugas", c).unwrap();
        assert_eq!(
            l.admit("petugas", c).unwrap(),
            None,
            "the right password cleared it"
        );
    }

    #[test]
    fn locks_double_up_to_an_hour() {
        assert_eq!(pair_lock(4), None);
        assert_eq!(pair_lock(5), Some(PAIR_FIRST_LOCK));
        assert_eq!(pair_lock(7), Some(PAIR_FIRST_LOCK * 4));
        assert_eq!(pair_lock(500), Some(PAIR_MAX_LOCK));
    }

    #[test]
    fn spraying_many_accounts_locks_the_address_but_not_known_devices() {
        let (l, _dir) = limiter();
        for i in 0..ADDRESS_FAILURES {
            assert_eq!(guess(&l, &format!("akun-{i}"), from("10.0.0.9")), None);
        }
        assert!(l.admit("akun-baru", from("10.0.0.9")).unwrap().is_some());
        assert_eq!(l.admit("akun-baru", from("10.0.0.10")).unwrap(), None);
        let own_phone = Client {
            known_device: Some("dev-hp-budi"),
            ..from("10.0.0.9")
        };
        assert_eq!(
            l.admit("petugas", own_phone).unwrap(),
            None,
            "same carrier NAT"
        );
    }

    #[test]
    fn a_distributed_guesser_locks_the_account_only_for_devices_it_does_not_know() {
        let (l, _dir) = limiter();
        for i in 0..ACCOUNT_FAILURES {
            let address = format!("198.18.{}.{}", i / 200, i % 200 + 1);
            assert_eq!(
                guess(&l, "admin-nasional", from(&address)),
                None,
                "{address}"
            );
        }
        assert!(l
            .admit("admin-nasional", from("192.0.2.1"))
            .unwrap()
            .is_some());
        let own_phone = Client {
            known_device: Some("dev-hp-admin"),
            ..from("192.0.2.1")
        };
        assert_eq!(l.admit("admin-nasional", own_phone).unwrap(), None);
        l.succeeded("admin-nasional", own_phone).unwrap();
        assert_eq!(l.admit("admin-nasional", from("192.0.2.1")).unwrap(), None);
    }

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let n = |a: &str| network(a.parse().unwrap());
        assert_eq!(n("2001:db8:1:2::1"), n("2001:db8:1:2:ffff::9"));
        assert_ne!(n("2001:db8:1:2::1"), n("2001:db8:1:3::1"));
        assert_eq!(n("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(n("203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn success_clears_the_pair() {
        let (l, _dir) = limiter();
        let c = Client::default();
        for _ in 0..3 {
            guess(&l, "kader", c);
        }
        l.succeeded("kader", c).unwrap();
        for _ in 0..4 {
            guess(&l, "kader", c);
        }
        assert_eq!(l.admit("kader", c).unwrap(), None);
    }

    #[test]
    fn pruning_drops_stale_rows_and_keeps_what_still_locks() {
        let (l, _dir) = limiter();
        let c = Client::default();
        let long_ago = now_ms() - ms(FORGET_AFTER) - 1000;
        let recently = now_ms() - ms(FORGET_AFTER) / 2;
        l.db.run(|sql| {
            sql.execute(
                "INSERT INTO sign_in_failures VALUES ('pair:lama@', 3, $1, $1), ('pair:sabar@', 4, $2, 0)",
                vals![long_ago, recently],
            )
        })
        .unwrap();
        for _ in 0..PAIR_FREE_FAILURES {
            guess(&l, "petugas", c);
        }
        for i in 0..PRUNE_EVERY {
            guess(&l, &format!("akun-{i}"), c);
        }
        let subjects =
            l.db.run(|sql| sql.query("SELECT subject FROM sign_in_failures", vals![]))
                .unwrap();
        let subjects: Vec<String> = subjects.iter().map(|r| r.text(0).unwrap()).collect();
        assert!(!subjects.contains(&"pair:lama@".to_string()));
        assert!(
            subjects.contains(&"pair:sabar@".to_string()),
            "four failures half a day ago still count"
        );
        assert!(l.admit("petugas", c).unwrap().is_some());
    }
}
