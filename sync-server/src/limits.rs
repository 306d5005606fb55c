//! Sign-in throttling: guessing passwords gets slower the more it fails. Per account, five
//! failures lock it for a minute, and every further failure doubles the lock (at most an
//! hour); per client address, fifty failures in ten minutes lock that address for ten
//! minutes (password spraying across accounts). A success clears the account's count; a
//! count whose first failure and lock are both a day old is forgotten.
//! Kept in the database (`sign_in_failures`), so instances sharing a PostgreSQL database
//! share the limits: alternating between them buys an attacker nothing. An attempt on an
//! account is counted when it is admitted, before its password is checked, and the attempt
//! that may lock the account locks it while it is checked: guesses sent in parallel get no
//! more tries than guesses sent one after the other.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::db::{Db, Sql};
use crate::error::ApiError;
use crate::vals;

const ACCOUNT_FREE_FAILURES: i64 = 5;
const ACCOUNT_FIRST_LOCK: Duration = Duration::from_secs(60);
const ACCOUNT_MAX_LOCK: Duration = Duration::from_secs(3600);
const ADDRESS_FAILURES: i64 = 50;
const ADDRESS_WINDOW: Duration = Duration::from_secs(600);
const ADDRESS_LOCK: Duration = Duration::from_secs(600);
/// Every this many failures seen by an instance, it forgets the rows whose first failure and
/// lock are both older than [`FORGET_AFTER`] (bounded storage under a flood of made-up
/// accounts). Sooner would let a patient guesser reset an account's count below its lock.
const PRUNE_EVERY: u64 = 256;
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn ms(d: Duration) -> i64 {
    d.as_millis() as i64
}

fn account_key(account: &str) -> String {
    format!("account:{account}")
}

fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

fn lock_until(sql: &mut dyn Sql, subject: String, until: i64) -> Result<u64, ApiError> {
    sql.execute(
        "UPDATE sign_in_failures SET locked_until = $2 WHERE subject = $1",
        vals![subject, until],
    )
}

/// How long account `failures` lock it for (none below the free failures).
fn account_lock(failures: i64) -> Option<Duration> {
    let beyond = failures - ACCOUNT_FREE_FAILURES;
    (beyond >= 0).then(|| {
        let doublings = beyond.min(10) as u32;
        (ACCOUNT_FIRST_LOCK * 2u32.pow(doublings)).min(ACCOUNT_MAX_LOCK)
    })
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

    /// Admits a sign-in attempt (counted against the account from now on), or says how long
    /// it must wait.
    pub fn admit(
        &self,
        account: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<Duration>, ApiError> {
        let now = now_ms();
        let address = address.map(address_key).unwrap_or_default();
        self.db.run(|sql| {
            let locked_until = |sql: &mut dyn Sql| {
                sql.query(
                    "SELECT locked_until FROM sign_in_failures WHERE subject IN ($1, $2)",
                    vals![account_key(account), &address],
                )?
                .iter()
                .map(|r| r.int(0))
                .try_fold(0, |max, until| until.map(|u| max.max(u)))
            };
            let wait =
                |until: i64| (until > now).then(|| Duration::from_millis((until - now) as u64));
            if let Some(wait) = wait(locked_until(sql)?) {
                return Ok(Some(wait));
            }
            // One statement, so that of attempts racing here exactly one can be the one that
            // may lock the account, and the others find it locked (no row comes back).
            let admitted = sql.query_opt(
                "INSERT INTO sign_in_failures (subject, failures, first_failure, locked_until)
                 VALUES ($1, 1, $2, 0)
                 ON CONFLICT (subject) DO UPDATE SET
                   failures = sign_in_failures.failures + 1,
                   locked_until = CASE WHEN sign_in_failures.failures + 1 >= $3 THEN $4
                                       ELSE sign_in_failures.locked_until END
                 WHERE sign_in_failures.locked_until <= $2
                 RETURNING failures",
                vals![
                    account_key(account),
                    now,
                    ACCOUNT_FREE_FAILURES,
                    now + ms(ACCOUNT_FIRST_LOCK)
                ],
            )?;
            if admitted.is_none() {
                return Ok(Some(wait(locked_until(sql)?).unwrap_or(ACCOUNT_FIRST_LOCK)));
            }
            Ok(None)
        })
    }

    /// The admitted attempt failed: the account locks once it has used its free attempts.
    pub fn failed(&self, account: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        let now = now_ms();
        self.db.run(|sql| {
            let failures = sql
                .query_opt(
                    "SELECT failures FROM sign_in_failures WHERE subject = $1",
                    vals![account_key(account)],
                )?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(0);
            if let Some(lock) = account_lock(failures) {
                lock_until(sql, account_key(account), now + ms(lock))?;
            }
            if let Some(address) = address {
                // A failure after the window starts a new one.
                let failures = sql.query_int(
                    "INSERT INTO sign_in_failures (subject, failures, first_failure, locked_until)
                     VALUES ($1, 1, $2, 0)
                     ON CONFLICT (subject) DO UPDATE SET
                       failures = CASE WHEN sign_in_failures.first_failure < $3 THEN 1
                                       ELSE sign_in_failures.failures + 1 END,
                       first_failure = CASE WHEN sign_in_failures.first_failure < $3 THEN $2
                                            ELSE sign_in_failures.first_failure END
                     RETURNING failures",
                    vals![address_key(address), now, now - ms(ADDRESS_WINDOW)],
                )?;
                if failures >= ADDRESS_FAILURES {
                    lock_until(sql, address_key(address), now + ms(ADDRESS_LOCK))?;
                }
            }
            if self.failures_seen.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
                sql.execute(
                    "DELETE FROM sign_in_failures WHERE locked_until < $1 AND first_failure < $1",
                    vals![now - ms(FORGET_AFTER)],
                )?;
            }
            Ok(())
        })
    }

    pub fn succeeded(&self, account: &str) -> Result<(), ApiError> {
        self.db.run(|sql| {
            sql.execute(
                "DELETE FROM sign_in_failures WHERE subject = $1",
                vals![account_key(account)],
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

    /// One wrong password: admitted and failed, or the wait it was given instead.
    fn guess(l: &LoginLimiter, account: &str, address: Option<IpAddr>) -> Option<Duration> {
        let wait = l.admit(account, address).unwrap();
        if wait.is_none() {
            l.failed(account, address).unwrap();
        }
        wait
    }

    /// As if the account's lock had run out.
    fn expire(l: &LoginLimiter, account: &str) {
        l.db.run(|sql| {
            sql.execute(
                "UPDATE sign_in_failures SET locked_until = 0 WHERE subject = $1",
                vals![account_key(account)],
            )
        })
        .unwrap();
    }

    #[test]
    fn five_failures_lock_the_account_and_not_others() {
        let (l, _dir) = limiter();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..ACCOUNT_FREE_FAILURES {
            assert_eq!(guess(&l, "petugas", Some(ip)), None);
        }
        let wait = l.admit("petugas", Some(ip)).unwrap().expect("locked");
        assert!(wait > Duration::from_secs(50) && wait <= ACCOUNT_FIRST_LOCK);
        assert_eq!(guess(&l, "warga", Some(ip)), None);
        expire(&l, "petugas");
        assert_eq!(
            guess(&l, "petugas", None),
            None,
            "one try once the lock is over"
        );
        let wait = l.admit("petugas", None).unwrap().expect("locked again");
        assert!(wait > ACCOUNT_FIRST_LOCK, "doubles: {wait:?}");
    }

    #[test]
    fn the_attempt_that_may_lock_the_account_locks_it_while_it_is_checked() {
        let (l, _dir) = limiter();
        for _ in 0..ACCOUNT_FREE_FAILURES - 1 {
            guess(&l, "petugas", None);
        }
        assert_eq!(
            l.admit("petugas", None).unwrap(),
            None,
            "the fifth is checked"
        );
        assert!(
            l.admit("petugas", None).unwrap().is_some(),
            "a sixth sent meanwhile waits"
        );
        l.succeeded("petugas").unwrap();
        assert_eq!(
            l.admit("petugas", None).unwrap(),
            None,
            "the right password cleared it"
        );
    }

    #[test]
    fn locks_double_up_to_an_hour() {
        assert_eq!(account_lock(4), None);
        assert_eq!(account_lock(5), Some(ACCOUNT_FIRST_LOCK));
        assert_eq!(account_lock(7), Some(ACCOUNT_FIRST_LOCK * 4));
        assert_eq!(account_lock(500), Some(ACCOUNT_MAX_LOCK));
    }

    #[test]
    fn spraying_many_accounts_locks_the_address() {
        let (l, _dir) = limiter();
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        for i in 0..ADDRESS_FAILURES {
            assert_eq!(guess(&l, &format!("akun-{i}"), Some(ip)), None);
        }
        assert!(l.admit("akun-baru", Some(ip)).unwrap().is_some());
        let elsewhere: IpAddr = "10.0.0.10".parse().unwrap();
        assert_eq!(l.admit("akun-baru", Some(elsewhere)).unwrap(), None);
    }

    #[test]
    fn success_clears_the_account() {
        let (l, _dir) = limiter();
        for _ in 0..3 {
            guess(&l, "kader", None);
        }
        l.succeeded("kader").unwrap();
        for _ in 0..4 {
            guess(&l, "kader", None);
        }
        assert_eq!(l.admit("kader", None).unwrap(), None);
    }

    #[test]
    fn pruning_drops_stale_rows_and_keeps_what_still_locks() {
        let (l, _dir) = limiter();
        let long_ago = now_ms() - ms(FORGET_AFTER) - 1000;
        let recently = now_ms() - ms(FORGET_AFTER) / 2;
        l.db.run(|sql| {
            sql.execute(
                "INSERT INTO sign_in_failures VALUES ('account:lama', 3, $1, $1), ('account:sabar', 4, $2, 0)",
                vals![long_ago, recently],
            )
        })
        .unwrap();
        for _ in 0..ACCOUNT_FREE_FAILURES {
            guess(&l, "petugas", None);
        }
        for i in 0..PRUNE_EVERY {
            guess(&l, &format!("akun-{i}"), None);
        }
        let subjects =
            l.db.run(|sql| sql.query("SELECT subject FROM sign_in_failures", vals![]))
                .unwrap();
        let subjects: Vec<String> = subjects.iter().map(|r| r.text(0).unwrap()).collect();
        assert!(!subjects.contains(&"account:lama".to_string()));
        assert!(
            subjects.contains(&"account:sabar".to_string()),
            "four failures half a day ago still count"
        );
        assert!(l.admit("petugas", None).unwrap().is_some());
    }
}
