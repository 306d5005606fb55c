//! Notifications on the phone's side of the UniFFI surface: what the last syncs brought, as
//! the person's language renders it, which the app shows as local notifications and marks
//! shown; and the person's choice of kinds per channel, kept on the server.

use crate::api::ffi::AduanStore;
use crate::error::{AduanError, Error};
use crate::notify::{self, NotificationChannel, NotificationKind, Params};
use crate::store::notices::StoredNotice;
use crate::sync;
use crate::types::Language;

type Result<T> = std::result::Result<T, AduanError>;

/// One notification, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotificationView {
    pub id: u64,
    /// `None` for a kind this version does not know (a newer server's): show title and body.
    pub kind: Option<NotificationKind>,
    /// Empty for a daily summary.
    pub complaint_id: String,
    pub tracking_id: String,
    pub title: String,
    pub body: String,
    /// Unix milliseconds, when the server made it.
    pub created_at: i64,
    pub shown: bool,
}

/// A kind of notification and its name, for the app's notification channels and settings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotificationKindView {
    pub kind: NotificationKind,
    pub label: String,
}

/// Whether one kind comes by one channel.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotificationChoice {
    pub kind: NotificationKind,
    pub channel: NotificationChannel,
    pub enabled: bool,
}

/// What a person chose: the language of what the server sends them (e-mail), their e-mail
/// address (empty: none), and every kind per channel.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotificationPreferences {
    pub language: Language,
    pub email: String,
    pub choices: Vec<NotificationChoice>,
}

pub fn view(n: StoredNotice, language: Language) -> NotificationView {
    let params = Params::from_json(&n.params);
    let kind = NotificationKind::from_code(&n.kind);
    let text = match kind {
        Some(kind) => notify::render(kind, &params, language),
        None => notify::NotificationText {
            title: language.pick("Pemberitahuan", "Notification").to_string(),
            body: params.tracking_id.clone(),
        },
    };
    NotificationView {
        id: n.id,
        kind,
        complaint_id: n.complaint_id,
        tracking_id: params.tracking_id,
        title: text.title,
        body: text.body,
        created_at: n.created_at,
        shown: n.shown,
    }
}

fn to_json(p: &NotificationPreferences) -> serde_json::Value {
    serde_json::json!({
        "language": if p.language == Language::En { "en" } else { "id" },
        "email": p.email,
        "choices": p.choices.iter().map(|c| serde_json::json!({
            "kind": c.kind.code(), "channel": c.channel.code(), "enabled": c.enabled,
        })).collect::<Vec<_>>(),
    })
}

fn from_json(v: &serde_json::Value) -> crate::error::Result<NotificationPreferences> {
    let bad = || Error::Sync("preferences: unexpected answer".into());
    let language = match v["language"].as_str() {
        Some("en") => Language::En,
        _ => Language::Id,
    };
    let choices = v["choices"]
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .filter_map(|c| {
            Some(NotificationChoice {
                kind: NotificationKind::from_code(c["kind"].as_str()?)?,
                channel: NotificationChannel::from_code(c["channel"].as_str()?)?,
                enabled: c["enabled"].as_bool()?,
            })
        })
        .collect();
    Ok(NotificationPreferences {
        language,
        email: v["email"].as_str().unwrap_or_default().to_string(),
        choices,
    })
}

#[uniffi::export]
impl AduanStore {
    /// Notifications the syncs brought that the app has not shown yet, newest first, in the
    /// language set with `set_language`.
    pub fn pending_notifications(&self) -> Result<Vec<NotificationView>> {
        let language = self.language();
        self.with_store(|s| {
            Ok(s.notices(true, 500)?
                .into_iter()
                .map(|n| view(n, language))
                .collect())
        })
    }

    /// The latest notifications, shown or not, newest first.
    pub fn notifications(&self, limit: u32) -> Result<Vec<NotificationView>> {
        let language = self.language();
        self.with_store(|s| {
            Ok(s.notices(false, limit.min(1000))?
                .into_iter()
                .map(|n| view(n, language))
                .collect())
        })
    }

    /// The app has shown these: they are no longer pending. Returns how many were.
    pub fn mark_notifications_shown(&self, ids: Vec<u64>) -> Result<u32> {
        self.with_store(|s| s.mark_notices_shown(&ids))
    }

    /// Every kind of notification with its name in the current language (the Android app
    /// makes one notification channel of each).
    pub fn notification_kinds(&self) -> Vec<NotificationKindView> {
        let language = self.language();
        NotificationKind::ALL
            .iter()
            .map(|k| NotificationKindView {
                kind: *k,
                label: k.label(language).to_string(),
            })
            .collect()
    }

    /// The signed-in person's choices, from the server.
    pub fn notification_preferences(&self) -> Result<NotificationPreferences> {
        let v =
            sync::client::notification_preferences(self.inner(), None).map_err(AduanError::from)?;
        from_json(&v).map_err(AduanError::from)
    }

    /// Saves the person's choices on the server; returns them as the server now has them.
    pub fn set_notification_preferences(
        &self,
        preferences: NotificationPreferences,
    ) -> Result<NotificationPreferences> {
        let v = sync::client::notification_preferences(self.inner(), Some(to_json(&preferences)))
            .map_err(AduanError::from)?;
        from_json(&v).map_err(AduanError::from)
    }
}
