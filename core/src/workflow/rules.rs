//! Who may do what, and when. One function, [`check`], answers it for a phone about to record an
//! action, for every replica replaying a merged history, and for the server deciding whether to
//! accept an uploaded event: the rule lives once.

use crate::model::event::{Action, Author, Event};
use crate::types::{Role, Status};

use super::state::WorkflowState;

/// Why an action is refused. Stable codes for programs, sentences for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The author's role may never take this action.
    Role {
        action: &'static str,
        role: Role,
    },
    /// Only the complaint's reporter may do this.
    NotReporter {
        action: &'static str,
    },
    /// The complaint is not with the author's institution (or unit).
    OtherInstitution,
    OtherUnit,
    /// Not in the complaint's present status.
    Status {
        action: &'static str,
        status: Status,
    },
    /// The reporter already rated it.
    AlreadyRated,
    /// A parameter is wrong (unit outside the institution, merge into itself, ...).
    Parameter {
        what: &'static str,
    },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Role { .. } => "role_not_allowed",
            Refusal::NotReporter { .. } => "reporter_only",
            Refusal::OtherInstitution => "other_institution",
            Refusal::OtherUnit => "other_unit",
            Refusal::Status { .. } => "invalid_status",
            Refusal::AlreadyRated => "already_rated",
            Refusal::Parameter { .. } => "invalid_parameter",
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Refusal::Role { action, role } => format!(
                "A {} cannot {}.",
                role.label(crate::types::Language::En).to_lowercase(),
                action_label_en(action)
            ),
            Refusal::NotReporter { action } => {
                format!("Only the reporter can {}.", action_label_en(action))
            }
            Refusal::OtherInstitution => "This report is handled by another institution.".into(),
            Refusal::OtherUnit => "This report is assigned to another unit.".into(),
            Refusal::Status { action, status } => format!(
                "Cannot {} while the report is '{}'.",
                action_label_en(action),
                status.label(crate::types::Language::En)
            ),
            Refusal::AlreadyRated => "The reporter has already rated this report.".into(),
            Refusal::Parameter { what } => format!("Invalid {what}."),
        }
    }

    pub fn message_id(&self) -> String {
        match self {
            Refusal::Role { action, role } => format!(
                "{} tidak dapat {}.",
                role.label(crate::types::Language::Id),
                action_label_id(action)
            ),
            Refusal::NotReporter { action } => {
                format!("Hanya pelapor yang dapat {}.", action_label_id(action))
            }
            Refusal::OtherInstitution => "Laporan ini ditangani oleh instansi lain.".into(),
            Refusal::OtherUnit => "Laporan ini diteruskan ke unit lain.".into(),
            Refusal::Status { action, status } => format!(
                "Tidak dapat {} saat laporan berstatus '{}'.",
                action_label_id(action),
                status.label(crate::types::Language::Id)
            ),
            Refusal::AlreadyRated => "Pelapor sudah memberi penilaian.".into(),
            Refusal::Parameter { what } => format!("Isian tidak valid: {what}."),
        }
    }
}

pub fn action_label_en(code: &str) -> &'static str {
    match code {
        "dispatch" => "dispatch the report to an institution",
        "assign" => "assign the report to a unit",
        "not_our_authority" => "return the report as not its authority",
        "defer" => "defer the report",
        "resume" => "resume the report",
        "archive" => "archive the report",
        "merge_into" => "merge the report into another",
        "set_flags" => "change the anonymous or confidential flags",
        "start_work" => "start work on the report",
        "follow_up" => "post the follow-up",
        "close" => "close the report",
        "reply" => "reply",
        "reopen" => "reopen the report",
        "rate" => "rate the outcome",
        "escalate" => "escalate the report",
        "edit" => "edit the report",
        "remove_contact" => "remove the reporter's contact details",
        _ => "do this",
    }
}

pub fn action_label_id(code: &str) -> &'static str {
    match code {
        "dispatch" => "mendisposisikan laporan ke instansi",
        "assign" => "meneruskan laporan ke unit",
        "not_our_authority" => "mengembalikan laporan karena bukan wewenang",
        "defer" => "menunda laporan",
        "resume" => "melanjutkan laporan",
        "archive" => "mengarsipkan laporan",
        "merge_into" => "menggabungkan laporan",
        "set_flags" => "mengubah tanda anonim atau rahasia",
        "start_work" => "mulai memproses laporan",
        "follow_up" => "mengirim tindak lanjut",
        "close" => "menutup laporan",
        "reply" => "membalas",
        "reopen" => "membuka kembali laporan",
        "rate" => "memberi penilaian",
        "escalate" => "mengeskalasi laporan",
        "edit" => "mengubah laporan",
        "remove_contact" => "menghapus kontak pelapor",
        _ => "melakukan ini",
    }
}

/// Is the author a handler of the institution the complaint is with now?
fn own_institution(state: &WorkflowState, by: &Author) -> Result<(), Refusal> {
    match (&state.institution, &by.institution) {
        (Some(current), Some(mine)) if current == mine => Ok(()),
        _ => Err(Refusal::OtherInstitution),
    }
}

/// Officers bound to a unit act only on what is assigned to that unit; an officer without a
/// unit (the admin penghubung) acts for the whole institution.
fn own_unit(state: &WorkflowState, by: &Author) -> Result<(), Refusal> {
    if by.role != Role::Officer {
        return Ok(());
    }
    match (&by.unit, &state.unit) {
        (None, _) => Ok(()),
        (Some(mine), Some(current)) if mine == current => Ok(()),
        _ => Err(Refusal::OtherUnit),
    }
}

fn status_in(
    action: &'static str,
    state: &WorkflowState,
    allowed: &[Status],
) -> Result<(), Refusal> {
    if allowed.contains(&state.status) {
        Ok(())
    } else {
        Err(Refusal::Status {
            action,
            status: state.status,
        })
    }
}

fn role_in(action: &'static str, by: &Author, allowed: &[Role]) -> Result<(), Refusal> {
    if !by.reporter && allowed.contains(&by.role) {
        Ok(())
    } else {
        Err(Refusal::Role {
            action,
            role: by.role,
        })
    }
}

fn reporter_only(action: &'static str, by: &Author) -> Result<(), Refusal> {
    if by.reporter {
        Ok(())
    } else {
        Err(Refusal::NotReporter { action })
    }
}

/// The statuses in which a complaint is with the national administrator, or with an
/// institution, counting a deferral by whoever deferred it.
fn with_national(state: &WorkflowState) -> bool {
    state.status == Status::Submitted
        || (state.status == Status::Deferred && state.institution.is_none())
}

fn with_institution(state: &WorkflowState) -> bool {
    matches!(
        state.status,
        Status::Dispatched | Status::Assigned | Status::InProgress | Status::FollowedUp
    ) || (state.status == Status::Deferred && state.institution.is_some())
}

/// Administrative actions (defer, archive, merge, set flags) are for the national
/// administrator while the complaint is with them and for the institution's administrator
/// while it is with the institution. The national administrator keeps oversight everywhere
/// for the flags, because a leak must be stoppable by whoever sees it.
fn administer(action: &'static str, state: &WorkflowState, by: &Author) -> Result<(), Refusal> {
    role_in(action, by, &[Role::NationalAdmin, Role::InstitutionAdmin])?;
    match by.role {
        Role::NationalAdmin if with_national(state) => Ok(()),
        Role::InstitutionAdmin if with_institution(state) => own_institution(state, by),
        _ => Err(Refusal::Status {
            action,
            status: state.status,
        }),
    }
}

/// May `event` happen to a complaint in `state`? Pure: the same answer on every replica.
pub fn check(state: &WorkflowState, event: &Event) -> Result<(), Refusal> {
    let by = &event.by;
    let code = event.action.code();
    if state.status.is_terminal() && !matches!(event.action, Action::Reply) {
        return Err(Refusal::Status {
            action: code,
            status: state.status,
        });
    }
    // The system writes escalations and nothing else.
    if by.is_system() != matches!(event.action, Action::Escalate { .. }) {
        return Err(Refusal::Role {
            action: code,
            role: by.role,
        });
    }
    match &event.action {
        Action::Escalate { level, due, .. } => {
            status_in(
                code,
                state,
                &[
                    Status::Submitted,
                    Status::Dispatched,
                    Status::Assigned,
                    Status::InProgress,
                ],
            )?;
            // One step at a time, for the same deadline; a new deadline starts again at 1.
            let reached = state
                .escalation
                .as_ref()
                .filter(|e| e.due == *due)
                .map_or(0, |e| e.level);
            if *level != reached + 1 {
                return Err(Refusal::Parameter {
                    what: "escalation level",
                });
            }
            Ok(())
        }
        Action::Dispatch { institution } => {
            role_in(code, by, &[Role::NationalAdmin])?;
            status_in(code, state, &[Status::Submitted, Status::Dispatched])?;
            if state.institution.as_deref() == Some(institution.as_str()) {
                return Err(Refusal::Parameter {
                    what: "institution (already there)",
                });
            }
            Ok(())
        }
        Action::Assign { unit, .. } => {
            role_in(code, by, &[Role::InstitutionAdmin])?;
            status_in(
                code,
                state,
                &[Status::Dispatched, Status::Assigned, Status::InProgress],
            )?;
            own_institution(state, by)?;
            let institution = state.institution.as_deref().unwrap_or_default();
            if !unit_belongs(unit, institution) {
                return Err(Refusal::Parameter { what: "unit" });
            }
            Ok(())
        }
        Action::NotOurAuthority => {
            role_in(code, by, &[Role::InstitutionAdmin])?;
            status_in(
                code,
                state,
                &[Status::Dispatched, Status::Assigned, Status::InProgress],
            )?;
            own_institution(state, by)
        }
        Action::Defer => {
            administer(code, state, by)?;
            if state.status == Status::Deferred || state.status == Status::FollowedUp {
                return Err(Refusal::Status {
                    action: code,
                    status: state.status,
                });
            }
            Ok(())
        }
        Action::Resume => {
            administer(code, state, by)?;
            status_in(code, state, &[Status::Deferred])
        }
        Action::Archive => {
            administer(code, state, by)?;
            status_in(
                code,
                state,
                &[Status::Submitted, Status::Dispatched, Status::Deferred],
            )
        }
        Action::MergeInto { target } => {
            administer(code, state, by)?;
            status_in(
                code,
                state,
                &[
                    Status::Submitted,
                    Status::Dispatched,
                    Status::Assigned,
                    Status::Deferred,
                ],
            )?;
            if *target == state.complaint_id {
                return Err(Refusal::Parameter {
                    what: "merge target (the report itself)",
                });
            }
            Ok(())
        }
        Action::SetFlags { .. } => {
            role_in(code, by, &[Role::NationalAdmin, Role::InstitutionAdmin])?;
            if by.role == Role::InstitutionAdmin {
                own_institution(state, by)?;
            }
            Ok(())
        }
        Action::StartWork => {
            role_in(code, by, &[Role::Officer, Role::InstitutionAdmin])?;
            status_in(code, state, &[Status::Assigned])?;
            own_institution(state, by)?;
            own_unit(state, by)
        }
        Action::FollowUp => {
            role_in(code, by, &[Role::Officer, Role::InstitutionAdmin])?;
            status_in(code, state, &[Status::Assigned, Status::InProgress])?;
            own_institution(state, by)?;
            own_unit(state, by)?;
            if event.note.trim().is_empty() {
                return Err(Refusal::Parameter {
                    what: "follow-up note (must say what was done)",
                });
            }
            Ok(())
        }
        Action::Close => {
            role_in(code, by, &[Role::Officer, Role::InstitutionAdmin])?;
            status_in(code, state, &[Status::FollowedUp])?;
            own_institution(state, by)?;
            own_unit(state, by)
        }
        Action::Reply => {
            if by.reporter {
                return Ok(());
            }
            if by.role == Role::NationalAdmin {
                return Ok(());
            }
            role_in(code, by, &[Role::Officer, Role::InstitutionAdmin])?;
            own_institution(state, by)
        }
        Action::Reopen => {
            reporter_only(code, by)?;
            status_in(code, state, &[Status::FollowedUp, Status::Completed])?;
            if state.rating.is_some() {
                return Err(Refusal::AlreadyRated);
            }
            Ok(())
        }
        Action::Rate { .. } => {
            reporter_only(code, by)?;
            status_in(code, state, &[Status::FollowedUp, Status::Completed])?;
            if state.rating.is_some() {
                return Err(Refusal::AlreadyRated);
            }
            Ok(())
        }
    }
}

/// Unit ids are prefixed by their institution's id, so this needs no directory and gives the
/// same answer on every replica.
pub fn unit_belongs(unit: &str, institution: &str) -> bool {
    !institution.is_empty()
        && unit.len() > institution.len() + 1
        && unit.starts_with(institution)
        && unit.as_bytes()[institution.len()] == b'.'
}

/// Whether an author acting as `role` could ever touch a complaint: used to offer actions and
/// by the server's read filter.
pub fn is_handler(role: Role) -> bool {
    matches!(
        role,
        Role::Officer | Role::InstitutionAdmin | Role::NationalAdmin
    )
}

/// Whether an account of `role` (acting as the reporter or not) may ever write `action`. The
/// server checks this for every uploaded event; whether the action takes effect where it lands
/// in the merged history is [`check`]'s question, answered on every replica.
pub fn role_may(action: &Action, role: Role, as_reporter: bool) -> bool {
    if as_reporter {
        return matches!(action, Action::Reply | Action::Reopen | Action::Rate { .. });
    }
    match action {
        Action::Dispatch { .. } => role == Role::NationalAdmin,
        Action::Assign { .. } | Action::NotOurAuthority => role == Role::InstitutionAdmin,
        Action::Defer
        | Action::Resume
        | Action::Archive
        | Action::MergeInto { .. }
        | Action::SetFlags { .. } => matches!(role, Role::NationalAdmin | Role::InstitutionAdmin),
        Action::StartWork | Action::FollowUp | Action::Close => {
            matches!(role, Role::Officer | Role::InstitutionAdmin)
        }
        Action::Reply => is_handler(role),
        Action::Reopen | Action::Rate { .. } => false,
        // Only the server's sweep writes these, never an uploaded change.
        Action::Escalate { .. } => false,
    }
}
