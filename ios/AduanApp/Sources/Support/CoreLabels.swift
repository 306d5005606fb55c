import AduanCore
import SwiftUI

// Labels for what core does not label itself (it labels statuses, kinds and categories of
// existing reports, deadlines, timeline steps and errors): the choices offered before a report
// exists, roles, and one button per action.

extension ReportKind {
    static let all: [ReportKind] = [.complaint, .aspiration, .informationRequest]

    var label: String {
        switch self {
        case .complaint: return tr("kind_complaint")
        case .aspiration: return tr("kind_aspiration")
        case .informationRequest: return tr("kind_information_request")
        }
    }

    var explanation: String {
        switch self {
        case .complaint: return tr("kind_complaint_explained")
        case .aspiration: return tr("kind_aspiration_explained")
        case .informationRequest: return tr("kind_information_request_explained")
        }
    }
}

extension Role {
    var label: String {
        switch self {
        case .citizen: return tr("role_citizen")
        case .cadre: return tr("role_cadre")
        case .officer: return tr("role_officer")
        case .institutionAdmin: return tr("role_institution_admin")
        case .nationalAdmin: return tr("role_national_admin")
        }
    }

    /// Handlers work a queue; citizens and cadres file reports and follow their own.
    var handlesReports: Bool {
        switch self {
        case .officer, .institutionAdmin, .nationalAdmin: return true
        case .citizen, .cadre: return false
        }
    }
}

extension ActionKind {
    /// The workflow steps a handler (or, for reopen, the reporter) takes from the action list,
    /// in the order they are offered. Replies, ratings and photos have their own sections.
    static let workflowSteps: [ActionKind] = [
        .startWork, .followUp, .close, .dispatch, .assign, .notOurAuthority,
        .`defer`, .resume, .mergeInto, .archive, .setFlags, .reopen,
    ]

    var label: String {
        switch self {
        case .edit: return tr("action_edit")
        case .addPhoto: return tr("action_add_photo")
        case .dispatch: return tr("action_dispatch")
        case .assign: return tr("action_assign")
        case .notOurAuthority: return tr("action_not_our_authority")
        case .`defer`: return tr("action_defer")
        case .resume: return tr("action_resume")
        case .archive: return tr("action_archive")
        case .mergeInto: return tr("action_merge_into")
        case .setFlags: return tr("action_set_flags")
        case .startWork: return tr("action_start_work")
        case .followUp: return tr("action_follow_up")
        case .close: return tr("action_close")
        case .reply: return tr("action_reply")
        case .reopen: return tr("action_reopen")
        case .rate: return tr("action_rate")
        }
    }

    var systemImage: String {
        switch self {
        case .edit: return "pencil"
        case .addPhoto: return "photo.badge.plus"
        case .dispatch: return "arrow.triangle.branch"
        case .assign: return "person.2.badge.gearshape"
        case .notOurAuthority: return "arrow.uturn.backward"
        case .`defer`: return "pause.circle"
        case .resume: return "play.circle"
        case .archive: return "archivebox"
        case .mergeInto: return "arrow.triangle.merge"
        case .setFlags: return "eye.slash"
        case .startWork: return "hammer"
        case .followUp: return "checkmark.seal"
        case .close: return "lock"
        case .reply: return "arrowshape.turn.up.left"
        case .reopen: return "arrow.counterclockwise"
        case .rate: return "star"
        }
    }

    /// What the step does, in plain words, shown above its form.
    var explanation: String {
        switch self {
        case .dispatch: return tr("action_dispatch_explained")
        case .assign: return tr("action_assign_explained")
        case .notOurAuthority: return tr("action_not_our_authority_explained")
        case .`defer`: return tr("action_defer_explained")
        case .resume: return tr("action_resume_explained")
        case .archive: return tr("action_archive_explained")
        case .mergeInto: return tr("action_merge_into_explained")
        case .setFlags: return tr("action_set_flags_explained")
        case .startWork: return tr("action_start_work_explained")
        case .followUp: return tr("action_follow_up_explained")
        case .close: return tr("action_close_explained")
        case .reopen: return tr("action_reopen_explained")
        case .edit, .addPhoto, .reply, .rate: return ""
        }
    }

    /// Steps that end or set aside a report: asked to confirm with a visible warning colour.
    var isDestructive: Bool {
        switch self {
        case .archive, .mergeInto, .notOurAuthority: return true
        default: return false
        }
    }
}

extension Status {
    var tint: Color {
        switch self {
        case .submitted, .dispatched: return .blue
        case .assigned, .inProgress: return .orange
        case .followedUp: return .teal
        case .completed: return .green
        case .deferred: return .gray
        case .archived, .merged: return .secondary
        }
    }
}
