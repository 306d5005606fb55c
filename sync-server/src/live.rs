//! Live updates: a desk (or the web dashboard) holding `GET /v1/events` open learns within a
//! second that complaints it may see have changed, and syncs; nobody polls. Each event names
//! only complaints the listener may see, and carries no content.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use tokio::sync::broadcast;

use crate::app::AppState;
use crate::auth::Authenticated;
use crate::db::Account;

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
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Live {
        let (sender, _) = broadcast::channel(1024);
        Live { sender }
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

fn visible(account: &Account, change: &Change) -> Vec<String> {
    change
        .complaints
        .iter()
        .filter(|(_, owner, institution)| {
            crate::sync::may_see_parts(account, owner, institution.as_ref())
        })
        .map(|(id, _, _)| id.clone())
        .collect()
}

/// Server-sent events: `changed` with the new sequence number and the complaint ids; a
/// `resync` event when this listener fell behind and should simply sync.
pub async fn events(
    State(state): State<AppState>,
    who: Authenticated,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.live.subscribe();
    let account = who.account;
    let stream =
        futures_util::stream::unfold((receiver, account), |(mut rx, account)| async move {
            loop {
                match rx.recv().await {
                    Ok(change) if change.resync => {
                        return Some((
                            Ok(Event::default().event("resync").data("{}")),
                            (rx, account),
                        ));
                    }
                    Ok(change) => {
                        let ids = visible(&account, &change);
                        if ids.is_empty() {
                            continue;
                        }
                        let data =
                            serde_json::json!({ "sequence": change.sequence, "complaints": ids })
                                .to_string();
                        let event = Event::default().event("changed").data(data);
                        return Some((Ok(event), (rx, account)));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some((
                            Ok(Event::default().event("resync").data("{}")),
                            (rx, account),
                        ));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
