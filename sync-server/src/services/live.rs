//! Live updates: a desk (or the web dashboard) holding `GET /v1/events` open learns within a
//! second that complaints it may see have changed, and syncs; nobody polls. Each notice names
//! only complaints the listener may see, and carries no content. The sync service is handed
//! [`Live`] to announce rounds on; storage relays other instances' rounds to it through
//! [`ChangeSink`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::error::{ApiError, Kind};
use crate::storage::{Account, ChangeSink, Db};

#[derive(Debug, Clone)]
pub struct Change {
    /// Listeners may have missed changes (another instance's notices were not received):
    /// they should sync.
    pub resync: bool,
    pub sequence: u64,
    /// (complaint id, owner account, institution)
    pub complaints: Arc<Vec<(String, String, Option<String>)>>,
}

#[derive(Clone)]
pub struct Live {
    sender: broadcast::Sender<Change>,
    pub streams: StreamCount,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Live {
        let (sender, _) = broadcast::channel(1024);
        Live {
            sender,
            streams: StreamCount::default(),
        }
    }

    pub fn publish(&self, sequence: u64, complaints: Vec<(String, String, Option<String>)>) {
        // No listener is not an error.
        let _ = self.sender.send(Change {
            resync: false,
            sequence,
            complaints: Arc::new(complaints),
        });
    }

    pub fn resync(&self) {
        let _ = self.sender.send(Change {
            resync: true,
            sequence: 0,
            complaints: Arc::default(),
        });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }
}

/// Storage delivers what rounds changed here, from this instance or, on PostgreSQL, others.
impl ChangeSink for Live {
    fn publish(&self, sequence: u64, complaints: Vec<(String, String, Option<String>)>) {
        Live::publish(self, sequence, complaints)
    }

    fn resync(&self) {
        Live::resync(self)
    }
}

fn visible(account: &Account, change: &Change) -> Vec<String> {
    change
        .complaints
        .iter()
        .filter(|(_, owner, institution)| {
            super::sync::may_see_parts(account, owner, institution.as_ref())
        })
        .map(|(id, _, _)| id.clone())
        .collect()
}

/// Streams one account may hold open at once on this instance (a desk's tabs, the dashboard);
/// each costs the server a task and a re-check of its session.
pub const MAX_STREAMS_PER_ACCOUNT: usize = 4;

/// How often an idle stream re-checks its session: a token that expired or was revoked, an
/// account disabled or moved to another institution ends the stream within this time.
const RECHECK: Duration = Duration::from_secs(5);

/// The streams open per account; a place is held by a [`StreamPlace`].
#[derive(Clone, Default)]
pub struct StreamCount(Arc<Mutex<HashMap<String, usize>>>);

pub struct StreamPlace {
    count: StreamCount,
    account: String,
}

impl StreamCount {
    fn take(&self, account: &str) -> Option<StreamPlace> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(account.to_string()).or_default();
        if *n >= MAX_STREAMS_PER_ACCOUNT {
            return None;
        }
        *n += 1;
        Some(StreamPlace {
            count: self.clone(),
            account: account.to_string(),
        })
    }
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = self.count.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.account) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.account);
            }
        }
    }
}

/// One listener's state between notices.
pub struct Listener {
    rx: broadcast::Receiver<Change>,
    account: Account,
    token_hash: Vec<u8>,
    db: Db,
    _place: StreamPlace,
}

impl Listener {
    /// Whether the session still stands as it was when the stream opened: the token valid
    /// (unexpired, unrevoked, its account enabled) and the account's role and institution
    /// unchanged, so a moved officer does not keep hearing the old institution's ids.
    async fn still_valid(&self) -> bool {
        let db = self.db.clone();
        let hash = self.token_hash.clone();
        match tokio::task::spawn_blocking(move || db.token(&hash, "access")).await {
            Ok(Ok(Some((now, _)))) => {
                now.id == self.account.id
                    && now.role == self.account.role
                    && now.institution_id == self.account.institution_id
                    && now.unit_id == self.account.unit_id
            }
            _ => false,
        }
    }
}

/// What a listener hears: complaints it may see changed, or it should simply sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Changed {
        sequence: u64,
        complaints: Vec<String>,
    },
    /// It fell behind, or another instance's notices may have been missed.
    Resync,
}

impl Live {
    /// Opens a stream for `account`, signed in with the access token whose hash is
    /// `token_hash`; refused beyond [`MAX_STREAMS_PER_ACCOUNT`] at once.
    pub fn listen(
        &self,
        db: Db,
        account: Account,
        token_hash: Vec<u8>,
    ) -> Result<Listener, ApiError> {
        let place = self.streams.take(&account.id).ok_or_else(|| {
            ApiError::new(
                Kind::TooMany,
                "too_many_streams",
                format!("This account already has {MAX_STREAMS_PER_ACCOUNT} live update streams open; close one first."),
                format!("Akun ini sudah membuka {MAX_STREAMS_PER_ACCOUNT} aliran pembaruan langsung; tutup salah satu terlebih dahulu."),
            )
        })?;
        Ok(Listener {
            rx: self.subscribe(),
            account,
            token_hash,
            db,
            _place: place,
        })
    }
}

impl Listener {
    /// The next notice for this listener; `None` when its session no longer stands (checked
    /// before every notice and every few seconds) or the server is stopping.
    pub async fn next(&mut self) -> Option<Notice> {
        loop {
            let received = match tokio::time::timeout(RECHECK, self.rx.recv()).await {
                Ok(r) => r,
                Err(_) => {
                    if !self.still_valid().await {
                        return None;
                    }
                    continue;
                }
            };
            let notice = match received {
                Ok(change) if change.resync => Notice::Resync,
                Ok(change) => {
                    let ids = visible(&self.account, &change);
                    if ids.is_empty() {
                        continue;
                    }
                    Notice::Changed {
                        sequence: change.sequence,
                        complaints: ids,
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => Notice::Resync,
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            if !self.still_valid().await {
                return None;
            }
            return Some(notice);
        }
    }
}
