//! Handling events: every workflow step, reply and rating is one immutable event in the
//! complaint's log document. Events are only ever added, never edited, so concurrent offline
//! work by any number of people merges without loss, and the server can check each new event
//! against the account that uploaded it.

use serde::{Deserialize, Serialize};

use crate::types::{Millis, Role};

/// Limits that keep one event small on the wire and in the log; the server enforces the same.
pub const MAX_NOTE_CHARS: usize = 4000;
pub const MAX_EVENT_PHOTOS: usize = 8;
pub const MAX_ID_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// True when the author acts as this complaint's reporter. The reporter's account is never
    /// written into a document: anonymity must not depend on who later reads it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reporter: bool,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// What an event does. Parameters travel with the action so an event is self-describing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// National administrator verifies and forwards (disposisi) to the responsible body.
    Dispatch {
        institution: String,
    },
    /// The body's administrator verifies and passes the complaint to a unit.
    Assign {
        unit: String,
        #[serde(default)]
        field_inspection: bool,
    },
    /// "Bukan wewenang": back to the national administrator to be re-routed.
    NotOurAuthority,
    Defer,
    Resume,
    Archive,
    MergeInto {
        target: String,
    },
    /// Administrators may turn the flags on when the reporter forgot; flags never turn off.
    SetFlags {
        anonymous: bool,
        confidential: bool,
    },
    StartWork,
    FollowUp,
    Close,
    Reply,
    Reopen,
    Rate {
        stars: u8,
    },
    /// Overdue work raised above the people who let it run late: level 1 to the holding
    /// institution's administrator, level 2 to the level above (the national administrator).
    /// Written by the system, never by a person, for the deadline `due` that passed; its id is
    /// [`escalation_id`], so two servers (or phones) writing the same step write one key.
    Escalate {
        level: u8,
        to: String,
        due: crate::types::Millis,
    },
}

/// The account the system writes its own events as (escalations). No person signs in as it.
pub const SYSTEM_ACCOUNT: &str = "system";

/// Highest escalation level: the institution's administrator, then the national desk.
pub const MAX_ESCALATION_LEVEL: u8 = 2;

/// The one id an escalation step can have: the same step for the same deadline is the same key.
pub fn escalation_id(level: u8, due: crate::types::Millis) -> String {
    format!("esc-{level}-{due}")
}

impl Author {
    /// The system as an author: the server's sweep escalating overdue work.
    pub fn system() -> Self {
        Author {
            reporter: false,
            role: Role::NationalAdmin,
            account: Some(SYSTEM_ACCOUNT.to_string()),
            name: Some("Sistem".to_string()),
            institution: None,
            unit: None,
        }
    }

    pub fn is_system(&self) -> bool {
        !self.reporter && self.account.as_deref() == Some(SYSTEM_ACCOUNT)
    }
}

impl Action {
    pub fn code(&self) -> &'static str {
        match self {
            Action::Dispatch { .. } => "dispatch",
            Action::Assign { .. } => "assign",
            Action::NotOurAuthority => "not_our_authority",
            Action::Defer => "defer",
            Action::Resume => "resume",
            Action::Archive => "archive",
            Action::MergeInto { .. } => "merge_into",
            Action::SetFlags { .. } => "set_flags",
            Action::StartWork => "start_work",
            Action::FollowUp => "follow_up",
            Action::Close => "close",
            Action::Reply => "reply",
            Action::Reopen => "reopen",
            Action::Rate { .. } => "rate",
            Action::Escalate { .. } => "escalate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// Hybrid logical clock: above every event the author's replica had seen (so an event
    /// always sorts after everything its author knew of), and otherwise its wall-clock time.
    pub lamport: u64,
    /// The author's wall clock. Deadlines are counted from it.
    pub at: Millis,
    pub by: Author,
    pub action: Action,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// SHA-256 of photos (evidence of a fix, or the reporter's reply), stored apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
}

impl Event {
    /// The event `identity` writes for `action` on a complaint whose merged history it has
    /// seen up to `max_lamport`, at `at`: the phone's and the desk's one way of making a step.
    /// `as_reporter`: the author acts as the complaint's reporter (see [`acts_as_reporter`]).
    pub fn new_by(
        identity: &crate::types::Identity,
        as_reporter: bool,
        max_lamport: u64,
        at: Millis,
        action: Action,
        note: String,
        photos: Vec<String>,
    ) -> Event {
        let by = if as_reporter {
            // Never the account: an anonymous reporter must stay unknown to whoever reads.
            Author {
                reporter: true,
                role: identity.role,
                account: None,
                name: None,
                institution: None,
                unit: None,
            }
        } else {
            Author {
                reporter: false,
                role: identity.role,
                account: Some(identity.account_id.clone()),
                name: Some(identity.display_name.clone()),
                institution: identity.institution_id.clone(),
                unit: identity.unit_id.clone(),
            }
        };
        Event {
            id: uuid::Uuid::new_v4().simple().to_string(),
            // A hybrid logical clock: after everything this replica has seen, and otherwise
            // the wall clock, so concurrent steps from different phones replay (and show) in
            // the order they happened.
            lamport: max_lamport.saturating_add(1).max(at.max(0) as u64),
            at,
            by,
            action,
            note,
            photos,
        }
    }

    /// The total order every replica replays in: causal first, then time, then id.
    pub fn sort_key(&self) -> (u64, Millis, &str) {
        (self.lamport, self.at, self.id.as_str())
    }

    /// Shape checks that do not depend on any state: run before writing an event locally and
    /// by the server before accepting one.
    pub fn validate_shape(&self) -> Result<(), &'static str> {
        if self.id.is_empty() || self.id.len() > MAX_ID_CHARS {
            return Err("event id");
        }
        if self.note.chars().count() > MAX_NOTE_CHARS {
            return Err("note too long");
        }
        if self.photos.len() > MAX_EVENT_PHOTOS {
            return Err("too many photos");
        }
        if !self.photos.iter().all(|p| is_sha256_hex(p)) {
            return Err("photo hash");
        }
        for id in [&self.by.account, &self.by.institution, &self.by.unit]
            .into_iter()
            .flatten()
        {
            if id.len() > MAX_ID_CHARS {
                return Err("author id");
            }
        }
        if self.by.name.as_deref().is_some_and(|n| n.len() > 200) {
            return Err("author name");
        }
        match &self.action {
            Action::Dispatch { institution } if !valid_id(institution) => Err("institution"),
            Action::Assign { unit, .. } if !valid_id(unit) => Err("unit"),
            Action::MergeInto { target } if !valid_id(target) => Err("merge target"),
            Action::Rate { stars } if !(1..=5).contains(stars) => Err("stars"),
            Action::Escalate { level, .. } if !(1..=MAX_ESCALATION_LEVEL).contains(level) => {
                Err("escalation level")
            }
            Action::Escalate { to, .. } if !valid_id(to) => Err("escalated to"),
            Action::Escalate { level, due, .. } if self.id != escalation_id(*level, *due) => {
                Err("escalation id")
            }
            _ => Ok(()),
        }
    }
}

/// Whether whoever filed a complaint (`mine`) writes `action` as its reporter.
pub fn acts_as_reporter(mine: bool, action: &Action) -> bool {
    mine && matches!(action, Action::Reply | Action::Reopen | Action::Rate { .. })
}

pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Ids of institutions, units, categories and complaints: short, ASCII, no spaces.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}
