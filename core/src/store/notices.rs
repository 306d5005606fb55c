//! Notifications on the phone: kept as the server sent them (kind and parameters), for the
//! signed-in account, until the app has shown them.

use rusqlite::params;

use super::Store;
use crate::error::Result;
use crate::sync::protocol::Notice;

/// A notification as stored here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    pub id: u64,
    pub kind: String,
    pub complaint_id: String,
    pub params: String,
    pub created_at: i64,
    pub shown: bool,
}

impl Store {
    fn notice_account(&self) -> String {
        self.identity()
            .map(|i| i.account_id.clone())
            .unwrap_or_default()
    }

    /// The highest notification id stored for the signed-in account: the server sends those
    /// above it.
    pub fn notices_after(&self) -> Result<u64> {
        let max: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(id), 0) FROM notifications WHERE account_id = ?1",
            [self.notice_account()],
            |r| r.get(0),
        )?;
        Ok(max.max(0) as u64)
    }

    /// Keeps what a sync brought; one already here (a repeated answer) is left as it is.
    pub fn store_notices(&self, notices: &[Notice]) -> Result<u32> {
        let account = self.notice_account();
        let mut added = 0;
        for n in notices {
            let id = i64::try_from(n.id).unwrap_or(i64::MAX);
            added += self.conn().execute(
                "INSERT INTO notifications (id, account_id, kind, complaint_id, params, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING",
                params![id, account, n.kind, n.complaint_id, n.params, n.created_at],
            )? as u32;
        }
        Ok(added)
    }

    /// The signed-in account's notifications, newest first; only those not shown yet when
    /// `pending`.
    pub fn notices(&self, pending: bool, limit: u32) -> Result<Vec<StoredNotice>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, kind, complaint_id, params, created_at, shown FROM notifications
             WHERE account_id = ?1 AND (?2 = 0 OR shown = 0) ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![self.notice_account(), pending, i64::from(limit)],
            |r| {
                Ok(StoredNotice {
                    id: r.get::<_, i64>(0)?.max(0) as u64,
                    kind: r.get(1)?,
                    complaint_id: r.get(2)?,
                    params: r.get(3)?,
                    created_at: r.get(4)?,
                    shown: r.get(5)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The app has shown these; returns how many were still pending.
    pub fn mark_notices_shown(&self, ids: &[u64]) -> Result<u32> {
        let mut marked = 0;
        for id in ids {
            marked += self.conn().execute(
                "UPDATE notifications SET shown = 1 WHERE id = ?1 AND account_id = ?2 AND shown = 0",
                params![i64::try_from(*id).unwrap_or(i64::MAX), self.notice_account()],
            )? as u32;
        }
        Ok(marked)
    }
}
