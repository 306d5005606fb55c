//! The plain records that cross the FFI: what the shells draw. Labels are already in the
//! store's language, so no shell translates a status or a deadline by itself.

use serde::Serialize;

use crate::model::channel::Channel;
use crate::types::{Location, Millis, ReportKind, Role, Stage, Status};

/// What a reporter fills in to file a report.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ComplaintDraft {
    pub kind: ReportKind,
    pub category_id: String,
    pub title: String,
    pub description: String,
    pub location: Location,
    pub anonymous: bool,
    pub confidential: bool,
    /// Hashes from `import_photo`, attached in the same save as the report.
    #[uniffi(default = [])]
    pub photos: Vec<String>,
    /// How it arrived; none: the app (a field cadre's own report: the cadre channel).
    #[uniffi(default = None)]
    pub channel: Option<Channel>,
}

/// Fields left empty are not changed.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct ComplaintEdit {
    #[uniffi(default = None)]
    pub kind: Option<ReportKind>,
    #[uniffi(default = None)]
    pub category_id: Option<String>,
    #[uniffi(default = None)]
    pub title: Option<String>,
    #[uniffi(default = None)]
    pub description: Option<String>,
    #[uniffi(default = None)]
    pub location: Option<Location>,
    #[uniffi(default = None)]
    pub anonymous: Option<bool>,
    #[uniffi(default = None)]
    pub confidential: Option<bool>,
}

/// A workflow step with its parameters.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum WorkflowAction {
    Dispatch {
        institution_id: String,
    },
    Assign {
        unit_id: String,
        field_inspection: bool,
    },
    NotOurAuthority,
    Defer,
    Resume,
    Archive,
    /// `target` is the complaint id or tracking id of the report this one repeats.
    MergeInto {
        target: String,
    },
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
}

/// What the present user may do now: one per button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Edit,
    AddPhoto,
    Dispatch,
    Assign,
    NotOurAuthority,
    Defer,
    Resume,
    Archive,
    MergeInto,
    SetFlags,
    StartWork,
    FollowUp,
    Close,
    Reply,
    Reopen,
    Rate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Enum)]
pub enum SortOrder {
    /// Soonest deadline first, overdue on top; complaints without a deadline last.
    #[default]
    DueSoonest,
    RecentlyUpdated,
    Newest,
    Oldest,
    /// Nearest to the centre of `ComplaintFilter::near` first (newest first among equals, and
    /// without `near`).
    Nearest,
}

#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct ComplaintFilter {
    #[uniffi(default = [])]
    pub statuses: Vec<Status>,
    #[uniffi(default = [])]
    pub kinds: Vec<ReportKind>,
    /// A category and everything below it.
    #[uniffi(default = None)]
    pub category_id: Option<String>,
    #[uniffi(default = None)]
    pub institution_id: Option<String>,
    #[uniffi(default = None)]
    pub unit_id: Option<String>,
    #[uniffi(default = false)]
    pub mine_only: bool,
    #[uniffi(default = false)]
    pub overdue_only: bool,
    /// Words to find in title, description and address.
    #[uniffi(default = None)]
    pub text: Option<String>,
    #[uniffi(default = None)]
    pub near: Option<Area>,
    #[uniffi(default = None)]
    pub updated_since: Option<Millis>,
    /// An area's Kemendagri code: complaints about it or any village within it.
    #[uniffi(default = None)]
    pub area: Option<String>,
    pub sort: SortOrder,
    #[uniffi(default = 50)]
    pub limit: u32,
    #[uniffi(default = 0)]
    pub offset: u32,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Area {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ComplaintSummary {
    pub id: String,
    pub tracking_id: String,
    pub kind: ReportKind,
    pub kind_label: String,
    pub category_id: String,
    pub category_label: String,
    pub title: String,
    pub status: Status,
    pub status_label: String,
    pub institution_id: Option<String>,
    pub unit_id: Option<String>,
    /// The running stage's deadline (for a follow-up awaiting the reporter: when it will count
    /// as completed).
    pub due_at: Option<Millis>,
    pub overdue: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub photo_count: u32,
    pub mine: bool,
    pub anonymous: bool,
    pub confidential: bool,
    /// Changed here and not yet on the server.
    pub pending_sync: bool,
    /// The documents of this complaint failed their integrity check on this device.
    pub damaged: bool,
    /// The place's time zone, to show its times in: "WIB", "WITA" or "WIT".
    pub zone: String,
    /// That zone's offset from UTC (420, 480 or 540).
    pub utc_offset_minutes: i32,
    /// How it arrived: "app", "web", "sms", "call_centre", "desk", "cadre" or "bridged".
    pub channel: String,
    pub channel_label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct PhotoView {
    pub sha256: String,
    pub thumb_sha256: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// The bytes are on this device (a synced photo may still be on its way).
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct TimelineEntry {
    pub id: String,
    pub at: Millis,
    pub action: String,
    pub action_label: String,
    /// "Pelapor" / "Reporter" for the reporter; otherwise the handler's name and role.
    pub author_label: String,
    pub author_role: Role,
    pub by_reporter: bool,
    pub institution_id: Option<String>,
    pub note: String,
    pub photos: Vec<String>,
    /// False when the step had no effect (it came too late in the merged order); `refusal`
    /// then says why. The step is kept and shown, never dropped.
    pub applied: bool,
    pub refusal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct DeadlineView {
    pub stage: Stage,
    pub stage_label: String,
    pub working_days: u32,
    pub started_at: Millis,
    pub due_at: Millis,
    pub overdue: bool,
    /// Working days left (negative when overdue).
    pub working_days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct RatingView {
    pub stars: u8,
    pub note: String,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ComplaintDetail {
    pub summary: ComplaintSummary,
    /// Who reported, as this user may know it: "you", "anonymous", or the reporter's role.
    /// The reporter's account is never in the documents.
    pub reporter_label: String,
    pub reporter_role: Role,
    /// The operator who typed it for its reporter (call centre, desk): name and role when
    /// this replica knows them from the timeline, else the account.
    pub filed_by: Option<String>,
    /// A bridged complaint's system and its reference there.
    pub bridged_from: Option<String>,
    pub description: String,
    pub location: Location,
    pub photos: Vec<PhotoView>,
    pub timeline: Vec<TimelineEntry>,
    pub deadline: Option<DeadlineView>,
    pub field_inspection: bool,
    pub rating: Option<RatingView>,
    pub merged_into: Option<String>,
    /// Tracking ids of reports merged into this one.
    pub duplicates: Vec<String>,
    pub available_actions: Vec<ActionKind>,
    pub auto_completed: bool,
    /// Work done on this phone that the server refused (the user lost rights while offline):
    /// kept and shown with the reason, never silently dropped.
    pub refused: Vec<RefusedView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct RefusedView {
    pub complaint_id: String,
    pub tracking_id: String,
    pub at: Millis,
    pub action_label: String,
    pub note: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GpsSuggestionView {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PhotoAdded {
    pub photo: PhotoView,
    /// Where the original photo says it was taken: offered to the reporter, never stored.
    pub gps_suggestion: Option<GpsSuggestionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct CategoryView {
    pub id: String,
    pub parent_id: Option<String>,
    pub label: String,
    pub name_id: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct UnitView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct InstitutionView {
    pub id: String,
    pub name: String,
    pub level: String,
    pub units: Vec<UnitView>,
}

/// The figures the bodies are judged by, over the complaints this device holds.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct Figures {
    /// The figures as core defines them ([`crate::figures`], the server's too), over the
    /// complaints this device holds that an institution received, as of now.
    pub totals: crate::figures::FigureSet,
    /// Held here and with no institution yet (awaiting national verification or re-routing):
    /// not in `totals`.
    pub at_national_desk: u64,
    /// Open and past their deadline.
    pub overdue: u64,
    /// Every complaint held here, by top-level category.
    pub by_category: Vec<CategoryCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct CategoryCount {
    pub category_id: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PendingSync {
    pub documents: u64,
    pub photos: u64,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MaintenanceReport {
    pub documents_compacted: u32,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckReport {
    pub documents_checked: u32,
    /// Complaint ids whose documents are damaged.
    pub damaged: Vec<String>,
    pub database_ok: bool,
}
